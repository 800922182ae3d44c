//go:build !darwin || cgo

package scan

import (
	"fmt"
	"image"
	"os"
	"runtime"

	"github.com/kbinani/screenshot"
)

// captureScreens takes a picture of every display.
func captureScreens() ([]image.Image, error) {
	var imgs []image.Image
	err := withDisplays(func(n int) error {
		for i := range n {
			img, err := screenshot.CaptureDisplay(i)
			if err != nil {
				return err
			}
			imgs = append(imgs, img)
		}
		return nil
	})
	return imgs, err
}

// captureWhole takes one picture of the whole screen, every display in its
// place.
func captureWhole() (*image.RGBA, error) {
	var img *image.RGBA
	err := withDisplays(func(n int) (err error) {
		var all image.Rectangle
		for i := range n {
			all = all.Union(screenshot.GetDisplayBounds(i))
		}
		img, err = screenshot.CaptureRect(all)
		return err
	})
	return img, err
}

// withDisplays calls capture with the number of displays, and turns every
// way of failing into an error wrapping [ErrScreenUnavailable].
func withDisplays(capture func(n int) error) (err error) {
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" &&
		os.Getenv("WAYLAND_DISPLAY") != "" && os.Getenv("DISPLAY") == "" {
		return fmt.Errorf("no X11 display under Wayland: %w", ErrScreenUnavailable)
	}
	// The X11 code panics rather than fail on some servers.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v: %w", r, ErrScreenUnavailable)
		}
	}()
	n := screenshot.NumActiveDisplays()
	if n == 0 {
		return fmt.Errorf("no display found: %w", ErrScreenUnavailable)
	}
	if err := capture(n); err != nil {
		return fmt.Errorf("%v: %w", err, ErrScreenUnavailable)
	}
	return nil
}
