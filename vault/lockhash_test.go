package vault

import (
	"errors"
	"strings"
	"testing"
)

func TestLockPassphrase(t *testing.T) {
	h, err := HashLockPassphrase("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, "correct horse") || !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=2,p=1$") {
		t.Fatalf("hash %q", h)
	}
	if err := CheckLockPassphrase(h, "correct horse"); err != nil {
		t.Errorf("the right passphrase: %v", err)
	}
	if err := CheckLockPassphrase(h, "correct horsE"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("a wrong passphrase: %v", err)
	}
	h2, _ := HashLockPassphrase("correct horse")
	if h2 == h {
		t.Error("two hashes of one passphrase are equal: no salt")
	}
	if _, err := HashLockPassphrase(""); !errors.Is(err, ErrPassphraseNeeded) {
		t.Errorf("an empty passphrase: %v", err)
	}
}

func TestLockHashBounded(t *testing.T) {
	salt, sum := "c2FsdHNhbHRzYWx0c2FsdA", "c3Vtc3Vtc3Vtc3Vtc3Vtc3Vtc3Vtc3Vtc3Vtc3U"
	for _, h := range []string{
		"",
		"$argon2i$v=19$m=65536,t=2,p=1$" + salt + "$" + sum,
		"$argon2id$v=16$m=65536,t=2,p=1$" + salt + "$" + sum,
		"$argon2id$v=19$m=4194304,t=2,p=1$" + salt + "$" + sum, // 4 GiB
		"$argon2id$v=19$m=65536,t=1000,p=1$" + salt + "$" + sum,
		"$argon2id$v=19$m=65536,t=2,p=255$" + salt + "$" + sum,
		"$argon2id$v=19$m=65536,t=2,p=0$" + salt + "$" + sum,
		"$argon2id$v=19$m=65536,t=2,p=1,x=1$" + salt + "$" + sum,
		"$argon2id$v=19$m=065536,t=2,p=1$" + salt + "$" + sum,
		"$argon2id$v=19$m=65536,t=2,p=1$$" + sum,
		"$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$c3Vt",
		"$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$" + sum + "$",
	} {
		if err := CheckLockPassphrase(h, "x"); !errors.Is(err, ErrBadLockHash) {
			t.Errorf("%q: %v, want ErrBadLockHash", h, err)
		}
	}
}

func FuzzLockHash(f *testing.F) {
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$c3Vtc3Vtc3Vtc3Vtc3Vtc3Vtc3Vt")
	f.Add("$argon2id$v=19$m=524288,t=16,p=16$c2FsdHNhbHQ$c3Vtc3Vtc3Vtc3Vtc3Vtc3Vtc3Vt")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := parseLockHash(s)
		if err != nil {
			return
		}
		if h.memory > lockHashMaxMemory || h.time > lockHashMaxTime || h.lanes > lockHashMaxLanes {
			t.Fatalf("%q: over the bound: %+v", s, h)
		}
		if got := formatLockHash(h); got != s {
			t.Fatalf("%q read back as %q", s, got)
		}
	})
}
