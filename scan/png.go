package scan

import (
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"strconv"
)

// pngSignature starts every PNG file.
const pngSignature = "\x89PNG\r\n\x1a\n"

// PNG colour types.
const (
	pngGrey      = 0
	pngRGB       = 2
	pngPalette   = 3
	pngGreyAlpha = 4
	pngRGBA      = 6
)

// pngInfo is what a PNG's IHDR, PLTE and tRNS chunks say.
type pngInfo struct {
	w, h       int
	depth      int // bits per sample: 1, 2, 4, 8 or 16
	colour     int // one of the colour types above
	interlaced bool
	// grey is the grey of each palette entry as seen on white; entries
	// past the palette are black, as in image/png.
	grey [256]byte
	// key is the tRNS colour that is transparent in grey and RGB images,
	// as samples of the image's depth; hasKey says there is one.
	key    [3]uint16
	hasKey bool
}

// samples returns the number of samples per pixel.
func (h *pngInfo) samples() int {
	return [...]int{pngGrey: 1, pngRGB: 3, pngPalette: 1, pngGreyAlpha: 2, pngRGBA: 4}[h.colour]
}

// decodePNG reads a PNG file straight to grey: rows are inflated,
// unfiltered and turned to grey one at a time, so that a PNG costs its
// width x height bytes of grey, whatever its bit depth and colour type, and
// never a full-colour copy. r is read after the signature, which the caller
// has checked. Every bit depth and colour type is read, interlaced or not.
func decodePNG(r io.Reader) (*luma, error) {
	cr := &chunkReader{r: r}
	h, err := readPNGHeader(cr)
	if err != nil {
		return nil, err
	}
	if int64(h.w)*int64(h.h) > int64(maxPixels) {
		return nil, tooManyPixels(h.w, h.h)
	}
	z, err := zlib.NewReader(cr)
	if err != nil {
		return nil, pngError(err)
	}
	l := &luma{pix: make([]byte, h.w*h.h), w: h.w, h: h.h}
	bits := h.depth * h.samples()
	stride := (bits + 7) / 8 // bytes per complete pixel, for the filters
	cur := make([]byte, 1+(h.w*bits+7)/8)
	prev := make([]byte, len(cur))
	grey := make([]byte, h.w)
	passes := [][4]int{{0, 0, 1, 1}}
	if h.interlaced {
		passes = [][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}
	}
	for _, p := range passes {
		x0, y0, dx, dy := p[0], p[1], p[2], p[3]
		pw, ph := (h.w-x0+dx-1)/dx, (h.h-y0+dy-1)/dy
		if pw <= 0 || ph <= 0 {
			continue
		}
		n := 1 + (pw*bits+7)/8
		clear(prev[:n])
		for y := range ph {
			row := cur[:n]
			if _, err := io.ReadFull(z, row); err != nil {
				return nil, pngError(err)
			}
			if err := unfilter(row, prev[:n], stride); err != nil {
				return nil, err
			}
			h.toGrey(grey[:pw], row[1:])
			if dx == 1 {
				copy(l.pix[(y0+y*dy)*h.w:], grey[:pw])
			} else {
				dst := l.pix[(y0+y*dy)*h.w:]
				for i, v := range grey[:pw] {
					dst[x0+i*dx] = v
				}
			}
			cur, prev = prev, cur
		}
	}
	// The rest of the stream: its checksums, and no more pixels.
	if n, err := z.Read(cur[:1]); n != 0 || err != io.EOF {
		return nil, fmt.Errorf("%w: PNG image data does not end where the image does", ErrDamaged)
	}
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return nil, pngError(err)
	}
	return l, nil
}

