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
