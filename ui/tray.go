package ui

import (
	"slices"

	"fyne.io/fyne/v2"

	"authdeck/vault"
)

// Sizes of the tray menu.
const (
	trayRecent    = 5  // the recently copied accounts it lists, without favourites
	trayFavorites = 15 // the most favourites it lists
)

// trayApp is what the tray needs of Fyne's desktop app.
type trayApp interface {
	SetSystemTrayMenu(*fyne.Menu)
	SetSystemTrayWindow(fyne.Window)
}

// tray is Authdeck's icon in the system tray, where a tray host answers. Its
// menu copies the codes of the favourite accounts (or of the five copied last),
// shows or hides the window, locks and quits; locked, it only unlocks and
// quits. Closing the window hides it in the tray (a preference), and hidden,
// the clock stops.
type tray struct {
	w    *mainWindow
	host trayApp // nil: no tray

	recent      []string // the IDs of the accounts copied last, newest first
	hidden      bool     // the window is hidden in the tray
	closeToTray bool
	loaded      bool // the vault was shown once (start hidden applies then)
	menu        *fyne.Menu
}

func newTray(w *mainWindow) *tray { return &tray{w: w, closeToTray: true} }

// start puts the icon in the tray when host is not nil.
func (t *tray) start(host trayApp) {
	if host == nil {
		return
	}
	t.host = host
	host.SetSystemTrayWindow(t.w.win) // a click on the icon shows the window
	t.w.win.SetCloseIntercept(t.w.onClose)
	t.refresh()
}

// onClose hides the window in the tray, or quits where there is no tray or
// the preferences say so.
func (w *mainWindow) onClose() {
	if w.tray.host == nil || !w.tray.closeToTray {
		w.quit()
		return
	}
	w.tray.hide()
}

func (t *tray) hide() {
	t.w.win.Hide()
	t.hidden = true
	t.w.setVisible(false)
	t.refresh()
}

func (t *tray) show() {
	t.hidden = false
	t.w.raise()
	if t.w.lock.locked {
		t.w.lock.focus()
	}
	t.refresh()
}

// vaultShown takes the preferences of the vault on screen: close to tray,
// and start hidden when it first opens.
func (t *tray) vaultShown(v *vault.Vault) {
	t.closeToTray = !v.Prefs.TrayOff
	if !t.loaded {
		t.loaded = true
		if t.host != nil && v.Prefs.StartHidden {
			t.hide()
		}
	}
	t.refresh()
}

// copied notes that the account with id had its code copied.
func (t *tray) copied(id string) {
	t.recent = slices.DeleteFunc(t.recent, func(r string) bool { return r == id })
	t.recent = slices.Insert(t.recent, 0, id)
	t.recent = t.recent[:min(len(t.recent), trayRecent)]
	t.refresh()
}

// refresh gives the tray its menu anew.
func (t *tray) refresh() {
	if t.host == nil {
		return
	}
	t.menu = t.buildMenu()
	t.host.SetSystemTrayMenu(t.menu)
}

func (t *tray) buildMenu() *fyne.Menu {
	w := t.w
	quit := &fyne.MenuItem{Label: "Quit", IsQuit: true, Action: w.quit}
	if w.lock.locked {
		return fyne.NewMenu("Authdeck", &fyne.MenuItem{Label: "Unlock", Action: t.show},
			fyne.NewMenuItemSeparator(), quit)
	}
	items := t.accountItems()
	if len(items) > 0 {
		items = append(items, fyne.NewMenuItemSeparator())
	}
	toggle := &fyne.MenuItem{Label: "Hide", Action: t.hide}
	if t.hidden {
		toggle = &fyne.MenuItem{Label: "Show", Action: t.show}
	}
	items = append(items, toggle, &fyne.MenuItem{Label: "Lock", Action: w.lockNow, Disabled: w.v == nil},
		fyne.NewMenuItemSeparator(), quit)
	return fyne.NewMenu("Authdeck", items...)
}

// accountItems are the menu items that copy codes: the favourite accounts,
// or without favourites the ones copied last. HOTP accounts are left out:
// a code of theirs costs a step of the counter, which the window shows.
func (t *tray) accountItems() []*fyne.MenuItem {
	v := t.w.v
	if v == nil {
		return nil
	}
	var ids []string
	for _, a := range v.Accounts {
		if a.Favorite && a.Type != vault.HOTP && len(ids) < trayFavorites {
			ids = append(ids, a.ID)
		}
	}
	if len(ids) == 0 {
		ids = t.recent
	}
	var items []*fyne.MenuItem
	for _, id := range ids {
		if i := v.Index(id); i >= 0 && v.Accounts[i].Type != vault.HOTP {
			items = append(items, &fyne.MenuItem{Label: v.Accounts[i].Label(), Action: func() { t.copy(id) }})
		}
	}
	return items
}

// copy copies the code of the account with id, which the clipboard loses
// again as after a click on its tile.
func (t *tray) copy(id string) {
	w := t.w
	if w.v == nil || w.v.Index(id) < 0 {
		return
	}
	a := &w.v.Accounts[w.v.Index(id)]
	code, err := a.Code(w.now())
	if err != nil {
		w.showError(err)
		return
	}
	w.clip.copy(code, clearDelay(w.v.Prefs))
	t.copied(id)
}
