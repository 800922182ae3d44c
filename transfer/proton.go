package transfer

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"authdeck/vault"
)

// Proton Authenticator exports: JSON of version 1 with a list of entries,
// each holding an otpauth:// (or steam://) URI and, in later releases, the
// entry's name in its content. An export with a password is JSON of version
// 1 too, with a 16-byte salt and the content: a 12-byte nonce, then the
// plain export sealed with AES-256-GCM (additional data
// "proton.authenticator.export.v1") under an Argon2id key of the password
// and salt. The Argon2id cost is fixed by the format (19 MiB, 2 passes, 1
// lane), so a file cannot ask for more; it is taken from the file's budget
// all the same.

const (
	protonAAD                 = "proton.authenticator.export.v1"
	protonArgonMemory  uint32 = 19 * 1024 // KiB
	protonArgonTime    uint32 = 2
	protonArgonThreads uint8  = 1
	protonSaltSize            = 16
	protonNonceSize           = 12
)

type protonSealed struct {
	Version int    `json:"version"`
	Salt    string `json:"salt"`
	Content string `json:"content"`
}

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

func protonImport(data []byte, password PasswordFunc, budget *kdfBudget) ([]Entry, error) {
	var sealed protonSealed
	if json.Unmarshal(data, &sealed) == nil && sealed.Content != "" {
		plain, err := protonDecrypt(&sealed, password, budget)
		if err != nil {
			return nil, err
		}
		data = plain
	}
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

// protonDecrypt opens an export with a password.
func protonDecrypt(sealed *protonSealed, password PasswordFunc, budget *kdfBudget) ([]byte, error) {
	if sealed.Version != 1 {
		return nil, importErr(FormatProton, "version %d of the export with a password is not supported (Authdeck reads version 1)", sealed.Version)
	}
	salt, err1 := base64.StdEncoding.DecodeString(sealed.Salt)
	content, err2 := base64.StdEncoding.DecodeString(sealed.Content)
	switch {
	case err1 != nil || err2 != nil:
		return nil, importErr(FormatProton, "the salt or the content is not valid base64")
	case len(salt) != protonSaltSize:
		return nil, importErr(FormatProton, "the salt is %d bytes, not %d", len(salt), protonSaltSize)
	case len(content) < protonNonceSize+16:
		return nil, importErr(FormatProton, "the encrypted content is too short")
	}
	pass, err := askPassword(password)
	if err != nil {
		return nil, err
	}
	key, err := budget.argon2id(FormatProton, []byte(pass), salt, protonArgonTime, protonArgonMemory, int(protonArgonThreads), 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	plain, err := aead.Open(nil, content[:protonNonceSize], content[protonNonceSize:], []byte(protonAAD))
	if err != nil {
		return nil, fmt.Errorf("%w for this Proton Authenticator export (or the file is damaged)", ErrWrongPassword)
	}
	var inner protonSealed
	if json.Unmarshal(plain, &inner) == nil && inner.Content != "" {
		return nil, importErr(FormatProton, "the decrypted export is encrypted again")
	}
	return plain, nil
}
