package ui

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authdeck/assets"
	"authdeck/vault"
)

// website is Authdeck's home page, as FyneApp.toml names it.
const website = "https://github.com/authdeck/authdeck"

// aboutDialog says what Authdeck is, which version runs, and where and how
// it keeps the accounts.
type aboutDialog struct {
	version *widget.Label
	place   *widget.Label
	dlg     *dialog.CustomDialog
}

func (w *mainWindow) onAbout() {
	w.showAbout()
}

// showAbout shows the About dialog and returns it.
func (w *mainWindow) showAbout() *aboutDialog {
	d := &aboutDialog{}
	icon := canvas.NewImageFromResource(assets.Icon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(96))
	name := &widget.Label{Text: "Authdeck", Alignment: fyne.TextAlignCenter, SizeName: theme.SizeNameHeadingText}
	d.version = &widget.Label{Text: "Version " + versionText(w.app), Alignment: fyne.TextAlignCenter}
	about := &widget.Label{Text: "Two-factor codes for your accounts, with their keys kept safe by your computer's keychain.",
		Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	d.place = &widget.Label{Text: placeText(w.sess.store), Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter}
	links := container.NewHBox()
	for _, l := range []struct{ text, url string }{
		{"Website", website},
		{"Backup format", website + "/blob/main/docs/backup-format.md"},
		{"Report a problem", website + "/issues"},
	} {
		if u, err := url.Parse(l.url); err == nil {
			links.Add(widget.NewHyperlink(l.text, u))
		}
	}
	content := container.NewVBox(container.NewCenter(icon), name, d.version, about, d.place, container.NewCenter(links))
	d.dlg = dialog.NewCustom("About Authdeck", "Close", content, w.win)
	w.showDialog(d.dlg, 440)
	w.dialogs.setEnter(d.dlg, d.dlg.Hide)
	return d
}

// versionText is the version of this build, or the version in the app's
// metadata for a development build made by the fyne tool.
func versionText(a fyne.App) string {
	if Version == "dev" {
		if m := a.Metadata(); m.Version != "" {
			return m.Version + " (development build)"
		}
		return "dev (development build)"
	}
	return Version
}

// placeText says where the vault lives and what protects it.
func placeText(s *vault.Store) string {
	how := "a key in your system keychain"
	if mode, err := s.Mode(); err == nil && mode == vault.PasswordMode {
		how = "your passphrase, asked for at every start"
	}
	return "Your accounts are kept in " + s.Dir() + ", encrypted with " + how + "."
}
