//go:build !linux && !windows

package ui

// watchSessionLock does nothing here yet: the window locks on Ctrl+L, the
// menu and after a while without input, not when the session locks (the
// macOS screen-lock notification is not watched).
func watchSessionLock(func()) (stop func()) { return func() {} }
