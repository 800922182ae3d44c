package ui

import (
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authdeck/vault"
)

// Wrong tries at the lock: the first freeTries cost nothing, then each waits
// twice as long as the one before, up to maxTryDelay. Nothing is ever wiped.
const (
	freeTries   = 4
	maxTryDelay = 5 * time.Minute
)

// locker is the window's lock. Locked, the window shows only Authdeck's name
// and an unlock field: the vault, the codes and the key are dropped from
// memory, the clipboard loses a code of ours, and the clock stops. In password
// mode the vault's passphrase unlocks (the store unwraps the key again); in
// keychain mode the lock is a gate: the app passphrase, whose hash the
// preferences keep, the user's system password where the preferences ask for
// it and the system offers it, or a plain Unlock button when neither is set.
type locker struct {
	w *mainWindow

	locked bool
	mode   vault.Mode // how the vault's key is kept, read when locking
	hash   string     // the app passphrase hash of a keychain-mode vault
	fails  int        // wrong tries in a row

	sys       *systemAuth
	system    bool  // the preferences ask for the system password, read when locking
	sysErr    error // why the system cannot be asked, once known
	sysAsking bool  // the system's password dialog is open
	// after runs a function after a delay and returns its stop; tests pass their own.
	after func(time.Duration, func()) func() bool
	wait  func() bool // stops the timer of the wrong-try delay

	title   *widget.Label
	message *widget.Label
	pass    *entry
	action  *widget.Button
	sysBtn  *widget.Button // unlocks with the system password beside the app passphrase
	content fyne.CanvasObject
	main    fyne.CanvasObject // the window's content while unlocked
}

func newLocker(w *mainWindow) *locker {
	l := &locker{
		w:       w,
		title:   &widget.Label{Text: "Authdeck", Alignment: fyne.TextAlignCenter, SizeName: theme.SizeNameHeadingText},
		message: &widget.Label{Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord},
		pass:    w.newEntry(entryOptions{Password: true, PlaceHolder: "Passphrase"}),
		action:  &widget.Button{Text: "Unlock", Icon: theme.LoginIcon(), Importance: widget.HighImportance},
		sysBtn:  &widget.Button{Text: "Use my system password", Icon: theme.AccountIcon()},
		after:   afterFunc,
		sys:     newSystemAuth(),
	}
	l.action.OnTapped = l.onUnlock
	l.sysBtn.OnTapped = l.onSystem
	l.sysBtn.Hide()
	l.pass.OnSubmitted = func(string) { l.onUnlock() }
	l.content = container.NewPadded(container.NewVBox(layout.NewSpacer(), l.title, l.message, l.pass,
		container.NewCenter(container.NewHBox(l.action, l.sysBtn)), layout.NewSpacer()))
	return l
}

// afterFunc runs f on the UI goroutine after d.
func afterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, func() { fyne.Do(f) }).Stop
}

// lockNow locks the window at once (Ctrl+L, the menu, the tray, auto-lock,
// the session's lock and suspend). A window whose vault is not open has
// nothing to lock.
func (w *mainWindow) lockNow() {
	l := w.lock
	if l.locked || w.v == nil {
		return
	}
	l.locked = true
	l.hash = w.v.Prefs.LockHash
	l.system, l.sysErr = w.v.Prefs.SystemUnlock, nil
	w.closeOverlays()
	w.clock.stop()
	w.idle.stop()
	w.clip.clearNow()
	w.clearUndo()
	w.search.SetText("")
	w.v, w.index, w.shown = nil, nil, nil
	clear(w.hotpCodes)
	clear(w.revealed)
	w.addDlg, w.editDlg, w.prefsDlg = nil, nil, nil
	w.grid.reload()
	w.win.SetOnDropped(nil)
	l.main = w.win.Content()
	w.win.SetContent(l.content)
	l.message.SetText("")
	l.pass.SetText("")
	l.pass.Hide()
	l.sysBtn.Hide()
	l.action.Disable()
	w.tray.refresh()
	var mode vault.Mode
	w.sess.run(func() {
		w.sess.store.Forget()
		mode, _ = w.sess.store.Mode()
	}, func() {
		l.mode = mode
		if !l.system || mode == vault.PasswordMode {
			l.ready()
			return
		}
		// Whether the system can be asked decides what unlocks: until
		// it is known, nothing does.
		var err error
		w.offUI(func() { err = l.sys.available() }, func() {
			l.sysErr = err
			l.ready()
		})
	})
}

// usesSystem reports whether the system password unlocks: in keychain mode,
// when the preferences ask for it and the system can be asked.
func (l *locker) usesSystem() bool {
	return l.mode != vault.PasswordMode && l.system && l.sysErr == nil
}

// closeOverlays closes every dialog and menu over the window.
func (w *mainWindow) closeOverlays() {
	for range 32 { // closing a dialog may open another
		if !w.dialogs.escape() {
			break
		}
	}
	o := w.win.Canvas().Overlays()
	for top := o.Top(); top != nil; top = o.Top() {
		o.Remove(top)
	}
}

// ready shows what unlocks, once the mode is known.
func (l *locker) ready() {
	if !l.locked {
		return
	}
	switch {
	case l.mode == vault.PasswordMode:
		l.message.SetText("Type your passphrase to open your accounts.")
		l.pass.Show()
	case l.hash != "" && l.usesSystem():
		l.message.SetText("Type the app passphrase, or use your system password, to open your accounts.")
		l.pass.Show()
		l.sysBtn.Show()
	case l.hash != "":
		l.message.SetText("Type the app passphrase to open your accounts.")
		l.pass.Show()
	case l.usesSystem():
		l.message.SetText("Press Unlock, then type your system password, to open your accounts.")
	default:
		l.message.SetText("Your accounts are hidden.")
	}
	if l.mode != vault.PasswordMode && l.system && l.sysErr != nil {
		l.message.SetText(l.message.Text + " " + capitalize(inWords(l.sysErr)) + ".")
	}
	if l.wait == nil {
		l.action.Enable()
	}
	l.sysBtn.Enable() // the system slows down wrong system passwords itself
	l.focus()
}

