package backup_test

import (
	"fmt"
	"time"

	"authdeck/backup"
	"authdeck/vault"
)

// A backup is written with the key kept in the vault, without the
// passphrase, and restored with the passphrase alone; the restore is planned
// first, under the vault's merge rule.
func Example() {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	old := &vault.Vault{Device: vault.Device{ID: "1a2b3c4d", Name: "laptop"}, Accounts: []vault.Account{
		{Issuer: "Mail", Name: "ann", Secret: []byte("12345678901234567890"), Type: vault.TOTP, Algorithm: vault.SHA1, Digits: 6, Period: 30, Binding: vault.Portable},
		{Issuer: "Bank", Name: "ann", Secret: []byte("bound to this laptop"), Type: vault.TOTP, Algorithm: vault.SHA1, Digits: 6, Period: 30, Binding: vault.DeviceBound},
	}}
	// Once: the passphrase wraps a new backup identity kept in the vault.
	if err := backup.SetPassphrase(&old.Backup, "correct horse battery staple", 10); err != nil {
		panic(err)
	}
	// Any time after, with no passphrase: an automatic backup, say.
	data, err := backup.Encode(old, now)
	if err != nil {
		panic(err)
	}

	// On the new computer.
	b, err := backup.Decode(data, "correct horse battery staple")
	if err != nil {
		panic(err)
	}
	fresh := &vault.Vault{}
	for _, it := range b.Preview(fresh).Items {
		fmt.Printf("%s: %v, needs verification %v\n", it.Account.Label(), it.Disposition, it.Account.NeedsVerification)
	}
	if _, _, err := b.Restore(fresh, vault.RefuseConflicts, now); err != nil {
		panic(err)
	}
	code, _ := fresh.Accounts[0].Code(time.Unix(59, 0))
	fmt.Println("Mail code at 59 s:", code)
	_, err = fresh.Accounts[1].Code(now)
	fmt.Println("Bank:", err)
	// Output:
	// Mail: ann: new, needs verification false
	// Bank: ann: new, needs verification true
	// Mail code at 59 s: 287082
	// Bank: account needs verification: scan a fresh QR code from its provider
}
