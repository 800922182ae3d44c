package ui

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"authdeck/assets/brands"
	"authdeck/vault"
)

// gridURIs are n accounts whose issuers are S000, S001 and so on, in that order.
func gridURIs(n int) []string {
	var uris []string
	for i, issuer := range issuers(n) {
		uris = append(uris, fmt.Sprintf("otpauth://totp/%s:user%d?secret=JBSWY3DPEHPK3P%c%c&issuer=%s",
			issuer, i, 'A'+i%26, 'A'+i/26, issuer))
	}
	return uris
}

// focusedPos returns the shown position of the focused tile, or -1.
func focusedPos(w *mainWindow) int {
	if tl, ok := w.win.Canvas().Focused().(*tile); ok {
		return tl.pos
	}
	return -1
}

func TestGridAtThreeWidths(t *testing.T) {
	for _, tc := range []struct {
		width float32
		cols  int
	}{{480, 1}, {1280, 3}, {1920, 4}} {
		t.Run(fmt.Sprint(tc.width), func(t *testing.T) {
			w := newTestWindow(t, gridURIs(12)...)
			w.win.Resize(fyne.NewSize(tc.width, 800))
			cols := tc.cols
			if w.grid.cols != cols {
				t.Fatalf("%v px wide: %d columns, want %d", tc.width, w.grid.cols, cols)
			}
			// Tiles flow row by row, and fill the width.
			t0, t1 := tileAt(t, w, 0), tileAt(t, w, 1)
			if cols > 1 && (t1.Position().Y != t0.Position().Y || t1.Position().X <= t0.Position().X+t0.Size().Width) {
				t.Errorf("the second tile is at %v, not right of the first at %v", t1.Position(), t0.Position())
			}
			if last := tileAt(t, w, cols-1); last.Position().X+last.Size().Width < w.grid.Size().Width-1 {
				t.Errorf("the row ends at %v of %v", last.Position().X+last.Size().Width, w.grid.Size().Width)
			}

			// Arrows move between tiles in both directions.
			w.focusTile(0)
			key := func(k fyne.KeyName) { w.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: k}) }
			key(fyne.KeyRight)
			if got := focusedPos(w); got != 1 {
				t.Errorf("Right from the first tile focused %d, want 1", got)
			}
			key(fyne.KeyDown)
			if got := focusedPos(w); got != 1+cols {
				t.Errorf("Down from tile 1 focused %d, want %d", got, 1+cols)
			}
			key(fyne.KeyUp)
			key(fyne.KeyLeft)
			if got := focusedPos(w); got != 0 {
				t.Errorf("Up and Left came back to %d, want 0", got)
			}

			// Alt+Down moves the tile a row down; Alt+Right one place on.
			alt := func(k fyne.KeyName) {
				w.win.Canvas().Focused().(*tile).TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierAlt})
			}
			alt(fyne.KeyDown)
			want := issuers(12)
			want = slices.Insert(slices.Delete(want, 0, 1), cols, "S000")
			if got := saved(t, w); !slices.Equal(got, want) {
				t.Errorf("after Alt+Down: %q, want %q", got, want)
			}
			if got := focusedPos(w); got != cols {
				t.Errorf("after Alt+Down the focus is on %d, want the moved tile at %d", got, cols)
			}
			alt(fyne.KeyRight)
			want = slices.Insert(slices.Delete(want, cols, cols+1), cols+1, "S000")
			if got := saved(t, w); !slices.Equal(got, want) {
				t.Errorf("after Alt+Right: %q, want %q", got, want)
			}

			// Drag the first tile onto the tile a row down and a column on.
			to := min(cols+1, 11)
			drag(t, w, 0, to)
			if w.drag.to != to {
				t.Fatalf("drop position = %d, want %d", w.drag.to, to)
			}
			if mark := tileAt(t, w, to).drop; !mark.Visible() {
				t.Error("the drop position is not marked")
			}
			first := w.account(0).Issuer
			tileAt(t, w, 0).DragEnd()
			want = slices.Insert(slices.Delete(slices.Clone(want), 0, 1), to, first)
			if got := saved(t, w); !slices.Equal(got, want) {
				t.Errorf("after the drag: %q, want %q", got, want)
			}
		})
	}
}

// issuers are the issuers of gridURIs(n), in order.
func issuers(n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("S%03d", i))
	}
	return out
}

// drag sends the drag events of a mouse that drags the tile at shown
// position from over the middle of the tile at position to, in steps.
func drag(t *testing.T, w *mainWindow, from, to int) {
	t.Helper()
	d := fyne.CurrentApp().Driver()
	tl := tileAt(t, w, from)
	target := tileAt(t, w, to)
	start := d.AbsolutePositionForObject(tl).AddXY(tl.Size().Width/2, tl.Size().Height/2)
	end := d.AbsolutePositionForObject(target).AddXY(target.Size().Width/2, target.Size().Height/2)
	last := start
	for step := float32(1); step <= 10; step++ {
		pos := start.AddXY((end.X-start.X)*step/10, (end.Y-start.Y)*step/10)
		tl.Dragged(&fyne.DragEvent{
			PointEvent: fyne.PointEvent{AbsolutePosition: pos, Position: pos.Subtract(d.AbsolutePositionForObject(tl))},
			Dragged:    fyne.NewDelta(pos.X-last.X, pos.Y-last.Y),
		})
		last = pos
	}
}

