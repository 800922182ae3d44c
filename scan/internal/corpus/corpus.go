// Package corpus makes the hard QR images that Authdeck's scanner must read:
// small codes in large screenshots, rotated, inverted, low-contrast, blurred,
// JPEG-damaged and noisy codes, and several codes in one image. The scan tests
// decode every case, and bench/scan.sh writes them out to compare decoders.
package corpus

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
)

// Case is one test image and the texts of the codes in it.
type Case struct {
	Name     string // unique, usable as a file name
	Category string // what makes it hard: "screen", "rotated", "inverted"...
	Image    image.Image
	Want     []string // sorted
	// Beyond marks a case known to be beyond the decoder (and zbarimg):
	// kept to show where the limit is.
	Beyond bool
	jpeg   []byte // the file, for cases made by JPEG compression
}

// File returns the case as an image file and its extension: the JPEG bytes
// for JPEG-damaged cases, a PNG otherwise.
func (c *Case) File() ([]byte, string) {
	if c.jpeg != nil {
		return c.jpeg, "jpg"
	}
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, c.Image); err != nil {
		panic(err) // encoding to memory does not fail
	}
	return b.Bytes(), "png"
}

// Texts that look like what people scan. The long one is a typical
// provider URI; Migration holds Google Authenticator transfers.
const (
	Short = "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"
	Long  = "otpauth://totp/Big%20Provider%20Inc.:alice.longname%40example-company.com?secret=" +
		"KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ2GK43UKRSXG5CT&issuer=Big%20Provider%20Inc.&algorithm=SHA256&digits=8&period=30"
	HOTP = "otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=42&issuer=Bank"
)

// Migration is a Google Authenticator transfer of two accounts in one code,
// as scan.EncodeMigration writes it: GitHub alice (TOTP, SHA1, 6 digits,
// secret JBSWY3DPEHPK3PXP) and Bank bob (HOTP, SHA256, 8 digits, counter 7,
// secret GEZDGNBVGY3TQOJQ).
const Migration = "otpauth-migration://offline?data=CiEKCkhlbGxvId6tvu8SBWFsaWNlGgZHaXRIdWIgASgBMAIKHwoKMTIzNDU2Nzg5MBIDYm9iGgRCYW5rIAIoAjABOAcQARgBIAAo6f7ZvAI%3D"

