package transfer

import (
	"testing"

	"authdeck/vault"
)

func microsoftCases(t testing.TB) []genCase {
	acme := genAccounts(t)[0]
	acme.Group = ""
	msa := vault.Account{Issuer: "Microsoft", Name: "me@outlook.com", Type: vault.TOTP, Digits: 8, Secret: []byte("09876543210987654321")}
	contoso := vault.Account{Issuer: "Contoso", Name: "me@contoso.com", Type: vault.TOTP}
	contoso.Secret, _ = vault.ParseSecret("JBSWY3DPEHPK3PXP")
	fabrikam := vault.Account{Issuer: "Fabrikam", Name: "me@fabrikam.com", Type: vault.TOTP, Binding: vault.DeviceBound, NeedsVerification: true}
	forge := vault.Account{Issuer: "Forge", Name: "bob", Type: vault.TOTP, Binding: vault.DeviceBound, NeedsVerification: true}
	want := []vault.Account{acme, msa, contoso, fabrikam, forge}
	for i := range want {
		want[i].Normalize()
	}
	return []genCase{{"microsoft.sqlite", FormatMicrosoft, "", readFormatFile(t, "microsoft.sqlite"), want}}
}

// TestMicrosoftNeedsVerification checks that a work or school account
// without a secret, and one whose secret is in the phone's keystore, come
// in as needing verification with the reason.
func TestMicrosoftNeedsVerification(t *testing.T) {
	im, err := ImportAccounts(readFormatFile(t, "microsoft.sqlite"), FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range im.Entries {
		needs := i >= 3
		if e.Err != nil || e.Account.NeedsVerification != needs || (e.Note != "") != needs {
			t.Errorf("%s: needs verification %v, note %q, err %v", e.Account.Label(), e.Account.NeedsVerification, e.Note, e.Err)
		}
	}
	p := PlanEntries(&vault.Vault{}, im.Entries)
	if n := p.Count(vault.New); n != 5 {
		t.Errorf("plan: %d new, want 5", n)
	}
}

func FuzzImportMicrosoft(f *testing.F) { fuzzImport(f, FormatMicrosoft) }
