package ui

import (
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"authdeck/vault"
)

// TestEndToEndScreenArea runs the real binary on an X screen that shows two
// QR codes side by side. From the add dialog, reached with the keyboard,
// Screen area shows the screen dimmed (a screenshot during the drag: the
// area dragged is bright, the rest dimmed); a real mouse drag around the
// left code fills the form with its account only, which Enter adds. Then,
// in the dark theme, Escape on the picker brings the window back and
// changes nothing.
func TestEndToEndScreenArea(t *testing.T) {
	tmp, bin, ntp := startEndToEnd(t, "display")

	// The codes, in a window at the top left of the screen: Mastodon's
	// centred at (300, 300), the Bank's at (900, 300).
	codes := filepath.Join(tmp, "codes.png")
	if err := os.WriteFile(codes, pngBytes(t, twoCodesShot(t, 1200, 600)), 0o644); err != nil {
		t.Fatal(err)
	}
	viewer := exec.Command("display", "-geometry", "+0+0", "-title", "two codes", codes)
	if err := viewer.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { viewer.Process.Kill(); viewer.Wait() })
	waitForWindow(t, "two codes", 30*time.Second)

	for _, theme := range []string{"light", "dark"} {
		home := filepath.Join(tmp, theme)
		if _, err := vault.NewStore(home, vault.Options{}).Update(func(v *vault.Vault) error {
			v.Prefs.Theme, v.Prefs.ClockServer = theme, ntp.Addr
			_, err := v.Apply(v.Plan([]vault.Account{{Issuer: "GitHub", Name: "alice", Secret: []byte("0123456789")}}),
				vault.RefuseConflicts, time.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		app, _ := startApp(t, bin, home)
		wid := waitForWindow(t, "^Authdeck$", 30*time.Second)
		time.Sleep(time.Second) // the first frames

		// Ctrl+N opens the add dialog with the link field focused; the
		// button before it is Screen area.
		xdotool(t, "windowfocus", "--sync", wid)
		xdotool(t, "key", "ctrl+n")
		time.Sleep(2 * time.Second) // the dialog, on a busy machine
		xdotool(t, "key", "shift+Tab", "space")
		picker := waitForWindow(t, "pick the area", 30*time.Second)
		time.Sleep(time.Second) // drawn

		if theme == "dark" {
			shot := screenshot(t, tmp, theme+"-picker.png")
			xdotool(t, "windowfocus", "--sync", picker)
			xdotool(t, "key", "Escape")
			waitForWindow(t, "^Authdeck$", 30*time.Second)
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
				out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "pick the area").Output()
				if len(out) == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("Escape left the picker open")
				}
			}
			if got := savedIn(t, home); !slices.Equal(got, []string{"GitHub"}) {
				t.Errorf("after Escape the vault holds %q", got)
			}
			if dimmed := shot.At(600, 100); bright(dimmed) > 0x9000 {
				t.Errorf("the picker does not dim the screen: %v", dimmed)
			}
			app.Process.Kill()
			app.Wait()
			continue
		}

		// Drag around the left code; look at the screen before letting go.
		xdotool(t, "mousemove", "150", "150", "mousedown", "1", "sleep", "0.2",
			"mousemove", "300", "300", "sleep", "0.2", "mousemove", "450", "450", "sleep", "0.5")
		shot := screenshot(t, tmp, theme+"-drag.png")
		xdotool(t, "mouseup", "1")
		// Inside the area the grey is as it is (200), outside it is dimmed.
		if in, out := bright(shot.At(170, 170)), bright(shot.At(600, 170)); in < 0xb000 || out > 0x9000 {
			t.Errorf("during the drag, inside the area %04x, outside %04x: want bright inside, dimmed outside", in, out)
		}

		// The form holds the left code's account: Tab past the four scan
		// buttons to the link field, where Enter adds it.
		waitForWindow(t, "^Authdeck$", 30*time.Second)
		time.Sleep(2 * time.Second) // the area read, on a busy machine
		xdotool(t, "windowfocus", "--sync", wid)
		xdotool(t, "key", "Tab", "Tab", "Tab", "Tab", "Tab", "Return")
		var got []string
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			if got = savedIn(t, home); len(got) > 1 {
				break
			}
		}
		if !slices.Equal(got, []string{"GitHub", "Mastodon"}) {
			t.Errorf("after picking the left code's area the vault holds %q, want GitHub and Mastodon only", got)
		}
		app.Process.Kill()
		app.Wait()
	}
}

// xdotool runs xdotool with args.
func xdotool(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
		t.Fatalf("xdotool %q: %v\n%s", args, err, out)
	}
}

// screenshot takes a picture of the whole X screen into dir/name, and into
// $AUTHDECK_KEEP_SHOT_DIR when that is set, to look at.
func screenshot(t *testing.T, dir, name string) image.Image {
	t.Helper()
	path := filepath.Join(dir, name)
	if out, err := exec.Command("import", "-window", "root", path).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if keep := os.Getenv("AUTHDECK_KEEP_SHOT_DIR"); keep != "" {
		data, _ := os.ReadFile(path)
		os.WriteFile(filepath.Join(keep, name), data, 0o644)
	}
	return readPNG(t, path)
}

// bright returns the green of c, which tells grey from dimmed grey.
func bright(c color.Color) uint32 {
	_, g, _, _ := c.RGBA()
	return g
}
