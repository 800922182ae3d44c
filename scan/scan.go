// Package scan reads accounts from QR codes: it finds every code in an image
// file, a screenshot of every display or webcam frames, and turns their texts
// (otpauth:// URIs and Google Authenticator transfers) into accounts.
package scan

import "errors"

// Errors callers can branch on. Each message is one line a person understands.
var (
	// ErrNoQR is returned when an image holds no readable QR code.
	ErrNoQR = errors.New("no QR code found in the image")
)
