package vault

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ErrNotAccountURI is returned by [ParseURI] for text that is not an
// otpauth:// or steam:// URI at all, such as a QR code holding a web link.
var ErrNotAccountURI = errors.New("not an account: expected an otpauth:// URI")

// URIError is a URI that names an account but cannot be used: Field names
// the part that is wrong ("secret", "digits", "counter", ...), Reason says
// what is wrong in words, and Err is the cause when there is one to branch
// on, such as [ErrCounterTooLarge]. Its message never contains the secret.
type URIError struct {
	Field  string
	Reason string
	Err    error
	// Issuer and Name are the account's label as far as it was read before
	// the error, so that a list can name the URI that cannot be used.
	Issuer, Name string
}

func (e *URIError) Error() string { return "otpauth URI: " + e.Reason }

func (e *URIError) Unwrap() error { return e.Err }

func uriErr(field, format string, args ...any) error {
	return &URIError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// uriCause is a URIError about field whose cause is err.
func uriCause(field string, err error) error {
	return &URIError{Field: field, Reason: err.Error(), Err: err}
}

// decoderPrefix is what zbarimg prints before the text of each QR code.
const decoderPrefix = "QR-Code:"

// DecoderText returns the text of a QR code as a decoder printed it, without
// zbarimg's "QR-Code:" prefix (in any case), a byte order mark and the space
// around them: "  QR-Code:otpauth://totp/..." gives "otpauth://totp/...".
// Other text is returned without the space around it.
func DecoderText(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "\ufeff"))
	if len(s) >= len(decoderPrefix) && strings.EqualFold(s[:len(decoderPrefix)], decoderPrefix) {
		s = strings.TrimSpace(s[len(decoderPrefix):])
	}
	return s
}

// ParseURI reads an account from an otpauth:// URI, leniently: base32 in any
// case with spaces or padding, percent-encoded labels, the issuer as an
// `issuer` parameter or an "Issuer:" label prefix, and Steam in every dialect
// (otpauth://steam/, encoder=steam, tokenType=steam and Bitwarden's
// steam://SECRET). Unknown parameters are ignored. Digits must be
// [MinDigits] to [MaxDigits]. The URI may stand as decoders print it (see
// [DecoderText]).
//
// The account has no ID or times yet; [Vault.Apply] gives it those.
func ParseURI(s string) (_ Account, err error) {
	var issuer, name string
	defer func() {
		if ue, ok := err.(*URIError); ok {
			ue.Issuer, ue.Name = issuer, name
		}
	}()
	s = DecoderText(s)
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok {
		return Account{}, ErrNotAccountURI
	}
	switch strings.ToLower(scheme) {
	case "steam":
		secret, err := ParseSecret(strings.TrimPrefix(rest, "//"))
		if err != nil {
			return Account{}, uriCause("secret", err)
		}
		a := Account{Issuer: "Steam", Name: "Steam", Type: Steam, Secret: secret}
		a.Normalize()
		return a, nil
	case "otpauth":
	default:
		return Account{}, ErrNotAccountURI
	}
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" {
		return Account{}, uriErr("uri", "malformed URI")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Account{}, uriErr("parameters", "malformed parameters")
	}
	param := func(k string) string {
		for key, v := range q {
			if strings.EqualFold(key, k) && len(v) > 0 {
				return strings.TrimSpace(v[0])
			}
		}
		return ""
	}

	var a Account
	switch t := strings.ToLower(u.Host); t {
	case "totp", "hotp", "steam":
		a.Type = Type(t)
	case "":
		return Account{}, uriErr("type", "type is missing: expected otpauth://totp/ or otpauth://hotp/")
	default:
		return Account{}, uriErr("type", "type %q is not supported: use totp, hotp or steam", t)
	}
	if strings.EqualFold(param("encoder"), "steam") || strings.EqualFold(param("tokenType"), "steam") {
		a.Type = Steam
	}

	a.Issuer, a.Name = splitLabel(u, param("issuer"))
	issuer, name = a.Issuer, a.Name

	raw := param("secret")
	if raw == "" {
		return Account{}, uriErr("secret", "secret is missing")
	}
	if a.Secret, err = ParseSecret(raw); err != nil {
		return Account{}, uriCause("secret", err)
	}

	if alg := param("algorithm"); alg != "" {
		a.Algorithm = Algorithm(strings.ToUpper(strings.ReplaceAll(alg, "-", "")))
		switch a.Algorithm {
		case SHA1, SHA256, SHA512:
		default:
			return Account{}, uriErr("algorithm", "algorithm %q is not supported: use SHA1, SHA256 or SHA512", alg)
		}
	}
	if d := param("digits"); d != "" && a.Type != Steam {
		n, err := strconv.Atoi(d)
		if err != nil || n < MinDigits || n > MaxDigits {
			return Account{}, uriErr("digits", "digits must be %d to %d", MinDigits, MaxDigits)
		}
		a.Digits = n
	}
	if p := param("period"); p != "" && a.Type == TOTP {
		n, err := strconv.Atoi(p)
		if err != nil || n < MinPeriod || n > MaxPeriod {
			return Account{}, uriErr("period", "period must be %d to %d seconds", MinPeriod, MaxPeriod)
		}
		a.Period = n
	}
	if c := param("counter"); c != "" && a.Type == HOTP {
		n, err := strconv.ParseUint(c, 10, 64)
		if errors.Is(err, strconv.ErrRange) {
			return Account{}, uriCause("counter", ErrCounterTooLarge)
		}
		if err != nil {
			return Account{}, uriErr("counter", "counter must be a whole number")
		}
		a.Counter = n
	}
	a.Normalize()
	if a.Type == Steam && a.Issuer == "" {
		a.Issuer = "Steam"
	}
	if err := a.Validate(); err != nil {
		return Account{}, uriCause(fieldOf(err), err)
	}
	return a, nil
}

