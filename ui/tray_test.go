package ui

import (
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"authdeck/vault"
)

// fakeTray stands for Fyne's system tray and keeps the menu it was given.
type fakeTray struct {
	menu *fyne.Menu
	win  fyne.Window
}

func (f *fakeTray) SetSystemTrayMenu(m *fyne.Menu)    { f.menu = m }
func (f *fakeTray) SetSystemTrayWindow(w fyne.Window) { f.win = w }

// labels returns the labels of the menu's items, "-" for a separator.
func (f *fakeTray) labels() []string {
	var out []string
	for _, it := range f.menu.Items {
		if it.IsSeparator {
			out = append(out, "-")
		} else {
			out = append(out, it.Label)
		}
	}
	return out
}

// choose runs the action of the item labelled label.
func (f *fakeTray) choose(t *testing.T, label string) {
	t.Helper()
	for _, it := range f.menu.Items {
		if it.Label == label && !it.Disabled {
			it.Action()
			return
		}
	}
	t.Fatalf("no item %q in the tray menu %q", label, f.labels())
}

func newTrayWindow(t *testing.T) (*mainWindow, *fakeTray) {
	w := newTestWindow(t, testURIs...)
	host := &fakeTray{}
	w.tray.start(host)
	return w, host
}

func TestTrayRecentCopies(t *testing.T) {
	w, host := newTrayWindow(t)
	if got, want := host.labels(), []string{"Hide", "Lock", "-", "Quit"}; !slices.Equal(got, want) {
		t.Fatalf("tray menu %q, want %q", got, want)
	}
	// Copied from the window, the accounts come into the tray, newest first.
	for _, i := range []int{0, 1, 2, 0} {
		w.onCopy(i)
	}
	want := []string{w.v.Accounts[0].Label(), w.v.Accounts[2].Label(), w.v.Accounts[1].Label(), "-", "Hide", "Lock", "-", "Quit"}
	if got := host.labels(); !slices.Equal(got, want) {
		t.Fatalf("tray menu %q, want %q", got, want)
	}
	// Choosing one copies its code, which the clipboard loses as after a click.
	w.app.Clipboard().SetContent("")
	host.choose(t, w.v.Accounts[1].Label())
	code, _ := w.v.Accounts[1].Code(testNow)
	if got := w.app.Clipboard().Content(); got != code {
		t.Fatalf("the tray copied %q, want %q", got, code)
	}
	if w.clip.code != code {
		t.Error("the clipboard guard does not know the tray's copy: it would never clear it")
	}
	if host.labels()[0] != w.v.Accounts[1].Label() {
		t.Error("the account copied from the tray is not first")
	}
}

func TestTrayFavourites(t *testing.T) {
	w, host := newTrayWindow(t)
	w.onCopy(0)
	fav := w.v.Accounts[2].ID
	if err := updateNow(w, func(v *vault.Vault) error {
		v.Accounts[v.Index(fav)].Favorite = true
		v.Accounts[3].Favorite = true // HOTP: left out
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{w.v.Accounts[2].Label(), "-", "Hide", "Lock", "-", "Quit"}
	if got := host.labels(); !slices.Equal(got, want) {
		t.Fatalf("with a favourite the tray menu is %q, want %q", got, want)
	}
}

func TestTrayHideShowLockQuit(t *testing.T) {
	w, host := newTrayWindow(t)
	if host.win != w.win {
		t.Error("the tray does not know the window to show")
	}
	// Closing the window hides it in the tray and stops the clock.
	w.onClose()
	if !w.tray.hidden || w.clock.isRunning() {
		t.Fatalf("closed: hidden %v, clock running %v", w.tray.hidden, w.clock.isRunning())
	}
	host.choose(t, "Show")
	if w.tray.hidden || !w.clock.isRunning() {
		t.Fatal("Show did not bring the window back with its clock")
	}
	host.choose(t, "Lock")
	assertLocked(t, w)
	if got, want := host.labels(), []string{"Unlock", "-", "Quit"}; !slices.Equal(got, want) {
		t.Fatalf("locked, the tray menu is %q, want %q", got, want)
	}
	host.choose(t, "Unlock")
	test.Tap(w.lock.action)
	if w.lock.locked || host.labels()[0] != "Hide" {
		t.Fatalf("after unlocking the tray menu is %q", host.labels())
	}
	if it := host.menu.Items[len(host.menu.Items)-1]; !it.IsQuit {
		t.Error("Quit is not the tray's quit item")
	}

	// Close to tray off: closing quits.
	if err := updateNow(w, func(v *vault.Vault) error { v.Prefs.TrayOff = true; return nil }); err != nil {
		t.Fatal(err)
	}
	w.onClose()
	if w.tray.hidden {
		t.Error("with close to tray off, closing hid the window instead of quitting")
	}
}

func TestWithoutTrayCloseQuits(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	w.tray.start(nil)
	w.onClose()
	if w.tray.hidden {
		t.Error("without a tray host, closing hid the window in a tray nobody shows")
	}
}

func TestStartHidden(t *testing.T) {
	w, host := newTrayWindow(t)
	w.tray.loaded = false // as at start, before the vault opened
	if err := updateNow(w, func(v *vault.Vault) error { v.Prefs.StartHidden = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if !w.tray.hidden || host.labels()[0] != "Show" {
		t.Fatalf("start hidden: hidden %v, menu %q", w.tray.hidden, host.labels())
	}
}

// brokenDriverTray is a tray host whose window cannot be made, as when GLFW
// fails to start: Fyne panics there.
type brokenDriverTray struct{}

func (brokenDriverTray) SetSystemTrayMenu(*fyne.Menu) {}
func (brokenDriverTray) SetSystemTrayWindow(fyne.Window) {
	panic("NotInitialized: The GLFW library is not initialized")
}

// A graphics driver that fails while the tray's window is made ends the
// process with one line pointing to the command line, not a stack trace.
func TestBrokenDriverSaysOneLine(t *testing.T) {
	w := newTestWindow(t)
	r, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = pw
	status := run(w, brokenDriverTray{})
	os.Stderr = stderr
	pw.Close()
	out, _ := io.ReadAll(r)
	line := strings.TrimSpace(string(out))
	if status != 1 || strings.Count(line, "\n") != 0 || !strings.Contains(line, "cannot open the window") ||
		!strings.Contains(line, "authdeck --help") {
		t.Errorf("run with a broken driver: status %d, %q; want 1 and one line pointing to authdeck --help", status, line)
	}
}
