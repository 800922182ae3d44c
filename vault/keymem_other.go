//go:build !linux

package vault

// lockMemory does nothing here: Authdeck locks the key in memory on Linux only.
func lockMemory([]byte) {}

func unlockMemory([]byte) {}
