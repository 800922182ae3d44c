package ui

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"authdeck/scan"
	"authdeck/transfer"
	"authdeck/vault"
)

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportURIListWithConflict(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	path := writeTemp(t, "bitwarden.txt", []byte(strings.Join([]string{
		"otpauth://totp/GitHub:alice@example.com?secret=GEZDGNBVGY3TQOJR&issuer=GitHub", // another secret: a conflict
		"otpauth://totp/New:xavier?secret=MFRGGZDFMZTWQ2LL&issuer=New",
		testURIs[1], // Google, already present
		"otpauth://totp/Bad:yves?secret=nope!&issuer=Bad",
	}, "\n")))
	before := mustRead(t, w.sess.store.Path())
	f := w.importFrom(path)
	if f == nil || f.planDlg == nil {
		t.Fatal("no preview of the import")
	}
	p := f.planDlg
	if p.totals.Text != "New 1, already present 1, conflicts 1, invalid 1" {
		t.Errorf("import totals = %q", p.totals.Text)
	}
	if !strings.Contains(p.words[3][1], "invalid: ") || !strings.Contains(p.words[3][1], "base32") {
		t.Errorf("the invalid entry says %q, want the reason", p.words[3][1])
	}
	if !p.actionBtn.Disabled() || !strings.Contains(p.message.Text, "Nothing is overwritten") {
		t.Errorf("a conflict does not refuse the import: %q", p.message.Text)
	}
	p.onEnter() // Enter does nothing while it is refused
	if !slices.Equal(mustRead(t, w.sess.store.Path()), before) {
		t.Fatal("a refused import changed the vault")
	}
	p.conflicts.SetSelected(skipConflictsChoice)
	test.Tap(p.actionBtn)
	if got := saved(t, w); len(got) != 5 || got[4] != "New" {
		t.Errorf("after importing the rest: %q", got)
	}
	if got := overlayText(w); !strings.Contains(got, "Added 1, already present 1, conflicts 1 (skipped), invalid 1.") {
		t.Errorf("after the import the window says:\n%s", got)
	}
}

// twofasEncrypted returns an encrypted 2FAS backup (schema 4) of services,
// with a reference, as the 2FAS app writes it.
func twofasEncrypted(t *testing.T, password string, services any) []byte {
	t.Helper()
	seal := func(plain []byte, salt, iv string) string {
		key, err := pbkdf2.Key(sha256.New, password, []byte(salt), 10_000, 32)
		if err != nil {
			t.Fatal(err)
		}
		block, _ := aes.NewCipher(key)
		aead, _ := cipher.NewGCM(block)
		b64 := base64.StdEncoding.EncodeToString
		return b64(aead.Seal(nil, []byte(iv), plain, nil)) + ":" + b64([]byte(salt)) + ":" + b64([]byte(iv))
	}
	plain, err := json.Marshal(services)
	if err != nil {
		t.Fatal(err)
	}
	file, _ := json.Marshal(map[string]any{
		"schemaVersion":     4,
		"services":          []any{},
		"servicesEncrypted": seal(plain, "salt-of-the-services", "iv-12-bytes!"),
		"reference":         seal([]byte("tRViSsLKzd86Hprh4ceC2OP7xazn4rrt4xhfEUbOjxLX8Rc3mkISXE0lWbmnWfggogbBJhtYgpK6fMl1D6mtsy92R3HkdGfwuXbzLebqVFJsR7IZ2w58t938iymwG4824igYy1wi6n2WDpO1Q1P69zwJGs2F5a1qP4MyIiDSD7NCV2OvidXQCBnDlGfmz0f1BQySRkkt4ryiJeCjD2o4QsveJ9uDBUn8ELyOrESv5R5DMDkD4iAF8TqOiGnH2cvd"), "salt-of-the-referenc", "iv-12-bytes?"),
	})
	return file
}

