package transfer

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"authdeck/vault"
)

// The formats of the apps added beside the first ones: each is written by a generator in its
// own NAME_test.go that follows the app's source (its algorithms, parameters
// and layout, at the lowest KDF cost the app allows where the cost is a
// parameter), in every version found in the app's history. These tests
// import each file, compare every field and a code, and check that a wrong
// password, no password, a truncated file and a tampered file are refused
// with the right error and change nothing.

// fuzzPassword is the password of the encrypted generated files, which the
// fuzz targets give, so that mutations reach the decrypted content.
const fuzzPassword = "s3cret pass"

// formatCases returns a generated file of every version of every format.
func formatCases(t testing.TB) []genCase {
	var cases []genCase
	for _, gen := range []func(testing.TB) []genCase{
		enteCases, bitwardenEncCases, freeotp2Cases, stratumCases, steamCases, lastpassCases,
		winauthCases, authplusCases, totpauthCases, googledbCases, microsoftCases, aegisHTMLCases,
	} {
		cases = append(cases, gen(t)...)
	}
	return cases
}

// withoutGroups returns accounts with no group, for formats that have none.
func withoutGroups(in []vault.Account) []vault.Account {
	out := make([]vault.Account, len(in))
	for i, a := range in {
		a.Group = ""
		out[i] = a
	}
	return out
}

// onlyTypes returns the accounts of the given types.
func onlyTypes(in []vault.Account, types ...vault.Type) []vault.Account {
	var out []vault.Account
	for _, a := range in {
		for _, t := range types {
			if a.Type == t {
				out = append(out, a)
			}
		}
	}
	return out
}

func TestFormats(t *testing.T) {
	lowerKDFBounds(t)
	at := time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC)
	for _, c := range formatCases(t) {
		t.Run(c.name, func(t *testing.T) {
			checkFormat(t, c, at)
			if c.password == "" {
				return
			}
			wrong := 0
			im, err := ImportAccounts(c.data, FormatAuto, func() (string, error) { wrong++; return c.password + "x", nil })
			if !errors.Is(err, ErrWrongPassword) || im != nil {
				t.Errorf("wrong password: %v, want ErrWrongPassword and nothing read", err)
			}
			if wrong > 1 {
				t.Errorf("the password was asked for %d times", wrong)
			}
			if _, err := ImportAccounts(c.data, FormatAuto, nil); !errors.Is(err, ErrPasswordNeeded) {
				t.Errorf("no password: %v, want ErrPasswordNeeded", err)
			}
		})
	}
}

// TestFormatsDamaged cuts every generated file short and flips bytes in it:
// each try fails with an error, or yields fewer accounts (never all of them
// from a cut file); an encrypted file that is damaged never opens; nothing
// panics.
func TestFormatsDamaged(t *testing.T) {
	lowerKDFBounds(t)
	for _, c := range formatCases(t) {
		pass := func() (string, error) { return c.password, nil }
		cuts := 25
		if c.password != "" {
			cuts = 8 // each try of an encrypted file runs its KDF
		}
		step := max(1, len(c.data)/cuts)
		for n := 0; n < len(c.data); n += step {
			im, err := ImportAccounts(c.data[:n], c.format, pass)
			// A cut text file may still hold every line; a cut database
			// may still hold every page of the table.
			whole := c.format == FormatWinAuth || c.format == FormatGoogleDB || c.format == FormatMicrosoft
			if err == nil && len(im.Accounts()) >= len(c.want) && !whole {
				t.Errorf("%s cut to %d bytes: all %d accounts read", c.name, n, len(im.Accounts()))
			}
			if err == nil && c.password != "" {
				t.Errorf("%s cut to %d bytes: the encrypted file opened", c.name, n)
			}
		}
		if c.password == "" {
			continue
		}
		for i := len(c.data) / 2; i < len(c.data); i += max(1, len(c.data)/6) {
			bad := bytes.Clone(c.data)
			bad[i] ^= 0x01
			// Parts of a zip file (its directory) and FreeOTP's tokens (all
			// but their secrets) are not authenticated.
			if c.format == FormatWinAuth || c.format == FormatAuthPlus || c.format == FormatFreeOTP {
				continue
			}
			if im, err := ImportAccounts(bad, c.format, pass); err == nil {
				t.Errorf("%s with byte %d changed: opened with %d entries", c.name, i, len(im.Entries))
			}
		}
	}
}

// checkFormat imports c and compares each entry with what it should be,
// accounts that need verification included.
func checkFormat(t *testing.T, c genCase, at time.Time) {
	t.Helper()
	if f, err := DetectFormat(c.data); f != c.format || err != nil {
		t.Fatalf("DetectFormat = %q, %v; want %q", f, err, c.format)
	}
	im, err := ImportAccounts(c.data, c.format, func() (string, error) { return c.password, nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Entries) != len(c.want) {
		t.Fatalf("got %d entries, want %d", len(im.Entries), len(c.want))
	}
	for i, w := range c.want {
		e := im.Entries[i]
		if e.Err != nil {
			t.Errorf("entry %d: %v", i, e.Err)
			continue
		}
		g := e.Account
		if w.Binding == "" {
			w.Binding = vault.Portable
		}
		if g.Issuer != w.Issuer || g.Name != w.Name || g.Type != w.Type || g.Algorithm != w.Algorithm ||
			g.Digits != w.Digits || g.Period != w.Period || g.Counter != w.Counter || !bytes.Equal(g.Secret, w.Secret) ||
			g.Group != w.Group || g.Binding != w.Binding || g.NeedsVerification != w.NeedsVerification {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, g, w)
		}
		if w.NeedsVerification {
			continue
		}
		got, err1 := g.Code(at)
		want, err2 := w.Code(at)
		if got != want || err1 != nil || err2 != nil {
			t.Errorf("%s: code %q, %v; want %q, %v", w.Label(), got, err1, want, err2)
		}
	}
}
