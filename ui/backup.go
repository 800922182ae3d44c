package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authdeck/backup"
	"authdeck/transfer"
	"authdeck/vault"
)

// statusEvery is how many ticks of the window's clock pass between looks at
// the backup status, which another process (the command line) may change and
// whose 30-day reminder comes due with time alone.
const statusEvery = 60

// backupPanel is the window's part for backups: the backup button in the top
// bar, whose red dot says that the backup is out of date, failing or never
// made, its menu, the dialogs that write a backup and set the passphrase and
// the automatic backups, and the writer of automatic backups that every saved
// change feeds.
type backupPanel struct {
	f     *frame
	sess  *session
	vault vaultView

	button  *backupButton
	dot     *canvas.Circle
	content fyne.CanvasObject // the button with its dot
	tip     *fyne.Container   // the reason of the dot, under the button while it is hovered or focused
	tipText *widget.Label
	tipBack *canvas.Rectangle

	status    backup.Status
	statusErr error
	// pending means an automatic backup waits for the quiet period after a
	// change, so that the change does not count as out of date meanwhile.
	pending bool
	auto    *backup.Auto

	// workFactor is the scrypt cost of a new backup passphrase; zero means
	// age's default. Tests lower it.
	workFactor int
	// async runs slow work (scrypt) off the UI goroutine; tests run it at once.
	async func(func())

	passDlg *passphraseDialog // the last passphrase dialog opened
	autoDlg *autoDialog       // the last automatic backup dialog opened
}

func newBackupPanel(f *frame, sess *session, vault vaultView) *backupPanel {
	b := &backupPanel{f: f, sess: sess, vault: vault, async: func(job func()) { sess.run(job, nil) }}
	b.auto = b.newAuto(nil)
	b.button = newBackupButton(b.onMenu, b.showTip)
	b.dot = &canvas.Circle{FillColor: theme.Color(theme.ColorNameError)}
	b.dot.Hide()
	b.content = container.New(badgeLayout{}, b.button, b.dot)
	b.tipText = &widget.Label{}
	b.tipBack = &canvas.Rectangle{CornerRadius: theme.InputRadiusSize(), StrokeWidth: 1}
	b.tip = container.NewVBox(container.NewHBox(layout.NewSpacer(), container.NewStack(b.tipBack, b.tipText)))
	b.tip.Hide()
	return b
}

// newAuto returns the writer of automatic backups. after runs a function
// after the quiet period; nil means time.AfterFunc. Tests pass their own.
func (b *backupPanel) newAuto(after func(time.Duration, func()) func() bool) *backup.Auto {
	return backup.NewAuto(b.sess.store, backup.AutoOptions{
		Now:       func() time.Time { return b.f.now() },
		AfterFunc: after,
		Done: func(_ string, err error) {
			fyne.Do(func() { b.autoDone(err) })
		},
	})
}

// saved tells the panel that v was just saved: an automatic backup follows
// after the quiet period.
func (b *backupPanel) saved(v *vault.Vault) {
	b.auto.Changed(v)
	b.pending = v.Backup.AutoDir != "" && v.Backup.Recipient != ""
}

// flush writes the automatic backup still waiting, as on quit.
func (b *backupPanel) flush() {
	b.auto.Flush()
}

func (b *backupPanel) autoDone(err error) {
	b.pending = false
	b.refresh()
	if err != nil {
		b.f.notify("The automatic backup failed: " + backupWords(err))
	}
}

// refresh reads the backup status, off the UI goroutine, and shows it on the
// button.
func (b *backupPanel) refresh() { b.refreshThen(nil) }

// refreshThen refreshes the status, then runs then, if given.
func (b *backupPanel) refreshThen(then func()) {
	v := b.vault.current()
	if v == nil {
		b.dot.Hide()
		return
	}
	now := b.f.now()
	var st backup.Status
	var err error
	b.sess.run(func() { st, err = backup.ReadStatus(b.sess.store, v, now) }, func() {
		b.status, b.statusErr = st, err
		b.showStatus()
		if then != nil {
			then()
		}
	})
}

