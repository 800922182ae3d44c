package ui

import (
	"fmt"
	"image"
	"os"
	"os/exec"
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
	s.items <- string(sender)
	return nil
}

func (s *standInWatcher) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

// TestEndToEndLockAndTray runs the real binary beside a stand-in tray host
// on the real session bus. It checks that Authdeck's icon registers as a
// StatusNotifierItem whose menu offers Hide, Lock and Quit; that the
// screensaver's ActiveChanged(true) on the session bus locks the window
// (screenshots: nothing drawn where the tiles and codes were; the tray menu
// down to Unlock and Quit); and that typing the app passphrase into the
// unlock field opens it again.
func TestEndToEndLockAndTray(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	testenv.Display(t)
	testenv.SessionBus(t)
	testenv.Tool(t, "import", "imagemagick")
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
	hash, err := vault.HashLockPassphrase("open sesame")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vault.NewStore(home, vault.Options{}).Update(func(v *vault.Vault) error {
		v.Prefs.Theme, v.Prefs.LockHash = "light", hash
		var in []vault.Account
		for i := range 5 {
			in = append(in, vault.Account{Issuer: fmt.Sprintf("Issuer %d", i), Name: "me",
				Secret: []byte(fmt.Sprintf("secret-%02d-0123456789", i))})
		}
		_, err := v.Apply(v.Plan(in), vault.RefuseConflicts, time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	startApp(t, bin, home)
	wid := waitForWindow(t, "^Authdeck$", 30*time.Second)
	var item string
	select {
	case item = <-watcher.items:
	case <-time.After(15 * time.Second):
		t.Fatal("no StatusNotifierItem registered with the tray host")
	}
	if got := waitForTrayMenu(t, bus, item, "Lock"); !slices.Contains(got, "Hide") || !slices.Contains(got, "Quit") {
		t.Errorf("the tray menu is %q, want Hide, Lock and Quit", got)
	}
	shot := func(name string) image.Image {
		t.Helper()
		time.Sleep(1500 * time.Millisecond) // the frames after a change
		path := filepath.Join(tmp, name+".png")
		if out, err := exec.Command("import", "-window", wid, path).CombinedOutput(); err != nil {
			t.Fatalf("import: %v\n%s", err, out)
		}
		if dir := os.Getenv("AUTHDECK_KEEP_SHOT"); dir != "" {
			data, _ := os.ReadFile(path)
			os.WriteFile(filepath.Join(filepath.Dir(dir), "lock-"+name+".png"), data, 0o644)
		}
		return readPNG(t, path)
	}
	// On a busy machine a change takes a while to show: shotUntil looks
	// again until ok holds, for up to 20 s, and returns the last look.
	shotUntil := func(name string, ok func(image.Image) bool) image.Image {
		t.Helper()
		img := shot(name)
		for deadline := time.Now().Add(20 * time.Second); !ok(img) && time.Now().Before(deadline); {
			img = shot(name)
		}
		return img
	}
	fiveTiles := func(img image.Image) bool { return avatarRows(img) >= 5 }
	open := shotUntil("open", fiveTiles)
	if n := avatarRows(open); n < 5 {
		t.Fatalf("before the lock the window shows %d tiles, want 5", n)
	}
	if inked(open) == 0 {
		t.Fatal("the tile area is blank before the lock: the check below would prove nothing")
	}

	if err := bus.Emit("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", true); err != nil {
		t.Fatal(err)
	}
	locked := shotUntil("locked", func(img image.Image) bool { return inked(img) == 0 })
	if n := inked(locked); n != 0 {
		t.Errorf("locked, %d pixels are drawn where the tiles and their codes were", n)
	}

	if got := waitForTrayMenu(t, bus, item, "Unlock"); !slices.Equal(got, []string{"Unlock", "", "Quit"}) {
		t.Errorf("locked, the tray menu is %q, want Unlock and Quit", got)
	}

	for _, args := range [][]string{{"windowfocus", "--sync", wid}, {"type", "--delay", "30", "open sesame"}, {"key", "Return"}} {
		if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v\n%s", args, err, out)
		}
	}
	if n := avatarRows(shotUntil("unlocked", fiveTiles)); n < 5 {
		t.Errorf("after the app passphrase the window shows %d tiles, want 5", n)
	}
}

// inked counts the pixels in the tile area, the first 180 pixels below the
// toolbar, that differ from the window's background.
func inked(img image.Image) int {
	b := img.Bounds()
	bg := img.At(b.Min.X+2, b.Min.Y+120)
	n := 0
	for y := b.Min.Y + 50; y < b.Min.Y+230; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.At(x, y) != bg {
				n++
			}
		}
	}
	return n
}

// waitForTrayMenu reads the menu of the tray item of sender as a tray host
// does (com.canonical.dbusmenu) until it holds want, and returns its labels
// ("" for a separator).
func waitForTrayMenu(t *testing.T, bus *dbus.Conn, sender, want string) []string {
	t.Helper()
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
					l, _ := props["label"].Value().(string)
					labels = append(labels, l)
				}
			}
		}
		if slices.Contains(labels, want) {
			break
		}
	}
	return labels
}
