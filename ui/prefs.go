package ui

import (
	"cmp"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authdeck/vault"
)

// prefsDialog edits the preferences kept in the vault: theme, hidden codes,
// how long a copied code stays on the clipboard, and the clock check.
type prefsDialog struct {
	f     *frame
	vault vaultView
	// recheckClock checks the clock again, after its settings changed.
	recheckClock func()

	theme *widget.RadioGroup
	hide  *widget.Check
	delay *widget.Select
	clock *clockPrefs
	lock  *lockPrefs
	tray  *trayPrefs
}

// clipboardChoices are the clipboard delays offered, in seconds; -1 is never.
var clipboardChoices = []struct {
	label string
	secs  int
}{{"10 seconds", 10}, {"30 seconds", 30}, {"1 minute", 60}, {"2 minutes", 120}, {"Never", -1}}

var themeChoices = []struct{ label, value string }{{"Like the system", "system"}, {"Light", "light"}, {"Dark", "dark"}}

func (w *mainWindow) onPrefs() {
	if w.v == nil {
		return
	}
	p := w.v.Prefs
	w.prefsDlg = &prefsDialog{f: w.frame, vault: w, recheckClock: w.clockw.restart,
		clock: w.newClockPrefs(p), lock: newLockPrefs(w, p), tray: newTrayPrefs(w.frame, w.sess, w.tray.host != nil, p)}
	w.prefsDlg.show()
}

func (d *prefsDialog) show() {
	p := d.vault.current().Prefs
	var labels []string
	for _, c := range themeChoices {
		labels = append(labels, c.label)
	}
	d.theme = &widget.RadioGroup{Options: labels, Required: true}
	d.theme.SetSelected(labels[0])
	for _, c := range themeChoices {
		if c.value == p.Theme {
			d.theme.SetSelected(c.label)
		}
	}
	d.hide = &widget.Check{Text: "Hide until clicked", Checked: p.HideCodes}
	var delays []string
	for _, c := range clipboardChoices {
		delays = append(delays, c.label)
	}
	d.delay = &widget.Select{Options: delays}
	secs := p.ClipboardClearSeconds
	if secs == 0 {
		secs = 30
	}
	d.delay.SetSelectedIndex(1)
	for i, c := range clipboardChoices {
		if c.secs == secs || (secs < 0 && c.secs < 0) {
			d.delay.SetSelectedIndex(i)
		}
	}
	items := []*widget.FormItem{
		widget.NewFormItem("Theme", d.theme),
		widget.NewFormItem("Codes", d.hide),
		{Text: "Clear copy after", Widget: d.delay, HintText: "only if the clipboard still holds the code"},
	}
	items = append(items, d.clock.items()...)
	items = append(items, d.lock.items()...)
	form := widget.NewForm(append(items, d.tray.items()...)...)
	// The form scrolls where the window is smaller than it.
	dlg := dialog.NewCustomConfirm("Preferences", "Save", "Cancel", container.NewVScroll(form), d.onSave, d.f.win)
	size := d.f.win.Canvas().Size()
	dlg.Resize(fyne.NewSize(min(520, size.Width), min(form.MinSize().Height+120, size.Height)))
	dlg.Show()
	d.f.dialogs.push(dlg, nil, nil)
}

func (d *prefsDialog) onSave(ok bool) {
	if !ok {
		return
	}
	p := vault.Prefs{HideCodes: d.hide.Checked, Theme: "system"}
	for _, c := range themeChoices {
		if c.label == d.theme.Selected {
			p.Theme = c.value
		}
	}
	p.ClipboardClearSeconds = clipboardChoices[max(0, d.delay.SelectedIndex())].secs
	clockOff, server, clockChanged := d.clock.choices(d.vault.current().Prefs)
	d.lock.save(&p)
	d.tray.save(&p)
	d.vault.update(func(v *vault.Vault) error {
		v.Prefs.Theme, v.Prefs.HideCodes, v.Prefs.ClipboardClearSeconds = p.Theme, p.HideCodes, p.ClipboardClearSeconds
		v.Prefs.ClockCheckOff, v.Prefs.ClockServer = clockOff, server
		v.Prefs.AutoLockMinutes, v.Prefs.SystemUnlock = p.AutoLockMinutes, p.SystemUnlock
		v.Prefs.TrayOff, v.Prefs.StartHidden, v.Prefs.StartAtLogin = p.TrayOff, p.StartHidden, p.StartAtLogin
		v.Prefs.CaptureProtectionOff = p.CaptureProtectionOff
		return nil
	}, func(err error) {
		if err == nil && clockChanged {
			d.recheckClock()
		}
	})
}

// variantTheme is the default theme held to one variant, or following the
// system when variant is nil.
type variantTheme struct {
	fyne.Theme
	variant *fyne.ThemeVariant
}

func (t *variantTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.variant != nil {
		v = *t.variant
	}
	return t.Theme.Color(n, v)
}

// applyTheme sets the theme preference ("system", "light" or "dark") when it changed.
func (w *mainWindow) applyTheme(pref string) {
	pref = cmp.Or(pref, "system") // a vault that never saved its preferences
	if w.themeSet && pref == w.themePref {
		return
	}
	w.themePref, w.themeSet = pref, true
	t := &variantTheme{Theme: theme.DefaultTheme()}
	switch pref {
	case "light":
		v := theme.VariantLight
		t.variant = &v
	case "dark":
		v := theme.VariantDark
		t.variant = &v
	}
	w.app.Settings().SetTheme(t)
	// Widgets built before the theme was set (the search field) keep their
	// colours until refreshed.
	if c := w.win.Content(); c != nil {
		c.Refresh()
	}
	if w.snack != nil {
		w.snack.FillColor = theme.Color(theme.ColorNameOverlayBackground)
		w.snack.StrokeColor = theme.Color(theme.ColorNameInputBorder)
		w.snack.Refresh()
	}
}
