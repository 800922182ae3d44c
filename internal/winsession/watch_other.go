//go:build !windows

package winsession

// Watch reports [ErrUnsupported]: this is not Windows.
func Watch(func()) (stop func(), err error) { return nil, ErrUnsupported }
