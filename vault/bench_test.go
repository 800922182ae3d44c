package vault

import (
	"strconv"
	"testing"
	"time"
)

// benchStore returns a store with a saved vault of n accounts; its key has
// been read from the keychain once, so the benchmarks leave that call out.
func benchStore(b *testing.B, n int) *Store {
	s := newRealStore(b)
	accounts := make([]Account, n)
	for i := range accounts {
		accounts[i] = acct("Issuer "+strconv.Itoa(i%50), "user"+strconv.Itoa(i)+"@example.com", "secret number "+strconv.Itoa(i))
	}
	mustUpdate(b, s, addAccounts(accounts...))
	if _, err := s.Load(); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkOpen1000 opens a vault of 1,000 accounts and makes every code.
func BenchmarkOpen1000(b *testing.B) {
	s := benchStore(b, 1000)
	now := time.Now()
	b.ResetTimer()
	for b.Loop() {
		v, err := s.Load()
		if err != nil {
			b.Fatal(err)
		}
		for i := range v.Accounts {
			if _, err := v.Accounts[i].Code(now); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkSave1000 saves a vault of 1,000 accounts as Update does: encrypt,
// keep the previous file, write, fsync and rename.
func BenchmarkSave1000(b *testing.B) {
	s := benchStore(b, 1000)
	v, prev, err := s.load()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if err := s.save(v, prev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSeal1000 is the part of a save before the disk: JSON and age.
func BenchmarkSeal1000(b *testing.B) {
	s := benchStore(b, 1000)
	v, _ := s.Load()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.seal(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlan100000 plans a restore of 100,000 incoming accounts into a
// vault of 10,000: a tenth already there, a tenth in conflict, the rest new.
func BenchmarkPlan100000(b *testing.B) {
	v := &Vault{}
	for i := range 10_000 {
		v.Accounts = append(v.Accounts, acct("Issuer "+strconv.Itoa(i%50), "user"+strconv.Itoa(i), "local secret "+strconv.Itoa(i)))
	}
	incoming := make([]Account, 100_000)
	for i := range incoming {
		switch {
		case i < 10_000:
			incoming[i] = v.Accounts[i]
		case i < 20_000:
			incoming[i] = acct("Issuer "+strconv.Itoa(i%50), "user"+strconv.Itoa(i-10_000), "another secret "+strconv.Itoa(i))
		default:
			incoming[i] = acct("Issuer "+strconv.Itoa(i%50), "user"+strconv.Itoa(i), "incoming secret "+strconv.Itoa(i))
		}
	}
	b.ResetTimer()
	for b.Loop() {
		p := v.Plan(incoming)
		if p.Count(New) != 80_000 || p.Count(Present) != 10_000 || p.Count(Conflict) != 10_000 {
			b.Fatalf("plan: %d new, %d present, %d conflicts", p.Count(New), p.Count(Present), p.Count(Conflict))
		}
	}
}

// BenchmarkPasswordModeChange is one change to an unlocked password-mode
// vault of 100 accounts at the work factor Authdeck writes: load, change and
// save with both fsyncs, and no scrypt.
func BenchmarkPasswordModeChange(b *testing.B) {
	s := NewStore(b.TempDir(), Options{Keychain: deadKeychain{}, Passphrase: func() (string, error) { return "correct horse", nil }})
	if _, err := s.Init(PasswordMode); err != nil {
		b.Fatal(err)
	}
	for i := range 100 {
		mustUpdate(b, s, addAccounts(acct("Issuer", "user"+strconv.Itoa(i), "secret "+strconv.Itoa(i))))
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		mustUpdate(b, s, func(v *Vault) error { return v.Move(v.Accounts[0].ID, i%100) })
	}
}
