package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"authdeck/backup"
	"authdeck/vault"
)

// writeTestBackup writes a backup of another computer's vault holding
// accounts, under testPassphrase, and returns its path.
func writeTestBackup(t *testing.T, accounts ...vault.Account) string {
	t.Helper()
	store := vault.NewStore(t.TempDir(), vault.Options{})
	v, err := store.Update(func(v *vault.Vault) error {
		if _, err := v.Apply(v.Plan(accounts), vault.RefuseConflicts, testNow); err != nil {
			return err
		}
		return backup.SetPassphrase(&v.Backup, testPassphrase, 10)
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old"+backup.Ext)
	if err := backup.WriteFile(path, v, testNow); err != nil {
		t.Fatal(err)
	}
	return path
}

func mustParse(t *testing.T, uri string) vault.Account {
	t.Helper()
	a, err := vault.ParseURI(uri)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestRestoreFlow(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	bound := mustParse(t, "otpauth://totp/Bank:dave?secret=ONSWG4TFORSGC5DB&issuer=Bank")
	bound.Binding = vault.DeviceBound
	path := writeTestBackup(t,
		mustParse(t, testURIs[0]), // GitHub, the same secret: already present
		mustParse(t, "otpauth://totp/Google:alice.smith@gmail.com?secret=GEZDGNBVGY3TQOJZ&issuer=Google"), // another secret: a conflict
		mustParse(t, "otpauth://totp/Fresh:bob?secret=MFRGGZDFMZTWQ2LM&issuer=Fresh"),
		bound,
	)
	before := mustRead(t, w.sess.store.Path())

	// A file that is not a backup is refused before the passphrase is asked.
	other := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(other, []byte("hello"), 0o600)
	if r := w.backups.restoreFrom(other); r != nil {
		t.Error("a text file was taken for a backup")
	}

	r := w.backups.restoreFrom(path)
	if r == nil {
		t.Fatal("the backup was refused")
	}
	test.Type(r.prompt.pass, "wrong passphrase")
	test.Tap(r.prompt.openBtn)
	if !r.prompt.message.Visible() || !strings.Contains(r.prompt.message.Text, "not the passphrase") || r.planDlg != nil {
		t.Fatalf("a wrong passphrase: message %q", r.prompt.message.Text)
	}
	if !slices.Equal(mustRead(t, w.sess.store.Path()), before) {
		t.Fatal("a wrong passphrase changed the vault")
	}

	test.Type(r.prompt.pass, testPassphrase)
	r.prompt.pass.OnSubmitted(r.prompt.pass.Text) // Enter opens
	p := r.planDlg
	if p == nil {
		t.Fatalf("no preview after the right passphrase: %q", r.prompt.message.Text)
	}
	if p.totals.Text != "New 2, already present 1, conflicts 1, invalid 0" {
		t.Errorf("preview totals = %q", p.totals.Text)
	}
	if !strings.Contains(p.note.Text, "written today at ") || !strings.Contains(p.note.Text, "1 account bound to that computer") {
		t.Errorf("preview note = %q", p.note.Text)
	}
	var words []string
	for _, wd := range p.words {
		words = append(words, wd[0]+" — "+wd[1])
	}
	if got := strings.Join(words, "\n"); !strings.Contains(got, "Bank: dave — new, needs verification") ||
		!strings.Contains(got, "Google: alice.smith@gmail.com — conflict") {
		t.Errorf("preview lines:\n%s", got)
	}
	// A conflict refuses the restore until the user chooses to skip it.
	if !p.actionBtn.Disabled() {
		t.Fatal("Restore is enabled with a conflict undecided")
	}
	if !slices.Equal(mustRead(t, w.sess.store.Path()), before) {
		t.Fatal("the preview changed the vault")
	}
	p.conflicts.SetSelected(skipConflictsChoice)
	test.Tap(p.actionBtn)

	v, err := vault.NewStore(w.sess.store.Dir(), vault.Options{}).Load()
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, a := range v.Accounts {
		labels = append(labels, a.Label())
	}
	if len(v.Accounts) != 6 || !slices.Contains(labels, "Fresh: bob") || !slices.Contains(labels, "Bank: dave") {
		t.Fatalf("after the restore: %q", labels)
	}
	google, _ := w.v.Account(w.v.Accounts[1].ID)
	if want := mustParse(t, testURIs[1]); string(google.Secret) != string(want.Secret) {
		t.Error("the restore overwrote the local Google account")
	}
	if got := overlayText(w); !strings.Contains(got, "Added 2, already present 1, conflicts 1 (skipped), invalid 0.") ||
		!strings.Contains(got, "1 account needs verification") {
		t.Errorf("after the restore the window says:\n%s", got)
	}
	// The device-bound account is a tile that needs verification.
	tl := tileAt(t, w, 5)
	if w.account(5).Label() != "Bank: dave" || !tl.completeBtn.Visible() || !strings.Contains(tl.codeText.Text, "verification") {
		t.Errorf("the restored device-bound account's tile shows %q", tl.codeText.Text)
	}
}

func TestRestoreRefusesDamagedBackup(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	path := writeTestBackup(t, mustParse(t, "otpauth://totp/Fresh:bob?secret=MFRGGZDFMZTWQ2LM&issuer=Fresh"))
	data := mustRead(t, path)
	data[len(data)/2] ^= 1
	os.WriteFile(path, data, 0o600)
	r := w.backups.restoreFrom(path)
	if r == nil {
		return // the envelope showed the damage already
	}
	test.Type(r.prompt.pass, testPassphrase)
	test.Tap(r.prompt.openBtn)
	if r.planDlg != nil || !strings.Contains(r.prompt.message.Text, "damaged") {
		t.Errorf("a damaged backup: message %q", r.prompt.message.Text)
	}
	if got := saved(t, w); len(got) != 4 {
		t.Errorf("a damaged backup changed the vault: %q", got)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestRestoreOnFirstRun(t *testing.T) {
	w := newBackupWindow(t)
	path := writeTestBackup(t, mustParse(t, testURIs[0]), mustParse(t, testURIs[2]))
	r := w.backups.restoreFrom(path)
	test.Type(r.prompt.pass, testPassphrase)
	test.Tap(r.prompt.openBtn)
	if r.planDlg == nil || r.planDlg.actionBtn.Disabled() {
		t.Fatalf("no restore offered on an empty vault: %q", r.prompt.message.Text)
	}
	r.planDlg.onEnter()
	if got := saved(t, w); !slices.Equal(got, []string{"GitHub", "Dropbox"}) {
		t.Errorf("after restoring on first run: %q, want the backup's accounts in its order", got)
	}
	if !w.tileArea.Visible() || w.empty.Visible() {
		t.Error("the tiles do not replace the first-run screen")
	}
}
