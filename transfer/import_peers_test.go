package transfer

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"authdeck/internal/testenv"
	"authdeck/vault"
)

// peersDir holds real export files of other apps, beside the repository;
// [peerExpected] checks that it is there.
var peersDir = filepath.Join("..", "..", "shared", "fixtures", "peer-exports")

// peerCodes are the codes of expected.json's accounts at peerTime, worked out
// independently of Authdeck (Python's hmac, RFC 4226 truncation, Steam's
// alphabet); HOTP codes are those of the counter.
var (
	peerTime  = time.Unix(1_700_000_000, 0)
	peerCodes = map[string]string{
		"Deno": "790195", "SPDX": "9993814", "Airbnb": "65516786", "Issuu": "253717",
		"Air Canada": "4444976", "WWE": "24622277", "Boeing": "747JR", "Battle.net": "12715797",
	}
)

// peerExpected reads expected.json, keyed by issuer. Without the fixtures a
// plain go test skips and make test fails.
func peerExpected(t *testing.T) map[string]vault.Account {
	t.Helper()
	peersDir = testenv.Fixtures(t, "peer-exports")
	data, err := os.ReadFile(filepath.Join(peersDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var list []struct {
		Issuer, Name, Type, Algorithm, Secret string
		Digits, Period                        int
		Counter                               uint64
	}
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	out := map[string]vault.Account{}
	for _, e := range list {
		secret, err := vault.ParseSecret(e.Secret)
		if err != nil {
			t.Fatal(err)
		}
		a := vault.Account{Issuer: e.Issuer, Name: e.Name, Type: vault.Type(e.Type), Algorithm: vault.Algorithm(e.Algorithm),
			Digits: e.Digits, Period: e.Period, Counter: e.Counter, Secret: secret}
		a.Normalize()
		out[e.Issuer] = a
	}
	return out
}

// asTOTP is what a format that knows only TOTP makes of an account.
func asTOTP(defaults bool) func(*vault.Account) {
	return func(a *vault.Account) {
		if a.Type != vault.TOTP {
			a.Type, a.Period, a.Counter = vault.TOTP, 30, 0
		}
		if defaults {
			a.Algorithm, a.Digits, a.Period = vault.SHA1, 6, 30
		}
	}
}

func TestPeerFixtures(t *testing.T) {
	want := peerExpected(t)
	all := []string{"Deno", "SPDX", "Airbnb", "Issuu", "Air Canada", "WWE", "Boeing"}
	tests := []struct {
		file     string
		password string
		format   Format
		issuers  []string
		adjust   func(*vault.Account)
		groups   map[string]string
	}{
		{file: "aegis_plain.json", format: FormatAegis, issuers: all},
		{file: "aegis_plain_grouped_v2.json", format: FormatAegis, issuers: all,
			groups: map[string]string{"Deno": "group1", "Airbnb": "group1", "Issuu": "group2"}},
		{file: "aegis_encrypted.json", password: "test", format: FormatAegis, issuers: all},
		{file: "2fas_authenticator.json", format: FormatTwoFAS, issuers: all[:6], adjust: asTOTP(true)},
		{file: "2fas_authenticator_plain.2fas", format: FormatTwoFAS, issuers: []string{"Deno", "Airbnb", "Issuu", "WWE"}, adjust: asTOTP(false)},
		{file: "2fas_authenticator_encrypted.2fas", password: "test", format: FormatTwoFAS, issuers: []string{"Deno", "Airbnb", "Issuu", "WWE"}, adjust: asTOTP(false)},
		{file: "2fas_authenticator_plain_v3.2fas", format: FormatTwoFAS, issuers: all[:6]},
		{file: "2fas_authenticator_encrypted_v3.2fas", password: "test", format: FormatTwoFAS, issuers: all[:6]},
		{file: "2fas_authenticator_plain_v4.2fas", format: FormatTwoFAS, issuers: []string{"Deno", "Issuu", "Air Canada", "WWE", "Boeing"}},
		{file: "2fas_authenticator_encrypted_v4.2fas", password: "test", format: FormatTwoFAS, issuers: []string{"Deno", "Issuu", "Air Canada", "WWE", "Boeing"}},
		{file: "plain.txt", format: FormatURIs, issuers: all},
		{file: "ente_auth.txt", format: FormatURIs, issuers: []string{"Air Canada", "Airbnb", "Boeing", "Deno", "Issuu", "SPDX", "WWE"}},
		{file: "bitwarden.json", format: FormatBitwarden, issuers: []string{"Deno", "SPDX", "Airbnb", "Boeing"},
			adjust: func(a *vault.Account) {
				if a.Type == vault.Steam { // steam://SECRET carries no label: the item's
					a.Issuer, a.Name = "Test Steam", ""
				}
			}},
		{file: "bitwarden.csv", format: FormatBitwarden, issuers: []string{"Deno", "SPDX", "Airbnb", "Boeing"},
			adjust: func(a *vault.Account) {
				if a.Type == vault.Steam {
					a.Issuer, a.Name = "Test 4", ""
				}
			}},
		{file: "andotp_plain.json", format: FormatAndOTP, issuers: all},
		{file: "andotp_encrypted.bin", password: "test", format: FormatAndOTP, issuers: all},
		{file: "freeotp_plus.json", format: FormatFreeOTP, issuers: []string{"WWE", "Air Canada", "Issuu", "Airbnb", "SPDX", "Deno"}},
		{file: "proton_authenticator.json", format: FormatProton, issuers: []string{"Deno", "SPDX", "Airbnb"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := ReadImportFile(filepath.Join(peersDir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if f, err := DetectFormat(data); f != tt.format || err != nil {
				t.Fatalf("DetectFormat = %q, %v; want %q", f, err, tt.format)
			}
			asked := 0
			im, err := ImportAccounts(data, FormatAuto, func() (string, error) { asked++; return tt.password, nil })
			if err != nil {
				t.Fatal(err)
			}
			if wantAsked := map[bool]int{true: 1, false: 0}[tt.password != ""]; asked != wantAsked {
				t.Errorf("asked for the password %d times, want %d", asked, wantAsked)
			}
			if len(im.Entries) != len(tt.issuers) {
				t.Fatalf("got %d entries, want %d: %+v", len(im.Entries), len(tt.issuers), im.Entries)
			}
			for i, issuer := range tt.issuers {
				e := im.Entries[i]
				if e.Err != nil {
					t.Errorf("entry %d (%s): %v", i, issuer, e.Err)
					continue
				}
				w := want[issuer]
				if tt.adjust != nil {
					tt.adjust(&w)
				}
				w.Group = tt.groups[issuer]
				compareAccount(t, issuer, e.Account, w)
				if w.Type == want[issuer].Type && w.Digits == want[issuer].Digits && w.Algorithm == want[issuer].Algorithm && w.Period == want[issuer].Period {
					if code, err := e.Account.Code(peerTime); err != nil || code != peerCodes[issuer] {
						t.Errorf("%s: code at %v = %q, %v; want %q", issuer, peerTime.UTC(), code, err, peerCodes[issuer])
					}
				}
			}
			if tt.password != "" {
				_, err := ImportAccounts(data, FormatAuto, func() (string, error) { return "not the password", nil })
				if !errors.Is(err, ErrWrongPassword) {
					t.Errorf("wrong password: err = %v, want ErrWrongPassword", err)
				}
			}
		})
	}
}

// compareAccount checks every field an import sets.
func compareAccount(t *testing.T, what string, got, want vault.Account) {
	t.Helper()
	if got.Issuer != want.Issuer || got.Name != want.Name || got.Type != want.Type || got.Algorithm != want.Algorithm ||
		got.Digits != want.Digits || got.Period != want.Period || got.Counter != want.Counter ||
		got.SecretBase32() != want.SecretBase32() || got.Group != want.Group || got.Binding != vault.Portable {
		t.Errorf("%s:\n got %s/%s %s %s %d digits, period %d, counter %d, secret %s, group %q, binding %s\nwant %s/%s %s %s %d digits, period %d, counter %d, secret %s, group %q",
			what, got.Issuer, got.Name, got.Type, got.Algorithm, got.Digits, got.Period, got.Counter, got.SecretBase32(), got.Group, got.Binding,
			want.Issuer, want.Name, want.Type, want.Algorithm, want.Digits, want.Period, want.Counter, want.SecretBase32(), want.Group)
	}
}
