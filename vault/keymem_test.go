package vault

import (
	"bytes"
	"testing"
)

func TestForgetWipesTheKey(t *testing.T) {
	asked := 0
	s := passStore(t.TempDir(), "correct horse", &asked, deadKeychain{})
	if _, err := s.Init(PasswordMode); err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, s, addAccounts(acct("GitHub", "ann", "s1")))
	key := secretOf(s.identity)
	if len(key) != 32 || bytes.Equal(key, make([]byte, 32)) {
		t.Fatalf("the identity's secret is not where Authdeck looks for it (%d bytes): a newer age moved it", len(key))
	}
	s.Forget()
	if !bytes.Equal(key, make([]byte, 32)) {
		t.Error("Forget left the key's bytes in memory")
	}
	if s.Unlocked() {
		t.Error("the store is still unlocked after Forget")
	}
	// The next use asks for the passphrase again and opens the vault.
	v, err := s.Load()
	if err != nil || len(v.Accounts) != 1 || asked != 2 {
		t.Fatalf("after Forget: %v, %d accounts, asked %d times", err, len(v.Accounts), asked)
	}
}
