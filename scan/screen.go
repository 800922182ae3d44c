package scan

import (
	"context"
	"errors"
	"image"
	"runtime"
	"slices"
	"time"
)

// Errors of [Screen].
var (
	ErrScreenUnavailable = errors.New("cannot capture the screen: save the QR code as an image and open that file, or use the webcam")
	ErrScreenRefused     = errors.New("the screen was not shared: the request was cancelled or refused")
)

// portalWait bounds the wait for the user to answer the portal's dialog.
const portalWait = 5 * time.Minute

// Screen captures every display and returns the text of every QR code on
// them, or [ErrNoQR]. On Linux, in a Flatpak sandbox, on Wayland without X11,
// or when X11 cannot be captured, it asks the desktop's screenshot portal
// instead (org.freedesktop.portal.Screenshot), whose dialog lets the user
// share the screen or an area of it; if the user cancels or the desktop
// refuses, it returns [ErrScreenRefused]. It returns an error wrapping
// [ErrScreenUnavailable] when the screen cannot be captured at all.
func Screen() ([]string, error) {
	if !portalFirst() {
		shots, err := captureScreens()
		switch {
		case err == nil:
			return decodeAll(shots)
		case !errors.Is(err, ErrScreenUnavailable) || runtime.GOOS != "linux":
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), portalWait)
	defer cancel()
	path, err := portalCapture(ctx)
	if err != nil {
		return nil, err
	}
	return DecodeFile(path)
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
