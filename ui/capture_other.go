//go:build !windows

package ui

// captureProtection says that this system cannot keep a window out of
// screenshots: X11 and Wayland have no such request, and on macOS Authdeck
// does not set the window's sharing type yet.
const captureProtection = false

// protectCapture does nothing here.
func (w *mainWindow) protectCapture(bool) {}
