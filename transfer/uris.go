package transfer

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"authdeck/vault"
)

// Lists of otpauth:// URIs, the plain export of Bitwarden, Ente Auth and many
// others: one URI a line, or several on a line separated by commas, also as
// decoders print them ("QR-Code:otpauth://..."). Blank lines and lines
// starting with # are skipped. In an HTML page (Stratum's HTML export) the
// URIs are read wherever they stand, and the rest of the page is left aside.

// urisSplit finds the commas that separate URIs on one line: those followed
// by the start of another URI, so a comma inside a label stays.
var urisSplit = regexp.MustCompile(`(?i),\s*(otpauth://|steam://)`)

// urisInHTML finds the URIs of an HTML page, such as Stratum's HTML export,
// which writes each in a <code> element.
var urisInHTML = regexp.MustCompile(`(?i)(otpauth|steam)://[^\s<>"']+`)

func urisImport(data []byte) ([]Entry, error) {
	var entries []Entry
	lower := strings.ToLower(string(data[:min(len(data), 1024)]))
	html := strings.Contains(lower, "<!doctype html") || strings.Contains(lower, "<html")
	if html && !strings.Contains(strings.ToLower(string(data[max(0, len(data)-1024):])), "</html>") {
		return nil, importErr(FormatURIs, "the HTML page is truncated: it has no end")
	}
	for n, line := range strings.Split(string(data), "\n") {
		line = vault.DecoderText(line)
		if line == "" || strings.HasPrefix(line, "#") && !html {
			continue
		}
		uris := urisSplitLine(line)
		if html {
			uris = urisInHTML.FindAllString(line, -1)
			for i := range uris {
				uris[i] = strings.ReplaceAll(uris[i], "&amp;", "&")
			}
		}
		for _, uri := range uris {
			if len(entries) >= MaxImportEntries {
				return nil, importErr(FormatURIs, "the file holds more than the %d accounts Authdeck imports at once", MaxImportEntries)
			}
			entries = append(entries, uriEntry(fmt.Sprintf("line %d", n+1), uri))
		}
	}
	return entries, nil
}

func urisSplitLine(line string) []string {
	var out []string
	for {
		loc := urisSplit.FindStringIndex(line)
		if loc == nil {
			return append(out, line)
		}
		out = append(out, strings.TrimSpace(line[:loc[0]]))
		line = strings.TrimSpace(line[loc[0]+1:])
	}
}

// uriEntry reads one otpauth:// URI found at where ("line 3", "code 2"). One
// that cannot be used is named by where and by its label, if it has one.
func uriEntry(where, uri string) Entry {
	a, err := vault.ParseURI(uri)
	if errors.Is(err, vault.ErrNotAccountURI) {
		err = &NotAccountError{Holds: describe(uri)}
	}
	if err != nil {
		var label vault.Account
		if ue, ok := err.(*vault.URIError); ok {
			label.Issuer, label.Name = ue.Issuer, ue.Name
		}
		return Entry{Account: label, Err: &EntryError{Where: where, Err: err}}
	}
	return Entry{Account: a}
}

// urisExport writes one otpauth URI a line.
func urisExport(accounts []vault.Account) []byte {
	var b strings.Builder
	for i := range accounts {
		b.WriteString(accounts[i].URI())
		b.WriteByte('\n')
	}
	return []byte(b.String())
}
