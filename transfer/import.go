package transfer

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"unicode/utf8"

	"authdeck/scan"
	"authdeck/vault"
)

// Format is a file format of another authenticator app, which
// [ImportAccounts] reads or [ExportAccounts] writes.
type Format string

// The formats of other apps. [FormatGoogle] is a Google Authenticator
// transfer: an image of its QR codes, or a text file of its URIs.
const (
	FormatAuto      Format = "auto"
	FormatAegis     Format = "aegis"
	FormatTwoFAS    Format = "2fas"
	FormatGoogle    Format = "google"
	FormatURIs      Format = "uris"
	FormatBitwarden Format = "bitwarden"
	FormatAndOTP    Format = "andotp"
	FormatFreeOTP   Format = "freeotp"
	FormatProton    Format = "proton"
	FormatEnte      Format = "ente"
	FormatStratum   Format = "stratum"
	FormatSteam     Format = "steam"
	FormatLastPass  Format = "lastpass"
	FormatWinAuth   Format = "winauth"
	FormatAuthPlus  Format = "authplus"
	FormatTOTPAuth  Format = "totpauth"
	FormatGoogleDB  Format = "googledb"
	FormatMicrosoft Format = "microsoft"
)

// ImportFormats are the formats a person can name on the command line.
var ImportFormats = []Format{FormatAuto, FormatAegis, FormatTwoFAS, FormatGoogle, FormatURIs,
	FormatBitwarden, FormatAndOTP, FormatFreeOTP, FormatProton, FormatEnte, FormatStratum, FormatSteam,
	FormatLastPass, FormatWinAuth, FormatAuthPlus, FormatTOTPAuth, FormatGoogleDB, FormatMicrosoft}

var formatNames = map[Format]string{
	FormatAegis:     "Aegis vault",
	FormatTwoFAS:    "2FAS backup",
	FormatGoogle:    "Google Authenticator transfer",
	FormatURIs:      "otpauth URI list",
	FormatBitwarden: "Bitwarden export",
	FormatAndOTP:    "andOTP backup",
	FormatFreeOTP:   "FreeOTP backup",
	FormatProton:    "Proton Authenticator export",
	FormatEnte:      "Ente Auth export",
	FormatStratum:   "Stratum backup",
	FormatSteam:     "Steam maFile",
	FormatLastPass:  "LastPass Authenticator export",
	FormatWinAuth:   "WinAuth export",
	FormatAuthPlus:  "Authenticator Plus backup",
	FormatTOTPAuth:  "TOTP Authenticator backup",
	FormatGoogleDB:  "Google Authenticator database",
	FormatMicrosoft: "Microsoft Authenticator database",
}

// Name returns the format's name for people, such as "Aegis vault".
func (f Format) Name() string {
	if n, ok := formatNames[f]; ok {
		return n
	}
	return string(f)
}

// Limits on imported files. No authenticator export comes near them; a file
// beyond them is refused before it is read whole or parsed.
const (
	// MaxImportSize is the size of the largest file [ReadImportFile] reads.
	MaxImportSize = 20 << 20
	// MaxImportEntries is the most entries one file may hold.
	MaxImportEntries = 20_000
)

// Errors that callers branch on.
var (
	// ErrUnknownFormat is returned for a file in no format Authdeck imports.
	ErrUnknownFormat = errors.New("not a file Authdeck can import: expected an export of Aegis, 2FAS, Google Authenticator, Bitwarden, andOTP, FreeOTP, FreeOTP+, Proton Authenticator, Ente Auth, Stratum, Steam, LastPass, WinAuth, Authenticator Plus, TOTP Authenticator, the Google or Microsoft Authenticator database, or a list of otpauth:// URIs")
	// ErrWrongPassword is returned when an encrypted export does not open
	// with the password given. Nothing was read.
	ErrWrongPassword = errors.New("wrong password")
	// ErrPasswordNeeded is returned by a password function that has no way
	// to ask for one; the import stops.
	ErrPasswordNeeded = errors.New("the file is encrypted and needs its password")
	// ErrImportTooLarge is returned for a file larger than [MaxImportSize].
	ErrImportTooLarge = fmt.Errorf("the file is larger than %d MB, more than any authenticator export", MaxImportSize>>20)
)

// ImportError is a file that is in a format Authdeck knows but cannot be
// read: truncated, damaged, or from a version of the app that is not
// supported. Format is [FormatAuto] when the format could not be told.
type ImportError struct {
	Format Format
	Err    error
}

func (e *ImportError) Error() string {
	if e.Format == FormatAuto || e.Format == "" {
		return e.Err.Error()
	}
	return e.Format.Name() + ": " + e.Err.Error()
}

