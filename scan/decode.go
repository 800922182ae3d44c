package scan

import (
	"image"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/multi/qrcode"
)

// Bounds on the fallbacks, so an image without a code costs a bounded amount
// of work: they run on at most maxFallbackPixels (a 4K screen), shrinking a
// larger image first; they enlarge an image only while the result stays
// under that; and they turn images of at most maxTurnedPixels, shrinking
// larger ones (codes photographed at an angle are large).
const (
	maxFallbackPixels = 9_000_000
	maxTurnedPixels   = 4_000_000
)

// Decode returns the text of every QR code in img, or [ErrNoQR] if it finds
// none.
//
// First it reads the image as it is and inverted, for light-on-dark codes,
// thresholded locally (gozxing's hybrid binarizer): every code that either
// reads is returned, so that codes side by side, of different sizes, or one
// dark and one light are all found. If none reads, it thresholds both
// globally, which reads some low-contrast codes, and with [flatBinarizer],
// which reads faint codes in busy screenshots; an image larger than a 4K
// screen is shrunk to that size for these. Only if none of these reads a
// code, and one of them saw three finder patterns (the squares in a code's
// corners), come the fallbacks, each stopping at the first that reads one:
// the image enlarged 1.5, 2 and 3 times, which reads blurred and tiny codes;
// turned by 45 and 22.5 degrees, which reads the rotated codes the detector
// misjudges; and smoothed, for heavy noise. The passes of a step run in
// parallel, and every fallback works on a bounded number of pixels, so an
// image without a code takes well under a second even at 4K; one without
// finder patterns costs only the first passes. A faint code that only the
// later steps read is not found next to a code that the local threshold
// reads.
func Decode(img image.Image) ([]string, error) {
	return decodeGrey(toLuma(img))
}

// decodeGrey is Decode for a grey image.
func decodeGrey(l *luma) ([]string, error) {
	texts := decodeLuma(l)
	if len(texts) == 0 {
		return nil, ErrNoQR
	}
	return texts, nil
}

// tryHarder makes the finder look at every row, which finds small codes in
// large screenshots for little extra time.
var tryHarder = map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}

// A pass reads the codes in one image thresholded one way.
type pass func() []string

// decodeLuma runs the strategies on l and returns the texts found, sorted
// and without repeats.
func decodeLuma(l *luma) []string {
	// An image larger than a 4K screen is read as it is only with the
	// hybrid threshold, for small codes, and shrunk for the others.
	small := l
	if n := l.w * l.h; n > maxFallbackPixels {
		small = l.scaled(math.Sqrt(float64(maxFallbackPixels) / float64(n)))
	}
	// Whether any of the first passes saw three finder patterns. On every
	// hard image of the corpus (scan/internal/corpus) that a fallback
	// reads, they did; without them, a screenshot without a code is given
	// up on after the first passes.
	var seen atomic.Bool
	normal, inverted := hybridPair(l)
	if texts := parallel(
		func() []string { return readMatrix(normal, &seen) },
		func() []string { return readMatrix(inverted, &seen) },
	); texts != nil {
		return texts
	}
	if texts := parallel(
		func() []string { return append(read(small, &seen, global), read(small.inverted(), &seen, global)...) },
		func() []string { return readFlat(small, &seen) },
	); texts != nil {
		return texts
	}
	if !seen.Load() {
		return nil
	}

	// The fallbacks work on a bounded number of pixels.
	l = small
	var enlarged []pass
	for _, f := range []float64{1.5, 2, 3} {
		if float64(l.w)*float64(l.h)*f*f > maxFallbackPixels {
			break
		}
		enlarged = append(enlarged, func() []string {
			big := l.scaled(f)
			return append(readBoth(big), readFlat(big, nil)...)
		})
	}
	if texts := parallel(enlarged...); texts != nil {
		return texts
	}
	// The detector misjudges some codes turned 30 to 60 degrees; turned
	// again, they read.
	var turned []pass
	for _, deg := range []float64{45, -22.5, 22.5} {
		turned = append(turned, func() []string { return readBoth(l.turned(deg, maxTurnedPixels)) })
	}
	if texts := parallel(turned...); texts != nil {
		return texts
	}
	// Heavy noise: average it away, and enlarge what is left.
	smooth := l.smoothed()
	noisy := []pass{
		func() []string { return read(smooth, nil, global) },
		func() []string { m, _ := hybridPair(smooth); return readMatrix(m, nil) },
	}
	if l.w*l.h*4 <= maxFallbackPixels {
		noisy = append(noisy, func() []string { m, _ := hybridPair(smooth.scaled(2)); return readMatrix(m, nil) })
	}
	return parallel(noisy...)
}

