package vault

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// DefaultWorkFactor is the log2 scrypt cost with which Authdeck wraps a
// password-mode vault's key: about a second on a laptop.
const DefaultWorkFactor = 18

// The vault file's formats. A keychain-mode vault is an age file encrypted to
// the X25519 identity in the keychain. A password-mode vault starts with
// passHeader and the key block, an armored age file that holds that identity
// under the passphrase (age scrypt), followed by the vault sealed to it:
// unlocking costs one scrypt, and a save writes the same key block again.
// Password-mode vaults of the first format were one age file under scrypt;
// they open, and their next save writes the current format.
const (
	ageMagic    = "age-encryption.org/v1\n"
	passHeader  = "authdeck-vault v2 passphrase\n"
	headerStart = "authdeck-vault v"
	armorEnd    = armor.Footer + "\n"
)

// vaultFile is a vault file split into its parts.
type vaultFile struct {
	mode     Mode
	legacy   bool   // a password-mode vault of the first format
	keyBlock []byte // the passphrase-wrapped key, in password mode
	body     []byte // the age file that holds the vault
}

// parseFile splits a vault file without decrypting anything.
func parseFile(data []byte) (vaultFile, error) {
	switch {
	case bytes.HasPrefix(data, []byte(ageMagic)):
		if _, ok := ScryptWorkFactor(data); ok {
			return vaultFile{mode: PasswordMode, legacy: true, body: data}, nil
		}
		return vaultFile{mode: KeychainMode, body: data}, nil
	case bytes.HasPrefix(data, []byte(passHeader)):
		rest := data[len(passHeader):]
		end := bytes.Index(rest, []byte(armorEnd))
		if !bytes.HasPrefix(rest, []byte(armor.Header)) || end < 0 {
			return vaultFile{}, fmt.Errorf("%w (its key block is cut short)", ErrDamaged)
		}
		block, body := rest[:end+len(armorEnd)], rest[end+len(armorEnd):]
		if !bytes.HasPrefix(body, []byte(ageMagic)) {
			return vaultFile{}, fmt.Errorf("%w (nothing follows its key block)", ErrDamaged)
		}
		return vaultFile{mode: PasswordMode, keyBlock: block, body: body}, nil
	case bytes.HasPrefix(data, []byte(headerStart)):
		line, _, _ := bytes.Cut(data, []byte("\n"))
		return vaultFile{}, fmt.Errorf("%w (%q)", ErrNewerVersion, line)
	}
	return vaultFile{}, ErrDamaged
}

// writeKeyBlock writes the start of a password-mode vault file.
func writeKeyBlock(w *bytes.Buffer, block []byte) {
	w.WriteString(passHeader)
	w.Write(block)
}

// ScryptWorkFactor returns the log2 scrypt cost that an age file (binary or
// armored) asks for, read from its header without doing any of the work, and
// whether it is a passphrase-encrypted file at all.
func ScryptWorkFactor(file []byte) (int, bool) {
	var r io.Reader = bytes.NewReader(file)
	if bytes.HasPrefix(bytes.TrimLeft(file, " \t\r\n"), []byte(armor.Header)) {
		r = armor.NewReader(r)
	}
	br := bufio.NewReaderSize(io.LimitReader(r, 4096), 4096)
	if line, err := br.ReadString('\n'); err != nil || line != ageMagic {
		return 0, false
	}
	line, err := br.ReadString('\n')
	if err != nil {
		return 0, false
	}
	f := strings.Fields(strings.TrimPrefix(line, "-> "))
	if !strings.HasPrefix(line, "-> ") || len(f) != 3 || f[0] != "scrypt" {
		return 0, false
	}
	n, err := strconv.Atoi(f[2])
	if err != nil || n <= 0 || f[2][0] == '0' {
		return 0, false
	}
	return n, true
}

// workFactor is the scrypt cost this store writes, and maxWorkFactor the
// most it accepts from a file: one more, so that nobody who can put a file in
// the vault folder makes Authdeck spend minutes and gigabytes before it fails.
func (s *Store) workFactor() int {
	if s.opts.ScryptWorkFactor > 0 {
		return s.opts.ScryptWorkFactor
	}
	return DefaultWorkFactor
}

func (s *Store) maxWorkFactor() int { return max(s.workFactor(), DefaultWorkFactor) + 1 }

// scryptIdentity returns the identity that opens an age file under pass,
// bounded by maxWorkFactor.
func (s *Store) scryptIdentity(pass string) (*age.ScryptIdentity, error) {
	id, err := age.NewScryptIdentity(pass)
	if err != nil {
		return nil, err
	}
	id.SetMaxWorkFactor(s.maxWorkFactor())
	return id, nil
}

// checkWork refuses an age file under scrypt that asks for more work than
// maxWorkFactor, before any of it is done.
func (s *Store) checkWork(file []byte) error {
	if n, ok := ScryptWorkFactor(file); !ok {
		return fmt.Errorf("%w (its key block is not under a passphrase)", ErrDamaged)
	} else if n > s.maxWorkFactor() {
		return fmt.Errorf("%w (2^%d)", ErrTooMuchWork, n)
	}
	return nil
}

// unwrapKey opens a key block with the passphrase: the one scrypt of an
// unlock.
func (s *Store) unwrapKey(block []byte, pass string) (*age.X25519Identity, error) {
	if err := s.checkWork(block); err != nil {
		return nil, err
	}
	id, err := s.scryptIdentity(pass)
	if err != nil {
		return nil, err
	}
	plain, err := decrypt(mustDearmor(block), id)
	if errors.Is(err, errNoMatch) {
		return nil, ErrWrongPassphrase
	}
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	key, err := age.ParseX25519Identity(string(bytes.TrimSpace(plain)))
	if err != nil {
		return nil, fmt.Errorf("%w (its key block holds no key)", ErrDamaged)
	}
	return key, nil
}

func mustDearmor(block []byte) []byte {
	plain, err := io.ReadAll(armor.NewReader(bytes.NewReader(block)))
	if err != nil {
		return nil // decrypt then says the file is damaged
	}
	return plain
}

// wrapNewKey gives the store a new X25519 identity wrapped with pass.
func (s *Store) wrapNewKey(pass string) error {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return err
	}
	r, err := age.NewScryptRecipient(pass)
	if err != nil {
		return err
	}
	r.SetWorkFactor(s.workFactor())
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, r)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, id.String()+"\n"); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := aw.Close(); err != nil {
		return err
	}
	s.keep(id, PasswordMode, buf.Bytes())
	s.legacyPass = ""
	return nil
}
