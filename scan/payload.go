package scan

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"authdeck/vault"
)

// Accounts returns the accounts in the text of one QR code: one for an
// otpauth:// or steam:// URI, all of them for a Google Authenticator
// transfer (see [ParseMigration], whose partial results it passes on: some
// accounts and an error about the others). For text that is not an account,
// such as a web link, the error wraps [vault.ErrNotAccountURI] and quotes
// the start of the text.
func Accounts(text string) ([]vault.Account, error) {
	text = strings.TrimSpace(text)
	if IsMigration(text) {
		m, err := ParseMigration(text)
		if m == nil {
			return nil, err
		}
		return m.Accounts, err
	}
	a, err := vault.ParseURI(text)
	if errors.Is(err, vault.ErrNotAccountURI) {
		return nil, fmt.Errorf("%w; the QR code holds %s", err, quote(text))
	}
	if err != nil {
		return nil, err
	}
	return []vault.Account{a}, nil
}

// IsMigration reports whether text is a Google Authenticator transfer.
func IsMigration(text string) bool {
	text = strings.TrimSpace(text)
	return len(text) >= len(MigrationScheme) && strings.EqualFold(text[:len(MigrationScheme)], MigrationScheme)
}

// quote returns the start of text, quoted, to say what a code held.
func quote(text string) string {
	const n = 40
	if len(text) <= n {
		return fmt.Sprintf("%q", text)
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return fmt.Sprintf("%q...", text[:cut])
}
