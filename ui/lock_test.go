package ui

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"authdeck/vault"
)

// screenTexts returns every text drawn on the window's canvas.
func screenTexts(w *mainWindow) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *canvas.Text:
			out = append(out, x.Text)
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Entry:
			out = append(out, x.Text)
		case *entry:
			out = append(out, x.Text)
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(w.win.Content())
	return out
}

// assertLocked fails unless the window shows the lock screen and nothing of
// the vault: no account, no code, no key in the store, no clock.
func assertLocked(t *testing.T, w *mainWindow) {
	t.Helper()
	if !w.lock.locked || w.win.Content() != w.lock.content {
		t.Fatal("the window is not locked")
	}
	if w.v != nil || len(w.shown) != 0 || w.index != nil {
		t.Error("the vault is still in memory")
	}
	if w.sess.store.Unlocked() {
		t.Error("the store still holds the vault's key")
	}
	if w.clock.isRunning() {
		t.Error("the clock runs while locked")
	}
	for _, s := range screenTexts(w) {
		if strings.ContainsFunc(s, unicode.IsDigit) || strings.Contains(s, "GitHub") || strings.Contains(s, "alice") {
			t.Errorf("the lock screen shows %q", s)
		}
	}
}

func TestLockAndUnlockWithThePassphrase(t *testing.T) {
	pass := "correct horse battery"
	w := newPasswordTestWindow(t, pass)
	test.Type(w.problem.pass, pass)
	test.Tap(w.problem.action)
	if w.v == nil {
		t.Fatal("the vault did not open")
	}
	w.onCopy(0)
	if w.app.Clipboard().Content() == "" {
		t.Fatal("nothing copied")
	}
	// Ctrl+L, as the window's shortcut.
	w.keys.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault})
	assertLocked(t, w)
	if got := w.app.Clipboard().Content(); got != "" {
		t.Errorf("the clipboard still holds our code %q", got)
	}
	if !w.lock.pass.Visible() || !strings.Contains(w.lock.message.Text, "passphrase") {
		t.Fatalf("no passphrase field: %q", w.lock.message.Text)
	}
	// Shortcuts that would show accounts do nothing while locked.
	w.onAdd()
	if w.win.Canvas().Overlays().Top() != nil {
		t.Error("a dialog opened over the lock screen")
	}

	test.Type(w.lock.pass, "wrong")
	test.Tap(w.lock.action)
	assertLocked(t, w)
	if !strings.Contains(w.lock.message.Text, "not the right passphrase") {
		t.Errorf("a wrong passphrase: %q", w.lock.message.Text)
	}
	test.Type(w.lock.pass, pass)
	w.lock.pass.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if w.lock.locked || w.v == nil || len(w.shown) != 1 || w.win.Content() == w.lock.content {
		t.Fatalf("the right passphrase did not unlock: %q", w.lock.message.Text)
	}
	if !w.clock.isRunning() {
		t.Error("the clock did not start again")
	}
	if w.sess.pass != "" {
		t.Error("the session kept the passphrase")
	}
}

func TestKeychainModeGate(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	setAppPassphrase(t, w, "open sesame")
	w.lockNow()
	assertLocked(t, w)
	if !w.lock.pass.Visible() || !strings.Contains(w.lock.message.Text, "app passphrase") {
		t.Fatalf("no app passphrase field: %q", w.lock.message.Text)
	}
	test.Type(w.lock.pass, "open sesamE")
	test.Tap(w.lock.action)
	assertLocked(t, w)
	test.Type(w.lock.pass, "open sesame")
	test.Tap(w.lock.action)
	if w.lock.locked || len(w.shown) != len(testURIs) {
		t.Fatalf("the app passphrase did not unlock: %q", w.lock.message.Text)
	}
}

