package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// passStore returns a store whose passphrase prompt answers pass and counts
// how often it was asked.
func passStore(dir, pass string, asked *int, kc Keychain) *Store {
	return NewStore(dir, Options{Keychain: kc, ScryptWorkFactor: 10, Passphrase: func() (string, error) {
		*asked++
		return pass, nil
	}})
}

func TestPasswordModeUnlocksOnce(t *testing.T) {
	dir := t.TempDir()
	asked := 0
	s := passStore(dir, "correct horse", &asked, deadKeychain{})
	if _, err := s.Init(PasswordMode); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(s.Path())
	block := parseOrFail(t, first).keyBlock
	for i := range 5 {
		mustUpdate(t, s, addAccounts(acct("GitHub", "ann"+string(rune('0'+i)), "s"+string(rune('0'+i)))))
	}
	if asked != 1 {
		t.Errorf("the passphrase was asked %d times for an init and five changes, want once", asked)
	}
	after, _ := os.ReadFile(s.Path())
	f := parseOrFail(t, after)
	if !bytes.Equal(f.keyBlock, block) {
		t.Error("a save wrapped the key again (a second scrypt) instead of writing the same key block")
	}
	// The vault itself is sealed to an X25519 key, not to scrypt.
	if _, ok := ScryptWorkFactor(f.body); ok {
		t.Error("the vault body is under scrypt")
	}
	// Another process needs the passphrase once too, and opens the vault.
	other := 0
	v, err := passStore(dir, "correct horse", &other, deadKeychain{}).Load()
	if err != nil || len(v.Accounts) != 5 || other != 1 {
		t.Fatalf("another store: %v, %d accounts, asked %d times", err, len(v.Accounts), other)
	}
}

func parseOrFail(t *testing.T, data []byte) vaultFile {
	t.Helper()
	f, err := parseFile(data)
	if err != nil || f.mode != PasswordMode || f.legacy {
		t.Fatalf("not a current password-mode file: %+v, %v", f, err)
	}
	return f
}

func TestLegacyPasswordVaultOpensAndMigrates(t *testing.T) {
	dir := t.TempDir()
	legacy, err := os.ReadFile(filepath.Join("testdata", "legacy-password-v1.age"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, FileName), legacy, 0o600)
	if _, err := passStore(dir, "wrong", new(int), deadKeychain{}).Load(); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	asked := 0
	s := passStore(dir, "legacy passphrase", &asked, deadKeychain{})
	v, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Accounts) != 2 || v.Accounts[1].Counter != 7 || v.Prefs.Theme != "dark" || v.Revision != 3 {
		t.Fatalf("legacy contents: %+v", v)
	}
	if m, _ := s.Mode(); m != PasswordMode {
		t.Errorf("mode %v", m)
	}
	if now, _ := os.ReadFile(s.Path()); !bytes.Equal(now, legacy) {
		t.Fatal("loading changed the file")
	}
	mustUpdate(t, s, func(v *Vault) error { v.Accounts[0].Name = "ann@example.org"; return nil })
	migrated, _ := os.ReadFile(s.Path())
	parseOrFail(t, migrated)
	if asked != 1 {
		t.Errorf("asked %d times", asked)
	}
	v, err = passStore(dir, "legacy passphrase", new(int), deadKeychain{}).Load()
	if err != nil || v.Accounts[0].Name != "ann@example.org" || len(v.Accounts) != 2 {
		t.Fatalf("after migration: %v %+v", err, v)
	}
}

// withWorkFactor returns the armored key block with its scrypt work factor
// replaced, as a hostile file would ask.
func withWorkFactor(t *testing.T, block []byte, logN string) []byte {
	t.Helper()
	plain := mustDearmor(block)
	lines := strings.SplitN(string(plain), "\n", 3)
	f := strings.Fields(lines[1])
	f[len(f)-1] = logN
	lines[1] = strings.Join(f, " ")
	var buf bytes.Buffer
	w := armor.NewWriter(&buf)
	w.Write([]byte(strings.Join(lines, "\n")))
	w.Close()
	return buf.Bytes()
}