// readPNGHeader reads the chunks before the image data.
func readPNGHeader(cr *chunkReader) (*pngInfo, error) {
	h := &pngInfo{}
	typ, data, err := cr.next()
	if err != nil {
		return nil, err
	}
	if typ != "IHDR" || len(data) != 13 {
		return nil, fmt.Errorf("%w: no PNG header", ErrDamaged)
	}
	w, ht := binary.BigEndian.Uint32(data[0:]), binary.BigEndian.Uint32(data[4:])
	h.depth, h.colour = int(data[8]), int(data[9])
	if w == 0 || ht == 0 || w > 1<<31-1 || ht > 1<<31-1 || data[10] != 0 || data[11] != 0 || data[12] > 1 {
		return nil, fmt.Errorf("%w: bad PNG header", ErrDamaged)
	}
	h.w, h.h, h.interlaced = int(w), int(ht), data[12] == 1
	ok := map[int][]int{
		pngGrey: {1, 2, 4, 8, 16}, pngRGB: {8, 16}, pngPalette: {1, 2, 4, 8}, pngGreyAlpha: {8, 16}, pngRGBA: {8, 16},
	}[h.colour]
	if !slices.Contains(ok, h.depth) {
		return nil, fmt.Errorf("%w: PNG colour type %d at %d bits", ErrDamaged, h.colour, h.depth)
	}
	// Check the size before anything else is read.
	if int64(h.w)*int64(h.h) > int64(maxPixels) {
		return nil, tooManyPixels(h.w, h.h)
	}
	var palette, alpha []byte
	for {
		typ, err := cr.peekType()
		if err != nil {
			return nil, err
		}
		if typ == "IDAT" {
			break
		}
		if typ == "IEND" {
			return nil, fmt.Errorf("%w: a PNG without image data", ErrDamaged)
		}
		typ, data, err := cr.next()
		if err != nil {
			return nil, err
		}
		switch typ {
		case "PLTE":
			if len(data)%3 != 0 || len(data) > 3*256 {
				return nil, fmt.Errorf("%w: bad PNG palette", ErrDamaged)
			}
			palette = data
		case "tRNS":
			switch h.colour {
			case pngPalette:
				alpha = data
			case pngGrey:
				if len(data) >= 2 {
					h.key[0], h.hasKey = binary.BigEndian.Uint16(data), true
				}
			case pngRGB:
				if len(data) >= 6 {
					for i := range 3 {
						h.key[i] = binary.BigEndian.Uint16(data[2*i:])
					}
					h.hasKey = true
				}
			}
		}
	}
	if h.colour == pngPalette {
		if palette == nil {
			return nil, fmt.Errorf("%w: a PNG palette image without a palette", ErrDamaged)
		}
		for i := 0; i < len(palette)/3; i++ {
			a := 255
			if i < len(alpha) {
				a = int(alpha[i])
			}
			h.grey[i] = onWhite(rgbGrey(palette[3*i], palette[3*i+1], palette[3*i+2]), a)
		}
	}
	return h, nil
}

// rgbGrey returns the grey of an 8-bit colour with the Rec. 601 weights.
func rgbGrey(r, g, b byte) byte {
	return byte((19595*uint32(r) + 38470*uint32(g) + 7471*uint32(b) + 1<<15) >> 16)
}

// onWhite returns grey v at opacity a (0 to 255) drawn on white.
func onWhite(v byte, a int) byte {
	return byte((int(v)*a + 255*(255-a)) / 255)
}

// toGrey turns one unfiltered row of samples into grey.
func (h *pngInfo) toGrey(dst, src []byte) {
	switch {
	case h.colour == pngPalette || h.colour == pngGrey && h.depth < 8:
		h.packedGrey(dst, src)
	case h.colour == pngGrey && h.depth == 8:
		copy(dst, src)
		if h.hasKey {
			for i, v := range dst {
				if uint16(v) == h.key[0] {
					dst[i] = 255
				}
			}
		}
	case h.colour == pngGrey: // 16 bits: the high byte
		for i := range dst {
			dst[i] = src[2*i]
			if h.hasKey && binary.BigEndian.Uint16(src[2*i:]) == h.key[0] {
				dst[i] = 255
			}
		}
	case h.colour == pngRGB:
		s := h.depth / 8 // bytes per sample; the high byte comes first
		for i := range dst {
			p := src[3*s*i:]
			dst[i] = rgbGrey(p[0], p[s], p[2*s])
			if h.hasKey && h.sample(p, 0) == h.key[0] && h.sample(p, 1) == h.key[1] && h.sample(p, 2) == h.key[2] {
				dst[i] = 255
			}
		}
	case h.colour == pngGreyAlpha:
		s := h.depth / 8
		for i := range dst {
			p := src[2*s*i:]
			dst[i] = onWhite(p[0], int(p[s]))
		}
	case h.colour == pngRGBA:
		s := h.depth / 8
		for i := range dst {
			p := src[4*s*i:]
			dst[i] = onWhite(rgbGrey(p[0], p[s], p[2*s]), int(p[3*s]))
		}
	}
}

// sample returns the n-th sample of the pixel at p.
func (h *pngInfo) sample(p []byte, n int) uint16 {
	if h.depth == 16 {
		return binary.BigEndian.Uint16(p[2*n:])
	}
	return uint16(p[n])
}

// packedGrey reads palette indexes or grey of 1 to 8 bits per pixel.
func (h *pngInfo) packedGrey(dst, src []byte) {
	d := uint(h.depth)
	mask := byte(1<<d - 1)
	for i := range dst {
		bit := uint(i) * d
		v := src[bit/8] >> (8 - d - bit%8) & mask
		switch {
		case h.colour == pngPalette:
			dst[i] = h.grey[v]
		case h.hasKey && uint16(v) == h.key[0]:
			dst[i] = 255
		default:
			dst[i] = byte(int(v) * 255 / int(mask))
		}
	}
}

