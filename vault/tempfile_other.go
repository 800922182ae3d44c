//go:build !linux

package vault

import (
	"errors"
	"os"
)

// createTemp creates a named temporary file that starts with prefix: this system has no
// files without a name.
func createTemp(dir, prefix string) (f *os.File, named bool, err error) {
	f, err = createTempNamed(dir, prefix)
	return f, true, err
}

func linkAnonymous(*os.File, string) error { return errors.New("no unnamed files on this system") }