// showStatus shows the backup status on the button.
func (b *backupPanel) showStatus() {
	if b.needsAttention() {
		b.dot.FillColor = theme.Color(theme.ColorNameError)
		b.dot.Show()
	} else {
		b.dot.Hide()
	}
	b.dot.Refresh()
	if b.tip.Visible() {
		b.tipText.SetText(wrap(b.reason(), 44))
	}
}

// needsAttention reports whether the button shows its red dot: the backup is
// failing, out of date (and no automatic backup is on its way), never made,
// or a month old.
func (b *backupPanel) needsAttention() bool {
	s := b.status
	switch {
	case b.vault.current() == nil:
		return false
	case b.statusErr != nil, s.Failing, s.Remind:
		return true
	case s.OutOfDate:
		return !b.pending
	}
	return false
}

// summary is the backup status in a few words, for the first line of the
// backup menu.
func (b *backupPanel) summary() string {
	s, now := b.status, b.f.now()
	switch {
	case b.statusErr != nil:
		return "Backup status unknown"
	case s.Failing:
		return "Automatic backup failing: " + failureWords(s.Reason)
	case s.LastTime.IsZero() && len(b.vault.current().Accounts) == 0:
		return "No accounts to back up yet"
	case s.LastTime.IsZero():
		return "Never backed up"
	case s.OutOfDate && b.pending:
		return "Backing up in a moment"
	case s.OutOfDate:
		return "Out of date: changed since " + when(s.LastTime, now)
	case s.Remind:
		return "Last backup " + when(s.LastTime, now) + ", over a month ago"
	}
	return "Backed up " + when(s.LastTime, now)
}

// reason says in sentences why the dot shows, or that all is well: the tip of
// the backup button.
func (b *backupPanel) reason() string {
	s, now := b.status, b.f.now()
	if b.vault.current() == nil {
		return "Backups: open your accounts first."
	}
	if b.statusErr != nil {
		return capitalize(backupWords(b.statusErr)) + "."
	}
	var out []string
	switch {
	case s.Failing:
		out = append(out, fmt.Sprintf("The automatic backup has failed since %s: %s. "+
			"Make the folder available again, or choose another in Automatic backups.", when(s.FailedAt, now), backupWords(s.Reason)))
	case s.LastTime.IsZero() && len(b.vault.current().Accounts) == 0:
		out = append(out, "No accounts to back up yet.")
	case s.LastTime.IsZero():
		out = append(out, "Your accounts were never backed up. Back up now, or turn on automatic backups.")
	case s.OutOfDate && b.pending:
		out = append(out, "An automatic backup of the latest change follows in a moment.")
	case s.OutOfDate:
		out = append(out, "Out of date: your accounts changed since the last backup, "+when(s.LastTime, now)+".")
	default:
		out = append(out, "Backed up "+when(s.LastTime, now)+".")
	}
	if s.Remind && !s.LastTime.IsZero() {
		out = append(out, fmt.Sprintf("No backup in the last %d days.", int(backup.ReminderAfter.Hours()/24)))
	}
	if s.AutoDir != "" && !s.Failing {
		out = append(out, "Automatic backups go to "+s.AutoDir+".")
	}
	return strings.Join(out, " ")
}

// showTip shows or hides the reason under the button.
func (b *backupPanel) showTip(on bool) {
	if !on {
		b.tip.Hide()
		return
	}
	b.tipBack.FillColor = theme.Color(theme.ColorNameOverlayBackground)
	b.tipBack.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	b.tipBack.Refresh()
	b.tipText.SetText(wrap(b.reason(), 44))
	b.tip.Show()
}

// menu is the backup menu: the status in a few words, then what one can do.
func (b *backupPanel) menu() *fyne.Menu {
	off := b.vault.current() == nil
	return fyne.NewMenu("",
		&fyne.MenuItem{Label: b.summary(), Action: b.onStatus, Disabled: off},
		fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Back up now…", Action: b.onBackupNow, Disabled: off},
		&fyne.MenuItem{Label: "Restore a backup…", Action: b.onRestore, Disabled: off},
		&fyne.MenuItem{Label: "Automatic backups…", Action: b.onAuto, Disabled: off},
		&fyne.MenuItem{Label: "Change backup passphrase…", Action: b.onChangePassphrase, Disabled: off || !b.status.PassphraseSet},
	)
}

