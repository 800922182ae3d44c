// Package testenv lets Authdeck's tests say what they need from the machine: a
// plain go test skips a test whose component is missing, while make test
// (scripts/session, which sets AUTHDECK_IN_SESSION) fails it, naming what is
// missing, so that a green run cannot hide a test that never ran.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Strict reports whether the tests run under make test, where nothing may be
// skipped for want of a component.
func Strict() bool { return os.Getenv("AUTHDECK_IN_SESSION") != "" }

// Missing ends the test because something it needs is not here: a failure
// under make test, a skip otherwise.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if Strict() {
		t.Fatalf("missing: %s", msg)
	}
	t.Skipf("skipped, %s (make test fails here instead)", msg)
}

// Tool returns the path of the named command, or ends the test with
// [Missing], naming the Debian package that has it.
func Tool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "the %s command (Debian package %s)", name, pkg)
	}
	return p
}

// Display ends the test with [Missing] unless an X display is set.
func Display(t testing.TB) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		Missing(t, "an X display (DISPLAY is unset; scripts/session starts Xvfb)")
	}
}

// SecretService ends the test with [Missing] unless a D-Bus session (where
// scripts/session runs an unlocked gnome-keyring) is there.
func SecretService(t testing.TB) {
	t.Helper()
	if runtime.GOOS == "linux" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		Missing(t, "a Secret Service (no D-Bus session; scripts/session starts gnome-keyring)")
	}
}

// SessionBus ends the test with [Missing] unless a D-Bus session bus is
// there (scripts/session starts one).
func SessionBus(t testing.TB) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		Missing(t, "a D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset; scripts/session starts one)")
	}
}

// Fixtures returns the folder of other apps' files beside the repository,
// shared/fixtures/NAME, or ends the test with [Missing].
func Fixtures(t testing.TB, name string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "fixtures", name)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		Missing(t, "the fixtures folder %s (it lives beside the repository, in shared/fixtures)", dir)
	}
	return dir
}
