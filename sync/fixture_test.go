package sync

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"filippo.io/age"

	"authdeck/vault"
)

var update = flag.Bool("update", false, "rewrite testdata/device-v1.age")

// fixtureIdentity is the sync identity of testdata/device-v1.age.
const fixtureIdentity = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"

// TestDeviceFileV1 reads a device file of format version 1 kept as it was
// written: what every later version must still read.
func TestDeviceFileV1(t *testing.T) {
	id, err := age.ParseX25519Identity(fixtureIdentity)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "device-v1.age")
	if *update {
		v := &vault.Vault{Device: vault.Device{ID: "0123456789abcdef01234567", Name: "laptop"}, Sync: vault.Replica{Dir: "/x", Identity: id.String()}}
		gh, bank := account("GitHub", "alice", "secret-1"), account("Bank", "bob", "secret-2")
		gh.ID, bank.ID = "5f0c1e0000000000000000a1", "5f0c1e0000000000000000b2"
		bank.Type, bank.Counter = vault.HOTP, 7
		bank.Normalize()
		v.Accounts = []vault.Account{gh, bank}
		v.Settle(nil, t0)
		before := v.Accounts
		v.Remove(bank.ID)
		v.Settle(before, t0)
		data, err := Encode(Snapshot(v, t0), id)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := Decode(mustRead(t, path), id)
	if err != nil {
		t.Fatal(err)
	}
	if f.Version != 1 || f.Device != (vault.Device{ID: "0123456789abcdef01234567", Name: "laptop"}) || !f.Written.Equal(t0) || len(f.Accounts) != 2 {
		t.Fatalf("read %+v", f)
	}
	w := &vault.Vault{Device: vault.Device{ID: "aa", Name: "x"}, Sync: vault.Replica{Dir: "/x", Identity: id.String()}}
	r := Merge(w, []*File{f}, t0)
	gh := find(w, "GitHub")
	if r.Added != 1 || gh == nil || gh.Name != "alice" || string(gh.Secret) != "secret-1" || len(w.Trash) != 1 {
		t.Fatalf("merged %+v: accounts %+v, trash %+v", r, w.Accounts, w.Trash)
	}
	if bank := w.Trash[0].Account; bank.Issuer != "Bank" || bank.Type != vault.HOTP || bank.Counter != 7 || string(bank.Secret) != "secret-2" {
		t.Errorf("Recently deleted holds %+v", bank)
	}
}
