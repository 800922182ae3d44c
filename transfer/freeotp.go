package transfer

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

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

func freeotpImport(data []byte, password PasswordFunc, budget *kdfBudget) ([]Entry, error) {
	if freeotpLooksEncrypted(data) {
		return freeotp2Import(data, password, budget)
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
