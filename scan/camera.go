package scan

import (
	"context"
	"errors"
	"image"
	"sync"
)

// Errors of [OpenCamera].
var (
	ErrNoCamera          = errors.New("no camera found")
	ErrCameraUnavailable = errors.New("the camera cannot be opened: another program may be using it, or Authdeck may not have permission")
	// ErrNoCameraSupport says that this build cannot use cameras at all (it
	// was built without cgo). It matches ErrNoCamera too.
	ErrNoCameraSupport = errors.New("this build of Authdeck has no camera support")
)

// FrameSource is a stream of pictures, such as a webcam.
type FrameSource interface {
	// Next waits for the next frame and returns it. The frame stays valid
	// after later calls. Once the source is closed, Next returns an error.
	Next() (image.Image, error)
	// Close stops the source and releases the device. Next may be blocked
	// in another goroutine when Close is called.
	Close() error
}

// Watch reads frames from src until one holds a QR code, and returns the
// texts of the codes in it. It closes src as soon as it returns: on a code,
// on an error from src, or when ctx is done. Each frame is passed to
// preview, if not nil, for a live picture; preview runs on Watch's goroutine
// and must return quickly. Frames are decoded one at a time in the
// background; frames that arrive while one is being decoded are shown but
// not decoded, so a slow decode never holds up the picture.
func Watch(ctx context.Context, src FrameSource, preview func(image.Image)) ([]string, error) {
	return watch(ctx, src, preview, Decode)
}

// watch is Watch with the decoder as a parameter, for tests.
func watch(ctx context.Context, src FrameSource, preview func(image.Image), decode func(image.Image) ([]string, error)) ([]string, error) {
	var once sync.Once
	closeSrc := func() { once.Do(func() { src.Close() }) }
	defer closeSrc()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Close the source when ctx is done, which unblocks Next.
	go func() {
		<-ctx.Done()
		closeSrc()
	}()

	frames := make(chan image.Image)
	found := make(chan []string, 1)
	go func() {
		for img := range frames {
			if texts, err := decode(img); err == nil {
				found <- texts
				cancel() // release the camera now, not at the next frame
				return
			}
		}
	}()
	defer close(frames)

	for {
		img, err := src.Next()
		select {
		case texts := <-found:
			return texts, nil
		default:
		}
		if ctx.Err() != nil {
			// The caller gave up; a decode may just have finished.
			select {
			case texts := <-found:
				return texts, nil
			default:
				return nil, context.Cause(ctx)
			}
		}
		if err != nil {
			return nil, err
		}
		if preview != nil {
			preview(img)
		}
		select {
		case frames <- img:
		default: // the decoder is busy: skip this frame
		}
	}
}
