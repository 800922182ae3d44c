package ui

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"authdeck/internal/testenv"
	"authdeck/vault"
)

// policyFile is the polkit action that the packages ship.
func policyFile(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "packaging", "linux", AppID+".policy")
}

// TestSystemAuthWithPolkit asks the real polkitd, on a private system bus,
// about a process of another user (polkit authorizes root without asking),
// with a test authentication agent that approves, then dismisses.
func TestSystemAuthWithPolkit(t *testing.T) {
	bus := testenv.SystemBus(t)
	pk := testenv.StartPolkit(t, bus, policyFile(t))
	a := &systemAuth{pid: testenv.Stranger(t)}
	if err := a.available(); err != nil {
		t.Fatalf("polkit with Authdeck's action: %v", err)
	}
	if err := a.authorize(); !errors.Is(err, errNoAuthAgent) {
		t.Fatalf("without an agent: %v, want %v", err, errNoAuthAgent)
	}
	var approve atomic.Bool
	approve.Store(true)
	asked := pk.Agent(t, a.pid, func(string) bool { return approve.Load() })
	if err := a.authorize(); err != nil {
		t.Fatalf("the agent approved: %v", err)
	}
	if got := <-asked; got != polkitAction {
		t.Errorf("the agent was asked about %q", got)
	}
	// auth_self, not auth_self_keep: polkit asks again each time.
	approve.Store(false)
	if err := a.authorize(); !errors.Is(err, errSystemAuthDismissed) {
		t.Fatalf("the agent dismissed: %v, want %v", err, errSystemAuthDismissed)
	}
	if len(asked) != 1 {
		t.Errorf("the agent was asked %d times for the second check", len(asked))
	}
}

