package ui

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"authdeck/vault"
)

// testNow is the fixed clock of the widget tests: 20 s into a 30 s period.
var testNow = time.Date(2026, 11, 24, 12, 0, 10, 0, time.UTC)

var testURIs = []string{
	"otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
	"otpauth://totp/Google:alice.smith@gmail.com?secret=GEZDGNBVGY3TQOJQ&issuer=Google",
	"otpauth://totp/Dropbox:carol?secret=MFRGGZDFMZTWQ2LK&issuer=Dropbox",
	"otpauth://hotp/Bank:carol?secret=KRSXG5CTMVRXEZLU&issuer=Bank&counter=7",
}

// newTestWindow builds the window over a vault in a temporary folder, kept by
// the real keychain, holding the accounts of uris.
func newTestWindow(t testing.TB, uris ...string) *mainWindow {
	t.Helper()
	return openTestWindow(t, newTestVault(t, uris...))
}

// newTestVault makes a vault in a temporary folder, kept by the real
// keychain, holding the accounts of uris, and returns the folder.
func newTestVault(t testing.TB, uris ...string) string {
	t.Helper()
	dir := t.TempDir()
	if len(uris) > 0 {
		var in []vault.Account
		for _, u := range uris {
			acc, err := vault.ParseURI(u)
			if err != nil {
				t.Fatal(err)
			}
			in = append(in, acc)
		}
		store := vault.NewStore(dir, vault.Options{})
		if _, err := store.Update(func(v *vault.Vault) error {
			_, err := v.Apply(v.Plan(in), vault.RefuseConflicts, testNow)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// openTestWindow builds the window of a new test app over the vault in dir.
func openTestWindow(t testing.TB, dir string) *mainWindow {
	t.Helper()
	a := test.NewTempApp(t)
	w := newMainWindow(a, dir)
	w.sess.inline = true // the test driver has no event loop for results to come back to
	w.now = func() time.Time { return testNow }
	// The tests drive the ticks themselves: the test driver runs fyne.Do on
	// the caller's goroutine, so a real ticker's ticks would race with them.
	w.clock.fire = func(time.Time) {}
	// Where the clock is not what a test is about, the clock is right.
	w.clockw.check = func(server string) (vault.ClockReading, error) {
		return vault.ClockReading{Server: server, At: testNow}, nil
	}
	w.buildUI()
	w.reload()
	w.win.Resize(fyne.NewSize(defaultWidth, defaultHeight))
	w.win.Show()
	t.Cleanup(func() {
		w.clock.stop()
		// A sync file still waiting for its quiet period would be written
		// after the test, into a folder that is gone, and its note would
		// touch widgets while the next test runs.
		w.syncs.mu.Lock()
		if w.syncs.writeTimer != nil {
			w.syncs.writeTimer.Stop()
		}
		w.syncs.pending = nil
		w.syncs.mu.Unlock()
		w.win.Close()
	})
	if w.v == nil {
		t.Fatal("the vault did not open")
	}
	return w
}

// tileAt returns the tile that shows shown position i.
func tileAt(t *testing.T, w *mainWindow, i int) *tile {
	t.Helper()
	for _, tl := range w.tiles {
		if tl.pos == i && tl.Visible() {
			return tl
		}
	}
	t.Fatalf("no tile shows position %d", i)
	return nil
}

// saved returns the labels of the accounts in the vault on disk, in order.
func saved(t *testing.T, w *mainWindow) []string {
	t.Helper()
	return savedIn(t, w.sess.store.Dir())
}

// savedIn returns the labels of the accounts in the vault in dir, in order.
func savedIn(t *testing.T, dir string) []string {
	t.Helper()
	v, err := vault.NewStore(dir, vault.Options{}).Load()
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, a := range v.Accounts {
		labels = append(labels, a.Issuer)
	}
	return labels
}

func TestTapCopiesCode(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	want, err := w.v.Accounts[1].Code(testNow)
	if err != nil {
		t.Fatal(err)
	}
	tl := tileAt(t, w, 1)
	if got := strings.ReplaceAll(tl.codeText.Text, " ", ""); got != want {
		t.Fatalf("the Google tile shows %q, want %q", tl.codeText.Text, want)
	}
	test.Tap(tl)
	if got := w.app.Clipboard().Content(); got != want {
		t.Errorf("clipboard after a tap on Google = %q, want its code %q", got, want)
	}
	if !strings.Contains(w.note.Text, "Copied") || !w.status.Visible() {
		t.Errorf("no note after copying: %q", w.note.Text)
	}

	// Enter on the focused tile copies too.
	w.app.Clipboard().SetContent("")
	tl0 := tileAt(t, w, 0)
	w.win.Canvas().Focus(tl0)
	tl0.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	want0, _ := w.v.Accounts[0].Code(testNow)
	if got := w.app.Clipboard().Content(); got != want0 {
		t.Errorf("clipboard after Enter on GitHub = %q, want %q", got, want0)
	}
}

func TestTileShowsGroupedCodeAndNextCode(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	tl := tileAt(t, w, 0)
	if !strings.Contains(tl.codeText.Text, " ") || len(tl.codeText.Text) != 7 {
		t.Errorf("code %q is not grouped as 123 456", tl.codeText.Text)
	}
	if strings.Contains(tl.countText.Text, "next") || tl.countText.Text != "20 s" {
		t.Errorf("10 s into the period the countdown is %q, want 20 s and no next code", tl.countText.Text)
	}
	late := testNow.Add(17 * time.Second)
	tl.tick(late)
	next, _ := w.v.Accounts[0].NextCode(late)
	if !strings.Contains(tl.countText.Text, "next "+groupCode(next, false)) || !strings.HasSuffix(tl.countText.Text, "3 s") {
		t.Errorf("3 s before the end the countdown is %q, want the next code %s", tl.countText.Text, next)
	}
}

func TestDragMovesTile(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	tl := tileAt(t, w, 0)
	d := fyne.CurrentApp().Driver()
	start := d.AbsolutePositionForObject(tl).AddXY(tl.Size().Width/2, tl.Size().Height/2)
	// The events the desktop driver sends while the mouse drags the first
	// tile down over the third one, in steps.
	pitch := w.grid.pitch().Height
	var last fyne.Position
	for step := float32(1); step <= 10; step++ {
		pos := start.AddXY(0, 2*pitch*step/10)
		tl.Dragged(&fyne.DragEvent{
			PointEvent: fyne.PointEvent{AbsolutePosition: pos, Position: pos.Subtract(d.AbsolutePositionForObject(tl))},
			Dragged:    fyne.Delta{DY: pos.Y - last.Y},
		})
		last = pos
	}
	if w.drag.to != 2 {
		t.Fatalf("drop position = %d, want 2", w.drag.to)
	}
	if mark := tileAt(t, w, 2).drop; !mark.Visible() {
		t.Error("the drop position is not marked on the third tile")
	}
	tl.DragEnd()
	want := []string{"Google", "Dropbox", "GitHub", "Bank"}
	if got := saved(t, w); !slices.Equal(got, want) {
		t.Errorf("order in the vault after the drag = %q, want %q", got, want)
	}
	if tileAt(t, w, 2).drop.Visible() {
		t.Error("the drop mark stays after the drop")
	}
}

func TestAltArrowsMoveTile(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	tl := tileAt(t, w, 1)
	w.win.Canvas().Focus(tl)
	tl.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyDown, Modifier: fyne.KeyModifierAlt})
	if got, want := saved(t, w), []string{"GitHub", "Dropbox", "Google", "Bank"}; !slices.Equal(got, want) {
		t.Errorf("after Alt+Down on Google: %q, want %q", got, want)
	}
	focused, ok := w.win.Canvas().Focused().(*tile)
	if !ok || w.account(focused.pos).Issuer != "Google" {
		t.Errorf("focus did not follow the moved tile")
	}
	focused.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyUp, Modifier: fyne.KeyModifierAlt})
	focused, _ = w.win.Canvas().Focused().(*tile)
	focused.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyUp, Modifier: fyne.KeyModifierAlt})
	if got, want := saved(t, w), []string{"Google", "GitHub", "Dropbox", "Bank"}; !slices.Equal(got, want) {
		t.Errorf("after Alt+Up twice: %q, want %q", got, want)
	}
}