func (e *ImportError) Unwrap() error { return e.Err }

func importErr(f Format, format string, args ...any) error {
	return &ImportError{Format: f, Err: fmt.Errorf(format, args...)}
}

// Entry is one entry of an imported file: an account, or why it cannot be one.
type Entry struct {
	// Account is what was read. For an invalid entry it holds as much of
	// the label as could be read, and perhaps nothing.
	Account vault.Account
	// Err says why the entry cannot be imported, or is nil.
	Err error
	// Note says what a person should know of an entry that is imported:
	// why an account without its secret needs verification.
	Note string
}

// Imported is what [ImportAccounts] read from a file.
type Imported struct {
	Format  Format
	Entries []Entry
	// Incomplete are the Google Authenticator transfers in the file that
	// miss some of their codes; their accounts are in Entries as far as
	// they go.
	Incomplete []*scan.Batch
}

// ErrNothingImported is returned by [Outcome] when entries were left out
// and nothing else would be added.
var ErrNothingImported = errors.New("nothing to import")

// NothingImportedError is an import that adds nothing while it leaves
// entries out because they cannot be used: the other entries, if any, are
// already in the vault or skipped as conflicts.
type NothingImportedError struct {
	Invalid, Total int
}

func (e *NothingImportedError) Error() string {
	switch {
	case e.Invalid == e.Total && e.Total == 1:
		return "nothing can be added: the entry cannot be used"
	case e.Invalid == e.Total:
		return fmt.Sprintf("nothing can be added: none of the %d entries can be used", e.Total)
	}
	return fmt.Sprintf("nothing new can be added: %d of the %d entries cannot be used, and the others are already here or skipped", e.Invalid, e.Total)
}

func (e *NothingImportedError) Unwrap() error { return ErrNothingImported }

// Outcome returns how a merge of plan p with m ends, the same for a preview
// (a dry run) as for the real run: a [*vault.ConflictError] when m refuses
// the plan's conflicts, a [*NothingImportedError] when entries are left out
// as invalid and nothing would be added, and nil otherwise. An import that
// leaves some entries out but adds others succeeds; the caller lists them.
func Outcome(p vault.Plan, m vault.Merge) error {
	var conflicts []vault.PlanItem
	for _, it := range p.Items {
		if it.Disposition == vault.Conflict {
			conflicts = append(conflicts, it)
		}
	}
	if m == vault.RefuseConflicts && len(conflicts) > 0 {
		return &vault.ConflictError{Items: conflicts}
	}
	added := p.Count(vault.New) + p.Count(vault.Completes)
	if m == vault.KeepBoth {
		added += len(conflicts)
	}
	if n := p.Count(vault.Invalid); n > 0 && added == 0 {
		return &NothingImportedError{Invalid: n, Total: len(p.Items)}
	}
	return nil
}

// PlanEntries makes the plan of importing entries into v: the entries that
// could be read as [vault.Vault.Plan] sees them, and those that could not as
// invalid, with their reasons, all in the file's order.
func PlanEntries(v *vault.Vault, entries []Entry) vault.Plan {
	var readable []vault.Account
	for _, e := range entries {
		if e.Err == nil {
			readable = append(readable, e.Account)
		}
	}
	valid := v.Plan(readable)
	var p vault.Plan
	for _, e := range entries {
		if e.Err == nil {
			p.Items = append(p.Items, valid.Items[0])
			valid.Items = valid.Items[1:]
		} else {
			p.Items = append(p.Items, vault.PlanItem{Account: e.Account, Disposition: vault.Invalid, Reason: e.Err})
		}
	}
	return p
}

// Accounts returns the accounts of the entries that could be read, in the
// file's order.
func (im *Imported) Accounts() []vault.Account {
	var out []vault.Account
	for _, e := range im.Entries {
		if e.Err == nil {
			out = append(out, e.Account)
		}
	}
	return out
}

// PasswordFunc returns the password of an encrypted file. [ImportAccounts]
// calls it only for an encrypted file, at most once.
type PasswordFunc func() (string, error)

// ReadImportFile reads the file at path for [ImportAccounts], refusing one
// larger than [MaxImportSize] with [ErrImportTooLarge] before reading it.
func ReadImportFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > MaxImportSize {
		return nil, ErrImportTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxImportSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxImportSize {
		return nil, ErrImportTooLarge
	}
	return data, nil
}

