package scan

import (
	"encoding/base64"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"

	"authdeck/vault"
)

// MigrationScheme starts the text of a Google Authenticator transfer code.
const MigrationScheme = "otpauth-migration:"

// Bounds on a transfer: a QR code holds under 3 KB, so anything larger is not
// a real one, and nothing in it is allowed to grow without limit.
const (
	maxMigrationText = 16 << 10
	maxSecret        = 256
	maxLabel         = 512
	maxBatchSize     = 1000
)

// ErrBadMigration is returned for a Google Authenticator transfer code whose
// contents cannot be read.
var ErrBadMigration = errors.New("the Google Authenticator transfer code is damaged or incomplete")

// ErrOtherBatch is returned by [Batch.Add] for a code from another transfer.
var ErrOtherBatch = errors.New("this code belongs to another Google Authenticator transfer")

// Migration is the content of one Google Authenticator transfer code
// (otpauth-migration://offline?data=...). A transfer of many accounts is
// spread over BatchSize codes numbered from 0, all with the same BatchID.
type Migration struct {
	Accounts   []vault.Account
	Version    int
	BatchSize  int
	BatchIndex int
	BatchID    int32
}

// EntryError is an account of a transfer that cannot be used, such as one
// with the MD5 algorithm. The other accounts are still read.
type EntryError struct {
	Index int    // position in the code, from 0
	Label string // "Issuer: name", as far as it could be read
	Err   error
}

func (e *EntryError) Error() string {
	return fmt.Sprintf("account %d (%s): %v", e.Index+1, e.Label, e.Err)
}

func (e *EntryError) Unwrap() error { return e.Err }

// The MigrationPayload and OtpParameters fields of Google Authenticator's
// protobuf schema.
const (
	fieldOtpParameters protowire.Number = 1
	fieldVersion       protowire.Number = 2
	fieldBatchSize     protowire.Number = 3
	fieldBatchIndex    protowire.Number = 4
	fieldBatchID       protowire.Number = 5

	fieldSecret    protowire.Number = 1
	fieldName      protowire.Number = 2
	fieldIssuer    protowire.Number = 3
	fieldAlgorithm protowire.Number = 4
	fieldDigits    protowire.Number = 5
	fieldType      protowire.Number = 6
	fieldCounter   protowire.Number = 7
)

// The enum values of OtpParameters, with 0 meaning unspecified.
var (
	migrationAlgorithms = map[uint64]vault.Algorithm{0: vault.SHA1, 1: vault.SHA1, 2: vault.SHA256, 3: vault.SHA512}
	migrationDigits     = map[uint64]int{0: 6, 1: 6, 2: 8}
	migrationTypes      = map[uint64]vault.Type{0: vault.TOTP, 1: vault.HOTP, 2: vault.TOTP}
)

