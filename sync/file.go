package sync

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"filippo.io/age"

	"authdeck/vault"
)

// FormatVersion is the version of device files that this build writes, and
// the newest it reads.
const FormatVersion = 1

// Bounds on what a device file may ask for, checked before the work.
const (
	// MaxFileSize is the largest device file read: 10,000 accounts with
	// custom icons fit.
	MaxFileSize = 64 << 20
	// MaxAccounts is the most accounts a device file may hold.
	MaxAccounts = 100_000
)

const (
	magic      = "authdeck-sync v"
	formatName = "authdeck-sync"
	macInfo    = "authdeck-sync mac v1"
	macSize    = sha256.Size
)

// Why a device file is rejected. Each leaves the vault as it was.
var (
	// ErrNotDeviceFile is a file that is not an Authdeck device file.
	ErrNotDeviceFile = errors.New("not an Authdeck sync file")
	// ErrForeign is a device file that this sync identity does not open:
	// written for another sync, or by someone without the sync identity.
	ErrForeign = errors.New("not encrypted to this sync's key")
	// ErrForged is a device file that opens but whose contents were not
	// written by a holder of the sync identity.
	ErrForged = errors.New("not written by a device of this sync (its signature does not match)")
	// ErrDamaged is a device file cut short or otherwise damaged.
	ErrDamaged = errors.New("damaged or incomplete")
	// ErrNewerVersion is a device file of a newer version of Authdeck.
	ErrNewerVersion = errors.New("written by a newer version of Authdeck")
	// ErrTooLarge is a device file beyond [MaxFileSize] or [MaxAccounts].
	ErrTooLarge = errors.New("too large")
)

// File is the decrypted contents of one device's file: every portable
// account the device knows (deleted ones too), each field with the stamp of
// its last change, the tile order and the preferences.
type File struct {
	Format   string           `json:"format"`
	Version  int              `json:"version"`
	Device   vault.Device     `json:"device"`
	Written  time.Time        `json:"written"`
	Revision uint64           `json:"revision"`
	Accounts []Entry          `json:"accounts"`
	Order    Value            `json:"order"`
	Prefs    map[string]Value `json:"prefs,omitempty"`
	// Removed are devices taken out of the sync.
	Removed []string `json:"removed,omitempty"`

	// digest is the SHA-256 of the device file it was read from, as it
	// stands in the synced folder; "" for a conflict copy.
	digest string
}

// Entry is one account in a device file. An account deleted long ago may
// have only [vault.FieldDeleted].
type Entry struct {
	ID     string `json:"id"`
	Fields Fields `json:"fields"`
}

// Fields are the fields of an account in a device file, in the order of
// [vault.SyncFields]; a field the file does not hold has a nil Value. In JSON
// they are an object by the fields' names; names that this version does not
// know are left out.
type Fields [10]Value

// fieldIndex is the place of each field in [Fields], by its name.
var fieldIndex = func() map[string]int {
	if len(vault.SyncFields) != len(Fields{}) {
		panic("sync: Fields does not have a place for every field of vault.SyncFields")
	}
	m := make(map[string]int, len(vault.SyncFields))
	for i, name := range vault.SyncFields {
		m[name] = i
	}
	return m
}()

// field returns the value of the named field.
func (fs *Fields) field(name string) Value { return fs[fieldIndex[name]] }

// byName are the places in [Fields] in the order of the fields' names, the
// order of the keys of a JSON object that encoding/json writes.
var byName = func() []int {
	places := make([]int, len(vault.SyncFields))
	for i := range places {
		places[i] = i
	}
	slices.SortFunc(places, func(i, j int) int { return strings.Compare(vault.SyncFields[i], vault.SyncFields[j]) })
	return places
}()