// readBoth returns the texts of the codes in l and in l inverted, with the
// hybrid binarizer.
func readBoth(l *luma) []string {
	normal, inverted := hybridPair(l)
	return append(readMatrix(normal, nil), readMatrix(inverted, nil)...)
}

// readFlat returns the texts of the codes in l and in l inverted, with the
// flat binarizer, noting in seen whether it saw finder patterns. Its
// threshold for the inverted image is that of the image with black and
// white swapped, so it is worked out once.
func readFlat(l *luma, seen *atomic.Bool) []string {
	m, err := flat(l.source()).GetBlackMatrix()
	if err != nil {
		return nil
	}
	return append(readMatrix(m, seen), readMatrix(flipped(m), seen)...)
}

// parallel runs the passes, as many at a time as there are processors, and
// returns every text they found, sorted and without repeats, or nil.
func parallel(passes ...pass) []string {
	found := make([][]string, len(passes))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, p := range passes {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			found[i] = p()
		})
	}
	wg.Wait()
	texts := slices.Concat(found...)
	if len(texts) == 0 {
		return nil
	}
	slices.Sort(texts)
	return slices.Compact(texts)
}

// read returns the texts of every code in l that any of the binarizers
// reads, noting in seen whether it saw finder patterns.
func read(l *luma, seen *atomic.Bool, bins ...binarizer) []string {
	src := l.source()
	var texts []string
	for _, bin := range bins {
		m, err := bin(src).GetBlackMatrix()
		if err == nil {
			texts = append(texts, readMatrix(m, seen)...)
		}
	}
	return texts
}

// readMatrix returns the texts of every code in a black and white image.
// If seen is not nil, it is set when the image holds three finder patterns
// that could make a code, whether or not one reads.
func readMatrix(m *gozxing.BitMatrix, seen *atomic.Bool) []string {
	if m == nil {
		return nil
	}
	bmp, err := gozxing.NewBinaryBitmap(matrixBinarizer{m})
	if err != nil {
		return nil
	}
	// The reader fails only when it finds no three finder patterns.
	results, err := qrcode.NewQRCodeMultiReader().DecodeMultiple(bmp, tryHarder)
	if err == nil && seen != nil {
		seen.Store(true)
	}
	var texts []string
	for _, r := range results {
		texts = append(texts, r.GetText())
	}
	return texts
}

// flipped returns m with black and white swapped.
func flipped(m *gozxing.BitMatrix) *gozxing.BitMatrix {
	out, _ := gozxing.NewBitMatrix(m.GetWidth(), m.GetHeight())
	var row *gozxing.BitArray
	for y := range m.GetHeight() {
		row = m.GetRow(y, row)
		out.SetRow(y, row)
	}
	out.FlipAll()
	return out
}

// matrixBinarizer hands the QR reader a black and white image already made.
// The reader asks only for the whole matrix.
type matrixBinarizer struct{ m *gozxing.BitMatrix }

func (b matrixBinarizer) GetLuminanceSource() gozxing.LuminanceSource { return nil }
func (b matrixBinarizer) GetBlackRow(y int, row *gozxing.BitArray) (*gozxing.BitArray, error) {
	return b.m.GetRow(y, row), nil
}
func (b matrixBinarizer) GetBlackMatrix() (*gozxing.BitMatrix, error) { return b.m, nil }
func (b matrixBinarizer) CreateBinarizer(gozxing.LuminanceSource) gozxing.Binarizer {
	return b
}
func (b matrixBinarizer) GetWidth() int  { return b.m.GetWidth() }
func (b matrixBinarizer) GetHeight() int { return b.m.GetHeight() }