func TestPasswordModeRefusesUnusualWork(t *testing.T) {
	dir := t.TempDir()
	s := passStore(dir, "correct horse", new(int), deadKeychain{})
	if _, err := s.Init(PasswordMode); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(s.Path())
	f := parseOrFail(t, good)
	var hostile bytes.Buffer
	writeKeyBlock(&hostile, withWorkFactor(t, f.keyBlock, "22"))
	hostile.Write(f.body)
	os.WriteFile(s.Path(), hostile.Bytes(), 0o600)
	start := time.Now()
	_, err := passStore(dir, "correct horse", new(int), deadKeychain{}).Load()
	if !errors.Is(err, ErrTooMuchWork) {
		t.Fatalf("got %v, want ErrTooMuchWork", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("refusing took %v: the work was done", d)
	}
	// A legacy file asking for that much is refused the same way.
	legacy, _ := os.ReadFile(filepath.Join("testdata", "legacy-password-v1.age"))
	os.WriteFile(s.Path(), bytes.Replace(legacy, []byte(" 10\n"), []byte(" 22\n"), 1), 0o600)
	if _, err := passStore(dir, "legacy passphrase", new(int), deadKeychain{}).Load(); !errors.Is(err, ErrTooMuchWork) {
		t.Errorf("legacy: got %v, want ErrTooMuchWork", err)
	}
}

func TestDamagedKeyBlock(t *testing.T) {
	dir := t.TempDir()
	s := passStore(dir, "correct horse", new(int), deadKeychain{})
	if _, err := s.Init(PasswordMode); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(s.Path())
	end := bytes.Index(good, []byte(armorEnd))
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"cut in the key block", good[:end-10]},
		{"no body", good[:end+len(armorEnd)]},
		{"newer header", append([]byte("authdeck-vault v3 passphrase\n"), good[len(passHeader):]...)},
	} {
		os.WriteFile(s.Path(), tc.data, 0o600)
		_, err := passStore(dir, "correct horse", new(int), deadKeychain{}).Load()
		if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrNewerVersion) {
			t.Errorf("%s: got %v", tc.name, err)
		}
		if errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("%s: a damaged file says wrong passphrase", tc.name)
		}
	}
}

func TestSetChangeRemovePassphrase(t *testing.T) {
	s := newRealStore(t)
	mustUpdate(t, s, addAccounts(acct("GitHub", "ann", "s1")))
	mustUpdate(t, s, addAccounts(acct("Bank", "ann", "s2")))
	kc := OSKeychain{}

	// Keychain mode to password mode: the keychain item goes, and neither
	// file opens with the old key.
	oldKey, _ := kc.Get(KeychainService, s.keychainUser())
	if err := s.SetPassphrase("first passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Get(KeychainService, s.keychainUser()); !errors.Is(err, ErrNoKey) {
		t.Errorf("the keychain still holds a key: %v", err)
	}
	oldID, _ := age.ParseX25519Identity(oldKey)
	for _, name := range []string{FileName, BackupName} {
		data, _ := os.ReadFile(filepath.Join(s.Dir(), name))
		f := parseOrFail(t, data)
		if _, err := age.Decrypt(bytes.NewReader(f.body), oldID); err == nil {
			t.Errorf("%s still opens with the old keychain key", name)
		}
	}
	v, err := passStore(s.Dir(), "first passphrase", new(int), kc).Load()
	if err != nil || len(v.Accounts) != 2 {
		t.Fatalf("with the passphrase: %v", err)
	}

	// Change: the old passphrase opens neither file.
	p := passStore(s.Dir(), "first passphrase", new(int), kc)
	if err := p.SetPassphrase("second passphrase"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{FileName, BackupName} {
		q := passStore(s.Dir(), "first passphrase", new(int), kc)
		data, _ := os.ReadFile(filepath.Join(s.Dir(), name))
		f := parseOrFail(t, data)
		if _, err := q.unwrapKey(f.keyBlock, "first passphrase"); !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("%s: the old passphrase: %v", name, err)
		}
	}
	// The store that changed it goes on without asking again.
	if _, err := p.Update(addAccounts(acct("Mail", "ann", "s3"))); err != nil {
		t.Fatal(err)
	}
	// A store that had unlocked with the old passphrase asks again.
	if _, err := passStore(s.Dir(), "first passphrase", new(int), kc).Load(); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("old passphrase after change: %v", err)
	}

	// Back to keychain mode.
	if err := passStore(s.Dir(), "second passphrase", new(int), kc).RemovePassphrase(); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.Mode(); m != KeychainMode {
		t.Errorf("mode %v", m)
	}
	v, err = NewStore(s.Dir(), Options{Keychain: kc}).Load()
	if err != nil || len(v.Accounts) != 3 {
		t.Fatalf("keychain mode again: %v", err)
	}
	if err := NewStore(s.Dir(), Options{Keychain: kc}).RemovePassphrase(); !errors.Is(err, ErrNotPasswordMode) {
		t.Errorf("remove without a passphrase: %v", err)
	}
}

func TestRemovePassphraseWithoutKeychainChangesNothing(t *testing.T) {
	dir := t.TempDir()
	s := passStore(dir, "correct horse", new(int), deadKeychain{})
	if _, err := s.Init(PasswordMode); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(s.Path())
	if err := s.RemovePassphrase(); !errors.Is(err, ErrNoKeychain) {
		t.Fatalf("got %v, want ErrNoKeychain", err)
	}
	if after, _ := os.ReadFile(s.Path()); !bytes.Equal(after, good) {
		t.Error("the vault changed")
	}
}
