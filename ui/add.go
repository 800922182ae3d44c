package ui

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authdeck/vault"
)

// addDialog adds one account: from a pasted otpauth:// link, or from fields
// typed by hand, checked as one types. It brings the account in through the
// vault's one merge rule ([vault.Vault.Plan] and [vault.Vault.Apply]), so it
// says when the account is already there or conflicts with another.
type addDialog struct {
	f     *frame
	vault vaultView
	// scan reads QR codes from a source for this dialog; focus selects
	// the tile of an account added.
	scan  func(source string, d *addDialog)
	focus func(id string)
	// complete is the ID of a needs-verification account that this dialog
	// completes, or "".
	complete string

	uri       *entry
	issuer    *entry
	name      *entry
	secret    *entry
	kind      *widget.Select
	algorithm *widget.Select
	digits    *entry
	period    *entry
	counter   *entry
	group     *entry
	device    *widget.Check
	message   *widget.Label
	addBtn    *widget.Button
	keepBoth  *widget.Button
	cancelBtn *widget.Button
	scanBtns  []*widget.Button
	dlg       *dialog.CustomDialog
}

func newAddDialog(w *mainWindow) *addDialog {
	return &addDialog{f: w.frame, vault: w, scan: w.scan, focus: w.focusAccount}
}

func (d *addDialog) buildUI() fyne.CanvasObject {
	check := func(string) { d.onChanged() }
	d.uri = d.f.newEntry(entryOptions{PlaceHolder: "otpauth://…", OnChanged: func(string) { d.onURI() }})
	d.issuer = d.f.newEntry(entryOptions{PlaceHolder: "e.g. GitHub", OnChanged: check})
	d.name = d.f.newEntry(entryOptions{PlaceHolder: "e.g. alice@example.com", OnChanged: check})
	d.secret = d.f.newEntry(entryOptions{PlaceHolder: "e.g. JBSW Y3DP EHPK 3PXP", OnChanged: check})
	d.kind = &widget.Select{Options: []string{"Time-based (TOTP)", "Counter-based (HOTP)", "Steam Guard"}, OnChanged: check}
	d.algorithm = &widget.Select{Options: []string{"SHA1", "SHA256", "SHA512"}, OnChanged: check}
	d.digits = d.f.newEntry(entryOptions{Text: "6", OnChanged: check})
	d.period = d.f.newEntry(entryOptions{Text: "30", OnChanged: check})
	d.counter = d.f.newEntry(entryOptions{Text: "0", OnChanged: check})
	d.group = d.f.newEntry(entryOptions{PlaceHolder: "optional, e.g. Work", OnChanged: check})
	d.device = &widget.Check{Text: "This device only", OnChanged: func(bool) { d.onChanged() }}
	d.kind.SetSelectedIndex(0)
	d.algorithm.SetSelectedIndex(0)
	// Enter in any field adds, once the account is good.
	submit := func(string) {
		if !d.addBtn.Disabled() {
			d.onAdd(vault.RefuseConflicts)
		}
	}
	for _, e := range []*entry{d.uri, d.issuer, d.name, d.secret, d.digits, d.period, d.counter, d.group} {
		e.OnSubmitted = submit
	}
	d.message = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	d.addBtn = &widget.Button{Text: "Add", Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: func() { d.onAdd(vault.RefuseConflicts) }}
	d.keepBoth = &widget.Button{Text: "Add anyway, keep both", OnTapped: func() { d.onAdd(vault.KeepBoth) }}
	d.keepBoth.Hide()
	d.cancelBtn = &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: func() { d.dlg.Hide() }}

	// QR codes come in through the window's scanner: a single account found
	// fills the form; several go to its plan dialog.
	for _, s := range []struct {
		label, what string
		icon        fyne.Resource
	}{
		{"Image…", fromImage, theme.FileImageIcon()}, {"Screen", fromScreen, theme.ComputerIcon()}, {"Camera", fromCamera, theme.MediaVideoIcon()},
		{"Screen area", fromScreenArea, theme.ViewFullScreenIcon()},
	} {
		what := s.what
		d.scanBtns = append(d.scanBtns, &widget.Button{Text: s.label, Icon: s.icon, OnTapped: func() { d.scan(what, d) }})
	}
	scanNote := &widget.Label{Text: "To add many at once, drop images of their QR codes onto the window.",
		Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}

	form := widget.NewForm(
		widget.NewFormItem("Issuer", d.issuer),
		widget.NewFormItem("Account", d.name),
		&widget.FormItem{Text: "Secret key", Widget: d.secret, HintText: "letters A–Z and digits 2–7"},
		widget.NewFormItem("Type", d.kind),
		widget.NewFormItem("Algorithm", d.algorithm),
		widget.NewFormItem("Digits", d.digits),
		widget.NewFormItem("Period (s)", d.period),
		widget.NewFormItem("Counter", d.counter),
		widget.NewFormItem("Group", d.group),
		&widget.FormItem{Widget: d.device, HintText: "never in backups or exports"},
	)
	top := container.NewVBox(
		&widget.Label{Text: "From a QR code", TextStyle: fyne.TextStyle{Bold: true}},
		container.NewGridWithColumns(2, d.scanBtns[0], d.scanBtns[2], d.scanBtns[1], d.scanBtns[3]), // Image and Camera, then the screen
		scanNote,
		widget.NewSeparator(),
		&widget.Label{Text: "Paste a setup link", TextStyle: fyne.TextStyle{Bold: true}},
		d.uri,
		&widget.Label{Text: "Or enter it by hand", TextStyle: fyne.TextStyle{Bold: true}},
		form,
	)
	buttons := container.NewHBox(d.keepBoth, d.cancelBtn, d.addBtn)
	d.onChanged()
	scroll := container.NewVScroll(top)
	scroll.SetMinSize(fyne.NewSize(380, 360))
	return container.NewBorder(nil, container.NewVBox(d.message, container.NewCenter(buttons)), nil, nil, scroll)
}

