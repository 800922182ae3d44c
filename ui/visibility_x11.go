//go:build linux && !wayland

package ui

import (
	"encoding/binary"
	"io"
	"log"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

func init() {
	// xgb logs to stderr, for example when there is no ~/.Xauthority; the
	// window has nothing to say about that.
	xgb.Logger = log.New(io.Discard, "", 0)
}

// displayProblem says why no window can open on the X display, or returns "".
// Fyne would panic with a stack trace instead.
func displayProblem() string {
	d := os.Getenv("DISPLAY")
	if d == "" {
		return "no display to open the window on (DISPLAY is unset)"
	}
	if err := displayReady(); err != nil {
		return "cannot open the window on display " + d + " (" + err.Error() + ")"
	}
	return ""
}

// displayReady connects to the X server of DISPLAY once and reports whether
// it answered.
func displayReady() error {
	conn, err := xgb.NewConnDisplay(os.Getenv("DISPLAY"))
	if err != nil {
		return err
	}
	conn.Close()
	return nil
}

// watchVisibility stops the clock while the window is minimised or hidden
// and starts it again when the window comes back, and tells the auto-lock of
// input in the window. Fyne has no event for either, so on X11 it listens to
// the window's own map and state changes, pointer motion, key presses and
// button releases on a second connection to the X server: no polling,
// nothing while nothing happens.
func (w *mainWindow) watchVisibility() {
	nw, ok := w.win.(driver.NativeWindow)
	if !ok {
		return
	}
	nw.RunNative(func(ctx any) {
		x, ok := ctx.(driver.X11WindowContext)
		if !ok || x.WindowHandle == 0 {
			return
		}
		go watchX11(xproto.Window(x.WindowHandle), func(visible bool) {
			fyne.Do(func() { w.setVisible(visible) })
		}, w.idle.touch)
	})
}

// watchX11 calls set with false when win is unmapped or iconified (the
// ICCCM WM_STATE is IconicState) and with true when it is back, and input
// (on its own goroutine) for every motion, key press and button release in
// win. Button presses cannot be watched: the X server gives them to one
// client only, the window's own.
func watchX11(win xproto.Window, set func(visible bool), input func()) {
	conn, err := xgb.NewConn()
	if err != nil {
		return
	}
	defer conn.Close()
	wmState, err := xproto.InternAtom(conn, false, uint16(len("WM_STATE")), "WM_STATE").Reply()
	if err != nil {
		return
	}
	mask := []uint32{xproto.EventMaskPropertyChange | xproto.EventMaskStructureNotify |
		xproto.EventMaskPointerMotion | xproto.EventMaskKeyPress | xproto.EventMaskButtonRelease}
	if err := xproto.ChangeWindowAttributesChecked(conn, win, xproto.CwEventMask, mask).Check(); err != nil {
		return
	}
	for {
		ev, err := conn.WaitForEvent()
		if ev == nil && err == nil {
			return // the connection closed
		}
		switch e := ev.(type) {
		case xproto.UnmapNotifyEvent:
			set(false)
		case xproto.MapNotifyEvent:
			set(true)
		case xproto.PropertyNotifyEvent:
			if e.Atom == wmState.Atom {
				set(!iconic(conn, win, wmState.Atom))
			}
		case xproto.MotionNotifyEvent, xproto.KeyPressEvent, xproto.ButtonReleaseEvent:
			input()
		case xproto.DestroyNotifyEvent:
			return
		}
	}
}

// iconic reports whether the window manager says win is minimised.
func iconic(conn *xgb.Conn, win xproto.Window, wmState xproto.Atom) bool {
	const iconicState = 3
	r, err := xproto.GetProperty(conn, false, win, wmState, xproto.GetPropertyTypeAny, 0, 1).Reply()
	if err != nil || len(r.Value) < 4 {
		return false
	}
	return binary.LittleEndian.Uint32(r.Value) == iconicState
}
