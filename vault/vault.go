package vault

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// FormatVersion is the version of the vault's contents that this build writes.
const FormatVersion = 1

// Vault is the decrypted contents of the vault file: every account in tile
// order, the preferences, and a revision that grows with every saved change.
// A Vault is a value that [Store.Update] loads, lets a function change, and
// saves; it does no I/O itself.
type Vault struct {
	Version  int          `json:"version"`
	Revision uint64       `json:"revision"`
	Device   Device       `json:"device"`
	Accounts []Account    `json:"accounts"`
	Prefs    Prefs        `json:"prefs"`
	Backup   BackupConfig `json:"backup,omitzero"`
	// Trash is Recently deleted (see [Vault.Settle]).
	Trash []Deleted `json:"trash,omitempty"`
	// Sync is this vault's part in a sync between the user's computers.
	Sync Replica `json:"sync,omitzero"`
}

// Device names the computer that keeps a vault, for backups written by it.
type Device struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Prefs are the user's preferences, saved in the vault and in backups.
type Prefs struct {
	// Theme is "system", "light" or "dark".
	Theme string `json:"theme,omitempty"`
	// HideCodes hides codes until a tile is clicked.
	HideCodes bool `json:"hide_codes,omitempty"`
	// ClipboardClearSeconds is how long a copied code stays on the clipboard;
	// zero means the default of 30 s, a negative value never clears.
	ClipboardClearSeconds int `json:"clipboard_clear_seconds,omitempty"`
	// ClockServer is the time server the clock check asks, "host" or
	// "host:port"; empty means [DefaultTimeServer].
	ClockServer string `json:"clock_server,omitempty"`
	// ClockCheckOff turns the window's clock check off.
	ClockCheckOff bool `json:"clock_check_off,omitempty"`

	// The window on the desktop all day: lock, tray and what stays out of sight.

	// AutoLockMinutes locks the window after that many minutes without
	// input; zero means the default of 5, a negative value never.
	AutoLockMinutes int `json:"auto_lock_minutes,omitempty"`
	// LockHash is the app passphrase of the lock in keychain mode, as a
	// [HashLockPassphrase] hash (never the passphrase); empty means none.
	LockHash string `json:"lock_hash,omitempty"`
	// SystemUnlock lets the user's system password (polkit on Linux) open
	// the lock in keychain mode.
	SystemUnlock bool `json:"system_unlock,omitempty"`
	// TrayOff closes the window instead of keeping it in the tray.
	TrayOff bool `json:"tray_off,omitempty"`
	// StartHidden starts in the tray, without the window.
	StartHidden bool `json:"start_hidden,omitempty"`
	// StartAtLogin starts Authdeck when the user logs in.
	StartAtLogin bool `json:"start_at_login,omitempty"`
	// CaptureProtectionOff lets screenshots and screen sharing see the
	// window where the system can keep them out.
	CaptureProtectionOff bool `json:"capture_protection_off,omitempty"`
}

// Errors that callers branch on.
var (
	ErrNoAccount = errors.New("no such account")
)

// Index returns the position of the account with the given ID, or -1.
func (v *Vault) Index(id string) int {
	for i := range v.Accounts {
		if v.Accounts[i].ID == id {
			return i
		}
	}
	return -1
}

// Account returns the account with the given ID.
func (v *Vault) Account(id string) (*Account, error) {
	i := v.Index(id)
	if i < 0 {
		return nil, fmt.Errorf("%w with ID %q", ErrNoAccount, id)
	}
	return &v.Accounts[i], nil
}

// Remove takes the account with the given ID out of the vault and returns it,
// so that a caller can offer to undo.
func (v *Vault) Remove(id string) (Account, error) {
	i := v.Index(id)
	if i < 0 {
		return Account{}, fmt.Errorf("%w with ID %q", ErrNoAccount, id)
	}
	a := v.Accounts[i]
	v.Accounts = append(v.Accounts[:i], v.Accounts[i+1:]...)
	return a, nil
}

// Insert puts a back at position pos (clamped to the list), as an undo of
// [Vault.Remove] does.
func (v *Vault) Insert(a Account, pos int) {
	pos = max(0, min(pos, len(v.Accounts)))
	v.Accounts = append(v.Accounts, Account{})
	copy(v.Accounts[pos+1:], v.Accounts[pos:])
	v.Accounts[pos] = a
}

// Move puts the account with the given ID at position pos (0-based, clamped
// to the list), shifting the others.
func (v *Vault) Move(id string, pos int) error {
	a, err := v.Remove(id)
	if err != nil {
		return err
	}
	v.Insert(a, pos)
	return nil
}

// Match returns the accounts whose issuer or name contains query, ignoring
// case. Where some match exactly (issuer, name or "issuer:name"), only those
// are returned, so "git" picks GitHub's "git" account over "GitLab".
func (v *Vault) Match(query string) []*Account {
	q := strings.ToLower(strings.TrimSpace(query))
	var exact, partial []*Account
	for i := range v.Accounts {
		a := &v.Accounts[i]
		if a.ID == query {
			return []*Account{a}
		}
		issuer, name := strings.ToLower(a.Issuer), strings.ToLower(a.Name)
		switch {
		case q == issuer || q == name || q == issuer+":"+name || q == strings.ToLower(a.Label()):
			exact = append(exact, a)
		case strings.Contains(issuer, q) || strings.Contains(name, q):
			partial = append(partial, a)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return partial
}

// NextHOTP advances the HOTP account with the given ID and returns the code of
// the counter it consumed. The caller saves the vault before showing the code,
// so that no code is ever shown whose counter was not saved.
func (v *Vault) NextHOTP(id string, now time.Time) (string, error) {
	a, err := v.Account(id)
	if err != nil {
		return "", err
	}
	if a.Type != HOTP {
		return "", fmt.Errorf("%s is not a counter-based (HOTP) account", a.Label())
	}
	code, err := a.Code(now)
	if err != nil {
		return "", err
	}
	a.Counter++
	a.Updated = now
	return code, nil
}
