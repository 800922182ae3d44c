package transfer

import (
	"crypto/sha256"
	"errors"
	"testing"
	"time"
)

// TestAndOTPOldFormat reads a backup encrypted in andOTP's format before
// 0.6.3: a nonce and AES-256-GCM ciphertext under the SHA-256 of the
// password, with no header, so only --from andotp reads it.
func TestAndOTPOldFormat(t *testing.T) {
	want := genAccounts(t)
	key := sha256.Sum256([]byte("old pw"))
	nonce := random(12)
	nonce[0] = 0xff // not an iteration count of the new format
	data := append(nonce, gcmSeal(t, key[:], nonce, genAndOTP(t, want, "", 0))...)
	checkImportAs(t, genCase{format: FormatAndOTP, password: "old pw", want: want}, data, time.Unix(1_800_000_000, 0), false)
	if _, err := ImportAccounts(data, FormatAndOTP, func() (string, error) { return "new pw", nil }); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password: %v, want ErrWrongPassword", err)
	}
}
