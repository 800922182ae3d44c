package vault

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
)

// IconLetter is the [Account.Icon] of a tile that shows its letter even where
// a brand icon matches.
const IconLetter = "letter"

// Limits on an account's custom icon image. They are checked before the image
// is decoded, so that a hostile image costs at most this much.
const (
	MaxIconImageBytes = 64 << 10
	MaxIconImageSide  = 256
	maxIconNameLen    = 64
)

// ErrIconImage is the error of a custom icon image that Authdeck does not take:
// not PNG or JPEG, too big, or damaged.
var ErrIconImage = errors.New("the icon image is not usable")

// validateIcon checks the icon fields: a name of a brand icon's shape (lower
// case letters, digits, "_"), and a custom image that [CheckIconImage] takes.
func (a *Account) validateIcon() error {
	if len(a.Icon) > maxIconNameLen {
		return fmt.Errorf("icon name is longer than %d characters", maxIconNameLen)
	}
	for _, r := range a.Icon {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return fmt.Errorf("icon name %q is not an icon's name (lower-case letters, digits and _)", a.Icon)
		}
	}
	if a.IconImage != nil {
		return CheckIconImage(a.IconImage)
	}
	return nil
}

// CheckIconImage reports whether data is a custom icon image that Authdeck
// takes: a PNG or JPEG file of at most [MaxIconImageBytes], 1 to
// [MaxIconImageSide] pixels a side, that decodes whole. The size and the
// dimensions in the header are checked before anything is decoded. Its errors
// wrap [ErrIconImage].
func CheckIconImage(data []byte) error {
	if len(data) == 0 {
		return fmt.Errorf("%w: the file is empty", ErrIconImage)
	}
	if len(data) > MaxIconImageBytes {
		return fmt.Errorf("%w: it is %d KiB, more than %d KiB", ErrIconImage, (len(data)+1023)>>10, MaxIconImageBytes>>10)
	}
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		decodeConfig, decode = png.DecodeConfig, png.Decode
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	default:
		return fmt.Errorf("%w: it is not a PNG or JPEG image", ErrIconImage)
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrIconImage, err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxIconImageSide || cfg.Height > MaxIconImageSide {
		return fmt.Errorf("%w: it is %dx%d pixels; at most %dx%d", ErrIconImage, cfg.Width, cfg.Height, MaxIconImageSide, MaxIconImageSide)
	}
	if _, err := decode(bytes.NewReader(data)); err != nil {
		return fmt.Errorf("%w: %v", ErrIconImage, err)
	}
	return nil
}
