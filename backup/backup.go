// Package backup writes and reads Authdeck's encrypted backup files, restores
// them under the vault's one merge rule, and keeps automatic backups in a
// folder. The format is described in docs/backup-format.md.
package backup

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"

	"authdeck/vault"
)

// FormatVersion is the version of the backup format that this build writes,
// and the newest it reads.
const FormatVersion = 1

// Ext is the file name extension of backup files.
const Ext = ".authdeck-backup"

// MaxSize is the largest backup file that is read; a backup of 10,000
// accounts is a few megabytes.
const MaxSize = 32 << 20

// Errors that callers branch on.
var (
	// ErrNoPassphrase means the vault has no backup key yet: set a backup
	// passphrase with [SetPassphrase] first.
	ErrNoPassphrase = errors.New("no backup passphrase is set yet")
	// ErrNotBackup is a file that is not an Authdeck backup at all.
	ErrNotBackup = errors.New("the file is not an Authdeck backup")
	// ErrDamaged is a backup file that was cut short or changed.
	ErrDamaged = errors.New("the backup file is damaged or incomplete")
	// ErrWrongPassphrase is a passphrase that does not open the backup.
	ErrWrongPassphrase = errors.New("wrong backup passphrase")
	// ErrNewerVersion is a backup written by a newer version of Authdeck.
	ErrNewerVersion = errors.New("the backup was written by a newer version of Authdeck")
	// ErrTooMuchWork is a backup whose key block asks for more scrypt work
	// than Authdeck ever writes; it is refused before any of it is done.
	ErrTooMuchWork = errors.New("the backup asks for an unusual amount of work; refusing")
	// ErrTooManyAccounts is a backup with more accounts than [MaxAccounts].
	ErrTooManyAccounts = fmt.Errorf("the backup holds more than %d accounts", MaxAccounts)
)

// MaxAccounts is the most accounts a backup may hold: far beyond any real
// vault, and a bound on the work of planning a restore.
const MaxAccounts = 100_000

// The text around the two armored age fileBlocks of a backup file.
const (
	fileMagic   = "authdeck-backup v"
	formatName  = "authdeck-backup"
	armorBegin  = armor.Header
	armorEnd    = armor.Footer
	identityTag = "# Authdeck backup identity"
	// keySumTag starts the line after the first, which gives the SHA-256 of
	// the key block, so that a damaged key block is told from a wrong
	// passphrase. Files without it are read as well.
	keySumTag = "key-sha256 "
)

// Backup is the decrypted contents of a backup file.
type Backup struct {
	// Version is the format version the file was written in.
	Version int
	// Created is when the backup was written.
	Created time.Time
	// Device is the computer whose vault was backed up.
	Device vault.Device
	// Revision is the revision of the vault that was backed up.
	Revision uint64
	// Accounts are the accounts in tile order, as they come into a vault:
	// device-bound ones have no secret and need verification.
	Accounts []vault.Account
	// Prefs are the preferences of the vault that was backed up.
	Prefs vault.Prefs
}

// fileContents is the JSON inside a backup file: the second age block.
type fileContents struct {
	Format   string         `json:"format"`
	Version  int            `json:"version"`
	Created  time.Time      `json:"created"`
	Device   vault.Device   `json:"device"`
	Revision uint64         `json:"revision"`
	Accounts []savedAccount `json:"accounts"`
	Prefs    vault.Prefs    `json:"prefs"`
}

// savedAccount is one account in a backup. The secret is base32, as people
// and other apps know it; a device-bound account has none.
type savedAccount struct {
	ID        string          `json:"id"`
	Issuer    string          `json:"issuer,omitempty"`
	Name      string          `json:"name"`
	Secret    string          `json:"secret,omitempty"`
	Type      vault.Type      `json:"type"`
	Algorithm vault.Algorithm `json:"algorithm"`
	Digits    int             `json:"digits"`
	Period    int             `json:"period,omitempty"`
	Counter   uint64          `json:"counter,omitempty"`
	Binding   vault.Binding   `json:"binding"`
	Group     string          `json:"group,omitempty"`
	Created   time.Time       `json:"created"`
	Updated   time.Time       `json:"updated"`
}

