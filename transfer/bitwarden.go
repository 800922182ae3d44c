package transfer

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"authdeck/vault"
)

// Bitwarden password manager exports, JSON or CSV, unencrypted. Each login
// item with a TOTP key is an account; its login.totp holds an otpauth:// URI,
// a bare base32 secret (TOTP, default parameters), or steam://SECRET. The
// label comes from the URI where it has one, else from the item: its name
// as the issuer and its user name as the account name. Folders become groups,
// and so do the collections of an organization's export. The Bitwarden
// Authenticator app writes the same JSON, without folders.

type bitwardenFile struct {
	Encrypted bool `json:"encrypted"`
	Folders   []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"folders"`
	// Collections are the folders of an organization's export.
	Collections []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"collections"`
	Items json.RawMessage `json:"items"`
}

type bitwardenItem struct {
	Name          string   `json:"name"`
	FolderID      string   `json:"folderId"`
	CollectionIDs []string `json:"collectionIds"`
	Login         *struct {
		Username string `json:"username"`
		TOTP     string `json:"totp"`
	} `json:"login"`
}

func bitwardenImport(data []byte, password PasswordFunc, budget *kdfBudget) ([]Entry, error) {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		plain, err := bitwardenDecrypt(data, password, budget)
		if err != nil {
			return nil, err
		}
		return bitwardenJSON(plain)
	}
	return bitwardenCSV(data)
}

func bitwardenJSON(data []byte) ([]Entry, error) {
	var file bitwardenFile
	if err := jsonFile(FormatBitwarden, data, &file); err != nil {
		return nil, err
	}
	if file.Encrypted {
		return nil, importErr(FormatBitwarden, "%w", ErrBitwardenAccountRestricted)
	}
	folders := map[string]string{}
	for _, f := range file.Folders {
		folders[f.ID] = f.Name
	}
	for _, c := range file.Collections {
		folders[c.ID] = c.Name
	}
	list, err := jsonEntries(FormatBitwarden, file.Items)
	if err != nil {
		return nil, err
	}
	return decodeEntries(list, "name", "", func(it *bitwardenItem) (Entry, bool) {
		if it.Login == nil || strings.TrimSpace(it.Login.TOTP) == "" {
			return Entry{}, false // a password without a TOTP key
		}
		group := folders[it.FolderID]
		if group == "" && len(it.CollectionIDs) > 0 {
			group = folders[it.CollectionIDs[0]]
		}
		return bitwardenEntry(it.Login.TOTP, it.Name, it.Login.Username, group), true
	}), nil
}

func bitwardenCSV(data []byte) ([]Entry, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return nil, importErr(FormatBitwarden, "the CSV header cannot be read")
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	if _, ok := col["login_totp"]; !ok {
		return nil, importErr(FormatBitwarden, "the CSV file has no login_totp column")
	}
	field := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var entries []Entry
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, importErr(FormatBitwarden, "line %d of the CSV file cannot be read", line)
		}
		if len(entries) >= MaxImportEntries {
			return nil, importErr(FormatBitwarden, "the file holds more than the %d accounts Authdeck imports at once", MaxImportEntries)
		}
		totp := field(rec, "login_totp")
		if strings.TrimSpace(totp) == "" {
			continue
		}
		entries = append(entries, bitwardenEntry(totp, field(rec, "name"), field(rec, "login_username"), field(rec, "folder")))
	}
	return entries, nil
}

// bitwardenEntry reads the TOTP key of an item.
func bitwardenEntry(totp, item, username, group string) Entry {
	totp = strings.TrimSpace(totp)
	lower := strings.ToLower(totp)
	var a vault.Account
	switch {
	case strings.HasPrefix(lower, "otpauth://"):
		var err error
		if a, err = vault.ParseURI(totp); err != nil {
			return invalidEntry(item, username, err)
		}
		if a.Issuer == "" {
			a.Issuer = item
		}
		if a.Name == "" {
			a.Name = username
		}
	case strings.HasPrefix(lower, "steam://"):
		var err error
		if a, err = vault.ParseURI(totp); err != nil {
			return invalidEntry(item, username, err)
		}
		a.Issuer, a.Name = item, username
		if a.Issuer == "" {
			a.Issuer = "Steam"
		}
	default:
		secret, err := vault.ParseSecret(totp)
		if err != nil {
			return invalidEntry(item, username, fmt.Errorf("the TOTP key is neither an otpauth:// URI nor a base32 secret: %w", err))
		}
		a = vault.Account{Issuer: item, Name: username, Type: vault.TOTP, Secret: secret}
	}
	a.Group = group
	return entryFrom(a, string(a.Type))
}
