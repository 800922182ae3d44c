package ui

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"authdeck/internal/testenv"
	"authdeck/vault"
)

// standInWatcher plays the tray host's StatusNotifierWatcher and reports the
// items that register with it.
type standInWatcher struct{ items chan string }

func (s *standInWatcher) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	s.items <- string(sender) + service
	return nil
}

func (s *standInWatcher) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

// TestEndToEndTrayRegisters runs the real binary beside a stand-in tray host
// on the real session bus, and checks that Authdeck's icon registers as a
// StatusNotifierItem whose menu offers Hide, Lock and Quit.
func TestEndToEndTrayRegisters(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	testenv.Display(t)
	testenv.SessionBus(t)
	testenv.Tool(t, "xdotool", "xdotool")
	waitForXServer(t, 30*time.Second)
	bus, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	watcher := &standInWatcher{items: make(chan string, 4)}
	if err := bus.Export(watcher, "/StatusNotifierWatcher", statusNotifierWatcher); err != nil {
		t.Fatal(err)
	}
	if r, err := bus.RequestName(statusNotifierWatcher, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("cannot stand in for the tray host: %v %v", r, err)
	}
	defer bus.ReleaseName(statusNotifierWatcher)

	tmp := t.TempDir()
	bin := buildApp(t, tmp)
	home := filepath.Join(tmp, "home")
	if _, err := vault.NewStore(home, vault.Options{}).Update(func(v *vault.Vault) error { return nil }); err != nil {
		t.Fatal(err)
	}
	startApp(t, bin, home)
	waitForWindow(t, "^Authdeck$", 30*time.Second)
	var item string
	select {
	case item = <-watcher.items:
	case <-time.After(15 * time.Second):
		t.Fatal("no StatusNotifierItem registered with the tray host")
	}
	// The item's menu, as the tray host reads it (com.canonical.dbusmenu).
	sender := item[:len(item)-len("/StatusNotifierItem")]
	var labels []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		var rev uint32
		var layout struct {
			ID       int32
			Props    map[string]dbus.Variant
			Children []dbus.Variant
		}
		if err := bus.Object(sender, "/StatusNotifierItem/menu").Call("com.canonical.dbusmenu.GetLayout", 0,
			int32(0), int32(-1), []string{}).Store(&rev, &layout); err != nil {
			t.Fatalf("reading the tray menu: %v", err)
		}
		labels = labels[:0]
		for _, c := range layout.Children {
			if child, ok := c.Value().([]any); ok && len(child) == 3 {
				if props, ok := child[1].(map[string]dbus.Variant); ok {
					if l, ok := props["label"].Value().(string); ok {
						labels = append(labels, l)
					}
				}
			}
		}
		if slices.Contains(labels, "Lock") {
			break
		}
	}
	for _, want := range []string{"Hide", "Lock", "Quit"} {
		if !slices.Contains(labels, want) {
			t.Errorf("the tray menu %q has no %q", labels, want)
		}
	}
}
