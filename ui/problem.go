package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// problemScreen takes the place of the tiles when the vault cannot be opened:
// it says why in words and offers what helps (retry, or the passphrase of a
// password-mode vault).
type problemScreen struct {
	w *mainWindow

	title   *widget.Label
	message *widget.Label
	pass    *entry
	action  *widget.Button
	content fyne.CanvasObject
}

func newProblemScreen(w *mainWindow) *problemScreen {
	p := &problemScreen{
		w:       w,
		title:   &widget.Label{Alignment: fyne.TextAlignCenter, SizeName: theme.SizeNameSubHeadingText},
		message: &widget.Label{Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord},
		pass:    w.newEntry(entryOptions{Password: true, PlaceHolder: "Passphrase"}),
		action:  &widget.Button{Importance: widget.HighImportance},
	}
	p.pass.OnSubmitted = func(string) { p.action.OnTapped() }
	p.content = container.NewPadded(container.NewVBox(layout.NewSpacer(), p.title, p.message, p.pass,
		container.NewCenter(p.action), layout.NewSpacer()))
	p.content.Hide()
	return p
}

// show says why the vault cannot be opened and offers to try again.
func (p *problemScreen) show(err error) {
	p.title.SetText("Your accounts cannot be opened")
	p.message.SetText(capitalize(inWords(err)) + ".")
	p.pass.Hide()
	p.action.SetText("Try again")
	p.action.SetIcon(theme.ViewRefreshIcon())
	p.action.OnTapped = p.w.start
}

// askPassphrase asks for the passphrase of a password-mode vault.
func (p *problemScreen) askPassphrase(msg string) {
	p.title.SetText("Authdeck is locked")
	if msg == "" {
		msg = "Your accounts are protected by a passphrase."
	}
	p.message.SetText(capitalize(msg))
	p.pass.SetText("")
	p.pass.Show()
	p.action.SetText("Unlock")
	p.action.SetIcon(theme.LoginIcon())
	p.action.OnTapped = func() {
		if p.pass.Text == "" {
			return
		}
		pass := p.pass.Text
		p.pass.SetText("")
		p.w.unlock(pass)
	}
	p.w.win.Canvas().Focus(p.pass)
}

// offerPasswordMode explains that no keychain answered when the first account
// was to be saved, and offers to protect the vault with a passphrase instead;
// then it runs retry.
func (p *problemScreen) offerPasswordMode(err error, retry func()) {
	w := p.w
	pass1, pass2 := w.newPassphrasePair()
	text := &widget.Label{Wrapping: fyne.TextWrapWord, Text: capitalize(inWords(err)) + ".\n\n" +
		"Authdeck can protect your accounts with a passphrase instead. You will type it each time Authdeck starts; " +
		"if you forget it, the accounts are lost."}
	d := dialog.NewForm("No keychain", "Use a passphrase", "Cancel", []*widget.FormItem{
		widget.NewFormItem("", text),
		widget.NewFormItem("Passphrase", pass1),
		widget.NewFormItem("Again", pass2),
	}, func(ok bool) {
		if !ok {
			return
		}
		w.sess.initPassword(pass1.Text, func(err error) {
			if err != nil {
				w.showError(err)
				return
			}
			retry()
		})
	}, w.win)
	d.Resize(fyne.NewSize(min(460, w.win.Canvas().Size().Width), 0))
	d.Show()
	w.dialogs.push(d, nil, nil)
}

// newPassphrasePair returns the two fields of a new passphrase: at least 8
// characters, typed twice alike.
func (w *mainWindow) newPassphrasePair() (pass1, pass2 *entry) {
	pass1 = w.newEntry(entryOptions{Password: true, PlaceHolder: "Passphrase"})
	pass2 = w.newEntry(entryOptions{Password: true, PlaceHolder: "The same again"})
	pass2.Validator = func(s string) error {
		if s != pass1.Text {
			return errors.New("the passphrases differ")
		}
		return nil
	}
	pass1.Validator = func(s string) error {
		if len(s) < 8 {
			return errors.New("use at least 8 characters")
		}
		return nil
	}
	return pass1, pass2
}
