package vault

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseURILenient(t *testing.T) {
	hello := []byte("Hello!\xde\xad\xbe\xef") // JBSWY3DPEHPK3PXP
	tests := []struct {
		uri  string
		want Account
	}{
		{"otpauth://totp/ACME%20Co:john@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co",
			Account{Issuer: "ACME Co", Name: "john@example.com", Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30}},
		// Lower case, spaces and padding in the secret; issuer only in the label.
		{"otpauth://totp/Example:alice?secret=jbsw%20y3dp%20ehpk%203pxp%3D%3D%3D%3D",
			Account{Issuer: "Example", Name: "alice", Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30}},
		// Percent-encoded colon and a space after it; the parameter wins over the label.
		{"otpauth://TOTP/Old%3A%20bob?secret=JBSWY3DPEHPK3PXP&issuer=New&algorithm=sha256&digits=8&period=60",
			Account{Issuer: "New", Name: "bob", Type: TOTP, Algorithm: SHA256, Digits: 8, Period: 60}},
		// No issuer at all; unknown parameters are ignored.
		{"otpauth://totp/carol?secret=JBSWY3DPEHPK3PXP&image=https%3A%2F%2Fx&codeDisplay=%7B%7D",
			Account{Name: "carol", Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30}},
		{"otpauth://hotp/Git:dave?secret=JBSWY3DPEHPK3PXP&counter=42&algorithm=SHA512",
			Account{Issuer: "Git", Name: "dave", Type: HOTP, Algorithm: SHA512, Digits: 6, Counter: 42}},
		// The Steam dialects.
		{"otpauth://steam/Steam:erin?secret=JBSWY3DPEHPK3PXP",
			Account{Issuer: "Steam", Name: "erin", Type: Steam, Algorithm: SHA1, Digits: 5, Period: 30}},
		{"otpauth://totp/Steam:erin?secret=JBSWY3DPEHPK3PXP&encoder=steam&digits=5",
			Account{Issuer: "Steam", Name: "erin", Type: Steam, Algorithm: SHA1, Digits: 5, Period: 30}},
		{"otpauth://totp/erin?secret=JBSWY3DPEHPK3PXP&tokenType=STEAM",
			Account{Issuer: "Steam", Name: "erin", Type: Steam, Algorithm: SHA1, Digits: 5, Period: 30}},
		{"steam://JBSWY3DPEHPK3PXP",
			Account{Issuer: "Steam", Name: "Steam", Type: Steam, Algorithm: SHA1, Digits: 5, Period: 30}},
		// As decoders print it: zbarimg's prefix, a byte order mark, space around.
		{" \ufeffQR-Code:otpauth://totp/Zbar:gina?secret=JBSWY3DPEHPK3PXP&digits=10 \t",
			Account{Issuer: "Zbar", Name: "gina", Type: TOTP, Algorithm: SHA1, Digits: 10, Period: 30}},
		{"qr-code: steam://JBSWY3DPEHPK3PXP\n",
			Account{Issuer: "Steam", Name: "Steam", Type: Steam, Algorithm: SHA1, Digits: 5, Period: 30}},
		// An e-mail address with a plus keeps it.
		{"otpauth://totp/Mail:frank+2fa@example.com?secret=JBSWY3DPEHPK3PXP",
			Account{Issuer: "Mail", Name: "frank+2fa@example.com", Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30}},
	}
	for _, tt := range tests {
		got, err := ParseURI(tt.uri)
		if err != nil {
			t.Errorf("%s: %v", tt.uri, err)
			continue
		}
		if !bytes.Equal(got.Secret, hello) {
			t.Errorf("%s: secret %x, want %x", tt.uri, got.Secret, hello)
		}
		got.Secret = nil
		tt.want.Binding = Portable
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.uri, got, tt.want)
		}
	}
}

