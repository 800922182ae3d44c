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
	for by := range bh {
		y0 := min(by*blockSize, h-blockSize)
		for bx := range bw {
			x0 := min(bx*blockSize, w-blockSize)
			// The threshold is the mean black point of the 3 x 3 blocks around.
			sum, n := 0, 0
			for ny := max(by-1, 0); ny <= min(by+1, bh-1); ny++ {
				for nx := max(bx-1, 0); nx <= min(bx+1, bw-1); nx++ {
					sum += points[ny*bw+nx]
					n++
				}
			}
			threshold := byte(sum / n)
			for y := y0; y < y0+blockSize; y++ {
				for x, v := range pix[y*w+x0 : y*w+x0+blockSize] {
					if v <= threshold {
						m.Set(x0+x, y)
					}
				}
			}
		}
	}
	b.matrix = m
	return m, nil
}

// blackPoints returns the black point of each block: the mean of its pixels,
// or for a flat block, that of the nearest block with contrast.
func blackPoints(pix []byte, w, h, bw, bh int) []int {
	points := make([]int, bw*bh)
	var queue []int // blocks with a black point, nearest first
	for by := range bh {
		y0 := min(by*blockSize, h-blockSize)
		for bx := range bw {
			x0 := min(bx*blockSize, w-blockSize)
			sum, lo, hi := 0, byte(255), byte(0)
			for y := y0; y < y0+blockSize; y++ {
				for _, v := range pix[y*w+x0 : y*w+x0+blockSize] {
					sum += int(v)
					lo, hi = min(lo, v), max(hi, v)
				}
			}
			i := by*bw + bx
			if int(hi)-int(lo) > minRange {
				points[i] = sum / (blockSize * blockSize)
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
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
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
