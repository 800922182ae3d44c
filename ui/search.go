package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// searchEntry is the search field: it filters the tiles as one types, Enter
// copies the first match, Escape clears it, and Down goes to the tiles.
type searchEntry struct {
	widget.Entry
	w *mainWindow
}

func newSearchEntry(w *mainWindow) *searchEntry {
	e := &searchEntry{w: w}
	e.PlaceHolder = "Search accounts"
	e.OnChanged = func(string) { w.filter() }
	e.OnSubmitted = func(string) { w.onCopy(0) }
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey adds Escape and Down to the entry's keys.
func (e *searchEntry) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		e.SetText("")
	case fyne.KeyDown:
		e.w.focusTile(0)
	default:
		e.Entry.TypedKey(ev)
	}
}

// TypedShortcut lets the window's own shortcuts (Ctrl+N, Ctrl+, and the
// others) work while one types a search.
func (e *searchEntry) TypedShortcut(sc fyne.Shortcut) {
	if cs, ok := sc.(*desktop.CustomShortcut); ok && e.w.hasShortcut(cs) {
		e.w.keys.TypedShortcut(sc)
		return
	}
	e.Entry.TypedShortcut(sc)
}
