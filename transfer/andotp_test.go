package transfer

import (
	"errors"
	"testing"
	"time"
)

// TestAndOTPOldFormat reads a backup encrypted in andOTP's format before
// 0.6.3: a nonce and AES-256-GCM ciphertext under the SHA-256 of the
// password, with no header, which auto-detection finds too.
func TestAndOTPOldFormat(t *testing.T) {
	want := genAccounts(t)
	data := genAndOTPOld(t, want, "old pw")
	checkImport(t, genCase{format: FormatAndOTP, password: "old pw", want: want}, data, time.Unix(1_800_000_000, 0))
	im, err := ImportAccounts(data, FormatAuto, func() (string, error) { return "old pw", nil })
	if err != nil || len(im.Accounts()) != len(want) {
		t.Errorf("auto-detected: %v", err)
	}
	if _, err := ImportAccounts(data, FormatAuto, func() (string, error) { return "new pw", nil }); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password: %v, want ErrWrongPassword", err)
	}
	// Binary files of other kinds are not taken for one.
	for _, magic := range []string{"PK\x03\x04", "SQLite format 3\x00", "\xac\xed\x00\x05"} {
		other := append([]byte(magic), data...)
		if f, _ := DetectFormat(other); f == FormatAndOTP {
			t.Errorf("a file starting %q taken for an andOTP backup", magic)
		}
	}
}
