package scan

import (
	"errors"
	"image"
	"image/color"
	"math"

	"github.com/makiuchi-d/gozxing"
)

// luma is a grey image, one byte per pixel, row after row: what the QR
// reader works on.
type luma struct {
	pix  []byte
	w, h int
}

// toLuma converts img to grey. It switches on the concrete image type, so
// the common cases (JPEG and webcam frames, PNG, screenshots) run as tight
// loops instead of one interface call per pixel, which costs ten times more
// on a 4K image.
func toLuma(img image.Image) *luma {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	l := &luma{pix: make([]byte, w*h), w: w, h: h}
	switch m := img.(type) {
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			i := m.YOffset(b.Min.X, b.Min.Y+y)
			copy(l.pix[y*w:(y+1)*w], m.Y[i:i+w])
		}
	case *image.Gray:
		for y := 0; y < h; y++ {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			copy(l.pix[y*w:(y+1)*w], m.Pix[i:i+w])
		}
	case *image.RGBA:
		rgbaLuma(l, m.Pix, m.Stride, m.PixOffset(b.Min.X, b.Min.Y))
		if !m.Opaque() {
			// Premultiplied: add the white that shows through.
			for y := 0; y < h; y++ {
				row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
				for x := 0; x < w; x++ {
					l.pix[y*w+x] += 255 - row[4*x+3]
				}
			}
		}
	case *image.Paletted:
		// GIFs and small PNGs: the grey of each palette entry, once.
		var grey [256]byte
		for i, c := range m.Palette {
			grey[i] = colorLuma(c)
		}
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:w]
			dst := l.pix[y*w : (y+1)*w]
			for x, i := range row {
				dst[x] = grey[i]
			}
		}
	case *image.NRGBA:
		// Screenshots and most PNGs are opaque, where NRGBA and RGBA agree.
		// A translucent pixel is taken as if drawn on white, like a viewer shows it.
		rgbaLuma(l, m.Pix, m.Stride, m.PixOffset(b.Min.X, b.Min.Y))
		if !m.Opaque() {
			for y := 0; y < h; y++ {
				row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
				for x := 0; x < w; x++ {
					a := uint32(row[4*x+3])
					if a != 255 {
						v := uint32(l.pix[y*w+x])
						l.pix[y*w+x] = byte((v*a + 255*(255-a)) / 255)
					}
				}
			}
		}
	case *image.NYCbCrA:
		// WebP with alpha: the luma on white.
		for y := 0; y < h; y++ {
			i, a := m.YOffset(b.Min.X, b.Min.Y+y), m.AOffset(b.Min.X, b.Min.Y+y)
			dst := l.pix[y*w : (y+1)*w]
			for x := range dst {
				dst[x] = onWhite(m.Y[i+x], int(m.A[a+x]))
			}
		}
	case *image.Gray16:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:2*w]
			dst := l.pix[y*w : (y+1)*w]
			for x := range dst {
				dst[x] = row[2*x] // the high byte
			}
		}
	case *image.RGBA64, *image.NRGBA64:
		// 16-bit PNGs as image/png decodes them: the high bytes.
		pix, stride, premultiplied := rgba64Pix(m)
		off := (b.Min.Y-m.Bounds().Min.Y)*stride + (b.Min.X-m.Bounds().Min.X)*8
		for y := 0; y < h; y++ {
			row := pix[off+y*stride:][:8*w]
			dst := l.pix[y*w : (y+1)*w]
			for x := range dst {
				p := row[8*x : 8*x+8 : 8*x+8]
				v, a := rgbGrey(p[0], p[2], p[4]), p[6]
				if premultiplied {
					dst[x] = byte(min(int(v)+255-int(a), 255))
				} else {
					dst[x] = onWhite(v, int(a))
				}
			}
		}
	case *image.CMYK:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:4*w]
			dst := l.pix[y*w : (y+1)*w]
			for x := range dst {
				p := row[4*x : 4*x+4 : 4*x+4]
				k := 255 - uint32(p[3])
				dst[x] = rgbGrey(byte((255-uint32(p[0]))*k/255), byte((255-uint32(p[1]))*k/255), byte((255-uint32(p[2]))*k/255))
			}
		}
	default:
		i := 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				l.pix[i] = colorLuma(img.At(x, y))
				i++
			}
		}
	}
	return l
}

// rgba64Pix returns the pixels of a 16-bit RGBA image, its stride, and
// whether its colours are premultiplied by alpha.
func rgba64Pix(img image.Image) ([]byte, int, bool) {
	if m, ok := img.(*image.RGBA64); ok {
		return m.Pix, m.Stride, true
	}
	m := img.(*image.NRGBA64)
	return m.Pix, m.Stride, false
}

// colorLuma returns the grey of c as seen on white.
func colorLuma(c color.Color) byte {
	r, g, b, a := c.RGBA()
	// Premultiplied: add the white that shows through.
	v := (299*r + 587*g + 114*b + 1000*(0xffff-a)) / 1000
	return byte(v >> 8)
}

