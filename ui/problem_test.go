package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"authdeck/vault"
)

// silentKeychain stands for a session where no Secret Service answers.
type silentKeychain struct{}

var errSilent = fmt.Errorf("%w: org.freedesktop.secrets was not provided by any .service files", vault.ErrNoKeychain)

func (silentKeychain) Get(string, string) (string, error) { return "", errSilent }
func (silentKeychain) Set(string, string, string) error   { return errSilent }
func (silentKeychain) Delete(string, string) error        { return errSilent }

func TestNoKeychainSaysSoInWords(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	w.sess.store = vault.NewStore(w.sess.store.Dir(), vault.Options{Keychain: silentKeychain{}})
	w.reload()
	if !w.problem.content.Visible() || w.tileArea.Visible() {
		t.Fatal("no problem screen when the keychain does not answer")
	}
	if msg := w.problem.message.Text; !strings.Contains(msg, "No keychain answered") || !strings.Contains(msg, "keyring") {
		t.Errorf("message = %q", msg)
	}
}

func TestFirstSaveWithoutKeychainOffersPasswordMode(t *testing.T) {
	w := newTestWindow(t)
	w.sess.store = vault.NewStore(w.sess.store.Dir(), vault.Options{Keychain: silentKeychain{}, Passphrase: w.sess.passphrase, ScryptWorkFactor: 10})
	w.onAdd()
	d := w.addDlg
	test.Type(d.issuer, "Example")
	test.Type(d.secret, "JBSWY3DPEHPK3PXP")
	test.Tap(d.addBtn)
	if _, err := w.sess.store.Load(); err != nil {
		t.Fatal(err)
	}
	if m, _ := w.sess.store.Mode(); m != vault.NoVault {
		t.Fatalf("a vault was written without a keychain or a passphrase (mode %v)", m)
	}
	if w.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no offer of password mode")
	}
}

func TestPasswordModeAsksForThePassphrase(t *testing.T) {
	pass := "correct horse battery"
	w := newPasswordTestWindow(t, pass)
	if !w.problem.pass.Visible() || w.v != nil {
		t.Fatal("a password-mode vault opened without asking")
	}
	test.Type(w.problem.pass, "wrong")
	test.Tap(w.problem.action)
	if w.v != nil || !strings.Contains(w.problem.message.Text, "not the right one") {
		t.Fatalf("wrong passphrase: vault open %v, message %q", w.v != nil, w.problem.message.Text)
	}
	test.Type(w.problem.pass, pass)
	test.Tap(w.problem.action)
	if w.v == nil || !w.tileArea.Visible() || len(w.shown) != 1 {
		t.Fatalf("the right passphrase did not open the vault: %q", w.problem.message.Text)
	}
	// The window keeps the key, not the passphrase: a change saves without
	// asking again, and nothing holds the passphrase any more.
	if w.sess.pass != "" {
		t.Error("the session still holds the passphrase")
	}
	w.onMove(0, 0)
	if err := updateNow(w, func(v *vault.Vault) error { v.Prefs.HideCodes = true; return nil }); err != nil {
		t.Fatalf("a change after unlocking: %v", err)
	}
}

func TestErrorsInWords(t *testing.T) {
	for _, err := range []error{vault.ErrDamaged, vault.ErrBusy, vault.ErrNoKey, vault.ErrWrongKey,
		vault.ErrNewerVersion, &vault.ConflictError{}, errors.New("something else")} {
		got := inWords(fmt.Errorf("loading: %w", err))
		if got == "" || strings.HasPrefix(got, "loading:") && !strings.Contains(got, "something else") {
			t.Errorf("inWords(%v) = %q", err, got)
		}
	}
}

// newPasswordTestWindow builds the window over a password-mode vault under
// pass, holding one account, and starts it: it asks for the passphrase.
func newPasswordTestWindow(t *testing.T, pass string) *mainWindow {
	t.Helper()
	a := test.NewTempApp(t)
	dir := t.TempDir()
	s := vault.NewStore(dir, vault.Options{Passphrase: func() (string, error) { return pass, nil }, ScryptWorkFactor: 10})
	if _, err := s.Init(vault.PasswordMode); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(func(v *vault.Vault) error {
		acc, _ := vault.ParseURI(testURIs[0])
		_, err := v.Apply(v.Plan([]vault.Account{acc}), vault.RefuseConflicts, testNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	w := newMainWindow(a, dir)
	w.sess.inline = true
	w.sess.store = vault.NewStore(dir, vault.Options{Passphrase: w.sess.passphrase, ScryptWorkFactor: 10})
	w.now = func() time.Time { return testNow }
	w.buildUI()
	w.win.Resize(fyne.NewSize(defaultWidth, defaultHeight))
	t.Cleanup(func() { w.clock.stop() })
	w.start()
	return w
}
