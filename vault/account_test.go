package vault

import (
	"errors"
	"math"
	"testing"
)

// TestNormalizeCleansLabels is the manual entry point: an account typed or
// pasted in by hand loses control characters and invalid UTF-8 from its
// issuer, name and group, and keeps every other character.
func TestNormalizeCleansLabels(t *testing.T) {
	a := Account{Issuer: " \x1b[2JEvil\x00 ", Name: "ann\u202e\x07\xff@example.com\n", Group: "work\r\u2028", Secret: []byte("k")}
	a.Normalize()
	if a.Issuer != "[2JEvil" || a.Name != "ann\u202e@example.com" || a.Group != "work" {
		t.Errorf("issuer %q, name %q, group %q", a.Issuer, a.Name, a.Group)
	}
	b := Account{Issuer: "Zürich ☃ 東京", Name: "x y", Secret: []byte("k")}
	b.Normalize()
	if b.Issuer != "Zürich ☃ 東京" || b.Name != "x y" {
		t.Errorf("ordinary characters changed: %q, %q", b.Issuer, b.Name)
	}
	c := Account{Name: "\x00\x1b", Secret: []byte("k")}
	c.Normalize()
	if err := c.Validate(); err == nil {
		t.Error("a name of control characters alone is valid")
	}
}

// TestValidateCounter refuses an HOTP counter that cannot advance.
func TestValidateCounter(t *testing.T) {
	a := Account{Name: "x", Type: HOTP, Counter: math.MaxUint64, Secret: []byte("k")}
	a.Normalize()
	if err := a.Validate(); !errors.Is(err, ErrCounterTooLarge) {
		t.Errorf("counter 2^64-1: %v, want ErrCounterTooLarge", err)
	}
	a.Counter = math.MaxUint64 - 1
	if err := a.Validate(); err != nil {
		t.Errorf("counter 2^64-2: %v", err)
	}
}

// TestValidateDigits accepts 4 to 10 digits, and 5 characters for Steam.
func TestValidateDigits(t *testing.T) {
	for d := 0; d <= 12; d++ {
		a := Account{Name: "x", Type: TOTP, Digits: d, Secret: []byte("k")}
		if d == 0 {
			a.Digits = -1
		}
		a.Normalize()
		err := a.Validate()
		if ok := d >= MinDigits && d <= MaxDigits; ok != (err == nil) {
			t.Errorf("%d digits: %v", d, err)
		}
	}
}
