package sync

import (
	"fmt"
	"testing"
	"time"

	"authdeck/vault"
)

// BenchmarkMerge3x1000 merges the files of three devices with 1,000 accounts
// each (500 shared by all, 500 of their own, with edits) into a fourth
// vault: reading, authenticating and decrypting the files and the merge,
// everything after the one scrypt of a join.
func BenchmarkMerge3x1000(b *testing.B) {
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
	target := ds[3]
	b.ResetTimer()
	for b.Loop() {
		v := *target.v
		var files []*File
		for _, d := range data {
			f, err := Decode(d, id)
			if err != nil {
				b.Fatal(err)
			}
			files = append(files, f)
		}
		r := Merge(&v, files, clock)
		if r.Added != 2000 {
			b.Fatalf("added %d, want 2000", r.Added)
		}
	}
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