func (d *addDialog) show() {
	title := "Add an account"
	if d.complete != "" {
		title = "Complete an account"
	}
	d.dlg = dialog.NewCustomWithoutButtons(title, d.buildUI(), d.f.win)
	d.dlg.Resize(fyne.NewSize(min(520, d.f.win.Canvas().Size().Width), min(620, d.f.win.Canvas().Size().Height)))
	d.dlg.Show()
	d.f.dialogs.push(d.dlg, nil, nil)
	d.f.win.Canvas().Focus(d.uri)
}

// onURI fills the fields from a pasted link, so that one sees what will be added.
func (d *addDialog) onURI() {
	s := strings.TrimSpace(d.uri.Text)
	if s == "" {
		d.onChanged()
		return
	}
	a, err := vault.ParseURI(s)
	if err != nil {
		d.setMessage(inWords(err))
		d.addBtn.Disable()
		return
	}
	d.fillFrom(a)
}

// fillFrom puts an account's fields into the form.
func (d *addDialog) fillFrom(a vault.Account) {
	a.Normalize()
	d.issuer.SetText(a.Issuer)
	d.name.SetText(a.Name)
	d.secret.SetText(a.SecretBase32())
	d.kind.SetSelectedIndex(map[vault.Type]int{vault.TOTP: 0, vault.HOTP: 1, vault.Steam: 2}[a.Type])
	d.algorithm.SetSelected(string(a.Algorithm))
	d.digits.SetText(strconv.Itoa(a.Digits))
	d.period.SetText(strconv.Itoa(max(a.Period, vault.DefaultPeriod)))
	d.counter.SetText(strconv.FormatUint(a.Counter, 10))
	if a.Group != "" {
		d.group.SetText(a.Group)
	}
	d.device.SetChecked(a.Binding == vault.DeviceBound)
	d.onChanged()
}

// account reads the form into an account, or says what is wrong with it.
func (d *addDialog) account() (vault.Account, error) {
	a := vault.Account{
		Issuer:    d.issuer.Text,
		Name:      d.name.Text,
		Type:      []vault.Type{vault.TOTP, vault.HOTP, vault.Steam}[max(0, d.kind.SelectedIndex())],
		Algorithm: vault.Algorithm(d.algorithm.Selected),
		Group:     d.group.Text,
		Binding:   vault.Portable,
	}
	if d.device.Checked {
		a.Binding = vault.DeviceBound
	}
	if strings.TrimSpace(a.Issuer) == "" && strings.TrimSpace(a.Name) == "" {
		return a, errors.New("give the account an issuer or a name")
	}
	secret, err := vault.ParseSecret(d.secret.Text)
	if err != nil {
		return a, err
	}
	a.Secret = secret
	if a.Digits, err = strconv.Atoi(strings.TrimSpace(d.digits.Text)); err != nil && a.Type != vault.Steam {
		return a, errors.New("digits must be a number, usually 6")
	}
	if a.Type == vault.TOTP {
		if a.Period, err = strconv.Atoi(strings.TrimSpace(d.period.Text)); err != nil {
			return a, errors.New("the period must be a number of seconds, usually 30")
		}
	}
	if a.Type == vault.HOTP {
		if a.Counter, err = strconv.ParseUint(strings.TrimSpace(d.counter.Text), 10, 64); err != nil {
			return a, errors.New("the counter must be a whole number, usually 0")
		}
	}
	a.Normalize()
	return a, a.Validate()
}

