//go:build !linux || wayland

package ui

// watchVisibility does nothing where Authdeck cannot see that the window is
// minimised; the clock then runs while the window is open, and stops only
// when it is hidden.
func (w *mainWindow) watchVisibility() {}
