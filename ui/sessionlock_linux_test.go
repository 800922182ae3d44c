package ui

import (
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"authdeck/internal/testenv"
)

// TestScreensaverLocks sends the screensaver's ActiveChanged signals on the
// real session bus, as GNOME, KDE and xscreensaver's bridges do.
func TestScreensaverLocks(t *testing.T) {
	testenv.SessionBus(t)
	locked := make(chan struct{}, 4)
	stop := watchSessionLock(func() { locked <- struct{}{} })
	defer stop()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	emit := func(iface string, on bool) {
		if err := conn.Emit("/org/freedesktop/ScreenSaver", iface+".ActiveChanged", on); err != nil {
			t.Fatal(err)
		}
	}
	emit("org.freedesktop.ScreenSaver", false)
	select {
	case <-locked:
		t.Fatal("the screensaver stopping locked the window")
	case <-time.After(300 * time.Millisecond):
	}
	for _, iface := range screensavers {
		emit(iface, true)
		select {
		case <-locked:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s.ActiveChanged(true) did not lock", iface)
		}
	}
}

func TestLocksSession(t *testing.T) {
	for _, c := range []struct {
		name string
		body []any
		want bool
	}{
		{"org.freedesktop.login1.Session.Lock", nil, true},
		{"org.freedesktop.login1.Session.Unlock", nil, false},
		{"org.freedesktop.login1.Manager.PrepareForSleep", []any{true}, true},
		{"org.freedesktop.login1.Manager.PrepareForSleep", []any{false}, false},
		{"org.gnome.ScreenSaver.ActiveChanged", []any{true}, true},
		{"org.gnome.ScreenSaver.ActiveChanged", nil, false},
		{"org.gnome.ScreenSaver.ActiveChanged", []any{"yes"}, false},
	} {
		if got := locksSession(&dbus.Signal{Name: c.name, Body: c.body}); got != c.want {
			t.Errorf("%s%v: %v, want %v", c.name, c.body, got, c.want)
		}
	}
}