// onStatus says in full how the backups fare.
func (b *backupPanel) onStatus() {
	b.f.showInfo("Backups", b.reason(), b.last())
}

// last says which backup was written last: when, of which revision of the
// vault, and where; or "" if none was.
func (b *backupPanel) last() string {
	s := b.status
	if s.LastTime.IsZero() {
		return ""
	}
	return fmt.Sprintf("Last backup: %s, of revision %d of your accounts (now %d), in %s.",
		when(s.LastTime, b.f.now()), s.LastRevision, s.Revision, s.LastFile)
}

func (b *backupPanel) onMenu() {
	b.refresh()
	b.tip.Hide()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b.button)
	widget.ShowPopUpMenuAtPosition(b.menu(), b.f.win.Canvas(), pos.AddXY(0, b.button.Size().Height))
}

// onBackupNow writes a backup to a file the user picks, after setting the
// backup passphrase on first use.
func (b *backupPanel) onBackupNow() {
	if b.vault.current() == nil {
		return
	}
	b.withPassphrase(func() {
		name := "authdeck-" + b.f.now().Format("2006-01-02") + backup.Ext
		b.f.saveFile("Back up to", name, func(path string) { b.backupTo(path, nil) })
	})
}

// backupTo writes a backup of the vault to path, which must not exist, and
// says what it holds; then done, if given, hears how it went.
func (b *backupPanel) backupTo(path string, done func(error)) {
	v, now := b.vault.current(), b.f.now()
	var err error
	b.sess.run(func() { err = backup.Export(b.sess.store, v, path, now) }, func() {
		b.wroteBackup(v, path, err)
		if done != nil {
			done(err)
		}
	})
}

func (b *backupPanel) wroteBackup(v *vault.Vault, path string, err error) {
	if err != nil {
		b.f.showError(fmt.Errorf("cannot write the backup: %s", backupWords(err)))
		return
	}
	b.refresh()
	bound := 0
	for _, a := range v.Accounts {
		if a.Binding == vault.DeviceBound {
			bound++
		}
	}
	msg := []string{fmt.Sprintf("Wrote a backup of %s to %s.", count(len(v.Accounts), "account", "accounts"), path)}
	if bound > 0 {
		msg = append(msg, fmt.Sprintf("%s bound to this device %s in it without %s key: after a restore, complete %s with a fresh QR code from the provider.",
			count(bound, "account", "accounts"), pick(bound, "is", "are"), pick(bound, "its", "their"), pick(bound, "it", "them")))
	}
	msg = append(msg, "Your backup passphrase alone restores it.")
	b.f.showInfo("Backup written", msg...)
}

// withPassphrase runs then once the vault has a backup passphrase, asking for
// a new one first if it has none.
func (b *backupPanel) withPassphrase(then func()) {
	if b.vault.current().Backup.Recipient != "" {
		then()
		return
	}
	b.showPassphrase(false, then)
}

func (b *backupPanel) onChangePassphrase() {
	if b.vault.current() == nil {
		return
	}
	b.showPassphrase(true, func() {
		b.f.notify("Set a new backup passphrase")
	})
}

// passphraseDialog sets a new backup passphrase: typed twice, with a hint of
// its strength. The passphrase itself is never kept: only a new backup key
// wrapped with it.
type passphraseDialog struct {
	b    *backupPanel
	then func()

	pass, again *entry
	hint        *widget.Label
	message     *widget.Label
	okBtn       *widget.Button
	progress    *widget.ProgressBarInfinite
	dlg         *dialog.CustomDialog
}