// ParseMigration reads a Google Authenticator transfer code. Accounts that
// cannot be used (an MD5 algorithm, an empty secret) are left out and
// reported in the error, as [*EntryError] values joined together, while
// the others are returned; a code that cannot be read at all gives an error
// wrapping [ErrBadMigration] and no Migration.
func ParseMigration(text string) (*Migration, error) {
	data, err := migrationData(text)
	if err != nil {
		return nil, err
	}
	m := &Migration{}
	var errs []error
	err = fields(data, func(num protowire.Number, v uint64, b []byte) error {
		switch {
		case num == fieldOtpParameters && b != nil:
			a, err := parseOtpParameters(b)
			switch {
			case errors.Is(err, ErrBadMigration):
				return err
			case err != nil:
				errs = append(errs, &EntryError{Index: len(m.Accounts) + len(errs), Label: a.Label(), Err: err})
			default:
				m.Accounts = append(m.Accounts, a)
			}
		case num == fieldVersion && b == nil:
			m.Version = int(min(v, maxBatchSize+1))
		case num == fieldBatchSize && b == nil:
			m.BatchSize = int(min(v, maxBatchSize+1))
		case num == fieldBatchIndex && b == nil:
			m.BatchIndex = int(min(v, maxBatchSize+1))
		case num == fieldBatchID && b == nil:
			m.BatchID = int32(v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if m.BatchSize > maxBatchSize {
		return nil, badMigration("a transfer of more than %d codes", maxBatchSize)
	}
	if m.BatchIndex >= max(m.BatchSize, 1) {
		return nil, badMigration("code %d of a transfer of %d", m.BatchIndex+1, max(m.BatchSize, 1))
	}
	if len(m.Accounts) == 0 && len(errs) == 0 {
		return nil, badMigration("it holds no accounts")
	}
	return m, errors.Join(errs...)
}

// fields calls fn for each field of the protobuf message in data: with the
// value of a varint field and a nil slice, or with the bytes of a
// length-delimited one. Other fields are skipped. Broken data gives an error
// wrapping ErrBadMigration; an error from fn stops the walk.
func fields(data []byte, fn func(num protowire.Number, v uint64, b []byte) error) error {
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			return badMigration("%v", protowire.ParseError(n))
		}
		data = data[n:]
		var v uint64
		var b []byte
		switch typ {
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(data)
		case protowire.BytesType:
			b, n = protowire.ConsumeBytes(data)
			if b == nil {
				b = []byte{}
			}
		default:
			n = protowire.ConsumeFieldValue(num, typ, data)
		}
		if n < 0 {
			return badMigration("%v", protowire.ParseError(n))
		}
		data = data[n:]
		if typ != protowire.VarintType && typ != protowire.BytesType {
			continue
		}
		if err := fn(num, v, b); err != nil {
			return err
		}
	}
	return nil
}

// migrationData returns the protobuf bytes in a transfer URI.
func migrationData(text string) ([]byte, error) {
	text = strings.TrimSpace(text)
	if len(text) > maxMigrationText {
		return nil, badMigration("it is too long")
	}
	scheme, _, _ := strings.Cut(text, ":")
	if !strings.EqualFold(scheme+":", MigrationScheme) {
		return nil, badMigration("it does not start with %s//", MigrationScheme)
	}
	u, err := url.Parse(text)
	if err != nil {
		return nil, badMigration("malformed URI")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, badMigration("malformed parameters")
	}
	// A '+' of base64 that was not percent-encoded became a space.
	raw := strings.ReplaceAll(q.Get("data"), " ", "+")
	if raw == "" {
		return nil, badMigration("the data parameter is missing")
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if data, err := enc.DecodeString(raw); err == nil {
			return data, nil
		}
	}
	return nil, badMigration("the data is not valid base64")
}

// parseOtpParameters reads one account. An error wrapping ErrBadMigration
// means the bytes are broken; any other is about this account alone, and the
// account returned carries what could be read of its label.
func parseOtpParameters(b []byte) (vault.Account, error) {
	var a vault.Account
	var alg, digits, typ uint64
	err := fields(b, func(num protowire.Number, v uint64, b []byte) error {
		switch {
		case num == fieldSecret && b != nil:
			if len(b) > maxSecret {
				return badMigration("a secret is %d bytes long", len(b))
			}
			a.Secret = slices.Clone(b)
		case num == fieldName && b != nil:
			a.Name = clip(b)
		case num == fieldIssuer && b != nil:
			a.Issuer = clip(b)
		case num == fieldAlgorithm && b == nil:
			alg = v
		case num == fieldDigits && b == nil:
			digits = v
		case num == fieldType && b == nil:
			typ = v
		case num == fieldCounter && b == nil:
			a.Counter = v
		}
		return nil
	})
	if err != nil {
		return a, err
	}
	// The name may carry the issuer as a prefix, as in an otpauth label.
	if prefix, name, ok := strings.Cut(a.Name, ":"); ok && (a.Issuer == "" || strings.EqualFold(strings.TrimSpace(prefix), a.Issuer)) {
		if a.Issuer == "" {
			a.Issuer = prefix
		}
		a.Name = name
	}
	var ok bool
	if a.Algorithm, ok = migrationAlgorithms[alg]; !ok {
		if alg == 4 {
			return a, errors.New("the MD5 algorithm is not supported")
		}
		return a, fmt.Errorf("algorithm number %d is not known", alg)
	}
	if a.Digits, ok = migrationDigits[digits]; !ok {
		return a, fmt.Errorf("digits setting %d is not known", digits)
	}
	if a.Type, ok = migrationTypes[typ]; !ok {
		return a, fmt.Errorf("type number %d is not known", typ)
	}
	if a.Type == vault.TOTP {
		a.Counter = 0
	}
	a.Normalize()
	return a, a.Validate()
}

// clip returns b as a string of at most maxLabel bytes.
func clip(b []byte) string {
	return strings.ToValidUTF8(string(b[:min(len(b), maxLabel)]), "\uFFFD")
}

func badMigration(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadMigration}, args...)...)
}

// Migratable reports why a cannot go into a Google Authenticator transfer,
// or nil if it can. A transfer knows neither Steam codes, nor periods other
// than 30 seconds, nor digits other than 6 and 8; and device-bound accounts
// never leave this device.
func Migratable(a *vault.Account) error {
	switch {
	case a.Binding == vault.DeviceBound:
		return errors.New("device-bound accounts stay on this device")
	case a.Type == vault.Steam:
		return errors.New("a Google Authenticator transfer cannot hold Steam codes")
	case a.Type == vault.TOTP && a.Period != vault.DefaultPeriod:
		return fmt.Errorf("a Google Authenticator transfer only holds 30-second codes, not %d-second ones", a.Period)
	case a.Digits != 6 && a.Digits != 8:
		return fmt.Errorf("a Google Authenticator transfer only holds codes of 6 or 8 digits, not %d", a.Digits)
	case len(a.Secret) == 0:
		return errors.New("secret is empty")
	}
	return nil
}

