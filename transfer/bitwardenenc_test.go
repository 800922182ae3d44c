package transfer

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"testing"

	"golang.org/x/crypto/argon2"

	"authdeck/vault"
)

// Versions of Bitwarden's password-protected export, as the clients'
// export services wrote them over time.
const (
	bwOldPBKDF2 = iota // 2021: kdfIterations only, always PBKDF2
	bwPBKDF2           // kdfType 0, kdfMemory and kdfParallelism null
	bwArgon2           // kdfType 1 with kdfMemory (MiB) and kdfParallelism
)

// genBitwardenProtected encrypts the plain JSON export plain as Bitwarden's
// buildPasswordExport does: a random 16-byte salt in base64 (used as text),
// the KDF of the password stretched with HKDF-Expand into encryption and MAC
// keys, and EncStrings of type 2 for a UUID check and the data.
func genBitwardenProtected(t testing.TB, plain []byte, password string, version int) []byte {
	salt := base64.StdEncoding.EncodeToString(random(16))
	var master []byte
	doc := map[string]any{"encrypted": true, "passwordProtected": true, "salt": salt}
	switch version {
	case bwOldPBKDF2, bwPBKDF2:
		var err error
		if master, err = pbkdf2.Key(sha256.New, password, []byte(salt), 5000, 32); err != nil {
			t.Fatal(err)
		}
		doc["kdfIterations"] = 5000
		if version == bwPBKDF2 {
			doc["kdfType"], doc["kdfMemory"], doc["kdfParallelism"] = 0, nil, nil
		}
	case bwArgon2:
		hashed := sha256.Sum256([]byte(salt))
		master = argon2.IDKey([]byte(password), hashed[:], 2, 16*1024, 4, 32)
		doc["kdfType"], doc["kdfIterations"], doc["kdfMemory"], doc["kdfParallelism"] = 1, 2, 16, 4
	}
	encKey, _ := hkdf.Expand(sha256.New, master, "enc", 32)
	macKey, _ := hkdf.Expand(sha256.New, master, "mac", 32)
	doc["encKeyValidation_DO_NOT_EDIT"] = encStringSeal(encKey, macKey, []byte("5b9f4e0c-7a1d-4c3e-9f2a-1b2c3d4e5f60"))
	doc["data"] = encStringSeal(encKey, macKey, plain)
	return mustJSON(t, doc)
}

// encStringSeal makes an EncString of type 2: AES-256-CBC, HMAC-SHA256 of
// IV and ciphertext.
func encStringSeal(encKey, macKey, plain []byte) string {
	iv := random(16)
	block, _ := aes.NewCipher(encKey)
	ct := pkcs7(plain)
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, ct)
	m := hmac.New(sha256.New, macKey)
	m.Write(iv)
	m.Write(ct)
	b64 := base64.StdEncoding.EncodeToString
	return "2." + b64(iv) + "|" + b64(ct) + "|" + b64(m.Sum(nil))
}

func bitwardenEncCases(t testing.TB) []genCase {
	all := genAccounts(t)
	plain := genBitwarden(t, all, false)
	want := make([]vault.Account, len(all))
	for i, a := range all {
		genBitwardenWant(i, &a)
		want[i] = a
	}
	var cases []genCase
	for v, name := range []string{"bitwarden_protected_2021.json", "bitwarden_protected_pbkdf2.json", "bitwarden_protected_argon2.json"} {
		cases = append(cases, genCase{name, FormatBitwarden, fuzzPassword, genBitwardenProtected(t, plain, fuzzPassword, v), want})
	}
	return cases
}
