// Package vault holds Authdeck's accounts: their one-time codes, otpauth URIs,
// the encrypted store that keeps them, the OS keychain that keeps its key, and
// the one merge rule that every way of bringing accounts in follows.
package vault

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
)

// Type is the kind of one-time code an account produces.
type Type string

// The code types Authdeck supports.
const (
	TOTP  Type = "totp"  // RFC 6238, time-based
	HOTP  Type = "hotp"  // RFC 4226, counter-based
	Steam Type = "steam" // Steam Guard: 5 characters from Steam's alphabet, every 30 s
)

// Algorithm is the HMAC hash an account's codes use.
type Algorithm string

// The supported HMAC algorithms.
const (
	SHA1   Algorithm = "SHA1"
	SHA256 Algorithm = "SHA256"
	SHA512 Algorithm = "SHA512"
)

// Binding says whether an account's secret may leave this device.
type Binding string

// The two bindings: a portable account goes into backups and exports; a
// device-bound one never leaves the device it was added on.
const (
	Portable    Binding = "portable"
	DeviceBound Binding = "device"
)

// Limits on an account's parameters.
const (
	MinDigits, MaxDigits = 4, 10 // read and written everywhere
	MinPeriod, MaxPeriod = 1, 300
	DefaultPeriod        = 30
	DefaultDigits        = 6
	SteamDigits          = 5
)

// Account is one credential: what it is called, its secret and how codes are
// made from it. Accounts are kept in the vault in tile order.
type Account struct {
	ID        string    `json:"id"`
	Issuer    string    `json:"issuer,omitempty"`
	Name      string    `json:"name"`
	Secret    []byte    `json:"secret,omitempty"`
	Type      Type      `json:"type"`
	Algorithm Algorithm `json:"algorithm"`
	Digits    int       `json:"digits"`
	// Period is the TOTP and Steam time step in seconds.
	Period int `json:"period,omitempty"`
	// Counter is the HOTP counter of the next code to use.
	Counter uint64  `json:"counter,omitempty"`
	Binding Binding `json:"binding"`
	Group   string  `json:"group,omitempty"`
	// Favorite pins the account's tile first and puts it in the tray menu.
	Favorite bool `json:"favorite,omitempty"`
	// Icon is the icon the user chose for the tile: empty for the one matched
	// from the issuer, [IconLetter] for the letter, else a brand icon's name
	// (package assets/brands). See [Account.Validate] for its rules.
	Icon string `json:"icon,omitempty"`
	// IconImage is a custom image for the tile, PNG or JPEG, at most
	// [MaxIconImageBytes] and [MaxIconImageSide] pixels a side; it wins over Icon.
	IconImage []byte `json:"icon_image,omitempty"`
	// NeedsVerification marks a device-bound account restored without its
	// secret: it has no codes until a fresh QR code from the provider completes it.
	NeedsVerification bool      `json:"needs_verification,omitempty"`
	Created           time.Time `json:"created"`
	Updated           time.Time `json:"updated"`
}

// ErrNeedsVerification is returned for codes of an account that was restored
// without its device-bound secret.
var ErrNeedsVerification = errors.New("account needs verification: scan a fresh QR code from its provider")

// Label is the account's display name: "Issuer: name", or the name alone.
func (a *Account) Label() string {
	if a.Issuer == "" {
		return a.Name
	}
	return a.Issuer + ": " + a.Name
}

// SecretBase32 returns the secret in upper-case base32 without padding.
func (a *Account) SecretBase32() string {
	return b32.EncodeToString(a.Secret)
}

// SameIdentity reports whether a and b have the same issuer and name, the
// rule by which two accounts are taken to be the same login.
func (a *Account) SameIdentity(b *Account) bool {
	return strings.EqualFold(strings.TrimSpace(a.Issuer), strings.TrimSpace(b.Issuer)) &&
		strings.EqualFold(strings.TrimSpace(a.Name), strings.TrimSpace(b.Name))
}