// EncodeMigration writes accounts as Google Authenticator transfer URIs, at
// most perCode accounts in each (10 if perCode is not positive), for a phone
// to scan one after the other. Accounts for which [Migratable] gives an error
// are left out. The URIs hold secrets.
func EncodeMigration(accounts []vault.Account, perCode int) []string {
	if perCode <= 0 {
		perCode = 10
	}
	var ok []*vault.Account
	h := fnv.New32a()
	for i := range accounts {
		a := &accounts[i]
		if Migratable(a) == nil {
			ok = append(ok, a)
			h.Write(a.Secret)
			h.Write([]byte(a.Label()))
		}
	}
	if len(ok) == 0 {
		return nil
	}
	// The batch ID only has to tell transfers apart; a hash of what is in
	// it makes the output repeatable.
	id := int32(h.Sum32() & 0x7fffffff)
	size := (len(ok) + perCode - 1) / perCode
	var uris []string
	for i := range size {
		var b []byte
		for _, a := range ok[i*perCode : min((i+1)*perCode, len(ok))] {
			b = protowire.AppendTag(b, fieldOtpParameters, protowire.BytesType)
			b = protowire.AppendBytes(b, otpParameters(a))
		}
		for _, f := range []struct {
			num protowire.Number
			v   uint64
		}{{fieldVersion, 1}, {fieldBatchSize, uint64(size)}, {fieldBatchIndex, uint64(i)}, {fieldBatchID, uint64(id)}} {
			b = protowire.AppendTag(b, f.num, protowire.VarintType)
			b = protowire.AppendVarint(b, f.v)
		}
		uris = append(uris, "otpauth-migration://offline?data="+url.QueryEscape(base64.StdEncoding.EncodeToString(b)))
	}
	return uris
}

// otpParameters encodes one account.
func otpParameters(a *vault.Account) []byte {
	var b []byte
	b = protowire.AppendTag(b, fieldSecret, protowire.BytesType)
	b = protowire.AppendBytes(b, a.Secret)
	b = protowire.AppendTag(b, fieldName, protowire.BytesType)
	b = protowire.AppendString(b, a.Name)
	if a.Issuer != "" {
		b = protowire.AppendTag(b, fieldIssuer, protowire.BytesType)
		b = protowire.AppendString(b, a.Issuer)
	}
	alg := map[vault.Algorithm]uint64{vault.SHA1: 1, vault.SHA256: 2, vault.SHA512: 3}[a.Algorithm]
	digits := map[int]uint64{6: 1, 8: 2}[a.Digits]
	typ := map[vault.Type]uint64{vault.HOTP: 1, vault.TOTP: 2}[a.Type]
	for _, f := range []struct {
		num protowire.Number
		v   uint64
	}{{fieldAlgorithm, alg}, {fieldDigits, digits}, {fieldType, typ}} {
		b = protowire.AppendTag(b, f.num, protowire.VarintType)
		b = protowire.AppendVarint(b, f.v)
	}
	if a.Type == vault.HOTP {
		b = protowire.AppendTag(b, fieldCounter, protowire.VarintType)
		b = protowire.AppendVarint(b, a.Counter)
	}
	return b
}

// Batch gathers the codes of one Google Authenticator transfer, which may be
// spread over several QR codes, and says which are still missing.
// The zero value is an empty batch.
type Batch struct {
	id       int32
	size     int
	parts    map[int][]vault.Account
	accounts int
}

// Add adds one code of the transfer. A code already added is ignored; a
// code of another transfer gives [ErrOtherBatch].
func (b *Batch) Add(m *Migration) error {
	size := max(m.BatchSize, 1)
	if b.parts == nil {
		b.id, b.size, b.parts = m.BatchID, size, map[int][]vault.Account{}
	} else if m.BatchID != b.id || size != b.size {
		return ErrOtherBatch
	}
	if _, ok := b.parts[m.BatchIndex]; !ok {
		b.parts[m.BatchIndex] = m.Accounts
		b.accounts += len(m.Accounts)
	}
	return nil
}

// Complete reports whether every code of the transfer has been added.
func (b *Batch) Complete() bool { return b.parts != nil && len(b.parts) == b.size }

// Missing returns the numbers, from 1, of the codes not added yet.
func (b *Batch) Missing() []int {
	var missing []int
	for i := range b.size {
		if _, ok := b.parts[i]; !ok {
			missing = append(missing, i+1)
		}
	}
	return missing
}

// Accounts returns the accounts of the codes added so far, in the order of
// the transfer.
func (b *Batch) Accounts() []vault.Account {
	out := make([]vault.Account, 0, b.accounts)
	for i := range b.size {
		out = append(out, b.parts[i]...)
	}
	return out
}

// String says how far the transfer is: "2 of 3 codes scanned, missing code 2"
// or "all 3 codes scanned".
func (b *Batch) String() string {
	switch {
	case b.parts == nil:
		return "no codes scanned"
	case b.Complete() && b.size == 1:
		return "the code is scanned"
	case b.Complete():
		return fmt.Sprintf("all %d codes scanned", b.size)
	}
	missing := b.Missing()
	nums := make([]string, len(missing))
	for i, n := range missing {
		nums[i] = strconv.Itoa(n)
	}
	word := "code"
	if len(missing) > 1 {
		word = "codes"
	}
	return fmt.Sprintf("%d of %d codes scanned, missing %s %s", len(b.parts), b.size, word, strings.Join(nums, ", "))
}
