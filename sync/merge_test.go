package sync

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"filippo.io/age"

	"authdeck/vault"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// device is one computer of a simulated sync: its vault, its clock (which
// may be wrong) and every secret it ever held.
type device struct {
	v     *vault.Vault
	skew  time.Duration
	held  map[string]bool
	clock *time.Time
}

func newDevices(t testing.TB, n int, id *age.X25519Identity, clock *time.Time) []*device {
	t.Helper()
	var ds []*device
	for i := range n {
		v := &vault.Vault{Version: vault.FormatVersion, Device: vault.Device{ID: fmt.Sprintf("%024x", i+1), Name: fmt.Sprintf("pc%d", i+1)}}
		v.Sync = vault.Replica{Dir: "/sync", Identity: id.String()}
		ds = append(ds, &device{v: v, held: map[string]bool{}, clock: clock})
	}
	return ds
}

func (d *device) now() time.Time { return d.clock.Add(d.skew) }

// change runs a local change and settles it, as Store.Update does.
func (d *device) change(t testing.TB, fn func(v *vault.Vault)) {
	t.Helper()
	before := slices.Clone(d.v.Accounts)
	fn(d.v)
	d.v.Revision++
	d.v.Settle(before, d.now())
	d.note()
}

func (d *device) note() {
	for _, a := range d.v.Accounts {
		d.held[string(a.Secret)] = true
	}
}

