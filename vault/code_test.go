package vault

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/binary"
	"testing"
	"time"
)

// RFC 4226 Appendix D: the HOTP values of the ASCII secret "12345678901234567890".
func TestHOTPVectors(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for counter, code := range want {
		a := Account{Type: HOTP, Secret: []byte("12345678901234567890"), Counter: uint64(counter)}
		a.Normalize()
		got, err := a.Code(time.Time{})
		if err != nil || got != code {
			t.Errorf("counter %d: got %q, %v; want %s", counter, got, err, code)
		}
	}
}

// RFC 6238 Appendix B with the errata's seeds: 20, 32 and 64 bytes for SHA1,
// SHA256 and SHA512.
func TestTOTPVectors(t *testing.T) {
	seeds := map[Algorithm][]byte{
		SHA1:   []byte("12345678901234567890"),
		SHA256: []byte("12345678901234567890123456789012"),
		SHA512: []byte("1234567890123456789012345678901234567890123456789012345678901234"),
	}
	tests := []struct {
		unix int64
		alg  Algorithm
		code string
	}{
		{59, SHA1, "94287082"}, {59, SHA256, "46119246"}, {59, SHA512, "90693936"},
		{1111111109, SHA1, "07081804"}, {1111111109, SHA256, "68084774"}, {1111111109, SHA512, "25091201"},
		{1111111111, SHA1, "14050471"}, {1111111111, SHA256, "67062674"}, {1111111111, SHA512, "99943326"},
		{1234567890, SHA1, "89005924"}, {1234567890, SHA256, "91819424"}, {1234567890, SHA512, "93441116"},
		{2000000000, SHA1, "69279037"}, {2000000000, SHA256, "90698825"}, {2000000000, SHA512, "38618901"},
		{20000000000, SHA1, "65353130"}, {20000000000, SHA256, "77737706"}, {20000000000, SHA512, "47863826"},
	}
	for _, tt := range tests {
		a := Account{Type: TOTP, Algorithm: tt.alg, Digits: 8, Secret: seeds[tt.alg]}
		a.Normalize()
		got, err := a.Code(time.Unix(tt.unix, 0))
		if err != nil || got != tt.code {
			t.Errorf("%s at %d: got %q, %v; want %s", tt.alg, tt.unix, got, err, tt.code)
		}
	}
}

// steamCode is Steam Guard's algorithm written out independently of pquerna/otp:
// HMAC-SHA1 of the 30 s step, RFC 4226 dynamic truncation, then five
// characters of Steam's 26-letter alphabet, least significant first.
func steamCode(secret []byte, t time.Time) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(t.Unix()/30))
	mac := hmac.New(sha1.New, secret)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[19] & 15
	v := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	const alphabet = "23456789BCDFGHJKMNPQRTVWXY"
	code := make([]byte, 5)
	for i := range code {
		code[i] = alphabet[v%26]
		v /= 26
	}
	return string(code)
}

func TestSteamCodes(t *testing.T) {
	secret, err := ParseSecret("JBSWY3DPEHPK3PXP")
	if err != nil {
		t.Fatal(err)
	}
	a := Account{Type: Steam, Secret: secret}
	a.Normalize()
	for _, unix := range []int64{0, 59, 1111111109, 1700000000, 2000000000} {
		at := time.Unix(unix, 0)
		got, err := a.Code(at)
		if want := steamCode(secret, at); err != nil || got != want {
			t.Errorf("at %d: got %q, %v; want %s", unix, got, err, want)
		}
	}
	// Vectors published by other authenticators: KeePassXC's tests, and a
	// secret of twenty zero bytes at steps 0 and 1.
	vectors := []struct {
		secret string
		unix   int64
		code   string
	}{
		{"63BEDWCQZKTQWPESARIERL5DTTQFCJTK", 1511200518, "FR8RV"},
		{"63BEDWCQZKTQWPESARIERL5DTTQFCJTK", 1511200714, "9P3VP"},
		{"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0, "RYH4D"},
		{"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 30, "DR2DK"},
	}
	for _, v := range vectors {
		a := Account{Type: Steam}
		a.Secret, _ = ParseSecret(v.secret)
		a.Normalize()
		if got, err := a.Code(time.Unix(v.unix, 0)); err != nil || got != v.code {
			t.Errorf("%s at %d: got %q, %v; want %s", v.secret, v.unix, got, err, v.code)
		}
	}
}

func TestNextCodeAndRemaining(t *testing.T) {
	a := Account{Type: TOTP, Secret: []byte("12345678901234567890"), Digits: 8}
	a.Normalize()
	at := time.Unix(1111111109, 0) // 1111111109 % 30 == 29: one second left
	if got := a.Remaining(at); got != time.Second {
		t.Errorf("remaining: got %v, want 1s", got)
	}
	next, _ := a.NextCode(at)
	if want, _ := a.Code(at.Add(time.Second)); next != want || next != "14050471" {
		t.Errorf("next code: got %s, want %s (RFC 6238 at 1111111111)", next, want)
	}
}

func TestNeedsVerificationHasNoCode(t *testing.T) {
	a := Account{Type: TOTP, Name: "x", NeedsVerification: true, Binding: DeviceBound}
	a.Normalize()
	if _, err := a.Code(time.Now()); err != ErrNeedsVerification {
		t.Errorf("got %v, want ErrNeedsVerification", err)
	}
}

func TestNextHOTPConsumesCounter(t *testing.T) {
	v := &Vault{Accounts: []Account{{ID: "h", Name: "h", Type: HOTP, Secret: []byte("12345678901234567890")}}}
	v.Accounts[0].Normalize()
	for _, want := range []string{"755224", "287082"} {
		code, err := v.NextHOTP("h", time.Now())
		if err != nil || code != want {
			t.Fatalf("got %q, %v; want %s", code, err, want)
		}
	}
	if v.Accounts[0].Counter != 2 {
		t.Errorf("counter: got %d, want 2", v.Accounts[0].Counter)
	}
}
