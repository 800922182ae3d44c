package backup

import (
	"errors"
	"syscall"
)

// Windows error codes for a full disk and a write-protected medium.
const (
	errorHandleDiskFull syscall.Errno = 39
	errorDiskFull       syscall.Errno = 112
	errorWriteProtect   syscall.Errno = 19
)

// isDiskFull reports whether err says the disk is full.
func isDiskFull(err error) bool {
	return errors.Is(err, errorDiskFull) || errors.Is(err, errorHandleDiskFull)
}

// isReadOnly reports whether err says the medium is write-protected.
func isReadOnly(err error) bool {
	return errors.Is(err, errorWriteProtect)
}