func TestSearchWithTypoFindsAccount(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	test.Type(w.search, "dropbxo")
	if len(w.shown) != 1 || w.account(0).Issuer != "Dropbox" {
		t.Fatalf("search for dropbxo shows %d tiles, want Dropbox only", len(w.shown))
	}
	if !w.tileArea.Visible() {
		t.Error("the list is hidden while there is a match")
	}
	// Enter copies the first match.
	w.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	want, _ := w.v.Accounts[2].Code(testNow)
	if got := w.app.Clipboard().Content(); got != want {
		t.Errorf("Enter in the search copied %q, want Dropbox's %q", got, want)
	}
	// Escape clears it.
	w.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.search.Text != "" || len(w.shown) != 4 {
		t.Errorf("after Escape the search is %q with %d tiles", w.search.Text, len(w.shown))
	}
	test.Type(w.search, "zzzzzz")
	if !w.noMatch.Visible() || w.tileArea.Visible() {
		t.Error("no 'no match' note for a search that finds nothing")
	}
}

func TestTypingAnywhereSearches(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	w.win.Canvas().Focus(tileAt(t, w, 0))
	test.TypeOnCanvas(w.win.Canvas(), "goo")
	if w.search.Text != "goo" || len(w.shown) != 1 || w.account(0).Issuer != "Google" {
		t.Errorf("typing on a tile: search %q with %d tiles", w.search.Text, len(w.shown))
	}
}

