package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"authdeck/vault"
)

var errNeedsName = errors.New("give the account an issuer or a name")

// inWords turns an error into a sentence a person understands, with a hint
// where one helps.
func inWords(err error) string {
	var conflict *vault.ConflictError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &conflict):
		return "an account with the same issuer and name but another secret key is already in Authdeck; nothing was changed"
	case errors.Is(err, vault.ErrNoKeychain):
		return "no keychain answered, so Authdeck cannot get the key that protects your accounts. " +
			"Make sure your desktop's keyring (for example GNOME Keyring or KWallet) is running and unlocked, then try again"
	case errors.Is(err, vault.ErrNoKey):
		return "the keychain has no key for this vault. It may have been made on another computer or under another user; " +
			"restore your accounts from a backup instead (authdeck backup restore FILE)"
	case errors.Is(err, vault.ErrWrongKey):
		return "the key in the keychain does not open this vault. If you copied the vault from another computer, restore a backup instead"
	case errors.Is(err, vault.ErrDamaged):
		return "the vault file is damaged. The previous version is kept beside it as vault.age.bak; " +
			"close Authdeck and rename it to vault.age to go back to it"
	case errors.Is(err, vault.ErrWrongPassphrase):
		return "that passphrase is not the right one. Try again"
	case errors.Is(err, vault.ErrPassphraseNeeded):
		return "type the passphrase that protects your accounts"
	case errors.Is(err, vault.ErrBusy):
		return "another Authdeck (probably the command line) is changing your accounts right now. Try again in a moment"
	case errors.Is(err, vault.ErrNewerVersion):
		return "your accounts were saved by a newer version of Authdeck. Update Authdeck to open them"
	}
	var uerr *vault.URIError
	if errors.As(err, &uerr) {
		return "this is not a setup link Authdeck can read: " + uerr.Reason
	}
	return err.Error()
}

// showError shows err in words in a dialog over win.
func showError(win fyne.Window, err error) {
	msg := capitalize(inWords(err))
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	dialog.ShowInformation("Something went wrong", wrap(msg, 60), win)
}

// wrap breaks s into lines of about n characters for dialogs.
func wrap(s string, n int) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(s) {
		if i > 0 {
			if line+1+len(word) > n {
				b.WriteByte('\n')
				line = 0
			} else {
				b.WriteByte(' ')
				line++
			}
		}
		b.WriteString(word)
		line += len(word)
	}
	return b.String()
}
