package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authdeck/vault"
)

// planOptions says how a plan dialog reads for the caller that brings
// accounts in: a scan, an import or a restore.
type planOptions struct {
	title  string // the dialog's title, e.g. "Import from Aegis"
	action string // the default button, e.g. "Add", "Import" or "Restore"
	// note is shown above the list, e.g. "2 of 3 codes scanned, missing
	// code 2" or "1 file had no QR code". Empty shows none.
	note string
	// keepBoth offers to add conflicting accounts beside the local ones.
	// Skipping the conflicts is always offered.
	keepBoth bool
	// more, when set, is a second button (labelled moreLabel) that closes the
	// dialog without changing anything and lets the caller gather more, such
	// as the next code of a transfer.
	more      func()
	moreLabel string
	// apply carries out the plan with the merge the user chose, then calls
	// done with nil; an error, which apply has already shown, keeps the dialog
	// open.
	apply func(m vault.Merge, done func(error))
	// cancelled, when set, is called when the dialog closes by Cancel or
	// Escape: neither applied nor left for more.
	cancelled func()
}

// planDialog previews what bringing many accounts in would do ([vault.Plan]):
// every account with its disposition in words, the totals, and the choice
// for conflicts. Nothing changes until the user presses the action button;
// Cancel and Escape change nothing. Enter presses the action button when it
// is enabled.
type planDialog struct {
	plan vault.Plan
	opts planOptions

	// words holds, for each plan item, its label and what the merge does
	// with it, as the list shows them.
	words [][2]string

	note      *widget.Label
	list      *widget.List
	totals    *widget.Label
	conflicts *widget.RadioGroup // nil without conflicts
	message   *widget.Label
	actionBtn *widget.Button
	moreBtn   *widget.Button // nil without opts.more
	cancelBtn *widget.Button
	dlg       *dialog.CustomDialog
	done      bool // applied, or closed for more
}

// Choices for conflicts, as the radio group shows them.
const (
	skipConflictsChoice = "Skip the conflicts, add the rest"
	keepBothChoice      = "Keep both: add them beside the ones here"
)

// showPlan shows a plan dialog over the window and returns it. local is the
// vault the plan was made against, whose accounts it names.
func (f *frame) showPlan(local *vault.Vault, plan vault.Plan, opts planOptions) *planDialog {
	d := &planDialog{plan: plan, opts: opts}
	d.dlg = dialog.NewCustomWithoutButtons(opts.title, d.buildUI(local), f.win)
	size := f.win.Canvas().Size()
	d.dlg.Resize(fyne.NewSize(min(560, size.Width), min(560, size.Height)))
	d.dlg.Show()
	f.dialogs.push(d.dlg, d.onEnter, func() {
		if !d.done && opts.cancelled != nil {
			opts.cancelled()
		}
	})
	return d
}

func (d *planDialog) buildUI(local *vault.Vault) fyne.CanvasObject {
	for i := range d.plan.Items {
		it := &d.plan.Items[i]
		d.words = append(d.words, [2]string{itemLabel(&it.Account), dispositionInWords(local, it)})
	}
	d.note = &widget.Label{Text: d.opts.note, Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}
	d.note.Hidden = d.opts.note == ""
	d.list = &widget.List{
		Length: func() int { return len(d.words) },
		CreateItem: func() fyne.CanvasObject {
			// The two lines of a row overlap their labels' padding, so that
			// more rows fit.
			return container.NewBorder(nil, nil, widget.NewIcon(nil), nil, container.New(
				layout.NewCustomPaddedVBoxLayout(-2*theme.InnerPadding()),
				&widget.Label{Truncation: fyne.TextTruncateEllipsis},
				&widget.Label{Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText},
			))
		},
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			texts := c.Objects[0].(*fyne.Container).Objects
			texts[0].(*widget.Label).SetText(d.words[i][0])
			texts[1].(*widget.Label).SetText(d.words[i][1])
			c.Objects[1].(*widget.Icon).SetResource(dispositionIcon(d.plan.Items[i]))
		},
	}
	// The rows are to read, not to pick.
	d.list.OnSelected = func(i widget.ListItemID) { d.list.Unselect(i) }
	d.list.ExtendBaseWidget(d.list)
	d.totals = &widget.Label{Text: planTotals(&d.plan), Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	d.message = &widget.Label{Wrapping: fyne.TextWrapWord}

	d.actionBtn = &widget.Button{Text: d.opts.action, Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: d.onAction}
	d.cancelBtn = &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: func() { d.dlg.Hide() }}
	buttons := container.NewHBox(d.cancelBtn)
	if d.opts.more != nil {
		d.moreBtn = &widget.Button{Text: d.opts.moreLabel, Icon: theme.ContentAddIcon(), OnTapped: func() {
			d.done = true
			d.dlg.Hide()
			d.opts.more()
		}}
		buttons.Add(d.moreBtn)
	}
	buttons.Add(d.actionBtn)

	bottom := container.NewVBox(d.totals)
	if n := d.plan.Count(vault.Conflict); n > 0 {
		options := []string{skipConflictsChoice}
		if d.opts.keepBoth {
			options = append(options, keepBothChoice)
		}
		d.conflicts = &widget.RadioGroup{Options: options, OnChanged: func(string) { d.check() }}
		d.conflicts.ExtendBaseWidget(d.conflicts)
		bottom.Add(d.conflicts)
	}
	bottom.Add(d.message)
	bottom.Add(container.NewCenter(buttons))
	d.check()
	return container.NewBorder(d.note, bottom, nil, nil, d.list)
}