func TestGridMakesTilesOnlyForRowsInView(t *testing.T) {
	w := newTestWindow(t, gridURIs(300)...)
	w.win.Resize(fyne.NewSize(1280, 800))
	if n := len(w.tiles); n > 60 {
		t.Errorf("300 accounts made %d tiles; want only the rows in view", n)
	}
	// The last tile is reached by the keyboard, scrolled into view.
	w.focusTile(299)
	if got := focusedPos(w); got != 299 {
		t.Fatalf("focusing the last tile focused %d", got)
	}
	if n := len(w.tiles); n > 60 {
		t.Errorf("after scrolling to the end, %d tiles", n)
	}
	if tl := tileAt(t, w, 299); tl.issuer.Text != "S299" {
		t.Errorf("the last tile shows %q", tl.issuer.Text)
	}
}

func TestFavoritesPinFirst(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	test.Tap(tileAt(t, w, 2).starBtn) // Dropbox
	if got := w.account(0).Issuer; got != "Dropbox" || !w.v.Accounts[2].Favorite {
		t.Fatalf("after starring Dropbox the first tile is %q", got)
	}
	if saved(t, w)[2] != "Dropbox" {
		t.Error("starring changed the order in the vault")
	}
	if tileAt(t, w, 0).starBtn.Icon != starOnIcon {
		t.Error("the star of a favourite is not filled")
	}
	// A favourite moves among the favourites only; others stay after them.
	w.onMove(3, 0) // Bank onto Dropbox's place
	if got := w.account(0).Issuer; got != "Dropbox" {
		t.Errorf("a non-favourite moved before the favourites: %q first", got)
	}
	// Ctrl+D on the focused tile unpins.
	w.focusTile(0)
	w.win.Canvas().Focused().(*tile).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierShortcutDefault})
	if w.v.Accounts[w.v.Index(w.account(2).ID)].Favorite || w.account(0).Issuer == "Dropbox" {
		t.Error("Ctrl+D did not unpin Dropbox")
	}
}

func TestGroupChipsAndSearchFilter(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	if w.groups.content.Visible() {
		t.Error("group chips show without any group")
	}
	if err := updateNow(w, func(v *vault.Vault) error {
		v.Accounts[0].Group, v.Accounts[2].Group, v.Accounts[3].Group = "Work", "work", "Home"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !w.groups.content.Visible() || len(w.groups.chips) != 3 {
		t.Fatalf("%d chips, want All, Home and Work", len(w.groups.chips))
	}
	if tl := tileAt(t, w, 0); tl.name.Text != "alice@example.com · Work" {
		t.Errorf("the tile does not show its group: %q", tl.name.Text)
	}
	test.Tap(w.groups.chips[2]) // Work
	var got []string
	for i := range w.shown {
		got = append(got, w.account(i).Issuer)
	}
	if !slices.Equal(got, []string{"GitHub", "Dropbox"}) {
		t.Errorf("the Work chip shows %q", got)
	}
	test.Tap(w.groups.chips[0])
	test.Type(w.search, "group:home")
	if len(w.shown) != 1 || w.account(0).Issuer != "Bank" {
		t.Errorf("group:home shows %d tiles", len(w.shown))
	}
}

// BenchmarkGrid500 measures the window with 500 accounts at 1920 px: a tick
// of every tile on screen, a search keystroke that rebuilds the grid, and a
// scroll by a screenful.
func BenchmarkGrid500(b *testing.B) {
	w := newTestWindow(b, gridURIs(500)...)
	w.win.Resize(fyne.NewSize(1920, 1080))
	b.Run("tick", func(b *testing.B) {
		for i := range b.N {
			w.tick(testNow.Add(time.Duration(i) * time.Second))
		}
	})
	b.Run("filter", func(b *testing.B) {
		for i := range b.N {
			w.search.SetText([]string{"S1", "S2", ""}[i%3])
		}
	})
	b.Run("scroll", func(b *testing.B) {
		for i := range b.N {
			w.grid.scroll.ScrollToOffset(fyne.NewPos(0, float32(i%10)*1000))
			w.grid.place(w.grid.body.Size())
		}
	})
}

// BenchmarkWindowMemory500 opens the window at its default size over 500
// accounts of as many brands, every tile with its icon, and reports the live
// heap that the open window adds (heap-MB: the vault, its search index, the
// tiles on screen, their icons, and the fonts Fyne loads for them) and what
// opening it allocated (alloc-MB, where garbage left at start-up shows, such
// as fonts parsed twice). What a process loads once and keeps, for its first
// window, is left out: the brand bundle's index (see BenchmarkLoad in
// assets/brands) and the system fonts that Fyne's font scan keeps.
func BenchmarkWindowMemory500(b *testing.B) {
	dir := newTestVault(b, brandURIs(500)...)
	openTestWindow(b, dir)
	b.ResetTimer()
	var live, allocated float64
	for range b.N {
		test.NewTempApp(b) // drops the fonts the last window loaded
		l0, a0 := memNow()
		w := openTestWindow(b, dir) // closed when the benchmark ends
		l1, a1 := memNow()
		runtime.KeepAlive(w)
		live += l1 - l0
		allocated += a1 - a0
	}
	b.ReportMetric(live/float64(b.N)/1e6, "heap-MB")
	b.ReportMetric(allocated/float64(b.N)/1e6, "alloc-MB")
}

// brandURIs are n accounts whose issuers name brands with a bundled icon, a
// different one each while the bundle has enough.
func brandURIs(n int) []string {
	all := brands.All()
	var uris []string
	for i := range n {
		issuer := all[i*len(all)/n%len(all)].Name
		uris = append(uris, fmt.Sprintf("otpauth://totp/%s:user%d?secret=JBSWY3DPEHPK3P%c%c&issuer=%s",
			issuer, i, 'A'+i%26, 'A'+i/26%26, issuer))
	}
	return uris
}

// memNow collects the garbage, then returns the live heap and the bytes
// allocated so far.
func memNow() (live, allocated float64) {
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return float64(s[0].Value.Uint64()), float64(s[1].Value.Uint64())
}
