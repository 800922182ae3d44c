package transfer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"authdeck/vault"
)

// The databases are made by testdata/formats/make-databases.sh with the
// apps' own table schemas.

func readFormatFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "formats", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func googledbCases(t testing.TB) []genCase {
	all := genAccounts(t)
	acme, forge := all[0], all[3]
	genDefaults(&forge)
	forge.Type, forge.Counter = vault.HOTP, 42
	forge.Period, forge.Group = 0, ""
	v1Forge := forge
	v1Forge.Issuer = ""
	carol := vault.Account{Issuer: "Vault", Name: "carol", Type: vault.TOTP, Binding: vault.DeviceBound, NeedsVerification: true}
	carol.Normalize()
	return []genCase{
		{"google_v1.sqlite", FormatGoogleDB, "", readFormatFile(t, "google_v1.sqlite"), []vault.Account{acme, v1Forge}},
		{"google_v5.sqlite", FormatGoogleDB, "", readFormatFile(t, "google_v5.sqlite"), []vault.Account{acme, forge, carol}},
	}
}

// TestGoogleDBBig reads a database whose table spans interior pages and
// whose rows spill onto overflow pages.
func TestGoogleDBBig(t *testing.T) {
	im, err := ImportAccounts(readFormatFile(t, "google_big.sqlite"), FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	if im.Format != FormatGoogleDB || len(im.Entries) != 250 {
		t.Fatalf("%s, %d entries", im.Format, len(im.Entries))
	}
	for i, e := range im.Entries {
		a := e.Account
		if e.Err != nil || a.Counter != uint64(i+1) || !strings.HasPrefix(a.Issuer, "Issuer ") || len(a.Issuer) < 4*(i+1) || a.Type != vault.HOTP {
			t.Fatalf("entry %d: %s %d %v", i, a.Issuer[:min(20, len(a.Issuer))], a.Counter, e.Err)
		}
	}
}

func FuzzImportGoogleDB(f *testing.F) { fuzzImport(f, FormatGoogleDB) }