// onChanged checks the form as one types.
func (d *addDialog) onChanged() {
	if d.message == nil {
		return
	}
	kind := max(0, d.kind.SelectedIndex())
	enable := func(e fyne.Disableable, on bool) {
		if on {
			e.Enable()
		} else {
			e.Disable()
		}
	}
	enable(d.algorithm, kind != 2)
	enable(d.digits, kind != 2)
	enable(d.period, kind == 0)
	enable(d.counter, kind == 1)
	d.keepBoth.Hide()
	if strings.TrimSpace(d.secret.Text) == "" && d.issuer.Text == "" && d.name.Text == "" {
		d.setMessage("")
		d.addBtn.Disable()
		return
	}
	if _, err := d.account(); err != nil {
		d.setMessage(capitalize(inWords(err)))
		d.addBtn.Disable()
		return
	}
	d.setMessage("")
	d.addBtn.Enable()
}

func (d *addDialog) setMessage(s string) {
	d.message.SetText(s)
	d.message.Hidden = s == ""
	d.message.Refresh()
}

// onAdd shows what the merge rule makes of the account and applies it.
func (d *addDialog) onAdd(m vault.Merge) {
	a, err := d.account()
	if err != nil {
		d.setMessage(capitalize(inWords(err)))
		return
	}
	plan := d.vault.current().Plan([]vault.Account{a})
	it := plan.Items[0]
	switch it.Disposition {
	case vault.Invalid:
		d.setMessage(capitalize(inWords(it.Reason)))
		return
	case vault.Present:
		d.setMessage("This account is already in Authdeck (same secret key): " + labelOf(d.vault.current(), it.Local) + ".")
		return
	case vault.Conflict:
		if m != vault.KeepBoth {
			d.setMessage(fmt.Sprintf("Authdeck already has %s with another secret key. Delete that one first if it is old, or keep both.", labelOf(d.vault.current(), it.Local)))
			d.keepBoth.Show()
			return
		}
	case vault.Completes:
	default:
		if d.complete != "" {
			d.setMessage("This link is for another account: the issuer and name must be those of " + labelOf(d.vault.current(), d.complete) + ".")
			return
		}
	}
	var ids []string
	d.addBtn.Disable()
	d.vault.update(func(v *vault.Vault) (err error) {
		ids, err = v.Apply(v.Plan([]vault.Account{a}), m, d.f.now())
		return err
	}, func(err error) {
		d.onChanged()
		if err != nil {
			return
		}
		d.dlg.Hide()
		if len(ids) > 0 {
			d.vault.showAll()
			d.focus(ids[0])
			if it.Disposition == vault.Completes {
				d.f.notify("Completed " + a.Label())
			} else {
				d.f.notify("Added " + a.Label())
			}
		}
	})
}

func (w *mainWindow) onAdd() {
	if w.v == nil {
		return
	}
	w.addDlg = newAddDialog(w)
	w.addDlg.show()
}

// onComplete offers to complete the needs-verification account at shown
// position i with a fresh setup link from its provider.
func (w *mainWindow) onComplete(i int) {
	a := w.account(i)
	if a == nil {
		return
	}
	d := newAddDialog(w)
	d.complete = a.ID
	d.show()
	w.addDlg = d
	d.issuer.SetText(a.Issuer)
	d.name.SetText(a.Name)
	d.setMessage("This account was restored without its key, which never leaves the device it was made on. " +
		"Ask " + cmp.Or(a.Issuer, "the provider") + " for a new QR code or setup link and paste the link here.")
}

// labelOf returns the label of the account of v with the given ID.
func labelOf(v *vault.Vault, id string) string {
	if a, err := v.Account(id); err == nil {
		return a.Label()
	}
	return "an account"
}

// capitalize starts s with a capital letter, for errors shown as sentences.
func capitalize(s string) string {
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
