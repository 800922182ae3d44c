//go:build !linux

package ui

import "fmt"

// systemAuth has nothing to ask here yet: Windows Hello and macOS's
// LocalAuthentication are not used, so the lock offers the app passphrase
// only.
type systemAuth struct{}

func newSystemAuth() *systemAuth { return &systemAuth{} }

func (*systemAuth) available() error {
	return fmt.Errorf("%w: Authdeck asks the system only on Linux (polkit) for now", errNoSystemAuth)
}

func (a *systemAuth) authorize() error { return a.available() }

func (*systemAuth) withdraw() {}
