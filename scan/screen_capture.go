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
func captureScreens() (imgs []image.Image, err error) {
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" &&
		os.Getenv("WAYLAND_DISPLAY") != "" && os.Getenv("DISPLAY") == "" {
		return nil, fmt.Errorf("no X11 display under Wayland: %w", ErrScreenUnavailable)
	}
	// The X11 code panics rather than fail on some servers.
	defer func() {
		if r := recover(); r != nil {
			imgs, err = nil, fmt.Errorf("%v: %w", r, ErrScreenUnavailable)
		}
	}()
	n := screenshot.NumActiveDisplays()
	if n == 0 {
		return nil, fmt.Errorf("no display found: %w", ErrScreenUnavailable)
	}
	for i := range n {
		img, err := screenshot.CaptureDisplay(i)
		if err != nil {
			return nil, fmt.Errorf("%v: %w", err, ErrScreenUnavailable)
		}
		imgs = append(imgs, img)
	}
	return imgs, nil
}
