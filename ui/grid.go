package ui

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// columnWidth is the narrowest a column of tiles gets before the grid drops
// to one column fewer: one column in a narrow window, three at 1280 px.
const columnWidth = 400

// tileGrid shows the tiles of the accounts on screen in as many columns as
// the width holds, row by row in tile order, in a vertical scroll. It makes
// tiles only for the rows in view and reuses them as one scrolls, so that a
// vault of thousands of accounts costs what the tiles on screen cost.
type tileGrid struct {
	widget.BaseWidget
	w *mainWindow

	scroll *container.Scroll
	body   *gridBody // the scroll's content: the tiles made so far
	cols   int       // columns at the current width
	cell   fyne.Size // the size of one tile
}

func newTileGrid(w *mainWindow) *tileGrid {
	g := &tileGrid{w: w, cols: 1}
	g.body = &gridBody{g: g}
	g.body.ExtendBaseWidget(g.body)
	g.scroll = container.NewVScroll(g.body)
	g.scroll.OnScrolled = func(fyne.Position) { g.place(g.body.Size()) }
	g.ExtendBaseWidget(g)
	return g
}

func (g *tileGrid) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(g.scroll)
}

// reload shows the accounts on screen afresh, after w.shown changed: every
// tile is bound again.
func (g *tileGrid) reload() {
	for _, tl := range g.w.tiles {
		tl.pos = -1
	}
	g.scroll.Refresh()
	g.place(g.body.Size())
}

// pitch is the distance between the tops of two rows, and between the left
// edges of two columns.
func (g *tileGrid) pitch() fyne.Size {
	return fyne.NewSize(g.cell.Width+columnGap(), g.cell.Height+theme.Padding())
}

// columnGap is the space between two columns, wider than between rows so
// that each tile's countdown bar reads as its own.
func columnGap() float32 { return 4 * theme.Padding() }

// columns is how many columns of tiles a width holds.
func columns(width float32) int {
	return max(1, int((width+columnGap())/(columnWidth+columnGap())))
}

// place lays the tiles of the rows in view out over a body of the given
// size, binding tiles to the positions they now show.
func (g *tileGrid) place(size fyne.Size) {
	w := g.w
	if size.Width < 1 {
		return // not laid out yet
	}
	g.cols = columns(size.Width)
	g.cell = fyne.NewSize((size.Width-columnGap()*float32(g.cols-1))/float32(g.cols), tileHeight)
	pitch := g.pitch()
	n := len(w.shown)
	top, height := g.scroll.Offset.Y, g.scroll.Size().Height
	first := max(0, int(top/pitch.Height)) * g.cols
	last := min(n, int(math.Ceil(float64((top+height)/pitch.Height)))*g.cols) // one past the last position in view

	// Tiles that already show a position in view keep it; the others are
	// free to take the positions left.
	var free []*tile
	taken := make(map[int]*tile, last-first)
	for _, tl := range w.tiles {
		if tl.pos >= first && tl.pos < last && taken[tl.pos] == nil {
			taken[tl.pos] = tl
		} else {
			free = append(free, tl)
		}
	}
	for i := first; i < last; i++ {
		tl := taken[i]
		if tl == nil {
			if len(free) > 0 {
				tl, free = free[0], free[1:]
			} else {
				tl = w.newTile()
				g.body.tiles = append(g.body.tiles, tl)
			}
			tl.pos = -1
		}
		tl.Move(fyne.NewPos(float32(i%g.cols)*pitch.Width, float32(i/g.cols)*pitch.Height))
		tl.Resize(g.cell)
		if tl.pos != i {
			tl.bind(i)
		}
		tl.Show()
	}
	for _, tl := range free {
		tl.pos = -1
		tl.Hide()
	}
}

// scrollTo scrolls the grid so that the tile at shown position i is in view.
func (g *tileGrid) scrollTo(i int) {
	pitch := g.pitch()
	y := float32(i/g.cols) * pitch.Height
	off := g.scroll.Offset
	switch {
	case y < off.Y:
		off.Y = y
	case y+g.cell.Height > off.Y+g.scroll.Size().Height:
		off.Y = y + g.cell.Height - g.scroll.Size().Height
	default:
		return
	}
	g.scroll.ScrollToOffset(off)
	g.place(g.body.Size())
}

// positionAt returns the shown position of the tile under the point p,
// relative to the grid's top left corner, clamped to the tiles there are.
func (g *tileGrid) positionAt(p fyne.Position) int {
	pitch := g.pitch()
	row := int((p.Y + g.scroll.Offset.Y) / pitch.Height)
	col := max(0, min(g.cols-1, int(p.X/pitch.Width)))
	return max(0, min(row*g.cols+col, len(g.w.shown)-1))
}

// gridBody is the grid's content in the scroll: as tall as all the rows, as
// wide as one tile at least. Refreshing it places the tiles again, without
// redrawing those that show what they showed.
type gridBody struct {
	widget.BaseWidget
	g     *tileGrid
	tiles []fyne.CanvasObject
}

func (b *gridBody) CreateRenderer() fyne.WidgetRenderer { return &gridBodyRenderer{b} }

type gridBodyRenderer struct{ b *gridBody }

func (r *gridBodyRenderer) Layout(size fyne.Size)        { r.b.g.place(size) }
func (r *gridBodyRenderer) Objects() []fyne.CanvasObject { return r.b.tiles }
func (r *gridBodyRenderer) Destroy()                     {}
func (r *gridBodyRenderer) Refresh()                     { r.b.g.place(r.b.Size()) }

func (r *gridBodyRenderer) MinSize() fyne.Size {
	g := r.b.g
	cols := columns(g.scroll.Size().Width)
	rows := (len(g.w.shown) + cols - 1) / cols
	h := float32(0)
	if rows > 0 {
		h = float32(rows)*(tileHeight+theme.Padding()) - theme.Padding()
	}
	return fyne.NewSize(tileMinWidth(), h)
}