// TestSystemAuthWithdrawn cancels a check while the agent's dialog is open.
func TestSystemAuthWithdrawn(t *testing.T) {
	bus := testenv.SystemBus(t)
	pk := testenv.StartPolkit(t, bus, policyFile(t))
	a := &systemAuth{pid: testenv.Stranger(t)}
	open := make(chan struct{})
	t.Cleanup(func() { close(open) })
	asked := pk.Agent(t, a.pid, func(string) bool { <-open; return true })
	done := make(chan error, 1)
	go func() { done <- a.authorize() }()
	select {
	case <-asked:
	case <-time.After(30 * time.Second):
		t.Fatal("the agent was never asked")
	}
	a.withdraw()
	select {
	case err := <-done:
		if !errors.Is(err, errSystemAuthCancelled) {
			t.Fatalf("withdrawn: %v, want %v", err, errSystemAuthCancelled)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("withdrawing did not end the check")
	}
}

// TestSystemAuthUnavailable: a system bus without polkit, and a polkit
// without Authdeck's action, say so.
func TestSystemAuthUnavailable(t *testing.T) {
	bus := testenv.SystemBus(t)
	a := newSystemAuth()
	if err := a.available(); !errors.Is(err, errNoSystemAuth) {
		t.Fatalf("no polkit: %v", err)
	}
	other := filepath.Join(t.TempDir(), "org.example.policy")
	b, err := os.ReadFile(policyFile(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, []byte(strings.ReplaceAll(string(b), polkitAction, "org.example.other")), 0o644); err != nil {
		t.Fatal(err)
	}
	testenv.StartPolkit(t, bus, other)
	if err := a.available(); !errors.Is(err, errNoSystemAuth) {
		t.Fatalf("polkit without the action: %v", err)
	}
}

func TestStartTime(t *testing.T) {
	for _, c := range []struct {
		stat string
		want uint64
		ok   bool
	}{
		{"1 (init) S 0 1 1 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 42 1000 10", 42, true},
		{"7 (a) b) (c) S 0 1 1 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 4711 1000 10", 4711, true},
		{"7 (short) S 0 1", 0, false},
		{"no name", 0, false},
	} {
		got, err := startTime([]byte(c.stat))
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("%q: %d, %v", c.stat, got, err)
		}
	}
	if _, err := processSubject(os.Getpid()); err != nil {
		t.Errorf("this process: %v", err)
	}
}

// systemLockWindow is a test window in keychain mode whose preferences ask
// for the system password, beside the real polkitd with Authdeck's action
// and an agent that approves while approve is set. polkit is asked about a
// process of another user: it would authorize root without asking.
func systemLockWindow(t *testing.T, approve *atomic.Bool) (*mainWindow, <-chan string) {
	t.Helper()
	bus := testenv.SystemBus(t)
	pk := testenv.StartPolkit(t, bus, policyFile(t))
	w := newTestWindow(t, testURIs...)
	w.lock.sys.pid = testenv.Stranger(t)
	asked := pk.Agent(t, w.lock.sys.pid, func(string) bool { return approve.Load() })
	if err := updateNow(w, func(v *vault.Vault) error { v.Prefs.SystemUnlock = true; return nil }); err != nil {
		t.Fatal(err)
	}
	return w, asked
}

func TestLockOpensWithTheSystemPassword(t *testing.T) {
	var approve atomic.Bool
	w, asked := systemLockWindow(t, &approve)
	w.lockNow()
	assertLocked(t, w)
	if w.lock.pass.Visible() || w.lock.action.Disabled() || !strings.Contains(w.lock.message.Text, "system password") {
		t.Fatalf("without an app passphrase, Unlock should ask for the system password: %q", w.lock.message.Text)
	}
	// The user closes the desktop's password dialog.
	test.Tap(w.lock.action)
	assertLocked(t, w)
	if len(asked) != 1 || !strings.Contains(w.lock.message.Text, "stays locked") {
		t.Fatalf("dismissed (asked %d): %q", len(asked), w.lock.message.Text)
	}
	if w.lock.fails != 0 || w.lock.action.Disabled() {
		t.Errorf("a closed dialog counted as a wrong try (%d) or left Unlock off", w.lock.fails)
	}
	// The user types the right password.
	approve.Store(true)
	test.Tap(w.lock.action)
	if w.lock.locked || len(w.shown) != len(testURIs) || len(asked) != 2 {
		t.Fatalf("the system confirmed the user, yet: locked %v, %d tiles: %q", w.lock.locked, len(w.shown), w.lock.message.Text)
	}
}

func TestLockOffersTheSystemPasswordBesideTheAppPassphrase(t *testing.T) {
	var approve atomic.Bool
	approve.Store(true)
	w, _ := systemLockWindow(t, &approve)
	setAppPassphrase(t, w, "open sesame")
	w.lockNow()
	assertLocked(t, w)
	if !w.lock.pass.Visible() || !w.lock.sysBtn.Visible() {
		t.Fatalf("the app passphrase field and the system password button should both be there: %q", w.lock.message.Text)
	}
	test.Tap(w.lock.action) // an empty field unlocks nothing, and asks nobody
	assertLocked(t, w)
	// By keyboard: Tab from the field to Unlock, then to the system
	// password, and Space.
	c := w.win.Canvas()
	c.Focus(w.lock.pass)
	c.FocusNext()
	c.FocusNext()
	if c.Focused() != fyne.Focusable(w.lock.sysBtn) {
		t.Fatalf("Tab twice from the field focuses %T, not the system password button", c.Focused())
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if w.lock.locked || len(w.shown) != len(testURIs) {
		t.Fatalf("the system password did not unlock: %q", w.lock.message.Text)
	}
	if w.lock.sysBtn.Visible() {
		t.Error("the system password button stays on the unlocked window")
	}
}

// TestLockWithoutPolkit: on a system bus where polkit does not answer, the
// lock does not offer the system password, says why, and what else unlocks
// still does.
func TestLockWithoutPolkit(t *testing.T) {
	testenv.SystemBus(t)
	w := newTestWindow(t, testURIs...)
	if err := updateNow(w, func(v *vault.Vault) error { v.Prefs.SystemUnlock = true; return nil }); err != nil {
		t.Fatal(err)
	}
	setAppPassphrase(t, w, "open sesame")
	w.lockNow()
	assertLocked(t, w)
	if w.lock.sysBtn.Visible() || !strings.Contains(w.lock.message.Text, "not available: polkit does not answer") {
		t.Fatalf("without polkit: button %v, %q", w.lock.sysBtn.Visible(), w.lock.message.Text)
	}
	test.Type(w.lock.pass, "open sesame")
	test.Tap(w.lock.action)
	if w.lock.locked {
		t.Fatalf("the app passphrase did not unlock: %q", w.lock.message.Text)
	}

	// The preferences say why, too.
	w.onPrefs()
	l := w.prefsDlg.lock
	if !l.system.Visible() || !l.system.Checked || !strings.Contains(l.sysAbout.Text, "Not available here") ||
		!strings.Contains(l.sysAbout.Text, "not a program running as you") {
		t.Errorf("the preference: shown %v, checked %v, %q", l.system.Visible(), l.system.Checked, l.sysAbout.Text)
	}
	l.system.SetChecked(false)
	w.prefsDlg.onSave(true)
	if w.v.Prefs.SystemUnlock {
		t.Error("turning the system password off was not saved")
	}
}

// FuzzStartTime: any text in place of /proc/PID/stat gives a start time or
// an error, never a panic.
func FuzzStartTime(f *testing.F) {
	f.Add([]byte("1 (init) S 0 1 1 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 42 1000 10"))
	f.Add([]byte("7 (a) b) (c) S 0 1 1 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 4711 1000 10"))
	f.Add([]byte(")"))
	f.Fuzz(func(t *testing.T, stat []byte) {
		if n, err := startTime(stat); err != nil && n != 0 {
			t.Errorf("%q: %d with the error %v", stat, n, err)
		}
	})
}

// BenchmarkSystemAuthAvailable is what locking costs with the system
// password on: asking the real polkitd whether it knows Authdeck's action.
func BenchmarkSystemAuthAvailable(b *testing.B) {
	bus := testenv.SystemBus(b)
	testenv.StartPolkit(b, bus, policyFile(b))
	a := newSystemAuth()
	for b.Loop() {
		if err := a.available(); err != nil {
			b.Fatal(err)
		}
	}
}
