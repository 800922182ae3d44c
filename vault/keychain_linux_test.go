package vault

import (
	"errors"
	"os"
	"testing"
)

func TestNoDBusSessionFailsAtOnce(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	defer func(f func() []string) { runtimeDirs = f }(runtimeDirs)
	empty := t.TempDir()
	runtimeDirs = func() []string { return []string{empty} }
	s := NewStore(t.TempDir(), Options{})
	_, err := s.Update(func(*Vault) error { return nil })
	if !errors.Is(err, ErrNoDBus) || !errors.Is(err, ErrNoKeychain) {
		t.Fatalf("got %v, want ErrNoDBus", err)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Error("a vault was written without a keychain")
	}
}
