package transfer

import (
	"encoding/json"

	"authdeck/vault"
)

// Proton Authenticator exports: JSON with a list of entries, each holding
// an otpauth:// (or steam://) URI and the entry's name in its content.

type protonFile struct {
	Version int             `json:"version"`
	Entries json.RawMessage `json:"entries"`
}

type protonEntry struct {
	Content struct {
		URI       string `json:"uri"`
		EntryType string `json:"entry_type"`
		Name      string `json:"name"`
	} `json:"content"`
}

func protonImport(data []byte) ([]Entry, error) {
	var file protonFile
	if err := jsonFile(FormatProton, data, &file); err != nil {
		return nil, err
	}
	if file.Version != 1 {
		return nil, importErr(FormatProton, "version %d is not supported (Authdeck reads version 1)", file.Version)
	}
	list, err := jsonEntries(FormatProton, file.Entries)
	if err != nil {
		return nil, err
	}
	return decodeEntries(list, "", "", func(e *protonEntry) (Entry, bool) {
		a, err := vault.ParseURI(e.Content.URI)
		if err != nil {
			return invalidEntry("", e.Content.Name, err), true
		}
		if a.Name == "" || a.Type == vault.Steam && a.Name == "Steam" && e.Content.Name != "" {
			a.Name = e.Content.Name
		}
		return entryFrom(a, string(a.Type)), true
	}), nil
}
