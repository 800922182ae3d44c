package transfer

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"authdeck/scan"
	"authdeck/vault"
)

// NotAccountError is a QR code or a line of a file that holds something
// other than an account, such as a web link or a Wi-Fi code. Holds says what
// it holds without quoting it, since that could be private (a Wi-Fi
// password): "a link to example.com", "a WIFI: code", "plain text".
type NotAccountError struct {
	Holds string
}

func (e *NotAccountError) Error() string { return "not an account: it holds " + e.Holds }

// Unwrap returns [vault.ErrNotAccountURI].
func (e *NotAccountError) Unwrap() error { return vault.ErrNotAccountURI }

// EntryError is an entry that cannot be imported, named by where it stands
// ("line 3", "entry 2", "shot.png, code 2") because its label alone may be
// empty or not tell it apart.
type EntryError struct {
	Where string
	Err   error
}

func (e *EntryError) Error() string { return e.Where + ": " + e.Err.Error() }

func (e *EntryError) Unwrap() error { return e.Err }

// InSource returns err, the reason an entry cannot be used, as an
// [*EntryError] that names its source (a file) before where it stands in it,
// for an import of several files at once.
func InSource(source string, err error) error {
	var at *EntryError
	if errors.As(err, &at) {
		return &EntryError{Where: source + ", " + at.Where, Err: at.Err}
	}
	return &EntryError{Where: source, Err: err}
}

// SourceError is an image, the screen or another source that gave no QR
// code to read at all.
type SourceError struct {
	Source string
	Err    error
}

func (e *SourceError) Error() string { return e.Source + ": " + e.Err.Error() }

func (e *SourceError) Unwrap() error { return e.Err }

// Gatherer gathers the accounts that QR codes and lines of text bring in:
// otpauth:// URIs one by one, and Google Authenticator transfers put together
// from their codes in whatever order they come, so that the command line and
// the window read them the same way. The zero value is empty.
type Gatherer struct {
	entries  []Entry // from otpauth:// texts, and those that cannot be used
	batches  []*scan.Batch
	problems []error // *SourceError values
}

// AddTexts adds the texts of the QR codes found in source (a file name, "the
// screen", or "" when the caller names the source itself). It returns why the texts that gave no account, or not all of
// theirs, cannot be used; each is also kept as an invalid entry. The errors
// are a [*NotAccountError], an error wrapping [scan.ErrBadMigration], a
// [*scan.EntryError] or a [*vault.URIError].
func (g *Gatherer) AddTexts(source string, texts []string) []error {
	var problems []error
	for i, text := range texts {
		where := source
		switch {
		case source == "":
			where = fmt.Sprintf("code %d", i+1)
		case len(texts) > 1:
			where = fmt.Sprintf("%s, code %d", source, i+1)
		}
		problems = append(problems, g.add(where, text)...)
	}
	return problems
}

