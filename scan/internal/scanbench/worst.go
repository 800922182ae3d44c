package main

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"

	"authdeck/scan/internal/corpus"
)

// writeWide saves the 4K cases that the whole-process comparison times at
// 16 bits per sample too: the screenshot with a small code, and the one
// without.
func writeWide(dir string, cases []corpus.Case) error {
	for _, c := range cases {
		if c.Name != "screen-4k" && c.Name != "none-4k" {
			continue
		}
		wide := image.NewRGBA64(c.Image.Bounds())
		draw.Draw(wide, wide.Bounds(), c.Image, c.Image.Bounds().Min, draw.Src)
		var b bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, wide); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, c.Name+"-16.png"), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// worst writes the most expensive images that can be made small: a 7071 x
// 7071 16-bit RGB PNG with a code in the middle (under 1 MB; 300 MB of
// samples, 400 MB as image/png decodes it), and headers that claim huge
// sizes in every format.
func worst(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data, err := widePNG(7071, corpus.Short)
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"huge-16bit.png": data,
		// 100000 x 100000 pixels claimed, the data cut short.
		"huge-header.png": pngStart(100_000, 100_000, 8, 2),
		"huge-header.gif": append([]byte("GIF89a\xff\xff\xff\xff\x00\x00\x00"), make([]byte, 64)...),
		"huge-header.bmp": bmpHeader(60_000, 60_000),
		"huge-header.jpg": jpegHeader(65_000, 65_000),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// widePNG returns an n x n white 16-bit RGB PNG with the code of text in the
// middle, 16 pixels a module, written row by row.
func widePNG(n int, text string) ([]byte, error) {
	code := corpus.Code(text, color.Black, color.White)
	side := code.Bounds().Dx() * 16
	x0, y0 := (n-side)/2, (n-side)/2
	var idat bytes.Buffer
	z, _ := zlib.NewWriterLevel(&idat, zlib.BestSpeed)
	row := make([]byte, 1+6*n)
	for y := range n {
		for x := range n {
			v := byte(0xff)
			if cx, cy := (x-x0)/16, (y-y0)/16; x >= x0 && y >= y0 && cx < code.Bounds().Dx() && cy < code.Bounds().Dy() && code.RGBAAt(cx, cy).R == 0 {
				v = 0
			}
			for i := range 6 {
				row[1+6*x+i] = v
			}
		}
		if _, err := z.Write(row); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	out := pngStart(n, n, 16, 2)
	out = chunk(out, "IDAT", idat.Bytes())
	return chunk(out, "IEND", nil), nil
}

// pngStart returns a PNG signature and header.
func pngStart(w, h int, depth, colour byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, depth, colour, 0, 0, 0)
	return chunk([]byte("\x89PNG\r\n\x1a\n"), "IHDR", ihdr)
}

func chunk(b []byte, typ string, data []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.Update(crc32.ChecksumIEEE([]byte(typ)), crc32.IEEETable, data))
}

// bmpHeader returns the headers of a 24-bit BMP of w x h pixels.
func bmpHeader(w, h int) []byte {
	b := []byte("BM")
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 54)
	b = binary.LittleEndian.AppendUint32(b, 40)
	b = binary.LittleEndian.AppendUint32(b, uint32(w))
	b = binary.LittleEndian.AppendUint32(b, uint32(h))
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint16(b, 24)
	return append(b, make([]byte, 24)...)
}

// jpegHeader returns the start of a baseline JFIF JPEG of w x h pixels, up
// to its frame header.
func jpegHeader(w, h int) []byte {
	b := []byte{0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}
	b = append(b, 0xff, 0xc0, 0, 17, 8)
	b = binary.BigEndian.AppendUint16(b, uint16(h))
	b = binary.BigEndian.AppendUint16(b, uint16(w))
	b = append(b, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1)
	return append(b, make([]byte, 64)...)
}
