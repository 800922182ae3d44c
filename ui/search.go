package ui

import (
	"fyne.io/fyne/v2"
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