var secretB32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// SetPassphrase makes a new random backup identity, wraps it with passphrase
// (age scrypt with 2^workFactor; zero means age's default of 18) and keeps it
// in c, replacing any earlier one. Backups written before keep needing the
// passphrase they were written under.
func SetPassphrase(c *vault.BackupConfig, passphrase string, workFactor int) error {
	if passphrase == "" {
		return errors.New("the backup passphrase is empty")
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return err
	}
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return err
	}
	if workFactor > 0 {
		r.SetWorkFactor(workFactor)
	}
	plain := fmt.Sprintf("%s\n# public key: %s\n%s\n", identityTag, id.Recipient(), id)
	wrapped, err := sealArmored([]byte(plain), r)
	if err != nil {
		return err
	}
	c.Recipient, c.WrappedIdentity = id.Recipient().String(), string(wrapped)
	return nil
}

// CheckPassphrase reports whether passphrase opens the backup identity kept in
// c: nil, [ErrWrongPassphrase], [ErrNoPassphrase] or [ErrDamaged].
func CheckPassphrase(c vault.BackupConfig, passphrase string) error {
	if c.Recipient == "" {
		return ErrNoPassphrase
	}
	id, err := unwrapIdentity([]byte(c.WrappedIdentity), passphrase)
	if err != nil {
		return err
	}
	if id.Recipient().String() != c.Recipient {
		return fmt.Errorf("%w: the backup key in the vault does not match its public key", ErrDamaged)
	}
	return nil
}

// Encode returns the backup file of v, written at now. It needs v's backup key
// (see [SetPassphrase]) but not the passphrase. Device-bound accounts are
// written without their secrets.
func Encode(v *vault.Vault, now time.Time) ([]byte, error) {
	c := v.Backup
	if c.Recipient == "" {
		return nil, ErrNoPassphrase
	}
	r, err := age.ParseX25519Recipient(c.Recipient)
	if err != nil {
		return nil, fmt.Errorf("the backup key in the vault is not valid: %w", err)
	}
	if !strings.HasPrefix(c.WrappedIdentity, armorBegin+"\n") || !strings.HasSuffix(c.WrappedIdentity, armorEnd+"\n") {
		return nil, errors.New("the backup key in the vault is not valid: its wrapped identity is not an armored age file")
	}
	body := fileContents{
		Format:   formatName,
		Version:  FormatVersion,
		Created:  now.UTC().Truncate(time.Second),
		Device:   v.Device,
		Revision: v.Revision,
		Accounts: make([]savedAccount, 0, len(v.Accounts)),
		Prefs:    v.Prefs,
	}
	for _, a := range v.Accounts {
		s := savedAccount{
			ID: a.ID, Issuer: a.Issuer, Name: a.Name, Type: a.Type, Algorithm: a.Algorithm,
			Digits: a.Digits, Period: a.Period, Counter: a.Counter, Binding: a.Binding,
			Group: a.Group, Created: a.Created.UTC(), Updated: a.Updated.UTC(),
		}
		if a.Binding != vault.DeviceBound {
			s.Secret = secretB32.EncodeToString(a.Secret)
		}
		body.Accounts = append(body.Accounts, s)
	}
	plain, err := json.MarshalIndent(body, "", "  ")
	if err != nil {
		return nil, err
	}
	sealed, err := sealArmored(plain, r)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "%s%d\n", fileMagic, FormatVersion)
	if block, _, err := cutBlock([]byte(c.WrappedIdentity)); err == nil {
		sum := sha256.Sum256(block)
		fmt.Fprintf(&out, "%s%s\n", keySumTag, hex.EncodeToString(sum[:]))
	}
	out.WriteString(c.WrappedIdentity)
	out.Write(sealed)
	return out.Bytes(), nil
}

// sealArmored returns plain encrypted to r as an ASCII-armored age file.
func sealArmored(plain []byte, r age.Recipient) ([]byte, error) {
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, r)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plain); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteFile writes the backup of v to path, atomically and readable only by
// its owner, and returns the error of [Encode] or of the write.
func WriteFile(path string, v *vault.Vault, now time.Time) error {
	data, err := Encode(v, now)
	if err != nil {
		return err
	}
	return vault.WriteFileAtomic(path, data)
}

// Export writes the backup of v, kept in store, to path, and records it as
// the last backup in the backup status (see [ReadStatus]). It does not
// overwrite an existing file.
func Export(store *vault.Store, v *vault.Vault, path string, now time.Time) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s: %w", path, os.ErrExist)
	}
	if err := WriteFile(path, v, now); err != nil {
		if f := classifyAutoErr(err, filepath.Dir(path), now); f.Kind != "other" {
			return f.err()
		}
		return err
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return recordSuccess(store, v, path, now, false)
}

