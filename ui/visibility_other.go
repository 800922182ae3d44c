//go:build !linux || wayland

package ui

import (
	"os"
	"runtime"
)

// displayProblem says why no window can open here, or returns "".
func displayProblem() string {
	if runtime.GOOS == "linux" && os.Getenv("WAYLAND_DISPLAY") == "" && os.Getenv("DISPLAY") == "" {
		return "no display to open the window on (WAYLAND_DISPLAY and DISPLAY are unset)"
	}
	return ""
}

// watchVisibility does nothing where Authdeck cannot see that the window is
// minimised; the clock then runs while the window is open, and stops only
// when it is hidden.
func (w *mainWindow) watchVisibility() {}

// displayReady reports whether a display answers; here the driver finds out.
func displayReady() error { return nil }
