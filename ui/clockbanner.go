package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"math"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authdeck/vault"
)

// clockWatch checks the computer's clock for the window: at start, every few
// hours, and at once after the wall clock jumped (a resume from suspend, or
// the clock being set), as [vault.ClockWatch] says, driven by the window's
// one ticker. The check runs on its own goroutine, since a time server can
// take seconds to answer; its result comes back through fyne.Do.
type clockWatch struct {
	w     *mainWindow
	watch vault.ClockWatch
	begun bool // the correction kept beside the vault was read

	// mono is a clock that does not jump: the time since the window
	// started. Tests replace it, and check.
	mono  func() time.Duration
	check func(server string) (vault.ClockReading, error)

	// offset is the correction in force, in nanoseconds, for the ticker's
	// goroutine to read.
	offset atomic.Int64
}

func newClockWatch(w *mainWindow) *clockWatch {
	start := time.Now()
	c := &clockWatch{w: w, mono: func() time.Duration { return time.Since(start) }}
	c.check = func(server string) (vault.ClockReading, error) {
		return vault.CheckClock(context.Background(), vault.ClockOptions{Server: server, Now: w.now})
	}
	return c
}

// codeTime is the time codes are made for when the computer's clock says t:
// t itself, or t corrected by the offset the user chose to correct by.
func (w *mainWindow) codeTime(t time.Time) time.Time {
	return t.Add(time.Duration(w.clockw.offset.Load()))
}

// tick is called by the window's ticker each second.
func (c *clockWatch) tick() {
	w := c.w
	if w.v == nil {
		return
	}
	if !c.begun {
		c.begun = true
		c.readCorrection()
	}
	check, jumped := c.watch.Tick(w.now(), c.mono())
	if jumped {
		// The ticker fired on the monotonic clock, and the tiles show the
		// time it read; starting it again lines its ticks up with the
		// new seconds.
		w.clock.stop()
		w.clock.start()
		w.refreshAll()
	}
	if !check {
		return
	}
	if w.v.Prefs.ClockCheckOff {
		c.watch.Done(nil)
		return
	}
	c.run(w.v.Prefs.TimeServer())
}

// resumed is the computer waking up from sleep: the clock is checked and
// every tile drawn for the time now, at once where the window shows its
// tiles, else at the first tick once it does (unlocked, or shown from the
// tray).
func (c *clockWatch) resumed() {
	c.watch.Resumed()
	w := c.w
	if w.v != nil && w.clock.isRunning() {
		w.tick(w.codeTime(w.now()))
	}
}

// run checks the clock against server off the UI goroutine.
func (c *clockWatch) run(server string) {
	if c.w.sess.inline {
		r, err := c.check(server)
		c.checked(server, r, err)
		return
	}
	go func() {
		r, err := c.check(server)
		fyne.Do(func() { c.checked(server, r, err) })
	}()
}

// checked shows the outcome of a check, and ends a correction that the
// clock no longer needs (or follows the clock's new offset).
func (c *clockWatch) checked(server string, r vault.ClockReading, err error) {
	w := c.w
	tell := c.watch.Done(err)
	if err != nil {
		if tell {
			w.banner.showFailed(server, err)
		}
		return
	}
	w.banner.showReading(r)
	if next := vault.NextCorrection(w.corr, r); next != w.corr {
		c.save(next)
	}
}

// readCorrection reads the correction kept beside the vault and applies it.
func (c *clockWatch) readCorrection() {
	var corr vault.ClockCorrection
	var err error
	store := c.w.sess.store
	c.w.sess.run(func() { corr, err = store.ClockCorrection() }, func() {
		if err == nil && corr.InForce() {
			c.apply(corr)
		}
	})
}

// save keeps corr beside the vault and applies it.
func (c *clockWatch) save(corr vault.ClockCorrection) {
	var err error
	store := c.w.sess.store
	c.w.sess.run(func() { err = store.SetClockCorrection(corr) }, func() {
		if err != nil {
			c.w.showError(err)
			return
		}
		c.apply(corr)
	})
}

