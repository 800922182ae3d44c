package scan

import (
	"errors"
	"image/color"
	"slices"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"authdeck/internal/testenv"
	"authdeck/scan/internal/corpus"
)

// ownClipboard makes a test window the owner of the X11 clipboard, which
// hands out data as target: in one property, or in pieces of at most chunk
// bytes (the INCR protocol) if chunk is not zero.
func ownClipboard(t *testing.T, target string, data []byte, chunk int) {
	t.Helper()
	testenv.Display(t)
	// Xvfb resets when its last client leaves, and refuses clients meanwhile.
	conn, err := xgb.NewConn()
	for i := 0; err != nil && i < 20; i++ {
		time.Sleep(50 * time.Millisecond)
		conn, err = xgb.NewConn()
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	atom := func(name string) xproto.Atom {
		r, err := xproto.InternAtom(conn, false, uint16(len(name)), name).Reply()
		if err != nil {
			t.Fatal(err)
		}
		return r.Atom
	}
	clipboard, want, incr := atom("CLIPBOARD"), atom(target), atom("INCR")
	screen := xproto.Setup(conn).DefaultScreen(conn)
	win, _ := xproto.NewWindowId(conn)
	xproto.CreateWindow(conn, 0, win, screen.Root, 0, 0, 1, 1, 0, xproto.WindowClassInputOnly, 0, 0, nil)
	if err := xproto.SetSelectionOwnerChecked(conn, win, clipboard, xproto.TimeCurrentTime).Check(); err != nil {
		t.Fatal(err)
	}
	go func() {
		var pending []byte // what is left of an incremental transfer
		var to xproto.Window
		var prop xproto.Atom
		for {
			ev, err := conn.WaitForEvent()
			if ev == nil && err == nil {
				return
			}
			switch e := ev.(type) {
			case xproto.SelectionRequestEvent:
				notify := xproto.SelectionNotifyEvent{Time: e.Time, Requestor: e.Requestor, Selection: e.Selection, Target: e.Target, Property: e.Property}
				switch {
				case e.Target != want:
					notify.Property = xproto.AtomNone
				case chunk == 0:
					xproto.ChangeProperty(conn, xproto.PropModeReplace, e.Requestor, e.Property, want, 8, uint32(len(data)), data)
				default:
					pending, to, prop = data, e.Requestor, e.Property
					xproto.ChangeWindowAttributes(conn, e.Requestor, xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange})
					size := []byte{byte(len(data)), byte(len(data) >> 8), byte(len(data) >> 16), byte(len(data) >> 24)}
					xproto.ChangeProperty(conn, xproto.PropModeReplace, e.Requestor, e.Property, incr, 32, 1, size)
				}
				xproto.SendEvent(conn, false, e.Requestor, 0, string(notify.Bytes()))
			case xproto.PropertyNotifyEvent:
				// The requestor took a piece: write the next, or the empty end.
				if e.Window != to || e.Atom != prop || e.State != xproto.PropertyDelete || pending == nil {
					continue
				}
				n := min(chunk, len(pending))
				xproto.ChangeProperty(conn, xproto.PropModeReplace, to, prop, want, 8, uint32(n), pending[:n])
				if n == 0 {
					pending = nil
				} else {
					pending = pending[n:]
				}
			}
		}
	}()
}

func clipboardShot(t *testing.T) []byte {
	img := corpus.Screenshot(newRand(), 1280, 800, false)
	corpus.Place(img, corpus.Migration, 500, 400, 4, 0, color.Gray{0}, color.Gray{255})
	corpus.Place(img, corpus.Short, 1000, 400, 4, 0, color.Gray{255}, color.Gray{0})
	return encodePNG(t, img)
}

// TestClipboardImage reads the codes of a screenshot that a screenshot tool
// put on the X11 clipboard as a PNG.
func TestClipboardImage(t *testing.T) {
	ownClipboard(t, "image/png", clipboardShot(t), 0)
	texts, err := ClipboardImage()
	if want := []string{corpus.Migration, corpus.Short}; err != nil || !slices.Equal(texts, want) {
		t.Fatalf("ClipboardImage = %q, %v", texts, err)
	}
}

// TestClipboardImageIncremental reads a PNG handed over in pieces, as
// owners do with large images.
func TestClipboardImageIncremental(t *testing.T) {
	data := clipboardShot(t)
	ownClipboard(t, "image/png", data, 4096)
	texts, err := ClipboardImage()
	if err != nil || len(texts) != 2 {
		t.Fatalf("ClipboardImage = %q, %v", texts, err)
	}
}

// TestClipboardNoImage checks that text on the clipboard is not an image.
func TestClipboardNoImage(t *testing.T) {
	ownClipboard(t, "UTF8_STRING", []byte(corpus.Short), 0)
	if _, err := ClipboardImage(); !errors.Is(err, ErrNoClipboardImage) {
		t.Fatalf("ClipboardImage = %v, want ErrNoClipboardImage", err)
	}
}
