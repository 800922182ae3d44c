package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"authdeck/internal/testenv"
	"authdeck/vault"
)

// TestCodeAppliesCorrection checks authdeck code against a fixed clock: the
// code is the one for the corrected time, and --at is never corrected.
func TestCodeAppliesCorrection(t *testing.T) {
	testenv.SecretService(t)
	clock := time.Date(2026, 12, 3, 18, 0, 10, 0, time.UTC)
	now := func() time.Time { return clock }
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, now: now, store: vault.NewStore(t.TempDir(), vault.Options{Now: now})}
	a := vault.Account{ID: vault.NewID(), Issuer: "ACME", Name: "jo", Secret: []byte("12345678901234567890")}
	a.Normalize()
	if _, err := e.store.Update(func(v *vault.Vault) error { v.Accounts = append(v.Accounts, a); return nil }); err != nil {
		t.Fatal(err)
	}
	code := func(args ...string) string {
		t.Helper()
		stdout.Reset()
		stderr.Reset()
		if err := commands["code"].run(e, args); err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(stdout.String())
	}
	want := func(at time.Time) string {
		c, err := a.Code(at)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if got := code("acme"); got != want(clock) {
		t.Fatalf("uncorrected: %s, want %s", got, want(clock))
	}
	if err := e.store.SetClockCorrection(vault.ClockCorrection{Offset: 42 * time.Second}); err != nil {
		t.Fatal(err)
	}
	corrected := clock.Add(42 * time.Second) // the next 30 s step
	if want(corrected) == want(clock) {
		t.Fatal("the test's times give the same code")
	}
	if got := code("acme"); got != want(corrected) {
		t.Errorf("corrected by +42 s: %s, want %s", got, want(corrected))
	}
	if !strings.Contains(stderr.String(), "corrected by +42 s") {
		t.Errorf("no note of the correction: %q", stderr.String())
	}
	at := "1970-01-01T00:00:59Z"
	if got := code("acme", "--at", at); got != "287082" {
		t.Errorf("--at with a correction in force: %s, want RFC 6238's 287082", got)
	}
}

func TestFormatOffset(t *testing.T) {
	for d, want := range map[time.Duration]string{
		42 * time.Second:         "+42",
		-75 * time.Second:        "-75",
		0:                        "+0",
		400 * time.Millisecond:   "+0",
		-400 * time.Millisecond:  "+0",
		1500 * time.Millisecond:  "+2",
		-2500 * time.Millisecond: "-3",
	} {
		if got := formatOffset(d); got != want {
			t.Errorf("formatOffset(%v) = %q, want %q", d, got, want)
		}
	}
}
