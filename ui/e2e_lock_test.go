package ui

import (
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"authdeck/internal/testenv"
	"authdeck/vault"
)

// TestEndToEndScreensaverLocks runs the real binary, sends the screensaver's
// ActiveChanged(true) on the real session bus, and checks in screenshots that
// the window locked (no tile, nothing drawn where the codes were) and that
// typing the app passphrase into the unlock field opens it again.
func TestEndToEndScreensaverLocks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	testenv.Display(t)
	testenv.SessionBus(t)
	testenv.Tool(t, "import", "imagemagick")
	testenv.Tool(t, "xdotool", "xdotool")
	waitForXServer(t, 30*time.Second)
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
	open := shot("open")
	if n := avatarRows(open); n < 5 {
		t.Fatalf("before the lock the window shows %d tiles, want 5", n)
	}
	if inked(open) == 0 {
		t.Fatal("the tile area is blank before the lock: the check below would prove nothing")
	}

	bus, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	if err := bus.Emit("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", true); err != nil {
		t.Fatal(err)
	}
	locked := shot("locked")
	if n := inked(locked); n != 0 {
		t.Errorf("locked, %d pixels are drawn where the tiles and their codes were", n)
	}

	for _, args := range [][]string{{"windowfocus", "--sync", wid}, {"type", "--delay", "30", "open sesame"}, {"key", "Return"}} {
		if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v\n%s", args, err, out)
		}
	}
	if n := avatarRows(shot("unlocked")); n < 5 {
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
