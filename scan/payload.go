package scan

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"authdeck/vault"
)

// Accounts returns the accounts in the text of one QR code: one for an
// otpauth:// or steam:// URI, all of them for a Google Authenticator
// transfer (see [ParseMigration], whose partial results it passes on: some
// accounts and an error about the others). For text that is not an account,
// such as a web link, the error wraps [vault.ErrNotAccountURI] and says what
// the code holds, without quoting what could be private (a Wi-Fi password).
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
		return nil, fmt.Errorf("%w; the QR code holds %s", err, describe(text))
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

// describe says what kind of text a code holds: a link and its site, a code
// of another scheme (WIFI:, mailto:), or plain text.
func describe(text string) string {
	scheme, _, ok := strings.Cut(text, ":")
	if !ok || scheme == "" || len(scheme) > 32 || strings.ContainsFunc(scheme, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')
	}) {
		return "plain text"
	}
	switch strings.ToLower(scheme) {
	case "http", "https":
		if u, err := url.Parse(text); err == nil && u.Host != "" {
			return "a link to " + u.Hostname()
		}
		return "a link"
	}
	return fmt.Sprintf("a %s: code", scheme)
}