func (b *backupPanel) showPassphrase(change bool, then func()) {
	d := &passphraseDialog{b: b, then: then}
	title, text := "Set a backup passphrase",
		"Backups are encrypted. Choose a passphrase: it alone opens your backups on a new computer. "+
			"Authdeck does not keep it, and nobody can recover it, so write it down somewhere safe."
	if change {
		title, text = "Change the backup passphrase",
			"Backups written from now on need the new passphrase. Backups written before still need the passphrase "+
				"they were written under: keep it too, or make a new backup after this."
	}
	d.pass = b.f.newEntry(entryOptions{Password: true, PlaceHolder: "e.g. four random words", OnChanged: func(string) { d.onChanged() }})
	d.again = b.f.newEntry(entryOptions{Password: true, PlaceHolder: "the same again", OnChanged: func(string) { d.onChanged() }})
	d.pass.OnSubmitted = func(string) { b.f.win.Canvas().Focus(d.again) }
	d.again.OnSubmitted = func(string) {
		if !d.okBtn.Disabled() {
			d.onOK()
		}
	}
	d.hint = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	d.message = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	d.progress = widget.NewProgressBarInfinite()
	d.progress.Stop()
	d.progress.Hide()
	d.okBtn = &widget.Button{Text: "Set passphrase", Importance: widget.HighImportance, OnTapped: d.onOK}
	cancel := &widget.Button{Text: "Cancel", OnTapped: func() { d.dlg.Hide() }}
	form := widget.NewForm(widget.NewFormItem("Passphrase", d.pass), widget.NewFormItem("Again", d.again))
	content := container.NewVBox(&widget.Label{Text: text, Wrapping: fyne.TextWrapWord}, form, d.hint, d.message, d.progress)
	d.dlg = dialog.NewCustomWithoutButtons(title, content, b.f.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, d.okBtn})
	d.onChanged()
	b.f.showDialog(d.dlg, 460)
	b.f.win.Canvas().Focus(d.pass)
	b.passDlg = d
}

// onChanged updates the strength hint and whether the passphrase can be set.
func (d *passphraseDialog) onChanged() {
	hint, imp := passphraseStrength(d.pass.Text)
	d.hint.Text, d.hint.Importance = hint, imp
	d.hint.Refresh()
	ok := len([]rune(d.pass.Text)) >= minPassphrase && d.pass.Text == d.again.Text
	msg := ""
	if d.again.Text != "" && d.pass.Text != d.again.Text {
		msg = "The two passphrases differ."
	}
	d.message.Hidden = msg == ""
	d.message.SetText(msg)
	if ok {
		d.okBtn.Enable()
	} else {
		d.okBtn.Disable()
	}
}

// onOK makes a new backup key wrapped with the passphrase (scrypt takes a
// moment, away from the window's goroutine) and keeps it in the vault.
func (d *passphraseDialog) onOK() {
	pass := d.pass.Text
	d.okBtn.Disable()
	d.pass.Disable()
	d.again.Disable()
	d.progress.Show()
	d.progress.Start()
	b := d.b
	b.async(func() {
		var key vault.BackupConfig
		err := backup.SetPassphrase(&key, pass, b.workFactor)
		fyne.Do(func() {
			d.progress.Stop()
			d.progress.Hide()
			d.pass.Enable()
			d.again.Enable()
			if err != nil {
				d.message.SetText(capitalize(backupWords(err)) + ".")
				d.message.Show()
				d.onChanged()
				return
			}
			b.vault.update(func(v *vault.Vault) error {
				v.Backup.Recipient, v.Backup.WrappedIdentity = key.Recipient, key.WrappedIdentity
				return nil
			}, func(err error) {
				d.pass.SetText("")
				d.again.SetText("")
				d.dlg.Hide() // on an error too, which update showed
				if err == nil && d.then != nil {
					d.then()
				}
			})
		})
	})
}

// minPassphrase is the fewest characters a backup passphrase may have.
const minPassphrase = 8

// passphraseStrength says how strong a passphrase is, from its length and its
// number of words, with the importance to show the hint with.
func passphraseStrength(p string) (string, widget.Importance) {
	n := len([]rune(p))
	words := len(strings.Fields(p))
	switch {
	case n == 0:
		return "Four or more random words, or at least 12 characters, make a strong passphrase.", widget.LowImportance
	case n < minPassphrase:
		return fmt.Sprintf("Too short: %s. Use at least %d; four or more words are better.", count(n, "character", "characters"), minPassphrase), widget.DangerImportance
	case words >= 4 && n >= 16, n >= 20:
		return fmt.Sprintf("Strong: %s, %s.", count(words, "word", "words"), count(n, "character", "characters")), widget.SuccessImportance
	case n >= 12:
		return fmt.Sprintf("Good: %s. Another word or two make it stronger.", count(n, "character", "characters")), widget.SuccessImportance
	}
	return fmt.Sprintf("Weak: %s. Add a few words to make it much stronger.", count(n, "character", "characters")), widget.WarningImportance
}

