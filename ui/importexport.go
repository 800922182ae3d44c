package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"authdeck/transfer"
	"authdeck/vault"
)

// importFlow brings in the accounts of other apps' exports, one file or
// several in one go: it recognises each file's format, asks for the password
// of each encrypted file in turn (a wrong one says so and may be typed
// again), previews the accounts of all the files in one plan dialog with the
// reason of every entry that cannot be used, and adds them under the vault's
// merge rule, all or nothing.
type importFlow struct {
	f     *frame
	sess  *session
	vault vaultView
	paths []string
	next  int // the index in paths of the file being read

	path   string // the file being read, its content and format
	data   []byte
	format transfer.Format

	formats []transfer.Format // of the files read
	prompt  *passwordPrompt   // asks for the password of an encrypted file
	entries []transfer.Entry
	planDlg *planDialog // the preview, once every file is read
}

func (w *mainWindow) onImport() {
	if w.v == nil {
		return
	}
	w.openFile("Import from another app", nil, func(path string) { w.importFrom(path) })
}

// importFrom starts importing the file at path. It returns the flow, or nil
// when the file cannot be imported (which it has said). A Google
// Authenticator transfer goes to the scanner, whose plan dialog shows it.
func (w *mainWindow) importFrom(path string) *importFlow {
	data, err := transfer.ReadImportFile(path)
	if err == nil {
		if format, _ := transfer.DetectFormat(data); format == transfer.FormatGoogle {
			w.importGoogle(path, data)
			return w.newImportFlow(path)
		}
	}
	return w.importFiles([]string{path})
}

// importFiles starts importing the files at paths, in one preview. It
// returns the flow, or nil when a file cannot be imported (which it has
// said): then nothing of any of them is imported.
func (w *mainWindow) importFiles(paths []string) *importFlow {
	f := w.newImportFlow(paths...)
	if !f.readNext() {
		return nil
	}
	return f
}

func (w *mainWindow) newImportFlow(paths ...string) *importFlow {
	f := &importFlow{f: w.frame, sess: w.sess, vault: w, paths: paths}
	if len(paths) == 1 {
		f.path = paths[0]
	}
	return f
}

// readNext reads the files from the next on, until one asks for its
// password or all are read and previewed. It returns false when a file
// cannot be imported.
func (f *importFlow) readNext() bool {
	for ; f.next < len(f.paths); f.next++ {
		f.path = f.paths[f.next]
		data, err := transfer.ReadImportFile(f.path)
		if err == nil {
			f.data = data
			f.format, err = transfer.DetectFormat(data)
		}
		if err != nil {
			f.fail(err)
			return false
		}
		im, err := transfer.ImportAccounts(f.data, f.format, func() (string, error) { return "", transfer.ErrPasswordNeeded })
		switch {
		case errors.Is(err, transfer.ErrPasswordNeeded):
			f.askPassword()
			return true
		case err != nil:
			f.fail(err)
			return false
		}
		f.add(im)
	}
	f.preview()
	return true
}

// exportFiles returns the paths of dropped files when one of them is an
// export of another app that Authdeck recognises, so that they come in as
// one import (an image among them is read as a Google Authenticator
// transfer), or nil: images, folders and other files are read for QR codes.
func exportFiles(uris []fyne.URI) []string {
	var paths []string
	export := false
	for _, u := range uris {
		path := u.Path()
		st, err := os.Stat(path)
		if err != nil || st.IsDir() {
			return nil
		}
		if !export && !slices.Contains(imageExtensions, strings.ToLower(filepath.Ext(path))) {
			data, err := transfer.ReadImportFile(path)
			_, derr := transfer.DetectFormat(data)
			export = err == nil && derr == nil
		}
		paths = append(paths, path)
	}
	if !export {
		return nil
	}
	return paths
}

// add keeps the entries of a file read, naming the file in the reason of
// each that cannot be used when several files come in.
func (f *importFlow) add(im *transfer.Imported) {
	f.formats = append(f.formats, im.Format)
	for _, e := range im.Entries {
		if e.Err != nil && len(f.paths) > 1 {
			e.Err = transfer.InSource(filepath.Base(f.path), e.Err)
		}
		f.entries = append(f.entries, e)
	}
}

