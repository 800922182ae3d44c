package scan

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"os/exec"
	"sync"
	"testing"

	"golang.org/x/image/bmp"

	"authdeck/scan/internal/corpus"
)

// screenFiles returns a 4K screenshot with a small code in every image
// format, bit depth and colour type, made once: Go's encoders make most,
// ImageMagick (if installed) grey with alpha and WebP.
var screenFiles = sync.OnceValue(func() []struct {
	name string
	data []byte
} {
	var files []struct {
		name string
		data []byte
	}
	add := func(name string, data []byte) {
		files = append(files, struct {
			name string
			data []byte
		}{name, data})
	}
	src := corpus.Screenshot(newRand(), 3840, 2160, false)
	corpus.Place(src, corpus.Short, 2400, 1000, 4, 0, color.Gray{0}, color.Gray{255})
	b := src.Bounds()
	gray, gray16 := image.NewGray(b), image.NewGray16(b)
	rgba64, nrgba, nrgba64 := image.NewRGBA64(b), image.NewNRGBA(b), image.NewNRGBA64(b)
	for y := range b.Dy() {
		for x := range b.Dx() {
			c := src.RGBAAt(x, y)
			gray.Set(x, y, c)
			gray16.Set(x, y, c)
			rgba64.Set(x, y, c)
			nrgba.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, 254}) // not opaque: written as RGBA
			nrgba64.SetNRGBA64(x, y, color.NRGBA64{uint16(c.R) << 8, uint16(c.G) << 8, uint16(c.B) << 8, 0xfffe})
		}
	}
	pal := image.NewPaletted(b, append(color.Palette{}, corpusPalette()...))
	for y := range b.Dy() {
		for x := range b.Dx() {
			pal.SetColorIndex(x, y, uint8(pal.Palette.Index(src.At(x, y))))
		}
	}
	png8 := encodePNG(nil, src)
	add("png-grey8", encodePNG(nil, gray))
	add("png-grey16", encodePNG(nil, gray16))
	add("png-rgb8", png8)
	add("png-rgb16", encodePNG(nil, rgba64))
	add("png-rgba8", encodePNG(nil, nrgba))
	add("png-rgba16", encodePNG(nil, nrgba64))
	add("png-palette8", encodePNG(nil, pal))
	var buf bytes.Buffer
	jpeg.Encode(&buf, src, &jpeg.Options{Quality: 90})
	add("jpeg", bytes.Clone(buf.Bytes()))
	buf.Reset()
	gif.Encode(&buf, pal, nil)
	add("gif", bytes.Clone(buf.Bytes()))
	buf.Reset()
	bmp.Encode(&buf, src)
	add("bmp", bytes.Clone(buf.Bytes()))
	for _, im := range []struct{ name, format string }{
		{"png-greyalpha8", "PNG:-"}, {"png-greyalpha16", "PNG:-"}, {"webp", "WEBP:-"},
	} {
		args := []string{"PNG:-"}
		switch im.name {
		case "png-greyalpha8":
			args = append(args, "-colorspace", "gray", "-alpha", "set", "-define", "png:color-type=4", "-define", "png:bit-depth=8")
		case "png-greyalpha16":
			args = append(args, "-colorspace", "gray", "-alpha", "set", "-define", "png:color-type=4", "-define", "png:bit-depth=16")
		case "webp":
			args = append(args, "-quality", "90")
		}
		cmd := exec.Command("convert", append(args, im.format)...)
		cmd.Stdin = bytes.NewReader(png8)
		if out, err := cmd.Output(); err == nil {
			add(im.name, out)
		}
	}
	return files
})

// corpusPalette returns the colours of corpus screenshots, black and white.
func corpusPalette() color.Palette {
	return color.Palette{
		color.RGBA{0, 0, 0, 255}, color.RGBA{255, 255, 255, 255}, color.RGBA{70, 110, 150, 255},
		color.RGBA{250, 250, 250, 255}, color.RGBA{30, 30, 30, 255},
	}
}

// BenchmarkReadGrey reads a 4K screenshot of each format, bit depth and
// colour type to grey, the first step of every decode.
func BenchmarkReadGrey(b *testing.B) {
	for _, f := range screenFiles() {
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(3840 * 2160)
			for b.Loop() {
				if _, err := readLuma(bytes.NewReader(f.data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadGreyStd is BenchmarkReadGrey through the standard decoders
// and the conversion of their images, for comparison.
func BenchmarkReadGreyStd(b *testing.B) {
	for _, f := range screenFiles() {
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(3840 * 2160)
			for b.Loop() {
				img, _, err := image.Decode(bytes.NewReader(f.data))
				if err != nil {
					b.Fatal(err)
				}
				toLuma(img)
			}
		})
	}
}

// BenchmarkDecodeFile decodes the code in a 4K screenshot of each format,
// bit depth and colour type, from the file's bytes.
func BenchmarkDecodeFile(b *testing.B) {
	for _, f := range screenFiles() {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				if texts, err := DecodeReader(bytes.NewReader(f.data)); err != nil || len(texts) != 1 {
					b.Fatal(texts, err)
				}
			}
		})
	}
}
