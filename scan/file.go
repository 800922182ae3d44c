package scan

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif"  // GIF files
	_ "image/jpeg" // JPEG files
	_ "image/png"  // PNG files
	"io"
	"os"
	"runtime"
	"strings"

	_ "golang.org/x/image/bmp"  // BMP files
	_ "golang.org/x/image/webp" // WebP files
)

// Limits on image files: a screenshot of an 8K display or a 48-megapixel
// photo fits; anything larger is refused before it is decoded. Bytes are
// bounded too: reading stops at maxFileSize, and an image whose decoded form
// would take more than maxDecodedBytes is refused from its header.
const (
	MaxPixels       = 50_000_000
	maxFileSize     = 256 << 20
	maxDecodedBytes = 200 << 20
	maxHeaderBytes  = 4 << 20
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
// WebP image. It reads the image's header first and refuses, with
// [ErrTooLarge] and without decoding it, an image of more than [MaxPixels]
// pixels or one whose decoding would take too much memory; it stops reading
// a file at 256 MB. Other errors are [ErrEmpty], [ErrNotImage], [ErrDamaged]
// and [ErrNoQR].
func DecodeReader(r io.Reader) ([]string, error) {
	l, err := readLuma(r)
	if err != nil {
		return nil, err
	}
	return decodeGrey(l)
}

// maxPixels is MaxPixels; fuzzing lowers it.
var maxPixels = MaxPixels

// readLuma reads an image file to grey, within the limits. PNGs go straight
// to grey; the other formats go through their decoders once their header
// says what that costs. A decoder that panics on a malformed file counts as
// a damaged image.
func readLuma(r io.Reader) (l *luma, err error) {
	lr := &limitedReader{r: r, n: maxFileSize}
	defer func() {
		if recover() != nil {
			l, err = nil, ErrDamaged
		}
		if err != nil && lr.hit {
			l, err = nil, fmt.Errorf("%w: the file is over %d MB", ErrTooLarge, maxFileSize>>20)
		}
	}()
	br := bufio.NewReaderSize(lr, 64<<10)
	head, err := br.Peek(len(pngSignature))
	switch {
	case len(head) == 0 && err == io.EOF:
		return nil, ErrEmpty
	case len(head) == 0:
		return nil, err
	case string(head) == pngSignature:
		br.Discard(len(pngSignature))
		return decodePNG(br)
	}
	rec := &recorder{r: br}
	cfg, format, err := image.DecodeConfig(rec)
	if err != nil {
		return nil, imageError(err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, ErrDamaged
	}
	if cfg.Width > maxPixels/cfg.Height {
		return nil, tooManyPixels(cfg.Width, cfg.Height)
	}
	// The decoder's image and the grey made from it.
	if n := int64(cfg.Width) * int64(cfg.Height) * int64(decodedBytes(format, cfg.ColorModel, rec.buf)+1); n > maxDecodedBytes {
		return nil, fmt.Errorf("%w: decoding this %d x %d %s image would take %d MB, at most %d MB",
			ErrTooLarge, cfg.Width, cfg.Height, strings.ToUpper(format), n>>20, maxDecodedBytes>>20)
	}
	img, _, err := image.Decode(io.MultiReader(bytes.NewReader(rec.buf), br))
	if err != nil {
		return nil, imageError(err)
	}
	l = toLuma(img)
	if l.w*l.h > maxFallbackPixels {
		// The decoder's image is garbage now: let the search that follows
		// reuse its memory rather than add to it.
		runtime.GC()
	}
	return l, nil
}

// tooManyPixels is the error for an image of w x h pixels, over maxPixels.
func tooManyPixels(w, h int) error {
	return fmt.Errorf("%w: %d x %d pixels, at most %d megapixels", ErrTooLarge, w, h, MaxPixels/1_000_000)
}

// decodedBytes returns the most bytes per pixel that the standard decoder
// of format holds for an image of model, given the start of its file.
func decodedBytes(format string, model color.Model, head []byte) int {
	switch format {
	case "jpeg":
		components := 3
		switch model {
		case color.GrayModel:
			components = 1
		case color.CMYKModel:
			components = 4
		}
		if progressiveJPEG(head) {
			// Every coefficient of every component is kept, as an int32.
			return components * (4 + 1)
		}
		return components
	case "gif":
		return 2 // the frame, and a copy to undo interlacing
	case "bmp":
		return 4
	case "webp":
		if model == color.YCbCrModel {
			return 2
		}
	}
	return 8 // WebP with alpha or lossless, and anything else
}

// progressiveJPEG reports whether the JPEG file that head starts has a
// progressive frame header.
func progressiveJPEG(head []byte) bool {
	for i := 2; i+4 <= len(head); {
		if head[i] != 0xff {
			return false
		}
		marker := head[i+1]
		switch {
		case marker == 0xff: // fill byte
			i++
			continue
		case marker == 0xc2 || marker == 0xc6 || marker == 0xca || marker == 0xce:
			return true
		case marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc:
			return false
		}
		i += 2 + (int(head[i+2])<<8 | int(head[i+3]))
	}
	return false
}

// imageError turns a decoder's error into one of the package's.
func imageError(err error) error {
	switch {
	case errors.Is(err, ErrTooLarge):
		return err
	case errors.Is(err, image.ErrFormat):
		return ErrNotImage
	}
	return ErrDamaged
}

// limitedReader reads at most n bytes from r, then fails, and remembers
// that it did.
type limitedReader struct {
	r   io.Reader
	n   int64
	hit bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		l.hit = true
		return 0, ErrTooLarge
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// recorder keeps what is read through it, up to maxHeaderBytes, so that a
// file can be decoded after its header was read.
type recorder struct {
	r   io.Reader
	buf []byte
}

func (r *recorder) Read(p []byte) (int, error) {
	if len(r.buf) >= maxHeaderBytes {
		return 0, fmt.Errorf("%w: the image's header is over %d MB", ErrTooLarge, maxHeaderBytes>>20)
	}
	p = p[:min(len(p), maxHeaderBytes-len(r.buf))]
	n, err := r.r.Read(p)
	r.buf = append(r.buf, p[:n]...)
	return n, err
}