// Cases makes every case. It takes a few seconds of CPU: call it once.
func Cases() []Case {
	r := rand.New(rand.NewPCG(1, 2))
	var cs []Case
	add := func(name, cat string, img image.Image, want ...string) {
		slices.Sort(want)
		cs = append(cs, Case{Name: name, Category: cat, Image: img, Want: want})
	}
	black, white := color.Gray{0}, color.Gray{255}

	// Plain codes on white, the easy baseline.
	add("plain-short", "plain", onWhite(Short, 6, 0, black, white), Short)
	add("plain-long", "plain", onWhite(Long, 4, 0, black, white), Long)
	add("plain-hotp", "plain", onWhite(HOTP, 5, 0, black, white), HOTP)

	// A small code in a busy screenshot: the browser shows it with 3 to 4
	// pixels per module.
	for _, s := range []struct {
		name   string
		w, h   int
		text   string
		module float64
	}{
		{"screen-1080p", 1920, 1080, Short, 4},
		{"screen-1080p-long", 1920, 1080, Long, 3},
		{"screen-4k", 3840, 2160, Short, 4},
		{"screen-4k-long", 3840, 2160, Long, 3},
		{"screen-4k-hidpi", 3840, 2160, Long, 8},
	} {
		img := Screenshot(r, s.w, s.h, false)
		Place(img, s.text, float64(s.w)*0.62, float64(s.h)*0.45, s.module, 0, black, white)
		add(s.name, "screen", img, s.text)
	}

	// Rotated: a photo of a phone, a scan held crooked.
	for _, deg := range []float64{15, 30, 45, 90, 137, 180, 252, 333} {
		img := Screenshot(r, 1280, 800, false)
		Place(img, Short, 640, 400, 5, deg, black, white)
		add("rotated-"+strconv.Itoa(int(deg)), "rotated", img, Short)
	}
	{
		img := Screenshot(r, 1920, 1080, false)
		Place(img, Long, 800, 500, 4, 22, black, white)
		add("rotated-22-long", "rotated", img, Long)
	}

	// Light on dark: a dark theme, a code drawn inverted.
	{
		add("inverted-plain", "inverted", onWhite(Short, 6, 0, white, black), Short)
		img := Screenshot(r, 1920, 1080, true)
		Place(img, Long, 1100, 500, 4, 0, color.Gray{235}, color.Gray{30})
		add("inverted-dark-screen", "inverted", img, Long)
		img = Screenshot(r, 1280, 800, true)
		Place(img, Short, 600, 400, 5, 30, white, color.Gray{20})
		add("inverted-rotated", "inverted", img, Short)
	}

	// Low contrast: grey on grey, a faded print, a code drawn in a theme's
	// greys on a busy screen.
	for _, c := range []struct {
		name   string
		fg, bg uint8
		module float64
		text   string
		screen int // the height of the screenshot around it, 0 for a plain page
	}{
		{"lowcontrast-40", 110, 150, 5, Short, 0},
		{"lowcontrast-30", 150, 180, 5, Short, 0},
		{"lowcontrast-screen", 120, 165, 4, Long, 1080},
		{"lowcontrast-screen-50", 100, 150, 5, Short, 1080},
		{"lowcontrast-4k", 100, 150, 4, Long, 2160},
	} {
		var img draw.Image = Plain(800, 600, color.Gray{c.bg})
		if c.screen > 0 {
			img = Screenshot(r, c.screen*16/9, c.screen, false)
		}
		Place(img, c.text, 500, 300, c.module, 0, color.Gray{c.fg}, color.Gray{c.bg})
		add(c.name, "lowcontrast", img, c.text)
	}

	// Blurred: out of focus, a scaled-down screenshot.
	for _, c := range []struct {
		name   string
		module float64
		radius int
		text   string
	}{
		{"blur-r1-m3", 3, 1, Long},
		{"blur-r2-m4", 4, 2, Short},
		{"blur-r2-m5", 5, 2, Short},
		{"blur-r3-m6", 6, 3, Short},
		{"blur-r2-m6-long", 6, 2, Long},
		{"blur-r3-m8-long", 8, 3, Long},
	} {
		img := Screenshot(r, 1280, 800, false)
		Place(img, c.text, 640, 400, c.module, 0, black, white)
		add(c.name, "blur", BoxBlur(img, c.radius), c.text)
		// Two passes of a 5-pixel box over 4-pixel modules leave nothing
		// sharp enough to find.
		cs[len(cs)-1].Beyond = c.name == "blur-r2-m4"
	}

	// Tiny modules: 1.5 and 2 pixels per module after a resize.
	{
		img := Plain(600, 400, white)
		Place(img, Short, 300, 200, 1.5, 0, black, white)
		add("tiny-1.5px", "tiny", img, Short)
		img = Plain(600, 400, white)
		Place(img, Long, 300, 200, 2, 0, black, white)
		add("tiny-2px-long", "tiny", img, Long)
		img = Screenshot(r, 1920, 1080, false)
		Place(img, Short, 900, 600, 2, 0, black, white)
		add("tiny-2px-screen", "tiny", img, Short)
	}

	// JPEG artefacts: a photo, a screenshot saved as a low-quality JPEG.
	for _, c := range []struct {
		name    string
		quality int
		module  float64
		text    string
	}{
		{"jpeg-q10", 10, 4, Short},
		{"jpeg-q20-long", 20, 3, Long},
		{"jpeg-q40", 40, 3, Long},
	} {
		img := Screenshot(r, 1920, 1080, false)
		Place(img, c.text, 1000, 500, c.module, 0, black, white)
		cs = append(cs, jpegCase(c.name, "jpeg", img, c.quality, c.text))
	}

	// Noise: a dim webcam frame.
	{
		img := Plain(800, 600, color.Gray{200})
		Place(img, Short, 400, 300, 5, 8, color.Gray{40}, color.Gray{200})
		add("noise-60", "noise", Noise(r, img, 60), Short)
		img = Plain(800, 600, color.Gray{200})
		Place(img, Long, 400, 300, 5, 0, color.Gray{40}, color.Gray{200})
		add("noise-90-long", "noise", Noise(r, img, 90), Long)
	}

	// Several codes in one image: all must be found.
	{
		img := Screenshot(r, 1920, 1080, false)
		Place(img, Short, 500, 500, 5, 0, black, white)
		Place(img, HOTP, 1400, 500, 5, 0, black, white)
		add("multi-2", "multi", img, Short, HOTP)
		img = Screenshot(r, 1920, 1080, false)
		Place(img, Short, 350, 450, 4, 0, black, white)
		Place(img, HOTP, 950, 450, 4, 10, black, white)
		Place(img, Long, 1550, 500, 4, 0, black, white)
		add("multi-3", "multi", img, Short, HOTP, Long)
	}

	// Google Authenticator transfers.
	add("migration-plain", "migration", onWhite(Migration, 4, 0, black, white), Migration)
	{
		img := Screenshot(r, 1920, 1080, false)
		Place(img, Migration, 900, 500, 3, 0, black, white)
		add("migration-screen", "migration", img, Migration)
	}
	return cs
}