// setAppPassphrase sets the app passphrase of a keychain-mode window.
func setAppPassphrase(t *testing.T, w *mainWindow, pass string) {
	t.Helper()
	hash, err := vault.HashLockPassphrase(pass)
	if err != nil {
		t.Fatal(err)
	}
	if err := updateNow(w, func(v *vault.Vault) error { v.Prefs.LockHash = hash; return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestKeychainModeWithoutAppPassphrase(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	w.lockNow()
	assertLocked(t, w)
	if w.lock.pass.Visible() || w.lock.action.Disabled() {
		t.Fatal("the lock without an app passphrase should offer the Unlock button alone")
	}
	test.Tap(w.lock.action) // the keychain is asked again

	if w.lock.locked || len(w.shown) != len(testURIs) {
		t.Fatalf("Unlock did not open the vault: %q", w.lock.message.Text)
	}
}

// fakeTimers is an after function whose timers the test fires.
type fakeTimers struct {
	delays []time.Duration
	funcs  []func()
}

func (f *fakeTimers) after(d time.Duration, fn func()) func() bool {
	f.delays = append(f.delays, d)
	i := len(f.funcs)
	f.funcs = append(f.funcs, fn)
	return func() bool {
		stopped := f.funcs[i] != nil
		f.funcs[i] = nil
		return stopped
	}
}

// fireLast runs the newest timer not stopped and reports whether there was one.
func (f *fakeTimers) fireLast() bool {
	for i := len(f.funcs) - 1; i >= 0; i-- {
		if fn := f.funcs[i]; fn != nil {
			f.funcs[i] = nil
			fn()
			return true
		}
	}
	return false
}

func TestWrongTriesSlowDownAndNeverWipe(t *testing.T) {
	pass := "correct horse battery"
	w := newPasswordTestWindow(t, pass)
	test.Type(w.problem.pass, pass)
	test.Tap(w.problem.action)
	timers := &fakeTimers{}
	w.lock.after = timers.after
	w.lockNow()
	for i := 1; i <= 4; i++ {
		test.Type(w.lock.pass, "wrong")
		test.Tap(w.lock.action)
		if len(timers.delays) != 0 || w.lock.pass.Disabled() {
			t.Fatalf("try %d already waits", i)
		}
	}
	for i, want := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second} {
		test.Type(w.lock.pass, "wrong")
		test.Tap(w.lock.action)
		if len(timers.delays) != i+1 || timers.delays[i] != want {
			t.Fatalf("try %d: delays %v, want the last %v", 5+i, timers.delays, want)
		}
		if !w.lock.pass.Disabled() || !w.lock.action.Disabled() {
			t.Fatal("the field takes tries during the wait")
		}
		// A try during the wait is not even made.
		w.lock.onUnlock()
		timers.fireLast()
		if w.lock.pass.Disabled() || w.lock.action.Disabled() {
			t.Fatal("the field stays disabled after the wait")
		}
	}
	if d := tryDelay(100); d != maxTryDelay {
		t.Errorf("the delay after 100 tries is %v, want the cap %v", d, maxTryDelay)
	}
	// Nothing was wiped: the right passphrase opens every account.
	test.Type(w.lock.pass, pass)
	test.Tap(w.lock.action)
	if w.lock.locked || len(w.shown) != 1 || w.lock.fails != 0 {
		t.Fatalf("after the wrong tries: locked %v, %d accounts", w.lock.locked, len(w.shown))
	}
}

func TestAutoLockAfterIdle(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	now := testNow
	w.now = func() time.Time { return now }
	timers := &fakeTimers{}
	w.idle.after = timers.after
	w.idle.touch()
	if err := updateNow(w, func(v *vault.Vault) error { v.Prefs.AutoLockMinutes = 2; return nil }); err != nil {
		t.Fatal(err)
	}
	if n := len(timers.delays); n == 0 || timers.delays[n-1] != 2*time.Minute {
		t.Fatalf("the idle timer was set for %v, want 2m", timers.delays)
	}
	// Input after a minute moves the end of the stretch.
	now = now.Add(time.Minute)
	w.idle.touch()
	now = now.Add(time.Minute)
	timers.fireLast()
	if w.lock.locked {
		t.Fatal("locked one minute after input")
	}
	if n := len(timers.delays); timers.delays[n-1] != time.Minute {
		t.Fatalf("the timer was armed again for %v, want the minute left", timers.delays[n-1])
	}
	now = now.Add(time.Minute)
	timers.fireLast()
	assertLocked(t, w)

	// Off: no timer at all.
	test.Tap(w.lock.action)
	if w.lock.locked {
		t.Fatalf("did not unlock: %q", w.lock.message.Text)
	}
	if err := updateNow(w, func(v *vault.Vault) error { v.Prefs.AutoLockMinutes = -1; return nil }); err != nil {
		t.Fatal(err)
	}
	if timers.fireLast() {
		t.Error("a timer runs with auto-lock off")
	}
	if autoLock(vault.Prefs{}) != 5*time.Minute {
		t.Error("the default auto-lock is not 5 minutes")
	}
}

func TestLockPreferencesSayWhatTheLockIs(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	w.onPrefs()
	l := w.prefsDlg.lock
	if l.after.Selected != "5 minutes" {
		t.Errorf("the default auto-lock shows as %q", l.after.Selected)
	}
	if !strings.Contains(l.about.Text, "not from a program running as you") || !l.gate.Visible() {
		t.Errorf("keychain mode: %q, gate shown %v", l.about.Text, l.gate.Visible())
	}
	l.after.SetSelected("1 minute")
	w.prefsDlg.onSave(true)
	if w.v.Prefs.AutoLockMinutes != 1 || w.idle.limit != time.Minute {
		t.Errorf("auto-lock saved as %d minutes, timer %v", w.v.Prefs.AutoLockMinutes, w.idle.limit)
	}

	// Protecting the vault with the passphrase makes the lock encryption.
	l.encrypt("a long passphrase")
	if m, _ := w.sess.store.Mode(); m != vault.PasswordMode {
		t.Fatalf("the vault is in mode %v, not password mode", m)
	}
	if !strings.Contains(l.about.Text, "The lock is encryption") || l.gate.Visible() {
		t.Errorf("password mode: %q", l.about.Text)
	}
	w.lockNow()
	assertLocked(t, w)
	test.Type(w.lock.pass, "a long passphrase")
	test.Tap(w.lock.action)
	if w.lock.locked || len(w.shown) != len(testURIs) {
		t.Fatalf("the new passphrase did not unlock: %q", w.lock.message.Text)
	}
}