// ImportAccounts reads the accounts in data, a file exported by another app
// in format f, or in the format [DetectFormat] recognises for [FormatAuto].
// Entries that cannot be used are returned with the reason, which says where
// the entry stands when it has no label. The error is for a file that cannot
// be read at all: [ErrUnknownFormat], [ErrWrongPassword], an error from
// password, a [*WrongFormatError] when f is not the file's format, or an
// [*ImportError].
func ImportAccounts(data []byte, f Format, password PasswordFunc) (*Imported, error) {
	if len(data) > MaxImportSize {
		return nil, ErrImportTooLarge
	}
	named := f != FormatAuto && f != ""
	if !named {
		var err error
		if f, err = DetectFormat(data); err != nil {
			return nil, err
		}
		return importAs(data, f, password)
	}
	looks, derr := DetectFormat(data)
	other := derr == nil && looks != f
	plain := other && plainlyIs(data)
	if plain && password != nil {
		// A file that plainly is another format is not encrypted in the
		// one named: nobody is asked for a password for it.
		password = func() (string, error) { return "", &WrongFormatError{Named: f, Looks: looks} }
	}
	im, err := importAs(data, f, password)
	var kind kindError
	var wrong *WrongFormatError
	switch {
	case errors.As(err, &wrong):
		return nil, wrong
	case !other:
	case plain && (err != nil || len(im.Accounts()) == 0),
		err != nil && !errors.Is(err, ErrWrongPassword) && !errors.Is(err, ErrPasswordNeeded) && !errors.As(err, &kind),
		err == nil && len(im.Accounts()) == 0:
		return nil, &WrongFormatError{Named: f, Looks: looks}
	}
	return im, err
}

// plainlyIs reports whether data is in a format [DetectFormat] tells by
// its structure
// (JSON keys, XML, an image, a SQLite database, lines of URIs) rather than
// by how random encrypted bytes look.
func plainlyIs(data []byte) bool {
	text := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	switch {
	case len(text) == 0:
		return false
	case text[0] == '{' || text[0] == '[', freeotpLooksXML(data), isImage(data), bytes.HasPrefix(data, []byte(sqliteMagic)):
		return true
	}
	lower := bytes.ToLower(text)
	return utf8.Valid(text) && (bytes.Contains(lower, []byte("otpauth://")) || bytes.Contains(lower, []byte("otpauth-migration://")) || bytes.Contains(lower, []byte("steam://")) || bytes.Contains(lower, []byte("login_totp")))
}

// kindError is the error of a file in the format named, of a kind of it
// that Authdeck does not read (an SDA-encrypted maFile, Authenticator Plus's
// SQLCipher database): it is not taken for another format.
type kindError struct{ error }

func (e kindError) Unwrap() error { return e.error }

// WrongFormatError is a file read as the format a person named, which it is
// not: it looks like another one.
type WrongFormatError struct {
	Named, Looks Format
}

func (e *WrongFormatError) Error() string {
	return fmt.Sprintf("this is not a%s %s: the file looks like a%s %s", article(e.Named.Name()), e.Named.Name(), article(e.Looks.Name()), e.Looks.Name())
}

// article returns the "n" of "an" before name, or "".
func article(name string) string {
	if name != "" && strings.ContainsRune("AEIOUaeiou", rune(name[0])) {
		return "n"
	}
	return ""
}

// importAs reads data in format f.
func importAs(data []byte, f Format, password PasswordFunc) (*Imported, error) {
	var entries []Entry
	var incomplete []*scan.Batch
	var err error
	budget := newKDFBudget(f)
	switch f {
	case FormatAegis:
		entries, err = aegisImport(data, password, budget)
	case FormatTwoFAS:
		entries, err = twofasImport(data, password, budget)
	case FormatURIs:
		entries, err = urisImport(data)
	case FormatBitwarden:
		entries, err = bitwardenImport(data, password, budget)
	case FormatAndOTP:
		entries, err = andotpImport(data, password, budget)
	case FormatFreeOTP:
		entries, err = freeotpImport(data, password, budget)
	case FormatProton:
		entries, err = protonImport(data, password, budget)
	case FormatEnte:
		entries, err = enteImport(data, password, budget)
	case FormatStratum:
		entries, err = stratumImport(data, password, budget)
	case FormatSteam:
		entries, err = steamImport(data)
	case FormatLastPass:
		entries, err = lastpassImport(data)
	case FormatWinAuth:
		entries, err = winauthImport(data, password)
	case FormatAuthPlus:
		entries, err = authplusImport(data, password)
	case FormatTOTPAuth:
		entries, err = totpauthImport(data, password)
	case FormatGoogleDB:
		entries, err = googledbImport(data)
	case FormatMicrosoft:
		entries, err = microsoftImport(data)
	case FormatGoogle:
		entries, incomplete, err = readGoogle(data)
	default:
		return nil, fmt.Errorf("format %q is not known", f)
	}
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, importErr(f, "the file holds no accounts")
	}
	for i := range entries {
		e := &entries[i]
		e.Account.Issuer, e.Account.Name = vault.CleanLabel(e.Account.Issuer), vault.CleanLabel(e.Account.Name)
		var at *EntryError
		switch {
		case e.Err == nil:
			e.Account.Normalize()
		case e.Account.Label() == "" && !errors.As(e.Err, &at):
			e.Err = &EntryError{Where: fmt.Sprintf("entry %d", i+1), Err: e.Err}
		}
	}
	return &Imported{Format: f, Entries: entries, Incomplete: incomplete}, nil
}

