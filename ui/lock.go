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
// preferences keep, or a plain Unlock button when none is set.
type locker struct {
	w *mainWindow

	locked bool
	mode   vault.Mode // how the vault's key is kept, read when locking
	hash   string     // the app passphrase hash of a keychain-mode vault
	fails  int        // wrong tries in a row
	// after runs a function after a delay and returns its stop; tests pass their own.
	after func(time.Duration, func()) func() bool
	wait  func() bool // stops the timer of the wrong-try delay

	title   *widget.Label
	message *widget.Label
	pass    *entry
	action  *widget.Button
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
		after:   afterFunc,
	}
	l.action.OnTapped = l.onUnlock
	l.pass.OnSubmitted = func(string) { l.onUnlock() }
	l.content = container.NewPadded(container.NewVBox(layout.NewSpacer(), l.title, l.message, l.pass,
		container.NewCenter(l.action), layout.NewSpacer()))
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
	l.action.Disable()
	w.tray.refresh()
	var mode vault.Mode
	w.sess.run(func() {
		w.sess.store.Forget()
		mode, _ = w.sess.store.Mode()
	}, func() {
		l.mode = mode
		l.ready()
	})
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
	case l.hash != "":
		l.message.SetText("Type the app passphrase to open your accounts.")
		l.pass.Show()
	default:
		l.message.SetText("Your accounts are hidden.")
	}
	if l.wait == nil {
		l.action.Enable()
	}
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
		l.focus()
		return
	}
	l.fails = 0
	l.locked = false
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
