package ui

import (
	"time"

	"fyne.io/fyne/v2"
)

// clipboardGuard copies codes and takes them off the clipboard again after a
// delay, and on quit, but only while the clipboard still holds that code: it
// never clears what the user copied since.
type clipboardGuard struct {
	app   fyne.App
	now   func() time.Time
	code  string
	timer *time.Timer
}

func newClipboardGuard(a fyne.App, now func() time.Time) *clipboardGuard {
	return &clipboardGuard{app: a, now: now}
}

// copy puts code on the clipboard and clears it after delay; zero never clears.
func (g *clipboardGuard) copy(code string, delay time.Duration) {
	g.app.Clipboard().SetContent(code)
	g.code = code
	if g.timer != nil {
		g.timer.Stop()
	}
	if delay > 0 {
		g.timer = time.AfterFunc(delay, func() { fyne.Do(g.clearNow) })
	}
}

// clearNow empties the clipboard if it still holds the copied code.
func (g *clipboardGuard) clearNow() {
	if g.code == "" {
		return
	}
	if g.app.Clipboard().Content() == g.code {
		g.app.Clipboard().SetContent("")
	}
	g.code = ""
}
