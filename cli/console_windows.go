//go:build windows

package cli

import (
	"os"

	"golang.org/x/sys/windows"
)

// AttachConsole connects a Windows GUI program to the console it was started
// from, so that the command line's output reaches the terminal. Where there
// is no such console (started from the Start menu) it does nothing.
func AttachConsole() {
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(attachParentProcess & 0xffffffff); ok == 0 {
		return
	}
	if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		os.Stdout, os.Stderr = f, f
	}
	if f, err := os.OpenFile("CONIN$", os.O_RDONLY, 0); err == nil {
		os.Stdin = f
	}
}
