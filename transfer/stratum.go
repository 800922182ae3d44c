package transfer

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/json"
	"fmt"

	"authdeck/vault"
)

// Stratum (formerly Authenticator Pro) backups, as Stratum.Core's Backup
// and its encryptions write them. A plain backup is JSON (Newtonsoft,
// PascalCase) with Authenticators (Type 1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5
// Yandex; Algorithm 0 SHA1, 1 SHA256, 2 SHA512; a base32 Secret), Categories
// and AuthenticatorCategories that bind a category to an authenticator's
// secret. An encrypted backup is that JSON behind one of two headers:
//   - "AUTHENTICATORPRO", a 16-byte salt, a 12-byte IV, then AES-256-GCM
//     (16-byte tag) under Argon2id(password, salt, 3 passes, 64 MiB, 4 lanes);
//   - "AuthenticatorPro" (the legacy format), a 20-byte salt, a 16-byte IV,
//     then AES-256-CBC with PKCS#7 padding under PBKDF2-HMAC-SHA1(password,
//     salt, 64,000 iterations).
// The first category an authenticator is in becomes its group.

const (
	stratumHeader       = "AUTHENTICATORPRO"
	stratumHeaderLegacy = "AuthenticatorPro"
	stratumSaltLen      = 16
	stratumIVLen        = 12
	stratumLegacySalt   = 20
	stratumLegacyIter   = 64_000
)

type stratumBackup struct {
	Authenticators json.RawMessage `json:"Authenticators"`
	Categories     []struct {
		ID   string `json:"Id"`
		Name string `json:"Name"`
	} `json:"Categories"`
	AuthenticatorCategories []struct {
		CategoryID          string `json:"CategoryId"`
		AuthenticatorSecret string `json:"AuthenticatorSecret"`
		Ranking             int    `json:"Ranking"`
	} `json:"AuthenticatorCategories"`
}

type stratumAuthenticator struct {
	Type      int     `json:"Type"`
	Issuer    string  `json:"Issuer"`
	Username  *string `json:"Username"`
	Secret    string  `json:"Secret"`
	Algorithm int     `json:"Algorithm"`
	Digits    int     `json:"Digits"`
	Period    int     `json:"Period"`
	Counter   uint64  `json:"Counter"`
}

// stratumLooksEncrypted reports whether data starts with either header of
// an encrypted backup.
func stratumLooksEncrypted(data []byte) bool {
	return bytes.HasPrefix(data, []byte(stratumHeader)) || bytes.HasPrefix(data, []byte(stratumHeaderLegacy))
}

func stratumImport(data []byte, password PasswordFunc, budget *kdfBudget) ([]Entry, error) {
	if stratumLooksEncrypted(data) {
		var err error
		if data, err = stratumDecrypt(data, password, budget); err != nil {
			return nil, err
		}
	}
	var backup stratumBackup
	if err := jsonFile(FormatStratum, data, &backup); err != nil {
		return nil, err
	}
	if backup.Authenticators == nil {
		return nil, importErr(FormatStratum, "the backup has no list of authenticators")
	}
	names := map[string]string{}
	for _, c := range backup.Categories {
		names[c.ID] = c.Name
	}
	groups := map[string]string{}
	for _, b := range backup.AuthenticatorCategories {
		if _, ok := groups[b.AuthenticatorSecret]; !ok && names[b.CategoryID] != "" {
			groups[b.AuthenticatorSecret] = names[b.CategoryID]
		}
	}
	list, err := jsonEntries(FormatStratum, backup.Authenticators)
	if err != nil {
		return nil, err
	}
	return decodeEntries(list, "Issuer", "Username", func(s *stratumAuthenticator) (Entry, bool) {
		return stratumEntry(s, groups[s.Secret]), true
	}), nil
}