func TestAddRejectsBadSecret(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	d := newAddDialog(w)
	d.show()
	test.Type(d.issuer, "Example")
	test.Type(d.secret, "JBSWY3DP!")
	if !d.addBtn.Disabled() {
		t.Error("Add is enabled with a bad secret")
	}
	if !strings.Contains(d.message.Text, "not valid base32") || !d.message.Visible() {
		t.Errorf("message for a bad secret = %q", d.message.Text)
	}
	d.secret.SetText("JBSWY3DPEHPK3P") // letters missing
	if !strings.Contains(d.message.Text, "length") {
		t.Errorf("message for a secret of the wrong length = %q", d.message.Text)
	}
	d.uri.SetText("otpauth://totp/Example:bob?secret=nope!")
	if d.message.Text == "" || !d.addBtn.Disabled() {
		t.Errorf("a bad link gives no message: %q", d.message.Text)
	}
	if got := saved(t, w); len(got) != 4 {
		t.Errorf("the vault changed: %q", got)
	}
}

func TestAddByHandAndByLink(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	d := newAddDialog(w)
	d.show()
	test.Type(d.issuer, "Example")
	test.Type(d.name, "bob")
	test.Type(d.secret, "mzxw 6ytb oi")
	if d.addBtn.Disabled() {
		t.Fatalf("Add is disabled for a good account: %q", d.message.Text)
	}
	d.secret.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter adds
	if got := saved(t, w); !slices.Contains(got, "Example") {
		t.Fatalf("the account was not added: %q", got)
	}

	// The same secret again is reported as already there.
	d = newAddDialog(w)
	d.show()
	if msg := tryLink(d, "otpauth://totp/Other:x?secret=MZXW6YTBOI"); !strings.Contains(msg, "already in Authdeck") {
		t.Errorf("message for a duplicate = %q", msg)
	}
	// Same issuer and name, another secret: a conflict, refused until "keep both".
	if msg := tryLink(d, "otpauth://totp/GitHub:alice@example.com?secret=GEZDGNBVGY3TQOJR"); !strings.Contains(msg, "another secret") || !d.keepBoth.Visible() {
		t.Errorf("message for a conflict = %q", msg)
	}
	if got := saved(t, w); len(got) != 5 {
		t.Errorf("a refused conflict changed the vault: %q", got)
	}
	test.Tap(d.keepBoth)
	if got := saved(t, w); len(got) != 6 {
		t.Errorf("keep both did not add: %q", got)
	}
}

// tryLink pastes uri into the add dialog, taps Add, and returns its message.
func tryLink(d *addDialog, uri string) string {
	d.uri.SetText(uri)
	test.Tap(d.addBtn)
	return d.message.Text
}

