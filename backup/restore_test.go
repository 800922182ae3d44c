package backup

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"authdeck/vault"

	"authdeck/internal/testenv"
)

// bkRealStore returns a store in a new folder whose key is in the real
// keychain, named as device name, or skips where the session has no Secret
// Service.
func bkRealStore(t testing.TB, name string) *vault.Store {
	t.Helper()
	testenv.SecretService(t)
	s := vault.NewStore(t.TempDir(), vault.Options{Now: func() time.Time { return bkAt }})
	t.Cleanup(func() { vault.OSKeychain{}.Delete(vault.KeychainService, "vault "+s.Dir()) })
	if _, err := s.Update(func(v *vault.Vault) error {
		v.Device = vault.Device{ID: vault.NewID(), Name: name}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return s
}

// bkAdd adds accounts to the store under the merge rule, as `authdeck add` does.
func bkAdd(t testing.TB, s *vault.Store, accts ...vault.Account) *vault.Vault {
	t.Helper()
	v, err := s.Update(func(v *vault.Vault) error {
		_, err := v.Apply(v.Plan(accts), vault.RefuseConflicts, bkAt)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// bkRestore restores a backup file into the store as the CLI and the window
// do: decode, then plan and apply in one Update, saving nothing when nothing
// changes or on any error.
func bkRestore(s *vault.Store, path, pass string, m vault.Merge) (vault.Plan, error) {
	b, err := ReadFile(path, pass)
	if err != nil {
		return vault.Plan{}, err
	}
	var plan vault.Plan
	_, err = s.Update(func(v *vault.Vault) error {
		var changed []string
		var err error
		plan, changed, err = b.Restore(v, m, bkAt)
		if err == nil && len(changed) == 0 {
			return errBkUnchanged
		}
		return err
	})
	if errors.Is(err, errBkUnchanged) {
		err = nil
	}
	return plan, err
}

var errBkUnchanged = errors.New("unchanged")

// bkExport sets up a vault with every kind of account, moved into an order of
// its own, and exports it.
func bkExport(t *testing.T) (*vault.Store, *vault.Vault, string) {
	src := bkRealStore(t, "old laptop")
	bkAdd(t, src, bkAccounts()...)
	v, err := src.Update(func(v *vault.Vault) error {
		v.Prefs = vault.Prefs{Theme: "light", HideCodes: true, ClipboardClearSeconds: 12}
		if err := v.Move(v.Accounts[2].ID, 0); err != nil { // Steam first
			return err
		}
		return SetPassphrase(&v.Backup, bkPass, bkWorkFactor)
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "b"+Ext)
	if err := Export(src, v, path, bkAt); err != nil {
		t.Fatal(err)
	}
	if err := Export(src, v, path, bkAt); !errors.Is(err, os.ErrExist) {
		t.Errorf("Export over an existing file: %v", err)
	}
	return src, v, path
}

// TestRoundTrip exports a vault and restores it into a fresh one on the real
// keychain: the same accounts, codes and order, and the preferences.
func TestRoundTrip(t *testing.T) {
	_, old, path := bkExport(t)
	dst := bkRealStore(t, "new desktop")
	plan, err := bkRestore(dst, path, bkPass, vault.RefuseConflicts)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Count(vault.New) != 5 {
		t.Errorf("plan: %+v", plan)
	}
	got, err := dst.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Accounts) != len(old.Accounts) {
		t.Fatalf("%d accounts, want %d", len(got.Accounts), len(old.Accounts))
	}
	wantCodes, gotCodes := bkCodes(t, old.Accounts), bkCodes(t, got.Accounts)
	for i, a := range got.Accounts {
		o := old.Accounts[i]
		if a.Label() != o.Label() || a.Type != o.Type || a.Algorithm != o.Algorithm || a.Digits != o.Digits ||
			a.Period != o.Period || a.Counter != o.Counter || a.Group != o.Group || a.Binding != o.Binding {
			t.Errorf("account %d:\n got %+v\nwant %+v", i, a, o)
		}
		if o.Binding == vault.DeviceBound {
			if a.Secret != nil || !a.NeedsVerification {
				t.Errorf("%s: restored with secret %q, needs verification %v", a.Label(), a.Secret, a.NeedsVerification)
			}
			continue
		}
		if !bytes.Equal(a.Secret, o.Secret) || gotCodes[i] != wantCodes[i] {
			t.Errorf("%s: code %s, want %s", a.Label(), gotCodes[i], wantCodes[i])
		}
	}
	if got.Accounts[0].Issuer != "Steam" {
		t.Errorf("order lost: first is %s", got.Accounts[0].Label())
	}
	if got.Prefs != old.Prefs {
		t.Errorf("prefs %+v, want %+v", got.Prefs, old.Prefs)
	}
	if got.Backup.Recipient != "" || got.Device.Name != "new desktop" {
		t.Errorf("the backup key or device came along: %+v %+v", got.Backup, got.Device)
	}
}

// TestOverwriteProtection restores one backup into vaults in every state the
// merge rule knows, on the real keychain.
func TestOverwriteProtection(t *testing.T) {
	_, old, path := bkExport(t)
	acme, bank := old.Accounts[1], old.Accounts[4] // ACME (portable), Bank (device-bound)
	if acme.Issuer != "ACME Co" || bank.Issuer != "Bank" {
		t.Fatalf("unexpected order: %s, %s", acme.Label(), bank.Label())
	}
	other := func(a vault.Account, secret string) vault.Account {
		a.ID, a.Secret = vault.NewID(), []byte(secret)
		return a
	}
	local := vault.Account{Issuer: "Local", Name: "me", Secret: []byte("local-secret-1234"), Type: vault.TOTP}
	local.Normalize()

	t.Run("conflict refuses everything", func(t *testing.T) {
		s := bkRealStore(t, "here")
		bkAdd(t, s, local, other(acme, "another-secret-9876"))
		before, _ := os.ReadFile(s.Path())
		plan, err := bkRestore(s, path, bkPass, vault.RefuseConflicts)
		var cerr *vault.ConflictError
		if !errors.As(err, &cerr) || !errors.Is(err, vault.ErrConflicts) || len(cerr.Items) != 1 || cerr.Items[0].Account.Issuer != "ACME Co" {
			t.Fatalf("restore: %v", err)
		}
		if plan.Count(vault.Conflict) != 1 || plan.Count(vault.New) != 4 {
			t.Errorf("plan: new %d, conflicts %d", plan.Count(vault.New), plan.Count(vault.Conflict))
		}
		after, _ := os.ReadFile(s.Path())
		if !bytes.Equal(before, after) {
			t.Error("a refused restore changed the vault file")
		}
	})

	t.Run("skip conflicts keeps the local account", func(t *testing.T) {
		s := bkRealStore(t, "here")
		mine := other(acme, "another-secret-9876")
		bkAdd(t, s, local, mine)
		if _, err := bkRestore(s, path, bkPass, vault.SkipConflicts); err != nil {
			t.Fatal(err)
		}
		v, _ := s.Load()
		var labels []string
		for _, a := range v.Accounts {
			labels = append(labels, a.Label())
		}
		want := []string{"Local: me", "ACME Co: john@example.com", "Steam: bob", "Git: dave", "GitHub: ann", "Bank: ann"}
		if len(labels) != len(want) {
			t.Fatalf("accounts %q, want %q", labels, want)
		}
		for i := range want {
			if labels[i] != want[i] {
				t.Fatalf("accounts %q, want %q (local first, then the backup's order)", labels, want)
			}
		}
		if !bytes.Equal(v.Accounts[1].Secret, mine.Secret) {
			t.Error("the local account was overwritten")
		}
		if v.Prefs != (vault.Prefs{}) {
			t.Errorf("a restore into a vault with accounts took the backup's preferences: %+v", v.Prefs)
		}
	})

	t.Run("same secret is already present", func(t *testing.T) {
		s := bkRealStore(t, "here")
		renamed := acme
		renamed.ID, renamed.Name = vault.NewID(), "renamed here"
		bkAdd(t, s, renamed)
		plan, err := bkRestore(s, path, bkPass, vault.RefuseConflicts)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Count(vault.Present) != 1 || plan.Count(vault.New) != 4 {
			t.Errorf("plan: present %d, new %d", plan.Count(vault.Present), plan.Count(vault.New))
		}
		v, _ := s.Load()
		if len(v.Accounts) != 5 || v.Accounts[0].Name != "renamed here" {
			t.Errorf("accounts: %d, first %s", len(v.Accounts), v.Accounts[0].Label())
		}
	})

	t.Run("device-bound account already here stays", func(t *testing.T) {
		s := bkRealStore(t, "here")
		mine := other(bank, "this-device-own-secret")
		bkAdd(t, s, mine)
		plan, err := bkRestore(s, path, bkPass, vault.RefuseConflicts)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Count(vault.Present) != 1 || plan.Count(vault.Conflict) != 0 {
			t.Errorf("plan: present %d, conflicts %d", plan.Count(vault.Present), plan.Count(vault.Conflict))
		}
		v, _ := s.Load()
		if !bytes.Equal(v.Accounts[0].Secret, mine.Secret) || v.Accounts[0].NeedsVerification {
			t.Error("this device's own credential was touched")
		}
	})

	t.Run("a portable account completes one that needs verification", func(t *testing.T) {
		s := bkRealStore(t, "here")
		waiting := acme
		waiting.ID, waiting.Secret, waiting.NeedsVerification, waiting.Binding = vault.NewID(), nil, true, vault.DeviceBound
		bkAdd(t, s, waiting)
		plan, err := bkRestore(s, path, bkPass, vault.RefuseConflicts)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Count(vault.Completes) != 1 || plan.Count(vault.New) != 4 {
			t.Errorf("plan: completes %d, new %d", plan.Count(vault.Completes), plan.Count(vault.New))
		}
		v, _ := s.Load()
		if got := v.Accounts[0]; got.Label() != acme.Label() || got.NeedsVerification || !bytes.Equal(got.Secret, acme.Secret) || len(v.Accounts) != 5 {
			t.Errorf("completed: %+v (%d accounts)", got, len(v.Accounts))
		}
	})

	t.Run("everything present changes nothing", func(t *testing.T) {
		s := bkRealStore(t, "here")
		if _, err := bkRestore(s, path, bkPass, vault.RefuseConflicts); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(s.Path())
		plan, err := bkRestore(s, path, bkPass, vault.RefuseConflicts)
		if err != nil || plan.Count(vault.Present) != 5 {
			t.Fatalf("second restore: %v, %d present", err, plan.Count(vault.Present))
		}
		after, _ := os.ReadFile(s.Path())
		if !bytes.Equal(before, after) {
			t.Error("a restore of accounts already present saved the vault")
		}
	})

	t.Run("bad input changes nothing", func(t *testing.T) {
		s := bkRealStore(t, "here")
		bkAdd(t, s, local)
		before, _ := os.ReadFile(s.Path())
		data, _ := os.ReadFile(path)
		dir := t.TempDir()
		cases := map[string][]byte{
			"truncated":  data[:len(data)/2],
			"changed":    append(bytes.Clone(data[:len(data)-60]), append([]byte{data[len(data)-60] ^ 1}, data[len(data)-59:]...)...),
			"not backup": []byte("hello"),
			"newer":      bytes.Replace(data, []byte(" v1\n"), []byte(" v7\n"), 1),
		}
		for name, bad := range cases {
			p := filepath.Join(dir, name)
			os.WriteFile(p, bad, 0o600)
			if _, err := bkRestore(s, p, bkPass, vault.RefuseConflicts); !bkIsBad(err) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := bkRestore(s, path, "wrong", vault.RefuseConflicts); !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("wrong passphrase: %v", err)
		}
		if _, err := bkRestore(s, filepath.Join(dir, "missing", "b"+Ext), bkPass, vault.RefuseConflicts); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("missing folder: %v", err)
		}
		after, _ := os.ReadFile(s.Path())
		if !bytes.Equal(before, after) {
			t.Error("bad input changed the vault file")
		}
	})
}

// TestDeviceBoundCompleted: after a restore, a device-bound account has no
// code until a fresh otpauth URI for the same issuer and name completes it
// with this device's own credential.
func TestDeviceBoundCompleted(t *testing.T) {
	_, old, path := bkExport(t)
	s := bkRealStore(t, "new desktop")
	if _, err := bkRestore(s, path, bkPass, vault.RefuseConflicts); err != nil {
		t.Fatal(err)
	}
	v, _ := s.Load()
	bank := v.Accounts[4]
	if bank.Issuer != "Bank" || !bank.NeedsVerification || bank.Secret != nil {
		t.Fatalf("restored: %+v", bank)
	}
	if _, err := bank.Code(bkAt); !errors.Is(err, vault.ErrNeedsVerification) {
		t.Errorf("code of a needs-verification account: %v", err)
	}
	fresh, err := vault.ParseURI("otpauth://totp/Bank:ann?secret=KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ")
	if err != nil {
		t.Fatal(err)
	}
	var plan vault.Plan
	v, err = s.Update(func(v *vault.Vault) error {
		plan = v.Plan([]vault.Account{fresh})
		_, err := v.Apply(plan, vault.RefuseConflicts, bkAt)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Items[0].Disposition != vault.Completes {
		t.Fatalf("disposition %v", plan.Items[0].Disposition)
	}
	bank = v.Accounts[4]
	code, err := bank.Code(bkAt)
	if err != nil || bank.NeedsVerification || bank.Binding != vault.DeviceBound || !bytes.Equal(bank.Secret, fresh.Secret) {
		t.Fatalf("completed: %+v, %v", bank, err)
	}
	oldCode, _ := old.Accounts[4].Code(bkAt)
	if code == oldCode {
		t.Error("the new device's code equals the old device's")
	}
	if len(v.Accounts) != 5 {
		t.Errorf("%d accounts after completing", len(v.Accounts))
	}
}
