package ui

import (
	"errors"
	"image"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authdeck/scan"
)

// fromScreenArea is where QR codes come from when the user drags out an area
// of the screen, as the add dialog names it.
const fromScreenArea = "screen area"

// Sizes of the area picker, in Fyne units.
const (
	areaMin   = 8  // a drag smaller than this both ways is a click, not an area
	areaFrame = 2  // the width of the line around the area
	hintTop   = 24 // the hint's distance from the top of the screen
)

// areaScan is what the scanner needs to read an area of the screen.
type areaScan struct {
	capture func() (*image.RGBA, error) // one picture of the whole screen; tests stand in for it
	picker  *areaPicker                 // the picker while it is shown
}

// scanScreenArea hides the window, captures the whole screen once and shows
// the picture full screen, dimmed, for the user to drag out the area with
// the code; only that area is read. Where the screen can be had only from
// the desktop's screenshot portal, whose own dialog lets the user pick an
// area, it reads the screen as Screen does.
func (s *scanner) scanScreenArea() {
	var shot *image.RGBA
	var err error
	s.f.win.Hide()
	s.background("", func() {
		time.Sleep(s.settle)
		shot, err = s.areaScan.capture()
	}, func() {
		switch {
		case errors.Is(err, scan.ErrScreenUnavailable):
			s.scanScreen()
		case err != nil:
			s.win.raise()
			s.failed(fromScreenArea, screenProblem(err))
		default:
			s.picker = newAreaPicker(shot, func(area image.Rectangle, picked bool) { s.readArea(shot, area, picked) })
			s.picker.show()
		}
	})
}

// readArea brings the window back and reads the codes in the area of the
// screen's picture that the user picked. When the user cancelled, nothing
// changes: what was gathered before is offered again, if anything.
func (s *scanner) readArea(shot *image.RGBA, area image.Rectangle, picked bool) {
	s.picker = nil // and with it the picture, 33 MB at 4K, once read
	s.win.raise()
	if !picked {
		if s.pending() {
			s.offer(fromScreenArea)
		}
		return
	}
	var texts []string
	var err error
	s.background("Reading QR codes…", func() {
		texts, err = scan.DecodeArea(shot, area)
	}, func() {
		if err != nil {
			s.failed(fromScreenArea, areaProblem(err))
			return
		}
		s.gather("the screen", texts)
		s.offer(fromScreenArea)
	})
}

// areaProblem says why the area picked gave no code, with advice.
func areaProblem(err error) string {
	if errors.Is(err, scan.ErrNoQR) {
		return "No QR code found in the area you picked. Drag around the whole code, with a little room on every side, and try again."
	}
	return screenProblem(err)
}

// areaPicker shows a picture of the screen, dimmed, in a borderless
// full-screen window, on which the user drags out an area with the mouse.
// Releasing the mouse or Enter takes the area, Enter before a drag takes the
// whole screen and Escape cancels, as the hint on it says. The picture is
// fitted to the window, so with several displays the whole screen shows on
// one.
type areaPicker struct {
	widget.BaseWidget
	win  fyne.Window
	shot *image.RGBA
	done func(area image.Rectangle, picked bool)

	from, to fyne.Position // the corners of the area being dragged
	dragging bool
	finished bool

	picture *canvas.Image
	shade   [4]*canvas.Rectangle // above, below, left and right of the area
	frame   *canvas.Rectangle
	hint    *widget.Label
	hintBg  *canvas.Rectangle
}

func newAreaPicker(shot *image.RGBA, done func(area image.Rectangle, picked bool)) *areaPicker {
	p := &areaPicker{shot: shot, done: done}
	p.ExtendBaseWidget(p)
	return p
}

// show opens the picker's window over every other.
func (p *areaPicker) show() {
	if drv, ok := fyne.CurrentApp().Driver().(desktop.Driver); ok {
		p.win = drv.CreateSplashWindow()
	} else {
		p.win = fyne.CurrentApp().NewWindow("")
	}
	p.win.SetTitle("Authdeck: pick the area with the QR code")
	p.win.SetPadded(false)
	p.win.SetFullScreen(true)
	p.win.SetContent(p)
	p.win.Canvas().SetOnTypedKey(p.onKey)
	p.win.SetOnClosed(func() { p.finish(image.Rectangle{}, false) })
	p.win.Show()
	p.win.RequestFocus()
}

// onKey takes the area being dragged, or else the whole screen, on Enter,
// and cancels on Escape.
func (p *areaPicker) onKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if p.dragging && p.meant() {
			p.finish(p.area(), true)
			return
		}
		p.finish(p.shot.Rect, true)
	case fyne.KeyEscape:
		p.finish(image.Rectangle{}, false)
	}
}

// Dragged follows the mouse: the area runs from where the button was pressed
// to where the mouse is.
func (p *areaPicker) Dragged(ev *fyne.DragEvent) {
	if !p.dragging {
		p.dragging = true
		p.from = ev.Position.Subtract(ev.Dragged)
	}
	p.to = ev.Position
	p.Refresh()
}

// DragEnd takes the area dragged out, unless it is too small to be meant.
func (p *areaPicker) DragEnd() {
	p.dragging = false
	if !p.meant() {
		p.Refresh()
		return
	}
	p.finish(p.area(), true)
}

// meant reports whether the area dragged is large enough to be meant, not a
// click.
func (p *areaPicker) meant() bool {
	return abs(p.to.X-p.from.X) >= areaMin || abs(p.to.Y-p.from.Y) >= areaMin
}

