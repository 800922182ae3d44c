package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Replica is this vault as one copy among the user's synced computers
// (package sync): the folder, the sync identity, and a [Register] for every
// field of every portable account ever synced, the tile order and each
// preference, so that a merge can tell which of two values is newer.
type Replica struct {
	// Dir is the synced folder; empty means sync is off.
	Dir string `json:"dir,omitempty"`
	// Identity is the sync identity, an age X25519 identity
	// ("AGE-SECRET-KEY-1..."), shared by every device in the sync.
	Identity string `json:"identity,omitempty"`
	// Clock is the newest stamp this device has taken or seen.
	Clock Stamp `json:"clock,omitzero"`
	// Accounts maps account IDs to the registers of their fields, by the
	// names in [SyncFields]; deleted accounts keep theirs.
	Accounts Registers `json:"accounts,omitempty"`
	// Order is the register of the tile order of the portable accounts.
	Order Register `json:"order,omitzero"`
	// Prefs maps preference names (their JSON keys) to their registers.
	Prefs map[string]Register `json:"prefs,omitempty"`
	// Removed are the IDs of devices taken out of the sync: their files are
	// no longer read.
	Removed []string `json:"removed,omitempty"`
}

// On reports whether sync is set up.
func (s *Replica) On() bool { return s.Dir != "" && s.Identity != "" }

// Register is when a value last changed and a digest of the value it
// changed to, so that a change is noticed by comparing digests.
type Register struct {
	Stamp Stamp  `json:"s"`
	Sum   string `json:"h"`
}

// Newer reports whether r wins over s: a later stamp, or, for one stamp, the
// greater digest (so that every device picks the same value).
func (r Register) Newer(s Register) bool {
	if c := r.Stamp.Compare(s.Stamp); c != 0 {
		return c > 0
	}
	return r.Sum > s.Sum
}

// Sum returns the digest of a value as registers keep it.
func Sum(value []byte) string {
	h := sha256.Sum256(value)
	return base64.RawStdEncoding.EncodeToString(h[:12])
}

// The fields of an account that sync merges one by one. FieldOTP is the
// secret with its type and parameters, which change together; FieldDeleted
// is where the account is: "" in the vault, "trash" in Recently deleted,
// "dup:ID" in Recently deleted as a duplicate of account ID.
const (
	FieldIssuer    = "issuer"
	FieldName      = "name"
	FieldGroup     = "group"
	FieldFavorite  = "favorite"
	FieldIcon      = "icon"
	FieldIconImage = "icon_image"
	FieldOTP       = "otp"
	FieldCounter   = "counter"
	FieldCreated   = "created"
	FieldDeleted   = "deleted"
)

// SyncFields are the names of the fields that sync merges, in the order a
// merge visits them.
var SyncFields = []string{FieldIssuer, FieldName, FieldGroup, FieldFavorite, FieldIcon, FieldIconImage, FieldOTP, FieldCounter, FieldCreated, FieldDeleted}

// OTP is what [FieldOTP] holds: an account's secret and how codes are made
// from it.
type OTP struct {
	Secret    []byte    `json:"secret"`
	Type      Type      `json:"type"`
	Algorithm Algorithm `json:"algorithm"`
	Digits    int       `json:"digits"`
	Period    int       `json:"period,omitempty"`
}

// OTPOf returns a's [OTP].
func OTPOf(a *Account) OTP {
	return OTP{Secret: a.Secret, Type: a.Type, Algorithm: a.Algorithm, Digits: a.Digits, Period: a.Period}
}

// Deletion states of [FieldDeleted].
const (
	StateAlive = ""
	StateTrash = "trash"
	stateDup   = "dup:"
)

// DuplicateState is the [FieldDeleted] state of an account kept in Recently
// deleted as a duplicate of account id.
func DuplicateState(id string) string { return stateDup + id }

// DuplicateOfState returns the account that state says an account is a
// duplicate of, or "".
func DuplicateOfState(state string) string {
	id, _ := strings.CutPrefix(state, stateDup)
	if id == state {
		return ""
	}
	return id
}

// FieldValue returns field f of a, whose deletion state is state, as JSON.
func FieldValue(a *Account, state, f string) json.RawMessage {
	var v any
	switch f {
	case FieldIssuer:
		v = a.Issuer
	case FieldName:
		v = a.Name
	case FieldGroup:
		v = a.Group
	case FieldFavorite:
		v = a.Favorite
	case FieldIcon:
		v = a.Icon
	case FieldIconImage:
		v = a.IconImage
	case FieldOTP:
		v = OTPOf(a)
	case FieldCounter:
		v = a.Counter
	case FieldCreated:
		v = a.Created.UTC()
	case FieldDeleted:
		v = state
	default:
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		panic("vault: cannot encode a field: " + err.Error())
	}
	return data
}

// SetField sets field f of a from its JSON value; for [FieldDeleted] it
// returns the state and leaves a alone.
func SetField(a *Account, f string, value json.RawMessage) (state string, err error) {
	var otp OTP // the secret and its parameters change together: all of them
	switch target := fieldTarget(a, f, &otp, &state); {
	case target == nil:
		return "", fmt.Errorf("unknown field %q", f)
	case !setPlain(target, value):
		return setFieldJSON(a, f, value)
	}
	if f == FieldOTP {
		setOTP(a, otp)
	}
	return state, nil
}

