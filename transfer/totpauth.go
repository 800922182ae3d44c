package transfer

import (
	"bytes"
	"crypto/aes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"authdeck/vault"
)

// TOTP Authenticator (com.authenticator.authservice2) backups: base64 of
// AES-256-CBC (PKCS#7) under the SHA-256 of the password, with an IV of
// zeros. The plain text is a JSON object whose one key is itself the JSON
// list of accounts (and whose value is the time of the backup). An account
// has issuer, name, key, and base (16, 32 or 64: how key is written), digits
// and period as text. Every account is TOTP with SHA-1. A backup made
// without a password of one's own is under the app's built-in password,
// "TotpAuthenticator", which is tried first.

const totpauthDefaultPassword = "TotpAuthenticator"

type totpauthAccount struct {
	Issuer string `json:"issuer"`
	Name   string `json:"name"`
	Key    string `json:"key"`
	Base   int    `json:"base"`
	Digits string `json:"digits"`
	Period string `json:"period"`
}

// totpauthLooksEncrypted reports whether text is base64 of whole AES blocks.
func totpauthLooksEncrypted(text []byte) bool {
	raw, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(text)))
	return err == nil && len(raw) >= 2*aes.BlockSize && len(raw)%aes.BlockSize == 0
}

func totpauthImport(data []byte, password PasswordFunc) ([]Entry, error) {
	ct, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(data)))
	if err != nil {
		return nil, importErr(FormatTOTPAuth, "the backup is not base64 text")
	}
	if len(ct) < aes.BlockSize || len(ct)%aes.BlockSize != 0 {
		return nil, importErr(FormatTOTPAuth, "the backup is truncated")
	}
	list, err := totpauthOpen(ct, totpauthDefaultPassword)
	if errors.Is(err, ErrWrongPassword) {
		pass, perr := askPassword(password)
		if perr != nil {
			return nil, perr
		}
		list, err = totpauthOpen(ct, pass)
	}
	if err != nil {
		return nil, err
	}
	entries, err := jsonEntries(FormatTOTPAuth, list)
	if err != nil {
		return nil, err
	}
	return decodeEntries(entries, "issuer", "name", func(t *totpauthAccount) (Entry, bool) {
		return totpauthEntry(t), true
	}), nil
}

// totpauthOpen decrypts the backup with pass and returns its list of
// accounts.
func totpauthOpen(ct []byte, pass string) (json.RawMessage, error) {
	key := sha256.Sum256([]byte(pass))
	plain, err := cbcOpen(key[:], make([]byte, aes.BlockSize), ct)
	var outer map[string]json.RawMessage
	if err != nil || json.Unmarshal(plain, &outer) != nil {
		return nil, fmt.Errorf("%w for this TOTP Authenticator backup (or the file is damaged)", ErrWrongPassword)
	}
	if len(outer) != 1 {
		return nil, importErr(FormatTOTPAuth, "the decrypted backup holds %d lists of accounts, not one", len(outer))
	}
	for list := range outer {
		return json.RawMessage(list), nil
	}
	return nil, nil
}

func totpauthEntry(t *totpauthAccount) Entry {
	a := vault.Account{Issuer: t.Issuer, Name: t.Name, Type: vault.TOTP}
	if t.Issuer == "Unknown" {
		a.Issuer = ""
	}
	for _, f := range []struct {
		text string
		to   *int
		what string
	}{{t.Digits, &a.Digits, "digits"}, {t.Period, &a.Period, "period"}} {
		if strings.TrimSpace(f.text) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(f.text))
		if err != nil {
			return invalidEntry(a.Issuer, a.Name, fmt.Errorf("%s %q is not a number", f.what, f.text))
		}
		*f.to = n
	}
	var secret []byte
	var err error
	switch t.Base {
	case 16:
		secret, err = hex.DecodeString(strings.TrimSpace(t.Key))
	case 32:
		secret, err = vault.ParseSecret(t.Key)
	case 64:
		secret, err = base64.StdEncoding.DecodeString(strings.TrimSpace(t.Key))
	default:
		return invalidEntry(a.Issuer, a.Name, fmt.Errorf("the secret is written in base %d, which TOTP Authenticator does not use", t.Base))
	}
	if err != nil || len(secret) == 0 {
		return invalidEntry(a.Issuer, a.Name, fmt.Errorf("the secret is not valid base %d", t.Base))
	}
	a.Secret = secret
	return entryFrom(a, "totp")
}
