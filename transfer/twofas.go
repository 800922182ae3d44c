package transfer

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"authdeck/vault"
)

// 2FAS backups: JSON with a list of services. Schema 1 holds only the
// secret and the label (TOTP with default parameters); schema 2 adds the
// algorithm, digits and period; schemas 3 and 4 the code type (tokenType:
// TOTP, HOTP or STEAM) and counter. An encrypted backup keeps the services
// in servicesEncrypted as "ciphertext:salt:iv", each base64: AES-256-GCM
// under PBKDF2-HMAC-SHA256(password, salt, 10,000 iterations). A reference
// text encrypted the same way tells a wrong password from a damaged file.

const twofasIterations = 10_000

type twofasFile struct {
	SchemaVersion     int             `json:"schemaVersion"`
	Services          json.RawMessage `json:"services"`
	ServicesEncrypted string          `json:"servicesEncrypted"`
	Reference         string          `json:"reference"`
	Groups            []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"groups"`
}

type twofasService struct {
	Name    string `json:"name"`
	Secret  string `json:"secret"`
	GroupID string `json:"groupId"`
	OTP     struct {
		Label     string `json:"label"`
		Account   string `json:"account"`
		Issuer    string `json:"issuer"`
		Digits    int    `json:"digits"`
		Period    int    `json:"period"`
		Algorithm string `json:"algorithm"`
		Counter   uint64 `json:"counter"`
		TokenType string `json:"tokenType"`
	} `json:"otp"`
}

func twofasImport(data []byte, password PasswordFunc, budget *kdfBudget) ([]Entry, error) {
	var file twofasFile
	if err := jsonFile(FormatTwoFAS, data, &file); err != nil {
		return nil, err
	}
	if file.SchemaVersion < 1 || file.SchemaVersion > 4 {
		return nil, importErr(FormatTwoFAS, "schema version %d is not supported (Authdeck reads schemas 1 to 4)", file.SchemaVersion)
	}
	services := []byte(file.Services)
	if file.ServicesEncrypted != "" {
		var err error
		if services, err = twofasDecrypt(&file, password, budget); err != nil {
			return nil, err
		}
	}
	groups := map[string]string{}
	for _, g := range file.Groups {
		groups[g.ID] = g.Name
	}
	list, err := jsonEntries(FormatTwoFAS, services)
	if err != nil {
		return nil, err
	}
	return decodeEntries(list, "name", "", func(s *twofasService) (Entry, bool) {
		return twofasEntry(s, file.SchemaVersion, groups), true
	}), nil
}

func twofasEntry(s *twofasService, schema int, groups map[string]string) Entry {
	issuer, name := s.OTP.Issuer, s.OTP.Account
	if issuer == "" {
		issuer = s.Name
	}
	if name == "" {
		name = s.OTP.Label
		if i, n, ok := strings.Cut(name, ":"); ok && strings.EqualFold(strings.TrimSpace(i), issuer) {
			name = n
		}
	}
	a := vault.Account{Issuer: issuer, Name: name, Type: vault.TOTP, Group: groups[s.GroupID]}
	if schema >= 2 {
		a.Algorithm = vault.Algorithm(s.OTP.Algorithm)
		a.Digits = s.OTP.Digits
		a.Period = s.OTP.Period
	}
	if schema >= 3 {
		a.Type = otpType(s.OTP.TokenType)
		a.Counter = s.OTP.Counter
	}
	secret, err := vault.ParseSecret(s.Secret)
	if err != nil {
		return invalidEntry(a.Issuer, a.Name, err)
	}
	a.Secret = secret
	return entryFrom(a, s.OTP.TokenType)
}

// twofasSealed is one "ciphertext:salt:iv" value of an encrypted backup.
type twofasSealed struct{ ct, salt, iv []byte }

func twofasParseSealed(s string) (twofasSealed, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return twofasSealed{}, errors.New("not three parts")
	}
	var out [3][]byte
	for i, p := range parts {
		b, err := base64.StdEncoding.DecodeString(p)
		if err != nil {
			return twofasSealed{}, err
		}
		out[i] = b
	}
	if len(out[2]) != 12 || len(out[1]) == 0 {
		return twofasSealed{}, errors.New("bad salt or iv")
	}
	return twofasSealed{ct: out[0], salt: out[1], iv: out[2]}, nil
}

func (s twofasSealed) open(pass string, keys map[string][]byte, budget *kdfBudget) ([]byte, error) {
	key, ok := keys[string(s.salt)]
	if !ok {
		var err error
		if key, err = budget.pbkdf2(FormatTwoFAS, kdfSHA256, []byte(pass), s.salt, twofasIterations, 32); err != nil {
			return nil, err
		}
		keys[string(s.salt)] = key
	}
	return gcmOpen(key, s.iv, s.ct)
}

// twofasDecrypt opens the services of an encrypted backup. The reference
// opens with the right password; if it does and the services do not, the
// file is damaged.
func twofasDecrypt(file *twofasFile, password PasswordFunc, budget *kdfBudget) ([]byte, error) {
	services, err := twofasParseSealed(file.ServicesEncrypted)
	if err != nil {
		return nil, importErr(FormatTwoFAS, "the encrypted accounts are damaged")
	}
	var ref *twofasSealed
	if file.Reference != "" {
		r, err := twofasParseSealed(file.Reference)
		if err != nil {
			return nil, importErr(FormatTwoFAS, "the password check (reference) is damaged")
		}
		ref = &r
	}
	pass, err := askPassword(password)
	if err != nil {
		return nil, err
	}
	keys := map[string][]byte{}
	if ref != nil {
		if _, err := ref.open(pass, keys, budget); err != nil {
			return nil, fmt.Errorf("%w for this 2FAS backup", ErrWrongPassword)
		}
	}
	plain, err := services.open(pass, keys, budget)
	switch {
	case err != nil && ref != nil:
		return nil, importErr(FormatTwoFAS, "the password is right but the encrypted accounts are damaged")
	case err != nil:
		return nil, fmt.Errorf("%w for this 2FAS backup (or the file is damaged)", ErrWrongPassword)
	}
	if t := bytes.TrimSpace(plain); len(t) == 0 || t[0] != '[' {
		return nil, importErr(FormatTwoFAS, "the decrypted accounts are not a list")
	}
	return plain, nil
}
