package ui

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"authdeck/vault"
)

// planFixture is what a scan or an import might bring into a window holding
// testURIs: one new account, one already present, one conflict and one
// invalid.
func planFixture(t *testing.T) []vault.Account {
	t.Helper()
	var in []vault.Account
	for _, u := range []string{
		"otpauth://totp/Mastodon:dan?secret=ONSWG4TFORZWK3DM&issuer=Mastodon",
		testURIs[0], // GitHub, same secret
		"otpauth://totp/Google:alice.smith@gmail.com?secret=NBSWY3DPO5XXE3DE&issuer=Google",
	} {
		a, err := vault.ParseURI(u)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, a)
	}
	return append(in, vault.Account{Issuer: "Broken", Name: "x", Type: vault.TOTP})
}

func TestPlanDialogShowsDispositionsAndGuardsConflicts(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	in := planFixture(t)
	before, err := os.ReadFile(w.sess.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	open := func() *planDialog {
		return w.showPlan(w.v, w.v.Plan(in), planOptions{
			title: "Add from QR code", action: "Add", keepBoth: true,
			apply: func(m vault.Merge, done func(error)) { w.addAccounts(in, m, done) },
		})
	}
	d := open()
	for i, want := range []string{"new", "already present, skipped", "conflict: same issuer and name", "invalid: "} {
		if !strings.HasPrefix(d.words[i][1], want) {
			t.Errorf("item %d (%s) reads %q, want it to start with %q", i, d.words[i][0], d.words[i][1], want)
		}
	}
	if d.words[0][0] != "Mastodon: dan" {
		t.Errorf("the first item is labelled %q", d.words[0][0])
	}
	if want := "New 1, already present 1, conflicts 1, invalid 1"; d.totals.Text != want {
		t.Errorf("totals %q, want %q", d.totals.Text, want)
	}
	if d.conflicts == nil || !d.actionBtn.Disabled() || !d.message.Visible() {
		t.Fatal("a conflict does not hold the Add button back until the user chooses")
	}

	// Enter does nothing while the button is disabled; Escape cancels.
	c := w.win.Canvas()
	pressKey(w, fyne.KeyReturn)
	if c.Overlays().Top() == nil || !slices.Equal(saved(t, w), []string{"GitHub", "Google", "Dropbox", "Bank"}) {
		t.Fatal("Enter added despite the conflict")
	}
	pressKey(w, fyne.KeyEscape)
	if c.Overlays().Top() != nil {
		t.Error("Escape left the plan dialog open")
	}
	d = open()
	test.Tap(d.cancelBtn)
	after, err := os.ReadFile(w.sess.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatal("cancelling the plan changed the vault file")
	}

	// Skipping the conflicts adds the new account only.
	d = open()
	d.conflicts.SetSelected(skipConflictsChoice)
	if d.actionBtn.Disabled() {
		t.Fatal("Add stays disabled after choosing to skip the conflicts")
	}
	pressKey(w, fyne.KeyReturn)
	if c.Overlays().Top() != nil {
		t.Error("the plan dialog stayed open after Enter added")
	}
	got := saved(t, w)
	if want := []string{"GitHub", "Google", "Dropbox", "Bank", "Mastodon"}; !slices.Equal(got, want) {
		t.Errorf("the vault holds %v, want %v", got, want)
	}
	if !strings.HasPrefix(w.note.Text, "Added 1, already present 1, conflicts 1 (skipped), invalid 1") {
		t.Errorf("the status line says %q", w.note.Text)
	}
}

func TestPlanDialogKeepBothAndNothingToAdd(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	in := planFixture(t)[1:3] // present and conflict
	d := w.showPlan(w.v, w.v.Plan(in), planOptions{title: "Import", action: "Import", keepBoth: true,
		apply: func(m vault.Merge, done func(error)) { w.addAccounts(in, m, done) }})
	d.conflicts.SetSelected(skipConflictsChoice)
	if !d.actionBtn.Disabled() || !strings.Contains(d.message.Text, "nothing to import") {
		t.Errorf("skipping the only new-ish account leaves Import enabled, message %q", d.message.Text)
	}
	d.conflicts.SetSelected(keepBothChoice)
	if d.actionBtn.Disabled() {
		t.Fatal("Keep both does not enable Import")
	}
	test.Tap(d.actionBtn)
	if got := saved(t, w); len(got) != 5 || got[4] != "Google" {
		t.Errorf("after keeping both the vault holds %v", got)
	}
}

func TestPlanDialogWithoutKeepBoth(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	in := planFixture(t)
	d := w.showPlan(w.v, w.v.Plan(in), planOptions{title: "Restore", action: "Restore",
		apply: func(_ vault.Merge, done func(error)) { done(nil) }})
	if len(d.conflicts.Options) != 1 || d.conflicts.Options[0] != skipConflictsChoice {
		t.Errorf("conflict choices %v without keepBoth", d.conflicts.Options)
	}
}

// pressKey types a key on the window's canvas with nothing focused, as a
// user does over a dialog.
func pressKey(w *mainWindow, key fyne.KeyName) {
	c := w.win.Canvas()
	c.Unfocus()
	c.OnTypedKey()(&fyne.KeyEvent{Name: key})
}
