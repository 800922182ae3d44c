package ui

import (
	"fyne.io/fyne/v2"
)

// dragState is a tile drag under way: the shown positions of the dragged tile
// and of the tile where it would land, or -1.
type dragState struct {
	from, to int
}

// onDragged follows a tile drag: it works out over which tile of the grid the
// pointer is, from the grid's position and scroll offset, marks it as the
// drop position, and scrolls when the pointer leaves the grid.
func (w *mainWindow) onDragged(t *tile, ev *fyne.DragEvent) {
	if w.drag.from < 0 {
		w.drag.from = t.pos
	}
	g := w.grid
	p := ev.AbsolutePosition.Subtract(fyne.CurrentApp().Driver().AbsolutePositionForObject(g))
	step := g.pitch().Height / 4
	switch off := g.scroll.Offset; {
	case p.Y < 0:
		g.scroll.ScrollToOffset(fyne.NewPos(0, max(0, off.Y-step)))
		g.place(g.body.Size())
	case p.Y > g.Size().Height:
		g.scroll.ScrollToOffset(fyne.NewPos(0, off.Y+step))
		g.place(g.body.Size())
	}
	to := w.keepPinned(w.drag.from, g.positionAt(p))
	if to != w.drag.to {
		w.drag.to = to
		w.refreshAll()
	}
}

// onDragEnd moves the dragged tile to the drop position and saves the order.
func (w *mainWindow) onDragEnd() {
	from, to := w.drag.from, w.drag.to
	w.drag = dragState{from: -1, to: -1}
	if from >= 0 && to >= 0 && from != to {
		w.onMove(from, to)
	}
	w.refreshAll()
}
