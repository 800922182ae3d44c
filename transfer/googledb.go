package transfer

import (
	"errors"
	"fmt"
	"strings"

	"authdeck/vault"
)

// Google Authenticator's database (databases/databases of
// com.google.android.apps.authenticator2, copied off a rooted phone): an
// SQLite file whose accounts table has email (the label, "Issuer:name" or
// the name), secret (base32), counter, type (0 TOTP, 1 HOTP), issuer and
// original_name. Versions that encrypt the secrets with a key of the phone's
// keystore mark such rows with isencrypted; those secrets cannot be read off
// the phone, so the accounts come in as needing verification.

func googledbImport(data []byte) ([]Entry, error) {
	db, err := openSQLite(data)
	if err != nil {
		return nil, importErr(FormatGoogleDB, "%v", err)
	}
	cols, rows, err := db.table("accounts")
	if err != nil {
		return nil, importErr(FormatGoogleDB, "%v", err)
	}
	entries := make([]Entry, 0, len(rows))
	for _, r := range rows {
		entries = append(entries, googledbEntry(cols, r))
	}
	return entries, nil
}

func googledbEntry(cols []string, r sqliteRow) Entry {
	name := sqliteText(cols, r, "email")
	issuer := sqliteText(cols, r, "issuer")
	if i, n, ok := strings.Cut(name, ":"); ok && !strings.Contains(n, ":") {
		if issuer == "" {
			issuer = i
		}
		name = n
	}
	a := vault.Account{Issuer: issuer, Name: name}
	switch t := sqliteInt(cols, r, "type"); t {
	case 0:
		a.Type = vault.TOTP
	case 1:
		a.Type = vault.HOTP
		c := sqliteInt(cols, r, "counter")
		if c < 0 {
			return invalidEntry(a.Issuer, a.Name, errors.New("the counter is negative"))
		}
		a.Counter = uint64(c)
	default:
		return invalidEntry(a.Issuer, a.Name, fmt.Errorf("type %d is not one Google Authenticator has", t))
	}
	if sqliteInt(cols, r, "isencrypted") > 0 {
		a.Binding, a.NeedsVerification = vault.DeviceBound, true
		e := entryFrom(a, string(a.Type))
		if e.Err == nil {
			e.Note = "its secret is encrypted with a key that never leaves the phone: scan a new QR code from the account's provider"
		}
		return e
	}
	secret, err := vault.ParseSecret(sqliteText(cols, r, "secret"))
	if err != nil {
		return invalidEntry(a.Issuer, a.Name, err)
	}
	a.Secret = secret
	return entryFrom(a, string(a.Type))
}