func (l *locker) focus() {
	if l.pass.Visible() {
		l.w.win.Canvas().Focus(l.pass)
	}
}

// typed takes a key typed anywhere on the lock screen into its field.
func (l *locker) typed(r rune) {
	if l.pass.Visible() && !l.pass.Disabled() {
		l.focus()
		l.pass.TypedRune(r)
	}
}

// onUnlock tries what was typed: the vault's passphrase, which the store
// unwraps the key with, or the app passphrase, checked against its hash off
// the UI goroutine, before the keychain is asked again.
func (l *locker) onUnlock() {
	if !l.locked || l.action.Disabled() {
		return
	}
	if l.hash == "" && l.usesSystem() {
		l.onSystem()
		return
	}
	pass := l.pass.Text
	if l.pass.Visible() && pass == "" {
		return
	}
	l.pass.SetText("")
	l.action.Disable()
	w := l.w
	switch {
	case l.mode == vault.PasswordMode:
		w.sess.load(pass, l.opened)
	case l.hash != "":
		hash := l.hash
		var v *vault.Vault
		var err error
		w.sess.run(func() {
			if err = vault.CheckLockPassphrase(hash, pass); err == nil {
				v, err = w.sess.store.Load()
			}
		}, func() { l.opened(v, err) })
	default:
		w.sess.load("", l.opened)
	}
}

// onSystem asks the system to confirm the user (polkit on Linux, whose
// authentication agent asks for the user's password) and opens the vault
// when it does. A refusal or a closed dialog is not a wrong try: the system
// already slows down wrong passwords and may lock the account after many,
// and closing its dialog guesses nothing.
func (l *locker) onSystem() {
	if !l.locked || !l.usesSystem() || l.sysAsking {
		return
	}
	l.sysAsking = true
	l.action.Disable()
	l.sysBtn.Disable()
	l.pass.Disable()
	l.message.SetText("Type your system password in the window your desktop opens.")
	var err error
	l.w.offUI(func() { err = l.sys.authorize() }, func() {
		l.sysAsking = false
		if l.wait == nil {
			l.pass.Enable()
		}
		if !l.locked || errors.Is(err, errSystemAuthCancelled) {
			return
		}
		if err == nil {
			l.w.sess.load("", l.opened)
			return
		}
		// Without polkit or an agent to ask, the lock falls back to
		// what else unlocks, and says why.
		unavailable := errors.Is(err, errNoSystemAuth) || errors.Is(err, errNoAuthAgent)
		if unavailable {
			l.sysErr = err
		}
		l.ready()
		if !unavailable {
			l.message.SetText(capitalize(inWords(err)) + ", so Authdeck stays locked. " + l.message.Text)
		}
	})
}

// withdrawSystem closes the system's password dialog if it is open: the
// window unlocked another way, or quits.
func (l *locker) withdrawSystem() {
	if l.sysAsking {
		l.sys.withdraw()
	}
}

// opened shows the vault read at unlock, or says why it stays locked.
func (l *locker) opened(v *vault.Vault, err error) {
	if !l.locked {
		return
	}
	switch {
	case errors.Is(err, vault.ErrWrongPassphrase):
		l.wrong()
		return
	case err != nil:
		l.message.SetText(capitalize(inWords(err)) + ".")
		l.action.Enable()
		l.sysBtn.Enable()
		l.focus()
		return
	}
	l.fails = 0
	l.locked = false
	l.withdrawSystem()
	l.sysBtn.Hide()
	w := l.w
	w.win.SetContent(l.main)
	w.win.SetOnDropped(w.scanner.onDropped)
	w.idle.touch() // unlocking is input: the stretch starts now
	w.setVault(v)
	w.idle.arm()
	w.tray.refresh()
	if w.visible {
		w.tick(w.now())
		w.clock.start()
	}
	w.focusSearch()
}

// wrong counts a wrong try and, from the fifth on, waits longer each time
// before the next.
func (l *locker) wrong() {
	l.fails++
	d := tryDelay(l.fails)
	if d == 0 {
		l.message.SetText("That is not the right passphrase.")
		l.action.Enable()
		l.focus()
		return
	}
	l.message.SetText(fmt.Sprintf("That is not the right passphrase. %d wrong tries: wait %s before the next.", l.fails, words(d)))
	l.pass.Disable()
	l.wait = l.after(d, func() {
		l.wait = nil
		l.pass.Enable()
		l.action.Enable()
		l.message.SetText(fmt.Sprintf("%d wrong tries. Try again.", l.fails))
		l.focus()
	})
}

// tryDelay is the wait after fails wrong tries in a row.
func tryDelay(fails int) time.Duration {
	if fails <= freeTries {
		return 0
	}
	d := time.Second << min(fails-freeTries, 20)
	return min(d, maxTryDelay)
}

// words says a delay of whole seconds or minutes as people do.
func words(d time.Duration) string {
	switch {
	case d < 2*time.Second:
		return "1 second"
	case d < 2*time.Minute:
		return fmt.Sprintf("%d seconds", int(d/time.Second))
	}
	return fmt.Sprintf("%d minutes", int(d/time.Minute))
}
