package transfer

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	"authdeck/scan"
)

// Aegis' HTML export: a page with a table row an account, whose issuer,
// name, type, algorithm, digits, secret and counter stand as text, but whose
// period only its QR code holds (an image, base64 PNG in the page). So the
// accounts are read from the QR codes, as Aegis' own scanner reads them.

// aegisHTMLImage finds the QR code images of the page.
var aegisHTMLImage = regexp.MustCompile(`<img src="data:image/png;base64,([A-Za-z0-9+/=\r\n]+)"`)

// aegisLooksHTML reports whether data is Aegis' HTML export.
func aegisLooksHTML(text []byte) bool {
	return bytes.HasPrefix(text, []byte("<html><head><title>")) && bytes.Contains(text, []byte("<th>Issuer</th><th>Name</th><th>Type</th><th>QR Code</th><th>UUID</th>"))
}

func aegisHTMLImport(data []byte) ([]Entry, error) {
	if !bytes.Contains(data[max(0, len(data)-1024):], []byte("</html>")) {
		return nil, importErr(FormatAegis, "the HTML export is truncated: it has no end")
	}
	images := aegisHTMLImage.FindAllSubmatch(data, MaxImportEntries+1)
	if len(images) > MaxImportEntries {
		return nil, importErr(FormatAegis, "the file holds more than the %d accounts Authdeck imports at once", MaxImportEntries)
	}
	var entries []Entry
	for i, m := range images {
		where := fmt.Sprintf("QR code %d", i+1)
		png, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(m[1])))
		if err != nil {
			entries = append(entries, Entry{Err: &EntryError{Where: where, Err: fmt.Errorf("the image is damaged")}})
			continue
		}
		texts, err := scan.DecodeReader(bytes.NewReader(png))
		if err != nil {
			entries = append(entries, Entry{Err: &EntryError{Where: where, Err: err}})
			continue
		}
		for _, text := range texts {
			entries = append(entries, uriEntry(where, text))
		}
	}
	return entries, nil
}
