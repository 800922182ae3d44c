package vault

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

func pngOf(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegOf(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.Gray{200})
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngHeader is a PNG signature and IHDR chunk claiming w x h pixels, with no
// image data: what a hostile file that lies about its size starts with.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestCheckIconImage(t *testing.T) {
	big := pngOf(t, 256, 256) // noisy enough to be large
	for len(big) <= MaxIconImageBytes {
		big = append(big, big...)
	}
	tests := []struct {
		name string
		data []byte
		ok   bool
		want string
	}{
		{"png 64x64", pngOf(t, 64, 64), true, ""},
		{"png 256x256", pngOf(t, 256, 128), true, ""},
		{"jpeg 32x32", jpegOf(t, 32, 32), true, ""},
		{"empty", nil, false, "empty"},
		{"too many bytes", big, false, "KiB"},
		{"png too wide", pngOf(t, 257, 10), false, "257x10"},
		{"header claiming 100000x100000", pngHeader(100000, 100000), false, "100000x100000"},
		{"header without data", pngHeader(16, 16), false, ""},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), false, "not a PNG or JPEG"},
		{"svg", []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), false, "not a PNG or JPEG"},
		{"cut short", pngOf(t, 64, 64)[:60], false, ""},
	}
	for _, tt := range tests {
		err := CheckIconImage(tt.data)
		if tt.ok {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, ErrIconImage) {
			t.Errorf("%s: %v, want ErrIconImage", tt.name, err)
		} else if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %q does not say %q", tt.name, err, tt.want)
		}
	}
}

func TestValidateIcon(t *testing.T) {
	base := Account{Issuer: "GitHub", Name: "me", Secret: []byte("12345678901234567890")}
	base.Normalize()
	tests := []struct {
		name  string
		edit  func(*Account)
		valid bool
	}{
		{"no icon", func(*Account) {}, true},
		{"chosen icon", func(a *Account) { a.Icon = "github" }, true},
		{"letter", func(a *Account) { a.Icon = IconLetter }, true},
		{"underscore", func(a *Account) { a.Icon = "hive_blockchain" }, true},
		{"upper case", func(a *Account) { a.Icon = "GitHub" }, false},
		{"path", func(a *Account) { a.Icon = "../github" }, false},
		{"too long", func(a *Account) { a.Icon = strings.Repeat("a", 65) }, false},
		{"custom image", func(a *Account) { a.IconImage = pngOf(t, 48, 48) }, true},
		{"bad custom image", func(a *Account) { a.IconImage = []byte("not an image") }, false},
		{"empty custom image", func(a *Account) { a.IconImage = []byte{} }, false},
		{"favourite", func(a *Account) { a.Favorite = true }, true},
	}
	for _, tt := range tests {
		a := base
		tt.edit(&a)
		if err := a.Validate(); (err == nil) != tt.valid {
			t.Errorf("%s: Validate() = %v, want valid %v", tt.name, err, tt.valid)
		}
	}
}

func FuzzCheckIconImage(f *testing.F) {
	f.Add(pngOf(f, 4, 4))
	f.Add(jpegOf(f, 8, 8))
	f.Add(pngHeader(300, 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		if CheckIconImage(data) != nil {
			return
		}
		// What it takes is a PNG or JPEG within the limits.
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || len(data) > MaxIconImageBytes || cfg.Width > MaxIconImageSide || cfg.Height > MaxIconImageSide {
			t.Fatalf("took an image out of bounds: %v, %dx%d, %d bytes", err, cfg.Width, cfg.Height, len(data))
		}
	})
}