// autoDialog turns automatic backups on or off, picks their folder and how
// many to keep, and shows how they fare.
type autoDialog struct {
	b *backupPanel

	on     *widget.Check
	folder *widget.Label
	choose *widget.Button
	keep   *entry
	state  *widget.Label
	dlg    *dialog.ConfirmDialog
	dir    string
}

func (b *backupPanel) onAuto() {
	if b.vault.current() == nil {
		return
	}
	b.refresh()
	c := b.vault.current().Backup
	d := &autoDialog{b: b, dir: c.AutoDir}
	d.folder = &widget.Label{Wrapping: fyne.TextWrapBreak}
	d.choose = &widget.Button{Text: "Choose…", Icon: theme.FolderOpenIcon(), OnTapped: d.onChoose}
	d.keep = b.f.newEntry(entryOptions{Text: fmt.Sprint(b.status.AutoKeep)})
	d.keep.Validator = func(s string) error {
		if _, err := parseKeep(s); err != nil {
			return err
		}
		return nil
	}
	d.on = &widget.Check{Text: "Back up after every change", Checked: c.AutoDir != "", OnChanged: func(bool) { d.onChanged() }}
	d.state = &widget.Label{Wrapping: fyne.TextWrapWord, Text: strings.TrimSpace(b.reason() + "\n\n" + b.last())}
	if b.status.Failing {
		d.state.Importance = widget.DangerImportance
	}
	intro := &widget.Label{Wrapping: fyne.TextWrapWord,
		Text: "After each change Authdeck writes an encrypted backup into this folder, for example one that a cloud service syncs. " +
			"Files are named after this computer, so computers sharing the folder never overwrite each other's backups."}
	form := widget.NewForm(
		widget.NewFormItem("", d.on),
		widget.NewFormItem("Folder", container.NewBorder(nil, nil, nil, d.choose, d.folder)),
		&widget.FormItem{Text: "Keep", Widget: d.keep, HintText: "this computer's newest backups in the folder"},
	)
	d.dlg = dialog.NewCustomConfirm("Automatic backups", "Save", "Cancel",
		container.NewVBox(intro, form, widget.NewSeparator(), d.state), d.onSave, b.f.win)
	d.onChanged()
	b.f.showDialog(d.dlg, 480)
	b.autoDlg = d
}

// parseKeep reads how many backups to keep.
func parseKeep(s string) (int, error) {
	var n int
	if _, err := fmt.Sscan(strings.TrimSpace(s), &n); err != nil || n < 1 || n > 1000 {
		return 0, errors.New("a number from 1 to 1000")
	}
	return n, nil
}

func (d *autoDialog) onChanged() {
	if d.dir == "" {
		d.folder.SetText("none chosen")
	} else {
		d.folder.SetText(d.dir)
	}
}

func (d *autoDialog) onChoose() {
	d.b.f.openFolder("Folder for automatic backups", func(path string) {
		d.dir = path
		d.on.SetChecked(true)
		d.onChanged()
	})
}

func (d *autoDialog) onSave(ok bool) {
	if !ok {
		return
	}
	b := d.b
	if !d.on.Checked {
		if b.vault.current().Backup.AutoDir == "" {
			return
		}
		b.vault.update(func(v *vault.Vault) error {
			v.Backup.AutoDir, v.Backup.AutoKeep = "", 0
			return nil
		}, func(err error) {
			if err == nil {
				b.f.notify("Automatic backups are off")
			}
		})
		return
	}
	keep, err := parseKeep(d.keep.Text)
	if err != nil {
		b.f.showError(fmt.Errorf("keep %w of this computer's backups", err))
		return
	}
	if d.dir == "" {
		b.f.showError(errors.New("choose a folder for the automatic backups"))
		return
	}
	if fi, err := os.Stat(d.dir); err != nil || !fi.IsDir() {
		b.f.showError(fmt.Errorf("%w: %s", backup.ErrFolderMissing, d.dir))
		return
	}
	dir := d.dir
	b.withPassphrase(func() { b.setAuto(dir, keep) })
}

