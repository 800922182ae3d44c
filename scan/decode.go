package scan

import (
	"image"
	"math"
	"slices"

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
// It tries a chain of strategies and stops at the first that reads a code:
// the image as it is, thresholded three ways: locally (gozxing's hybrid
// binarizer), globally, which reads some low-contrast codes, and with
// [flatBinarizer], which reads faint codes in busy screenshots; the same
// inverted, for light-on-dark codes; the image enlarged 1.5, 2 and 3 times,
// which reads blurred and tiny codes; the image turned by 45 and 22.5
// degrees, which reads the rotated codes the detector misjudges; and the
// image smoothed, for heavy noise. Every fallback works on a bounded number of
// pixels, so an image without a code takes well under a second even at 4K.
// Codes that only different strategies read are not all found: several codes
// in one image are found together when they are alike.
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

// decodeLuma runs the strategy chain on l.
func decodeLuma(l *luma) []string {
	if texts := read(l, hybrid, global, flat); texts != nil {
		return texts
	}
	if n := l.w * l.h; n > maxFallbackPixels {
		l = l.scaled(math.Sqrt(float64(maxFallbackPixels) / float64(n)))
	}
	inv := l.inverted()
	if texts := read(inv, hybrid, global, flat); texts != nil {
		return texts
	}
	for _, f := range []float64{1.5, 2, 3} {
		if float64(l.w)*float64(l.h)*f*f > maxFallbackPixels {
			break
		}
		big := l.scaled(f)
		if texts := read(big, hybrid, flat); texts != nil {
			return texts
		}
		if texts := read(big.inverted(), hybrid, flat); texts != nil {
			return texts
		}
	}
	// The detector misjudges some codes turned 30 to 60 degrees; turned
	// again, they read.
	var turned []*luma
	for _, deg := range []float64{45, -22.5, 22.5} {
		t := l.turned(deg, maxTurnedPixels)
		if texts := read(t, hybrid); texts != nil {
			return texts
		}
		turned = append(turned, t)
	}
	for _, t := range turned {
		if texts := read(t.inverted(), hybrid); texts != nil {
			return texts
		}
	}
	// Heavy noise: average it away, and enlarge what is left.
	smooth := l.smoothed()
	if texts := read(smooth, global, hybrid); texts != nil {
		return texts
	}
	if l.w*l.h*4 <= maxFallbackPixels {
		return read(smooth.scaled(2), hybrid)
	}
	return nil
}

// read decodes every code in l with each binarizer in turn, and returns the
// texts of the first that finds any, sorted and without repeats.
func read(l *luma, bins ...binarizer) []string {
	src := l.source()
	for _, bin := range bins {
		bmp, err := gozxing.NewBinaryBitmap(bin(src))
		if err != nil {
			continue
		}
		results, _ := qrcode.NewQRCodeMultiReader().DecodeMultiple(bmp, tryHarder)
		var texts []string
		for _, r := range results {
			texts = append(texts, r.GetText())
		}
		if len(texts) > 0 {
			slices.Sort(texts)
			return slices.Compact(texts)
		}
	}
	return nil
}
