package vault

import (
	"fmt"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
)

// Code returns a's code at time t. For HOTP it is the code of a.Counter, and t
// is not used; to consume it, see [Vault.NextHOTP].
func (a *Account) Code(t time.Time) (string, error) {
	return a.codeAt(a.step(t))
}

// NextCode returns the code of the TOTP or Steam time step after the one at t,
// which the window shows during the last seconds of a code.
func (a *Account) NextCode(t time.Time) (string, error) {
	return a.codeAt(a.step(t) + 1)
}

// Remaining returns how long the code at t stays valid. It is zero for HOTP.
func (a *Account) Remaining(t time.Time) time.Duration {
	if a.Type == HOTP || a.Period <= 0 {
		return 0
	}
	p := int64(a.Period) * int64(time.Second)
	return time.Duration(p - t.UnixNano()%p)
}

func (a *Account) step(t time.Time) uint64 {
	if a.Type == HOTP {
		return a.Counter
	}
	if a.Period <= 0 {
		return 0
	}
	return uint64(t.Unix() / int64(a.Period))
}

func (a *Account) codeAt(counter uint64) (string, error) {
	if a.NeedsVerification {
		return "", ErrNeedsVerification
	}
	if len(a.Secret) == 0 {
		return "", fmt.Errorf("%s has no secret", a.Label())
	}
	opts := hotp.ValidateOpts{Digits: otp.Digits(a.Digits)}
	switch a.Algorithm {
	case SHA1, "":
		opts.Algorithm = otp.AlgorithmSHA1
	case SHA256:
		opts.Algorithm = otp.AlgorithmSHA256
	case SHA512:
		opts.Algorithm = otp.AlgorithmSHA512
	default:
		return "", fmt.Errorf("algorithm %q is not supported", a.Algorithm)
	}
	if a.Type == Steam {
		opts.Digits, opts.Encoder = SteamDigits, otp.EncoderSteam
	}
	return hotp.GenerateCodeCustom(a.SecretBase32(), counter, opts)
}
