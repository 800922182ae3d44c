package scan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"golang.org/x/image/bmp"

	"authdeck/scan/internal/corpus"
)

// shortCode returns a small image of the corpus's short code.
func shortCode() *image.RGBA {
	img := corpus.Plain(200, 200, color.Gray{255})
	corpus.Place(img, corpus.Short, 100, 100, 3, 0, color.Gray{0}, color.Gray{255})
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDecodeFileFormats(t *testing.T) {
	img := shortCode()
	files := map[string][]byte{"short.png": encodePNG(t, img)}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 75}); err != nil {
		t.Fatal(err)
	}
	files["short.jpg"] = slices.Clone(b.Bytes())
	b.Reset()
	if err := gif.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	files["short.gif"] = slices.Clone(b.Bytes())
	b.Reset()
	if err := bmp.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	files["short.bmp"] = slices.Clone(b.Bytes())

	// Black modules on a transparent background, as QR generators export them.
	clear := image.NewNRGBA(img.Bounds())
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i] < 128 {
			clear.Pix[i+3] = 255
		}
	}
	files["transparent.png"] = encodePNG(t, clear)

	dir := t.TempDir()
	paths := []string{"testdata/short.webp"} // made with ImageMagick: Go has no WebP encoder
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	for _, p := range paths {
		got, err := DecodeFile(p)
		if err != nil || len(got) != 1 || got[0] != corpus.Short {
			t.Errorf("DecodeFile(%s) = %q, %v", filepath.Base(p), got, err)
		}
	}
}

// pngHeader returns the start of a PNG file of w x h pixels: the signature
// and the IHDR chunk, enough for image.DecodeConfig.
func pngHeader(w, h uint32) []byte {
	ihdr := []byte("IHDR")
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB, no interlace
	b := []byte("\x89PNG\r\n\x1a\n")
	b = binary.BigEndian.AppendUint32(b, 13)
	b = append(b, ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

func TestDecodeReaderBadInput(t *testing.T) {
	good := encodePNG(t, shortCode())
	blank := encodePNG(t, corpus.Plain(300, 200, color.Gray{255}))
	huge := append(pngHeader(20_000, 20_000), "\x00\x00\x00\x00IDAT\x00\x00\x00\x00"...)
	for _, tt := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"text", []byte("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"), ErrNotImage},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), ErrNotImage},
		{"truncated png", good[:len(good)/2], ErrDamaged},
		{"truncated header", good[:20], ErrDamaged},
		{"corrupt png", append(slices.Clone(good[:60]), bytes.Repeat([]byte{0xA5}, 200)...), ErrDamaged},
		{"20000x20000 png", huge, ErrTooLarge},
		{"no QR", blank, ErrNoQR},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			got, err := DecodeReader(bytes.NewReader(tt.data))
			runtime.ReadMemStats(&after)
			if !errors.Is(err, tt.want) {
				t.Errorf("DecodeReader = %q, %v, want %v", got, err, tt.want)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
				t.Errorf("DecodeReader allocated %d MB", n>>20)
			}
		})
	}
}

// endless gives bytes forever: what a file such as /dev/zero gives.
type endless struct {
	head []byte
	fill byte
	read int64
}

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.head)
	e.head = e.head[n:]
	for i := n; i < len(p); i++ {
		p[i] = e.fill
	}
	e.read += int64(len(p))
	return len(p), nil
}

// TestDecodeReaderBounds checks that reading stops early on endless input
// and that headers claiming huge images are refused before decoding, in
// every format.
func TestDecodeReaderBounds(t *testing.T) {
	progressive := []byte{0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
		0xff, 0xc2, 0, 11, 8, 0x1b, 0x58, 0x1b, 0x58, 1, 1, 0x11, 0} // 7000 x 7000 grey, progressive
	for _, tt := range []struct {
		name    string
		r       *endless
		want    error
		maxRead int64
	}{
		{"zeros", &endless{}, ErrNotImage, 1 << 20},
		{"PNG header, then zeros", &endless{head: pngHeader(1000, 1000)}, ErrDamaged, 1 << 20},
		{"PNG of 20000x20000", &endless{head: pngHeader(20_000, 20_000)}, ErrTooLarge, 1 << 20},
		{"progressive JPEG of 7000x7000", &endless{head: progressive}, ErrTooLarge, 1 << 20},
		{"GIF of 65535x65535", &endless{head: []byte("GIF89a\xff\xff\xff\xff\x00\x00\x00")}, ErrTooLarge, 1 << 20},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := DecodeReader(tt.r)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, tt.want) {
				t.Errorf("DecodeReader = %v, want %v", err, tt.want)
			}
			if tt.r.read > tt.maxRead {
				t.Errorf("read %d bytes", tt.r.read)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
				t.Errorf("allocated %d MB", n>>20)
			}
		})
	}
	// A PNG with a 2 GB text chunk: reading stops at the limit.
	r := &endless{head: append(pngHeader(100, 100), "\x7f\xff\xff\xfftEXt"...)}
	if _, err := DecodeReader(r); !errors.Is(err, ErrTooLarge) {
		t.Errorf("2 GB chunk: %v, want ErrTooLarge", err)
	}
	if r.read > maxFileSize+1<<20 {
		t.Errorf("2 GB chunk: read %d MB", r.read>>20)
	}
}

