package scan

import (
	"errors"
	"image"
	"image/color"
	"os"
	"runtime"
	"slices"
	"testing"

	"authdeck/scan/internal/corpus"
)

// twoCodes is a screenshot of w x h pixels with a code in the middle of its
// left half and another in the middle of its right half, and the areas of
// each, 400 pixels square.
func twoCodes(w, h int) (img *image.RGBA, left, right image.Rectangle) {
	img = corpus.Screenshot(newRand(), w, h, false)
	corpus.Place(img, corpus.Short, float64(w/4), float64(h/2), 4, 0, color.Gray{0}, color.Gray{255})
	corpus.Place(img, corpus.HOTP, float64(3*w/4), float64(h/2), 4, 0, color.Gray{0}, color.Gray{255})
	square := image.Rect(-200, -200, 200, 200)
	return img, square.Add(image.Pt(w/4, h/2)), square.Add(image.Pt(3*w/4, h/2))
}

func TestDecodeArea(t *testing.T) {
	img, left, right := twoCodes(1920, 1080)
	for _, c := range []struct {
		area image.Rectangle
		want []string
	}{
		{left, []string{corpus.Short}},
		{right, []string{corpus.HOTP}},
		{left.Union(right), []string{corpus.HOTP, corpus.Short}},
		{img.Rect, []string{corpus.HOTP, corpus.Short}},
		// Beyond the picture: only what is in it counts.
		{image.Rect(1100, -500, 5000, 5000), []string{corpus.HOTP}},
	} {
		if got, err := DecodeArea(img, c.area); err != nil || !slices.Equal(got, c.want) {
			t.Errorf("DecodeArea(%v) = %q, %v, want %q", c.area, got, err, c.want)
		}
	}
	for _, area := range []image.Rectangle{
		image.Rect(800, 100, 1100, 1000), // between the codes
		image.Rect(480, 340, 880, 740),   // the left code cut in half
		image.Rect(3000, 0, 4000, 1000),  // off the picture
		{},
	} {
		if got, err := DecodeArea(img, area); !errors.Is(err, ErrNoQR) {
			t.Errorf("DecodeArea(%v) = %q, %v, want ErrNoQR", area, got, err)
		}
	}
}

// TestCaptureScreenX11 captures a real X display showing two codes and reads
// the area of one.
func TestCaptureScreenX11(t *testing.T) {
	if os.Getenv("DISPLAY") == "" || runtime.GOOS != "linux" {
		t.Skip("no X display")
	}
	t.Setenv("XDG_SESSION_TYPE", "x11")
	// Small enough for the X server to take a few rows per request.
	shown, left, right := twoCodes(1000, 450)
	raise := showOnX11(t, shown)
	// Other tests may open windows on the same display: raise ours and try
	// again if one covered it.
	for range 3 {
		img, err := CaptureScreen()
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() < shown.Rect.Dx() || b.Dy() < shown.Rect.Dy() {
			t.Fatalf("the screen's picture is %v, smaller than the window on it", b)
		}
		l, errL := DecodeArea(img, left)
		r, errR := DecodeArea(img, right)
		if errL == nil && errR == nil && slices.Equal(l, []string{corpus.Short}) && slices.Equal(r, []string{corpus.HOTP}) {
			return
		}
		t.Logf("left %q, %v; right %q, %v", l, errL, r, errR)
		raise()
	}
	t.Error("the areas of the screen did not read one code each")
}

func TestCaptureScreenPortalFirst(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Wayland is a Linux matter")
	}
	t.Setenv("WAYLAND_DISPLAY", "wayland-0")
	t.Setenv("DISPLAY", "")
	if _, err := CaptureScreen(); !errors.Is(err, ErrScreenUnavailable) {
		t.Errorf("CaptureScreen under Wayland = %v, want ErrScreenUnavailable", err)
	}
}
