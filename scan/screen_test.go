package scan

import (
	"errors"
	"image"
	"image/color"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"authdeck/scan/internal/corpus"
)

// TestScreenWaylandOnly checks that Wayland without X11 and without a
// screenshot portal says so (the portal tests put one on the bus).
func TestScreenWaylandOnly(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Wayland is a Linux matter")
	}
	t.Setenv("WAYLAND_DISPLAY", "wayland-0")
	t.Setenv("DISPLAY", "")
	_, err := Screen()
	if !errors.Is(err, ErrScreenUnavailable) {
		t.Fatalf("Screen = %v, want ErrScreenUnavailable", err)
	}
	if !strings.Contains(err.Error(), "portal") {
		t.Errorf("message %q does not say that no portal answers", err)
	}
}

func TestScreenNoDisplay(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("X11 is a Linux matter")
	}
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("DISPLAY", ":4242") // no such server
	t.Setenv("XDG_SESSION_TYPE", "x11")
	if _, err := Screen(); !errors.Is(err, ErrScreenUnavailable) {
		t.Errorf("Screen = %v, want ErrScreenUnavailable", err)
	}
}

// TestDecodeAll reads the codes of two displays as one list.
func TestDecodeAll(t *testing.T) {
	left := corpus.Screenshot(newRand(), 1280, 800, false)
	corpus.Place(left, corpus.Short, 400, 400, 4, 0, color.Gray{0}, color.Gray{255})
	right := corpus.Screenshot(newRand(), 1920, 1080, true)
	corpus.Place(right, corpus.HOTP, 900, 500, 4, 0, color.Gray{0}, color.Gray{255})
	corpus.Place(right, corpus.Short, 1500, 500, 4, 0, color.Gray{0}, color.Gray{255})
	empty := corpus.Plain(800, 600, color.Gray{40})
	got, err := decodeAll([]image.Image{left, empty, right})
	if want := []string{corpus.HOTP, corpus.Short}; err != nil || !slices.Equal(got, want) {
		t.Errorf("decodeAll = %q, %v, want %q", got, err, want)
	}
	if _, err := decodeAll([]image.Image{empty}); !errors.Is(err, ErrNoQR) {
		t.Errorf("decodeAll(empty) = %v, want ErrNoQR", err)
	}
}

// TestScreenX11 captures a real X display: run it under scripts/session or
// xvfb-run. It shows a code in a window of its own first.
func TestScreenX11(t *testing.T) {
	if os.Getenv("DISPLAY") == "" || runtime.GOOS != "linux" {
		t.Skip("no X display")
	}
	t.Setenv("XDG_SESSION_TYPE", "x11")
	img := corpus.Plain(400, 400, color.Gray{255})
	corpus.Place(img, corpus.Short, 200, 200, 4, 0, color.Gray{0}, color.Gray{255})
	raise := showOnX11(t, img)
	// Other tests may open windows on the same display: raise ours and try
	// again if one covered it.
	var got []string
	var err error
	for range 3 {
		if got, err = Screen(); err == nil && slices.Equal(got, []string{corpus.Short}) {
			return
		}
		raise()
	}
	t.Errorf("Screen = %q, %v", got, err)
}

// showOnX11 opens a borderless window at the top left of the X display and
// paints img into it, until the test ends. It returns a function that raises
// the window above all others.
func showOnX11(t *testing.T, img *image.RGBA) (raise func()) {
	conn, err := xgb.NewConn()
	if err != nil {
		t.Skipf("X display: %v", err)
	}
	t.Cleanup(conn.Close)
	screen := xproto.Setup(conn).DefaultScreen(conn)
	if screen.RootDepth != 24 {
		t.Skipf("X display of depth %d", screen.RootDepth)
	}
	win, _ := xproto.NewWindowId(conn)
	gc, _ := xproto.NewGcontextId(conn)
	w, h := img.Rect.Dx(), img.Rect.Dy()
	xproto.CreateWindow(conn, screen.RootDepth, win, screen.Root, 0, 0, uint16(w), uint16(h), 0,
		xproto.WindowClassInputOutput, screen.RootVisual,
		xproto.CwBackPixel|xproto.CwOverrideRedirect, []uint32{screen.WhitePixel, 1})
	xproto.MapWindow(conn, win)
	xproto.CreateGC(conn, gc, xproto.Drawable(win), 0, nil)
	// 32-bit BGRX pixels, a few rows per request to stay under the size limit.
	// There is no backing store: paint again after the window is raised.
	paint := func() {
		const rows = 50
		for y0 := 0; y0 < h; y0 += rows {
			var data []byte
			for y := y0; y < min(y0+rows, h); y++ {
				for x := range w {
					c := img.RGBAAt(x, y)
					data = append(data, c.B, c.G, c.R, 0)
				}
			}
			xproto.PutImage(conn, xproto.ImageFormatZPixmap, xproto.Drawable(win), gc,
				uint16(w), uint16(min(rows, h-y0)), 0, int16(y0), 0, 24, data)
		}
	}
	// A round trip makes sure the server has drawn everything.
	sync := func() {
		if _, err := xproto.GetInputFocus(conn).Reply(); err != nil {
			t.Fatal(err)
		}
	}
	paint()
	sync()
	return func() {
		xproto.ConfigureWindow(conn, win, xproto.ConfigWindowStackMode, []uint32{xproto.StackModeAbove})
		paint()
		sync()
	}
}
