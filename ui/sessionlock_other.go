//go:build !linux

package ui

// watchSessionLock does nothing here yet: the window locks on Ctrl+L, the
// menu and after a while without input, not when the session locks (the
// Windows session-lock notification and the macOS screen-lock notification
// are not watched).
func watchSessionLock(func()) (stop func()) { return func() {} }
