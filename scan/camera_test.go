package scan

import (
	"context"
	"errors"
	"image"
	"image/color"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"authdeck/scan/internal/corpus"
)

// fakeCamera is a frame source: blank frames, then frames with a code, as
// fast as they are asked for, or at a steady rate.
type fakeCamera struct {
	blank  int           // frames before the code shows
	code   image.Image   // nil: never
	every  time.Duration // time between frames
	frames atomic.Int32
	closed chan struct{}
	once   sync.Once
	closes atomic.Int32
	fail   error // returned instead of a frame after the blank ones
}

func newFakeCamera(blank int, code image.Image, every time.Duration) *fakeCamera {
	return &fakeCamera{blank: blank, code: code, every: every, closed: make(chan struct{})}
}

func (c *fakeCamera) Next() (image.Image, error) {
	select {
	case <-c.closed:
		return nil, errors.New("camera closed")
	case <-time.After(c.every):
	}
	n := int(c.frames.Add(1))
	if n <= c.blank || c.code == nil {
		return corpus.Plain(640, 480, color.Gray{uint8(100 + n%50)}), nil
	}
	if c.fail != nil {
		return nil, c.fail
	}
	return c.code, nil
}

func (c *fakeCamera) Close() error {
	c.closes.Add(1)
	c.once.Do(func() { close(c.closed) })
	return nil
}

func (c *fakeCamera) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

// frame returns a webcam-sized YCbCr frame with the code of text in it,
// a little turned, like a phone held up to a camera.
func frame(text string) image.Image {
	img := corpus.Plain(640, 480, color.Gray{190})
	corpus.Place(img, text, 330, 250, 5, 7, color.Gray{30}, color.Gray{220})
	ycc := image.NewYCbCr(img.Bounds(), image.YCbCrSubsampleRatio420)
	for y := range 480 {
		for x := range 640 {
			ycc.Y[ycc.YOffset(x, y)] = img.Pix[img.PixOffset(x, y)]
		}
	}
	return ycc
}

func TestWatchFindsCode(t *testing.T) {
	cam := newFakeCamera(20, frame(corpus.Short), time.Millisecond)
	var previews atomic.Int32
	got, err := Watch(context.Background(), cam, func(image.Image) { previews.Add(1) })
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{corpus.Short}) {
		t.Errorf("Watch = %q", got)
	}
	if !cam.isClosed() {
		t.Error("the camera is still open")
	}
	if n := cam.frames.Load(); n <= 20 {
		t.Errorf("read %d frames, the code shows from frame 21", n)
	}
	if previews.Load() < 20 {
		t.Errorf("%d previews, want every frame", previews.Load())
	}
}

// TestWatchSkipsFrames checks that frames keep coming, and are shown, while
// one is being decoded, and that they are not queued up for the decoder.
func TestWatchSkipsFrames(t *testing.T) {
	release := make(chan struct{})
	var decodes atomic.Int32
	slowDecode := func(image.Image) ([]string, error) {
		decodes.Add(1)
		<-release // a decode that takes as long as the test wants
		return nil, ErrNoQR
	}
	cam := newFakeCamera(0, nil, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var shown atomic.Int32
	preview := func(image.Image) {
		if shown.Add(1) == 100 {
			cancel()
		}
	}
	done := make(chan error)
	go func() {
		_, err := watch(ctx, cam, preview, slowDecode)
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("frames stopped while a frame was being decoded")
	}
	close(release)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Watch = %v, want context.Canceled", err)
	}
	if n := decodes.Load(); n != 1 {
		t.Errorf("%d decodes, want 1: the first was still running while 100 frames came", n)
	}
	if !cam.isClosed() {
		t.Error("the camera is still open")
	}
}

func TestWatchCancel(t *testing.T) {
	cam := newFakeCamera(0, nil, time.Hour) // Next blocks until Close
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := Watch(ctx, cam, nil)
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Watch = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Watch did not return after cancel")
	}
	if !cam.isClosed() {
		t.Error("the camera is still open")
	}
}

func TestWatchSourceError(t *testing.T) {
	cam := newFakeCamera(3, frame(corpus.Short), 0)
	cam.fail = errors.New("camera unplugged")
	if _, err := Watch(context.Background(), cam, nil); err != cam.fail {
		t.Errorf("Watch = %v, want %v", err, cam.fail)
	}
	if !cam.isClosed() {
		t.Error("the camera is still open")
	}
}

func TestOpenCameraNone(t *testing.T) {
	// On a machine without a webcam (CI, containers) OpenCamera must say so.
	src, err := OpenCamera()
	if err == nil {
		src.Close()
		t.Skip("this machine has a camera")
	}
	if !errors.Is(err, ErrNoCamera) {
		t.Errorf("OpenCamera = %v, want ErrNoCamera", err)
	}
	t.Log(err) // what the user reads: with cgo "no camera found", without it the build says so
}
