package vault

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"authdeck/internal/testenv"
)

// fakeTimedated answers org.freedesktop.DBus.Properties.Get for timedated's
// NTPSynchronized with value.
type fakeTimedated struct{ value any }

func (f fakeTimedated) Get(iface, prop string) (dbus.Variant, *dbus.Error) {
	if iface != "org.freedesktop.timedate1" || prop != "NTPSynchronized" {
		return dbus.Variant{}, dbus.MakeFailedError(errors.New("no such property"))
	}
	return dbus.MakeVariant(f.value), nil
}

// TestTimedatedSync reads NTPSynchronized from a timedated stand-in on the
// session bus (the system bus's timedated is not the tests' to set).
func TestTimedatedSync(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		testenv.Missing(t, "a D-Bus session bus (scripts/session starts one)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, tt := range []struct {
		value any
		want  SyncState
		err   bool
	}{
		{true, Synchronized, false},
		{false, NotSynchronized, false},
		{"yes", SyncUnknown, true},
	} {
		server, err := dbus.ConnectSessionBus()
		if err != nil {
			t.Fatal(err)
		}
		if err := server.Export(fakeTimedated{tt.value}, "/org/freedesktop/timedate1", "org.freedesktop.DBus.Properties"); err != nil {
			t.Fatal(err)
		}
		if reply, err := server.RequestName("org.freedesktop.timedate1", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
			t.Fatalf("cannot own timedated's name on the session bus: %v, %v", reply, err)
		}
		client, err := dbus.ConnectSessionBus()
		if err != nil {
			t.Fatal(err)
		}
		got, err := timedatedSync(ctx, client)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("NTPSynchronized %v: %v, %v; want %v", tt.value, got, err, tt.want)
		}
		client.Close()
		server.Close()
	}
	// Nobody answering is an error, and unknown.
	client, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if got, err := timedatedSync(ctx, client); got != SyncUnknown || err == nil {
		t.Errorf("no timedated: %v, %v", got, err)
	}
}
