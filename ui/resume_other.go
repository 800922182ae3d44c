//go:build !linux

package ui

// watchResume does nothing here: the clock notices a resume by the jump of
// the wall clock.
func watchResume(func()) (stop func()) { return func() {} }
