//go:build darwin && !cgo

package scan

import (
	"fmt"
	"image"
)

// errNoCapture says why this build captures nothing.
var errNoCapture = fmt.Errorf("this build has no screen capture on macOS: %w", ErrScreenUnavailable)

// captureScreens fails: capturing the screen on macOS needs cgo.
func captureScreens() ([]image.Image, error) { return nil, errNoCapture }

// captureWhole fails: capturing the screen on macOS needs cgo.
func captureWhole() (*image.RGBA, error) { return nil, errNoCapture }
