package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	authsync "authdeck/sync"
	"authdeck/vault"
)

// TestSyncSetupWatchAndTrash sets up a sync in the window's dialog, lets
// another computer join and add an account, and checks that the window's
// watch sees the file land within 2 s and that the merge shows the account;
// then Recently deleted brings back a deleted account.
func TestSyncSetupWatchAndTrash(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	s := w.syncs
	s.workFactor = 10
	landed := make(chan struct{}, 100)
	s.landed = func() { landed <- struct{}{} }
	t.Cleanup(func() {
		if s.watcher != nil {
			s.watcher.Close()
		}
	})
	if s.summary() != "Sync is off" {
		t.Errorf("summary %q", s.summary())
	}

	dir := t.TempDir()
	s.showDialog(true)
	d := s.joinDlg
	d.dir = dir
	test.Type(d.pass, "correct horse battery")
	if !d.okBtn.Disabled() {
		t.Error("set up is possible before the passphrase is typed twice")
	}
	test.Type(d.again, "correct horse battery")
	if d.okBtn.Disabled() {
		t.Fatal("set up stays disabled with a folder and the passphrase twice")
	}
	test.Tap(d.okBtn)
	if !w.v.Sync.On() || w.v.Sync.Dir != dir {
		t.Fatalf("sync is not on after the dialog: %+v; message %q", w.v.Sync.Dir, d.message.Text)
	}
	drain(landed)

	// Another computer joins and adds an account.
	other := vault.NewStore(t.TempDir(), vault.Options{})
	t.Cleanup(func() { vault.OSKeychain{}.Delete(vault.KeychainService, "vault "+other.Dir()) })
	if _, err := other.Update(func(v *vault.Vault) error {
		a, _ := vault.ParseURI("otpauth://totp/Proton:carol?secret=KRUGS4ZANFZSAYJA")
		_, err := v.Apply(v.Plan([]vault.Account{a}), vault.RefuseConflicts, testNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	landedAt := time.Now()
	if _, err := authsync.Join(other, dir, "correct horse battery", testNow); err != nil {
		t.Fatal(err)
	}
	select {
	case <-landed:
	case <-time.After(2 * time.Second):
		t.Fatal("the window did not see the other computer's file land within 2 s")
	}
	t.Logf("the watch saw the file %v after the join began", time.Since(landedAt))
	s.merge(false)
	if !strings.Contains(w.note.Text, "1 added") || w.v.Match("Proton") == nil {
		t.Errorf("after the merge: note %q, accounts %v", w.note.Text, w.v.Accounts)
	}
	if !strings.HasPrefix(s.summary(), "Syncing with 1 other computer") {
		t.Errorf("summary %q", s.summary())
	}

	// Recently deleted.
	id := w.v.Accounts[0].ID
	if err := updateNow(w, func(v *vault.Vault) error { _, err := v.Remove(id); return err }); err != nil {
		t.Fatal(err)
	}
	s.showTrash()
	if len(s.trashDlg.restore) != 1 {
		t.Fatalf("Recently deleted shows %d accounts, want 1", len(s.trashDlg.restore))
	}
	test.Tap(s.trashDlg.restore[0])
	if w.v.Index(id) < 0 || len(w.v.Trash) != 0 {
		t.Errorf("the restore did not bring the account back: trash %v", w.v.Trash)
	}
}

func drain(c chan struct{}) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}
