package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"authdeck/vault"
)

// autoLockChoices are the auto-lock delays offered, in minutes; -1 is never.
var autoLockChoices = []struct {
	label string
	mins  int
}{{"1 minute", 1}, {"2 minutes", 2}, {"5 minutes", 5}, {"10 minutes", 10}, {"15 minutes", 15},
	{"30 minutes", 30}, {"1 hour", 60}, {"Never", -1}}

// lockPrefs is the lock's part of the preferences: when it locks, and what
// unlocks it, said honestly for the vault's mode.
type lockPrefs struct {
	w *mainWindow

	after  *widget.Select
	about  *widget.Label
	gate   *widget.Button // sets or changes the app passphrase (keychain mode)
	remove *widget.Button // removes it

	system    *widget.Check // the system password unlocks (keychain mode)
	sysAbout  *widget.Label
	sysReason error // why the system cannot be asked here, once known
}

func newLockPrefs(w *mainWindow, p vault.Prefs) *lockPrefs {
	l := &lockPrefs{
		w:      w,
		after:  &widget.Select{},
		about:  &widget.Label{Wrapping: fyne.TextWrapWord},
		gate:   &widget.Button{},
		remove: &widget.Button{Text: "Remove the app passphrase"},
		system: &widget.Check{Text: "Unlock with my system password", Checked: p.SystemUnlock},
		sysAbout: &widget.Label{Wrapping: fyne.TextWrapWord,
			Text: "Your desktop asks for the password you log in with (polkit). Like the app passphrase, " +
				"it stops a person at the keyboard, not a program running as you."},
	}
	mins := p.AutoLockMinutes
	if mins == 0 {
		mins = int(defaultAutoLock.Minutes())
	}
	for i, c := range autoLockChoices {
		l.after.Options = append(l.after.Options, c.label)
		if c.mins == mins || (mins < 0 && c.mins < 0) {
			l.after.SetSelectedIndex(i)
		}
	}
	if l.after.SelectedIndex() < 0 {
		l.after.Options = append(l.after.Options, words(autoLock(p)))
		l.after.SetSelectedIndex(len(l.after.Options) - 1)
	}
	l.gate.OnTapped = l.onGate
	l.remove.OnTapped = func() { l.setHash("") }
	l.gate.Hide()
	l.remove.Hide()
	l.system.Hide()
	l.sysAbout.Hide()
	var mode vault.Mode
	w.sess.run(func() { mode, _ = w.sess.store.Mode() }, func() { l.show(mode, p.LockHash != "") })
	sys := newSystemAuth()
	w.offUI(func() { l.sysReason = sys.available() }, l.showSystem)
	return l
}

func (l *lockPrefs) items() []*widget.FormItem {
	return []*widget.FormItem{
		{Text: "Lock after", Widget: l.after, HintText: "without input; Ctrl+L locks now"},
		{Text: "Lock", Widget: container.NewVBox(l.about, container.NewHBox(l.gate, l.remove), l.system, l.sysAbout)},
	}
}

// showSystem says whether the system password can unlock here, and if not
// why; a choice made where it could is kept, and can be undone.
func (l *lockPrefs) showSystem() {
	if l.sysReason == nil {
		l.system.Enable()
		return
	}
	l.sysAbout.SetText(l.sysAbout.Text + " Not available here: " + inWords(l.sysReason) + ".")
	if !l.system.Checked {
		l.system.Disable()
	}
}

// show says what the lock is in this mode.
func (l *lockPrefs) show(mode vault.Mode, hashed bool) {
	if mode == vault.PasswordMode {
		l.about.SetText("Your passphrase unlocks. The lock is encryption: locked, Authdeck forgets the vault's key " +
			"until the passphrase is typed again.")
		l.gate.Hide()
		l.remove.Hide()
		l.system.Hide()
		l.sysAbout.Hide()
		return
	}
	l.system.Show()
	l.sysAbout.Show()
	l.about.SetText("The vault's key is in the system keychain. The lock hides your accounts from a person at the " +
		"keyboard, not from a program running as you, which can ask the keychain too. For a lock that is " +
		"encryption, protect the vault with a passphrase.")
	l.gate.SetText("Set an app passphrase…")
	l.remove.Hide()
	if hashed {
		l.gate.SetText("Change the app passphrase…")
		l.remove.Show()
	}
	l.gate.Show()
}

// save puts the chosen auto-lock delay and unlocking choice into p.
func (l *lockPrefs) save(p *vault.Prefs) {
	p.SystemUnlock = l.system.Checked
	if i := l.after.SelectedIndex(); i >= 0 && i < len(autoLockChoices) {
		p.AutoLockMinutes = autoLockChoices[i].mins
		if p.AutoLockMinutes == int(defaultAutoLock.Minutes()) {
			p.AutoLockMinutes = 0
		}
	}
}

// onGate asks for a new app passphrase, or for one that encrypts the vault.
func (l *lockPrefs) onGate() {
	w := l.w
	pass1, pass2 := w.newPassphrasePair()
	encrypt := &widget.Check{Text: "Encrypt the vault with it (you type it each time Authdeck starts or unlocks)"}
	d := dialog.NewForm("App passphrase", "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Passphrase", pass1),
		widget.NewFormItem("Again", pass2),
		widget.NewFormItem("", encrypt),
	}, func(ok bool) {
		if !ok {
			return
		}
		if encrypt.Checked {
			l.encrypt(pass1.Text)
			return
		}
		pass := pass1.Text
		var hash string
		var err error
		w.sess.run(func() { hash, err = vault.HashLockPassphrase(pass) }, func() {
			if err != nil {
				w.showError(err)
				return
			}
			l.setHash(hash)
		})
	}, w.win)
	d.Resize(fyne.NewSize(min(460, w.win.Canvas().Size().Width), 0))
	d.Show()
	w.dialogs.push(d, nil, nil)
}

// setHash keeps hash as the app passphrase's; empty removes it.
func (l *lockPrefs) setHash(hash string) {
	l.w.update(func(v *vault.Vault) error { v.Prefs.LockHash = hash; return nil }, func(err error) {
		if err == nil {
			l.show(vault.KeychainMode, hash != "")
			l.w.setNote("The app passphrase is saved")
			if hash == "" {
				l.w.setNote("The app passphrase is removed")
			}
		}
	})
}

// encrypt moves the vault to password mode under pass: the lock becomes
// encryption, and the app passphrase has no more use.
func (l *lockPrefs) encrypt(pass string) {
	w := l.w
	var err error
	w.sess.run(func() { err = w.sess.store.SetPassphrase(pass) }, func() {
		if err != nil {
			w.showError(err)
			return
		}
		l.show(vault.PasswordMode, false)
		w.update(func(v *vault.Vault) error { v.Prefs.LockHash = ""; return nil }, nil)
		w.setNote("Your accounts are now encrypted with your passphrase")
	})
}
