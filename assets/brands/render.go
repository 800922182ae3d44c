package brands

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"

	"github.com/srwiley/oksvg"
	"github.com/srwiley/rasterx"
)

// ErrUnknown is the error for an icon name the bundle does not hold.
var ErrUnknown = errors.New("no such brand icon")

// Theme is the window theme an icon is drawn for.
type Theme int

// The two themes.
const (
	Light Theme = iota
	Dark
)

// Backgrounds the icons are drawn to stand out from: Fyne's default light
// and dark backgrounds.
var backgrounds = [...]color.RGBA{Light: {0xff, 0xff, 0xff, 0xff}, Dark: {0x17, 0x17, 0x18, 0xff}}

// ringBelow is the contrast between a brand's colour and the window
// background under which the disc gets a ring, so that a white disc shows on
// a light window and a black one on a dark window.
const ringBelow = 1.6

// minGlyphContrast is the contrast of a white glyph on its disc below which
// the glyph turns black: WCAG's minimum for graphics.
const minGlyphContrast = 3

// MaxSize is the largest image [Render] draws, in pixels.
const MaxSize = 1024

// SVG returns the icon with the given name as an SVG document: the brand's
// glyph in white or black, whichever reads better, on a disc of the brand's
// colour, ringed where the disc would melt into the theme's background.
func SVG(name string, theme Theme) ([]byte, error) {
	s := load()
	ic, ok := s.icons[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknown, name)
	}
	path, err := s.path(name)
	if err != nil {
		return nil, err
	}
	return svgOf(ic.Color, path, theme), nil
}

// Colors returns the colours the icon is drawn in for theme: the disc, the
// glyph, and the ring (transparent when the disc needs none).
func (ic Icon) Colors(theme Theme) (disc, glyph, ring color.RGBA) {
	disc = ic.Color
	white, black := color.RGBA{0xff, 0xff, 0xff, 0xff}, color.RGBA{0, 0, 0, 0xff}
	// White reads as the brand's own on most colours; black takes over where
	// white falls below the 3:1 that graphics need and black does better.
	glyph = white
	if c := contrast(disc, white); c < minGlyphContrast && contrast(disc, black) > c {
		glyph = black
	}
	if contrast(disc, backgrounds[theme&1]) < ringBelow {
		ring = glyph
		ring.A = 0x66
	}
	return disc, glyph, ring
}

// The geometry of an icon: Simple Icons' 24x24 glyph in the middle of a
// 40x40 box that the disc fills, so that the glyph's corners stay inside it.
const viewBox = "-8 -8 40 40"

func svgOf(c color.RGBA, path string, theme Theme) []byte {
	disc, glyph, ring := Icon{Color: c}.Colors(theme)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s" width="40" height="40">`, viewBox)
	fmt.Fprintf(&b, `<circle cx="12" cy="12" r="20" fill="%s"/>`, hexOf(disc))
	if ring.A != 0 {
		fmt.Fprintf(&b, `<circle cx="12" cy="12" r="19.25" fill="none" stroke="%s" stroke-opacity="%.2f" stroke-width="1.5"/>`,
			hexOf(ring), float64(ring.A)/255)
	}
	fmt.Fprintf(&b, `<path fill="%s" d="%s"/></svg>`, hexOf(glyph), path)
	return []byte(b.String())
}

// Render draws the icon with the given name as a size x size image for
// theme (see [SVG]); size is 1 to [MaxSize].
func Render(name string, size int, theme Theme) (*image.RGBA, error) {
	if size < 1 || size > MaxSize {
		return nil, fmt.Errorf("icon size %d is not 1 to %d pixels", size, MaxSize)
	}
	doc, err := SVG(name, theme)
	if err != nil {
		return nil, err
	}
	return rasterize(doc, size)
}

func rasterize(doc []byte, size int) (*image.RGBA, error) {
	icon, err := oksvg.ReadIconStream(strings.NewReader(string(doc)), oksvg.StrictErrorMode)
	if err != nil {
		return nil, fmt.Errorf("cannot read the icon: %w", err)
	}
	icon.SetTarget(0, 0, float64(size), float64(size))
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	scanner := rasterx.NewScannerGV(size, size, img, img.Bounds())
	icon.Draw(rasterx.NewDasher(size, size, scanner), 1)
	return img, nil
}

func hexOf(c color.RGBA) string {
	return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B)
}

// contrast is the WCAG contrast ratio of two opaque colours, 1 to 21.
func contrast(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is the WCAG relative luminance of an sRGB colour.
func luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		f := float64(v) / 255
		if f <= 0.04045 {
			return f / 12.92
		}
		return math.Pow((f+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}