// merge is the merge the user chose for conflicts.
func (d *planDialog) merge() vault.Merge {
	if d.conflicts == nil {
		return vault.RefuseConflicts
	}
	switch d.conflicts.Selected {
	case skipConflictsChoice:
		return vault.SkipConflicts
	case keepBothChoice:
		return vault.KeepBoth
	}
	return vault.RefuseConflicts
}

// check enables the action button when the plan, with the choice for
// conflicts, would change something and no conflict is left undecided.
func (d *planDialog) check() {
	conflicts := d.plan.Count(vault.Conflict)
	m := d.merge()
	changes := d.plan.Count(vault.New) + d.plan.Count(vault.Completes)
	if m == vault.KeepBoth {
		changes += conflicts
	}
	switch {
	case conflicts > 0 && m == vault.RefuseConflicts:
		what := "the old account first, or choose above what to do with the conflict"
		if conflicts > 1 {
			what = fmt.Sprintf("the old accounts first, or choose above what to do with the %d conflicts", conflicts)
		}
		d.setMessage("Nothing is overwritten: delete "+what+".", true)
		d.actionBtn.Disable()
	case changes == 0:
		d.setMessage("There is nothing to "+strings.ToLower(d.opts.action)+".", false)
		d.actionBtn.Disable()
	default:
		d.setMessage("", false)
		d.actionBtn.Enable()
	}
}

func (d *planDialog) setMessage(s string, warn bool) {
	d.message.Importance = widget.MediumImportance
	if warn {
		d.message.Importance = widget.WarningImportance
	}
	d.message.Text = s
	d.message.Hidden = s == ""
	d.message.Refresh()
}

// onEnter runs the action, as Enter asks, when it is enabled.
func (d *planDialog) onEnter() {
	if !d.actionBtn.Disabled() {
		d.onAction()
	}
}

func (d *planDialog) onAction() {
	d.actionBtn.Disable() // until the save is done
	d.opts.apply(d.merge(), func(err error) {
		d.actionBtn.Enable()
		if err == nil {
			d.done = true
			d.dlg.Hide()
		}
	})
}

// dispositionInWords says what a merge into local does with one plan item.
func dispositionInWords(local *vault.Vault, it *vault.PlanItem) string {
	switch it.Disposition {
	case vault.New:
		if it.Account.NeedsVerification {
			return "new, needs verification: this device needs a fresh QR code from " + providerOf(&it.Account)
		}
		if it.Account.Binding == vault.DeviceBound {
			return "new, this device only"
		}
		return "new"
	case vault.Present:
		if here := labelOf(local, it.Local); here != it.Account.Label() {
			return "already present as " + here + ", skipped"
		}
		return "already present, skipped"
	case vault.Conflict:
		return "conflict: same issuer and name as one here, another secret key"
	case vault.Completes:
		return "completes the account here that needs verification"
	}
	return "invalid: " + inWords(it.Reason)
}

// dispositionIcon is the icon beside an item of the plan.
func dispositionIcon(it vault.PlanItem) fyne.Resource {
	switch it.Disposition {
	case vault.New, vault.Completes:
		if it.Account.NeedsVerification {
			return theme.WarningIcon()
		}
		return theme.ContentAddIcon()
	case vault.Present:
		return theme.ConfirmIcon()
	case vault.Conflict:
		return theme.WarningIcon()
	}
	return theme.ErrorIcon()
}

// planTotals sums a plan up before it is applied.
func planTotals(p *vault.Plan) string {
	s := fmt.Sprintf("New %d, already present %d, conflicts %d, invalid %d",
		p.Count(vault.New), p.Count(vault.Present), p.Count(vault.Conflict), p.Count(vault.Invalid))
	if n := p.Count(vault.Completes); n > 0 {
		s += fmt.Sprintf(", completes %d", n)
	}
	return s
}

// planResult sums up what applying p with m did, for the status line:
// "Added 2, already present 1, conflicts 1 (skipped), invalid 0".
func planResult(p *vault.Plan, m vault.Merge) string {
	added, conflicts := p.Count(vault.New), p.Count(vault.Conflict)
	if m == vault.KeepBoth {
		added += conflicts
	}
	s := fmt.Sprintf("Added %d, already present %d, conflicts %d", added, p.Count(vault.Present), conflicts)
	switch {
	case conflicts > 0 && m == vault.KeepBoth:
		s += " (kept both)"
	case conflicts > 0:
		s += " (skipped)"
	}
	s += fmt.Sprintf(", invalid %d", p.Count(vault.Invalid))
	if n := p.Count(vault.Completes); n > 0 {
		s += fmt.Sprintf(", completed %d", n)
	}
	return s
}

// itemLabel names an incoming account: "Issuer: name", or whichever it has.
func itemLabel(a *vault.Account) string {
	switch {
	case a.Issuer != "" && a.Name != "":
		return a.Issuer + ": " + a.Name
	case a.Issuer != "" || a.Name != "":
		return a.Issuer + a.Name
	}
	return "(no issuer or name)"
}

// providerOf names the provider of an account for advice.
func providerOf(a *vault.Account) string {
	if a.Issuer != "" {
		return a.Issuer
	}
	return "its provider"
}

// count says "1 account has" or "3 accounts have".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// addAccounts brings incoming accounts in with merge m, planned again on the
// vault as it is on disk and saved at once, or not at all. It says in the
// status line what it did, and gives done the error, already shown, or nil.
func (w *mainWindow) addAccounts(incoming []vault.Account, m vault.Merge, done func(error)) {
	var plan vault.Plan
	w.update(func(v *vault.Vault) error {
		plan = v.Plan(incoming)
		_, err := v.Apply(plan, m, w.now())
		return err
	}, func(err error) {
		if err == nil {
			w.search.SetText("")
			w.setNote(planResult(&plan, m))
		}
		done(err)
	})
}
