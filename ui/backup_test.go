package ui

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"authdeck/backup"
	"authdeck/vault"
)

// testPassphrase is the backup passphrase of the tests.
const testPassphrase = "correct horse battery staple"

// newBackupWindow is newTestWindow with a cheap scrypt for backup
// passphrases and slow work done at once.
func newBackupWindow(t *testing.T, uris ...string) *mainWindow {
	t.Helper()
	w := newTestWindow(t, uris...)
	w.backups.workFactor = 10
	return w
}

// setTestPassphrase sets the backup passphrase without the dialog.
func setTestPassphrase(t *testing.T, w *mainWindow) {
	t.Helper()
	if err := updateNow(w, func(v *vault.Vault) error {
		return backup.SetPassphrase(&v.Backup, testPassphrase, 10)
	}); err != nil {
		t.Fatal(err)
	}
}

// manualAuto replaces the window's automatic backup writer by one whose
// quiet period ends when the test calls the function it returns.
func manualAuto(w *mainWindow) (quietPeriodEnds func() bool) {
	var pending func()
	w.backups.auto = w.backups.newAuto(func(_ time.Duration, f func()) func() bool {
		pending = f
		return func() bool { pending = nil; return true }
	})
	return func() bool {
		f := pending
		pending = nil
		if f != nil {
			f()
		}
		return f != nil
	}
}

func TestBackupNowSetsPassphraseAndWritesFile(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	b := w.backups
	if !b.dot.Visible() || b.summary() != "Never backed up" {
		t.Fatalf("a vault never backed up: dot %v, status %q", b.dot.Visible(), b.summary())
	}
	b.onBackupNow()
	d := b.passDlg
	if d == nil || w.win.Canvas().Overlays().Top() == nil {
		t.Fatal("the first backup does not ask for a passphrase")
	}
	test.Type(d.pass, "short")
	if !d.okBtn.Disabled() || !strings.Contains(d.hint.Text, "Too short") || d.hint.Importance != widget.DangerImportance {
		t.Errorf("a 5-character passphrase: hint %q, button enabled %v", d.hint.Text, !d.okBtn.Disabled())
	}
	d.pass.SetText(testPassphrase)
	if !strings.Contains(d.hint.Text, "Strong: 4 words") {
		t.Errorf("hint for four words = %q", d.hint.Text)
	}
	test.Type(d.again, "correct horse")
	if !d.okBtn.Disabled() || !strings.Contains(d.message.Text, "differ") {
		t.Errorf("passphrases that differ: message %q, button enabled %v", d.message.Text, !d.okBtn.Disabled())
	}
	d.again.SetText(testPassphrase)
	if d.okBtn.Disabled() {
		t.Fatalf("the button stays disabled for a good passphrase: %q", d.message.Text)
	}
	test.Tap(d.okBtn)
	v, err := vault.NewStore(w.sess.store.Dir(), vault.Options{}).Load()
	if err != nil {
		t.Fatal(err)
	}
	if backup.CheckPassphrase(v.Backup, testPassphrase) != nil {
		t.Fatal("the vault's backup key does not open with the passphrase set")
	}
	if plain, _ := json.Marshal(v); strings.Contains(string(plain), testPassphrase) || d.pass.Text != "" {
		t.Error("the passphrase is kept")
	}

	// The file dialog opens next; the test writes where it would have.
	path := filepath.Join(t.TempDir(), "mine"+backup.Ext)
	if err := backupNow(b, path); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, %v; want mode 0600", fi, err)
	}
	bk, err := backup.ReadFile(path, testPassphrase)
	if err != nil || len(bk.Accounts) != 4 {
		t.Fatalf("the backup holds %v, %v", bk, err)
	}
	if b.dot.Visible() || !strings.HasPrefix(b.summary(), "Backed up today") {
		t.Errorf("after backing up: dot %v, status %q", b.dot.Visible(), b.summary())
	}

	// A change makes the backup out of date.
	w.deleteAccount(w.v.Accounts[0].ID)
	if !b.dot.Visible() || !strings.HasPrefix(b.summary(), "Out of date") {
		t.Errorf("after a change: dot %v, status %q", b.dot.Visible(), b.summary())
	}
	b.showTip(true)
	if !b.tip.Visible() || !strings.Contains(strings.Join(strings.Fields(b.tipText.Text), " "), "changed since the last") {
		t.Errorf("the tip of an out-of-date backup says %q", b.tipText.Text)
	}
	b.showTip(false)

	// A backup never replaces a file.
	if err := backupNow(b, path); err == nil {
		t.Error("a second backup to the same file replaced it")
	}
	// A month later the reminder shows, even though nothing changed since.
	if err := backupNow(b, filepath.Join(filepath.Dir(path), "second"+backup.Ext)); err != nil {
		t.Fatal(err)
	}
	w.now = func() time.Time { return testNow.Add(31 * 24 * time.Hour) }
	b.refresh()
	if !b.dot.Visible() || !strings.Contains(b.reason(), "No backup in the last 30 days") {
		t.Errorf("a month after the last backup: dot %v, reason %q", b.dot.Visible(), b.reason())
	}
}

func TestChangePassphraseMakesNewKey(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	setTestPassphrase(t, w)
	old := w.v.Backup.Recipient
	w.backups.onChangePassphrase()
	d := w.backups.passDlg
	d.pass.SetText("another long passphrase here")
	d.again.SetText("another long passphrase here")
	test.Tap(d.okBtn)
	if w.v.Backup.Recipient == old || backup.CheckPassphrase(w.v.Backup, "another long passphrase here") != nil {
		t.Error("changing the passphrase did not make a new backup key under it")
	}
}

func TestAutomaticBackupAfterEveryChange(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	n := 0
	w.now = func() time.Time { n++; return testNow.Add(time.Duration(n) * time.Second) }
	quietPeriodEnds := manualAuto(w)
	setTestPassphrase(t, w)
	b := w.backups
	dir := t.TempDir()

	b.onAuto()
	d := b.autoDlg
	if d == nil || d.on.Checked {
		t.Fatal("no automatic backup dialog, or it says they are on")
	}
	d.dir = dir
	d.on.SetChecked(true)
	d.keep.SetText("2")
	d.onSave(true)
	files := func() []string {
		t.Helper()
		f, err := backup.AutoFiles(dir, w.v.Device)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	if got := files(); len(got) != 1 {
		t.Fatalf("turning automatic backups on wrote %d backups, want 1 at once", len(got))
	}
	if b.dot.Visible() || w.v.Backup.AutoKeep != 2 {
		t.Errorf("after the first automatic backup: dot %v, keep %d", b.dot.Visible(), w.v.Backup.AutoKeep)
	}

	// A change: the backup follows after the quiet period, not before, and
	// the dot stays away meanwhile.
	w.deleteAccount(w.v.Accounts[0].ID)
	if got := files(); len(got) != 1 || b.dot.Visible() {
		t.Fatalf("before the quiet period ends: %d backups, dot %v", len(got), b.dot.Visible())
	}
	if !quietPeriodEnds() {
		t.Fatal("a change did not schedule an automatic backup")
	}
	if got := files(); len(got) != 2 {
		t.Fatalf("after the quiet period: %d backups, want 2", len(got))
	}
	st, _ := backup.ReadStatus(w.sess.store, w.v, w.now())
	if st.OutOfDate || b.dot.Visible() {
		t.Errorf("after the automatic backup: out of date %v, dot %v", st.OutOfDate, b.dot.Visible())
	}
	bk, err := backup.ReadFile(files()[1], testPassphrase)
	if err != nil || len(bk.Accounts) != 3 {
		t.Errorf("the newest automatic backup holds %v, %v; want the 3 accounts left", bk, err)
	}
	// Keep 2: a third change leaves two files.
	w.onMove(0, 1)
	quietPeriodEnds()
	if got := files(); len(got) != 2 {
		t.Errorf("keeping 2, the folder holds %d backups", len(got))
	}

	// The folder goes away: the backup fails, and says why in words.
	w.clearUndo()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	w.onMove(0, 1)
	quietPeriodEnds()
	if !b.dot.Visible() || !b.status.Failing || !strings.Contains(b.summary(), "folder missing") ||
		!strings.Contains(b.reason(), "the backup folder is missing") {
		t.Errorf("with the folder gone: dot %v, status %q, reason %q", b.dot.Visible(), b.summary(), b.reason())
	}
	if !strings.Contains(w.note.Text, "automatic backup failed") {
		t.Errorf("no note of the failure: %q", w.note.Text)
	}

	// Quitting writes the backup still waiting.
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	w.onMove(0, 1)
	b.flush()
	if got := files(); len(got) != 1 || b.status.Failing || b.dot.Visible() {
		t.Errorf("after flushing on quit: %d backups, failing %v, dot %v", len(got), b.status.Failing, b.dot.Visible())
	}

	// Off.
	b.onAuto()
	b.autoDlg.on.SetChecked(false)
	b.autoDlg.onSave(true)
	w.onMove(0, 1)
	if quietPeriodEnds(); len(files()) != 1 || w.v.Backup.AutoDir != "" {
		t.Errorf("automatic backups still on: %q, %d files", w.v.Backup.AutoDir, len(files()))
	}
}

// overlayText returns the text of the labels in the dialog on top of the
// window, a line each.
func overlayText(w *mainWindow) string {
	var b strings.Builder
	for _, o := range test.LaidOutObjects(w.win.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(strings.Join(strings.Fields(l.Text), " ") + "\n")
		}
	}
	return b.String()
}

func TestPassphraseStrength(t *testing.T) {
	for _, c := range []struct {
		pass string
		want string
		imp  widget.Importance
	}{
		{"", "Four or more", widget.LowImportance},
		{"abc", "Too short: 3 characters", widget.DangerImportance},
		{"abcdefgh", "Weak: 8 characters", widget.WarningImportance},
		{"abcdefgh1234", "Good: 12 characters", widget.SuccessImportance},
		{"one two three four", "Strong: 4 words, 18 characters", widget.SuccessImportance},
		{"ünïcödé", "Too short: 7 characters", widget.DangerImportance},
	} {
		got, imp := passphraseStrength(c.pass)
		if !strings.HasPrefix(got, c.want) || imp != c.imp {
			t.Errorf("passphraseStrength(%q) = %q, %v; want %q…, %v", c.pass, got, imp, c.want, c.imp)
		}
	}
}

func TestBackupButtonTipOnHover(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	b := w.backups
	c := w.win.Canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b.button)
	test.MoveMouse(c, pos.AddXY(b.button.Size().Width/2, b.button.Size().Height/2))
	if !b.tip.Visible() || !strings.Contains(b.tipText.Text, "never backed up") {
		t.Errorf("hovering the backup button: tip shown %v, %q", b.tip.Visible(), b.tipText.Text)
	}
	test.MoveMouse(c, fyne.NewPos(10, 300))
	if b.tip.Visible() {
		t.Error("the tip stays after the mouse left")
	}
	// The menu says it too, first; everything in it is on.
	m := b.menu()
	if m.Items[0].Label != "Never backed up" {
		t.Errorf("the backup menu starts with %q", m.Items[0].Label)
	}
	for _, it := range m.Items {
		if it.Disabled && it.Label != "Change backup passphrase…" {
			t.Errorf("%q is disabled", it.Label)
		}
	}
}

func TestBackupStatusNamesLastBackup(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	setTestPassphrase(t, w)
	path := filepath.Join(t.TempDir(), "b"+backup.Ext)
	if err := backupNow(w.backups, path); err != nil {
		t.Fatal(err)
	}
	w.onMove(0, 1)
	w.backups.onStatus()
	got := overlayText(w)
	want := fmt.Sprintf("of revision %d of your accounts (now %d), in %s", w.v.Revision-1, w.v.Revision, path)
	if !strings.Contains(got, want) || !strings.Contains(got, "Out of date") {
		t.Errorf("the backup status says:\n%s\nwant %q", got, want)
	}
}