// unfilter undoes the PNG filter named by row[0] on row[1:], given the
// previous row, unfiltered, in prev[1:]. stride is the bytes per pixel.
func unfilter(row, prev []byte, stride int) error {
	cur, up := row[1:], prev[1:]
	switch row[0] {
	case 0:
	case 1: // sub
		for i := stride; i < len(cur); i++ {
			cur[i] += cur[i-stride]
		}
	case 2: // up
		for i, u := range up {
			cur[i] += u
		}
	case 3: // average
		for i := range stride {
			cur[i] += up[i] / 2
		}
		for i := stride; i < len(cur); i++ {
			cur[i] += byte((int(cur[i-stride]) + int(up[i])) / 2)
		}
	case 4: // Paeth, one byte of the pixel at a time, as image/png does it
		for i := range stride {
			a, c := 0, 0
			for j := i; j < len(cur); j += stride {
				b := int(up[j])
				pa, pb := b-c, a-c
				pc := abs(pa + pb)
				pa, pb = abs(pa), abs(pb)
				switch {
				case pa <= pb && pa <= pc:
				case pb <= pc:
					a = b
				default:
					a = c
				}
				a = (a + int(cur[j])) & 0xff
				cur[j] = byte(a)
				c = b
			}
		}
	default:
		return fmt.Errorf("%w: bad PNG filter %d", ErrDamaged, row[0])
	}
	return nil
}

// abs returns |x| without a branch.
func abs(x int) int {
	m := x >> (strconv.IntSize - 1)
	return (x ^ m) - m
}

// maxChunk bounds the chunks other than image data that are held in memory.
const maxChunk = 1 << 20

// chunkReader reads a PNG's chunks, checking each one's CRC. As an
// io.Reader it gives the image data, from one IDAT chunk after another.
type chunkReader struct {
	r        io.Reader
	peeked   string // the type of the next chunk, read ahead, with its length in n
	n        uint32 // bytes left of the IDAT chunk being read
	crc      uint32
	inData   bool
	finished bool
}

// peekType returns the type of the next chunk without reading it.
func (c *chunkReader) peekType() (string, error) {
	if c.peeked == "" {
		var b [8]byte
		if _, err := io.ReadFull(c.r, b[:]); err != nil {
			return "", pngError(err)
		}
		c.n, c.peeked = binary.BigEndian.Uint32(b[:4]), string(b[4:])
		if c.n > 1<<31-1 {
			return "", fmt.Errorf("%w: bad PNG chunk length", ErrDamaged)
		}
	}
	return c.peeked, nil
}

// next reads the next whole chunk other than image data.
func (c *chunkReader) next() (string, []byte, error) {
	typ, err := c.peekType()
	if err != nil {
		return "", nil, err
	}
	c.peeked = ""
	if c.n > maxChunk {
		// Too long to keep, and nothing the grey needs: skip it.
		if typ == "IHDR" || typ == "PLTE" || typ == "tRNS" {
			return "", nil, fmt.Errorf("%w: PNG %s chunk too long", ErrDamaged, typ)
		}
		if _, err := io.CopyN(io.Discard, c.r, int64(c.n)+4); err != nil {
			return "", nil, pngError(err)
		}
		return typ, nil, nil
	}
	data := make([]byte, c.n+4)
	if _, err := io.ReadFull(c.r, data); err != nil {
		return "", nil, pngError(err)
	}
	crc := crc32.Update(crc32.ChecksumIEEE([]byte(typ)), crc32.IEEETable, data[:c.n])
	if binary.BigEndian.Uint32(data[c.n:]) != crc {
		return "", nil, fmt.Errorf("%w: PNG checksum mismatch", ErrDamaged)
	}
	return typ, data[:c.n], nil
}

// Read gives the image data of consecutive IDAT chunks, and io.EOF at the
// first other chunk.
func (c *chunkReader) Read(p []byte) (int, error) {
	for c.n == 0 || !c.inData {
		if c.inData {
			// The end of a chunk: check it, and go on if another follows.
			var b [4]byte
			if _, err := io.ReadFull(c.r, b[:]); err != nil {
				return 0, pngError(err)
			}
			if binary.BigEndian.Uint32(b[:]) != c.crc {
				return 0, fmt.Errorf("%w: PNG checksum mismatch", ErrDamaged)
			}
			c.inData = false
		}
		if c.finished {
			return 0, io.EOF
		}
		typ, err := c.peekType()
		if err != nil {
			return 0, err
		}
		if typ != "IDAT" {
			c.finished = true
			return 0, io.EOF
		}
		c.peeked, c.inData = "", true
		c.crc = crc32.ChecksumIEEE([]byte(typ))
	}
	if uint32(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= uint32(n)
	c.crc = crc32.Update(c.crc, crc32.IEEETable, p[:n])
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// pngError turns a read error into the package's: a file that ends early or
// does not inflate is damaged; a limit on bytes passes through.
func pngError(err error) error {
	if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrDamaged) {
		return err
	}
	return fmt.Errorf("%w: %v", ErrDamaged, err)
}