func TestDeleteThenUndo(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	w.onDelete(1)
	confirm, ok := w.dialogs.top().(*dialog.ConfirmDialog)
	if !ok {
		t.Fatal("no confirmation asked")
	}
	if got := saved(t, w); len(got) != 4 {
		t.Fatalf("deleted before the confirmation: %q", got)
	}
	confirm.Confirm()
	if got, want := saved(t, w), []string{"GitHub", "Dropbox", "Bank"}; !slices.Equal(got, want) {
		t.Fatalf("after delete: %q, want %q", got, want)
	}
	if !w.undoBtn.Visible() || !strings.Contains(w.note.Text, "Google") {
		t.Fatalf("no undo offered: %q", w.note.Text)
	}
	test.Tap(w.undoBtn)
	if got, want := saved(t, w), []string{"GitHub", "Google", "Dropbox", "Bank"}; !slices.Equal(got, want) {
		t.Errorf("after undo: %q, want %q", got, want)
	}
	if w.undoBtn.Visible() {
		t.Error("the undo button stays after undoing")
	}
}

func TestEditAccount(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	w.onEdit(0)
	d := w.editDlg
	if d == nil || d.issuer.Text != "GitHub" || w.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no edit dialog for GitHub")
	}
	d.issuer.SetText("GitHub Enterprise")
	test.Type(d.group, "Work")
	d.onSave(true)
	v, err := vault.NewStore(w.sess.store.Dir(), vault.Options{}).Load()
	if err != nil {
		t.Fatal(err)
	}
	if a := v.Accounts[0]; a.Issuer != "GitHub Enterprise" || a.Group != "Work" || a.Name != "alice@example.com" {
		t.Errorf("after editing: %q %q %q", a.Issuer, a.Name, a.Group)
	}
	test.Type(w.search, "work")
	if len(w.shown) != 1 || w.account(0).Issuer != "GitHub Enterprise" {
		t.Errorf("search by the new group shows %d tiles", len(w.shown))
	}
	// An account needs an issuer or a name.
	w.onEdit(0)
	d = w.editDlg
	d.issuer.SetText("")
	d.name.SetText("")
	if d.name.Validate() == nil {
		t.Error("the edit dialog accepts an account without issuer and name")
	}
}

func TestHOTPNextCodeSavesCounterFirst(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	tl := tileAt(t, w, 3)
	if !tl.hotpBtn.Visible() {
		t.Fatal("the HOTP tile has no next-code button")
	}
	before := w.v.Accounts[3]
	want, _ := before.Code(testNow)
	w.tick(testNow.Add(time.Minute))
	if w.v.Accounts[3].Counter != before.Counter {
		t.Fatal("the clock advanced a HOTP counter")
	}
	test.Tap(tl.hotpBtn)
	v, err := vault.NewStore(w.sess.store.Dir(), vault.Options{}).Load()
	if err != nil {
		t.Fatal(err)
	}
	if v.Accounts[3].Counter != before.Counter+1 {
		t.Errorf("saved counter = %d, want %d", v.Accounts[3].Counter, before.Counter+1)
	}
	if got := strings.ReplaceAll(tileAt(t, w, 3).codeText.Text, " ", ""); got != want {
		t.Errorf("HOTP tile shows %q, want the code of counter %d: %q", got, before.Counter, want)
	}
	test.Tap(tileAt(t, w, 3))
	if got := w.app.Clipboard().Content(); got != want {
		t.Errorf("copied %q, want %q", got, want)
	}
}

func TestClipboardClearsOnlyItsCode(t *testing.T) {
	a := test.NewTempApp(t)
	g := newClipboardGuard(a, time.Now)
	g.copy("123456", 20*time.Millisecond)
	// The timer hands the clearing to fyne.Do; the test app runs it at once.
	for deadline := time.Now().Add(3 * time.Second); a.Clipboard().Content() != "" && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if got := a.Clipboard().Content(); got != "" {
		t.Errorf("clipboard not cleared after the delay: %q", got)
	}
	g.copy("654321", 20*time.Millisecond)
	a.Clipboard().SetContent("something the user copied")
	time.Sleep(300 * time.Millisecond)
	if got := a.Clipboard().Content(); got != "something the user copied" {
		t.Errorf("the guard cleared what the user copied since: %q", got)
	}
	g.copy("111111", 0)
	g.clearNow() // as on quit
	if got := a.Clipboard().Content(); got != "" {
		t.Errorf("clipboard not cleared on quit: %q", got)
	}
}

