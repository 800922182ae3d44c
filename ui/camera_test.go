package ui

import (
	"errors"
	"fmt"
	"image"
	"image/draw"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"authdeck/scan"
)

// fakeCamera is a synthetic camera: it gives its frames in order, the last
// one again and again, or none at all until it is closed when it has none.
type fakeCamera struct {
	frames []image.Image
	next   int
	closes atomic.Int32
	closed chan struct{}
	once   sync.Once
}

func newFakeCamera(frames ...image.Image) *fakeCamera {
	return &fakeCamera{frames: frames, closed: make(chan struct{})}
}

func (c *fakeCamera) Next() (image.Image, error) {
	wait := time.After(5 * time.Millisecond)
	if len(c.frames) == 0 {
		wait = nil // a camera that never starts
	}
	select {
	case <-c.closed:
		return nil, errors.New("camera closed")
	case <-wait:
	}
	img := c.frames[min(c.next, len(c.frames)-1)]
	c.next++
	return img, nil
}

func (c *fakeCamera) Close() error {
	c.closes.Add(1)
	c.once.Do(func() { close(c.closed) })
	return nil
}

// cameraPicture is a 640 x 480 camera picture, blank or with a QR code of text in it.
func cameraPicture(t *testing.T, text string) image.Image {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 640, 480))
	for i := range img.Pix {
		img.Pix[i] = 0xe0
	}
	if text != "" {
		qr, err := qrImage(text, 4)
		if err != nil {
			t.Fatal(err)
		}
		draw.Draw(img, qr.Rect.Add(image.Pt(200, 100)), qr, image.Point{}, draw.Src)
	}
	return img
}

func TestCameraReadsCodeAndReleasesCamera(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	blank := cameraPicture(t, "")
	cam := newFakeCamera(blank, blank, blank, cameraPicture(t, mastodonURI))
	w.scanner.openCamera = func() (scan.FrameSource, error) { return cam, nil }
	w.onAdd()
	test.Tap(w.addDlg.scanBtns[2])
	d := w.scanner.camera
	if d == nil {
		t.Fatal("no camera dialog")
	}
	w.scanner.running.Wait()
	if n := cam.closes.Load(); n < 1 {
		t.Error("the camera was not closed after a code was read")
	}
	if d.preview.Image == nil {
		t.Error("the preview never showed a frame")
	}
	if !d.closed {
		t.Error("the camera dialog stayed open after a code was read")
	}
	if w.addDlg.issuer.Text != "Mastodon" || w.addDlg.name.Text != "dan" {
		t.Errorf("the camera's account did not fill the add dialog: %q %q", w.addDlg.issuer.Text, w.addDlg.name.Text)
	}
	if w.dialogs.top() != w.addDlg.dlg {
		t.Error("Escape would not close the add dialog after the camera")
	}
}

func TestCameraDialogClosedEarlyReleasesCamera(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	cam := newFakeCamera() // never gives a frame
	w.scanner.openCamera = func() (scan.FrameSource, error) { return cam, nil }
	before := runtime.NumGoroutine()
	w.scanner.start(fromCamera, nil)
	d := w.scanner.camera
	test.Tap(d.closeBtn)
	done := make(chan struct{})
	go func() { w.scanner.running.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the camera goroutine still runs after the dialog closed")
	}
	if cam.closes.Load() < 1 {
		t.Error("closing the dialog did not close the camera")
	}
	// Nothing keeps running once the dialog is closed.
	for deadline := time.Now().Add(2 * time.Second); runtime.NumGoroutine() > before; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines run after the camera dialog closed, %d before it opened", runtime.NumGoroutine(), before)
		}
	}
	if w.scanner.plan != nil || w.win.Canvas().Overlays().Top() != nil {
		t.Error("closing the camera dialog left something open")
	}
}

func TestCameraErrorsInWords(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	for _, c := range []struct {
		err  error
		want string
	}{
		{scan.ErrNoCamera, "No camera was found. Connect a webcam"},
		{fmt.Errorf("opening the camera: %w", scan.ErrNoCameraSupport), "has no camera support"},
		{fmt.Errorf("%w (permission denied)", scan.ErrCameraUnavailable), "may not have permission"},
	} {
		w.scanner.openCamera = func() (scan.FrameSource, error) { return nil, c.err }
		w.scanner.start(fromCamera, nil)
		if got := w.scanner.said; !strings.Contains(got, c.want) {
			t.Errorf("opening the camera failing with %v says %q", c.err, got)
		}
		pressKey(w, "Escape")
	}
}

func TestCameraGathersTransferCodes(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	s := w.scanner
	codes := transferCodes(t)
	cams := []*fakeCamera{newFakeCamera(cameraPicture(t, codes[1])), newFakeCamera(cameraPicture(t, codes[0]))}
	opened := 0
	s.openCamera = func() (scan.FrameSource, error) { opened++; return cams[opened-1], nil }
	s.start(fromCamera, nil)
	s.running.Wait()
	if s.plan == nil || !strings.Contains(s.plan.note.Text, "1 of 2 codes scanned, missing code 1") || s.plan.moreBtn == nil {
		t.Fatalf("the second code of a transfer alone: plan %v", s.plan)
	}
	test.Tap(s.plan.moreBtn) // "Scan the next code…"
	s.running.Wait()
	if opened != 2 || s.plan == nil || s.plan.note.Visible() || len(s.plan.words) != 2 {
		t.Fatalf("after the next code the plan shows %v", s.plan)
	}
	test.Tap(s.plan.actionBtn)
	if got := saved(t, w); len(got) != 6 {
		t.Errorf("after adding the transfer the vault holds %v", got)
	}
	for i, c := range cams {
		if c.closes.Load() < 1 {
			t.Errorf("camera %d was not released", i+1)
		}
	}
}
