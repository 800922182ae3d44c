package transfer

import (
	"bytes"
	"errors"
	"path"
)

// Authenticator Plus backups: a password-protected zip that holds
// Accounts.txt, the accounts as otpauth:// URIs, one a line (the format
// Aegis reads). Authenticator Plus's other backup, its SQLCipher database
// (authplus.db), is not read: opening it needs SQLCipher.

const authplusFile = "Accounts.txt"

func authplusImport(data []byte, password PasswordFunc) ([]Entry, error) {
	if !bytes.HasPrefix(data, []byte(zipMagic)) {
		return nil, &ImportError{Format: FormatAuthPlus, Err: kindError{errors.New("not a zip file: an Authenticator Plus database (authplus.db) is encrypted with SQLCipher, which Authdeck cannot open; export the accounts from Authenticator Plus as a zip file instead")}}
	}
	text, err := zipText(FormatAuthPlus, data, password, func(name string) bool {
		return path.Base(name) == authplusFile
	})
	if err != nil {
		return nil, err
	}
	return urisImport(text)
}
