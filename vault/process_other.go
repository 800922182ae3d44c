//go:build !linux

package vault

// ProtectProcess does nothing here yet: the Linux protections (not dumpable,
// no core file) have no one-call equivalent on Windows and macOS.
func ProtectProcess() error { return nil }
