//go:build !(cgo && (linux || darwin || windows))

package scan

// OpenCamera fails: this build has no camera support, which needs cgo (and,
// on Windows, a C++ compiler for the driver). The error matches both
// [ErrNoCameraSupport] and [ErrNoCamera].
func OpenCamera() (FrameSource, error) {
	return nil, noCameraSupport{}
}

// noCameraSupport says the build cannot use cameras, and counts as
// ErrNoCamera too.
type noCameraSupport struct{}

func (noCameraSupport) Error() string { return ErrNoCameraSupport.Error() }

func (noCameraSupport) Is(target error) bool {
	return target == ErrNoCameraSupport || target == ErrNoCamera
}