// Normalize fills in the defaults of a's type: SHA1, 6 digits, 30 s, and
// Steam's fixed parameters, and the portable binding. It cleans the issuer,
// name and group with [CleanLabel].
func (a *Account) Normalize() {
	a.Type = Type(strings.ToLower(string(a.Type)))
	if a.Type == "" {
		a.Type = TOTP
	}
	a.Algorithm = Algorithm(strings.ToUpper(string(a.Algorithm)))
	if a.Algorithm == "" {
		a.Algorithm = SHA1
	}
	if a.Binding == "" {
		a.Binding = Portable
	}
	switch a.Type {
	case Steam:
		a.Algorithm, a.Digits, a.Period = SHA1, SteamDigits, DefaultPeriod
	case TOTP:
		if a.Period == 0 {
			a.Period = DefaultPeriod
		}
	case HOTP:
		a.Period = 0
	}
	if a.Digits == 0 {
		a.Digits = DefaultDigits
	}
	a.Issuer = CleanLabel(a.Issuer)
	a.Name = CleanLabel(a.Name)
	a.Group = CleanLabel(a.Group)
}

// CleanLabel returns s as it can be shown and stored: valid UTF-8, without
// control characters (an escape sequence in a label would drive the
// terminal that lists it), and without surrounding space.
func CleanLabel(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// ErrCounterTooLarge is returned for an HOTP counter that cannot advance:
// the next code would wrap it around to 0.
var ErrCounterTooLarge = errors.New("counter is too large")

// Validate reports the first thing wrong with a, in words a person understands.
// It accepts 4 to 10 digits ([MinDigits] to [MaxDigits]) and 5 for Steam.
func (a *Account) Validate() error {
	if a.Issuer == "" && a.Name == "" {
		return errors.New("account needs an issuer or a name")
	}
	switch a.Type {
	case TOTP, HOTP, Steam:
	default:
		return fmt.Errorf("type %q is not supported: use totp, hotp or steam", a.Type)
	}
	switch a.Algorithm {
	case SHA1, SHA256, SHA512:
	default:
		return fmt.Errorf("algorithm %q is not supported: use SHA1, SHA256 or SHA512", a.Algorithm)
	}
	if a.Type == Steam {
		if a.Digits != SteamDigits {
			return errors.New("steam codes have 5 characters")
		}
	} else if a.Digits < MinDigits || a.Digits > MaxDigits {
		return fmt.Errorf("digits must be %d to %d", MinDigits, MaxDigits)
	}
	if a.Type == HOTP && a.Counter == math.MaxUint64 {
		return ErrCounterTooLarge
	}
	if a.Type != HOTP && (a.Period < MinPeriod || a.Period > MaxPeriod) {
		return fmt.Errorf("period must be %d to %d seconds", MinPeriod, MaxPeriod)
	}
	switch a.Binding {
	case Portable, DeviceBound:
	default:
		return fmt.Errorf("binding %q is not known: use portable or device", a.Binding)
	}
	if len(a.Secret) == 0 && !a.NeedsVerification {
		return errors.New("secret is empty")
	}
	return a.validateIcon()
}

// b32 is the strict encoding Authdeck writes: upper case, no padding.
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// ParseSecret decodes a base32 secret the way people type and paste them:
// any case, with spaces, hyphens or padding.
func ParseSecret(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '-':
			return -1
		}
		return r
	}, s)
	s = strings.ToUpper(strings.TrimRight(s, "="))
	if s == "" {
		return nil, errors.New("secret is empty")
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') }); i >= 0 {
		return nil, fmt.Errorf("secret is not valid base32: %q is not a base32 letter (A-Z, 2-7)", s[i:i+1])
	}
	switch len(s) % 8 {
	case 1, 3, 6:
		return nil, errors.New("secret is not valid base32: its length is wrong (a letter missing or extra?)")
	}
	key, err := b32.DecodeString(s)
	if err != nil {
		return nil, errors.New("secret is not valid base32")
	}
	return key, nil
}

// NewID returns a new random account ID.
func NewID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("vault: no randomness: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}
