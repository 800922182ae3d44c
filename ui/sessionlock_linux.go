package ui

import (
	"os"

	"github.com/godbus/dbus/v5"
)

// The screensaver interfaces whose ActiveChanged(true) locks the window.
var screensavers = []string{"org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"}

// watchSessionLock calls lock when the desktop session locks or its
// screensaver starts (ActiveChanged(true) of org.freedesktop.ScreenSaver or
// org.gnome.ScreenSaver on the session bus), when logind locks this session,
// and before the computer suspends (logind's PrepareForSleep(true)), both on
// the system bus. A bus that does not answer is left out. lock runs on a
// goroutine of its own; stop ends the watch.
func watchSessionLock(lock func()) (stop func()) {
	var conns []*dbus.Conn
	if c, err := dbus.ConnectSessionBus(); err == nil {
		for _, iface := range screensavers {
			c.AddMatchSignal(dbus.WithMatchInterface(iface), dbus.WithMatchMember("ActiveChanged"))
		}
		conns = append(conns, c)
	}
	if c, err := dbus.ConnectSystemBus(); err == nil {
		const login1 = "org.freedesktop.login1"
		c.AddMatchSignal(dbus.WithMatchSender(login1), dbus.WithMatchInterface(login1+".Manager"),
			dbus.WithMatchMember("PrepareForSleep"))
		var session dbus.ObjectPath
		if err := c.Object(login1, "/org/freedesktop/login1").Call(login1+".Manager.GetSessionByPID", 0,
			uint32(os.Getpid())).Store(&session); err == nil {
			c.AddMatchSignal(dbus.WithMatchSender(login1), dbus.WithMatchObjectPath(session),
				dbus.WithMatchInterface(login1+".Session"), dbus.WithMatchMember("Lock"))
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		signals := make(chan *dbus.Signal, 8)
		c.Signal(signals)
		go func() {
			for s := range signals {
				if locksSession(s) {
					lock()
				}
			}
		}()
	}
	return func() {
		for _, c := range conns {
			c.Close()
		}
	}
}

// locksSession reports whether s says that the session locks, its
// screensaver starts or the computer is about to sleep.
func locksSession(s *dbus.Signal) bool {
	switch s.Name {
	case "org.freedesktop.login1.Session.Lock":
		return true
	case "org.freedesktop.login1.Manager.PrepareForSleep",
		"org.freedesktop.ScreenSaver.ActiveChanged", "org.gnome.ScreenSaver.ActiveChanged":
		if len(s.Body) != 1 {
			return false
		}
		on, _ := s.Body[0].(bool)
		return on
	}
	return false
}
