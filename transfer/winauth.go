package transfer

import (
	"bytes"
	"net/url"
	"path"
	"strings"
)

// WinAuth exports: a text file of otpauth:// URIs, one a line, or that file
// in a zip, with a password or without. WinAuth writes the URI of a Steam
// authenticator as TOTP with 5 digits, issuer Steam and its deviceid and
// data parameters; it is read as Steam (as otpauth://steam/). A Battle.net authenticator is
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
	lines := strings.Split(string(data), "\n")
	for i, line := range lines {
		if u := strings.TrimSpace(line); winauthSteam(u) {
			lines[i] = "otpauth://steam/" + u[len("otpauth://totp/"):]
		}
	}
	return urisImport([]byte(strings.Join(lines, "\n")))
}

// winauthSteam reports whether uri is WinAuth's URI of a Steam authenticator.
func winauthSteam(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil {
		return false
	}
	q := u.Query()
	return strings.EqualFold(u.Scheme, "otpauth") && strings.EqualFold(u.Host, "totp") &&
		strings.EqualFold(q.Get("issuer"), "Steam") && q.Has("deviceid") && q.Get("digits") == "5"
}
