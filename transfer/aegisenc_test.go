package transfer

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/scrypt"
)

// TestExportEncrypted writes an encrypted Aegis vault and reads it back with
// the password: the same accounts and codes, the device-bound ones left out,
// a wrong password refused, and no secret in the file in plain text, in
// base32, hex, base64 or raw.
func TestExportEncrypted(t *testing.T) {
	n := aegisExportN
	aegisExportN = 1 << 10
	t.Cleanup(func() { aegisExportN = n })
	lowerKDFBounds(t)
	accounts := exportAccounts(t)
	data, leftOut, err := ExportEncrypted(accounts, FormatAegis, "export pass")
	if err != nil {
		t.Fatal(err)
	}
	if len(leftOut) != 2 {
		t.Errorf("left out %d accounts, want 2", len(leftOut))
	}
	for _, a := range accounts {
		if len(a.Secret) == 0 {
			continue
		}
		for _, form := range []string{a.SecretBase32(), strings.ToLower(a.SecretBase32()), hex.EncodeToString(a.Secret),
			base64.StdEncoding.EncodeToString(a.Secret), base64.RawStdEncoding.EncodeToString(a.Secret), string(a.Secret)} {
			if strings.Contains(string(data), form) {
				t.Errorf("the file holds the secret of %s as %q", a.Label(), form)
			}
		}
		if bytes.Contains(data, a.Secret) {
			t.Errorf("the file holds the raw secret of %s", a.Label())
		}
		// A short name such as "bob" turns up in random base64 by chance
		// now and then; six characters or more do not.
		if len(a.Name) >= 6 && strings.Contains(string(data), a.Name) {
			t.Errorf("the file holds the name of %s in plain text", a.Label())
		}
	}
	checkImport(t, genCase{format: FormatAegis, password: "export pass", data: data, want: genAccounts(t)}, data,
		time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC))
	if _, err := ImportAccounts(data, FormatAegis, func() (string, error) { return "export pas", nil }); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password: %v", err)
	}
}

// TestExportEncryptedSkeleton checks the file against Aegis' docs/vault.md:
// one password slot with scrypt N=2^15, r=8, p=1 and a 256-bit salt, the
// master key wrapped with AES-256-GCM, the db base64 of AES-256-GCM
// ciphertext whose nonce and tag are in the header, all hex where Aegis
// writes hex; and that the slot's key is what scrypt gives.
func TestExportEncryptedSkeleton(t *testing.T) {
	data, _, err := ExportEncrypted(genAccounts(t)[:1], FormatAegis, "pw")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Version int `json:"version"`
		Header  struct {
			Slots []struct {
				Type      int          `json:"type"`
				UUID      string       `json:"uuid"`
				Key       string       `json:"key"`
				KeyParams aegisKeyInfo `json:"key_params"`
				N, R, P   int
				Salt      string `json:"salt"`
			} `json:"slots"`
			Params aegisKeyInfo `json:"params"`
		} `json:"header"`
		DB string `json:"db"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	if file.Version != 1 || len(file.Header.Slots) != 1 {
		t.Fatalf("version %d, %d slots", file.Version, len(file.Header.Slots))
	}
	s := file.Header.Slots[0]
	salt, _ := hex.DecodeString(s.Salt)
	key, _ := hex.DecodeString(s.Key)
	nonce, _ := hex.DecodeString(s.KeyParams.Nonce)
	tag, _ := hex.DecodeString(s.KeyParams.Tag)
	if s.Type != 1 || s.N != 1<<15 || s.R != 8 || s.P != 1 || len(salt) != 32 || len(key) != 32 || len(nonce) != 12 || len(tag) != 16 || len(s.UUID) != 36 {
		t.Errorf("slot %+v", s)
	}
	kek, err := scrypt.Key([]byte("pw"), salt, 1<<15, 8, 1, 32)
	if err != nil {
		t.Fatal(err)
	}
	master, err := gcmOpen(kek, nonce, append(key, tag...))
	if err != nil {
		t.Fatalf("the slot does not open with scrypt of the password: %v", err)
	}
	ct, err1 := base64.StdEncoding.DecodeString(file.DB)
	dbNonce, err2 := hex.DecodeString(file.Header.Params.Nonce)
	dbTag, err3 := hex.DecodeString(file.Header.Params.Tag)
	if errors.Join(err1, err2, err3) != nil {
		t.Fatal("db or params not in base64 and hex")
	}
	plain, err := gcmOpen(master, dbNonce, append(ct, dbTag...))
	if err != nil {
		t.Fatal(err)
	}
	var db struct {
		Version int               `json:"version"`
		Entries []json.RawMessage `json:"entries"`
	}
	if json.Unmarshal(plain, &db) != nil || db.Version != 3 || len(db.Entries) != 1 {
		t.Errorf("db %s", plain)
	}
	if _, _, err := ExportEncrypted(genAccounts(t), FormatAegis, ""); !errors.Is(err, ErrExportPassword) {
		t.Errorf("empty password: %v", err)
	}
}
