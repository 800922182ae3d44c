package scan

import (
	"errors"
	"image"
	"slices"
)

// ErrScreenUnavailable is returned when the screen cannot be captured, as on
// Wayland without X11 access.
var ErrScreenUnavailable = errors.New("cannot capture the screen: save the QR code as an image and open that file, or use the webcam")

// Screen captures every display and returns the text of every QR code on
// them, or [ErrNoQR]. It returns an error wrapping [ErrScreenUnavailable]
// when the screen cannot be captured.
func Screen() ([]string, error) {
	shots, err := captureScreens()
	if err != nil {
		return nil, err
	}
	return decodeAll(shots)
}

// decodeAll returns the texts of the codes in every image, without repeats.
func decodeAll(imgs []image.Image) ([]string, error) {
	var texts []string
	for _, img := range imgs {
		found, err := Decode(img)
		if err == nil {
			texts = append(texts, found...)
		}
	}
	if len(texts) == 0 {
		return nil, ErrNoQR
	}
	slices.Sort(texts)
	return slices.Compact(texts), nil
}
