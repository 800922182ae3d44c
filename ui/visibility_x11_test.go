//go:build linux && !wayland

package ui

import (
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"authdeck/internal/testenv"
)

// TestWatchX11SeesUnmapAndMap makes a real X window, unmaps and maps it, and
// checks that the watcher reports it hidden and shown again, and that the
// window's clock stops and starts with it.
func TestWatchX11SeesUnmapAndMap(t *testing.T) {
	testenv.Display(t)
	conn, err := xgb.NewConn()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	screen := xproto.Setup(conn).DefaultScreen(conn)
	win, err := xproto.NewWindowId(conn)
	if err != nil {
		t.Fatal(err)
	}
	if err := xproto.CreateWindowChecked(conn, screen.RootDepth, win, screen.Root, 0, 0, 100, 100, 0,
		xproto.WindowClassInputOutput, screen.RootVisual, 0, nil).Check(); err != nil {
		t.Fatal(err)
	}
	defer xproto.DestroyWindow(conn, win)
	if err := xproto.MapWindowChecked(conn, win).Check(); err != nil {
		t.Fatal(err)
	}

	w := newTestWindow(t, testURIs...)
	w.clock = newClock(func(time.Time) {}) // only the watcher touches the window here
	w.visible = true
	w.clock.start()
	seen := make(chan bool, 10)
	input := make(chan struct{}, 100)
	go watchX11(win, func(visible bool) {
		w.setVisible(visible) // the test app runs fyne.Do at once; here it is direct
		seen <- visible
	}, func() {
		select {
		case input <- struct{}{}:
		default:
		}
	})
	wait := func(want bool) {
		t.Helper()
		for {
			select {
			case got := <-seen:
				if got == want {
					return
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("the watcher did not report visible=%v", want)
			}
		}
	}
	time.Sleep(200 * time.Millisecond) // the watcher selects its events
	xproto.UnmapWindowChecked(conn, win).Check()
	wait(false)
	if w.clock.isRunning() {
		t.Error("the clock runs while the window is unmapped")
	}
	xproto.MapWindowChecked(conn, win).Check()
	wait(true)
	if !w.clock.isRunning() {
		t.Error("the clock did not start again when the window came back")
	}
	// The pointer moving in the window is input, which the auto-lock hears.
	xproto.WarpPointerChecked(conn, xproto.WindowNone, win, 0, 0, 0, 0, 10, 10).Check()
	xproto.WarpPointerChecked(conn, xproto.WindowNone, win, 0, 0, 0, 0, 50, 60).Check()
	select {
	case <-input:
	case <-time.After(5 * time.Second):
		t.Error("the watcher did not report the pointer moving in the window")
	}
}