// setAuto turns automatic backups on into dir, keeping keep of this
// computer's backups, and writes the first one at once.
func (b *backupPanel) setAuto(dir string, keep int) {
	b.vault.update(func(v *vault.Vault) error {
		v.Backup.AutoDir, v.Backup.AutoKeep = dir, keep
		return nil
	}, func(err error) {
		if err != nil {
			return
		}
		// The first backup at once, then the note once the status is read.
		b.sess.run(b.flush, func() {
			b.refreshThen(func() {
				if !b.status.Failing {
					b.f.notify("Automatic backups go to " + dir)
				}
			})
		})
	})
}

// backupWords says in words what went wrong with a backup, a restore or an
// import.
func backupWords(err error) string {
	switch {
	case errors.Is(err, backup.ErrWrongPassphrase):
		return "that is not the passphrase of this backup. Try again; a backup opens only with the passphrase it was written under"
	case errors.Is(err, backup.ErrNotBackup):
		return "this file is not an Authdeck backup. Backups end in " + backup.Ext + "; to bring in another app's export, use Import"
	case errors.Is(err, backup.ErrDamaged):
		return "the backup file is damaged or incomplete, so nothing in it can be trusted. Try another backup, such as an older automatic one"
	case errors.Is(err, backup.ErrNewerVersion):
		return "this backup was written by a newer version of Authdeck. Update Authdeck to restore it"
	case errors.Is(err, backup.ErrNoPassphrase):
		return "set a backup passphrase first"
	case errors.Is(err, backup.ErrFolderMissing), errors.Is(err, backup.ErrFolderNotWritable),
		errors.Is(err, backup.ErrDiskFull), errors.Is(err, backup.ErrAutoFailed):
		return err.Error()
	case errors.Is(err, fs.ErrExist):
		return "the file is already there; choose another name"
	case errors.Is(err, transfer.ErrWrongPassword):
		return "that password does not open the file. Try again"
	case errors.Is(err, transfer.ErrImportTooLarge), errors.Is(err, transfer.ErrUnknownFormat):
		return err.Error()
	}
	return inWords(err)
}

// failureWords names why automatic backups fail in a few words.
func failureWords(err error) string {
	switch {
	case errors.Is(err, backup.ErrFolderMissing):
		return "folder missing"
	case errors.Is(err, backup.ErrFolderNotWritable):
		return "folder not writable"
	case errors.Is(err, backup.ErrDiskFull):
		return "disk full"
	}
	return "see why"
}

// when says when t was, relative to now, in the local time zone.
func when(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	y1, m1, d1 := t.Date()
	y2, m2, d2 := now.Date()
	switch {
	case y1 == y2 && m1 == m2 && d1 == d2:
		return "today at " + t.Format("15:04")
	case now.Sub(t) < 48*time.Hour && t.AddDate(0, 0, 1).Day() == d2:
		return "yesterday at " + t.Format("15:04")
	case y1 == y2:
		return t.Format("2 Jan at 15:04")
	}
	return t.Format("2 Jan 2006")
}

func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// backupButton is the top bar's backup button. It shows the reason of its
// red dot while the mouse is over it or it has the keyboard focus: Fyne has
// no tooltips.
type backupButton struct {
	widget.Button
	hover func(bool)
}

func newBackupButton(tapped func(), hover func(bool)) *backupButton {
	b := &backupButton{hover: hover}
	b.Icon, b.Importance, b.OnTapped = theme.StorageIcon(), widget.LowImportance, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *backupButton) MouseIn(e *desktop.MouseEvent) { b.Button.MouseIn(e); b.hover(true) }
func (b *backupButton) MouseOut()                     { b.Button.MouseOut(); b.hover(false) }
func (b *backupButton) FocusGained()                  { b.Button.FocusGained(); b.hover(true) }
func (b *backupButton) FocusLost()                    { b.Button.FocusLost(); b.hover(false) }

// badgeLayout lays out a button with a dot on its top right corner.
type badgeLayout struct{}

func (badgeLayout) MinSize(objects []fyne.CanvasObject) fyne.Size { return objects[0].MinSize() }

func (badgeLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(size)
	d := theme.Padding() * 2.5
	objects[1].Resize(fyne.NewSize(d, d))
	objects[1].Move(fyne.NewPos(size.Width-d-theme.Padding()/2, theme.Padding()/2))
}