func TestParseURIRejects(t *testing.T) {
	tests := []struct{ uri, want string }{
		{"https://example.com/login", "not an account"},
		{"hello", "not an account"},
		{"otpauth://totp/x", "secret is missing"},
		{"otpauth://totp/x?secret=ABC1", "secret is not valid base32"},
		{"otpauth://totp/x?secret=A", "secret is not valid base32"},
		{"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=3", "digits must be 4 to 10"},
		{"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=11", "digits must be 4 to 10"},
		{"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=five", "digits must be 4 to 10"},
		{"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0", "period must be 1 to 300 seconds"},
		{"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=301", "period must be 1 to 300 seconds"},
		{"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5", `algorithm "MD5" is not supported`},
		{"otpauth://motp/x?secret=JBSWY3DPEHPK3PXP", `type "motp" is not supported`},
		{"otpauth:///x?secret=JBSWY3DPEHPK3PXP", "type is missing"},
		{"otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=-1", "counter must be a whole number"},
		{"otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=18446744073709551615", "counter is too large"},
		{"otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=18446744073709551616", "counter is too large"},
		{"otpauth://totp/?secret=JBSWY3DPEHPK3PXP", "needs an issuer or a name"},
		{"otpauth://totp/x%zz?secret=JBSWY3DPEHPK3PXP", "malformed URI"},
	}
	for _, tt := range tests {
		_, err := ParseURI(tt.uri)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error with %q", tt.uri, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "JBSWY3DPEHPK3PXP") {
			t.Errorf("%s: the error shows the secret: %v", tt.uri, err)
		}
	}
	if _, err := ParseURI("https://example.com"); !errors.Is(err, ErrNotAccountURI) {
		t.Errorf("a web link: got %v, want ErrNotAccountURI", err)
	}
}

func TestURIIsStrictAndRoundTrips(t *testing.T) {
	a := Account{Issuer: "Big Corp: EU", Name: "ann lee@example.com", Type: TOTP, Algorithm: SHA256, Digits: 8, Period: 45,
		Secret: []byte("12345678901234567890")}
	a.Normalize()
	const want = "otpauth://totp/Big%20Corp%3A%20EU:ann%20lee@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Big%20Corp%3A%20EU&algorithm=SHA256&digits=8&period=45"
	if got := a.URI(); got != want {
		t.Errorf("URI:\n got %s\nwant %s", got, want)
	}
	for _, typ := range []Type{TOTP, HOTP, Steam} {
		b := a
		b.Type, b.Counter = typ, 7
		b.Normalize()
		if typ != HOTP {
			b.Counter = 0
		}
		got, err := ParseURI(b.URI())
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		if !bytes.Equal(got.Secret, b.Secret) {
			t.Errorf("%s: secret changed", typ)
		}
		got.Secret, b.Secret = nil, nil
		if !reflect.DeepEqual(got, b) {
			t.Errorf("%s round trip:\n got %+v\nwant %+v", typ, got, b)
		}
		b.Secret = a.Secret
	}
}

// TestURIDigits reads and writes every length of code from 4 to 10 digits,
// and keeps Steam at 5 characters whatever the URI says.
func TestURIDigits(t *testing.T) {
	for d := MinDigits; d <= MaxDigits; d++ {
		for _, typ := range []Type{TOTP, HOTP} {
			uri := fmt.Sprintf("otpauth://%s/Co:x?secret=JBSWY3DPEHPK3PXP&digits=%d", typ, d)
			a, err := ParseURI(uri)
			if err != nil || a.Digits != d {
				t.Fatalf("%s: %d digits, %v", uri, a.Digits, err)
			}
			b, err := ParseURI(a.URI())
			if err != nil || b.Digits != d || b.URI() != a.URI() {
				t.Errorf("%d digits written as %s: read back %d, %v", d, a.URI(), b.Digits, err)
			}
		}
	}
	a, err := ParseURI("otpauth://steam/Steam:x?secret=JBSWY3DPEHPK3PXP&digits=9")
	if err != nil || a.Digits != SteamDigits {
		t.Errorf("steam with digits=9: %d digits, %v", a.Digits, err)
	}
}

