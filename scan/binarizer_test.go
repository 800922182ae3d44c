package scan

import (
	"image/color"
	"slices"
	"testing"

	"authdeck/scan/internal/corpus"
)

// TestFlatBinarizer checks the binarizer on faint codes that gozxing's own
// two lose: grey on grey, in a busy screenshot and on a plain page.
func TestFlatBinarizer(t *testing.T) {
	shot := corpus.Screenshot(newRand(), 1280, 800, false)
	corpus.Place(shot, corpus.Short, 640, 420, 5, 0, color.Gray{100}, color.Gray{150})
	page := corpus.Plain(600, 600, color.Gray{170})
	corpus.Place(page, corpus.Long, 300, 300, 4, 0, color.Gray{130}, color.Gray{170})
	for _, tt := range []struct {
		name string
		l    *luma
		want string
	}{
		{"screenshot", toLuma(shot), corpus.Short},
		{"page", toLuma(page), corpus.Long},
	} {
		if got := read(tt.l, nil, hybrid); got != nil {
			t.Logf("%s: the hybrid binarizer reads it now; the test needs a harder case", tt.name)
		}
		if got := read(tt.l, nil, flat); !slices.Equal(got, []string{tt.want}) {
			t.Errorf("%s: flat binarizer read %q", tt.name, got)
		}
	}
}

func TestFlatBinarizerBlank(t *testing.T) {
	// No contrast anywhere: nothing is black.
	l := toLuma(corpus.Plain(100, 60, color.Gray{90}))
	m, err := flat(l.source()).GetBlackMatrix()
	if err != nil {
		t.Fatal(err)
	}
	for y := range 60 {
		for x := range 100 {
			if m.Get(x, y) {
				t.Fatalf("pixel (%d,%d) of a blank image is black", x, y)
			}
		}
	}
}