// Cursor is a crosshair, for picking a corner exactly.
func (p *areaPicker) Cursor() desktop.Cursor { return desktop.CrosshairCursor }

// finish closes the window and says what was picked, once.
func (p *areaPicker) finish(area image.Rectangle, picked bool) {
	if p.finished {
		return
	}
	p.finished = true
	if p.win != nil {
		p.win.Close()
	}
	p.done(area, picked)
}

// fit returns where the picture is drawn in a widget of size: as large as
// fits, centred, and how many of the picture's pixels make one unit.
func (p *areaPicker) fit(size fyne.Size) (pos fyne.Position, shown fyne.Size, pixels float32) {
	w, h := float32(p.shot.Rect.Dx()), float32(p.shot.Rect.Dy())
	scale := min(size.Width/w, size.Height/h)
	shown = fyne.NewSize(w*scale, h*scale)
	pos = fyne.NewPos((size.Width-shown.Width)/2, (size.Height-shown.Height)/2)
	return pos, shown, 1 / scale
}

// area returns the area dragged out, in the picture's pixels.
func (p *areaPicker) area() image.Rectangle {
	pos, _, pixels := p.fit(p.Size())
	at := func(q fyne.Position) image.Point {
		return image.Pt(int((q.X-pos.X)*pixels), int((q.Y-pos.Y)*pixels)).Add(p.shot.Rect.Min)
	}
	return image.Rectangle{Min: at(p.from), Max: at(p.to)}.Canon().Intersect(p.shot.Rect)
}

func (p *areaPicker) CreateRenderer() fyne.WidgetRenderer {
	p.picture = &canvas.Image{Image: p.shot, FillMode: canvas.ImageFillStretch}
	for i := range p.shade {
		p.shade[i] = &canvas.Rectangle{}
	}
	p.frame = &canvas.Rectangle{FillColor: color.Transparent, StrokeWidth: areaFrame}
	p.hint = &widget.Label{Text: "Drag around the QR code to read it.    Enter: the whole screen.    Escape: cancel."}
	p.hintBg = &canvas.Rectangle{CornerRadius: theme.InputRadiusSize()}
	back := canvas.NewRectangle(color.Black)
	objects := []fyne.CanvasObject{back, p.picture, p.shade[0], p.shade[1], p.shade[2], p.shade[3], p.frame, p.hintBg, p.hint}
	r := &areaRenderer{p: p, back: back, objects: objects}
	r.Refresh() // the theme's colours
	return r
}

type areaRenderer struct {
	p       *areaPicker
	back    *canvas.Rectangle
	objects []fyne.CanvasObject
}

func (r *areaRenderer) Layout(size fyne.Size) {
	p := r.p
	r.back.Resize(size)
	pos, shown, _ := p.fit(size)
	p.picture.Move(pos)
	p.picture.Resize(shown)

	// The shade covers everything but the area, which is framed; with no
	// area yet, it covers everything.
	a := fyne.NewPos(min(p.from.X, p.to.X), min(p.from.Y, p.to.Y))
	b := fyne.NewPos(max(p.from.X, p.to.X), max(p.from.Y, p.to.Y))
	if !p.dragging {
		a, b = fyne.Position{}, fyne.Position{}
	}
	place := func(o fyne.CanvasObject, x0, y0, x1, y1 float32) {
		o.Move(fyne.NewPos(x0, y0))
		o.Resize(fyne.NewSize(max(0, x1-x0), max(0, y1-y0)))
	}
	place(p.shade[0], 0, 0, size.Width, a.Y)
	place(p.shade[1], 0, b.Y, size.Width, size.Height)
	place(p.shade[2], 0, a.Y, a.X, b.Y)
	place(p.shade[3], b.X, a.Y, size.Width, b.Y)
	place(p.frame, a.X-areaFrame, a.Y-areaFrame, b.X+areaFrame, b.Y+areaFrame)
	p.frame.Hidden = !p.dragging

	// The hint stands at the top, out of the way while the user drags.
	pad := theme.Padding()
	hs := p.hint.MinSize()
	hintPos := fyne.NewPos((size.Width-hs.Width)/2, hintTop)
	p.hint.Move(hintPos)
	p.hint.Resize(hs)
	place(p.hintBg, hintPos.X-pad, hintPos.Y-pad, hintPos.X+hs.Width+pad, hintPos.Y+hs.Height+pad)
	p.hint.Hidden, p.hintBg.Hidden = p.dragging, p.dragging
}

func (r *areaRenderer) MinSize() fyne.Size { return fyne.NewSize(100, 100) }

func (r *areaRenderer) Refresh() {
	th := r.p.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	for _, s := range r.p.shade {
		s.FillColor = color.NRGBA{A: 0x99}
	}
	r.p.frame.StrokeColor = th.Color(theme.ColorNamePrimary, v)
	r.p.hintBg.FillColor = th.Color(theme.ColorNameOverlayBackground, v)
	r.Layout(r.p.Size())
	// The picture stays as it is: drawing it again on every move of the
	// mouse would cost a 4K texture each time.
	for _, o := range r.objects {
		if o != r.p.picture {
			o.Refresh()
		}
	}
}

func (r *areaRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *areaRenderer) Destroy()                     {}

func abs(x float32) float32 { return max(x, -x) }
