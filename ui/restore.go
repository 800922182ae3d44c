package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"authdeck/backup"
	"authdeck/vault"
)

// restoreFlow restores a backup file: it checks the file, asks for the
// passphrase it was written under, previews in the plan dialog what the
// restore would do (new, already present, conflicting and needs-verification
// accounts), and restores under the vault's merge rule, all or nothing.
type restoreFlow struct {
	b    *backupPanel
	path string
	data []byte

	prompt  *passwordPrompt // asks for the passphrase
	backup  *backup.Backup
	planDlg *planDialog // the preview, once the backup is open
}

func (b *backupPanel) onRestore() {
	if b.vault.current() == nil {
		return
	}
	b.f.openFile("Restore a backup", []string{backup.Ext}, func(path string) { b.restoreFrom(path) })
}

// restoreFrom starts restoring the backup file at path: a file that cannot be
// a backup is refused before the passphrase is asked. It returns the flow, or
// nil when the file was refused.
func (b *backupPanel) restoreFrom(path string) *restoreFlow {
	data, err := readBackupFile(path)
	if err == nil {
		err = backup.Check(data)
	}
	if err != nil {
		b.f.showError(fmt.Errorf("cannot restore %s: %s", filepath.Base(path), backupWords(err)))
		return nil
	}
	r := &restoreFlow{b: b, path: path, data: data}
	r.askPassphrase()
	return r
}

// readBackupFile reads a file that should be a backup, up to a little more
// than the largest backup, so that a huge file is refused without filling
// memory.
func readBackupFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, backup.MaxSize+1))
}

func (r *restoreFlow) askPassphrase() {
	r.prompt = r.b.f.askPassword(r.b.sess, passwordRequest{
		title:       "Restore a backup",
		text:        "Type the passphrase that was set when this backup was written. Nothing changes until you have seen what the restore would do.",
		file:        r.path,
		placeHolder: "Backup passphrase",
		wrong:       backup.ErrWrongPassphrase,
		open: func(pass string) (err error) {
			r.backup, err = backup.Decode(r.data, pass)
			return err
		},
		opened: r.preview,
	})
}

// preview shows what restoring the backup would do.
func (r *restoreFlow) preview() {
	f, bk := r.b.f, r.backup
	if len(bk.Accounts) == 0 {
		f.showInfo("Restore a backup", "This backup holds no accounts: there is nothing to restore.")
		return
	}
	note := fmt.Sprintf("Backup of %s, written %s: %s.", cmpName(bk.Device.Name), when(bk.Created, f.now()),
		count(len(bk.Accounts), "account", "accounts"))
	if n := verifyCount(bk.Accounts); n > 0 {
		note += fmt.Sprintf(" %s bound to that computer %s without %s key.", count(n, "account", "accounts"),
			pick(n, "comes", "come"), pick(n, "its", "their"))
	}
	local := r.b.vault.current()
	r.planDlg = f.showPlan(local, bk.Preview(local), planOptions{
		title:  "Restore a backup",
		action: "Restore",
		note:   note,
		apply:  r.apply,
	})
}

// apply restores the backup with merge m in one save, or not at all.
func (r *restoreFlow) apply(m vault.Merge, done func(error)) {
	var plan vault.Plan
	r.b.vault.update(func(v *vault.Vault) (err error) {
		plan, _, err = r.backup.Restore(v, m, r.b.f.now())
		return err
	}, func(err error) {
		if err == nil {
			r.restored(plan, m)
		}
		done(err)
	})
}

// restored says what a restore did.
func (r *restoreFlow) restored(plan vault.Plan, m vault.Merge) {
	r.b.vault.showAll()
	msg := []string{planResult(&plan, m) + "."}
	var added []vault.Account
	for _, it := range plan.Items {
		if it.Disposition == vault.New {
			added = append(added, it.Account)
		}
	}
	if n := verifyCount(added); n > 0 {
		msg = append(msg, fmt.Sprintf("%s %s verification: %s bound to the computer that wrote the backup. "+
			"Complete %s with a fresh QR code or setup link from the provider.",
			count(n, "account", "accounts"), pick(n, "needs", "need"), pick(n, "it was", "they were"), pick(n, "it", "each")))
	}
	r.b.f.showResult(r.planDlg, "Restored", msg...)
}