func TestDecodeFileErrors(t *testing.T) {
	if _, err := DecodeFile(filepath.Join(t.TempDir(), "missing.png")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("DecodeFile(missing) = %v, want fs.ErrNotExist", err)
	}
	_, err := DecodeReader(bytes.NewReader(pngHeader(20_000, 20_000)))
	if want := "the image is too large: 20000 x 20000 pixels, at most 50 megapixels"; err == nil || err.Error() != want {
		t.Errorf("DecodeReader(20000x20000) = %v, want %q", err, want)
	}
}

func TestToLuma(t *testing.T) {
	src := corpus.Noise(newRand(), corpus.Plain(64, 48, color.Gray{128}), 127)
	want := toLuma(struct{ image.Image }{src}) // the generic path
	ycc := image.NewYCbCr(src.Bounds(), image.YCbCrSubsampleRatio420)
	gray := image.NewGray(src.Bounds())
	nrgba := image.NewNRGBA(src.Bounds())
	for y := range 48 {
		for x := range 64 {
			c := src.RGBAAt(x, y)
			g := color.GrayModel.Convert(c).(color.Gray)
			gray.SetGray(x, y, g)
			ycc.Y[ycc.YOffset(x, y)] = g.Y
			nrgba.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, 255})
		}
	}
	pal := image.NewPaletted(src.Bounds(), nil)
	for i := range 256 {
		pal.Palette = append(pal.Palette, color.Gray{uint8(i)})
	}
	for y := range 48 {
		for x := range 64 {
			pal.SetColorIndex(x, y, gray.GrayAt(x, y).Y)
		}
	}
	for _, img := range []image.Image{src, ycc, gray, nrgba, pal, src.SubImage(image.Rect(3, 5, 40, 30))} {
		got := toLuma(img)
		b := img.Bounds()
		if got.w != b.Dx() || got.h != b.Dy() {
			t.Fatalf("%T: size %dx%d, want %v", img, got.w, got.h, b.Size())
		}
		for y := range got.h {
			for x := range got.w {
				g, w := int(got.pix[y*got.w+x]), int(want.pix[(y+b.Min.Y)*want.w+x+b.Min.X])
				if g < w-1 || g > w+1 {
					t.Fatalf("%T: pixel (%d,%d) = %d, want %d", img, x, y, g, w)
				}
			}
		}
	}
	// A transparent pixel shows the white behind it.
	for _, img := range []image.Image{
		image.NewNRGBA(image.Rect(0, 0, 1, 1)),
		image.NewRGBA(image.Rect(0, 0, 1, 1)),
		image.NewPaletted(image.Rect(0, 0, 1, 1), color.Palette{color.Transparent}),
		image.NewRGBA64(image.Rect(0, 0, 1, 1)),
	} {
		if v := toLuma(img).pix[0]; v != 255 {
			t.Errorf("%T: transparent pixel = %d, want 255", img, v)
		}
	}
}

func FuzzDecodeReader(f *testing.F) {
	img := corpus.Plain(40, 40, color.Gray{255})
	corpus.Place(img, "otpauth://totp/a?secret=JBSWY3DP", 20, 20, 1, 0, color.Gray{0}, color.Gray{255})
	f.Add(encodePNG(f, img))
	var b bytes.Buffer
	gif.Encode(&b, img, nil)
	f.Add(slices.Clone(b.Bytes()))
	b.Reset()
	bmp.Encode(&b, img)
	f.Add(slices.Clone(b.Bytes()))
	b.Reset()
	jpeg.Encode(&b, img, nil)
	f.Add(slices.Clone(b.Bytes()))
	webp, err := os.ReadFile("testdata/short.webp")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(webp)
	f.Add(pngHeader(20_000, 20_000))
	pngs, _ := filepath.Glob("testdata/png/*.png")
	for _, p := range pngs {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	// Keep each image small, so the fuzzer tries many.
	maxPixels = 256 * 256
	f.Cleanup(func() { maxPixels = MaxPixels })
	f.Fuzz(func(t *testing.T, data []byte) {
		texts, err := DecodeReader(bytes.NewReader(data))
		switch {
		case err == nil:
			if len(texts) == 0 {
				t.Fatal("no texts and no error")
			}
		case errors.Is(err, ErrEmpty), errors.Is(err, ErrNotImage), errors.Is(err, ErrDamaged),
			errors.Is(err, ErrTooLarge), errors.Is(err, ErrNoQR):
		default:
			t.Fatalf("unexpected error %v", err)
		}
	})
}
