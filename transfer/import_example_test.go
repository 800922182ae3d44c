package transfer_test

import (
	"fmt"

	"authdeck/transfer"
	"authdeck/vault"
)

// An export of another app becomes entries: accounts, and the entries that
// cannot be used with the reason. A caller merges the accounts with
// [vault.Vault.Plan] and [vault.Vault.Apply].
func ExampleImportAccounts() {
	export := []byte(`otpauth://totp/ACME%20Co:ann@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co
otpauth://hotp/Forge:bob?secret=GEZDGNBVGY3TQOJQ&counter=7, otpauth://totp/Chat:carl?secret=JBSW0000
`)
	im, err := transfer.ImportAccounts(export, transfer.FormatAuto, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(im.Format.Name())
	for _, e := range im.Entries {
		if e.Err != nil {
			fmt.Println("invalid:", e.Err)
			continue
		}
		fmt.Println(e.Account.Label(), e.Account.Type)
	}
	var v vault.Vault
	plan := v.Plan(im.Accounts())
	fmt.Println("new:", plan.Count(vault.New))
	// Output:
	// otpauth URI list
	// ACME Co: ann@example.com totp
	// Forge: bob hotp
	// invalid: line 2: otpauth URI: secret is not valid base32: "0" is not a base32 letter (A-Z, 2-7)
	// new: 2
}

// Only portable accounts are exported; device-bound ones are left out.
func ExampleExportAccounts() {
	secret, _ := vault.ParseSecret("JBSWY3DPEHPK3PXP")
	accounts := []vault.Account{
		{Issuer: "ACME Co", Name: "ann", Secret: secret},
		{Issuer: "Bank", Name: "ann", Secret: secret, Binding: vault.DeviceBound},
	}
	for i := range accounts {
		accounts[i].Normalize()
	}
	data, leftOut, err := transfer.ExportAccounts(accounts, transfer.FormatURIs)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(data))
	fmt.Println("left out:", leftOut[0].Label())
	// Output:
	// otpauth://totp/ACME%20Co:ann?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30
	// left out: Bank: ann
}