// importGoogle reads a Google Authenticator transfer as a scan does, so that
// one piece of code gathers transfers spread over several codes: QR code
// images, or a text file of otpauth-migration:// links (otpauth:// links may
// stand among them), one a line.
func (w *mainWindow) importGoogle(path string, data []byte) {
	s := w.scanner
	s.reset()
	if !utf8.Valid(data) {
		s.readFiles([]fyne.URI{storage.NewFileURI(path)}, fromImage)
		return
	}
	problems, err := s.gathered.AddLines(data)
	if err != nil {
		w.newImportFlow(path).fail(err)
		return
	}
	for _, err := range problems {
		s.problems = append(s.problems, codeProblems(filepath.Base(path), err)...)
	}
	s.offer("")
}

// fail says why the file cannot be imported.
func (f *importFlow) fail(err error) {
	f.f.showError(fmt.Errorf("cannot import %s: %s; nothing was changed", filepath.Base(f.path), backupWords(err)))
}

func (f *importFlow) askPassword() {
	f.prompt = f.f.askPassword(f.sess, passwordRequest{
		title:       "Import from another app",
		text:        "This " + f.format.Name() + " is encrypted. Type the password it was exported with.",
		file:        f.path,
		placeHolder: "Password of the export",
		wrong:       transfer.ErrWrongPassword,
		open: func(pass string) error {
			im, err := transfer.ImportAccounts(f.data, f.format, func() (string, error) { return pass, nil })
			if err == nil {
				f.add(im)
			}
			return err
		},
		opened: func() {
			f.next++
			f.readNext()
		},
	})
}

func (f *importFlow) preview() {
	title := "Import from " + f.format.Name()
	if len(f.paths) > 1 {
		title = fmt.Sprintf("Import from %d files", len(f.paths))
	}
	local := f.vault.current()
	f.planDlg = f.f.showPlan(local, transfer.PlanEntries(local, f.entries), planOptions{
		title:    title,
		action:   "Import",
		keepBoth: true,
		apply:    f.apply,
	})
}

// apply imports with merge m, planned again on the vault as it is on disk,
// in one save or not at all.
func (f *importFlow) apply(m vault.Merge, done func(error)) {
	var plan vault.Plan
	f.vault.update(func(v *vault.Vault) error {
		plan = transfer.PlanEntries(v, f.entries)
		_, err := v.Apply(plan, m, f.f.now())
		return err
	}, func(err error) {
		if err == nil {
			f.vault.showAll()
			f.f.showResult(f.planDlg, "Imported", planResult(&plan, m)+".")
		}
		done(err)
	})
}

// exportDialog writes the portable accounts for another app: an otpauth://
// link list, a plain Aegis vault, or an Aegis vault encrypted with a
// password. It warns that a plain file holds the secrets in plain text, and
// lists the accounts left out: those bound to this device, which never leave
// it, and those that still need verification.
type exportDialog struct {
	f     *frame
	sess  *session
	vault vaultView

	format           *widget.RadioGroup
	pass, confirm    *entry // the password of an encrypted export, twice
	warning, leftOut *widget.Label
	content          *fyne.Container
	dlg              *dialog.ConfirmDialog
}

// exportChoice is a format the export dialog offers, as it names it.
type exportChoice struct {
	label     string
	format    transfer.Format
	ext       string
	encrypted bool
}

// exportChoices are the formats offered.
var exportChoices = []exportChoice{
	{"A list of otpauth:// links", transfer.FormatURIs, ".txt", false},
	{"An Aegis vault, encrypted with a password", transfer.FormatAegis, ".json", true},
	{"An Aegis vault (plain JSON)", transfer.FormatAegis, ".json", false},
}

func (w *mainWindow) onExport() {
	if w.v != nil {
		w.showExport()
	}
}

// showExport shows the export dialog and returns it.
func (w *mainWindow) showExport() *exportDialog {
	d := &exportDialog{f: w.frame, sess: w.sess, vault: w}
	var labels []string
	for _, c := range exportChoices {
		labels = append(labels, c.label)
	}
	d.pass = d.f.newEntry(entryOptions{PlaceHolder: "Password of the export", Password: true})
	d.confirm = d.f.newEntry(entryOptions{PlaceHolder: "The same password again", Password: true})
	d.format = &widget.RadioGroup{Options: labels, Required: true, OnChanged: func(string) { d.onFormat() }}
	hint := &widget.Label{Wrapping: fyne.TextWrapWord,
		Text: "Bitwarden, Ente, 2FAS and most authenticator apps import a list of otpauth:// links; Aegis, 2FAS, Ente Auth and Proton Authenticator import an Aegis vault, encrypted or not."}
	d.warning = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance, Text: plainExportWarning}
	d.leftOut = &widget.Label{Wrapping: fyne.TextWrapWord, Text: leftOutWords(d.vault.current().Accounts)}
	d.leftOut.Hidden = d.leftOut.Text == ""
	d.content = container.NewVBox(d.format, d.pass, d.confirm, hint, d.warning, d.leftOut)
	d.format.SetSelected(labels[0])
	d.dlg = dialog.NewCustomConfirm("Export to a file", "Save…", "Cancel", d.content, d.onSave, d.f.win)
	d.f.showDialog(d.dlg, 480)
	return d
}

