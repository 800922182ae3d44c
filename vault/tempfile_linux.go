package vault

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// createTemp opens a file in dir without a name (O_TMPFILE) where the file
// system supports it, so that nothing is left if the process dies before
// the file is complete; named is false then. Otherwise it creates a named
// temporary file whose name starts with prefix.
func createTemp(dir, prefix string) (f *os.File, named bool, err error) {
	if _, err := os.Stat("/proc/self/fd"); err == nil { // linkAnonymous needs it
		fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
		if err == nil {
			return os.NewFile(uintptr(fd), dir+"/(unnamed)"), false, nil
		}
	}
	f, err = createTempNamed(dir, prefix)
	return f, true, err
}

// linkAnonymous gives a file made by createTemp without a name the name tmp.
func linkAnonymous(f *os.File, tmp string) error {
	return unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(int(f.Fd())), unix.AT_FDCWD, tmp, unix.AT_SYMLINK_FOLLOW)
}