// None returns images without a code: a 4K screenshot and noise.
func None() []Case {
	r := rand.New(rand.NewPCG(3, 4))
	return []Case{
		{Name: "none-4k", Category: "none", Image: Screenshot(r, 3840, 2160, false)},
		{Name: "none-noise", Category: "none", Image: Noise(r, Plain(1280, 800, color.Gray{128}), 127)},
	}
}

// Random returns n cases drawn at random, with a fixed seed, from all the
// difficulties at once: a code of 2.5 to 7 pixels per module in a 1080p
// screenshot, turned to any angle in half the cases, inverted, grey on grey,
// blurred or saved as a JPEG in a quarter each. They are not tuned to any
// decoder, so they check the named cases' results.
func Random(n int) []Case {
	r := rand.New(rand.NewPCG(99, 100))
	var cs []Case
	for i := range n {
		text := []string{Short, Long, HOTP, Migration}[r.IntN(4)]
		dark, light := color.Gray{0}, color.Gray{255}
		name := fmt.Sprintf("random-%02d", i)
		faint, inverted := r.IntN(4) == 0, r.IntN(4) == 0
		if faint {
			dark, light = color.Gray{100}, color.Gray{150}
			name += "-faint"
		}
		if inverted {
			dark, light = light, dark
			name += "-inverted"
		}
		img := Screenshot(r, 1920, 1080, inverted)
		module, deg := 2.5+r.Float64()*4.5, 0.0
		if r.IntN(2) == 0 {
			deg = math.Round(r.Float64() * 360)
			name += fmt.Sprintf("-%.0fdeg", deg)
		}
		Place(img, text, 500+r.Float64()*900, 400+r.Float64()*300, module, deg, dark, light)
		name += fmt.Sprintf("-m%.1f", module)
		if r.IntN(4) == 0 {
			img = BoxBlur(img, 1)
			name += "-blur"
		}
		if r.IntN(4) == 0 {
			cs = append(cs, jpegCase(name+"-jpeg", "random", img, 25+r.IntN(40), text))
			continue
		}
		cs = append(cs, Case{Name: name, Category: "random", Image: img, Want: []string{text}})
	}
	return cs
}

func jpegCase(name, category string, img image.Image, quality int, text string) Case {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		panic(err)
	}
	dec, err := jpeg.Decode(bytes.NewReader(b.Bytes()))
	if err != nil {
		panic(err)
	}
	return Case{Name: name, Category: category, Image: dec, Want: []string{text}, jpeg: b.Bytes()}
}

// Code returns the QR code of text, one pixel per module, with the standard
// quiet zone of four modules, dark on light.
func Code(text string, dark, light color.Color) *image.RGBA {
	hints := map[gozxing.EncodeHintType]any{
		gozxing.EncodeHintType_MARGIN:           4,
		gozxing.EncodeHintType_ERROR_CORRECTION: "M",
	}
	m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, 1, 1, hints)
	if err != nil {
		panic(err) // the texts here all fit
	}
	img := image.NewRGBA(image.Rect(0, 0, m.GetWidth(), m.GetHeight()))
	for y := 0; y < m.GetHeight(); y++ {
		for x := 0; x < m.GetWidth(); x++ {
			if m.Get(x, y) {
				img.Set(x, y, dark)
			} else {
				img.Set(x, y, light)
			}
		}
	}
	return img
}

// Place draws the code of text onto dst centred at (cx, cy), module pixels per
// module, turned deg degrees clockwise.
func Place(dst draw.Image, text string, cx, cy, module, deg float64, dark, light color.Color) {
	src := Code(text, dark, light)
	w, h := float64(src.Bounds().Dx()), float64(src.Bounds().Dy())
	sin, cos := math.Sincos(deg * math.Pi / 180)
	// dst = T(cx,cy) R S T(-w/2,-h/2) src
	a, b := module*cos, -module*sin
	d, e := module*sin, module*cos
	m := f64.Aff3{a, b, cx - a*w/2 - b*h/2, d, e, cy - d*w/2 - e*h/2}
	var z xdraw.Transformer = xdraw.BiLinear
	if deg == 0 && module == math.Trunc(module) {
		z = xdraw.NearestNeighbor
	}
	z.Transform(dst, m, src, src.Bounds(), xdraw.Over, nil)
}