// apply makes codes for the corrected time from now on, on every tile.
func (c *clockWatch) apply(corr vault.ClockCorrection) {
	w := c.w
	w.corr = corr
	c.offset.Store(int64(corr.Offset))
	if w.clock.isRunning() {
		w.clock.stop()
		w.clock.start()
	}
	w.refreshAll()
	w.banner.update()
}

// restart forgets when the clock was last checked, so that the next tick
// checks it: after the time server or the off switch changed.
func (c *clockWatch) restart() {
	c.watch = vault.ClockWatch{}
	b := c.w.banner
	b.checked, b.failed = false, "" // what the old settings found
	b.update()
}

// clockBanner is the strip under the toolbar that says when the clock is off
// by more than [vault.ClockTolerance], how to fix it, and offers to correct
// Authdeck's codes meanwhile; and, once, that the clock could not be checked.
type clockBanner struct {
	w *mainWindow

	reading   vault.ClockReading // the last successful check
	checked   bool               // reading holds one
	failed    string             // why the last check failed, until one succeeds
	dismissed bool               // closed by the user until the next check

	content *fyne.Container
	bg      *canvas.Rectangle
	text    *widget.Label
	correct *widget.Button
	stop    *widget.Button
	close   *widget.Button
}

func newClockBanner(w *mainWindow) *clockBanner {
	b := &clockBanner{w: w}
	b.bg = &canvas.Rectangle{CornerRadius: theme.InputRadiusSize()}
	b.text = &widget.Label{Wrapping: fyne.TextWrapWord}
	b.correct = &widget.Button{Icon: theme.HistoryIcon(), Importance: widget.HighImportance, OnTapped: b.onCorrect}
	b.stop = &widget.Button{Text: "Stop correcting", OnTapped: b.onStop}
	b.close = &widget.Button{Icon: theme.CancelIcon(), Importance: widget.LowImportance, OnTapped: b.onClose}
	buttons := container.NewHBox(b.correct, b.stop)
	b.content = container.NewPadded(container.NewStack(b.bg, container.NewBorder(nil, nil, nil, b.close,
		container.NewVBox(b.text, container.NewBorder(nil, nil, nil, buttons)))))
	b.content.Hide()
	return b
}

// showReading shows what a successful check found.
func (b *clockBanner) showReading(r vault.ClockReading) {
	b.reading, b.checked, b.failed, b.dismissed = r, true, "", false
	b.update()
}

// showFailed says that the clock could not be checked against server.
func (b *clockBanner) showFailed(server string, err error) {
	why := "it did not answer"
	if errors.Is(err, vault.ErrTimeServerReply) {
		why = "its answer was not usable"
	}
	b.failed = fmt.Sprintf("Authdeck could not check this computer's clock: the time server %s cannot be reached (%s). "+
		"Codes are made from the computer's clock as it is. The preferences (Ctrl+,) name the time server.", server, why)
	b.dismissed = false
	b.update()
}

// update shows the banner for what is known now, or hides it.
func (b *clockBanner) update() {
	w := b.w
	r, corr := b.reading, w.corr
	off := b.checked && r.Off()
	b.correct.Hide()
	b.stop.Hide()
	var text string
	switch {
	case corr.InForce():
		text = fmt.Sprintf("Authdeck's codes are corrected by %s: this computer's clock is %s (%s). "+
			"Set it right with automatic time in the system settings; the correction then ends by itself.",
			offsetText(corr.Offset), behindOrAhead(corr.Offset), cmpServer(corr.Server))
		b.stop.Show()
	case off:
		text = fmt.Sprintf("This computer's clock is %s (measured with %s): services may refuse its codes. %s",
			behindOrAhead(r.Offset), cmpServer(r.Server), fixClockHint)
		if r.System == vault.NotSynchronized {
			text += " The system says it does not keep its clock synchronised."
		}
		b.correct.SetText("Correct Authdeck's codes by " + offsetText(r.Offset))
		b.correct.Show()
	case b.failed != "":
		text = b.failed
	}
	if text == "" || b.dismissed {
		b.setShown(false)
		return
	}
	b.text.SetText(text)
	// A tint of the warning colour, which the text reads on in both themes.
	tint := theme.ColorNameWarning
	if !off && !corr.InForce() {
		tint = theme.ColorNameInputBorder // only a note that the check failed
	}
	cr, cg, cb, _ := theme.Color(tint).RGBA()
	b.bg.FillColor = color.NRGBA{uint8(cr >> 8), uint8(cg >> 8), uint8(cb >> 8), 0x38}
	b.bg.StrokeColor = theme.Color(tint)
	b.bg.StrokeWidth = 1
	b.bg.Refresh()
	b.setShown(true)
}