// fieldOf names the field that an error of [Account.Validate] is about.
func fieldOf(err error) string {
	if errors.Is(err, ErrCounterTooLarge) {
		return "counter"
	}
	return "account"
}

// splitLabel reads the issuer and account name from a URI's label. The issuer
// parameter wins over a label prefix. The prefix ends at the first literal
// colon, where a writer escaped the issuer's own colons, or else at the first
// escaped one.
func splitLabel(u *url.URL, issuer string) (string, string) {
	label := strings.TrimPrefix(u.Path, "/")
	if issuer != "" {
		if name, ok := strings.CutPrefix(label, issuer+":"); ok {
			return issuer, name
		}
	}
	prefix, name, ok := strings.Cut(strings.TrimPrefix(u.EscapedPath(), "/"), ":")
	if ok {
		prefix, _ = url.PathUnescape(prefix)
		name, _ = url.PathUnescape(name)
	} else if prefix, name, ok = strings.Cut(label, ":"); !ok {
		prefix, name = "", label
	}
	if issuer != "" {
		prefix = issuer
	}
	return prefix, name
}

// URI writes a as an otpauth:// URI in Google's Key Uri Format, with every
// parameter spelled out. Steam accounts are written as otpauth://steam/, the
// dialect most authenticators read. It holds the secret: callers check the
// binding before they show or export it.
func (a *Account) URI() string {
	var b strings.Builder
	b.WriteString("otpauth://")
	b.WriteString(string(a.Type))
	b.WriteString("/")
	if a.Issuer != "" {
		b.WriteString(escape(a.Issuer))
		b.WriteString(":")
	}
	b.WriteString(escape(a.Name))
	b.WriteString("?secret=")
	b.WriteString(a.SecretBase32())
	if a.Issuer != "" {
		b.WriteString("&issuer=")
		b.WriteString(escape(a.Issuer))
	}
	fmt.Fprintf(&b, "&algorithm=%s&digits=%d", a.Algorithm, a.Digits)
	if a.Type == HOTP {
		fmt.Fprintf(&b, "&counter=%d", a.Counter)
	} else {
		fmt.Fprintf(&b, "&period=%d", a.Period)
	}
	return b.String()
}

// escape percent-encodes everything but the unreserved characters of RFC 3986
// and '@', so a label survives every reader: spaces become %20, a colon in an
// issuer becomes %3A.
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~@", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
