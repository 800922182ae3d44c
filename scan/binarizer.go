package scan

import (
	"github.com/makiuchi-d/gozxing"
)

// A binarizer turns grey into black and white.
type binarizer func(gozxing.LuminanceSource) gozxing.Binarizer

// The binarizers the strategies use: gozxing's local (hybrid) and global
// ones, and flat, which reads faint codes.
var (
	hybrid binarizer = gozxing.NewHybridBinarizer
	global binarizer = gozxing.NewGlobalHistgramBinarizer
	flat   binarizer = newFlatBinarizer
)

// flatBinarizer reads faint codes, such as dark grey 110 on light grey 150,
// that gozxing's binarizers lose. The global one picks one threshold for the
// whole image, which a busy screenshot pulls away from the code's greys. The
// hybrid one thresholds each 8 x 8 block at the mean of the blocks around it,
// but takes a block of one flat grey for background and gives it half its
// grey as black point; on a faint code that is far below the dark modules, so
// the flat centres of the finder patterns and the edges of the code turn
// white. This one gives a flat block the black point of the nearest block with
// contrast instead, and uses 4 x 4 blocks and the 3 x 3 blocks around for the
// threshold, so that a code's quiet zone of a dozen pixels keeps the bright
// surroundings of the code out of its thresholds.
type flatBinarizer struct {
	gozxing.Binarizer // the global binarizer, for rows
	matrix            *gozxing.BitMatrix
}

func newFlatBinarizer(src gozxing.LuminanceSource) gozxing.Binarizer {
	return &flatBinarizer{Binarizer: gozxing.NewGlobalHistgramBinarizer(src)}
}

func (b *flatBinarizer) CreateBinarizer(src gozxing.LuminanceSource) gozxing.Binarizer {
	return newFlatBinarizer(src)
}

const (
	blockSize = 4
	minRange  = 24 // the least contrast in a block that is not flat, as in gozxing
)

func (b *flatBinarizer) GetBlackMatrix() (*gozxing.BitMatrix, error) {
	if b.matrix != nil {
		return b.matrix, nil
	}
	src := b.GetLuminanceSource()
	w, h := src.GetWidth(), src.GetHeight()
	if w < 3*blockSize || h < 3*blockSize {
		return b.Binarizer.GetBlackMatrix()
	}
	pix := src.GetMatrix()
	bw, bh := (w+blockSize-1)/blockSize, (h+blockSize-1)/blockSize
	points := blackPoints(pix, w, h, bw, bh)
	m, err := gozxing.NewBitMatrix(w, h)
	if err != nil {
		return nil, err
	}
	thresholds := make([]byte, bw)
	row := gozxing.NewBitArray(w)
	words := row.GetBitArray()
	for by := range bh {
		// The threshold of a block is the mean black point of the 3 x 3
		// blocks around it.
		for bx := range bw {
			sum, n := 0, 0
			for ny := max(by-1, 0); ny <= min(by+1, bh-1); ny++ {
				for _, p := range points[ny*bw+max(bx-1, 0) : ny*bw+min(bx+1, bw-1)+1] {
					sum += p
					n++
				}
			}
			thresholds[bx] = byte(sum / n)
		}
		for y := by * blockSize; y < min(by*blockSize+blockSize, h); y++ {
			clear(words)
			line := pix[y*w : (y+1)*w]
			for bx, t := range thresholds {
				x0 := bx * blockSize
				for x, v := range line[x0:min(x0+blockSize, w)] {
					if v <= t {
						words[(x0+x)/32] |= 1 << ((x0 + x) % 32)
					}
				}
			}
			m.SetRow(y, row)
		}
	}
	b.matrix = m
	return m, nil
}

// blackPoints returns the black point of each block: the mean of its pixels,
// or for a flat block, that of the nearest block with contrast. The blocks
// of the last column and row may be narrower.
func blackPoints(pix []byte, w, h, bw, bh int) []int {
	points := make([]int, bw*bh)
	queue := make([]int, 0, bw*bh) // blocks with a black point, nearest first
	sum, lo, hi := make([]int, bw), make([]byte, bw), make([]byte, bw)
	for by := range bh {
		for bx := range bw {
			sum[bx], lo[bx], hi[bx] = 0, 255, 0
		}
		y0, y1 := by*blockSize, min(by*blockSize+blockSize, h)
		for y := y0; y < y1; y++ {
			row := pix[y*w : (y+1)*w]
			for bx := range bw {
				s, l, hg := sum[bx], lo[bx], hi[bx]
				for _, v := range row[bx*blockSize : min(bx*blockSize+blockSize, w)] {
					s += int(v)
					l, hg = min(l, v), max(hg, v)
				}
				sum[bx], lo[bx], hi[bx] = s, l, hg
			}
		}
		for bx := range bw {
			i := by*bw + bx
			if int(hi[bx])-int(lo[bx]) > minRange {
				n := (y1 - y0) * (min(bx*blockSize+blockSize, w) - bx*blockSize)
				points[i] = sum[bx] / n
				queue = append(queue, i)
			} else {
				points[i] = -1
			}
		}
	}
	if len(queue) == 0 {
		// No contrast anywhere: all background.
		for i := range points {
			points[i] = 0
		}
		return points
	}
	// Spread the black points to the flat blocks, breadth first.
	for head := 0; head < len(queue); head++ {
		i := queue[head]
		x, y := i%bw, i/bw
		for _, n := range [4][2]int{{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}} {
			if n[0] < 0 || n[1] < 0 || n[0] >= bw || n[1] >= bh {
				continue
			}
			if j := n[1]*bw + n[0]; points[j] < 0 {
				points[j] = points[i]
				queue = append(queue, j)
			}
		}
	}
	return points
}

