package transfer

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"sort"

	"authdeck/vault"
)

// Steam Guard secrets: a Steam Desktop Authenticator maFile, old (with a
// Session of web cookies) or new (with access and refresh tokens), or the
// Steamguard-STEAMID file of Steam's own Android app, which holds the same
// objects under "accounts". Each object's shared_secret is the base64 key of
// the Steam codes, and account_name the login. An encrypted maFile (SDA's
// encryption passkey) is base64 text whose salt and IV are in SDA's
// manifest.json, so it cannot be opened on its own.

type steamFile struct {
	SharedSecret *string                    `json:"shared_secret"`
	AccountName  string                     `json:"account_name"`
	Accounts     map[string]json.RawMessage `json:"accounts"`
}

func steamImport(data []byte) ([]Entry, error) {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] != '{' {
		return nil, &ImportError{Format: FormatSteam, Err: kindError{errors.New("the maFile is encrypted with a Steam Desktop Authenticator passkey: remove the encryption in Steam Desktop Authenticator (Manage encryption), then import the maFile")}}
	}
	var file steamFile
	if err := jsonFile(FormatSteam, data, &file); err != nil {
		return nil, err
	}
	if file.SharedSecret != nil {
		return []Entry{steamEntry(&file)}, nil
	}
	keys := make([]string, 0, len(file.Accounts))
	for k := range file.Accounts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > MaxImportEntries {
		return nil, importErr(FormatSteam, "the file holds %d entries, more than the %d Authdeck imports at once", len(keys), MaxImportEntries)
	}
	list := make([]json.RawMessage, len(keys))
	for i, k := range keys {
		list[i] = file.Accounts[k]
	}
	return decodeEntries(list, "account_name", "account_name", func(f *steamFile) (Entry, bool) {
		return steamEntry(f), true
	}), nil
}

func steamEntry(f *steamFile) Entry {
	a := vault.Account{Issuer: "Steam", Name: f.AccountName, Type: vault.Steam}
	if f.SharedSecret == nil || *f.SharedSecret == "" {
		return invalidEntry(a.Issuer, a.Name, errors.New("the account has no shared_secret"))
	}
	secret, err := base64.StdEncoding.DecodeString(*f.SharedSecret)
	if err != nil {
		return invalidEntry(a.Issuer, a.Name, errors.New("the shared_secret is not base64"))
	}
	a.Secret = secret
	return entryFrom(a, "steam")
}