// rgbaLuma fills l from 4-byte RGBA pixels with the Rec. 601 weights.
func rgbaLuma(l *luma, pix []byte, stride, off int) {
	for y := 0; y < l.h; y++ {
		row := pix[off+y*stride : off+y*stride+4*l.w]
		dst := l.pix[y*l.w : (y+1)*l.w]
		for x := range dst {
			p := row[4*x : 4*x+3 : 4*x+3]
			dst[x] = byte((19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16)
		}
	}
}

// inverted returns l with black and white swapped, for light-on-dark codes.
func (l *luma) inverted() *luma {
	out := &luma{pix: make([]byte, len(l.pix)), w: l.w, h: l.h}
	for i, v := range l.pix {
		out.pix[i] = 255 - v
	}
	return out
}

// scaled returns l resized by factor f with bilinear interpolation.
func (l *luma) scaled(f float64) *luma {
	w, h := int(float64(l.w)*f), int(float64(l.h)*f)
	out := &luma{pix: make([]byte, w*h), w: w, h: h}
	// Fixed point, 8 fractional bits.
	step := int(256 / f)
	for y := 0; y < h; y++ {
		sy := y * step
		y0, fy := sy>>8, sy&255
		y1 := min(y0+1, l.h-1)
		r0, r1 := l.pix[y0*l.w:(y0+1)*l.w], l.pix[y1*l.w:(y1+1)*l.w]
		dst := out.pix[y*w : (y+1)*w]
		for x := range dst {
			sx := x * step
			x0, fx := sx>>8, sx&255
			x1 := min(x0+1, l.w-1)
			top := int(r0[x0])*(256-fx) + int(r0[x1])*fx
			bot := int(r1[x0])*(256-fx) + int(r1[x1])*fx
			dst[x] = byte((top*(256-fy) + bot*fy) >> 16)
		}
	}
	return out
}

// source makes l a gozxing luminance source.
func (l *luma) source() gozxing.LuminanceSource {
	return &lumaSource{LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: l.w, Height: l.h}, l: l}
}

// lumaSource is the gozxing view of a luma image.
type lumaSource struct {
	gozxing.LuminanceSourceBase
	l *luma
}

func (s *lumaSource) GetRow(y int, row []byte) ([]byte, error) {
	if y < 0 || y >= s.l.h {
		return row, errors.New("row outside the image")
	}
	if len(row) < s.l.w {
		row = make([]byte, s.l.w)
	}
	copy(row, s.l.pix[y*s.l.w:(y+1)*s.l.w])
	return row, nil
}

func (s *lumaSource) GetMatrix() []byte { return s.l.pix }

func (s *lumaSource) Invert() gozxing.LuminanceSource { return s.l.inverted().source() }

func (s *lumaSource) String() string { return gozxing.LuminanceSourceString(s) }

// turned returns l turned by deg degrees, with bilinear interpolation, on a
// canvas big enough to hold all of it, with the corners filled with white.
// If that canvas would have more than maxPixels pixels, the image is shrunk
// to fit in the same pass.
func (l *luma) turned(deg float64, maxPixels int) *luma {
	sin, cos := math.Sincos(deg * math.Pi / 180)
	fw := math.Abs(float64(l.w)*cos) + math.Abs(float64(l.h)*sin)
	fh := math.Abs(float64(l.w)*sin) + math.Abs(float64(l.h)*cos)
	scale := min(1, math.Sqrt(float64(maxPixels)/(fw*fh)))
	w, h := int(fw*scale), int(fh*scale)
	out := &luma{pix: make([]byte, w*h), w: w, h: h}
	// Walk the output and sample the source at (sx, sy) = R(-deg) (x - w/2,
	// y - h/2) / scale + (l.w/2, l.h/2), in fixed point with 16 fractional bits.
	const one = 1 << 16
	c, s := int(cos/scale*one), int(sin/scale*one)
	cx, cy := l.w*one/2, l.h*one/2
	for y := 0; y < h; y++ {
		dy := y - h/2
		sx := cx - (w/2)*c + dy*s
		sy := cy + (w/2)*s + dy*c
		dst := out.pix[y*w : (y+1)*w]
		for x := range dst {
			ix, iy := sx>>16, sy>>16
			if ix < 0 || iy < 0 || ix >= l.w-1 || iy >= l.h-1 {
				dst[x] = 255
			} else {
				fx, fy := (sx>>8)&255, (sy>>8)&255
				i := iy*l.w + ix
				top := int(l.pix[i])*(256-fx) + int(l.pix[i+1])*fx
				bot := int(l.pix[i+l.w])*(256-fx) + int(l.pix[i+l.w+1])*fx
				dst[x] = byte((top*(256-fy) + bot*fy) >> 16)
			}
			sx += c
			sy -= s
		}
	}
	return out
}

// smoothed returns l averaged over 3 x 3 pixels, which takes the edge off
// noise.
func (l *luma) smoothed() *luma {
	out := &luma{pix: make([]byte, len(l.pix)), w: l.w, h: l.h}
	copy(out.pix, l.pix)
	for y := 1; y < l.h-1; y++ {
		a, b, c := l.pix[(y-1)*l.w:y*l.w], l.pix[y*l.w:(y+1)*l.w], l.pix[(y+1)*l.w:(y+2)*l.w]
		dst := out.pix[y*l.w : (y+1)*l.w]
		for x := 1; x < l.w-1; x++ {
			s := int(a[x-1]) + int(a[x]) + int(a[x+1]) + int(b[x-1]) + int(b[x]) + int(b[x+1]) + int(c[x-1]) + int(c[x]) + int(c[x+1])
			dst[x] = byte(s / 9)
		}
	}
	return out
}
