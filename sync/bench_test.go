package sync

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"filippo.io/age"

	"authdeck/vault"
)

// BenchmarkMerge3x1000 merges the files of three devices with 1,000 accounts
// each (500 shared by all, 500 of their own, with edits) into a fourth
// vault: reading, authenticating and decrypting the files and the merge,
// everything after the one scrypt of a join.
func BenchmarkMerge3x1000(b *testing.B) {
	id, data, target, clock := threeDeviceFiles(b)
	b.ResetTimer()
	for b.Loop() {
		v := *target.v
		r := Merge(&v, decodeAll(b, data, id), clock)
		if r.Added != 2000 {
			b.Fatalf("added %d, want 2000", r.Added)
		}
	}
}

// BenchmarkMerge3x1000Again merges the same three files into a vault that
// has merged them before: what the window does each time a file lands.
func BenchmarkMerge3x1000Again(b *testing.B) {
	id, data, target, clock := threeDeviceFiles(b)
	Merge(target.v, decodeAll(b, data, id), clock)
	edited := *target.v
	edited.Accounts = slices.Clone(target.v.Accounts)
	b.ResetTimer()
	for b.Loop() {
		v := edited
		v.Accounts = slices.Clone(edited.Accounts)
		r := Merge(&v, decodeAll(b, data, id), clock)
		if r.Added != 0 {
			b.Fatalf("added %d, want 0", r.Added)
		}
	}
}

func decodeAll(b *testing.B, data [][]byte, id *age.X25519Identity) []*File {
	var files []*File
	for _, d := range data {
		f, err := Decode(d, id)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

// threeDeviceFiles returns the files of three devices with 1,000 accounts
// each (500 shared by all, 500 of their own, 100 edited), and a fourth
// device to merge them into.
func threeDeviceFiles(b *testing.B) (*age.X25519Identity, [][]byte, *device, time.Time) {
	id := testIdentity(b)
	clock := t0
	ds := newDevices(b, 4, id, &clock)
	shared := make([]vault.Account, 500)
	for i := range shared {
		shared[i] = account(fmt.Sprintf("Shared%d", i), "me", fmt.Sprintf("shared-%d", i))
	}
	for n, d := range ds[:3] {
		d.change(b, func(v *vault.Vault) {
			v.Accounts = append(v.Accounts, shared...)
			for i := range 500 {
				v.Accounts = append(v.Accounts, account(fmt.Sprintf("Own%d-%d", n, i), "me", fmt.Sprintf("own-%d-%d", n, i)))
			}
		})
		clock = clock.Add(time.Second)
		d.change(b, func(v *vault.Vault) {
			for i := range 100 {
				v.Accounts[i].Name = fmt.Sprintf("edited on %d", n)
			}
		})
	}
	var data [][]byte
	for _, d := range ds[:3] {
		f, err := Encode(Snapshot(d.v, clock), id)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, f)
	}
	return id, data, ds[3], clock
}

// BenchmarkSettle1000 is what sync adds to every save of a vault of 1,000
// accounts: finding the changed fields and stamping them.
func BenchmarkSettle1000(b *testing.B) {
	id := testIdentity(b)
	clock := t0
	d := newDevices(b, 1, id, &clock)[0]
	d.change(b, func(v *vault.Vault) {
		for i := range 1000 {
			v.Accounts = append(v.Accounts, account(fmt.Sprintf("Own%d", i), "me", fmt.Sprintf("own-%d", i)))
		}
	})
	i := 0
	for b.Loop() {
		i++
		d.change(b, func(v *vault.Vault) { v.Accounts[i%1000].Name = fmt.Sprint("renamed ", i) })
	}
}
