package transfer

import (
	"encoding/base64"
	"fmt"
	"strings"

	"authdeck/vault"
)

// Microsoft Authenticator's database (databases/PhoneFactor of
// com.azure.authenticator, copied off a rooted phone): an SQLite file whose
// accounts table has name (the issuer), username, oath_secret_key and
// account_type: 0 for other providers' TOTP accounts (a base32 secret, 6
// digits), 1 for personal Microsoft accounts (a base64 secret, 8 digits), 2
// for work or school (Entra ID) accounts, whose codes, where they have a
// secret, are TOTP with 6 digits. Newer versions keep secrets in
// encrypted_oath_secret_key under a key of the phone's keystore. A work or
// school account without a readable secret signs in with Microsoft's push
// approvals or a key bound to the phone: it comes in as needing
// verification, with the reason.

func microsoftImport(data []byte) ([]Entry, error) {
	db, err := openSQLite(data)
	if err != nil {
		return nil, importErr(FormatMicrosoft, "%v", err)
	}
	cols, rows, err := db.table("accounts")
	if err != nil {
		return nil, importErr(FormatMicrosoft, "%v", err)
	}
	entries := make([]Entry, 0, len(rows))
	for _, r := range rows {
		entries = append(entries, microsoftEntry(cols, r))
	}
	return entries, nil
}

func microsoftEntry(cols []string, r sqliteRow) Entry {
	a := vault.Account{Issuer: sqliteText(cols, r, "name"), Name: sqliteText(cols, r, "username"), Type: vault.TOTP}
	raw := strings.TrimSpace(sqliteText(cols, r, "oath_secret_key"))
	kind := sqliteInt(cols, r, "account_type")
	needs := func(why string) Entry {
		a.Binding, a.NeedsVerification = vault.DeviceBound, true
		e := entryFrom(a, "totp")
		if e.Err == nil {
			e.Note = why
		}
		return e
	}
	if raw == "" {
		switch {
		case kind == 2:
			return needs("a work or school account that signs in with Microsoft's approvals: add it again from your organisation's security info page (My Sign-Ins), choosing an authenticator app, and scan its QR code")
		case sqliteText(cols, r, "encrypted_oath_secret_key") != "":
			return needs("its secret is encrypted with a key that never leaves the phone: scan a new QR code from the account's provider")
		}
		return invalidEntry(a.Issuer, a.Name, fmt.Errorf("the account has no secret"))
	}
	var err error
	switch kind {
	case 0, 2:
		a.Secret, err = vault.ParseSecret(raw)
	case 1:
		a.Digits = 8
		a.Secret, err = base64.StdEncoding.DecodeString(raw)
	default:
		return invalidEntry(a.Issuer, a.Name, fmt.Errorf("account type %d is not one Authdeck knows", kind))
	}
	if err != nil || len(a.Secret) == 0 {
		return invalidEntry(a.Issuer, a.Name, fmt.Errorf("the secret cannot be read"))
	}
	return entryFrom(a, "totp")
}