// DetectFormat recognises the format of an exported file from its content.
// Images are taken for QR codes of a Google Authenticator transfer, which
// package scan reads, as are text files of otpauth-migration:// URIs.
func DetectFormat(data []byte) (Format, error) {
	text := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(text) == 0 {
		return "", importErr(FormatAuto, "the file is empty")
	}
	if isImage(data) {
		return FormatGoogle, nil
	}
	switch text[0] {
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(text, &obj) != nil {
			return "", importErr(FormatAuto, "the file looks like JSON but is damaged or truncated")
		}
		has := func(keys ...string) bool {
			for _, k := range keys {
				if _, ok := obj[k]; !ok {
					return false
				}
			}
			return true
		}
		switch {
		case has("header", "db"):
			return FormatAegis, nil
		case has("schemaVersion", "services"):
			return FormatTwoFAS, nil
		case has("items") && (has("encrypted") || has("folders")), has("encrypted", "passwordProtected"):
			return FormatBitwarden, nil
		case has("tokens"):
			return FormatFreeOTP, nil
		case has("entries", "version"), has("version", "salt", "content"):
			return FormatProton, nil
		case has("kdfParams", "encryptedData"):
			return FormatEnte, nil
		case has("Authenticators"):
			return FormatStratum, nil
		case has("shared_secret"), has("accounts") && bytes.HasPrefix(bytes.TrimSpace(obj["accounts"]), []byte("{")):
			return FormatSteam, nil
		case has("accounts", "version"):
			return FormatLastPass, nil
		}
		return "", ErrUnknownFormat
	case '[':
		var arr []json.RawMessage
		if json.Unmarshal(text, &arr) != nil {
			return "", importErr(FormatAuto, "the file looks like JSON but is damaged or truncated")
		}
		var first map[string]json.RawMessage
		if len(arr) > 0 && json.Unmarshal(arr[0], &first) == nil && first["secret"] != nil {
			return FormatAndOTP, nil
		}
		return "", ErrUnknownFormat
	}
	switch {
	case stratumLooksEncrypted(data):
		return FormatStratum, nil
	case bytes.HasPrefix(data, []byte(zipMagic)):
		return zipFormat(data)
	case bytes.HasPrefix(data, []byte(sqliteMagic)):
		return sqliteFormat(data)
	case freeotpLooksEncrypted(data), freeotpLooksXML(data):
		return FormatFreeOTP, nil
	}
	if utf8.Valid(text) {
		lower := strings.ToLower(string(text))
		switch {
		case aegisLooksHTML(text):
			return FormatAegis, nil
		case strings.Contains(lower, "otpauth-migration://"):
			return FormatGoogle, nil
		case strings.Contains(lower, "login_totp"):
			return FormatBitwarden, nil
		case strings.Contains(lower, "otpauth://totp/steam:") && strings.Contains(lower, "&deviceid="):
			return FormatWinAuth, nil // WinAuth's Steam lines
		case strings.Contains(lower, "otpauth://") || strings.Contains(lower, "steam://"):
			return FormatURIs, nil
		case strings.HasPrefix(lower, "-----begin pgp message-----"):
			return "", importErr(FormatAuto, "the file is encrypted with OpenPGP (an andOTP backup?): decrypt it with gpg first, and import that")
		case totpauthLooksEncrypted(text):
			return FormatTOTPAuth, nil
		}
		return "", ErrUnknownFormat
	}
	if andotpLooksEncrypted(data) || andotpLooksOldEncrypted(data) {
		return FormatAndOTP, nil
	}
	return "", ErrUnknownFormat
}

// isImage reports whether data starts like a PNG, JPEG, GIF, BMP or WebP file.
func isImage(data []byte) bool {
	for _, magic := range []string{"\x89PNG\r\n\x1a\n", "\xff\xd8\xff", "GIF87a", "GIF89a", "BM"} {
		if bytes.HasPrefix(data, []byte(magic)) {
			return true
		}
	}
	return len(data) > 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP"
}

