package transfer

import (
	"bytes"
	"net/url"
	"path"
	"strings"

	"authdeck/vault"
)

// WinAuth exports: a text file of otpauth:// URIs, one a line, or that file
// in a zip, with a password or without. WinAuth writes the URI of a Steam
// authenticator as TOTP with 5 digits, issuer Steam and its deviceid and
// data parameters; it is read as Steam. A Battle.net authenticator is
// TOTP with 8 digits (its serial parameter is left out of the way). The
// export WinAuth encrypts with a PGP key is not read.

func winauthImport(data []byte, password PasswordFunc) ([]Entry, error) {
	if bytes.HasPrefix(data, []byte(zipMagic)) {
		var err error
		data, err = zipText(FormatWinAuth, data, password, func(name string) bool {
			return strings.EqualFold(path.Ext(name), ".txt")
		})
		if err != nil {
			return nil, err
		}
	}
	entries, err := urisImport(data)
	if err != nil {
		return nil, err
	}
	for i, line := range winauthLines(data) {
		if i < len(entries) && entries[i].Err == nil && winauthSteam(line) {
			a := &entries[i].Account
			a.Type, a.Digits = vault.Steam, vault.SteamDigits
		}
	}
	return entries, nil
}

// winauthLines returns the URI lines of data, as urisImport counts them.
func winauthLines(data []byte) []string {
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, urisSplitLine(line)...)
	}
	return out
}

// winauthSteam reports whether uri is WinAuth's URI of a Steam authenticator.
func winauthSteam(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil {
		return false
	}
	q := u.Query()
	return strings.EqualFold(q.Get("issuer"), "Steam") && q.Has("deviceid") && q.Get("digits") == "5"
}