func TestImportEncryptedAsksPasswordAgain(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	service := map[string]any{
		"name":   "Mastodon",
		"secret": "JBSWY3DPEHPK3PXQ",
		"otp":    map[string]any{"account": "erin", "issuer": "Mastodon", "digits": 6, "period": 30, "algorithm": "SHA1", "tokenType": "TOTP"},
	}
	path := writeTemp(t, "backup.2fas", twofasEncrypted(t, "open sesame", []any{service}))
	f := w.importFrom(path)
	if f == nil || f.prompt == nil || f.planDlg != nil {
		t.Fatal("an encrypted 2FAS backup did not ask for its password")
	}
	test.Type(f.prompt.pass, "wrong")
	test.Tap(f.prompt.openBtn)
	if !f.prompt.message.Visible() || !strings.Contains(f.prompt.message.Text, "password does not open") || f.planDlg != nil {
		t.Fatalf("a wrong password says %q", f.prompt.message.Text)
	}
	test.Type(f.prompt.pass, "open sesame")
	f.prompt.pass.OnSubmitted(f.prompt.pass.Text)
	if f.planDlg == nil {
		t.Fatalf("no preview after the right password: %q", f.prompt.message.Text)
	}
	if !strings.HasPrefix(f.planDlg.totals.Text, "New 1, already present 0") || f.format != transfer.FormatTwoFAS {
		t.Errorf("preview: %q", f.planDlg.totals.Text)
	}
	f.planDlg.onEnter()
	if got := saved(t, w); len(got) != 5 || got[4] != "Mastodon" {
		t.Errorf("after the import: %q", got)
	}
}

// TestImportSeveralFiles imports a URI list, an encrypted 2FAS backup and
// an Aegis vault in one go: the password is asked for once, for the 2FAS
// backup, and one preview shows the accounts of all three, naming the file
// of the entry that cannot be used.
func TestImportSeveralFiles(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	list := writeTemp(t, "list.txt", []byte("otpauth://totp/New:xavier?secret=MFRGGZDFMZTWQ2LL&digits=4\nhello\n"))
	service := map[string]any{"name": "Mastodon", "secret": "JBSWY3DPEHPK3PXQ",
		"otp": map[string]any{"account": "erin", "issuer": "Mastodon", "digits": 9, "period": 30, "algorithm": "SHA1", "tokenType": "TOTP"}}
	twofas := writeTemp(t, "backup.2fas", twofasEncrypted(t, "open sesame", []any{service}))
	ten, err := vault.ParseURI("otpauth://hotp/Ten:yves?secret=KRUGS4ZANFZSAYJA&digits=10&counter=3")
	if err != nil {
		t.Fatal(err)
	}
	data, _, err := transfer.ExportAccounts([]vault.Account{ten}, transfer.FormatAegis)
	if err != nil {
		t.Fatal(err)
	}
	aegis := writeTemp(t, "aegis.json", data)

	f := w.importFiles([]string{list, twofas, aegis})
	if f == nil || f.prompt == nil || f.planDlg != nil {
		t.Fatal("the encrypted 2FAS backup did not ask for its password")
	}
	test.Type(f.prompt.pass, "open sesame")
	f.prompt.pass.OnSubmitted(f.prompt.pass.Text)
	if f.planDlg == nil {
		t.Fatalf("no preview after the password: %q", f.prompt.message.Text)
	}
	p := f.planDlg
	if p.totals.Text != "New 3, already present 0, conflicts 0, invalid 1" {
		t.Errorf("totals %q", p.totals.Text)
	}
	if got := p.words[1][1]; !strings.Contains(got, "list.txt, line 2: not an account") {
		t.Errorf("the invalid entry says %q, want its file and line", got)
	}
	if !strings.Contains(overlayText(w), "Import from 3 files") {
		t.Errorf("the preview is not titled for three files:\n%s", overlayText(w))
	}
	p.onEnter()
	got := saved(t, w)
	if len(got) != 7 || got[4] != "New" || got[5] != "Mastodon" || got[6] != "Ten" {
		t.Fatalf("after the import: %q", got)
	}
	for _, a := range w.v.Accounts[4:] {
		if want := map[string]int{"New": 4, "Mastodon": 9, "Ten": 10}[a.Issuer]; a.Digits != want {
			t.Errorf("%s: %d digits, want %d", a.Label(), a.Digits, want)
		}
	}
}

// TestDropExports drops two exports onto the window: they come in as one
// import, not as images.
func TestDropExports(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	a := writeTemp(t, "a.txt", []byte("otpauth://totp/New:xavier?secret=MFRGGZDFMZTWQ2LL\n"))
	b := writeTemp(t, "b.txt", []byte("QR-Code:otpauth://totp/Other:zoe?secret=MFRGGZDFMZTWQ2LM\n"))
	w.scanner.onDropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(a), storage.NewFileURI(b)})
	if got := overlayText(w); !strings.Contains(got, "Import from 2 files") || !strings.Contains(got, "New 2, already present 0") {
		t.Errorf("after the drop the window shows:\n%s", got)
	}
	if exportFiles([]fyne.URI{storage.NewFileURI(writeTemp(t, "shot.png", []byte("x")))}) != nil {
		t.Error("an image dropped alone is taken for an export")
	}
}