// askPassword calls password, which must be given for an encrypted file.
func askPassword(password PasswordFunc) (string, error) {
	if password == nil {
		return "", ErrPasswordNeeded
	}
	pass, err := password()
	if err != nil {
		return "", err
	}
	if pass == "" {
		return "", fmt.Errorf("%w: the password is empty", ErrWrongPassword)
	}
	return pass, nil
}

// gcmOpen decrypts and authenticates sealed (ciphertext then tag) with
// AES-GCM under key and a 12-byte nonce.
func gcmOpen(key, nonce, sealed []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(nonce) != 12 {
		return nil, errors.New("the nonce is not 12 bytes")
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return aead.Open(nil, nonce, sealed, nil)
}

// jsonEntries splits a JSON array of entries, so that one entry a reader
// cannot use does not stop the others. It refuses more than
// [MaxImportEntries].
func jsonEntries(f Format, raw json.RawMessage) ([]json.RawMessage, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, importErr(f, "the list of accounts is damaged: %v", jsonReason(err))
	}
	if len(list) > MaxImportEntries {
		return nil, importErr(f, "the file holds %d entries, more than the %d Authdeck imports at once", len(list), MaxImportEntries)
	}
	return list, nil
}

// jsonFile decodes a whole JSON file into v, saying in words what is wrong
// with a file that cannot be decoded: above all, whether it was cut short.
func jsonFile(f Format, data []byte, v any) error {
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) && syn.Offset >= int64(len(bytes.TrimRight(data, " \t\r\n"))) {
		return importErr(f, "the file is truncated")
	}
	return importErr(f, "%s", jsonReason(err))
}

// jsonReason says in words why JSON could not be read.
func jsonReason(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || err != nil && strings.Contains(err.Error(), "unexpected end of JSON input"):
		return "the file is truncated"
	case errors.As(err, &syn):
		return fmt.Sprintf("not valid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		want := "another kind of value"
		switch typ.Type.Kind() {
		case reflect.String:
			want = "text"
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			want = "a whole number"
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			want = "a whole number from 0"
		case reflect.Bool:
			want = "true or false"
		case reflect.Slice, reflect.Array:
			want = "a list"
		case reflect.Struct, reflect.Map:
			want = "an object"
		}
		if typ.Field != "" {
			return fmt.Sprintf("%s: expected %s, found %s", typ.Field, want, typ.Value)
		}
		return fmt.Sprintf("expected %s, found %s", want, typ.Value)
	}
	return err.Error()
}

// decodeEntries decodes each JSON entry of list as a T and makes an entry of
// it with read, which may leave it out (a Bitwarden password without a TOTP
// key). An entry that does not decode is invalid, labelled with the text of
// its fields issuerKey and nameKey.
func decodeEntries[T any](list []json.RawMessage, issuerKey, nameKey string, read func(*T) (Entry, bool)) []Entry {
	entries := make([]Entry, 0, len(list))
	for _, raw := range list {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			var fields map[string]any
			json.Unmarshal(raw, &fields)
			issuer, _ := fields[issuerKey].(string)
			name, _ := fields[nameKey].(string)
			entries = append(entries, invalidEntry(issuer, name, errors.New(jsonReason(err))))
			continue
		}
		if e, ok := read(&v); ok {
			entries = append(entries, e)
		}
	}
	return entries
}

// invalidEntry returns an entry that cannot be imported, labelled with what
// could be read of its issuer and name.
func invalidEntry(issuer, name string, err error) Entry {
	return Entry{Account: vault.Account{Issuer: strings.TrimSpace(issuer), Name: strings.TrimSpace(name)}, Err: err}
}

// otpType maps the names apps give to code types onto Authdeck's, or ""
// for a type Authdeck does not support.
func otpType(s string) vault.Type {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "totp", "":
		return vault.TOTP
	case "hotp":
		return vault.HOTP
	case "steam":
		return vault.Steam
	}
	return ""
}

// entryFrom checks an account read from a file and makes it an entry: a
// valid account, or an invalid entry with the reason.
func entryFrom(a vault.Account, typeName string) Entry {
	if a.Type == "" {
		return invalidEntry(a.Issuer, a.Name, fmt.Errorf("type %q is not supported: Authdeck supports TOTP, HOTP and Steam", typeName))
	}
	a.Normalize()
	if err := a.Validate(); err != nil {
		return invalidEntry(a.Issuer, a.Name, err)
	}
	return Entry{Account: a}
}
