package vault

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

func TestKeychainCallsThatDoNotAnswerTimeOut(t *testing.T) {
	defer func(d time.Duration) { keychainTimeout = d }(keychainTimeout)
	keychainTimeout = 20 * time.Millisecond
	hang := make(chan struct{})
	defer close(hang)
	err := withTimeout(func() error { <-hang; return nil })
	if !errors.Is(err, ErrNoKeychain) || !strings.Contains(err.Error(), "no answer") {
		t.Errorf("got %v, want ErrNoKeychain saying there was no answer", err)
	}
}

func TestKeychainErrorsAreSorted(t *testing.T) {
	if err := withTimeout(func() error { return keyring.ErrNotFound }); !errors.Is(err, ErrNoKey) {
		t.Errorf("not found: got %v, want ErrNoKey", err)
	}
	err := withTimeout(func() error { return errors.New("org.freedesktop.DBus.Error.ServiceUnknown") })
	if !errors.Is(err, ErrNoKeychain) || !strings.Contains(err.Error(), "ServiceUnknown") {
		t.Errorf("no service: got %v, want ErrNoKeychain with the system's words", err)
	}
	if err := withTimeout(func() error { return nil }); err != nil {
		t.Errorf("success: got %v", err)
	}
}

// The real keychain stores, reads and deletes an item.
func TestOSKeychainRoundTrip(t *testing.T) {
	kc := realKeychain(t)
	user := "test " + t.Name()
	if err := kc.Set(KeychainService, user, "AGE-SECRET-KEY-1TEST"); err != nil {
		t.Fatal(err)
	}
	if got, err := kc.Get(KeychainService, user); err != nil || got != "AGE-SECRET-KEY-1TEST" {
		t.Fatalf("get: %q, %v", got, err)
	}
	if err := kc.Delete(KeychainService, user); err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Get(KeychainService, user); !errors.Is(err, ErrNoKey) {
		t.Errorf("after delete: got %v, want ErrNoKey", err)
	}
}