// onWhite returns the code alone on a light background.
func onWhite(text string, module, deg float64, dark, light color.Color) *image.RGBA {
	n := float64(Code(text, dark, light).Bounds().Dx())
	side := int(n*module*1.5) + 20
	img := Plain(side, side, light)
	Place(img, text, float64(side)/2, float64(side)/2, module, deg, dark, light)
	return img
}

// Plain returns a w x h image of one colour.
func Plain(w, h int, c color.Color) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
	return img
}

// Screenshot returns a w x h desktop: windows with title bars and lines of
// "text", the clutter a QR finder has to see past.
func Screenshot(r *rand.Rand, w, h int, dark bool) *image.RGBA {
	bg, win, ink := color.RGBA{70, 110, 150, 255}, color.RGBA{250, 250, 250, 255}, color.RGBA{30, 30, 30, 255}
	if dark {
		bg, win, ink = color.RGBA{20, 20, 25, 255}, color.RGBA{40, 42, 48, 255}, color.RGBA{220, 220, 220, 255}
	}
	img := Plain(w, h, bg)
	fill := func(x0, y0, x1, y1 int, c color.Color) {
		draw.Draw(img, image.Rect(x0, y0, x1, y1), image.NewUniform(c), image.Point{}, draw.Src)
	}
	for range 6 {
		x0, y0 := r.IntN(w*2/3), r.IntN(h*2/3)
		x1, y1 := x0+w/4+r.IntN(w/3), y0+h/4+r.IntN(h/3)
		fill(x0, y0, x1, y1, win)
		fill(x0, y0, x1, y0+h/40, color.RGBA{uint8(r.IntN(200)), uint8(r.IntN(200)), uint8(r.IntN(200)), 255})
		// Lines of words: runs of small glyph-sized blocks.
		glyph := max(h/150, 3)
		for y := y0 + h/40 + 2*glyph; y+glyph < y1; y += 2 * glyph {
			for x := x0 + glyph; x < x1-glyph; {
				word := glyph * (2 + r.IntN(8))
				for gx := x; gx < min(x+word, x1-glyph); gx += glyph/2 + 1 {
					if r.IntN(3) > 0 {
						fill(gx, y+r.IntN(2), gx+glyph/2, y+glyph, ink)
					}
				}
				x += word + glyph
			}
		}
	}
	return img
}

// BoxBlur returns img blurred with a (2r+1)-pixel box, twice, which is close
// to a Gaussian.
func BoxBlur(img *image.RGBA, r int) *image.RGBA {
	out := img
	for range 2 {
		out = boxPass(boxPass(out, r, 4), r, out.Stride)
	}
	return out
}

// boxPass averages along one axis: step 4 is horizontal, the stride vertical.
func boxPass(src *image.RGBA, r, step int) *image.RGBA {
	dst := image.NewRGBA(src.Bounds())
	w, h := src.Bounds().Dx(), src.Bounds().Dy()
	n, lines, along := w, h, src.Stride
	if step != 4 {
		n, lines, along = h, w, 4
	}
	for line := 0; line < lines; line++ {
		base := line * along
		for c := 0; c < 3; c++ {
			sum, cnt := 0, 0
			for i := 0; i <= r && i < n; i++ {
				sum += int(src.Pix[base+i*step+c])
				cnt++
			}
			for i := 0; i < n; i++ {
				dst.Pix[base+i*step+c] = uint8(sum / cnt)
				if j := i + r + 1; j < n {
					sum += int(src.Pix[base+j*step+c])
					cnt++
				}
				if j := i - r; j >= 0 {
					sum -= int(src.Pix[base+j*step+c])
					cnt--
				}
			}
		}
		for i := 0; i < n; i++ {
			dst.Pix[base+i*step+3] = 255
		}
	}
	return dst
}

// Noise adds uniform noise of up to ±amp to every channel of img, in place.
func Noise(r *rand.Rand, img *image.RGBA, amp int) *image.RGBA {
	for i := range img.Pix {
		if i%4 == 3 {
			continue
		}
		v := int(img.Pix[i]) + r.IntN(2*amp+1) - amp
		img.Pix[i] = uint8(min(max(v, 0), 255))
	}
	return img
}
