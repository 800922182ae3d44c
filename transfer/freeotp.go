package transfer

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"math"

	"authdeck/vault"
)

// FreeOTP+ backups: JSON with a list of tokens, each with its secret as a
// list of signed bytes (Java's byte[]), type TOTP or HOTP, algo, digits,
// period, and counter. FreeOTP keeps the HOTP counter of the code last shown,
// so the next code, where Authdeck's counter points, is one more.
//
// FreeOTP before 2.0, which has no export, and FreeOTP+ keep the same tokens
// in the app's tokens.xml (Android shared preferences, copied off the phone
// with adb backup or root): a <map> of <string> elements, one token as JSON
// a string named "issuer:label", and "tokenOrder", a JSON list of those
// names in the app's order.

type freeotpFile struct {
	Tokens json.RawMessage `json:"tokens"`
}

type freeotpToken struct {
	Algo      string `json:"algo"`
	Counter   uint64 `json:"counter"`
	Digits    int    `json:"digits"`
	IssuerExt string `json:"issuerExt"`
	IssuerInt string `json:"issuerInt"`
	Label     string `json:"label"`
	Period    int    `json:"period"`
	Secret    []int  `json:"secret"`
	Type      string `json:"type"`
}

func freeotpImport(data []byte, password PasswordFunc, budget *kdfBudget) ([]Entry, error) {
	if freeotpLooksEncrypted(data) {
		return freeotp2Import(data, password, budget)
	}
	if freeotpLooksXML(data) {
		return freeotpXMLImport(data)
	}
	var file freeotpFile
	if err := jsonFile(FormatFreeOTP, data, &file); err != nil {
		return nil, err
	}
	list, err := jsonEntries(FormatFreeOTP, file.Tokens)
	if err != nil {
		return nil, err
	}
	return decodeEntries(list, "issuerExt", "label", freeotpEntry), nil
}

func freeotpEntry(t *freeotpToken) (Entry, bool) {
	issuer := t.IssuerExt
	if issuer == "" {
		issuer = t.IssuerInt
	}
	a := vault.Account{
		Issuer:    issuer,
		Name:      t.Label,
		Type:      otpType(t.Type),
		Algorithm: vault.Algorithm(t.Algo),
		Digits:    t.Digits,
		Period:    t.Period,
	}
	if a.Type == vault.HOTP {
		if t.Counter == math.MaxUint64 {
			return invalidEntry(a.Issuer, a.Name, errors.New("the counter is at its end")), true
		}
		a.Counter = t.Counter + 1
	}
	a.Secret = make([]byte, len(t.Secret))
	for i, b := range t.Secret {
		if b < -128 || b > 255 {
			return invalidEntry(a.Issuer, a.Name, fmt.Errorf("the secret holds %d, which is not a byte", b)), true
		}
		a.Secret[i] = byte(b)
	}
	return entryFrom(a, t.Type), true
}

// freeotpLooksXML reports whether data is FreeOTP's tokens.xml.
func freeotpLooksXML(data []byte) bool {
	text := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	return bytes.HasPrefix(text, []byte("<")) && bytes.Contains(text, []byte("<map")) && bytes.Contains(text, []byte("<string name=")) &&
		bytes.Contains(text, []byte("secret")) && bytes.Contains(text, []byte("algo"))
}

type freeotpPrefs struct {
	Strings []struct {
		Name  string `xml:"name,attr"`
		Value string `xml:",chardata"`
	} `xml:"string"`
}

// freeotpXMLImport reads FreeOTP's tokens.xml, in the app's order.
func freeotpXMLImport(data []byte) ([]Entry, error) {
	var prefs freeotpPrefs
	if err := xml.Unmarshal(data, &prefs); err != nil {
		return nil, importErr(FormatFreeOTP, "the tokens.xml is damaged or truncated")
	}
	if len(prefs.Strings) > MaxImportEntries {
		return nil, importErr(FormatFreeOTP, "the file holds %d entries, more than the %d Authdeck imports at once", len(prefs.Strings), MaxImportEntries)
	}
	tokens := make(map[string]json.RawMessage)
	var names, order []string
	for _, s := range prefs.Strings {
		if s.Name == "tokenOrder" {
			json.Unmarshal([]byte(s.Value), &order)
			continue
		}
		if _, dup := tokens[s.Name]; !dup {
			names = append(names, s.Name)
		}
		tokens[s.Name] = json.RawMessage(s.Value)
	}
	var list []json.RawMessage
	for _, name := range append(order, names...) {
		if raw, ok := tokens[name]; ok {
			list = append(list, raw)
			delete(tokens, name)
		}
	}
	return decodeEntries(list, "issuerExt", "label", freeotpEntry), nil
}
