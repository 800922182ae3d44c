package vault

import "golang.org/x/sys/unix"

// lockMemory keeps b out of swap, as far as RLIMIT_MEMLOCK allows; where it
// does not, b is kept all the same.
func lockMemory(b []byte) { _ = unix.Mlock(b) }

func unlockMemory(b []byte) { _ = unix.Munlock(b) }
