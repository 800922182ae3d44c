//go:build !linux

package vault

import (
	"errors"
	"os"
)

// createTemp creates a named temporary file for path: this system has no
// files without a name.
func createTemp(dir, path string) (f *os.File, named bool, err error) {
	f, err = createTempNamed(dir, path)
	return f, true, err
}

func linkAnonymous(*os.File, string) error { return errors.New("no unnamed files on this system") }
