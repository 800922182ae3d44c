package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// dragState is a tile drag under way: the shown positions of the dragged tile
// and of the tile where it would land, or -1.
type dragState struct {
	from, to int
}

// onDragged follows a tile drag: it works out over which tile the pointer is,
// from the list's position and scroll offset, marks it as the drop position,
// and scrolls when the pointer leaves the list.
func (w *mainWindow) onDragged(t *tile, ev *fyne.DragEvent) {
	if w.drag.from < 0 {
		w.drag.from = t.pos
	}
	d := fyne.CurrentApp().Driver()
	listPos := d.AbsolutePositionForObject(w.list)
	pitch := w.rowPitch()
	y := ev.AbsolutePosition.Y - listPos.Y
	switch {
	case y < 0:
		w.list.ScrollToOffset(max(0, w.list.GetScrollOffset()-pitch/4))
	case y > w.list.Size().Height:
		w.list.ScrollToOffset(w.list.GetScrollOffset() + pitch/4)
	}
	to := int((y + w.list.GetScrollOffset()) / pitch)
	to = max(0, min(to, len(w.shown)-1))
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

// rowPitch is the distance between the tops of two tiles in the list.
func (w *mainWindow) rowPitch() float32 {
	h := float32(tileHeight)
	if len(w.tiles) > 0 {
		h = w.tiles[0].MinSize().Height
	}
	return h + w.list.Theme().Size(theme.SizeNamePadding)
}
