package scan

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"authdeck/scan/internal/corpus"
)

// pngFiles returns a PNG of every bit depth and colour type, with the short
// code in it: Go's encoder writes the common ones, and testdata/png holds
// those it does not write (grey of 1, 2 and 4 bits, grey with alpha,
// transparent colours, interlaced), made with ImageMagick.
func pngFiles(t testing.TB) map[string][]byte {
	files := map[string][]byte{}
	src := corpus.Plain(200, 160, color.Gray{255})
	corpus.Place(src, corpus.Short, 100, 88, 2, 0, color.Gray{0}, color.Gray{255})
	for x := range 200 { // some colour, to tell the weights apart
		for y := range 12 {
			src.Set(x, y, color.RGBA{uint8(x), uint8(255 - x), uint8(20 * y), 255})
		}
	}
	gray, gray16 := image.NewGray(src.Bounds()), image.NewGray16(src.Bounds())
	rgba64, nrgba := image.NewRGBA64(src.Bounds()), image.NewNRGBA(src.Bounds())
	nrgba64 := image.NewNRGBA64(src.Bounds())
	for y := range 160 {
		for x := range 200 {
			c := src.RGBAAt(x, y)
			gray.Set(x, y, c)
			gray16.Set(x, y, c)
			rgba64.Set(x, y, c)
			a := uint8(255)
			if x > 190 {
				a = 100 // a translucent edge
			}
			nrgba.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, a})
			nrgba64.SetNRGBA64(x, y, color.NRGBA64{uint16(c.R) * 257, uint16(c.G) * 257, uint16(c.B) * 257, uint16(a) * 257})
		}
	}
	for name, img := range map[string]image.Image{
		"grey8-go": gray, "grey16-go": gray16, "rgb8-go": src, "rgb16-go": rgba64, "rgba8-go": nrgba, "rgba16-go": nrgba64,
	} {
		files[name] = encodePNG(t, img)
	}
	// Palettes of 2, 4, 16 and 256 entries: 1, 2, 4 and 8 bits per pixel.
	for _, n := range []int{2, 4, 16, 256} {
		pal := color.Palette{color.White, color.Black}
		for i := 2; i < n; i++ {
			pal = append(pal, color.RGBA{uint8(i * 37), uint8(255 - i), uint8(i * 11), 255})
		}
		if n == 256 {
			pal[255] = color.NRGBA{0, 0, 0, 0} // transparent: a tRNS chunk
		}
		img := image.NewPaletted(src.Bounds(), pal)
		for y := range 160 {
			for x := range 200 {
				i := pal.Index(src.At(x, y))
				if n == 256 && y > 150 {
					i = 255
				}
				img.SetColorIndex(x, y, uint8(i))
			}
		}
		files["palette"+[]string{2: "1", 4: "2", 16: "4", 256: "8"}[n]+"-go"] = encodePNG(t, img)
	}
	paths, err := filepath.Glob("testdata/png/*.png")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test PNGs: %v", err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = data
	}
	return files
}

// TestDecodePNG reads PNGs of every bit depth and colour type straight to
// grey, and checks the grey against image/png's decoding, and that the code
// in each is read.
func TestDecodePNG(t *testing.T) {
	for name, data := range pngFiles(t) {
		t.Run(name, func(t *testing.T) {
			got, err := readLuma(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("readLuma: %v", err)
			}
			std, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			want := toLuma(std)
			if got.w != want.w || got.h != want.h {
				t.Fatalf("size %dx%d, want %dx%d", got.w, got.h, want.w, want.h)
			}
			for i, g := range got.pix {
				if w := want.pix[i]; int(g) < int(w)-2 || int(g) > int(w)+2 {
					t.Fatalf("pixel (%d,%d) = %d, want %d (%T)", i%got.w, i/got.w, g, w, std)
				}
			}
			texts, err := decodeGrey(got)
			if err != nil || !slices.Equal(texts, []string{corpus.Short}) {
				t.Errorf("decode = %q, %v", texts, err)
			}
		})
	}
}

// TestDecodePNGDamaged cuts and corrupts a PNG at every kind of place up to
// the end of its image data: each is refused as damaged, never read as
// whole.
func TestDecodePNGDamaged(t *testing.T) {
	good := pngFiles(t)["rgba16-interlaced.png"]
	end := 8 // the end of the last IDAT chunk
	for i := 8; i+8 <= len(good); {
		n := int(binary.BigEndian.Uint32(good[i:]))
		typ := string(good[i+4 : i+8])
		i += 12 + n
		if typ == "IDAT" {
			end = i
		}
	}
	for n := 8; n < end; n += 7 {
		if _, err := readLuma(bytes.NewReader(good[:n])); err == nil {
			t.Errorf("cut at %d: no error", n)
		}
		bad := slices.Clone(good)
		bad[n] ^= 0x40
		if _, err := readLuma(bytes.NewReader(bad)); err == nil {
			t.Errorf("byte %d changed: no error", n)
		}
	}
}
