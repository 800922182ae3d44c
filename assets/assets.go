// Package assets holds Authdeck's icon and other bundled resources.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is Authdeck's application icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