// TestURIErrorFields checks that a URI error names its field and carries
// its cause, so that callers branch without reading the message.
func TestURIErrorFields(t *testing.T) {
	tests := []struct {
		uri, field string
		cause      error
	}{
		{"otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=18446744073709551615", "counter", ErrCounterTooLarge},
		{"otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=99999999999999999999", "counter", ErrCounterTooLarge},
		{"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=12", "digits", nil},
		{"otpauth://totp/x?secret=JB1", "secret", nil},
		{"otpauth://totp/x", "secret", nil},
		{"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0", "period", nil},
		{"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5", "algorithm", nil},
	}
	for _, tt := range tests {
		_, err := ParseURI(tt.uri)
		var uerr *URIError
		if !errors.As(err, &uerr) || uerr.Field != tt.field {
			t.Errorf("%s: %#v, want a *URIError about %s", tt.uri, err, tt.field)
			continue
		}
		if tt.cause != nil && !errors.Is(err, tt.cause) {
			t.Errorf("%s: %v does not wrap %v", tt.uri, err, tt.cause)
		}
	}
}

// TestURIControlCharacters drops control characters and invalid UTF-8 from
// the label of a URI, which would otherwise reach the terminal raw.
func TestURIControlCharacters(t *testing.T) {
	a, err := ParseURI("otpauth://totp/Esc%1B%5B2J%00:ann%07%0A%C3?secret=JBSWY3DPEHPK3PXP&issuer=Esc%1B%5B2J%00")
	if err != nil {
		t.Fatal(err)
	}
	if a.Issuer != "Esc[2J" || a.Name != "ann" {
		t.Errorf("issuer %q, name %q; want the control characters and the broken byte gone", a.Issuer, a.Name)
	}
	if _, err := ParseURI("otpauth://totp/%1B%00?secret=JBSWY3DPEHPK3PXP"); err == nil {
		t.Error("a label of control characters alone was accepted")
	}
}

func TestParseSecret(t *testing.T) {
	for _, s := range []string{"JBSWY3DPEHPK3PXP", "jbswy3dpehpk3pxp", "JBSW Y3DP EHPK 3PXP", "JBSW-Y3DP-EHPK-3PXP", "JBSWY3DPEHPK3PXP======", " jbswy3dpehpk3pxp\n"} {
		got, err := ParseSecret(s)
		if err != nil || string(got) != "Hello!\xde\xad\xbe\xef" {
			t.Errorf("%q: got %x, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "  ", "====", "JBSWY3DPEHPK3PX1", "JBSWY3DPEHPK3PXPA"} {
		if _, err := ParseSecret(s); err == nil {
			t.Errorf("%q: accepted", s)
		}
	}
}

// FuzzParseURI checks that no input makes the parser panic, that every
// rejection is an error of its own kinds, and that whatever it accepts is
// valid and survives writing and reading again.
func FuzzParseURI(f *testing.F) {
	for _, s := range []string{
		"otpauth://totp/ACME:john?secret=JBSWY3DPEHPK3PXP&issuer=ACME",
		"otpauth://hotp/x?secret=jbsw%20y3dp&counter=3&digits=8",
		"otpauth://steam/Steam:x?secret=JBSWY3DPEHPK3PXP",
		"steam://JBSWY3DPEHPK3PXP",
		"otpauth://totp/a%3Ab?secret=AAAA&algorithm=SHA512&period=300",
		"otpauth-migration://offline?data=CgA",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseURI(s)
		if err != nil {
			var uerr *URIError
			if !errors.Is(err, ErrNotAccountURI) && !errors.As(err, &uerr) {
				t.Fatalf("%q: error of an unexpected kind: %v", s, err)
			}
			return
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("%q: accepted an invalid account: %v", s, err)
		}
		b, err := ParseURI(a.URI())
		if err != nil {
			t.Fatalf("%q: written as %q, which does not parse: %v", s, a.URI(), err)
		}
		if b.URI() != a.URI() {
			t.Fatalf("%q: round trip changed %q to %q", s, a.URI(), b.URI())
		}
	})
}