func TestEmptyVaultShowsFirstRun(t *testing.T) {
	w := newTestWindow(t)
	if !w.empty.Visible() || w.tileArea.Visible() {
		t.Error("an empty vault does not show the first-run screen")
	}
}

func TestNeedsVerificationTile(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	if err := updateNow(w, func(v *vault.Vault) error {
		v.Accounts[0].NeedsVerification, v.Accounts[0].Secret = true, nil
		v.Accounts[0].Binding = vault.DeviceBound
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	tl := tileAt(t, w, 0)
	if !tl.completeBtn.Visible() || !strings.Contains(tl.codeText.Text, "verification") {
		t.Fatalf("needs-verification tile shows %q", tl.codeText.Text)
	}
	test.Tap(tl.completeBtn)
	d := w.addDlg
	if d == nil || d.complete != w.v.Accounts[0].ID || w.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no dialog to complete the account")
	}
	// A link for another account does not complete it.
	if msg := tryLink(d, "otpauth://totp/Other:x?secret=GEZDGNBVGY3TQOJZ"); !strings.Contains(msg, "another account") {
		t.Errorf("message for a link of another account = %q", msg)
	}
	// A fresh link for the same issuer and name completes it.
	tryLink(d, "otpauth://totp/GitHub:alice@example.com?secret=GEZDGNBVGY3TQOJR&issuer=GitHub")
	v, err := vault.NewStore(w.sess.store.Dir(), vault.Options{}).Load()
	if err != nil {
		t.Fatal(err)
	}
	if a := v.Accounts[0]; a.NeedsVerification || len(a.Secret) == 0 || a.Binding != vault.DeviceBound || len(v.Accounts) != 4 {
		t.Errorf("after completing: needs verification %v, secret %d bytes, binding %s, %d accounts",
			a.NeedsVerification, len(a.Secret), a.Binding, len(v.Accounts))
	}
	if tl := tileAt(t, w, 0); tl.completeBtn.Visible() || len(strings.ReplaceAll(tl.codeText.Text, " ", "")) != 6 {
		t.Errorf("the completed tile shows %q", tl.codeText.Text)
	}
}

func TestHiddenCodesShowOnClick(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	if err := updateNow(w, func(v *vault.Vault) error { v.Prefs.HideCodes = true; return nil }); err != nil {
		t.Fatal(err)
	}
	tl := tileAt(t, w, 0)
	if tl.codeText.Text != "••• •••" {
		t.Fatalf("hidden code shows %q", tl.codeText.Text)
	}
	test.Tap(tl)
	want, _ := w.v.Accounts[0].Code(testNow)
	if got := strings.ReplaceAll(tileAt(t, w, 0).codeText.Text, " ", ""); got != want {
		t.Errorf("after a click the code shows %q, want %q", got, want)
	}
	if got := w.app.Clipboard().Content(); got != want {
		t.Errorf("the click copied %q, want %q", got, want)
	}
	if tileAt(t, w, 1).codeText.Text != "••• •••" {
		t.Error("a click on one tile showed another's code")
	}
}

func TestPreferencesAreSaved(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	w.onPrefs()
	d := w.prefsDlg
	if d.theme.Selected != "Like the system" || d.hide.Checked || d.delay.Selected != "30 seconds" {
		t.Fatalf("defaults shown: %q %v %q", d.theme.Selected, d.hide.Checked, d.delay.Selected)
	}
	d.theme.SetSelected("Dark")
	d.hide.SetChecked(true)
	d.delay.SetSelected("Never")
	d.onSave(true)
	v, err := vault.NewStore(w.sess.store.Dir(), vault.Options{}).Load()
	if err != nil {
		t.Fatal(err)
	}
	if p := v.Prefs; p.Theme != "dark" || !p.HideCodes || p.ClipboardClearSeconds >= 0 {
		t.Errorf("saved preferences = %+v", p)
	}
	if clearDelay(v.Prefs) != 0 {
		t.Error("never clearing gives a delay")
	}
	th := w.app.Settings().Theme()
	if th.Color(theme.ColorNameBackground, theme.VariantLight) != th.Color(theme.ColorNameBackground, theme.VariantDark) {
		t.Error("the dark theme preference does not hold the window dark")
	}
}

func TestReloadsWhenAnotherProcessChangesTheVault(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	other := vault.NewStore(w.sess.store.Dir(), vault.Options{})
	time.Sleep(10 * time.Millisecond) // a different modification time
	if _, err := other.Update(func(v *vault.Vault) error { return v.Move(v.Accounts[3].ID, 0) }); err != nil {
		t.Fatal(err)
	}
	for range statEvery {
		w.tick(testNow)
	}
	if w.account(0).Issuer != "Bank" {
		t.Errorf("the window did not notice the change: first tile is %s", w.account(0).Issuer)
	}
}

func TestGroupCode(t *testing.T) {
	for in, want := range map[string]string{
		"123456": "123 456", "1234567": "123 4567", "12345678": "1234 5678",
		"2BC4D": "2BC4D", "123456789": "123 456 789", "1234567890": "12345 67890",
	} {
		if got := groupCode(in, false); got != want {
			t.Errorf("groupCode(%q) = %q, want %q", in, got, want)
		}
	}
	if got := groupCode("123456", true); got != "••• •••" {
		t.Errorf("hidden code = %q", got)
	}
}

func TestKeyboardMovesBetweenSearchAndTiles(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	c := w.win.Canvas()
	w.focusSearch()
	w.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	focused := func() int {
		if tl, ok := c.Focused().(*tile); ok {
			return tl.pos
		}
		if c.Focused() == w.search {
			return -1
		}
		return -2
	}
	if got := focused(); got != 0 {
		t.Fatalf("Down in the search focused %d, want the first tile", got)
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if got := focused(); got != 2 {
		t.Fatalf("two Downs focused %d, want the third tile", got)
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd})
	if got := focused(); got != 3 {
		t.Fatalf("End focused %d, want the last tile", got)
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyHome})
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if got := focused(); got != -1 {
		t.Fatalf("Up on the first tile focused %d, want the search", got)
	}
	// Delete on a tile asks first; F2 edits.
	w.focusTile(1)
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	if _, ok := w.dialogs.top().(*dialog.ConfirmDialog); !ok || !strings.Contains(saved(t, w)[1], "Google") {
		t.Fatal("Delete on a tile did not ask first")
	}
	onKey := c.OnTypedKey()
	onKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if got := saved(t, w); len(got) != 4 || w.dialogs.top() != nil || c.Overlays().Top() != nil {
		t.Errorf("Escape did not cancel the deletion: %q", got)
	}
	// Enter answers yes.
	w.focusTile(1)
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	onKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := saved(t, w); len(got) != 3 || slices.Contains(got, "Google") {
		t.Errorf("Enter did not confirm the deletion: %q", got)
	}
	// Ctrl+F focuses the search from anywhere; Ctrl+N opens the add dialog.
	w.focusTile(2)
	// The test canvas wraps the software canvas, which holds the shortcuts.
	sc, ok := reflect.ValueOf(c).Elem().FieldByName("WindowlessCanvas").Interface().(fyne.Shortcutable)
	if !ok {
		t.Fatalf("the test canvas %T takes no shortcuts", c)
	}
	sc.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	if got := focused(); got != -1 {
		t.Errorf("Ctrl+F focused %d, want the search", got)
	}
	sc.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault})
	if w.addDlg == nil {
		t.Error("Ctrl+N did not open the add dialog")
	}
}

func TestTileMarksDeviceBoundAccounts(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	w.v.Accounts[1].Binding = vault.DeviceBound
	w.v.Accounts[1].Group = "Work"
	tileAt(t, w, 1).bind(1)
	tileAt(t, w, 0).bind(0)
	if got := tileAt(t, w, 1).name.Text; got != "alice.smith@gmail.com · Work · this device only" {
		t.Errorf("a device-bound tile says %q", got)
	}
	if got := tileAt(t, w, 0).name.Text; got != "alice@example.com" {
		t.Errorf("a portable tile says %q", got)
	}
}

// updateNow changes the vault through the window and returns the error.
func updateNow(w *mainWindow, change func(*vault.Vault) error) error {
	var result error
	w.update(change, func(err error) { result = err })
	return result
}

// backupNow writes a backup through the backup panel and returns the error.
func backupNow(b *backupPanel, path string) error {
	var result error
	b.backupTo(path, func(err error) { result = err })
	return result
}
