package transfer

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"authdeck/vault"
)

// Encrypted Aegis vaults, written as Aegis' docs/vault.md describes them and
// as Aegis itself writes them: a random 256-bit master key encrypts the db
// (the same content as a plain export) with AES-256-GCM; one password slot
// holds the master key wrapped with AES-256-GCM under scrypt(password, a
// random 256-bit salt, N=2^15, r=8, p=1). Nonces are random 96-bit values,
// and nonces, tags, keys and salts are hex; the db ciphertext is base64.
// Aegis, 2FAS, Ente and Proton Authenticator import such a vault.

// The scrypt parameters Aegis uses for password slots. Tests lower
// aegisExportN.
var aegisExportN = 1 << 15

const (
	aegisExportR = 8
	aegisExportP = 1
)

// ErrExportPassword is returned for an encrypted export without a password.
var ErrExportPassword = errors.New("an encrypted export needs a password")

// ExportEncrypted writes the portable accounts among accounts in format f
// encrypted with password: [FormatAegis], an encrypted Aegis vault. Like
// [ExportAccounts], it returns the accounts left out. No secret is in the
// file in plain text.
func ExportEncrypted(accounts []vault.Account, f Format, password string) (data []byte, leftOut []vault.Account, err error) {
	if f != FormatAegis {
		return nil, nil, fmt.Errorf("cannot export to %q with a password: use aegis", f)
	}
	if password == "" {
		return nil, nil, ErrExportPassword
	}
	var out []vault.Account
	for _, a := range accounts {
		if Exportable(&a) {
			out = append(out, a)
		} else {
			leftOut = append(leftOut, a)
		}
	}
	plain, err := aegisExport(out)
	if err != nil {
		return nil, nil, err
	}
	if data, err = aegisEncrypt(plain, password); err != nil {
		return nil, nil, err
	}
	return data, leftOut, nil
}

// aegisEncrypt turns a plain vault into an encrypted one.
func aegisEncrypt(plainVault []byte, password string) ([]byte, error) {
	var file struct {
		DB json.RawMessage `json:"db"`
	}
	if err := json.Unmarshal(plainVault, &file); err != nil {
		return nil, err
	}
	master := make([]byte, 32)
	salt := make([]byte, 32)
	rand.Read(master) // never fails: it crashes the program instead
	rand.Read(salt)
	kek, err := newKDFBudget(FormatAegis).scrypt(FormatAegis, []byte(password), salt, aegisExportN, aegisExportR, aegisExportP, 32)
	if err != nil {
		return nil, err
	}
	wrapped, keyParams, err := aegisSeal(kek, master)
	if err != nil {
		return nil, err
	}
	db, params, err := aegisSeal(master, file.DB)
	if err != nil {
		return nil, err
	}
	type slot struct {
		Type      int          `json:"type"`
		UUID      string       `json:"uuid"`
		Key       string       `json:"key"`
		KeyParams aegisKeyInfo `json:"key_params"`
		N         int          `json:"n"`
		R         int          `json:"r"`
		P         int          `json:"p"`
		Salt      string       `json:"salt"`
		Repaired  bool         `json:"repaired"`
		IsBackup  bool         `json:"is_backup"`
	}
	type header struct {
		Slots  []slot       `json:"slots"`
		Params aegisKeyInfo `json:"params"`
	}
	out := struct {
		Version int    `json:"version"`
		Header  header `json:"header"`
		DB      string `json:"db"`
	}{
		Version: 1,
		Header: header{
			Slots: []slot{{
				Type: aegisPasswordSlot, UUID: aegisUUID(),
				Key: hex.EncodeToString(wrapped), KeyParams: keyParams,
				N: aegisExportN, R: aegisExportR, P: aegisExportP,
				Salt: hex.EncodeToString(salt), Repaired: true,
			}},
			Params: params,
		},
		DB: base64.StdEncoding.EncodeToString(db),
	}
	data, err := json.MarshalIndent(out, "", "    ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// aegisSeal encrypts plain with AES-256-GCM under key and a random nonce,
// and returns the ciphertext and, apart, the nonce and tag.
func aegisSeal(key, plain []byte) ([]byte, aegisKeyInfo, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, aegisKeyInfo{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, aegisKeyInfo{}, err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	sealed := aead.Seal(nil, nonce, plain, nil)
	ct, tag := sealed[:len(sealed)-aead.Overhead()], sealed[len(sealed)-aead.Overhead():]
	return ct, aegisKeyInfo{Nonce: hex.EncodeToString(nonce), Tag: hex.EncodeToString(tag)}, nil
}