func TestImportRefusesUnknownFile(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	if f := w.importFrom(writeTemp(t, "notes.txt", []byte("shopping list\n"))); f != nil {
		t.Error("a text file without accounts was taken for an export")
	}
	if top := w.win.Canvas().Overlays().Top(); top == nil {
		t.Error("no message for a file that cannot be imported")
	}
	if got := saved(t, w); len(got) != 4 {
		t.Errorf("the vault changed: %q", got)
	}
}

func TestExportLeavesOutDeviceBound(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	bound := mustParse(t, "otpauth://totp/Bank:dave?secret=ONSWG4TFORSGC5DB&issuer=Bank")
	bound.Binding = vault.DeviceBound
	if err := updateNow(w, func(v *vault.Vault) error {
		_, err := v.Apply(v.Plan([]vault.Account{bound}), vault.RefuseConflicts, testNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	d := w.showExport()
	if !strings.Contains(d.leftOut.Text, "bound to this device: Bank: dave") || !d.leftOut.Visible() {
		t.Errorf("the export dialog lists as left out: %q", d.leftOut.Text)
	}
	for _, c := range exportChoices {
		path := filepath.Join(t.TempDir(), "export"+c.ext)
		password := ""
		if c.encrypted {
			password = "öpen sesame"
		}
		d.exportTo(path, c.format, password)
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v, %v; want mode 0600", c.format, fi, err)
		}
		data := mustRead(t, path)
		if strings.Contains(string(data), "dave") || strings.Contains(string(data), "ONSWG4TFORSGC5DB") {
			t.Errorf("the %s export holds the device-bound account", c.format)
		}
		for _, uri := range testURIs {
			secret := uri[strings.Index(uri, "secret=")+7:][:16]
			if strings.Contains(string(data), secret) != !c.encrypted {
				t.Errorf("%s: secret %s in the file: %v", c.label, secret, !c.encrypted)
			}
		}
		// It reads back: the same portable accounts.
		im, err := transfer.ImportAccounts(data, transfer.FormatAuto, func() (string, error) { return password, nil })
		if err != nil || len(im.Accounts()) != 4 {
			t.Errorf("the %s export reads back as %v, %v", c.label, im, err)
		}
		if got := overlayText(w); !strings.Contains(got, "Wrote 4 accounts") || strings.Contains(got, "plain text") == c.encrypted {
			t.Errorf("%s: the window says\n%s", c.label, got)
		}
	}
}

// TestExportEncryptedAegis chooses the encrypted Aegis vault in the export
// dialog: the password fields open, the plain-text warning goes, and two
// passwords that differ write nothing.
func TestExportEncryptedAegis(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	d := w.showExport()
	if !d.pass.Disabled() || !strings.Contains(d.warning.Text, "plain text") {
		t.Error("the URI list asks for a password or does not warn")
	}
	d.format.SetSelected(exportChoices[1].label)
	if d.pass.Disabled() || d.confirm.Disabled() || strings.Contains(d.warning.Text, "plain text") {
		t.Errorf("the encrypted export: password fields disabled, or it says %q", d.warning.Text)
	}
	test.Type(d.pass, "one")
	test.Type(d.confirm, "two")
	d.onSave(true)
	if got := overlayText(w); !strings.Contains(got, "The two passwords differ; nothing was written") {
		t.Errorf("two passwords that differ: the window says\n%s", got)
	}
}

func TestImportGoogleTransferText(t *testing.T) {
	w := newBackupWindow(t, testURIs...)
	in := []vault.Account{
		mustParse(t, "otpauth://totp/Slack:frank?secret=KRUGKIDROVUWG2ZA&issuer=Slack"),
		mustParse(t, testURIs[0]),
	}
	path := writeTemp(t, "google.txt", []byte(strings.Join(scan.EncodeMigration(in, 10), "\n")+"\n"))
	w.importFrom(path)
	p := w.scanner.plan
	if p == nil {
		t.Fatal("no preview of a Google Authenticator transfer")
	}
	if p.totals.Text != "New 1, already present 1, conflicts 0, invalid 0" {
		t.Errorf("totals = %q", p.totals.Text)
	}
	test.Tap(p.actionBtn)
	if got := saved(t, w); len(got) != 5 || got[4] != "Slack" {
		t.Errorf("after the import: %q", got)
	}
}