func stratumEntry(s *stratumAuthenticator, group string) Entry {
	a := vault.Account{Issuer: s.Issuer, Digits: s.Digits, Period: s.Period, Counter: s.Counter, Group: group}
	if s.Username != nil {
		a.Name = *s.Username
	}
	typeName := fmt.Sprint(s.Type)
	switch s.Type {
	case 1:
		a.Type = vault.HOTP
	case 2:
		a.Type = vault.TOTP
	case 3:
		typeName = "mOTP"
	case 4:
		a.Type = vault.Steam
	case 5:
		typeName = "Yandex"
	}
	switch s.Algorithm {
	case 0:
		a.Algorithm = vault.SHA1
	case 1:
		a.Algorithm = vault.SHA256
	case 2:
		a.Algorithm = vault.SHA512
	default:
		return invalidEntry(a.Issuer, a.Name, fmt.Errorf("algorithm %d is not one Stratum has", s.Algorithm))
	}
	if a.Type == "" {
		return entryFrom(a, typeName)
	}
	secret, err := vault.ParseSecret(s.Secret)
	if err != nil {
		return invalidEntry(a.Issuer, a.Name, err)
	}
	a.Secret = secret
	return entryFrom(a, typeName)
}

// stratumDecrypt opens an encrypted backup, in either format.
func stratumDecrypt(data []byte, password PasswordFunc, budget *kdfBudget) ([]byte, error) {
	legacy := bytes.HasPrefix(data, []byte(stratumHeaderLegacy))
	body := data[len(stratumHeader):]
	saltLen, ivLen, minBody := stratumSaltLen, stratumIVLen, 16
	cost := argon2Cost(3, 64<<10)
	if legacy {
		saltLen, ivLen, minBody = stratumLegacySalt, aes.BlockSize, aes.BlockSize
		cost = pbkdf2Cost(kdfSHA1, stratumLegacyIter, 32)
	}
	if len(body) < saltLen+ivLen+minBody || legacy && (len(body)-saltLen-ivLen)%aes.BlockSize != 0 {
		return nil, importErr(FormatStratum, "the encrypted backup is truncated")
	}
	if err := budget.reserve(FormatStratum, cost); err != nil {
		return nil, err
	}
	pass, err := askPassword(password)
	if err != nil {
		return nil, err
	}
	salt, iv, ct := body[:saltLen], body[saltLen:saltLen+ivLen], body[saltLen+ivLen:]
	var plain []byte
	if legacy {
		key, err := budget.pbkdf2(FormatStratum, kdfSHA1, []byte(pass), salt, stratumLegacyIter, 32)
		if err != nil {
			return nil, err
		}
		plain, err = cbcOpen(key, iv, ct)
		if err == nil && !json.Valid(plain) {
			err = ErrWrongPassword
		}
		if err != nil {
			return nil, fmt.Errorf("%w for this Stratum backup (or the file is damaged)", ErrWrongPassword)
		}
		return plain, nil
	}
	key, err := budget.argon2id(FormatStratum, []byte(pass), salt, 3, 64<<10, 4, 32)
	if err != nil {
		return nil, err
	}
	if plain, err = gcmOpen(key, iv, ct); err != nil {
		return nil, fmt.Errorf("%w for this Stratum backup (or the file is damaged)", ErrWrongPassword)
	}
	return plain, nil
}

// cbcOpen decrypts ct with AES-CBC under key and iv and removes its PKCS#7
// padding. A padding that is not right says the key is wrong (or the data
// damaged): CBC has no authentication.
func cbcOpen(key, iv, ct []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(iv) != aes.BlockSize || len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, ErrWrongPassword
	}
	plain := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, ct)
	n := int(plain[len(plain)-1])
	if n < 1 || n > aes.BlockSize {
		return nil, ErrWrongPassword
	}
	for _, b := range plain[len(plain)-n:] {
		if int(b) != n {
			return nil, ErrWrongPassword
		}
	}
	return plain[:len(plain)-n], nil
}
