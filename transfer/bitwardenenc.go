package transfer

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Bitwarden's encrypted JSON exports. A "password protected" export holds
// salt (text), kdfType (0 PBKDF2-SHA256, 1 Argon2id), kdfIterations and, for
// Argon2id, kdfMemory (MiB) and kdfParallelism; encKeyValidation_DO_NOT_EDIT,
// a random UUID encrypted like the data, tells a wrong password; data is
// the plain JSON export, encrypted. The key is the KDF of the password (for
// Argon2id, salted with the SHA-256 of the salt), stretched with HKDF-Expand
// (SHA-256, info "enc" and "mac") into an AES-256 key and an HMAC-SHA256
// key. Encrypted values are Bitwarden EncStrings of type 2:
// "2.IV|ciphertext|MAC" in base64, AES-256-CBC with PKCS#7 padding and
// HMAC-SHA256 over IV and ciphertext. Exports older than Argon2id have no
// kdfType and use PBKDF2. An "account restricted" export (encrypted with
// the account's own key) can only be opened by Bitwarden.

// ErrBitwardenAccountRestricted is returned for an encrypted Bitwarden
// export that only the Bitwarden account that made it can open.
var ErrBitwardenAccountRestricted = errors.New("this encrypted export is restricted to the Bitwarden account that made it and can only be opened by Bitwarden: export the vault from Bitwarden again as \"JSON\" or \"JSON (Encrypted)\" with the \"Password protected\" type, and import that")

type bitwardenProtected struct {
	Encrypted         bool    `json:"encrypted"`
	PasswordProtected bool    `json:"passwordProtected"`
	Salt              string  `json:"salt"`
	KDFType           *int    `json:"kdfType"`
	KDFIterations     int     `json:"kdfIterations"`
	KDFMemory         *int    `json:"kdfMemory"`
	KDFParallelism    *int    `json:"kdfParallelism"`
	Validation        string  `json:"encKeyValidation_DO_NOT_EDIT"`
	Data              *string `json:"data"`
}

// bitwardenDecrypt returns the plain JSON export in data: data itself if it
// is not encrypted with a password.
func bitwardenDecrypt(data []byte, password PasswordFunc, budget *kdfBudget) ([]byte, error) {
	var file bitwardenProtected
	if err := jsonFile(FormatBitwarden, data, &file); err != nil {
		return nil, err
	}
	if !file.Encrypted {
		return data, nil
	}
	if !file.PasswordProtected {
		return nil, importErr(FormatBitwarden, "%w", ErrBitwardenAccountRestricted)
	}
	if file.Salt == "" || file.Data == nil || file.Validation == "" {
		return nil, importErr(FormatBitwarden, "the password-protected export is missing its salt, check or data")
	}
	check, err1 := parseEncString(file.Validation)
	sealed, err2 := parseEncString(*file.Data)
	if errors.Join(err1, err2) != nil {
		return nil, importErr(FormatBitwarden, "the encrypted data is damaged")
	}
	kdf, cost, err := bitwardenKDF(&file)
	if err != nil {
		return nil, err
	}
	if err := budget.reserve(FormatBitwarden, cost); err != nil {
		return nil, err
	}
	pass, err := askPassword(password)
	if err != nil {
		return nil, err
	}
	master, err := kdf(budget, []byte(pass))
	if err != nil {
		return nil, err
	}
	encKey, err1 := hkdf.Expand(sha256.New, master, "enc", 32)
	macKey, err2 := hkdf.Expand(sha256.New, master, "mac", 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, err
	}
	if _, err := check.open(encKey, macKey); err != nil {
		return nil, fmt.Errorf("%w for this Bitwarden export", ErrWrongPassword)
	}
	plain, err := sealed.open(encKey, macKey)
	if err != nil {
		return nil, importErr(FormatBitwarden, "the password is right but the encrypted data is damaged")
	}
	return plain, nil
}

// bitwardenKDF returns the key derivation the export names and its cost.
func bitwardenKDF(file *bitwardenProtected) (func(*kdfBudget, []byte) ([]byte, error), kdfCost, error) {
	salt, iter := []byte(file.Salt), file.KDFIterations
	kind := 0
	if file.KDFType != nil {
		kind = *file.KDFType
	}
	switch kind {
	case 0:
		if iter < 1 {
			return nil, kdfCost{}, importErr(FormatBitwarden, "the export's PBKDF2 iterations (%d) are not valid", iter)
		}
		return func(b *kdfBudget, pass []byte) ([]byte, error) {
			return b.pbkdf2(FormatBitwarden, kdfSHA256, pass, salt, iter, 32)
		}, pbkdf2Cost(kdfSHA256, iter, 32), nil
	case 1:
		if file.KDFMemory == nil || file.KDFParallelism == nil {
			return nil, kdfCost{}, importErr(FormatBitwarden, "the export's Argon2id memory or parallelism is missing")
		}
		mem, par := *file.KDFMemory, *file.KDFParallelism
		if iter < 1 || mem < 1 || mem > 1<<22 || par < 1 || par > 255 || mem*1024 < 8*par {
			return nil, kdfCost{}, importErr(FormatBitwarden, "the export's Argon2id parameters (%d iterations, %d MiB, %d lanes) are not valid", iter, mem, par)
		}
		hashed := sha256.Sum256(salt)
		memKiB := uint32(mem) * 1024
		return func(b *kdfBudget, pass []byte) ([]byte, error) {
			return b.argon2id(FormatBitwarden, pass, hashed[:], uint32(iter), memKiB, par, 32)
		}, argon2Cost(uint32(iter), memKiB), nil
	}
	return nil, kdfCost{}, importErr(FormatBitwarden, "key derivation type %d is not one Bitwarden uses", kind)
}

// encString is a Bitwarden EncString of type 2.
type encString struct{ iv, ct, mac []byte }

func parseEncString(s string) (encString, error) {
	kind, rest, ok := strings.Cut(s, ".")
	if !ok || kind != "2" {
		return encString{}, errors.New("not an AES-CBC-HMAC EncString")
	}
	parts := strings.Split(rest, "|")
	if len(parts) != 3 {
		return encString{}, errors.New("not three parts")
	}
	var out [3][]byte
	for i, p := range parts {
		b, err := base64.StdEncoding.DecodeString(p)
		if err != nil {
			return encString{}, err
		}
		out[i] = b
	}
	if len(out[0]) != 16 || len(out[2]) != 32 {
		return encString{}, errors.New("bad IV or MAC")
	}
	return encString{iv: out[0], ct: out[1], mac: out[2]}, nil
}

// open checks the MAC and decrypts.
func (e encString) open(encKey, macKey []byte) ([]byte, error) {
	m := hmac.New(sha256.New, macKey)
	m.Write(e.iv)
	m.Write(e.ct)
	if !hmac.Equal(m.Sum(nil), e.mac) {
		return nil, ErrWrongPassword
	}
	return cbcOpen(encKey, e.iv, e.ct)
}
