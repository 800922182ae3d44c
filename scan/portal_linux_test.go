package scan

import (
	"context"
	"errors"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"authdeck/internal/testenv"
	"authdeck/scan/internal/corpus"
)

// standInPortal is a screenshot portal on the session bus that answers
// every request with its status and the file:// URI of shot, through the
// request object's Response signal, as xdg-desktop-portal does.
type standInPortal struct {
	conn    *dbus.Conn
	status  uint32
	shot    string
	options chan map[string]dbus.Variant
}

// Screenshot implements org.freedesktop.portal.Screenshot.Screenshot.
func (p *standInPortal) Screenshot(sender dbus.Sender, parent string, options map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	token, _ := options["handle_token"].Value().(string)
	handle := dbus.ObjectPath(portalPath + "/request/" + strings.ReplaceAll(strings.TrimPrefix(string(sender), ":"), ".", "_") + "/" + token)
	p.options <- options
	go func() {
		time.Sleep(50 * time.Millisecond) // after the reply, as the user takes a moment
		results := map[string]dbus.Variant{}
		if p.status == 0 {
			results["uri"] = dbus.MakeVariant("file://" + p.shot)
		}
		p.conn.Emit(handle, portalRequest+".Response", p.status, results)
	}()
	return handle, nil
}

// startPortal puts a stand-in portal on the session bus for the test.
func startPortal(t *testing.T, status uint32, shot string) *standInPortal {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		testenv.Missing(t, "a D-Bus session bus (run the tests under scripts/session)")
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	p := &standInPortal{conn: conn, status: status, shot: shot, options: make(chan map[string]dbus.Variant, 4)}
	if err := conn.ExportMethodTable(map[string]any{"Screenshot": p.Screenshot}, portalPath, "org.freedesktop.portal.Screenshot"); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName(portalName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("cannot own %s: %v, %v", portalName, reply, err)
	}
	return p
}

// TestScreenPortal reads the screen on Wayland without X11 through a
// stand-in portal that hands over a screenshot with a code.
func TestScreenPortal(t *testing.T) {
	img := corpus.Screenshot(newRand(), 1280, 800, false)
	corpus.Place(img, corpus.Short, 640, 400, 4, 0, color.Gray{0}, color.Gray{255})
	shot := filepath.Join(t.TempDir(), "Screenshot from the portal.png")
	if err := os.WriteFile(shot, encodePNG(t, img), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startPortal(t, 0, shot)
	t.Setenv("WAYLAND_DISPLAY", "wayland-0")
	t.Setenv("DISPLAY", "")
	texts, err := Screen()
	if err != nil || !slices.Equal(texts, []string{corpus.Short}) {
		t.Fatalf("Screen = %q, %v", texts, err)
	}
	options := <-p.options
	if v, _ := options["interactive"].Value().(bool); !v {
		t.Errorf("the request is not interactive: %v", options)
	}
}

// TestScreenPortalRefused checks that a refusal says so.
func TestScreenPortalRefused(t *testing.T) {
	startPortal(t, 1, "")
	t.Setenv("FLATPAK_ID", "io.github.authdeck")
	if _, err := Screen(); !errors.Is(err, ErrScreenRefused) {
		t.Fatalf("Screen = %v, want ErrScreenRefused", err)
	}
}

// TestScreenNoPortal checks that a desktop without a portal gives
// ErrScreenUnavailable, not a wait.
func TestScreenNoPortal(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		testenv.Missing(t, "a D-Bus session bus (run the tests under scripts/session)")
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	conn.BusObject().Call("org.freedesktop.DBus.ListActivatableNames", 0).Store(&names)
	conn.Close()
	if slices.Contains(names, portalName) {
		t.Skip("a real portal is installed on this bus")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := portalCapture(ctx); !errors.Is(err, ErrScreenUnavailable) {
		t.Fatalf("portalCapture = %v, want ErrScreenUnavailable", err)
	}
}
