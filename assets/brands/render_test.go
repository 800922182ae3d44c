package brands

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestRenderEveryIcon draws every bundled icon in both themes and fails on
// any that does not parse or whose glyph puts down too little ink to be seen.
func TestRenderEveryIcon(t *testing.T) {
	const size = 48
	all := All()
	for _, ic := range all {
		for _, theme := range []Theme{Light, Dark} {
			img, err := Render(ic.Name, size, theme)
			if err != nil {
				t.Errorf("%s: %v", ic.Name, err)
				continue
			}
			disc, glyph, _ := ic.Colors(theme)
			if n := glyphPixels(img, disc, glyph); n < minGlyphPixels {
				t.Errorf("%s (%v theme): the glyph puts down %.1f pixels of ink at %d px, want at least %d", ic.Name, theme, n, size, minGlyphPixels)
			}
		}
	}
	t.Logf("rendered %d icons in two themes", len(all))
}

// minGlyphPixels is the least ink a 48 px icon's glyph must put down to
// count as drawn, in pixels of the glyph's colour: about 1% of its box.
const minGlyphPixels = 8

// glyphPixels measures the glyph's ink: over the glyph's box (the middle 24
// of the 40 units, clear of the ring), how far each pixel went from the
// disc's colour towards the glyph's, summed.
func glyphPixels(img *image.RGBA, disc, glyph color.RGBA) float64 {
	size := img.Bounds().Dx()
	lo, hi := size*8/40, size*32/40
	dr, dg, db := float64(glyph.R)-float64(disc.R), float64(glyph.G)-float64(disc.G), float64(glyph.B)-float64(disc.B)
	norm := dr*dr + dg*dg + db*db
	ink := 0.0
	for y := lo; y < hi; y++ {
		for x := lo; x < hi; x++ {
			c := img.RGBAAt(x, y)
			t := ((float64(c.R)-float64(disc.R))*dr + (float64(c.G)-float64(disc.G))*dg + (float64(c.B)-float64(disc.B))*db) / norm
			ink += min(1, max(0, t))
		}
	}
	return ink
}

func dist(a, b color.RGBA) int {
	d := func(x, y uint8) int { return (int(x) - int(y)) * (int(x) - int(y)) }
	return d(a.R, b.R) + d(a.G, b.G) + d(a.B, b.B)
}

// TestRenderDisc checks the geometry: the disc fills the image's circle, the
// corners stay transparent, and the glyph sits in the middle.
func TestRenderDisc(t *testing.T) {
	img, err := Render("github", 64, Light)
	if err != nil {
		t.Fatal(err)
	}
	if c := img.RGBAAt(0, 0); c.A != 0 {
		t.Errorf("corner pixel %v, want transparent", c)
	}
	ic, _ := Lookup("github")
	disc, glyph, _ := ic.Colors(Light)
	if c := img.RGBAAt(32, 2); dist(c, disc) > 30 {
		t.Errorf("pixel at the top of the disc is %v, want the brand colour %v", c, disc)
	}
	if glyph != (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
		t.Errorf("GitHub's near-black disc has glyph colour %v, want white", glyph)
	}
}

// TestColorsContrast checks the contrast rules: the glyph is whichever of
// white and black reads better on the brand colour, and a disc that would
// melt into the window's background gets a ring.
func TestColorsContrast(t *testing.T) {
	white, black := color.RGBA{0xff, 0xff, 0xff, 0xff}, color.RGBA{0, 0, 0, 0xff}
	tests := []struct {
		name           string
		brand          color.RGBA
		theme          Theme
		glyph          color.RGBA
		ring           bool
		minGlyphOnDisc float64
	}{
		{"near-white on light", color.RGBA{0xfa, 0xfa, 0xfa, 0xff}, Light, black, true, 4.5},
		{"near-white on dark", color.RGBA{0xfa, 0xfa, 0xfa, 0xff}, Dark, black, false, 4.5},
		{"black on dark", black, Dark, white, true, 4.5},
		{"black on light", black, Light, white, false, 4.5},
		{"yellow", color.RGBA{0xff, 0xfc, 0x00, 0xff}, Light, black, true, 4.5},
		{"mid blue", color.RGBA{0x42, 0x85, 0xf4, 0xff}, Dark, white, false, 3},
	}
	for _, tt := range tests {
		disc, glyph, ring := Icon{Color: tt.brand}.Colors(tt.theme)
		if disc != tt.brand || glyph != tt.glyph || (ring.A != 0) != tt.ring {
			t.Errorf("%s: Colors = %v, %v, %v; want glyph %v, ring %v", tt.name, disc, glyph, ring, tt.glyph, tt.ring)
		}
		if c := contrast(disc, glyph); c < tt.minGlyphOnDisc {
			t.Errorf("%s: glyph contrast %.1f, want at least %.1f", tt.name, c, tt.minGlyphOnDisc)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	if _, err := Render("no-such-icon", 32, Light); !errors.Is(err, ErrUnknown) {
		t.Errorf("unknown icon: %v, want ErrUnknown", err)
	}
	if _, err := SVG("index.tsv", Light); !errors.Is(err, ErrUnknown) {
		t.Errorf("the index as an icon: %v, want ErrUnknown", err)
	}
	for _, size := range []int{0, -1, MaxSize + 1} {
		if _, err := Render("github", size, Light); err == nil {
			t.Errorf("size %d: no error", size)
		}
	}
}

// TestSheet writes a contact sheet of common icons in both themes to
// $BRANDS_SHEET, for looking at; it is skipped otherwise.
func TestSheet(t *testing.T) {
	out := os.Getenv("BRANDS_SHEET")
	if out == "" {
		t.Skip("set BRANDS_SHEET=file.png to write a contact sheet")
	}
	names := []string{"playstation2", "playstationportable", "google", "github", "x", "apple", "steam", "snapchat", "sony", "robinhood", "proton", "discord", "paypal", "epicgames", "notion", "uber", "mailchimp", "wise"}
	const size, pad = 48, 8
	sheet := image.NewRGBA(image.Rect(0, 0, len(names)*(size+pad)+pad, 2*(size+2*pad)))
	for row, theme := range []Theme{Light, Dark} {
		bg := backgrounds[theme]
		for y := row * (size + 2*pad); y < (row+1)*(size+2*pad); y++ {
			for x := 0; x < sheet.Bounds().Dx(); x++ {
				sheet.SetRGBA(x, y, bg)
			}
		}
		for i, n := range names {
			img, err := Render(n, size, theme)
			if err != nil {
				t.Fatal(err)
			}
			at := image.Pt(pad+i*(size+pad), row*(size+2*pad)+pad)
			drawOver(sheet, img, at)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, sheet); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Clean(out), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func drawOver(dst, src *image.RGBA, at image.Point) {
	for y := 0; y < src.Bounds().Dy(); y++ {
		for x := 0; x < src.Bounds().Dx(); x++ {
			s, d := src.RGBAAt(x, y), dst.RGBAAt(at.X+x, at.Y+y)
			a := int(s.A)
			mix := func(s, d uint8) uint8 { return uint8((int(s)*255 + int(d)*(255-a)) / 255) }
			dst.SetRGBA(at.X+x, at.Y+y, color.RGBA{mix(s.R, d.R), mix(s.G, d.G), mix(s.B, d.B), 0xff})
		}
	}
}
