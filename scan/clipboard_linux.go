package scan

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// clipboardWait bounds the wait for the clipboard's owner to answer.
const clipboardWait = 3 * time.Second

// ClipboardImage returns the text of every QR code in the image on the
// clipboard (a PNG, as screenshot tools copy it), like [DecodeReader]. It
// returns an error wrapping [ErrNoClipboardImage] when the clipboard holds
// no image or cannot be read. On Linux it reads the X11 clipboard, in
// pieces if the image is large, and stops at the size limit of image files.
func ClipboardImage() ([]string, error) {
	data, err := x11Clipboard("image/png")
	if err != nil {
		return nil, err
	}
	return DecodeReader(bytes.NewReader(data))
}

// x11Clipboard asks the owner of the X11 clipboard for its content as
// target, and returns it.
func x11Clipboard(target string) ([]byte, error) {
	if os.Getenv("DISPLAY") == "" {
		return nil, fmt.Errorf("no X11 display: %w", ErrNoClipboardImage)
	}
	xgb.Logger.SetOutput(nopWriter{}) // xgb writes to stderr when it cannot read ~/.Xauthority
	conn, err := xgb.NewConn()
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrNoClipboardImage)
	}
	defer conn.Close()
	atom := func(name string) (xproto.Atom, error) {
		r, err := xproto.InternAtom(conn, false, uint16(len(name)), name).Reply()
		if err != nil {
			return 0, err
		}
		return r.Atom, nil
	}
	var atoms [4]xproto.Atom
	for i, name := range []string{"CLIPBOARD", target, "INCR", "AUTHDECK_CLIPBOARD"} {
		if atoms[i], err = atom(name); err != nil {
			return nil, fmt.Errorf("%v: %w", err, ErrNoClipboardImage)
		}
	}
	clipboard, want, incr, prop := atoms[0], atoms[1], atoms[2], atoms[3]

	// A window of our own to receive the content, never shown.
	screen := xproto.Setup(conn).DefaultScreen(conn)
	win, err := xproto.NewWindowId(conn)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrNoClipboardImage)
	}
	xproto.CreateWindow(conn, 0, win, screen.Root, 0, 0, 1, 1, 0, xproto.WindowClassInputOnly, 0,
		xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange})
	defer xproto.DestroyWindow(conn, win)
	xproto.ConvertSelection(conn, win, clipboard, want, prop, xproto.TimeCurrentTime)

	events := make(chan xgb.Event, 16)
	go func() {
		defer close(events)
		for {
			ev, err := conn.WaitForEvent()
			if ev == nil && err == nil {
				return // the connection is closed
			}
			if ev != nil {
				events <- ev
			}
		}
	}()
	deadline := time.After(clipboardWait)
	next := func() (xgb.Event, error) {
		select {
		case ev, ok := <-events:
			if !ok {
				return nil, fmt.Errorf("the X server closed the connection: %w", ErrNoClipboardImage)
			}
			return ev, nil
		case <-deadline:
			return nil, fmt.Errorf("the clipboard's owner did not answer: %w", ErrNoClipboardImage)
		}
	}
	// The answer: the content in our property, or none.
	for {
		ev, err := next()
		if err != nil {
			return nil, err
		}
		if n, ok := ev.(xproto.SelectionNotifyEvent); ok && n.Requestor == win {
			if n.Property == xproto.AtomNone {
				return nil, ErrNoClipboardImage
			}
			break
		}
	}
	data, typ, err := takeProperty(conn, win, prop)
	if err != nil {
		return nil, err
	}
	if typ != incr {
		return data, nil
	}
	// Incremental: the owner writes the content in pieces, each once we
	// have taken the one before; an empty piece ends it.
	var all []byte
	for {
		ev, err := next()
		if err != nil {
			return nil, err
		}
		if p, ok := ev.(xproto.PropertyNotifyEvent); !ok || p.Atom != prop || p.State != xproto.PropertyNewValue {
			continue
		}
		piece, _, err := takeProperty(conn, win, prop)
		if err != nil {
			return nil, err
		}
		if len(piece) == 0 {
			return all, nil
		}
		if len(all)+len(piece) > maxFileSize {
			return nil, fmt.Errorf("%w: the image on the clipboard is over %d MB", ErrTooLarge, maxFileSize>>20)
		}
		all = append(all, piece...)
	}
}

// takeProperty reads and deletes a property of win.
func takeProperty(conn *xgb.Conn, win xproto.Window, prop xproto.Atom) ([]byte, xproto.Atom, error) {
	var data []byte
	var typ xproto.Atom
	for offset := uint32(0); ; {
		// Lengths and offsets count 32-bit units.
		r, err := xproto.GetProperty(conn, false, win, prop, xproto.GetPropertyTypeAny, offset, 1<<20).Reply()
		if err != nil {
			return nil, 0, fmt.Errorf("%v: %w", err, ErrNoClipboardImage)
		}
		data, typ = append(data, r.Value...), r.Type
		if len(data) > maxFileSize {
			return nil, 0, fmt.Errorf("%w: the image on the clipboard is over %d MB", ErrTooLarge, maxFileSize>>20)
		}
		if r.BytesAfter == 0 {
			break
		}
		offset += uint32(len(r.Value)) / 4
	}
	xproto.DeleteProperty(conn, win, prop)
	return data, typ, nil
}

// nopWriter drops what is written to it.
type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }
