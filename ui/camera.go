package ui

import (
	"context"
	"errors"
	"image"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authdeck/scan"
)

// frameEvery is the shortest time between two pictures of the camera
// preview: about 15 frames a second.
const frameEvery = time.Second / 15

// cameraDialog shows the camera's live picture while [scan.Watch] looks for
// a QR code in it. The camera stops and is released as soon as a code is
// read or the dialog closes.
type cameraDialog struct {
	s      *scanner
	cancel context.CancelFunc
	closed bool // the dialog was closed, by the user or on a code

	// Frames are drawn at most every frameEvery, and never while the last
	// one waits to be drawn, so that a slow display skips frames.
	lastFrame time.Time
	drawing   atomic.Bool

	preview  *canvas.Image
	status   *widget.Label
	closeBtn *widget.Button
	dlg      *dialog.CustomDialog
}

// openCameraDialog opens the camera and shows what it sees until a code is
// read, then offers what was gathered.
func (s *scanner) openCameraDialog() {
	src, err := s.openCamera()
	if err != nil {
		s.failed(fromCamera, cameraProblem(err))
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	d := &cameraDialog{s: s, cancel: cancel}
	s.camera = d
	d.dlg = dialog.NewCustomWithoutButtons("Scan with camera", d.buildUI(), s.f.win)
	size := s.f.win.Canvas().Size()
	d.dlg.Resize(fyne.NewSize(min(520, size.Width), min(480, size.Height)))
	d.dlg.Show()
	s.f.dialogs.push(d.dlg, nil, func() {
		d.closed = true
		cancel()
	})

	s.running.Add(1)
	go func() {
		defer s.running.Done()
		texts, err := scan.Watch(ctx, src, d.showFrame)
		fyne.Do(func() { d.finished(texts, err) })
	}()
}

func (d *cameraDialog) buildUI() fyne.CanvasObject {
	d.preview = &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScaleFastest}
	d.preview.SetMinSize(fyne.NewSize(320, 240))
	d.status = &widget.Label{Text: "Hold the QR code in front of the camera. Authdeck reads it as soon as it is sharp.",
		Wrapping: fyne.TextWrapWord}
	d.closeBtn = &widget.Button{Text: "Close", Icon: theme.CancelIcon(), OnTapped: func() { d.dlg.Hide() }}
	return container.NewBorder(d.status, container.NewCenter(d.closeBtn), nil, nil, d.preview)
}

// showFrame draws a frame of the camera. It runs on Watch's goroutine.
func (d *cameraDialog) showFrame(img image.Image) {
	now := time.Now()
	if now.Sub(d.lastFrame) < frameEvery || !d.drawing.CompareAndSwap(false, true) {
		return
	}
	d.lastFrame = now
	fyne.Do(func() {
		if !d.closed {
			d.preview.Image = img
			d.preview.Refresh()
		}
		d.drawing.Store(false)
	})
}

// finished takes what the camera gave once it is released: the texts of
// the codes in a frame, or why it stopped.
func (d *cameraDialog) finished(texts []string, err error) {
	s := d.s
	if d.closed { // closed before a code was read
		if s.pending() {
			s.offer(fromCamera)
		}
		return
	}
	if err != nil {
		d.status.SetText(cameraProblem(err))
		d.status.Importance = widget.DangerImportance
		d.status.Refresh()
		return
	}
	d.dlg.Hide()
	s.gather("the camera picture", texts)
	s.offer(fromCamera)
}

// failed says why a source gave nothing: in the plan dialog when something
// was gathered before, in a message otherwise.
func (s *scanner) failed(source, problem string) {
	if s.pending() {
		s.problems = append(s.problems, problem)
		s.offer(source)
		return
	}
	s.say(problem)
}

// cameraProblem says why the camera cannot be used, with advice.
func cameraProblem(err error) string {
	switch {
	case errors.Is(err, scan.ErrNoCameraSupport):
		return "This build of Authdeck has no camera support. Open a screenshot or image file of the QR code instead."
	case errors.Is(err, scan.ErrNoCamera):
		return "No camera was found. Connect a webcam and try again, or open a screenshot or image file of the QR code instead."
	case errors.Is(err, scan.ErrCameraUnavailable):
		return "The camera cannot be opened: another program may be using it, or Authdeck may not have permission to use it. " +
			"Close the other program or allow Authdeck to use the camera in your system's privacy settings, then try again."
	}
	return "The camera stopped: " + inWords(err) + "."
}