// setFieldJSON is [SetField] through encoding/json. It is apart so that
// only a value that needs it costs the allocations of encoding/json.
func setFieldJSON(a *Account, f string, value json.RawMessage) (state string, err error) {
	var otp OTP
	if err := json.Unmarshal(value, fieldTarget(a, f, &otp, &state)); err != nil {
		return "", fmt.Errorf("field %s: %w", f, err)
	}
	if f == FieldOTP {
		setOTP(a, otp)
	}
	return state, nil
}

func setOTP(a *Account, otp OTP) {
	a.Secret, a.Type, a.Algorithm, a.Digits, a.Period = otp.Secret, otp.Type, otp.Algorithm, otp.Digits, otp.Period
}

// fieldTarget returns where the value of field f goes: into a, otp or
// state; nil for a name that is not a field.
func fieldTarget(a *Account, f string, otp *OTP, state *string) any {
	switch f {
	case FieldIssuer:
		return &a.Issuer
	case FieldName:
		return &a.Name
	case FieldGroup:
		return &a.Group
	case FieldFavorite:
		return &a.Favorite
	case FieldIcon:
		return &a.Icon
	case FieldIconImage:
		return &a.IconImage
	case FieldOTP:
		return otp
	case FieldCounter:
		return &a.Counter
	case FieldCreated:
		return &a.Created
	case FieldDeleted:
		return state
	}
	return nil
}

// setPlain sets target, one of [fieldTarget]'s, from a value as a device
// file holds it when that value is plain (a string without escapes, a
// boolean, a counter of digits, a time, no icon image, an [OTP] as
// encoding/json writes it), as encoding/json would but without its
// reflection. It reports false for any other value, for encoding/json to
// read (FuzzSetField checks that the two agree).
func setPlain(target any, value []byte) bool {
	switch t := target.(type) {
	case *string:
		s, ok := plainString(value)
		if ok {
			*t = s
		}
		return ok
	case *bool:
		switch string(value) {
		case "true", "false":
			*t = value[0] == 't'
			return true
		}
	case *uint64:
		if len(value) == 0 || len(value) > 19 || value[0] == '0' && len(value) > 1 {
			return false
		}
		n, err := strconv.ParseUint(string(value), 10, 64)
		if err == nil {
			*t = n
		}
		return err == nil
	case *time.Time:
		return len(value) > 0 && value[0] == '"' && t.UnmarshalJSON(value) == nil
	case *[]byte:
		if string(value) == "null" {
			*t = nil
			return true
		}
	case *OTP:
		otp, ok := plainOTP(value)
		if ok {
			*t = otp
		}
		return ok
	}
	return false
}

// plainOTP reads an [OTP] as encoding/json writes it (its keys in order,
// strings without escapes, no period where it is 0), and reports whether
// value is one.
func plainOTP(value []byte) (OTP, bool) {
	var otp OTP
	rest, ok := bytes.CutPrefix(value, []byte(`{"secret":`))
	secret, rest, ok1 := cutString(rest, ok)
	rest, ok = bytes.CutPrefix(rest, []byte(`,"type":`))
	typ, rest, ok2 := cutString(rest, ok && ok1)
	rest, ok = bytes.CutPrefix(rest, []byte(`,"algorithm":`))
	alg, rest, ok3 := cutString(rest, ok && ok2)
	rest, ok = bytes.CutPrefix(rest, []byte(`,"digits":`))
	otp.Digits, rest, ok = cutNumber(rest, ok && ok3)
	if period, ok := bytes.CutPrefix(rest, []byte(`,"period":`)); ok {
		otp.Period, rest, ok = cutNumber(period, true)
		if !ok {
			return OTP{}, false
		}
	}
	if !ok || string(rest) != "}" {
		return OTP{}, false
	}
	// As encoding/json decodes bytes.
	otp.Secret = make([]byte, base64.StdEncoding.DecodedLen(len(secret)))
	n, err := base64.StdEncoding.Decode(otp.Secret, secret)
	if err != nil {
		return OTP{}, false
	}
	otp.Secret, otp.Type, otp.Algorithm = otp.Secret[:n], Type(typ), Algorithm(alg)
	return otp, true
}

// plainString returns the text of a JSON string without escapes, of valid
// UTF-8, and reports whether value is one.
func plainString(value []byte) (string, bool) {
	text, rest, ok := cutString(value, true)
	return string(text), ok && len(rest) == 0
}

// cutString cuts a JSON string without escapes, of valid UTF-8, from the
// start of b, if ok, and returns its text and what follows.
func cutString(b []byte, ok bool) (text, rest []byte, _ bool) {
	if !ok || len(b) < 2 || b[0] != '"' {
		return nil, nil, false
	}
	for i := 1; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			text := b[1:i]
			return text, b[i+1:], utf8.Valid(text)
		case c < 0x20 || c == '\\':
			return nil, nil, false
		}
	}
	return nil, nil, false
}

