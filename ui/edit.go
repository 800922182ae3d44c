package ui

import (
	"cmp"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"authdeck/vault"
)

// editDialog changes an account's issuer, name, group, icon and whether it
// is pinned as a favourite.
type editDialog struct {
	f     *frame
	vault vaultView
	id    string

	issuer, name, group *entry
	icon                *iconChoice
	favorite            *widget.Check
	dlg                 *dialog.FormDialog
}

func (w *mainWindow) onEdit(i int) {
	a := w.account(i)
	if a == nil {
		return
	}
	d := &editDialog{
		f:      w.frame,
		vault:  w,
		id:     a.ID,
		issuer: w.newEntry(entryOptions{Text: a.Issuer}),
		name:   w.newEntry(entryOptions{Text: a.Name}),
		group:  w.newEntry(entryOptions{Text: a.Group, PlaceHolder: "optional"}),
	}
	d.favorite = &widget.Check{Text: "Pin to the top", Checked: a.Favorite}
	d.icon = newIconChoice(w, a, func() vault.Account {
		return vault.Account{Issuer: d.issuer.Text, Name: d.name.Text}
	})
	refresh := func(string) { d.icon.update() }
	d.issuer.OnChanged, d.name.OnChanged = refresh, refresh
	d.name.Validator = func(string) error {
		if strings.TrimSpace(d.issuer.Text) == "" && strings.TrimSpace(d.name.Text) == "" {
			return errNeedsName
		}
		return nil
	}
	d.dlg = dialog.NewForm("Edit "+a.Label(), "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Issuer", d.issuer),
		widget.NewFormItem("Account", d.name),
		widget.NewFormItem("Group", d.group),
		widget.NewFormItem("Icon", d.icon.content),
		widget.NewFormItem("Favourite", d.favorite),
	}, d.onSave, w.win)
	d.dlg.Resize(fyne.NewSize(min(460, w.win.Canvas().Size().Width), 0))
	d.dlg.Show()
	w.dialogs.push(d.dlg, nil, nil)
	w.editDlg = d
	w.win.Canvas().Focus(d.issuer)
}

func (d *editDialog) onSave(ok bool) {
	if !ok {
		return
	}
	d.vault.update(func(v *vault.Vault) error {
		a, err := v.Account(d.id)
		if err != nil {
			return err
		}
		a.Issuer, a.Name, a.Group = d.issuer.Text, d.name.Text, d.group.Text
		a.Icon, a.IconImage, a.Favorite = d.icon.icon, d.icon.image, d.favorite.Checked
		a.Normalize()
		a.Updated = d.f.now()
		return a.Validate()
	}, nil)
}

// onDelete asks before deleting the account at shown position i, then offers
// an undo for a few seconds.
func (w *mainWindow) onDelete(i int) {
	a := w.account(i)
	if a == nil {
		return
	}
	id, label := a.ID, a.Label()
	msg := "Delete " + label + "?\n\nTo add it again you will need a new QR code from " + cmp.Or(a.Issuer, "its provider") +
		". You can undo for a few seconds."
	confirm := dialog.NewConfirm("Delete account", msg, func(ok bool) {
		if ok {
			w.deleteAccount(id)
		}
	}, w.win)
	confirm.SetConfirmText("Delete")
	confirm.SetConfirmImportance(widget.DangerImportance)
	confirm.Show()
	w.dialogs.push(confirm, confirm.Confirm, nil)
}

// deleteAccount removes the account with the given ID and offers an undo.
func (w *mainWindow) deleteAccount(id string) {
	var removed vault.Account
	var pos int
	w.update(func(v *vault.Vault) (err error) {
		pos = v.Index(id)
		removed, err = v.Remove(id)
		return err
	}, func(err error) {
		if err == nil {
			w.onDeleted(removed, pos)
		}
	})
}

// onTileMenu shows what one can do with a tile's account.
func (w *mainWindow) onTileMenu(t *tile) {
	i := t.pos
	a := w.account(i)
	if a == nil {
		return
	}
	items := []*fyne.MenuItem{
		{Label: "Copy code", Shortcut: nil, Action: func() { w.onCopy(i) }},
		{Label: "Edit…  (F2)", Action: func() { w.onEdit(i) }},
		{Label: "Move back  (Alt+Left)", Action: func() { w.onMove(i, i-1) }, Disabled: i == 0},
		{Label: "Move on  (Alt+Right)", Action: func() { w.onMove(i, i+1) }, Disabled: i >= len(w.shown)-1},
		{Label: favoriteLabel(a) + "  (Ctrl+D)", Action: func() { w.onFavorite(i) }},
		w.qrMenuItem(a, i), // only portable accounts may be shown
		fyne.NewMenuItemSeparator(),
		{Label: "Delete…  (Delete)", Action: func() { w.onDelete(i) }},
	}
	if a.NeedsVerification {
		items = append([]*fyne.MenuItem{{Label: "Complete with a new setup link…", Action: func() { w.onComplete(i) }}}, items...)
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(t.menuBtn)
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), w.win.Canvas(), pos.AddXY(0, t.menuBtn.Size().Height))
}

// onMenu shows the window's menu.
func (w *mainWindow) onMenu() {
	w.backups.refresh()
	items := []*fyne.MenuItem{
		{Label: "Add account…  (Ctrl+N)", Action: w.onAdd},
		{Label: "Paste a QR code or link  (Ctrl+V)", Action: w.scanner.paste},
		{Label: "Preferences…  (Ctrl+,)", Action: w.onPrefs},
		{Label: "Lock  (Ctrl+L)", Action: w.lockNow, Disabled: w.v == nil},
		fyne.NewMenuItemSeparator(),
		{Label: "Backups", ChildMenu: w.backups.menu()},
		{Label: "Sync", ChildMenu: w.syncs.menu()},
		{Label: "Import from another app…", Action: w.onImport, Disabled: w.v == nil},
		{Label: "Export to a file…", Action: w.onExport, Disabled: w.v == nil},
		{Label: "Export to Google Authenticator…", Action: func() { showMigrationExport(w) }, Disabled: w.v == nil},
		fyne.NewMenuItemSeparator(),
		{Label: "About Authdeck", Action: w.onAbout},
		{Label: "Quit  (Ctrl+Q)", Action: w.quit},
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(w.menuBtn)
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), w.win.Canvas(), pos.AddXY(0, w.menuBtn.Size().Height))
}
