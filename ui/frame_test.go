package ui

import (
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"authdeck/internal/testenv"
	"authdeck/vault"
)

// standInView is a vaultView without a window: it keeps the vault the
// store last saved and counts what the screens asked of it.
type standInView struct {
	sess     *session
	v        *vault.Vault
	updates  int
	showAlls int
}

func (s *standInView) current() *vault.Vault { return s.v }

func (s *standInView) update(change func(*vault.Vault) error, done func(error)) {
	s.updates++
	s.sess.update(change, func(v *vault.Vault, err error) {
		if err == nil {
			s.v = v
		}
		if done != nil {
			done(err)
		}
	})
}

func (s *standInView) reloadIfChanged() {}
func (s *standInView) showAll()         { s.showAlls++ }

// newStandIn returns a frame over a bare window, an inline session on a new
// vault and a stand-in view of that vault: everything a screen gets.
func newStandIn(t *testing.T) (*frame, *session, *standInView) {
	t.Helper()
	a := test.NewTempApp(t)
	sess := newSession(vault.NewStore(t.TempDir(), vault.Options{}))
	sess.inline = true
	t.Cleanup(sess.close)
	view := &standInView{sess: sess}
	sess.load("", func(v *vault.Vault, err error) {
		if err != nil {
			t.Fatal(err)
		}
		view.v = v
	})
	f := &frame{win: a.NewWindow("stand-in"), now: func() time.Time { return testNow }, notify: func(string) {}}
	f.win.Resize(fyne.NewSize(defaultWidth, defaultHeight))
	f.win.Show()
	return f, sess, view
}

// The screens work on what they are given, with no main window behind them:
// the add dialog adds through the view and the session, and the import flow
// previews and imports a file into the same vault.
func TestScreensNeedNoWindow(t *testing.T) {
	f, sess, view := newStandIn(t)

	var focused string
	d := &addDialog{f: f, vault: view, scan: func(string, *addDialog) {}, focus: func(id string) { focused = id }}
	d.show()
	d.uri.SetText(mastodonURI)
	if d.addBtn.Disabled() {
		t.Fatalf("the add dialog refuses a good link: %q", d.message.Text)
	}
	test.Tap(d.addBtn)
	if view.updates != 1 || len(view.v.Accounts) != 1 || focused != view.v.Accounts[0].ID || view.showAlls != 1 {
		t.Fatalf("after Add: %d updates, %d accounts, focused %q, %d searches cleared",
			view.updates, len(view.v.Accounts), focused, view.showAlls)
	}
	if onDisk, err := sess.store.Load(); err != nil || len(onDisk.Accounts) != 1 {
		t.Fatalf("the store holds %v accounts (%v), want the one added", onDisk, err)
	}

	path := filepath.Join(testenv.Fixtures(t, "peer-exports"), "aegis_plain.json")
	im := &importFlow{f: f, sess: sess, vault: view, paths: []string{path}}
	if !im.readNext() || im.planDlg == nil {
		t.Fatal("the import flow shows no preview of an Aegis export")
	}
	before := len(view.v.Accounts)
	test.Tap(im.planDlg.actionBtn)
	if len(view.v.Accounts) <= before || view.showAlls != 2 {
		t.Fatalf("the import added %d accounts (searches cleared %d times)", len(view.v.Accounts)-before, view.showAlls)
	}
}
