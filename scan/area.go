package scan

import (
	"fmt"
	"image"
)

// CaptureScreen takes one picture of the whole screen, every display in its
// place, so that the user can pick the area to read with [DecodeArea]. It
// returns an error wrapping [ErrScreenUnavailable] when the screen cannot be
// captured so: on Wayland without X11 and in a Flatpak sandbox, where
// [Screen] asks the desktop's screenshot portal, whose own dialog lets the
// user drag out an area.
func CaptureScreen() (*image.RGBA, error) {
	if portalFirst() {
		return nil, fmt.Errorf("the screen is shared through the desktop's portal: %w", ErrScreenUnavailable)
	}
	return captureWhole()
}

// DecodeArea returns the text of every QR code in the area r of img, read
// as [Decode] reads an image, or [ErrNoQR]; nothing outside r is read.
func DecodeArea(img *image.RGBA, r image.Rectangle) ([]string, error) {
	r = r.Intersect(img.Rect)
	if r.Empty() {
		return nil, ErrNoQR
	}
	return Decode(img.SubImage(r))
}
