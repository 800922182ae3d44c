//go:build !linux

package scan

import "fmt"

// ClipboardImage returns an error wrapping [ErrNoClipboardImage]: on this
// system, images reach Authdeck as files, dropped or opened.
func ClipboardImage() ([]string, error) {
	return nil, fmt.Errorf("reading an image from the clipboard is not supported here: %w", ErrNoClipboardImage)
}