// verifyCount returns how many of accounts need verification.
func verifyCount(accounts []vault.Account) int {
	n := 0
	for _, a := range accounts {
		if a.NeedsVerification {
			n++
		}
	}
	return n
}

// cmpName quotes a device name, or says "another computer" for none.
func cmpName(name string) string {
	if name == "" {
		return "another computer"
	}
	return "“" + name + "”"
}

// passwordRequest says what a password prompt asks for and what it opens.
type passwordRequest struct {
	title, text string
	file        string // the path of the file it opens
	placeHolder string
	// wrong is the error that means the password is wrong: it empties the
	// field for another try.
	wrong error
	// open tries a password, away from the window's goroutine; opened runs
	// on it once open succeeded.
	open   func(pass string) error
	opened func()
}

// passwordPrompt asks for the passphrase or password of a file: a backup or
// an encrypted export. It tries it away from the window's goroutine (the
// key derivation takes a moment), says in the dialog what is wrong, and lets
// the user type again.
type passwordPrompt struct {
	f    *frame
	sess *session // tries the password on its worker
	req  passwordRequest

	pass     *entry
	message  *widget.Label
	openBtn  *widget.Button
	progress *widget.ProgressBarInfinite
	dlg      *dialog.CustomDialog
}

func (f *frame) askPassword(sess *session, req passwordRequest) *passwordPrompt {
	p := &passwordPrompt{f: f, sess: sess, req: req}
	p.pass = f.newEntry(entryOptions{Password: true, PlaceHolder: req.placeHolder})
	p.pass.OnSubmitted = func(string) { p.onOpen() }
	p.message = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	p.message.Hide()
	p.progress = widget.NewProgressBarInfinite()
	p.progress.Stop()
	p.progress.Hide()
	p.openBtn = &widget.Button{Text: "Open", Importance: widget.HighImportance, OnTapped: p.onOpen}
	cancel := &widget.Button{Text: "Cancel", OnTapped: func() { p.dlg.Hide() }}
	text := &widget.Label{Wrapping: fyne.TextWrapWord, Text: req.text}
	file := &widget.Label{Text: filepath.Base(req.file), Truncation: fyne.TextTruncateEllipsis, TextStyle: fyne.TextStyle{Italic: true}}
	p.dlg = dialog.NewCustomWithoutButtons(req.title, container.NewVBox(text, file, p.pass, p.message, p.progress), f.win)
	p.dlg.SetButtons([]fyne.CanvasObject{cancel, p.openBtn})
	f.showDialog(p.dlg, 440)
	f.dialogs.setEnter(p.dlg, p.onOpen)
	f.win.Canvas().Focus(p.pass)
	return p
}

func (p *passwordPrompt) onOpen() {
	pass := p.pass.Text
	if pass == "" || p.openBtn.Disabled() {
		return
	}
	p.openBtn.Disable()
	p.pass.Disable()
	p.message.Hide()
	p.progress.Show()
	p.progress.Start()
	var err error
	p.sess.run(func() { err = p.req.open(pass) }, func() {
		p.progress.Stop()
		p.progress.Hide()
		p.openBtn.Enable()
		p.pass.Enable()
		if err != nil {
			p.message.SetText(capitalize(backupWords(err)) + ".")
			p.message.Show()
			if errors.Is(err, p.req.wrong) {
				p.pass.SetText("")
				p.f.win.Canvas().Focus(p.pass)
			}
			return
		}
		p.pass.SetText("")
		p.dlg.Hide()
		p.req.opened()
	})
}
