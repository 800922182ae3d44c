//go:build !linux

package ui

import "fyne.io/fyne/v2"

// trayHost returns a's system tray: Windows and macOS always have one.
func trayHost(a fyne.App) trayApp {
	host, _ := a.(trayApp)
	return host
}
