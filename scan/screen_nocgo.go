//go:build darwin && !cgo

package scan

import (
	"fmt"
	"image"
)

// captureScreens fails: capturing the screen on macOS needs cgo.
func captureScreens() ([]image.Image, error) {
	return nil, fmt.Errorf("this build has no screen capture on macOS: %w", ErrScreenUnavailable)
}