// Check reads the outside of a backup file without a passphrase: it returns
// [ErrNotBackup], [ErrNewerVersion] or [ErrDamaged] for a file that cannot be
// a backup this version reads, and nil otherwise. Only [Decode] with the
// passphrase can tell that the contents are intact.
func Check(data []byte) error {
	_, err := splitFile(data)
	return err
}

// fileBlocks are the two armored age files of a backup file.
type fileBlocks struct {
	identity, contents []byte
}

// splitFile checks a backup file's envelope and returns its two age blocks.
func splitFile(data []byte) (fileBlocks, error) {
	if len(data) > MaxSize {
		return fileBlocks{}, fmt.Errorf("%w: it is larger than %d MiB", ErrNotBackup, MaxSize>>20)
	}
	line, rest, ok := bytes.Cut(data, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	v, isBackup := bytes.CutPrefix(line, []byte(fileMagic))
	if !isBackup {
		if bytes.HasPrefix([]byte(fileMagic), data[:min(len(data), len(fileMagic))]) && len(data) > 0 {
			return fileBlocks{}, fmt.Errorf("%w (it ends after %d bytes)", ErrDamaged, len(data))
		}
		return fileBlocks{}, ErrNotBackup
	}
	version, err := parseVersion(v)
	if err != nil {
		return fileBlocks{}, fmt.Errorf("%w (its first line is %q)", ErrDamaged, line)
	}
	if version > FormatVersion {
		return fileBlocks{}, fmt.Errorf("%w (format %d; this one reads up to %d)", ErrNewerVersion, version, FormatVersion)
	}
	if !ok {
		return fileBlocks{}, fmt.Errorf("%w (it ends after its first line)", ErrDamaged)
	}
	var b fileBlocks
	var sum []byte
	if line, after, ok := bytes.Cut(rest, []byte("\n")); ok && bytes.HasPrefix(line, []byte(keySumTag)) {
		sum, err = hex.DecodeString(string(bytes.TrimSpace(line[len(keySumTag):])))
		if err != nil || len(sum) != sha256.Size {
			return fileBlocks{}, fmt.Errorf("%w (its key checksum line is %q)", ErrDamaged, line)
		}
		rest = after
	}
	if b.identity, rest, err = cutBlock(rest); err != nil {
		return fileBlocks{}, fmt.Errorf("%w (the key block: %v)", ErrDamaged, err)
	}
	if got := sha256.Sum256(b.identity); sum != nil && !bytes.Equal(got[:], sum) {
		return fileBlocks{}, fmt.Errorf("%w (the key block was changed since it was written)", ErrDamaged)
	}
	if b.contents, rest, err = cutBlock(rest); err != nil {
		return fileBlocks{}, fmt.Errorf("%w (the contents block: %v)", ErrDamaged, err)
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return fileBlocks{}, fmt.Errorf("%w (text follows the contents block)", ErrDamaged)
	}
	return b, nil
}

// parseVersion parses the decimal version after "authdeck-backup v".
func parseVersion(v []byte) (int, error) {
	if len(v) == 0 || len(v) > 6 || v[0] == '0' {
		return 0, errors.New("bad version")
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, errors.New("bad version")
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

// cutBlock returns the armored age block at the start of data (from its
// BEGIN line to its END line) decoded from base64, and what follows it.
func cutBlock(data []byte) (block, rest []byte, err error) {
	if !bytes.HasPrefix(data, []byte(armorBegin)) {
		return nil, nil, errors.New("no BEGIN line")
	}
	end := bytes.Index(data, []byte(armorEnd))
	if end < 0 {
		return nil, nil, errors.New("no END line")
	}
	end += len(armorEnd)
	rest = data[end:]
	if r, ok := bytes.CutPrefix(rest, []byte("\r\n")); ok {
		rest = r
	} else if r, ok := bytes.CutPrefix(rest, []byte("\n")); ok {
		rest = r
	} else if len(rest) > 0 {
		return nil, nil, errors.New("the END line goes on")
	}
	block, err = io.ReadAll(armor.NewReader(bytes.NewReader(data[:end])))
	if err != nil {
		return nil, nil, err
	}
	return block, rest, nil
}
