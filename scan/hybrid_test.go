package scan

import (
	"image/color"
	"testing"

	"authdeck/scan/internal/corpus"
)

// TestHybridPair checks that hybridPair gives the very black and white
// images of gozxing's hybrid binarizer on an image and on its inverse.
func TestHybridPair(t *testing.T) {
	r := newRand()
	for _, l := range []*luma{
		toLuma(corpus.Screenshot(r, 643, 419, false)),
		toLuma(corpus.Noise(r, corpus.Plain(100, 61, color.Gray{128}), 127)),
		toLuma(corpus.Screenshot(r, 41, 40, true)),
		toLuma(corpus.Plain(30, 90, color.Gray{200})),
	} {
		normal, inverted := hybridPair(l)
		want, _ := hybrid(l.source()).GetBlackMatrix()
		iwant, _ := hybrid(l.inverted().source()).GetBlackMatrix()
		for y := range l.h {
			for x := range l.w {
				if normal.Get(x, y) != want.Get(x, y) {
					t.Fatalf("%dx%d: pixel (%d,%d) = %v, want %v", l.w, l.h, x, y, normal.Get(x, y), want.Get(x, y))
				}
				if inverted.Get(x, y) != iwant.Get(x, y) {
					t.Fatalf("%dx%d inverted: pixel (%d,%d) = %v, want %v", l.w, l.h, x, y, inverted.Get(x, y), iwant.Get(x, y))
				}
			}
		}
	}
}