// choice returns the format chosen.
func (d *exportDialog) choice() exportChoice {
	c := exportChoices[0]
	for _, e := range exportChoices {
		if e.label == d.format.Selected {
			c = e
		}
	}
	return c
}

// onFormat enables the password fields for an encrypted export and says
// what the file will hold: the dialog keeps its layout.
func (d *exportDialog) onFormat() {
	if d.content == nil {
		return
	}
	if !d.choice().encrypted {
		d.pass.Disable()
		d.confirm.Disable()
		d.warning.Importance = widget.WarningImportance
		d.warning.SetText(plainExportWarning)
		return
	}
	d.pass.Enable()
	d.confirm.Enable()
	d.warning.Importance = widget.MediumImportance
	d.warning.SetText("The file is encrypted with this password, as Aegis encrypts its own vaults. Keep the password apart from the file.")
	if d.dlg != nil {
		d.f.win.Canvas().Focus(d.pass)
	}
}

// plainExportWarning is what the export dialog says of a file that holds
// the secrets in plain text.
const plainExportWarning = "The file holds your secret keys in plain text: anyone who reads it can make your codes. " +
	"Import it into the other app, then delete it."

func (d *exportDialog) onSave(ok bool) {
	if !ok {
		return
	}
	c := d.choice()
	pass := ""
	if c.encrypted {
		switch pass = d.pass.Text; {
		case pass == "":
			d.f.showError(errors.New("an encrypted export needs a password; nothing was written"))
			return
		case pass != d.confirm.Text:
			d.f.showError(errors.New("the two passwords differ; nothing was written"))
			return
		}
	}
	name := "authdeck-export-" + d.f.now().Format("2006-01-02") + c.ext
	d.f.saveFile("Export to", name, func(path string) { d.exportTo(path, c.format, pass) })
}

// exportTo writes the portable accounts to path in format f, encrypted with
// password unless it is empty, readable only by the user, and says what it
// wrote and left out. The encryption runs off the window's goroutine.
func (d *exportDialog) exportTo(path string, f transfer.Format, password string) {
	accounts := d.vault.current().Accounts
	var leftOut []vault.Account
	var err error
	d.sess.run(func() {
		var data []byte
		if password != "" {
			data, leftOut, err = transfer.ExportEncrypted(accounts, f, password)
		} else {
			data, leftOut, err = transfer.ExportAccounts(accounts, f)
		}
		if err == nil && len(leftOut) == len(accounts) {
			err = errors.New("no account here can leave this device; nothing was written")
		}
		if err == nil {
			err = vault.WriteFileAtomic(path, data)
		}
	}, func() {
		if err != nil {
			d.f.showError(fmt.Errorf("cannot export: %w", err))
			return
		}
		n := len(accounts) - len(leftOut)
		what := f.Name()
		if password != "" {
			what = "encrypted " + what
		}
		msg := []string{fmt.Sprintf("Wrote %s to %s (%s).", count(n, "account", "accounts"), path, what)}
		if len(leftOut) > 0 {
			msg = append(msg, leftOutWords(accounts))
		}
		if password == "" {
			msg = append(msg, "The file holds your secret keys in plain text: delete it once the other app has them.")
		} else {
			msg = append(msg, "It opens with the password you chose; keep that password apart from the file.")
		}
		d.f.showInfo("Exported", msg...)
	})
}

// leftOutWords lists the accounts an export leaves out, and why, or "".
func leftOutWords(accounts []vault.Account) string {
	var bound, verify []string
	for i := range accounts {
		a := &accounts[i]
		switch {
		case transfer.Exportable(a):
		case a.Binding == vault.DeviceBound && !a.NeedsVerification:
			bound = append(bound, a.Label())
		default:
			verify = append(verify, a.Label())
		}
	}
	var out []string
	if len(bound) > 0 {
		out = append(out, fmt.Sprintf("Left out, bound to this device: %s.", strings.Join(bound, ", ")))
	}
	if len(verify) > 0 {
		out = append(out, fmt.Sprintf("Left out, needing verification: %s.", strings.Join(verify, ", ")))
	}
	return strings.Join(out, " ")
}