// setShown shows or hides the banner, and lays the window out again.
func (b *clockBanner) setShown(on bool) {
	if on == b.content.Visible() {
		return
	}
	if on {
		b.content.Show()
	} else {
		b.content.Hide()
	}
	if c := b.w.win.Content(); c != nil {
		c.Refresh()
	}
}

func (b *clockBanner) onCorrect() {
	if b.checked && b.reading.Off() {
		b.w.clockw.save(vault.CorrectionFrom(b.reading))
	}
}

func (b *clockBanner) onStop() {
	b.w.clockw.save(vault.ClockCorrection{})
}

func (b *clockBanner) onClose() {
	b.dismissed = true
	b.setShown(false)
}

// fixClockHints say how to set the system clock right, by OS.
var fixClockHints = map[string]string{
	"linux":   "To fix it, turn on automatic date and time in the system settings (or run: timedatectl set-ntp true).",
	"windows": "To fix it, open Settings › Time & language › Date & time, turn on “Set time automatically” and press “Sync now”.",
	"darwin":  "To fix it, open System Settings › General › Date & Time and turn on “Set time and date automatically”.",
}

var fixClockHint = fixClockHints[runtime.GOOS]

func cmpServer(s string) string {
	if s == "" {
		return "a time server"
	}
	return s
}

// behindOrAhead says how far off the clock is: "42 s behind", "3 min 5 s ahead".
func behindOrAhead(offset time.Duration) string {
	if offset < 0 {
		return durationText(-offset) + " ahead"
	}
	return durationText(offset) + " behind"
}

// offsetText writes an offset with its sign: "+42 s", "−1 h 5 min".
func offsetText(d time.Duration) string {
	if d < 0 {
		return "−" + durationText(-d)
	}
	return "+" + durationText(d)
}

// durationText writes a positive duration in whole seconds, minutes or
// hours, as precise as it matters: "42 s", "3 min 5 s", "2 h 10 min", "3 days".
func durationText(d time.Duration) string {
	s := int64(math.Round(d.Seconds()))
	switch {
	case s < 100:
		return fmt.Sprintf("%d s", s)
	case s < 3600:
		return strings.TrimSuffix(fmt.Sprintf("%d min %d s", s/60, s%60), " 0 s")
	case s < 48*3600:
		return strings.TrimSuffix(fmt.Sprintf("%d h %d min", s/3600, s%3600/60), " 0 min")
	}
	return fmt.Sprintf("%d days", s/86400)
}

// clockPrefs are the preferences of the clock check: whether to check, and
// against which time server.
type clockPrefs struct {
	on     *widget.Check
	server *entry
}

func (w *mainWindow) newClockPrefs(p vault.Prefs) *clockPrefs {
	return &clockPrefs{
		on:     &widget.Check{Text: "Check this computer's clock", Checked: !p.ClockCheckOff},
		server: w.newEntry(entryOptions{Text: p.ClockServer, PlaceHolder: vault.DefaultTimeServer}),
	}
}

func (c *clockPrefs) items() []*widget.FormItem {
	return []*widget.FormItem{
		{Text: "Clock", Widget: c.on, HintText: "codes are refused when the clock is off"},
		{Text: "Time server", Widget: c.server, HintText: "host or host:port; asked at start and every few hours"},
	}
}

// choices returns the off switch and the time server chosen, and whether
// they differ from p's.
func (c *clockPrefs) choices(p vault.Prefs) (off bool, server string, changed bool) {
	off, server = !c.on.Checked, strings.TrimSpace(c.server.Text)
	return off, server, off != p.ClockCheckOff || server != p.ClockServer
}
