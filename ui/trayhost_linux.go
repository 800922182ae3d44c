package ui

import (
	"fyne.io/fyne/v2"
	"github.com/godbus/dbus/v5"
)

// statusNotifierWatcher is the D-Bus name of the tray host of the
// StatusNotifier protocol, which KDE, GNOME's AppIndicator extension, Xfce,
// Cinnamon and others provide.
const statusNotifierWatcher = "org.kde.StatusNotifierWatcher"

// trayHost returns a's system tray if a tray host answers on the session
// bus, or nil: then closing the window quits, as without a tray.
func trayHost(a fyne.App) trayApp {
	host, ok := a.(trayApp)
	if !ok || !trayHostAnswers() {
		return nil
	}
	return host
}

// trayHostAnswers reports whether a StatusNotifierWatcher owns its name on
// the session bus.
func trayHostAnswers() bool {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return false
	}
	defer conn.Close()
	var has bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, statusNotifierWatcher).Store(&has)
	return err == nil && has
}
