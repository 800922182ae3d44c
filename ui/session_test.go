package ui

import (
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"authdeck/vault"
)

// gateKeychain holds every call until the test opens the gate: a keychain
// that takes its time to answer, as one that waits for a prompt does.
type gateKeychain struct {
	vault.Keychain
	gate chan struct{}
}

func (k gateKeychain) Get(service, user string) (string, error) {
	<-k.gate
	return k.Keychain.Get(service, user)
}

// TestVaultWorkIsOffTheUIGoroutine opens the window's vault through a
// keychain that does not answer yet: the call returns at once, the window
// says it is busy, and the vault shows when the keychain answers.
func TestVaultWorkIsOffTheUIGoroutine(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	w.sess.inline = false
	gate := make(chan struct{})
	w.sess.store = vault.NewStore(w.sess.store.Dir(), vault.Options{Keychain: gateKeychain{vault.OSKeychain{}, gate}})
	busy := make(chan bool, 4)
	w.sess.busy = func(on bool) { busy <- on }
	loaded := make(chan *vault.Vault, 1)
	var once sync.Once
	defer once.Do(func() { close(gate) })

	returned := make(chan struct{})
	go func() {
		w.sess.load("", func(v *vault.Vault, err error) {
			if err != nil {
				t.Error(err)
			}
			loaded <- v
		})
		close(returned)
	}()
	select {
	case <-returned:
	case <-time.After(5 * time.Second):
		t.Fatal("loading the vault blocked its caller while the keychain did not answer")
	}
	select {
	case on := <-busy:
		if !on {
			t.Fatal("busy(false) before busy(true)")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no sign of work while the keychain did not answer")
	}
	select {
	case <-loaded:
		t.Fatal("the vault loaded before the keychain answered")
	default:
	}
	once.Do(func() { close(gate) })
	select {
	case v := <-loaded:
		if len(v.Accounts) != len(testURIs) {
			t.Errorf("loaded %d accounts", len(v.Accounts))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the vault never loaded")
	}
	if on := <-busy; on {
		t.Error("the sign of work stayed on")
	}
}

// TestSessionRunsJobsInOrder: changes queued one after the other land in
// that order, and drain waits for them.
func TestSessionRunsJobsInOrder(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	w.sess.inline = false
	var mu sync.Mutex
	var order []int
	for i := range 5 {
		w.sess.update(func(v *vault.Vault) error {
			v.Accounts[0].Group = string(rune('a' + i))
			return nil
		}, func(*vault.Vault, error) {
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
		})
	}
	w.sess.drain()
	time.Sleep(10 * time.Millisecond) // the last result comes back through fyne.Do
	mu.Lock()
	defer mu.Unlock()
	if len(order) != 5 || order[0] != 0 || order[4] != 4 {
		t.Errorf("results came back in the order %v", order)
	}
	if v, _ := vault.NewStore(w.sess.store.Dir(), vault.Options{}).Load(); v.Accounts[0].Group != "e" {
		t.Errorf("the last change is not the one saved: group %q", v.Accounts[0].Group)
	}
}

// TestEscapeInATextFieldClosesItsDialog: Escape typed into a text field of
// a dialog closes that dialog, and only that one.
func TestEscapeInATextFieldClosesItsDialog(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	w.onAdd()
	d := w.addDlg
	w.win.Canvas().Focus(d.issuer)
	test.Type(d.issuer, "Git")
	w.onPrefs() // a second dialog over the first
	if w.dialogs.top() == d.dlg {
		t.Fatal("the preferences are not on top")
	}
	d.issuer.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.dialogs.top() != d.dlg {
		t.Fatal("Escape did not close the dialog on top, or closed more")
	}
	d.issuer.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.dialogs.top() != nil || w.win.Canvas().Overlays().Top() != nil {
		t.Error("Escape in the add dialog's field did not close it")
	}
	if d.issuer.Text != "Git" {
		t.Errorf("Escape changed the field: %q", d.issuer.Text)
	}
}

// TestEnterInATextFieldAnswersItsDialog: Enter in a field without an action
// of its own runs the dialog's default action.
func TestEnterInATextFieldAnswersItsDialog(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	p := w.askPassword(w.sess, passwordRequest{title: "Open", text: "x", file: "f", open: func(string) error { return nil }, opened: func() {}})
	p.pass.OnSubmitted = nil
	opened := false
	w.dialogs.setEnter(p.dlg, func() { opened = true })
	p.pass.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !opened {
		t.Error("Enter in the password field did not answer the dialog")
	}
}

// TestShortcutsWorkInTheSearchField: the window's shortcuts reach it while
// one types a search (the text field has the keys).
func TestShortcutsWorkInTheSearchField(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	w.win.Canvas().Focus(w.search)
	test.Type(w.search, "git")
	ctrl := fyne.KeyModifierShortcutDefault
	w.search.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: ctrl})
	if w.addDlg == nil || w.dialogs.top() != w.addDlg.dlg {
		t.Fatal("Ctrl+N in the search field opened no add dialog")
	}
	w.dialogs.escape()
	w.search.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: ctrl})
	if w.prefsDlg == nil || w.dialogs.top() == nil {
		t.Fatal("Ctrl+, in the search field opened no preferences")
	}
	if w.search.Text != "git" {
		t.Errorf("the shortcuts typed into the search: %q", w.search.Text)
	}
	// A text field's own shortcuts stay its own.
	w.dialogs.escape()
	w.search.TypedShortcut(&fyne.ShortcutSelectAll{})
	if w.search.SelectedText() != "git" {
		t.Errorf("Ctrl+A in the search selected %q", w.search.SelectedText())
	}
}
