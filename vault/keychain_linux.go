package vault

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// keychainReachable reports, without starting anything, whether the Secret
// Service can be reached at all: it lives on the D-Bus session bus, and
// without one the D-Bus library would launch a bus of its own for every call,
// which stays behind and then cannot unlock the keyring.
func keychainReachable() error {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	for _, dir := range runtimeDirs() {
		if dir == "" {
			continue
		}
		for _, name := range []string{"bus", "dbus-session"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				return nil
			}
		}
	}
	return fmt.Errorf("%w (DBUS_SESSION_BUS_ADDRESS is not set, and no session bus is in the runtime folder)", ErrNoDBus)
}

// runtimeDirs are where a session bus's socket or address file may be, as the
// D-Bus library looks for them. Tests replace it.
var runtimeDirs = func() []string {
	return []string{"/run/user/" + strconv.Itoa(os.Getuid()), os.Getenv("XDG_RUNTIME_DIR")}
}
