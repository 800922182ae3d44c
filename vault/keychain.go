package vault

import (
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// KeychainService is the service name of Authdeck's keychain items.
const KeychainService = "authdeck"

// Keychain keeps small secrets under a service and user name: the OS keychain
// in the app, a stand-in in tests of error paths.
type Keychain interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// Keychain errors. ErrNoKeychain wraps the system's own error.
var (
	ErrNoKeychain = errors.New("no keychain answered")
	ErrNoKey      = errors.New("the keychain has no key for this vault")
	// ErrNoDBus is returned on Linux where there is no D-Bus session, and so
	// no Secret Service to ask. It wraps ErrNoKeychain.
	ErrNoDBus = fmt.Errorf("%w: there is no D-Bus session", ErrNoKeychain)
)

// keychainTimeout bounds a keychain call: a Secret Service that waits for a
// prompt nobody answers must not hang Authdeck. Tests shorten it.
var keychainTimeout = 20 * time.Second

// OSKeychain is the operating system's keychain, through go-keyring: the
// Secret Service on Linux, the Keychain on macOS, the Credential Manager on
// Windows.
type OSKeychain struct{}

// Get returns the secret stored under service and user, [ErrNoKey] if there is
// none, or an error wrapping [ErrNoKeychain].
func (OSKeychain) Get(service, user string) (string, error) {
	var secret string
	err := withTimeout(func() (err error) {
		secret, err = keyring.Get(service, user)
		return err
	})
	return secret, err
}

// Set stores secret under service and user.
func (OSKeychain) Set(service, user, secret string) error {
	return withTimeout(func() error { return keyring.Set(service, user, secret) })
}

// Delete removes the secret under service and user.
func (OSKeychain) Delete(service, user string) error {
	return withTimeout(func() error { return keyring.Delete(service, user) })
}

func withTimeout(call func() error) error {
	if err := keychainReachable(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- call() }()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return nil
		case errors.Is(err, keyring.ErrNotFound):
			return ErrNoKey
		default:
			return fmt.Errorf("%w: %v", ErrNoKeychain, err)
		}
	case <-time.After(keychainTimeout):
		return fmt.Errorf("%w: no answer in %v", ErrNoKeychain, keychainTimeout)
	}
}
