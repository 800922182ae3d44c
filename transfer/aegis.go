package transfer

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"

	"authdeck/vault"
)

// Aegis vaults, as documented in docs/vault.md of Aegis' repository: a JSON
// file with a header and a db. In an encrypted vault the db is base64 of
// AES-256-GCM ciphertext under a master key, which each password slot holds
// wrapped (AES-256-GCM) under a key derived from the password with scrypt
// (in slots not marked "repaired", perhaps from the password's bytes padded
// as Aegis' issue #95 did). Slots of other types (biometric, raw) open only
// on the phone and are skipped.
// The db content is version 1 to 3: version 2 gives entries a group name,
// version 3 a list of group UUIDs resolved through the db's groups.

type aegisFile struct {
	Version int `json:"version"`
	Header  struct {
		Slots  []aegisSlot   `json:"slots"`
		Params *aegisKeyInfo `json:"params"`
	} `json:"header"`
	DB json.RawMessage `json:"db"`
}

type aegisKeyInfo struct {
	Nonce string `json:"nonce"`
	Tag   string `json:"tag"`
}

type aegisSlot struct {
	Type      int          `json:"type"`
	UUID      string       `json:"uuid"`
	Key       string       `json:"key"`
	KeyParams aegisKeyInfo `json:"key_params"`
	N         int          `json:"n"`
	R         int          `json:"r"`
	P         int          `json:"p"`
	Salt      string       `json:"salt"`
	// Repaired is false in slots written before Aegis fixed its issue
	// #95, which may wrap the key under the password's bytes padded with
	// zeros; see aegisLegacyPassword.
	Repaired bool `json:"repaired"`
}

const aegisPasswordSlot = 1

type aegisDB struct {
	Version int             `json:"version"`
	Entries json.RawMessage `json:"entries"`
	Groups  []aegisGroup    `json:"groups"`
}

type aegisGroup struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

type aegisEntry struct {
	Type   string   `json:"type"`
	UUID   string   `json:"uuid"`
	Name   string   `json:"name"`
	Issuer string   `json:"issuer"`
	Note   string   `json:"note"`
	Group  *string  `json:"group,omitempty"`
	Groups []string `json:"groups,omitempty"`
	Info   struct {
		Secret  string `json:"secret"`
		Algo    string `json:"algo"`
		Digits  int    `json:"digits"`
		Period  int    `json:"period,omitempty"`
		Counter uint64 `json:"counter"`
	} `json:"info"`
}

func aegisImport(data []byte, password PasswordFunc, budget *kdfBudget) ([]Entry, error) {
	if aegisLooksHTML(bytes.TrimSpace(data)) {
		return aegisHTMLImport(data)
	}
	var file aegisFile
	if err := jsonFile(FormatAegis, data, &file); err != nil {
		return nil, err
	}
	if file.Version != 1 {
		return nil, importErr(FormatAegis, "file version %d is not supported (Authdeck reads version 1)", file.Version)
	}
	content := []byte(file.DB)
	if t := bytes.TrimSpace(content); len(t) > 0 && t[0] == '"' {
		var err error
		if content, err = aegisDecrypt(&file, password, budget); err != nil {
			return nil, err
		}
	}
	var db aegisDB
	if err := json.Unmarshal(content, &db); err != nil {
		return nil, importErr(FormatAegis, "the accounts are damaged: %s", jsonReason(err))
	}
	if db.Version < 1 || db.Version > 3 {
		return nil, importErr(FormatAegis, "content version %d is not supported (Authdeck reads versions 1 to 3)", db.Version)
	}
	groups := make(map[string]string, len(db.Groups))
	for _, g := range db.Groups {
		groups[strings.ToLower(g.UUID)] = g.Name
	}
	list, err := jsonEntries(FormatAegis, db.Entries)
	if err != nil {
		return nil, err
	}
	return decodeEntries(list, "issuer", "name", func(e *aegisEntry) (Entry, bool) {
		return aegisEntryFrom(e, groups), true
	}), nil
}

func aegisEntryFrom(e *aegisEntry, groups map[string]string) Entry {
	a := vault.Account{
		Issuer:    e.Issuer,
		Name:      e.Name,
		Type:      otpType(e.Type),
		Algorithm: vault.Algorithm(e.Info.Algo),
		Digits:    e.Info.Digits,
		Period:    e.Info.Period,
		Counter:   e.Info.Counter,
	}
	switch {
	case len(e.Groups) > 0:
		a.Group = groups[strings.ToLower(e.Groups[0])]
	case e.Group != nil:
		a.Group = *e.Group
	}
	secret, err := vault.ParseSecret(e.Info.Secret)
	if err != nil {
		return invalidEntry(a.Issuer, a.Name, err)
	}
	a.Secret = secret
	return entryFrom(a, e.Type)
}

