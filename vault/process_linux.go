package vault

import "golang.org/x/sys/unix"

// ProtectProcess keeps this process's memory, where the vault's key and
// secrets are, from other processes of the same user and from disk: it is
// made not dumpable (no ptrace attach, no /proc/PID/mem for others, no core
// file) and its core file size limit is zero.
func ProtectProcess() error {
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return err
	}
	return unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{})
}
