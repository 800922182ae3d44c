//go:build !(cgo && (linux || darwin || windows))

package scan

// OpenCamera fails: this build has no camera support, which needs cgo (and,
// on Windows, a C++ compiler for the driver). The error matches [ErrNoCamera].
func OpenCamera() (FrameSource, error) {
	return nil, noCameraSupport{}
}

// noCameraSupport says the build cannot use cameras, and counts as ErrNoCamera.
type noCameraSupport struct{}

func (noCameraSupport) Error() string {
	return "this build of Authdeck has no camera support: open a screenshot or image file of the QR code instead"
}

func (noCameraSupport) Is(target error) bool { return target == ErrNoCamera }
