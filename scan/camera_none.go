//go:build !(cgo && linux)

package scan

import "fmt"

// OpenCamera fails: this build has no camera support, which needs cgo.
func OpenCamera() (FrameSource, error) {
	return nil, fmt.Errorf("%w: this build of Authdeck has no camera support", ErrNoCamera)
}