// aegisDecrypt opens the db of an encrypted vault with the password. The
// scrypt work of all password slots together must fit in the budget.
func aegisDecrypt(file *aegisFile, password PasswordFunc, budget *kdfBudget) ([]byte, error) {
	var sealed string
	if err := json.Unmarshal(file.DB, &sealed); err != nil {
		return nil, importErr(FormatAegis, "the encrypted accounts are damaged")
	}
	if file.Header.Params == nil {
		return nil, importErr(FormatAegis, "the header has no encryption parameters")
	}
	var slots []aegisSlot
	for _, s := range file.Header.Slots {
		if s.Type == aegisPasswordSlot {
			slots = append(slots, s)
		}
	}
	if len(slots) == 0 {
		return nil, importErr(FormatAegis, "the vault has no password slot: it can be opened only by the phone that made it (export it from Aegis with a password)")
	}
	costs := make([]kdfCost, len(slots))
	for i, s := range slots {
		costs[i] = scryptCost(s.N, s.R, s.P)
	}
	if err := budget.reserve(FormatAegis, costs...); err != nil {
		return nil, err
	}
	ct, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return nil, importErr(FormatAegis, "the encrypted accounts are damaged (not base64)")
	}
	nonce, err1 := hex.DecodeString(file.Header.Params.Nonce)
	tag, err2 := hex.DecodeString(file.Header.Params.Tag)
	if err1 != nil || err2 != nil || len(nonce) != 12 || len(tag) != 16 {
		return nil, importErr(FormatAegis, "the encryption parameters are damaged")
	}
	pass, err := askPassword(password)
	if err != nil {
		return nil, err
	}
	for _, s := range slots {
		master, err := aegisUnwrap(s, pass, budget)
		if err != nil {
			if errors.Is(err, ErrWrongPassword) {
				continue
			}
			return nil, err
		}
		content, err := gcmOpen(master, nonce, append(ct, tag...))
		if err != nil {
			return nil, importErr(FormatAegis, "the password is right but the encrypted accounts are damaged")
		}
		return content, nil
	}
	return nil, fmt.Errorf("%w for this Aegis vault", ErrWrongPassword)
}

// aegisUnwrap derives the slot's key from the password and unwraps the
// master key. A key that does not authenticate means a wrong password.
func aegisUnwrap(s aegisSlot, pass string, budget *kdfBudget) ([]byte, error) {
	salt, err1 := hex.DecodeString(s.Salt)
	key, err2 := hex.DecodeString(s.Key)
	nonce, err3 := hex.DecodeString(s.KeyParams.Nonce)
	tag, err4 := hex.DecodeString(s.KeyParams.Tag)
	if err := errors.Join(err1, err2, err3, err4); err != nil || len(key) != 32 || len(nonce) != 12 || len(tag) != 16 {
		return nil, importErr(FormatAegis, "the password slot is damaged")
	}
	tries := [][]byte{[]byte(pass)}
	if legacy := aegisLegacyPassword(pass); !s.Repaired && len(legacy) > 64 {
		// Up to 64 bytes, HMAC pads the key with zeros itself, so the
		// padded bytes give the same key and need no second try.
		tries = append(tries, legacy)
	}
	for _, p := range tries {
		kek, err := budget.scrypt(FormatAegis, p, salt, s.N, s.R, s.P, 32)
		if err != nil {
			return nil, err
		}
		if master, err := gcmOpen(kek, nonce, append(key, tag...)); err == nil {
			return master, nil
		}
	}
	return nil, ErrWrongPassword
}

// aegisLegacyPassword returns the bytes that Aegis before its fix of issue
// #95 derived a slot's key from: the password in UTF-8, followed by zeros up
// to the size of the buffer Java's UTF-8 encoder grew (1.1 bytes a UTF-16
// unit to start with, then twice that plus one until the text fits).
func aegisLegacyPassword(pass string) []byte {
	b := []byte(pass)
	n := int(float32(len(utf16.Encode([]rune(pass)))) * float32(1.1))
	for n < len(b) {
		n = 2*n + 1
	}
	return append(b, make([]byte, n-len(b))...)
}

// aegisExport writes accounts as a plain Aegis vault, content version 3,
// with their groups. Aegis imports it as a vault of its own.
func aegisExport(accounts []vault.Account) ([]byte, error) {
	type info struct {
		Secret  string  `json:"secret"`
		Algo    string  `json:"algo"`
		Digits  int     `json:"digits"`
		Period  *int    `json:"period,omitempty"`
		Counter *uint64 `json:"counter,omitempty"`
	}
	type entry struct {
		Type     string   `json:"type"`
		UUID     string   `json:"uuid"`
		Name     string   `json:"name"`
		Issuer   string   `json:"issuer"`
		Note     string   `json:"note"`
		Favorite bool     `json:"favorite"`
		Icon     *string  `json:"icon"`
		IconMime *string  `json:"icon_mime"`
		IconHash *string  `json:"icon_hash"`
		Info     info     `json:"info"`
		Groups   []string `json:"groups"`
	}
	db := struct {
		Version int          `json:"version"`
		Entries []entry      `json:"entries"`
		Groups  []aegisGroup `json:"groups"`
	}{Version: 3, Entries: []entry{}, Groups: []aegisGroup{}}
	groupIDs := map[string]string{}
	for _, a := range accounts {
		e := entry{
			Type:   string(a.Type),
			UUID:   aegisUUID(),
			Name:   a.Name,
			Issuer: a.Issuer,
			Info:   info{Secret: a.SecretBase32(), Algo: string(a.Algorithm), Digits: a.Digits},
			Groups: []string{},
		}
		if a.Type == vault.HOTP {
			c := a.Counter
			e.Info.Counter = &c
		} else {
			p := a.Period
			e.Info.Period = &p
		}
		if a.Group != "" {
			id, ok := groupIDs[a.Group]
			if !ok {
				id = aegisUUID()
				groupIDs[a.Group] = id
				db.Groups = append(db.Groups, aegisGroup{UUID: id, Name: a.Group})
			}
			e.Groups = append(e.Groups, id)
		}
		db.Entries = append(db.Entries, e)
	}
	out := aegisFile{Version: 1}
	var err error
	if out.DB, err = json.Marshal(db); err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(out, "", "    ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// aegisUUID returns a random version 4 UUID, as Aegis gives every entry.
func aegisUUID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails: it crashes the program instead
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
