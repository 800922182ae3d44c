package scan_test

import (
	"fmt"

	"authdeck/scan"
	"authdeck/vault"
)

func ExampleAccounts() {
	accounts, err := scan.Accounts("otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example")
	if err != nil {
		panic(err)
	}
	fmt.Println(accounts[0].Label(), accounts[0].Digits, accounts[0].Period)

	_, err = scan.Accounts("https://example.com")
	fmt.Println(err)
	// Output:
	// Example: alice@example.com 6 30
	// not an account: expected an otpauth:// URI; the QR code holds a link to example.com
}

func ExampleBatch() {
	a, _ := vault.ParseURI("otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP")
	b, _ := vault.ParseURI("otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQ&counter=7")
	c, _ := vault.ParseURI("otpauth://totp/Mail:carol?secret=KRSXG5CTMVRXEZLU")
	codes := scan.EncodeMigration([]vault.Account{a, b, c}, 1) // one account per code

	var batch scan.Batch
	for _, i := range []int{2, 0} { // the phone showed codes 3 and 1
		m, err := scan.ParseMigration(codes[i])
		if err != nil {
			panic(err)
		}
		batch.Add(m)
	}
	fmt.Println(batch.String())
	for _, acc := range batch.Accounts() {
		fmt.Println(acc.Label())
	}
	// Output:
	// 2 of 3 codes scanned, missing code 2
	// GitHub: alice
	// Mail: carol
}