// cutNumber cuts a JSON number of 1 to 18 digits from the start of b, if
// ok, and returns it and what follows.
func cutNumber(b []byte, ok bool) (int, []byte, bool) {
	n, i := 0, 0
	for ; ok && i < len(b) && i < 19 && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int(b[i]-'0')
	}
	if !ok || i == 0 || i == 19 || i > 1 && b[0] == '0' || i < len(b) && (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
		return 0, nil, false
	}
	return n, b[i:], true
}

// PrefValues returns every preference that sync merges, by its JSON key, as
// JSON (zero values too).
func PrefValues(p Prefs) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage)
	rv := reflect.ValueOf(p)
	for i := range rv.NumField() {
		if key := prefKey(rv.Type().Field(i)); key != "" {
			data, err := json.Marshal(rv.Field(i).Interface())
			if err != nil {
				panic("vault: cannot encode a preference: " + err.Error())
			}
			out[key] = data
		}
	}
	return out
}

// SetPref sets the preference with JSON key key from its JSON value. It
// reports false for a key this version does not know.
func SetPref(p *Prefs, key string, value json.RawMessage) (bool, error) {
	rv := reflect.ValueOf(p).Elem()
	for i := range rv.NumField() {
		if prefKey(rv.Type().Field(i)) == key {
			return true, json.Unmarshal(value, rv.Field(i).Addr().Interface())
		}
	}
	return false, nil
}

func prefKey(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		return f.Name
	}
	return name
}

// SyncedAccount returns the portable account with the given ID, in the vault
// or in Recently deleted, and its deletion state; nil if there is none.
func (v *Vault) SyncedAccount(id string) (*Account, string) {
	if i := v.Index(id); i >= 0 {
		return &v.Accounts[i], StateAlive
	}
	if i := v.TrashIndex(id); i >= 0 {
		d := &v.Trash[i]
		if d.DuplicateOf != "" {
			return &d.Account, DuplicateState(d.DuplicateOf)
		}
		return &d.Account, StateTrash
	}
	return nil, StateAlive
}

// SyncOrder returns the IDs of the portable accounts in tile order.
func (v *Vault) SyncOrder() []string {
	ids := make([]string, 0, len(v.Accounts))
	for i := range v.Accounts {
		if v.Accounts[i].Binding != DeviceBound {
			ids = append(ids, v.Accounts[i].ID)
		}
	}
	return ids
}

// stampChanges gives every synced value that changed since it was last
// stamped a new stamp of this device. An account whose synced fields are as
// they were before the change, and stamped, is skipped without encoding it.
func (v *Vault) stampChanges(before []Account, now time.Time) {
	s := &v.Sync
	if v.Device.ID == "" {
		v.Device = thisDevice()
	}
	if s.Accounts == nil {
		s.Accounts = make(map[string]map[string]Register)
	}
	if s.Prefs == nil {
		s.Prefs = make(map[string]Register)
	}
	update := func(r *Register, value []byte) {
		if sum := Sum(value); r.Sum != sum {
			s.Clock = NextStamp(s.Clock, v.Device.ID, now)
			*r = Register{Stamp: s.Clock, Sum: sum}
		}
	}
	visit := func(a *Account, state string) {
		if a.Binding == DeviceBound {
			return
		}
		rec := s.Accounts[a.ID]
		if rec == nil {
			rec = make(map[string]Register, len(SyncFields))
			s.Accounts[a.ID] = rec
		}
		for _, f := range SyncFields {
			r := rec[f]
			update(&r, FieldValue(a, state, f))
			rec[f] = r
		}
	}
	prev := make(map[string]*Account, len(before))
	for i := range before {
		prev[before[i].ID] = &before[i]
	}
	for i := range v.Accounts {
		a := &v.Accounts[i]
		if p := prev[a.ID]; p != nil && len(s.Accounts[a.ID]) == len(SyncFields) && sameSynced(p, a) {
			continue
		}
		visit(a, StateAlive)
	}
	for i := range v.Trash {
		a, state := v.SyncedAccount(v.Trash[i].Account.ID)
		visit(a, state)
	}
	order, _ := json.Marshal(v.SyncOrder())
	update(&s.Order, order)
	for key, value := range PrefValues(v.Prefs) {
		r := s.Prefs[key]
		update(&r, value)
		s.Prefs[key] = r
	}
}

// sameSynced reports whether a and b have the same values in every field
// that sync merges (their deletion state aside).
func sameSynced(a, b *Account) bool {
	return a.Issuer == b.Issuer && a.Name == b.Name && a.Group == b.Group && a.Favorite == b.Favorite &&
		a.Icon == b.Icon && bytes.Equal(a.IconImage, b.IconImage) && bytes.Equal(a.Secret, b.Secret) &&
		a.Type == b.Type && a.Algorithm == b.Algorithm && a.Digits == b.Digits && a.Period == b.Period &&
		a.Counter == b.Counter && a.Created.Equal(b.Created) && a.Binding == b.Binding
}
