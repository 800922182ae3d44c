package sync

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"filippo.io/age"

	"authdeck/internal/testenv"
	"authdeck/vault"
)

// BenchmarkMerge3x1000 merges the files of three devices with 1,000 accounts
// each (500 shared by all, 500 of their own, with edits) into a fourth
// vault: reading the files from the folder, authenticating and decrypting
// them and the merge, everything after the one scrypt of a join.
func BenchmarkMerge3x1000(b *testing.B) {
	id, ds, clock := threeDeviceFiles(b)
	target := ds[3]
	defer testenv.CPU(b)()
	b.ResetTimer()
	for b.Loop() {
		v := *target.v
		if r := mergeFolder(b, &v, id, *clock, map[string]bool{}); r.Added != 2000 {
			b.Fatalf("added %d, want 2000", r.Added)
		}
	}
}

// BenchmarkMerge3x1000Again merges the same three files into a vault that
// has merged them before: what the window does when it opens, and when a
// file lands that changed nothing.
func BenchmarkMerge3x1000Again(b *testing.B) {
	id, ds, clock := threeDeviceFiles(b)
	target := ds[3]
	merged := map[string]bool{}
	mergeFolder(b, target.v, id, *clock, merged)
	defer testenv.CPU(b)()
	b.ResetTimer()
	for b.Loop() {
		v := *target.v
		v.Accounts = slices.Clone(target.v.Accounts)
		if r := mergeFolder(b, &v, id, *clock, maps.Clone(merged)); r.Added != 0 || len(r.Unchanged) != 3 {
			b.Fatalf("added %d, %d files unchanged; want 0 and 3", r.Added, len(r.Unchanged))
		}
	}
}

// BenchmarkMerge3x1000OneChanged merges the three files after one of the
// devices renamed an account: what the window does each time a file lands.
func BenchmarkMerge3x1000OneChanged(b *testing.B) {
	id, ds, clock := threeDeviceFiles(b)
	target := ds[3]
	merged := map[string]bool{}
	mergeFolder(b, target.v, id, *clock, merged)
	*clock = clock.Add(time.Minute)
	ds[0].change(b, func(v *vault.Vault) { v.Accounts[0].Name = "renamed" })
	writeDeviceFile(b, ds[0].v, id, *clock)
	var cpu time.Duration
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		v := deepCopy(b, target.v) // the merge changes the registers it shares
		b.StartTimer()
		start := testenv.CPUTime()
		if r := mergeFolder(b, v, id, *clock, maps.Clone(merged)); r.Changed != 1 || len(r.Unchanged) != 2 {
			b.Fatalf("changed %d, %d files unchanged; want 1 and 2", r.Changed, len(r.Unchanged))
		}
		cpu += testenv.CPUTime() - start
	}
	b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkNowUnchanged3x1000 is the whole of a merge when no file changed
// since the last: what the window does when a file of its own lands, or one
// that changed nothing. The vault of 2,000 accounts merged the three files
// of 1,000 accounts before; this loads it, looks at the folder, records the
// merge in the status file and writes nothing.
func BenchmarkNowUnchanged3x1000(b *testing.B) {
	id, ds, clock := threeDeviceFiles(b)
	store := vault.NewStore(b.TempDir(), vault.Options{Keychain: memKeychain{}})
	if _, err := store.Update(func(v *vault.Vault) error {
		v.Device = vault.Device{ID: fmt.Sprintf("%024x", 4), Name: "pc4"}
		v.Sync = vault.Replica{Dir: ds[0].v.Sync.Dir, Identity: id.String()}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	if r, err := Now(store, *clock); err != nil || r.Added != 2000 {
		b.Fatalf("first merge: %+v, %v", r.Report, err)
	}
	defer testenv.CPU(b)()
	b.ResetTimer()
	for b.Loop() {
		if r, err := Now(store, *clock); err != nil || len(r.Unchanged) != 3 {
			b.Fatalf("%+v, %v; want the 3 files unchanged", r, err)
		}
	}
}

// memKeychain keeps keys in memory, for benchmarks of a store.
type memKeychain map[string]string

func (k memKeychain) Get(service, user string) (string, error) {
	if s, ok := k[service+"\x00"+user]; ok {
		return s, nil
	}
	return "", vault.ErrNoKey
}

func (k memKeychain) Set(service, user, secret string) error {
	k[service+"\x00"+user] = secret
	return nil
}

func (k memKeychain) Delete(service, user string) error {
	delete(k, service+"\x00"+user)
	return nil
}

// mergeFolder merges v's synced folder into v as a merge does, skipping the
// files in merged, and adds those it merged.
func mergeFolder(b *testing.B, v *vault.Vault, id *age.X25519Identity, now time.Time, merged map[string]bool) Result {
	files, _, res := readFolder(v, id, merged)
	if len(res.Rejected) > 0 {
		b.Fatal(res.Rejected)
	}
	res.Report = Merge(v, files, now)
	for _, f := range files {
		merged[f.digest] = true
	}
	return res
}

func deepCopy(b *testing.B, v *vault.Vault) *vault.Vault {
	data, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	c := new(vault.Vault)
	if err := json.Unmarshal(data, c); err != nil {
		b.Fatal(err)
	}
	return c
}

func writeDeviceFile(b *testing.B, v *vault.Vault, id *age.X25519Identity, now time.Time) {
	data, err := Encode(Snapshot(v, now), id)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(v.Sync.Dir, FileName(v.Device)), data, 0o600); err != nil {
		b.Fatal(err)
	}
}

// threeDeviceFiles writes the files of three devices with 1,000 accounts
// each (500 shared by all, 500 of their own, 100 edited) into a folder, and
// returns them with a fourth device to merge them into, all syncing through
// that folder, and their clock.
func threeDeviceFiles(b *testing.B) (*age.X25519Identity, []*device, *time.Time) {
	id := testIdentity(b)
	clock := new(time.Time)
	*clock = t0
	ds := newDevices(b, 4, id, clock)
	dir := b.TempDir()
	for _, d := range ds {
		d.v.Sync.Dir = dir
	}
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
		*clock = clock.Add(time.Second)
		d.change(b, func(v *vault.Vault) {
			for i := range 100 {
				v.Accounts[i].Name = fmt.Sprintf("edited on %d", n)
			}
		})
	}
	for _, d := range ds[:3] {
		writeDeviceFile(b, d.v, id, *clock)
	}
	return id, ds, clock
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
