package ui

import (
	"strings"
)

// IsLink reports whether arg is an otpauth:// or otpauth-migration:// link,
// as the desktop passes one that was clicked: `authdeck 'otpauth://...'`
// opens it in the window's add preview.
func IsLink(arg string) bool {
	s := strings.ToLower(arg)
	return strings.HasPrefix(s, "otpauth://") || strings.HasPrefix(s, "otpauth-migration://")
}

// openLink brings the window to the front and shows what link holds: the
// add dialog with the account's fields, or for a Google Authenticator
// transfer the accounts it carries. Nothing is saved until the user confirms;
// a malformed link says why in the dialog. A link that comes while the
// window is locked or its vault is not open yet waits until it is.
func (w *mainWindow) openLink(link string) {
	w.raise()
	if w.lock.locked || w.v == nil {
		w.link = link
		return
	}
	w.link = ""
	if strings.HasPrefix(strings.ToLower(link), "otpauth-migration://") {
		w.scanner.reset()
		w.scanner.gather("the link", []string{link})
		w.scanner.offer("")
		return
	}
	w.onAdd()
	w.addDlg.uri.SetText(link)
}

// openWaitingLink shows a link that came before the vault opened.
func (w *mainWindow) openWaitingLink() {
	if w.link != "" {
		w.openLink(w.link)
	}
}
