package sync

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"authdeck/internal/testenv"
	"authdeck/vault"
)

const testWork = 10 // a cheap scrypt cost for tests

// realStore returns a store in a new folder whose key is in the real
// keychain, with one account.
func realStore(t testing.TB, name, issuer, secret string) *vault.Store {
	t.Helper()
	testenv.SecretService(t)
	s := vault.NewStore(t.TempDir(), vault.Options{})
	t.Cleanup(func() { vault.OSKeychain{}.Delete(vault.KeychainService, "vault "+s.Dir()) })
	if _, err := s.Update(func(v *vault.Vault) error {
		v.Device = vault.Device{ID: vault.NewID(), Name: name}
		a := account(issuer, "me", secret)
		v.Accounts = append(v.Accounts, a)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return s
}

// twoComputers returns a synced folder and two vaults in it: a laptop that
// set the sync up with GitHub's account, and a desktop that joined it with
// GitLab's.
func twoComputers(t testing.TB) (dir string, laptop, desktop *vault.Store) {
	t.Helper()
	dir = t.TempDir()
	laptop = realStore(t, "laptop", "GitHub", "secret-a")
	desktop = realStore(t, "desktop", "GitLab", "secret-b")
	if err := Setup(laptop, dir, "pass", testWork, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := Join(desktop, dir, "pass", t0); err != nil {
		t.Fatal(err)
	}
	return dir, laptop, desktop
}

func load(t testing.TB, s *vault.Store) *vault.Vault {
	t.Helper()
	v, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSetupJoinNow(t *testing.T) {
	dir := t.TempDir()
	a := realStore(t, "laptop", "GitHub", "secret-a")
	b := realStore(t, "desktop", "GitLab", "secret-b")
	if err := Setup(a, dir, "correct horse", testWork, t0); err != nil {
		t.Fatal(err)
	}
	if err := Setup(b, dir, "other", testWork, t0); !errors.Is(err, ErrFolderHasSync) {
		t.Errorf("a second setup in the folder: %v, want ErrFolderHasSync", err)
	}

	// A wrong passphrase changes nothing.
	before, _ := os.ReadFile(b.Path())
	if _, err := Join(b, dir, "wrong", t0); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("join with a wrong passphrase: %v", err)
	}
	if after, _ := os.ReadFile(b.Path()); !bytes.Equal(before, after) {
		t.Error("a join with a wrong passphrase changed the vault")
	}

	res, err := Join(b, dir, "correct horse", t0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 1 || len(res.Merged) != 1 {
		t.Errorf("join: %+v", res)
	}
	if _, err := Now(a, t0); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*vault.Store{a, b} {
		if v := load(t, s); len(v.Accounts) != 2 {
			t.Errorf("%s: %d accounts, want 2", v.Device.Name, len(v.Accounts))
		}
	}
	// Each device wrote only its own file, and no temporary file is left.
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(names) != 3 {
		t.Errorf("folder holds %v, want the key and two device files", names)
	}
	st := ReadStatus(a, load(t, a))
	if !st.On || len(st.Peers) != 1 || st.Peers[0].Device.Name != "desktop" {
		t.Errorf("status %+v", st)
	}
}

// TestRejectedFiles puts files in the folder that a device of the sync did
// not write, and checks that each is rejected and the vault stays as it was.
func TestRejectedFiles(t *testing.T) {
	dir, a, b := twoComputers(t)
	if _, err := Now(a, t0); err != nil {
		t.Fatal(err)
	}
	va := load(t, a)
	id, _ := age.ParseX25519Identity(va.Sync.Identity)

	// An attacker who can write to the folder knows the recipient (it is
	// public) but not the identity: a well-formed file encrypted to the
	// recipient, adding an account and deleting GitHub's.
	evil := &vault.Vault{Device: vault.Device{ID: vault.NewID(), Name: "evil"}, Sync: vault.Replica{Dir: dir, Identity: id.String()}}
	evil.Accounts = []vault.Account{account("Evil", "x", "evil-secret")}
	evil.Settle(nil, t0.Add(time.Hour))
	body := mustJSON(t, Snapshot(evil, t0))
	forged := encryptTo(t, id.Recipient(), append(make([]byte, macSize), body...))

	other := testIdentity(t)
	foreign, _ := Encode(Snapshot(evil, t0), other)
	good, _ := os.ReadFile(filepath.Join(dir, FileName(va.Device)))
	tampered := bytes.Clone(good)
	tampered[len(tampered)-20] ^= 1
	future := append([]byte("authdeck-sync v2\n"), good[len("authdeck-sync v1\n"):]...)

	cases := map[string][]byte{
		"forged":    forged,
		"foreign":   foreign,
		"tampered":  tampered,
		"truncated": good[:len(good)-40],
		"future":    future,
		"garbage":   []byte("hello"),
	}
	want := map[string]error{
		"forged": ErrForged, "foreign": ErrForeign, "tampered": ErrDamaged,
		"truncated": ErrDamaged, "future": ErrNewerVersion, "garbage": ErrNotDeviceFile,
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, "authdeck-sync-x-"+strings.Repeat("0", 23)+"1.age")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			defer os.Remove(path)
			before, _ := os.ReadFile(b.Path())
			res, err := Now(b, t0.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rejected) != 1 || !errors.Is(res.Rejected[0].Reason, want[name]) {
				t.Errorf("rejected %+v, want one for %v", res.Rejected, want[name])
			}
			if after, _ := os.ReadFile(b.Path()); !bytes.Equal(before, after) {
				t.Error("the vault changed")
			}
			if st := ReadStatus(b, load(t, b)); len(st.Rejected) != 1 {
				t.Errorf("status lists %v as rejected", st.Rejected)
			}
		})
	}
}

func TestConflictCopiesMergedThenRemoved(t *testing.T) {
	dir, a, b := twoComputers(t)
	// An engine made a conflict copy of a's file.
	va := load(t, a)
	own := filepath.Join(dir, FileName(va.Device))
	if _, err := a.Update(func(v *vault.Vault) error {
		v.Accounts = append(v.Accounts, account("Proton", "me", "secret-p"))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := Write(a, load(t, a), t0); err != nil {
		t.Fatal(err)
	}
	copyName := strings.TrimSuffix(own, ".age") + ".sync-conflict-20260301-120000-ABCDEFG.age"
	data, _ := os.ReadFile(own)
	os.WriteFile(copyName, data, 0o600)
	os.WriteFile(own, mustRead(t, own), 0o600)
	res, err := Now(b, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Merged) != 2 {
		t.Errorf("merged %v, want a's file and its conflict copy", res.Merged)
	}
	if _, err := os.Stat(copyName); !errors.Is(err, os.ErrNotExist) {
		t.Error("the conflict copy is still there after it was merged")
	}
	if find(load(t, b), "Proton") == nil {
		t.Error("the account of the conflict copy did not come in")
	}
}

func TestTempNamesEnginesIgnore(t *testing.T) {
	// Syncthing skips "~syncthing~*", Dropbox and Nextcloud "~*.tmp".
	name := filepath.Base(tempPrefix + "authdeck-sync-x.age." + "0123456789ab" + ".tmp")
	if !strings.HasPrefix(name, "~syncthing~") || !strings.HasSuffix(name, ".tmp") {
		t.Errorf("temporary name %q", name)
	}
}

func TestRemoveDeviceAndOff(t *testing.T) {
	dir, a, b := twoComputers(t)
	if _, err := Now(a, t0); err != nil {
		t.Fatal(err)
	}
	gone, err := RemoveDevice(a, "desktop", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName(gone))); !errors.Is(err, os.ErrNotExist) {
		t.Error("the removed device's file is still there")
	}
	// b writes again: a does not read it.
	if _, err := b.Update(func(v *vault.Vault) error {
		v.Accounts = append(v.Accounts, account("Proton", "me", "secret-p"))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := Write(b, load(t, b), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := Now(a, t0); err != nil {
		t.Fatal(err)
	}
	if find(load(t, a), "Proton") != nil {
		t.Error("a merged the file of a removed device")
	}
	if err := Off(a); err != nil {
		t.Fatal(err)
	}
	if v := load(t, a); v.Sync.On() {
		t.Error("sync is still on")
	}
	if _, err := os.Stat(filepath.Join(dir, KeyFileName)); err != nil {
		t.Error("sync off removed the folder's key file")
	}
}

func mustRead(t testing.TB, path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestUnchangedFileNotReadAgain checks that a file merged before is not
// decrypted again until it changes, that a conflict copy of it is removed,
// that a vault put back to an earlier revision reads it again, and that two
// computers that merge each other's unchanged files settle instead of
// rewriting their files for ever.
func TestUnchangedFileNotReadAgain(t *testing.T) {
	dir, a, b := twoComputers(t)
	if _, err := Now(a, t0); err != nil {
		t.Fatal(err)
	}
	res, err := Now(b, t0)
	if err != nil || len(res.Merged) != 1 {
		t.Fatalf("first merge: %+v, %v", res, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "authdeck-sync-*-*.age"))
	written := map[string][]byte{}
	for _, f := range files {
		written[f] = mustRead(t, f)
	}
	for range 2 {
		for _, s := range []*vault.Store{a, b} {
			res, err := Now(s, t0.Add(time.Minute))
			if err != nil || len(res.Merged) != 0 || len(res.Unchanged) != 1 {
				t.Fatalf("%s merged %v, unchanged %v (%v); want the other's file unchanged", load(t, s).Device.Name, res.Merged, res.Unchanged, err)
			}
		}
	}
	for f, data := range written {
		if !bytes.Equal(mustRead(t, f), data) {
			t.Errorf("%s was written again although nothing changed", filepath.Base(f))
		}
	}

	// A conflict copy with the same bytes is merged already: removed.
	aFile := filepath.Join(dir, FileName(load(t, a).Device))
	copyName := strings.TrimSuffix(aFile, ".age") + " (conflicted copy 2026-03-01).age"
	os.WriteFile(copyName, written[aFile], 0o600)
	if res, err := Now(b, t0); err != nil || len(res.Unchanged) != 2 {
		t.Fatalf("merged %+v, %v; want the file and its copy unchanged", res, err)
	}
	if _, err := os.Stat(copyName); !errors.Is(err, os.ErrNotExist) {
		t.Error("the conflict copy of a file merged before is still there")
	}

	// A change on a is read.
	if _, err := a.Update(func(v *vault.Vault) error {
		v.Accounts[0].Name = "renamed"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := Write(a, load(t, a), t0); err != nil {
		t.Fatal(err)
	}
	if res, err := Now(b, t0); err != nil || len(res.Merged) != 1 || res.Changed != 1 {
		t.Fatalf("after a change: %+v, %v", res, err)
	}

	// A vault put back to an earlier revision has not merged the file.
	st := readState(b, load(t, b))
	for i := range st.Peers {
		st.Peers[i].Revision = load(t, b).Revision + 1
	}
	if err := writeState(b, st); err != nil {
		t.Fatal(err)
	}
	if res, err := Now(b, t0); err != nil || len(res.Merged) != 1 {
		t.Errorf("a vault older than the record: merged %v, %v; want the file read again", res.Merged, err)
	}
}
