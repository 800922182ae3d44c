package vault

import (
	"errors"
	"path/filepath"
)

// SetPassphrase puts the vault under a passphrase (password mode) with a new
// key: from keychain mode, whose key it then removes from the keychain, or
// from password mode, to change the passphrase. The current key is unlocked
// first, as any change does. The previous vault file (vault.age.bak) is
// written anew under the new key, so that the old passphrase or keychain
// item opens nothing that is kept.
func (s *Store) SetPassphrase(pass string) error {
	if pass == "" {
		return ErrPassphraseNeeded
	}
	return s.rekey(func() (Mode, error) {
		from := s.keyMode
		if err := s.wrapNewKey(pass); err != nil {
			return NoVault, err
		}
		return from, nil
	})
}

// RemovePassphrase moves a password-mode vault to keychain mode, under a new
// key kept in the keychain. If the keychain cannot keep it, nothing changes.
func (s *Store) RemovePassphrase() error {
	return s.rekey(func() (Mode, error) {
		if s.keyMode != PasswordMode {
			return NoVault, ErrNotPasswordMode
		}
		if err := s.opts.Keychain.Delete(KeychainService, s.keychainUser()); err != nil && !errors.Is(err, ErrNoKey) {
			return NoVault, err
		}
		if err := s.newKey(KeychainMode); err != nil {
			return NoVault, err
		}
		return PasswordMode, nil
	})
}

// ErrNotPasswordMode is returned by [Store.RemovePassphrase] for a vault that
// has no passphrase.
var ErrNotPasswordMode = errors.New("the vault is not protected by a passphrase")

// rekey loads the vault under its current key, lets newKey give the store
// another one, and saves the vault and its previous version under it. newKey
// returns the mode the vault had.
func (s *Store) rekey(newKey func() (Mode, error)) error {
	var v *Vault
	err := s.locked(func() error {
		var prev []byte
		var err error
		v, prev, err = s.load()
		if err != nil {
			return err
		}
		if prev == nil {
			return ErrNoVault
		}
		if s.legacyPass != "" {
			s.keyMode = PasswordMode
		}
		from, err := newKey()
		if err != nil {
			return err
		}
		v.Revision++
		sealed, err := s.seal(v)
		if err != nil {
			return err
		}
		if err := WriteFileAtomic(filepath.Join(s.dir, BackupName), sealed); err != nil {
			return err
		}
		if err := WriteFileAtomic(s.Path(), sealed); err != nil {
			return err
		}
		if from == KeychainMode && s.keyMode == PasswordMode {
			// The keychain's key opens nothing now; a failure to remove it
			// leaves a useless item, not a weaker vault.
			s.opts.Keychain.Delete(KeychainService, s.keychainUser())
		}
		return nil
	})
	if err == nil {
		s.saved(v)
	}
	return err
}

// ErrNoVault is returned for a change of key in a folder without a vault.
var ErrNoVault = errors.New("there is no vault yet")