// MarshalJSON writes the fields that fs holds as an object by their names,
// as encoding/json writes a map of them.
func (fs Fields) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 512)
	b = append(b, '{')
	for _, i := range byName {
		v := fs[i]
		if v.Value == nil {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(append(append(b, '"'), vault.SyncFields[i]...), `":{"v":`...)
		b = append(append(b, v.Value...), `,"s":`...)
		stamp, _ := v.Stamp.MarshalText()
		if safeText(stamp) {
			b = append(append(append(b, '"'), stamp...), '"')
		} else {
			quoted, err := json.Marshal(string(stamp))
			if err != nil {
				return nil, err
			}
			b = append(b, quoted...)
		}
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

// safeText reports whether encoding/json writes text as it stands between
// quotes: printable ASCII but the characters it escapes.
func safeText(text []byte) bool {
	for _, c := range text {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// UnmarshalJSON reads an object of fields by their names.
func (fs *Fields) UnmarshalJSON(data []byte) error {
	var m map[string]Value
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	*fs = Fields{}
	for name, v := range m {
		if i, ok := fieldIndex[name]; ok {
			fs[i] = v
		}
	}
	return nil
}

// Value is a value and the stamp of its last change.
type Value struct {
	Value json.RawMessage `json:"v"`
	Stamp vault.Stamp     `json:"s"`
}

// Snapshot returns the device file of v: what it knows of its portable
// accounts, order and preferences, with their stamps. Device-bound accounts
// are not in it.
func Snapshot(v *vault.Vault, now time.Time) *File {
	s := &v.Sync
	f := &File{
		Format: formatName, Version: FormatVersion, Device: v.Device,
		Written: now.UTC(), Revision: v.Revision,
		Accounts: make([]Entry, 0, len(s.Accounts)),
		Prefs:    make(map[string]Value, len(s.Prefs)),
		Removed:  s.Removed,
	}
	add := func(id string, a *vault.Account, state string) {
		rec := s.Accounts[id]
		if rec == nil {
			return
		}
		e := Entry{ID: id}
		for name, r := range rec {
			i, known := fieldIndex[name]
			if !known || a == nil && name != vault.FieldDeleted {
				continue
			}
			var val json.RawMessage
			if a != nil {
				val = vault.FieldValue(a, state, name)
			} else {
				val = vault.FieldValue(&vault.Account{}, vault.StateTrash, name)
			}
			e.Fields[i] = Value{Value: val, Stamp: r.Stamp}
		}
		f.Accounts = append(f.Accounts, e)
	}
	seen := make(map[string]bool, len(s.Accounts))
	for i := range v.Accounts {
		a := &v.Accounts[i]
		if a.Binding != vault.DeviceBound {
			add(a.ID, a, vault.StateAlive)
			seen[a.ID] = true
		}
	}
	for i := range v.Trash {
		a, state := v.SyncedAccount(v.Trash[i].Account.ID)
		if a.Binding != vault.DeviceBound && !seen[a.ID] {
			add(a.ID, a, state)
			seen[a.ID] = true
		}
	}
	for id := range s.Accounts {
		if !seen[id] { // deleted and dropped from Recently deleted
			add(id, nil, vault.StateTrash)
		}
	}
	order, _ := json.Marshal(v.SyncOrder())
	f.Order = Value{Value: order, Stamp: s.Order.Stamp}
	prefs := vault.PrefValues(v.Prefs)
	for key, r := range s.Prefs {
		if val, ok := prefs[key]; ok {
			f.Prefs[key] = Value{Value: val, Stamp: r.Stamp}
		}
	}
	return f
}

// macKey derives the key that authenticates device files from the sync
// identity (HKDF-SHA-256).
func macKey(id *age.X25519Identity) []byte {
	key, err := hkdf.Key(sha256.New, []byte(id.String()), nil, macInfo, 32)
	if err != nil {
		panic("sync: " + err.Error())
	}
	return key
}

func mac(key []byte, header string, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	io.WriteString(h, header)
	h.Write(body)
	return h.Sum(nil)
}

// Encode returns f as a device file: the line "authdeck-sync v1", then an
// age file encrypted to the sync identity's recipient whose plaintext is an
// HMAC-SHA-256 of the header line and the JSON (keyed from the identity),
// followed by the JSON. See docs/sync-format.md.
func Encode(f *File, id *age.X25519Identity) ([]byte, error) {
	body, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	header := magic + strconv.Itoa(FormatVersion) + "\n"
	var buf bytes.Buffer
	buf.WriteString(header)
	w, err := age.Encrypt(&buf, id.Recipient())
	if err != nil {
		return nil, err
	}
	w.Write(mac(macKey(id), header, body))
	w.Write(body)
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Decode reads a device file with the sync identity. It returns an error
// wrapping [ErrNotDeviceFile], [ErrForeign], [ErrForged], [ErrDamaged],
// [ErrNewerVersion] or [ErrTooLarge] for a file it rejects.
func Decode(data []byte, id *age.X25519Identity) (*File, error) {
	if len(data) > MaxFileSize {
		return nil, ErrTooLarge
	}
	line, rest, ok := bytes.Cut(data, []byte("\n"))
	if !ok || !bytes.HasPrefix(line, []byte(magic)) {
		return nil, ErrNotDeviceFile
	}
	version, err := strconv.Atoi(string(line[len(magic):]))
	switch {
	case err != nil || version < 1:
		return nil, ErrNotDeviceFile
	case version > FormatVersion:
		return nil, fmt.Errorf("%w (format %d; this one reads up to %d)", ErrNewerVersion, version, FormatVersion)
	}
	r, err := age.Decrypt(bytes.NewReader(rest), id)
	if err != nil {
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) {
			return nil, ErrForeign
		}
		return nil, fmt.Errorf("%w (%v)", ErrDamaged, err)
	}
	var buf bytes.Buffer
	buf.Grow(len(rest) + bytes.MinRead) // the plaintext is a little shorter than the file
	if _, err := buf.ReadFrom(io.LimitReader(r, MaxFileSize+1)); err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrDamaged, err)
	}
	plain := buf.Bytes()
	if len(plain) > MaxFileSize {
		return nil, ErrTooLarge
	}
	if len(plain) < macSize {
		return nil, ErrForged
	}
	tag, body := plain[:macSize], plain[macSize:]
	if !hmac.Equal(tag, mac(macKey(id), string(line)+"\n", body)) {
		return nil, ErrForged
	}
	return parse(body)
}

// parse reads the JSON of an authenticated device file and checks its shape.
func parse(body []byte) (*File, error) {
	f, ok := parseFast(body)
	if !ok {
		f = new(File)
		if err := json.Unmarshal(body, f); err != nil {
			return nil, fmt.Errorf("%w (%v)", ErrDamaged, err)
		}
	}
	switch {
	case f.Format != formatName:
		return nil, ErrNotDeviceFile
	case f.Version > FormatVersion:
		return nil, fmt.Errorf("%w (format %d; this one reads up to %d)", ErrNewerVersion, f.Version, FormatVersion)
	case f.Version < 1:
		return nil, fmt.Errorf("%w (version %d)", ErrDamaged, f.Version)
	case len(f.Accounts) > MaxAccounts:
		return nil, ErrTooLarge
	case f.Device.ID == "":
		return nil, fmt.Errorf("%w (no device)", ErrDamaged)
	}
	f.Device.Name = vault.CleanLabel(f.Device.Name)
	seen := make(map[string]bool, len(f.Accounts))
	for _, e := range f.Accounts {
		if e.ID == "" || strings.ContainsAny(e.ID, "/\\\x00") || seen[e.ID] {
			return nil, fmt.Errorf("%w (account ID %q missing or twice)", ErrDamaged, e.ID)
		}
		seen[e.ID] = true
	}
	return f, nil
}