// AddLines adds the lines of a text file: otpauth:// and
// otpauth-migration:// URIs one a line, as decoders print them (zbarimg's
// "QR-Code:" prefix and surrounding space are dropped). Blank lines and lines
// starting with # are skipped. It returns the problems as [Gatherer.AddTexts]
// does, and an error for a file of more than [MaxImportEntries] lines.
func (g *Gatherer) AddLines(data []byte) ([]error, error) {
	var problems []error
	for n, line := range strings.Split(string(data), "\n") {
		line = vault.DecoderText(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if len(g.entries) >= MaxImportEntries {
			return nil, importErr(FormatGoogle, "the file holds more than the %d accounts Authdeck imports at once", MaxImportEntries)
		}
		problems = append(problems, g.add(fmt.Sprintf("line %d", n+1), line)...)
	}
	return problems, nil
}

// AddImage reads the QR codes of the image file at path and adds them. An
// image that gives no code is kept as a problem and returned.
func (g *Gatherer) AddImage(path string) []error {
	texts, err := scan.DecodeFile(path)
	if err != nil {
		err = &SourceError{Source: path, Err: err}
		g.problems = append(g.problems, err)
		return []error{err}
	}
	return g.AddTexts(path, texts)
}

// add adds one text found at where.
func (g *Gatherer) add(where, text string) []error {
	text = vault.DecoderText(text)
	if !scan.IsMigration(text) {
		e := uriEntry(where, text)
		g.entries = append(g.entries, e)
		if e.Err != nil {
			return []error{errors.Unwrap(e.Err)}
		}
		return nil
	}
	m, err := scan.ParseMigration(text)
	if m == nil {
		g.entries = append(g.entries, Entry{Err: &EntryError{Where: where, Err: err}})
		return []error{err}
	}
	g.addToBatch(m)
	var problems []error
	for _, err := range unjoin(err) {
		problems = append(problems, err)
		var bad *scan.EntryError
		if errors.As(err, &bad) {
			g.entries = append(g.entries, Entry{Account: vault.Account{Name: bad.Label},
				Err: &EntryError{Where: fmt.Sprintf("%s, account %d", where, bad.Index+1), Err: bad.Err}})
		}
	}
	return problems
}

// addToBatch adds a transfer code to the batch of its transfer.
func (g *Gatherer) addToBatch(m *scan.Migration) {
	for _, b := range g.batches {
		if !errors.Is(b.Add(m), scan.ErrOtherBatch) {
			return
		}
	}
	b := new(scan.Batch)
	b.Add(m)
	g.batches = append(g.batches, b)
}

// Entries returns everything gathered: the accounts of otpauth:// texts and
// the entries that cannot be used, in the order they came, then the accounts
// of the transfers.
func (g *Gatherer) Entries() []Entry {
	out := append([]Entry(nil), g.entries...)
	for _, b := range g.batches {
		for _, a := range b.Accounts() {
			out = append(out, Entry{Account: a})
		}
	}
	return out
}

// Accounts returns the accounts gathered that can be used, those of
// transfers after the others.
func (g *Gatherer) Accounts() []vault.Account {
	var out []vault.Account
	for _, e := range g.Entries() {
		if e.Err == nil {
			out = append(out, e.Account)
		}
	}
	return out
}

// Incomplete returns the transfers that still miss codes.
func (g *Gatherer) Incomplete() []*scan.Batch {
	var out []*scan.Batch
	for _, b := range g.batches {
		if !b.Complete() {
			out = append(out, b)
		}
	}
	return out
}

// Transfers reports whether a Google Authenticator transfer was gathered.
func (g *Gatherer) Transfers() bool { return len(g.batches) > 0 }

// Problems returns the sources that gave no QR code at all, as
// [*SourceError] values.
func (g *Gatherer) Problems() []error { return g.problems }

// Empty reports whether nothing at all was gathered, not even a problem.
func (g *Gatherer) Empty() bool {
	return len(g.entries) == 0 && len(g.batches) == 0 && len(g.problems) == 0
}

// Reset forgets everything gathered.
func (g *Gatherer) Reset() { *g = Gatherer{} }

// readGoogle reads a Google Authenticator transfer for [ImportAccounts]: an
// image of its QR codes, or a text file of its otpauth-migration:// URIs
// (otpauth:// URIs may stand among them).
func readGoogle(data []byte) ([]Entry, []*scan.Batch, error) {
	var g Gatherer
	if utf8.Valid(data) && !isImage(data) {
		if _, err := g.AddLines(data); err != nil {
			return nil, nil, err
		}
	} else {
		texts, err := scan.DecodeReader(bytes.NewReader(data))
		if err != nil {
			return nil, nil, importErr(FormatAuto, "%w", err) // an image, not yet a transfer
		}
		g.AddTexts("", texts)
	}
	return g.Entries(), g.Incomplete(), nil
}

// unjoin returns the errors joined in err, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err != nil {
		return []error{err}
	}
	return nil
}

// describe says what kind of text a code holds: a link and its site, a code
// of another scheme (WIFI:, mailto:), or plain text.
func describe(text string) string {
	scheme, _, ok := strings.Cut(text, ":")
	if !ok || scheme == "" || len(scheme) > 32 || strings.ContainsFunc(scheme, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')
	}) {
		return "plain text"
	}
	switch strings.ToLower(scheme) {
	case "http", "https":
		if u, err := url.Parse(text); err == nil && u.Host != "" {
			return "a link to " + vault.CleanLabel(u.Hostname())
		}
		return "a link"
	}
	return fmt.Sprintf("a %s: code", scheme)
}
