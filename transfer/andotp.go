package transfer

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf8"

	"authdeck/vault"
)

// andOTP backups: a JSON list of entries (secret in base32, issuer, label,
// type TOTP, HOTP or STEAM, algorithm, digits, period, counter, tags). An
// encrypted backup (.json.aes) is, in the format of andOTP 0.6.3 and later,
// the PBKDF2 iteration count (4 bytes, big-endian), a 12-byte salt, a 12-byte
// nonce and AES-256-GCM ciphertext under PBKDF2-HMAC-SHA1(password, salt,
// iterations). The older format is the nonce and ciphertext alone, under the
// SHA-256 of the password, which DetectFormat takes any binary file of no
// other known kind for. andOTP also wrote OpenPGP-encrypted backups
// (.json.gpg), which need gpg first. The first tag becomes the group.

// Bounds on the PBKDF2 iterations of a hostile file; andOTP picks 140,000 to
// 160,000. Tests lower andotpMaxIterations.
var andotpMaxIterations = 1_000_000

const (
	andotpMinIterations = 1000
	andotpHeader        = 4 + 12 + 12
)

type andotpEntry struct {
	Secret    string   `json:"secret"`
	Issuer    string   `json:"issuer"`
	Label     string   `json:"label"`
	Digits    int      `json:"digits"`
	Type      string   `json:"type"`
	Algorithm string   `json:"algorithm"`
	Period    int      `json:"period"`
	Counter   uint64   `json:"counter"`
	Tags      []string `json:"tags"`
}

func andotpImport(data []byte, password PasswordFunc, budget *kdfBudget) ([]Entry, error) {
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '[' {
		var err error
		if data, err = andotpDecrypt(data, password, budget); err != nil {
			return nil, err
		}
	}
	list, err := jsonEntries(FormatAndOTP, data)
	if err != nil {
		return nil, err
	}
	return decodeEntries(list, "issuer", "label", func(e *andotpEntry) (Entry, bool) {
		a := vault.Account{
			Issuer:    e.Issuer,
			Name:      e.Label,
			Type:      otpType(e.Type),
			Algorithm: vault.Algorithm(e.Algorithm),
			Digits:    e.Digits,
			Period:    e.Period,
			Counter:   e.Counter,
		}
		if len(e.Tags) > 0 {
			a.Group = e.Tags[0]
		}
		secret, err := vault.ParseSecret(e.Secret)
		if err != nil {
			return invalidEntry(a.Issuer, a.Name, err), true
		}
		a.Secret = secret
		return entryFrom(a, e.Type), true
	}), nil
}

// andotpIterations returns the iteration count of the new encrypted format,
// or 0 if data does not start with a plausible one.
func andotpIterations(data []byte) int {
	if len(data) < andotpHeader+16 {
		return 0
	}
	n := binary.BigEndian.Uint32(data)
	if n < andotpMinIterations || n > uint32(andotpMaxIterations) {
		return 0
	}
	return int(n)
}

// andotpLooksEncrypted reports whether data starts like an encrypted backup
// in the new format.
func andotpLooksEncrypted(data []byte) bool { return andotpIterations(data) > 0 }

// andotpLooksOldEncrypted reports whether data could be an encrypted backup
// in the old format, which has no header: binary, long enough for a nonce,
// some ciphertext and the tag, and not a file of another known kind.
func andotpLooksOldEncrypted(data []byte) bool {
	if len(data) < 12+2+16 || utf8.Valid(data) {
		return false
	}
	for _, magic := range []string{"PK\x03\x04", "SQLite format 3\x00", "\x1f\x8b", "\xac\xed", "%PDF", "\x7fELF", "MZ"} {
		if bytes.HasPrefix(data, []byte(magic)) {
			return false
		}
	}
	return !isImage(data)
}

// andotpDecrypt opens an encrypted backup, new format or old.
func andotpDecrypt(data []byte, password PasswordFunc, budget *kdfBudget) ([]byte, error) {
	if len(data) < 12+16 {
		return nil, importErr(FormatAndOTP, "the file is too short to be an andOTP backup")
	}
	pass, err := askPassword(password)
	if err != nil {
		return nil, err
	}
	var plain []byte
	if iter := andotpIterations(data); iter > 0 {
		key, err := budget.pbkdf2(FormatAndOTP, kdfSHA1, []byte(pass), data[4:16], iter, 32)
		if err != nil {
			return nil, err
		}
		plain, err = gcmOpen(key, data[16:28], data[andotpHeader:])
		if err == nil {
			return andotpCheck(plain)
		}
	}
	// The old format, or a new-format file that the password does not open.
	key := sha256.Sum256([]byte(pass))
	if plain, err = gcmOpen(key[:], data[:12], data[12:]); err != nil {
		return nil, fmt.Errorf("%w for this andOTP backup (or the file is damaged)", ErrWrongPassword)
	}
	return andotpCheck(plain)
}

// andotpCheck checks that a decrypted backup is a list of entries.
func andotpCheck(plain []byte) ([]byte, error) {
	if !strings.HasPrefix(strings.TrimSpace(string(plain)), "[") {
		return nil, importErr(FormatAndOTP, "the decrypted backup is not a list of accounts")
	}
	return plain, nil
}