// hybridPair thresholds l as gozxing's hybrid binarizer does, for l and for
// l inverted at once: the statistics of each 8 x 8 block are gathered once
// and serve both, and the rows are written a word at a time. It gives the
// same black and white images as the hybrid binarizer on l and on
// l.inverted(), at a third of the cost.
func hybridPair(l *luma) (normal, inverted *gozxing.BitMatrix) {
	const (
		block    = 8
		minDim   = 5 * block // below this, gozxing uses the global binarizer
		minRange = 24
	)
	w, h := l.w, l.h
	if w < minDim || h < minDim {
		normal, _ = hybrid(l.source()).GetBlackMatrix()
		inverted, _ = hybrid(l.inverted().source()).GetBlackMatrix()
		return normal, inverted
	}
	sw, sh := (w+block-1)/block, (h+block-1)/block
	// The black point of each block, for the image and for its inverse.
	pts, ipts := make([]int, sw*sh), make([]int, sw*sh)
	for y := range sh {
		y0 := min(y*block, h-block)
		for x := range sw {
			x0 := min(x*block, w-block)
			sum, lo, hi := 0, 255, 0
			for yy := y0; yy < y0+block; yy++ {
				for _, v := range l.pix[yy*w+x0 : yy*w+x0+block] {
					sum += int(v)
					lo, hi = min(lo, int(v)), max(hi, int(v))
				}
			}
			i := y*sw + x
			pts[i], ipts[i] = sum>>6, (block*block*255-sum)>>6
			if hi-lo <= minRange {
				pts[i], ipts[i] = lo/2, (255-hi)/2
				if y > 0 && x > 0 {
					if n := (pts[i-sw] + 2*pts[i-1] + pts[i-sw-1]) / 4; lo < n {
						pts[i] = n
					}
					if n := (ipts[i-sw] + 2*ipts[i-1] + ipts[i-sw-1]) / 4; 255-hi < n {
						ipts[i] = n
					}
				}
			}
		}
	}
	// Threshold each block at the mean black point of the 5 x 5 blocks
	// around it, OR-ing where the last blocks overlap the ones before.
	rowWords := (w + 31) / 32
	bits, ibits := make([]uint32, rowWords*h), make([]uint32, rowWords*h)
	for y := range sh {
		y0 := min(y*block, h-block)
		top := min(max(y, 2), sh-3)
		for x := range sw {
			x0 := min(x*block, w-block)
			left := min(max(x, 2), sw-3)
			sum, isum := 0, 0
			for z := top - 2; z <= top+2; z++ {
				for _, p := range pts[z*sw+left-2 : z*sw+left+3] {
					sum += p
				}
				for _, p := range ipts[z*sw+left-2 : z*sw+left+3] {
					isum += p
				}
			}
			t, it := sum/25, 255-isum/25 // inverse: 255-v <= isum/25
			for yy := y0; yy < y0+block; yy++ {
				row, irow := bits[yy*rowWords:], ibits[yy*rowWords:]
				for xx, v := range l.pix[yy*w+x0 : yy*w+x0+block] {
					px := x0 + xx
					if int(v) <= t {
						row[px/32] |= 1 << (px % 32)
					}
					if int(v) >= it {
						irow[px/32] |= 1 << (px % 32)
					}
				}
			}
		}
	}
	return wordsMatrix(bits, w, h), wordsMatrix(ibits, w, h)
}

// wordsMatrix makes a BitMatrix of w x h pixels from rows of 32-bit words.
func wordsMatrix(bits []uint32, w, h int) *gozxing.BitMatrix {
	m, _ := gozxing.NewBitMatrix(w, h)
	row := gozxing.NewBitArray(w)
	words := row.GetBitArray()
	n := (w + 31) / 32
	for y := range h {
		copy(words, bits[y*n:(y+1)*n])
		m.SetRow(y, row)
	}
	return m
}