// file returns the device file as another device reads it, through the
// encoding.
func (d *device) file(t testing.TB, id *age.X25519Identity) *File {
	t.Helper()
	data, err := Encode(Snapshot(d.v, d.now()), id)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Decode(data, id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (d *device) merge(t testing.TB, files ...*File) Report {
	t.Helper()
	var r Report
	d.change(t, func(v *vault.Vault) { r = Merge(v, files, d.now()) })
	return r
}

func account(issuer, name, secret string) vault.Account {
	a := vault.Account{ID: vault.NewID(), Issuer: issuer, Name: name, Secret: []byte(secret), Created: t0}
	a.Normalize()
	return a
}

func testIdentity(t testing.TB) *age.X25519Identity {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func find(v *vault.Vault, issuer string) *vault.Account {
	for i := range v.Accounts {
		if v.Accounts[i].Issuer == issuer {
			return &v.Accounts[i]
		}
	}
	return nil
}

func TestMergeFieldsAndDeletes(t *testing.T) {
	id := testIdentity(t)
	clock := t0
	ds := newDevices(t, 2, id, &clock)
	a, b := ds[0], ds[1]
	gh := account("GitHub", "alice", "secret-1")
	a.change(t, func(v *vault.Vault) { v.Accounts = append(v.Accounts, gh) })
	b.merge(t, a.file(t, id))
	if got := find(b.v, "GitHub"); got == nil || got.ID != gh.ID {
		t.Fatalf("b did not get the account: %+v", b.v.Accounts)
	}

	// Concurrent edits of different fields both survive.
	clock = clock.Add(time.Minute)
	a.change(t, func(v *vault.Vault) { find(v, "GitHub").Name = "alice@work" })
	b.change(t, func(v *vault.Vault) { find(v, "GitHub").Group = "Work" })
	fa, fb := a.file(t, id), b.file(t, id)
	a.merge(t, fb)
	b.merge(t, fa)
	for _, d := range ds {
		got := find(d.v, "GitHub")
		if got.Name != "alice@work" || got.Group != "Work" {
			t.Errorf("%s: got %q/%q, want both edits", d.v.Device.Name, got.Name, got.Group)
		}
	}

	// A deletion puts the account in Recently deleted everywhere; a restore
	// brings it back everywhere.
	clock = clock.Add(time.Minute)
	a.change(t, func(v *vault.Vault) { v.Remove(gh.ID) })
	b.merge(t, a.file(t, id))
	if len(b.v.Accounts) != 0 || b.v.TrashIndex(gh.ID) < 0 {
		t.Fatalf("b: accounts %v, trash %v; want the account in Recently deleted", b.v.Accounts, b.v.Trash)
	}
	clock = clock.Add(time.Minute)
	b.change(t, func(v *vault.Vault) {
		if err := v.Restore(gh.ID); err != nil {
			t.Fatal(err)
		}
	})
	r := a.merge(t, b.file(t, id))
	if r.Restored != 1 || find(a.v, "GitHub") == nil || len(a.v.Trash) != 0 {
		t.Fatalf("a after the restore: %+v, trash %v", r, a.v.Trash)
	}
	if want := []DeviceReport{{Device: b.v.Device, Restored: 1}}; !slices.Equal(r.Devices, want) {
		t.Errorf("by device: %+v, want %+v", r.Devices, want)
	}
}

func TestMergeClockAhead(t *testing.T) {
	id := testIdentity(t)
	clock := t0
	ds := newDevices(t, 2, id, &clock)
	fast, slow := ds[0], ds[1]
	fast.skew = 2 * time.Hour // this computer's clock is wrong
	gh := account("GitHub", "alice", "secret-1")
	fast.change(t, func(v *vault.Vault) { v.Accounts = append(v.Accounts, gh) })
	slow.merge(t, fast.file(t, id))
	// The slow computer renames after it has seen the fast one's change: its
	// rename wins although its clock says it happened two hours earlier.
	clock = clock.Add(time.Minute)
	slow.change(t, func(v *vault.Vault) { find(v, "GitHub").Name = "renamed later" })
	fast.merge(t, slow.file(t, id))
	if got := find(fast.v, "GitHub").Name; got != "renamed later" {
		t.Errorf("name on the fast computer = %q; the later change lost to a clock", got)
	}
}

func TestMergeHOTPCounterNeverGoesBack(t *testing.T) {
	id := testIdentity(t)
	clock := t0
	ds := newDevices(t, 2, id, &clock)
	a, b := ds[0], ds[1]
	h := account("Bank", "bob", "hotp-secret")
	h.Type, h.Counter = vault.HOTP, 5
	h.Normalize()
	a.change(t, func(v *vault.Vault) { v.Accounts = append(v.Accounts, h) })
	b.merge(t, a.file(t, id))
	for range 3 {
		a.change(t, func(v *vault.Vault) { v.NextHOTP(h.ID, a.now()) })
	}
	clock = clock.Add(time.Minute)
	b.change(t, func(v *vault.Vault) { v.NextHOTP(h.ID, b.now()) }) // later, but a lower counter
	fa, fb := a.file(t, id), b.file(t, id)
	a.merge(t, fb)
	b.merge(t, fa)
	for _, d := range ds {
		if got := find(d.v, "Bank").Counter; got != 8 {
			t.Errorf("%s: counter %d, want 8", d.v.Device.Name, got)
		}
	}
}

func TestMergeOneSecretTwoIDs(t *testing.T) {
	id := testIdentity(t)
	clock := t0
	ds := newDevices(t, 2, id, &clock)
	a, b := ds[0], ds[1]
	x, y := account("GitHub", "alice", "same"), account("GitHub", "alice (laptop)", "same")
	a.change(t, func(v *vault.Vault) { v.Accounts = append(v.Accounts, x) })
	b.change(t, func(v *vault.Vault) { v.Accounts = append(v.Accounts, y) })
	converge(t, id, ds)
	keep := min(x.ID, y.ID)
	for _, d := range ds {
		if len(d.v.Accounts) != 1 || d.v.Accounts[0].ID != keep {
			t.Errorf("%s: accounts %v, want only %s", d.v.Device.Name, d.v.Accounts, keep)
		}
		if len(d.v.Trash) != 1 || d.v.Trash[0].DuplicateOf != keep {
			t.Errorf("%s: trash %+v, want the other as a duplicate", d.v.Device.Name, d.v.Trash)
		}
	}
}

func TestMergeTwoSecretsKeepBoth(t *testing.T) {
	id := testIdentity(t)
	clock := t0
	ds := newDevices(t, 2, id, &clock)
	a, b := ds[0], ds[1]
	// The same login added on each computer with another secret: a conflict
	// under the vault's rule, so both are kept and reported.
	a.change(t, func(v *vault.Vault) { v.Accounts = append(v.Accounts, account("GitHub", "alice", "one")) })
	b.change(t, func(v *vault.Vault) { v.Accounts = append(v.Accounts, account("GitHub", "alice", "two")) })
	r := b.merge(t, a.file(t, id))
	if len(r.Conflicts) != 1 {
		t.Errorf("report %+v, want one conflict", r)
	}
	converge(t, id, ds)
	for _, d := range ds {
		if len(d.v.Accounts) != 2 {
			t.Errorf("%s: %d accounts, want both", d.v.Device.Name, len(d.v.Accounts))
		}
	}

	// One account ID given two secrets (a needs-verification account
	// completed differently, or a tampered copy): both secrets stay.
	c := account("Proton", "carol", "first")
	a.change(t, func(v *vault.Vault) { v.Accounts = append(v.Accounts, c) })
	converge(t, id, ds)
	clock = clock.Add(time.Minute)
	a.change(t, func(v *vault.Vault) { a2, _ := v.Account(c.ID); a2.Secret = []byte("second-a") })
	b.change(t, func(v *vault.Vault) { b2, _ := v.Account(c.ID); b2.Secret = []byte("second-b") })
	converge(t, id, ds)
	for _, d := range ds {
		for _, s := range []string{"second-a", "second-b"} {
			if !hasSecret(d.v.Accounts, s) {
				t.Errorf("%s lost secret %q: %v", d.v.Device.Name, s, d.v.Accounts)
			}
		}
	}
}

func hasSecret(as []vault.Account, s string) bool {
	return slices.ContainsFunc(as, func(a vault.Account) bool { return string(a.Secret) == s })
}

func TestDeviceBoundNeverInFile(t *testing.T) {
	id := testIdentity(t)
	clock := t0
	ds := newDevices(t, 1, id, &clock)
	bound := account("Bank", "device", "bound-secret")
	bound.Binding = vault.DeviceBound
	ds[0].change(t, func(v *vault.Vault) { v.Accounts = append(v.Accounts, bound, account("GitHub", "a", "portable")) })
	body, _ := json.Marshal(Snapshot(ds[0].v, clock))
	if bytes.Contains(body, []byte(bound.ID)) || bytes.Contains(body, []byte("Bank")) {
		t.Errorf("a device-bound account is in the device file: %s", body)
	}
}

// converge delivers every device's file to every other until nothing
// changes, as a sync engine eventually does.
func converge(t testing.TB, id *age.X25519Identity, ds []*device) {
	t.Helper()
	for range 8 {
		files := make([]*File, len(ds))
		for i, d := range ds {
			files[i] = d.file(t, id)
		}
		before := states(ds)
		for i, d := range ds {
			d.merge(t, slices.Delete(slices.Clone(files), i, i+1)...)
		}
		if after := states(ds); slices.Equal(before, after) && allEqual(after) {
			return
		}
	}
	t.Fatalf("the devices do not converge:\n%s", states(ds))
}

func states(ds []*device) []string {
	var out []string
	for _, d := range ds {
		out = append(out, syncedState(d.v))
	}
	return out
}

func allEqual(s []string) bool {
	for _, x := range s {
		if x != s[0] {
			return false
		}
	}
	return true
}

// syncedState is what must be the same on every device after a sync: accounts
// and their fields in order, Recently deleted and the preferences.
func syncedState(v *vault.Vault) string {
	type acct struct {
		ID, Issuer, Name, Group, Secret string
		Favorite                        bool
		Counter                         uint64
	}
	var s struct {
		Accounts []acct
		Trash    []string
		Prefs    vault.Prefs
	}
	for _, a := range v.Accounts {
		s.Accounts = append(s.Accounts, acct{a.ID, a.Issuer, a.Name, a.Group, string(a.Secret), a.Favorite, a.Counter})
	}
	for _, d := range v.Trash {
		s.Trash = append(s.Trash, d.Account.ID+" "+d.DuplicateOf+" "+string(d.Account.Secret))
	}
	slices.Sort(s.Trash)
	s.Prefs = v.Prefs
	data, _ := json.Marshal(s)
	return string(data)
}

// TestMergeConverges runs random interleavings of adds, edits, deletes,
// restores, moves, HOTP codes and preference changes on three devices whose
// files arrive late, twice, out of order or not at all, and checks that the
// devices end up with the same vault and that no secret any of them held is
// lost (it is in the vault or in Recently deleted).
func TestMergeConverges(t *testing.T) {
	id := testIdentity(t)
	runs := 60
	if testing.Short() {
		runs = 10
	}
	for seed := range runs {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { convergeRun(t, id, uint64(seed)) })
	}
}

func convergeRun(t *testing.T, id *age.X25519Identity, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 42))
	clock := t0
	ds := newDevices(t, 3, id, &clock)
	ds[1].skew = time.Hour      // a clock ahead
	ds[2].skew = -3 * time.Hour // and one behind
	var sent []*File            // every file ever written, for late and repeated delivery
	secrets := []string{"s1", "s2", "s3", "s4", "s5", "s6"}
	issuers := []string{"GitHub", "GitLab", "Proton"}
	pick := func(v *vault.Vault) *vault.Account {
		if len(v.Accounts) == 0 {
			return nil
		}
		return &v.Accounts[rng.IntN(len(v.Accounts))]
	}
	for range 40 {
		clock = clock.Add(time.Duration(rng.IntN(5000)) * time.Millisecond)
		d := ds[rng.IntN(len(ds))]
		switch op := rng.IntN(10); op {
		case 0, 1:
			d.change(t, func(v *vault.Vault) {
				a := account(issuers[rng.IntN(len(issuers))], "user", secrets[rng.IntN(len(secrets))])
				if rng.IntN(3) == 0 {
					a.Type = vault.HOTP
					a.Normalize()
				}
				a.Created = d.now()
				v.Accounts = append(v.Accounts, a)
			})
		case 2:
			d.change(t, func(v *vault.Vault) {
				if a := pick(v); a != nil {
					a.Name = fmt.Sprintf("name%d", rng.IntN(100))
				}
			})
		case 3:
			d.change(t, func(v *vault.Vault) {
				if a := pick(v); a != nil {
					a.Group, a.Favorite = fmt.Sprintf("g%d", rng.IntN(3)), rng.IntN(2) == 0
				}
			})
		case 4:
			d.change(t, func(v *vault.Vault) {
				if a := pick(v); a != nil {
					v.Remove(a.ID)
				}
			})
		case 5:
			d.change(t, func(v *vault.Vault) {
				if len(v.Trash) > 0 {
					v.Restore(v.Trash[rng.IntN(len(v.Trash))].Account.ID)
				}
			})
		case 6:
			d.change(t, func(v *vault.Vault) {
				if a := pick(v); a != nil {
					v.Move(a.ID, rng.IntN(len(v.Accounts)))
				}
			})
		case 7:
			d.change(t, func(v *vault.Vault) {
				if a := pick(v); a != nil && a.Type == vault.HOTP {
					v.NextHOTP(a.ID, d.now())
				}
			})
		case 8:
			d.change(t, func(v *vault.Vault) { v.Prefs.Theme = []string{"light", "dark", "system"}[rng.IntN(3)] })
		case 9:
			sent = append(sent, d.file(t, id))
			// Deliver a random handful of files, old and new, in any order,
			// some twice, to a random device.
			to := ds[rng.IntN(len(ds))]
			var batch []*File
			for range rng.IntN(4) {
				batch = append(batch, sent[rng.IntN(len(sent))])
			}
			to.merge(t, batch...)
		}
	}
	converge(t, id, ds)
	for _, d := range ds {
		have := map[string]bool{}
		for _, a := range d.v.Accounts {
			have[string(a.Secret)] = true
		}
		for _, x := range d.v.Trash {
			have[string(x.Account.Secret)] = true
		}
		for _, o := range ds {
			for s := range o.held {
				if !have[s] {
					t.Errorf("%s lost secret %q that %s held", d.v.Device.Name, s, o.v.Device.Name)
				}
			}
		}
	}
}
