package backup

import (
	"encoding/json"
	"errors"
	"fmt"

	"authdeck/vault"
)

// FreeOTP+ backups: JSON with a list of tokens, each with its secret as a
// list of signed bytes (Java's byte[]), type TOTP or HOTP, algo, digits,
// period, and counter. FreeOTP keeps the HOTP counter of the code last shown,
// so the next code, where Authdeck's counter points, is one more.

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

func freeotpImport(data []byte) ([]Entry, error) {
	var file freeotpFile
	if err := jsonFile(FormatFreeOTP, data, &file); err != nil {
		return nil, err
	}
	list, err := jsonEntries(FormatFreeOTP, file.Tokens)
	if err != nil {
		return nil, err
	}
	entries := make([]Entry, 0, len(list))
	for _, raw := range list {
		var t freeotpToken
		if err := json.Unmarshal(raw, &t); err != nil {
			var label struct{ IssuerExt, Label string }
			json.Unmarshal(raw, &label)
			entries = append(entries, invalidEntry(label.IssuerExt, label.Label, errors.New(jsonReason(err))))
			continue
		}
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
			a.Counter = t.Counter + 1
		}
		secret := make([]byte, len(t.Secret))
		var bad error
		for i, b := range t.Secret {
			if b < -128 || b > 255 {
				bad = fmt.Errorf("the secret holds %d, which is not a byte", b)
				break
			}
			secret[i] = byte(b)
		}
		if bad != nil {
			entries = append(entries, invalidEntry(a.Issuer, a.Name, bad))
			continue
		}
		a.Secret = secret
		entries = append(entries, entryFrom(a, t.Type))
	}
	return entries, nil
}
