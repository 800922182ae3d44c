package vault

import (
	"context"
	"fmt"

	"github.com/godbus/dbus/v5"
)

// SystemClockSync asks systemd's timedated, over the system bus, whether the
// system keeps its clock synchronised (its NTPSynchronized property).
func SystemClockSync(ctx context.Context) (SyncState, error) {
	conn, err := dbus.ConnectSystemBus(dbus.WithContext(ctx))
	if err != nil {
		return SyncUnknown, fmt.Errorf("cannot reach the system bus: %w", err)
	}
	defer conn.Close()
	return timedatedSync(ctx, conn)
}

// timedatedSync reads timedated's NTPSynchronized on conn.
func timedatedSync(ctx context.Context, conn *dbus.Conn) (SyncState, error) {
	var v dbus.Variant
	err := conn.Object("org.freedesktop.timedate1", "/org/freedesktop/timedate1").
		CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0, "org.freedesktop.timedate1", "NTPSynchronized").Store(&v)
	if err != nil {
		return SyncUnknown, fmt.Errorf("timedated does not answer: %w", err)
	}
	synced, ok := v.Value().(bool)
	switch {
	case !ok:
		return SyncUnknown, fmt.Errorf("timedated's NTPSynchronized is a %s, not a boolean", v.Signature())
	case synced:
		return Synchronized, nil
	}
	return NotSynchronized, nil
}
