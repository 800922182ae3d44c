package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"authdeck/scan"
	"authdeck/vault"
)

func TestIsLink(t *testing.T) {
	for s, want := range map[string]bool{
		"otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP":    true,
		"OTPAUTH://totp/A:b?secret=JBSWY3DPEHPK3PXP":    true,
		"otpauth-migration://offline?data=CjEKCkhlbGxv": true,
		"list":                  false,
		"--help":                false,
		"https://example.com/":  false,
		"otpauth:/totp/missing": false,
	} {
		if got := IsLink(s); got != want {
			t.Errorf("IsLink(%q) = %v", s, got)
		}
	}
}

func TestLinkOpensTheAddPreviewAndSavesNothing(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	link := "otpauth://totp/Example:jo@example.com?secret=KRUGS4ZANFZSAYLTMVRXEZLU&issuer=Example"
	w.openLink(link)
	d := w.addDlg
	if d == nil || d.issuer.Text != "Example" || d.name.Text != "jo@example.com" || d.addBtn.Disabled() {
		t.Fatalf("the add preview does not show the link's account: %+v", d)
	}
	if v, _ := vault.NewStore(w.sess.store.Dir(), vault.Options{}).Load(); len(v.Accounts) != len(testURIs) {
		t.Fatal("the link saved an account before it was confirmed")
	}
	d.onAdd(vault.RefuseConflicts)
	if v, _ := vault.NewStore(w.sess.store.Dir(), vault.Options{}).Load(); len(v.Accounts) != len(testURIs)+1 {
		t.Fatal("confirming did not add the account")
	}

	// A malformed link says why, and offers nothing to add.
	w.openLink("otpauth://totp/Broken?secret=not-base32!")
	if d := w.addDlg; !d.addBtn.Disabled() || d.message.Text == "" || !d.message.Visible() {
		t.Fatalf("a malformed link: message %q, add enabled %v", d.message.Text, !d.addBtn.Disabled())
	}
}

func TestMigrationLinkShowsItsAccounts(t *testing.T) {
	w := newTestWindow(t)
	acc, err := vault.ParseURI(testURIs[0])
	if err != nil {
		t.Fatal(err)
	}
	w.openLink(scan.EncodeMigration([]vault.Account{acc}, 10)[0])
	if w.scanner.plan == nil {
		t.Fatalf("no preview of the transfer (said %q)", w.scanner.said)
	}
	if v, _ := vault.NewStore(w.sess.store.Dir(), vault.Options{}).Load(); len(v.Accounts) != 0 {
		t.Fatal("the transfer link saved accounts before it was confirmed")
	}
	w.scanner.plan.dlg.Hide()
	w.openLink("otpauth-migration://offline?data=%%%")
	if !strings.Contains(w.scanner.said, "Nothing was changed") {
		t.Errorf("a malformed transfer link: %q", w.scanner.said)
	}
}

func TestLinkWaitsWhileLocked(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	w.lockNow()
	w.openLink("otpauth://totp/Example:jo?secret=GEZDGNBVGY3TQOJQ&issuer=Example")
	if w.win.Canvas().Overlays().Top() != nil {
		t.Fatal("a link opened a dialog over the lock screen")
	}
	test.Tap(w.lock.action)
	if w.addDlg == nil || w.addDlg.issuer.Text != "Example" || w.link != "" {
		t.Fatal("the link did not open after unlocking")
	}
}

func TestInstanceHandsOverTheLink(t *testing.T) {
	dir := t.TempDir()
	got := make(chan string, 2)
	stop, err := listenForShow(dir, func(link string) { got <- link })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := notifyRunning(dir, ""); err != nil || <-got != "" {
		t.Fatal("a plain second start did not raise the window", err)
	}
	link := "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP"
	if err := notifyRunning(dir, link); err != nil {
		t.Fatal(err)
	}
	if l := <-got; l != link {
		t.Fatalf("the window got %q", l)
	}
	if err := notifyRunning(dir, "otpauth://x\nshow"); err == nil {
		t.Error("a link with a newline was sent")
	}
}
