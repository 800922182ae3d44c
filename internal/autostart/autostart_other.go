//go:build !linux

package autostart

// Set reports [ErrUnsupported]: on Windows the installer's option and on
// macOS the system's login items start Authdeck at login.
func Set(bool) error { return ErrUnsupported }

// On reports false.
func On() bool { return false }
