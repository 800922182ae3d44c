// Package autostart starts Authdeck when the user logs in: an XDG autostart
// entry on Linux. Elsewhere it reports [ErrUnsupported].
package autostart

import "errors"

// ErrUnsupported is returned where Authdeck cannot set its own start at
// login (on Windows the installer's option does it).
var ErrUnsupported = errors.New("starting at login is not supported here")

// fileName is the autostart entry's name, Authdeck's application ID.
const fileName = "dev.authdeck.Authdeck.desktop"
