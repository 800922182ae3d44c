package ui

import (
	"fyne.io/fyne/v2/driver"
	"golang.org/x/sys/windows"
)

// captureProtection says that this system can keep a window out of
// screenshots and screen sharing.
const captureProtection = true

var setWindowDisplayAffinity = windows.NewLazySystemDLL("user32.dll").NewProc("SetWindowDisplayAffinity")

// Display affinities of a window.
const (
	wdaNone               = 0x00
	wdaExcludeFromCapture = 0x11 // Windows 10 2004 and later
)

// protectCapture keeps the window out of screenshots, recordings and screen
// sharing, or lets them see it again.
func (w *mainWindow) protectCapture(on bool) {
	nw, ok := w.win.(driver.NativeWindow)
	if !ok {
		return
	}
	nw.RunNative(func(ctx any) {
		c, ok := ctx.(driver.WindowsWindowContext)
		if !ok || c.HWND == 0 {
			return
		}
		affinity := uintptr(wdaNone)
		if on {
			affinity = wdaExcludeFromCapture
		}
		setWindowDisplayAffinity.Call(c.HWND, affinity)
	})
}
