package backup

import (
	"encoding/json"
	"errors"

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
	entries := make([]Entry, 0, len(list))
	for _, raw := range list {
		var e protonEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			entries = append(entries, Entry{Err: errors.New(jsonReason(err))})
			continue
		}
		a, err := vault.ParseURI(e.Content.URI)
		if err != nil {
			entries = append(entries, invalidEntry("", e.Content.Name, err))
			continue
		}
		if a.Type == vault.Steam && a.Name == "Steam" && e.Content.Name != "" || a.Name == "" {
			a.Name = e.Content.Name
		}
		entries = append(entries, entryFrom(a, string(a.Type)))
	}
	return entries, nil
}
