//go:build !linux

package ui

// watchSessionLock does nothing here yet: the window locks on Ctrl+L, the
// menu and after a while without input, not when the session locks (the
// Windows session-lock notification and the macOS screen-lock notification
// are not watched), and the clock notices a resume by the jump of the wall
// clock.
func watchSessionLock(lock, resumed func()) (stop func()) { return func() {} }
