package ui

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"authdeck/internal/autostart"
	"authdeck/vault"
)

// trayPrefs is the preferences' part about the window and the tray.
type trayPrefs struct {
	f           *frame
	sess        *session
	closeToTray *widget.Check
	startHidden *widget.Check
	atLogin     *widget.Check
	capture     *widget.Check
	note        *widget.Label
}

// newTrayPrefs returns the part for prefs p; hasTray says whether a tray
// host answers on this desktop.
func newTrayPrefs(f *frame, sess *session, hasTray bool, p vault.Prefs) *trayPrefs {
	t := &trayPrefs{
		f:           f,
		sess:        sess,
		atLogin:     &widget.Check{Text: "Start at login", Checked: p.StartAtLogin},
		capture:     &widget.Check{Text: "Hide from screen capture", Checked: !p.CaptureProtectionOff},
		closeToTray: &widget.Check{Text: "Close to the tray", Checked: !p.TrayOff},
		startHidden: &widget.Check{Text: "Start hidden in the tray", Checked: p.StartHidden},
		note:        &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance},
	}
	if !hasTray {
		t.closeToTray.Disable()
		t.startHidden.Disable()
		t.note.SetText("No tray answers on this desktop (no StatusNotifier host), so closing the window quits.")
	}
	if runtime.GOOS != "linux" {
		t.atLogin.Disable() // the installer's option on Windows, the login items on macOS
	}
	if !captureProtection {
		t.capture.Hide()
		t.note.SetText(t.note.Text + " This system offers no way to keep a window out of screenshots " +
			"and screen sharing (X11 and Wayland have none): lock Authdeck before you share your screen.")
	}
	return t
}

func (t *trayPrefs) items() []*widget.FormItem {
	return []*widget.FormItem{{Text: "Window", Widget: container.NewVBox(t.closeToTray, t.startHidden, t.atLogin, t.capture, t.note)}}
}

// save puts the choices into p and writes or removes the autostart entry
// when that choice changed.
func (t *trayPrefs) save(p *vault.Prefs) {
	p.TrayOff, p.StartHidden, p.StartAtLogin = !t.closeToTray.Checked, t.startHidden.Checked, t.atLogin.Checked
	p.CaptureProtectionOff = !t.capture.Checked
	if t.atLogin.Disabled() || t.atLogin.Checked == autostart.On() {
		return
	}
	on := t.atLogin.Checked
	var err error
	t.sess.run(func() { err = autostart.Set(on) }, func() {
		if err != nil {
			t.f.showError(err)
		}
	})
}
