package transfer

import (
	"encoding/json"

	"authdeck/vault"
)

// LastPass Authenticator exports: JSON with version 3, a list of accounts
// (issuerName, userName, secret in base32, timeStep, digits, algorithm, and
// folderData.folderId) and a list of folders (id, name). Every account is
// TOTP; one without an issuer name is named by its user name alone, as
// Stratum reads it. A folder becomes the group.

type lastpassFile struct {
	Version  int             `json:"version"`
	Accounts json.RawMessage `json:"accounts"`
	Folders  []struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	} `json:"folders"`
}

type lastpassAccount struct {
	IssuerName string `json:"issuerName"`
	UserName   string `json:"userName"`
	Secret     string `json:"secret"`
	TimeStep   int    `json:"timeStep"`
	Digits     int    `json:"digits"`
	Algorithm  string `json:"algorithm"`
	FolderData *struct {
		FolderID int `json:"folderId"`
	} `json:"folderData"`
}

func lastpassImport(data []byte) ([]Entry, error) {
	var file lastpassFile
	if err := jsonFile(FormatLastPass, data, &file); err != nil {
		return nil, err
	}
	if file.Version != 3 {
		return nil, importErr(FormatLastPass, "export version %d is not supported (Authdeck reads version 3)", file.Version)
	}
	folders := map[int]string{}
	for _, f := range file.Folders {
		folders[f.ID] = f.Name
	}
	list, err := jsonEntries(FormatLastPass, file.Accounts)
	if err != nil {
		return nil, err
	}
	return decodeEntries(list, "issuerName", "userName", func(l *lastpassAccount) (Entry, bool) {
		a := vault.Account{Issuer: l.IssuerName, Name: l.UserName, Type: vault.TOTP,
			Algorithm: vault.Algorithm(l.Algorithm), Digits: l.Digits, Period: l.TimeStep}
		if l.FolderData != nil && l.FolderData.FolderID > 0 {
			a.Group = folders[l.FolderData.FolderID]
		}
		secret, err := vault.ParseSecret(l.Secret)
		if err != nil {
			return invalidEntry(a.Issuer, a.Name, err), true
		}
		a.Secret = secret
		return entryFrom(a, "totp"), true
	}), nil
}
