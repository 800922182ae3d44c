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
	f    *frame
	sess *session
	// retry loads the vault again; unlock loads it with a passphrase.
	retry  func()
	unlock func(pass string)

	title   *widget.Label
	message *widget.Label
	pass    *entry
	action  *widget.Button
	content fyne.CanvasObject
}

func newProblemScreen(f *frame, sess *session, retry func(), unlock func(pass string)) *problemScreen {
	p := &problemScreen{
		f:       f,
		sess:    sess,
		retry:   retry,
		unlock:  unlock,
		title:   &widget.Label{Alignment: fyne.TextAlignCenter, SizeName: theme.SizeNameSubHeadingText},
		message: &widget.Label{Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord},
		pass:    f.newEntry(entryOptions{Password: true, PlaceHolder: "Passphrase"}),
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
	p.action.OnTapped = p.retry
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
		p.unlock(pass)
	}
	p.f.win.Canvas().Focus(p.pass)
}

// offerPasswordMode explains that no keychain answered when the first account
// was to be saved, and offers to protect the vault with a passphrase instead;
// then it runs retry.
func (p *problemScreen) offerPasswordMode(err error, retry func()) {
	f := p.f
	pass1, pass2 := f.newPassphrasePair()
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
		p.sess.initPassword(pass1.Text, func(err error) {
			if err != nil {
				f.showError(err)
				return
			}
			retry()
		})
	}, f.win)
	d.Resize(fyne.NewSize(min(460, f.win.Canvas().Size().Width), 0))
	d.Show()
	f.dialogs.push(d, nil, nil)
}

// newPassphrasePair returns the two fields of a new passphrase: at least 8
// characters, typed twice alike.
func (f *frame) newPassphrasePair() (pass1, pass2 *entry) {
	pass1 = f.newEntry(entryOptions{Password: true, PlaceHolder: "Passphrase"})
	pass2 = f.newEntry(entryOptions{Password: true, PlaceHolder: "The same again"})
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
