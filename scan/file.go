package scan

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // GIF files
	_ "image/jpeg" // JPEG files
	_ "image/png"  // PNG files
	"io"
	"os"

	_ "golang.org/x/image/bmp"  // BMP files
	_ "golang.org/x/image/webp" // WebP files
)

// Limits on image files: a screenshot of an 8K display or a 48-megapixel
// photo fits; anything larger is refused before it is decoded.
const (
	MaxPixels   = 50_000_000
	maxFileSize = 256 << 20
)

// Errors about image files.
var (
	ErrEmpty    = errors.New("the file is empty")
	ErrNotImage = errors.New("not an image: expected a PNG, JPEG, GIF, BMP or WebP file")
	ErrDamaged  = errors.New("the image is damaged or incomplete")
	ErrTooLarge = errors.New("the image is too large")
)

// DecodeFile returns the text of every QR code in the image file at path,
// like [DecodeReader].
func DecodeFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return DecodeReader(f)
}

// DecodeReader returns the text of every QR code in a PNG, JPEG, GIF, BMP or
// WebP image. It reads the image's size first and refuses one of more than
// [MaxPixels] pixels with [ErrTooLarge] without decoding it. Other errors are
// [ErrEmpty], [ErrNotImage], [ErrDamaged] and [ErrNoQR].
func DecodeReader(r io.Reader) ([]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	img, err := decodeImage(data)
	if err != nil {
		return nil, err
	}
	return Decode(img)
}

// maxPixels is MaxPixels; fuzzing lowers it.
var maxPixels = MaxPixels

// decodeImage decodes an image file held in memory, within the limits. A
// decoder that panics on a malformed file counts as a damaged image.
func decodeImage(data []byte) (img image.Image, err error) {
	defer func() {
		if recover() != nil {
			img, err = nil, ErrDamaged
		}
	}()
	switch {
	case len(data) == 0:
		return nil, ErrEmpty
	case len(data) > maxFileSize:
		return nil, fmt.Errorf("%w: the file is over %d MB", ErrTooLarge, maxFileSize>>20)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, imageError(err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, ErrDamaged
	}
	if cfg.Width > maxPixels/cfg.Height {
		return nil, fmt.Errorf("%w: %d x %d pixels, at most %d megapixels", ErrTooLarge, cfg.Width, cfg.Height, MaxPixels/1_000_000)
	}
	img, _, err = image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, imageError(err)
	}
	return img, nil
}

// imageError turns a decoder's error into one of the package's.
func imageError(err error) error {
	if errors.Is(err, image.ErrFormat) {
		return ErrNotImage
	}
	return ErrDamaged
}
