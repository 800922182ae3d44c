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

	pass     *widget.Entry
	message  *widget.Label
	openBtn  *widget.Button
	progress *widget.ProgressBarInfinite
	dlg      *dialog.CustomDialog

	backup  *backup.Backup
	planDlg *planDialog // the preview, once the backup is open
}

func (b *backupPanel) onRestore() {
	if b.w.v == nil {
		return
	}
	b.w.openFile("Restore a backup", []string{backup.Ext}, func(path string) { b.restoreFrom(path) })
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
		b.w.showError(fmt.Errorf("cannot restore %s: %s", filepath.Base(path), backupWords(err)))
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
	w := r.b.w
	r.pass = &widget.Entry{Password: true, PlaceHolder: "Backup passphrase"}
	r.pass.OnSubmitted = func(string) { r.onOpen() }
	r.message = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	r.message.Hide()
	r.progress = widget.NewProgressBarInfinite()
	r.progress.Stop()
	r.progress.Hide()
	r.openBtn = &widget.Button{Text: "Open", Importance: widget.HighImportance, OnTapped: r.onOpen}
	cancel := &widget.Button{Text: "Cancel", OnTapped: func() { r.dlg.Hide() }}
	text := &widget.Label{Wrapping: fyne.TextWrapWord,
		Text: "Type the passphrase that was set when this backup was written. Nothing changes until you have seen what the restore would do."}
	file := &widget.Label{Text: filepath.Base(r.path), Truncation: fyne.TextTruncateEllipsis, TextStyle: fyne.TextStyle{Italic: true}}
	r.dlg = dialog.NewCustomWithoutButtons("Restore a backup", container.NewVBox(text, file, r.pass, r.message, r.progress), w.win)
	r.dlg.SetButtons([]fyne.CanvasObject{cancel, r.openBtn})
	w.showDialog(r.dlg, 440)
	w.enter = r.onOpen
	w.win.Canvas().Focus(r.pass)
}

// onOpen decrypts the backup with the passphrase typed, away from the
// window's goroutine (scrypt takes a moment), then shows the preview. A wrong
// passphrase says so and may be typed again.
func (r *restoreFlow) onOpen() {
	pass := r.pass.Text
	if pass == "" || r.openBtn.Disabled() {
		return
	}
	r.openBtn.Disable()
	r.pass.Disable()
	r.message.Hide()
	r.progress.Show()
	r.progress.Start()
	r.b.async(func() {
		bk, err := backup.Decode(r.data, pass)
		fyne.Do(func() {
			r.progress.Stop()
			r.progress.Hide()
			r.openBtn.Enable()
			r.pass.Enable()
			if err != nil {
				r.message.SetText(capitalize(backupWords(err)) + ".")
				r.message.Show()
				if errors.Is(err, backup.ErrWrongPassphrase) {
					r.pass.SetText("")
					r.b.w.win.Canvas().Focus(r.pass)
				}
				return
			}
			r.pass.SetText("")
			r.dlg.Hide()
			r.backup = bk
			r.preview()
		})
	})
}

// preview shows what restoring the backup would do.
func (r *restoreFlow) preview() {
	w, bk := r.b.w, r.backup
	if len(bk.Accounts) == 0 {
		w.showInfo("Restore a backup", "This backup holds no accounts: there is nothing to restore.")
		return
	}
	note := fmt.Sprintf("Backup of %s, written %s: %s.", cmpName(bk.Device.Name), when(bk.Created, w.now()),
		count(len(bk.Accounts), "account", "accounts"))
	if n := verifyCount(bk.Accounts); n > 0 {
		note += fmt.Sprintf(" %s bound to that computer %s without %s key.", count(n, "account", "accounts"),
			pick(n, "comes", "come"), pick(n, "its", "their"))
	}
	r.planDlg = w.showPlan(bk.Preview(w.v), planOptions{
		title:  "Restore a backup",
		action: "Restore",
		note:   note,
		apply:  r.apply,
	})
}

// apply restores the backup with merge m in one save, or not at all.
func (r *restoreFlow) apply(m vault.Merge) error {
	w := r.b.w
	var plan vault.Plan
	if err := w.update(func(v *vault.Vault) (err error) {
		plan, _, err = r.backup.Restore(v, m, w.now())
		return err
	}); err != nil {
		return err
	}
	w.search.SetText("")
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
	w.showResult(r.planDlg, "Restored", msg...)
	return nil
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
