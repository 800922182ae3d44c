package ui

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"authdeck/internal/ntptest"
	"authdeck/internal/testenv"
	"authdeck/vault"
)

// waitForXServer waits until the X server of DISPLAY accepts connections:
// on a loaded machine a just-started Xvfb may still refuse them, and the app
// then cannot open its window.
func waitForXServer(t *testing.T, limit time.Duration) {
	t.Helper()
	var err error
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if err = displayReady(); err == nil {
			return
		}
	}
	t.Fatalf("the X server on %s accepts no connection: %v", os.Getenv("DISPLAY"), err)
}

// TestEndToEnd builds the real binary, opens it on a vault of 20 accounts under
// the current X display, takes a screenshot and checks that the tiles are
// drawn; then it checks that a second start raises the first instead of
// opening the vault twice, and that a start without a display says so in one
// line.
func TestEndToEnd(t *testing.T) {
	tmp, bin, ntp := startEndToEnd(t)
	home := filepath.Join(tmp, "home")
	var in []vault.Account
	for i := range 20 {
		in = append(in, vault.Account{
			Issuer: fmt.Sprintf("Issuer %c%d", 'A'+i, i), Name: fmt.Sprintf("user%d@example.com", i),
			Secret: []byte(fmt.Sprintf("secret-%02d-0123456789", i)),
		})
	}
	if _, err := vault.NewStore(home, vault.Options{}).Update(func(v *vault.Vault) error {
		// The light theme, set before the window exists: every widget built
		// before it is applied must take its colours.
		v.Prefs.Theme = "light"
		v.Prefs.ClockServer = ntp.Addr
		_, err := v.Apply(v.Plan(in), vault.RefuseConflicts, time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}

	app, appOut := startApp(t, bin, home)
	wid := waitForWindow(t, "^Authdeck$", 30*time.Second)
	// The first frames; on a busy machine the tiles take a while to come.
	shot := filepath.Join(tmp, "shot.png")
	var img image.Image
	for deadline := time.Now().Add(20 * time.Second); img == nil || avatarRows(img) < 5 && time.Now().Before(deadline); {
		time.Sleep(1500 * time.Millisecond)
		if out, err := exec.Command("import", "-window", wid, shot).CombinedOutput(); err != nil {
			t.Fatalf("import: %v\n%s", err, out)
		}
		img = readPNG(t, shot)
	}
	if n := avatarRows(img); n < 5 {
		t.Errorf("the screenshot shows %d tile avatars, want at least 5 of 20 accounts (app output: %s)", n, appOut.String())
	}
	// Inside the search field, right of its placeholder text.
	if r, g, b, _ := img.At(img.Bounds().Min.X+260, img.Bounds().Min.Y+22).RGBA(); r+g+b < 3*0xa000 {
		t.Errorf("in the light theme the search field is dark (%04x %04x %04x): it kept the colours it was built with", r, g, b)
	}
	if os.Getenv("AUTHDECK_KEEP_SHOT") != "" {
		data, _ := os.ReadFile(shot)
		os.WriteFile(os.Getenv("AUTHDECK_KEEP_SHOT"), data, 0o644)
	}

	// A real mouse drag of the first tile down over the third reorders the
	// vault, through the desktop driver's own drag events.
	drag := exec.Command("xdotool", "mousemove", "--window", wid, "150", "80", "mousedown", "1",
		"sleep", "0.2", "mousemove", "--window", wid, "150", "120",
		"sleep", "0.1", "mousemove", "--window", wid, "150", "200",
		"sleep", "0.1", "mousemove", "--window", wid, "150", "245",
		"sleep", "0.3", "mouseup", "1")
	if out, err := drag.CombinedOutput(); err != nil {
		t.Fatalf("xdotool drag: %v\n%s", err, out)
	}
	want := []string{"Issuer B1", "Issuer C2", "Issuer A0", "Issuer D3"}
	var got []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		v, err := vault.NewStore(home, vault.Options{}).Load()
		if err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, a := range v.Accounts[:4] {
			got = append(got, a.Issuer)
		}
		if slices.Equal(got, want) {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("after dragging the first tile onto the third, the vault starts %q, want %q", got, want)
	}

	// A second start brings the first window forward and exits.
	second := exec.Command(bin)
	second.Env = app.Env
	out, err := second.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "already running") {
		t.Errorf("second start: %v, %q; want exit 0 saying Authdeck is already running", err, out)
	}
	if app.ProcessState != nil {
		t.Error("the first window closed")
	}

	// Without a display: one clear line pointing to the command line.
	nodisp := exec.Command(bin)
	nodisp.Env = append(os.Environ(), "AUTHDECK_HOME="+filepath.Join(tmp, "other"), "DISPLAY=", "WAYLAND_DISPLAY=")
	out, err = nodisp.CombinedOutput()
	if err == nil || strings.Count(strings.TrimSpace(string(out)), "\n") != 0 || !strings.Contains(string(out), "authdeck --help") {
		t.Errorf("start without a display: %v, %q; want exit 1 and one line pointing to authdeck --help", err, out)
	}
	// With a display that does not answer: the same, not a stack trace.
	nodisp = exec.Command(bin)
	nodisp.Env = append(os.Environ(), "AUTHDECK_HOME="+filepath.Join(tmp, "other"), "DISPLAY=:1999")
	out, err = nodisp.CombinedOutput()
	if err == nil || strings.Count(strings.TrimSpace(string(out)), "\n") != 0 || !strings.Contains(string(out), "authdeck --help") {
		t.Errorf("start on a dead display: %v, %q; want exit 1 and one line pointing to authdeck --help", err, out)
	}
	// On an X server without OpenGL (no GLX), where the driver makes no
	// window: the same, not a process that waits for ever.
	nogl := startXvfb(t, "-extension", "GLX")
	nodisp = exec.Command(bin)
	nodisp.Env = append(os.Environ(), "AUTHDECK_HOME="+filepath.Join(tmp, "other"), "DISPLAY="+nogl)
	done := make(chan struct{})
	time.AfterFunc(2*startLimit, func() {
		select {
		case <-done:
		default:
			nodisp.Process.Kill()
		}
	})
	out, err = nodisp.CombinedOutput()
	close(done)
	if lines := strings.Split(strings.TrimSpace(string(out)), "\n"); err == nil ||
		!strings.HasPrefix(lines[len(lines)-1], "authdeck: cannot open the window") || strings.Contains(string(out), "goroutine") {
		t.Errorf("start on a display without OpenGL: %v, %q; want exit 1 ending in one line pointing to authdeck --help", err, out)
	}
}

// startXvfb starts an X server of its own with extra arguments, on a display
// it picks, until the test ends, and returns its DISPLAY.
func startXvfb(t *testing.T, args ...string) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	x := exec.Command("Xvfb", append([]string{"-displayfd", "3", "-nolisten", "tcp"}, args...)...)
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatalf("Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() { x.Process.Kill(); x.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	if err != nil {
		t.Fatalf("Xvfb gave no display: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}

// startEndToEnd does what an end-to-end test starts with: it checks for the
// display and the tools (xdotool, imagemagick's import and those named),
// waits until the X server takes clients, builds the real binary into a
// temporary folder and starts a time server on this machine that finds the
// clock right (the window checks the clock at start, and a banner would move
// the tiles). It returns the folder, the binary and the time server.
func startEndToEnd(t *testing.T, tools ...string) (tmp, bin string, ntp *ntptest.Server) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	testenv.Display(t)
	testenv.Tool(t, "import", "imagemagick")
	testenv.Tool(t, "xdotool", "xdotool")
	for _, tool := range tools {
		testenv.Tool(t, tool, "imagemagick")
	}
	waitForXServer(t, 30*time.Second)
	tmp = t.TempDir()
	bin = buildApp(t, tmp)
	ntp, err := ntptest.Start(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ntp.Close() })
	return tmp, bin, ntp
}

// buildApp builds the real binary into dir and returns its path.
func buildApp(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "authdeck")
	build := exec.Command("go", "build", "-tags", "migrated_fynedo,no_emoji", "-o", bin, ".") // as the Makefile builds it
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startApp starts the binary bin on the vault in home, and ends it when the
// test does; a test that failed logs what the app wrote, with a stack dump of
// every goroutine, which says where a hung app waits.
func startApp(t *testing.T, bin, home string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	app := exec.Command(bin)
	app.Env = append(os.Environ(), "AUTHDECK_HOME="+home)
	var out bytes.Buffer
	app.Stdout, app.Stderr = &out, &out
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			app.Process.Signal(syscall.SIGQUIT)
			time.Sleep(time.Second)
			t.Logf("the app's output:\n%s", out.String())
		}
		app.Process.Kill()
		app.Wait()
	})
	return app, &out
}

// waitForWindow returns the X window ID of the window whose name matches.
func waitForWindow(t *testing.T, name string, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		out, err := exec.Command("xdotool", "search", "--onlyvisible", "--name", name).Output()
		if ids := strings.Fields(string(out)); err == nil && len(ids) > 0 {
			return ids[0]
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no window %q after %v", name, timeout)
	return ""
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// avatarRows counts the runs of avatar colour down the column where the
// tiles' avatars are: one per tile on screen.
func avatarRows(img image.Image) int {
	b := img.Bounds()
	x := b.Min.X + 8 + avatarSize/2 + 4
	runs, in := 0, false
	for y := b.Min.Y; y < b.Max.Y; y++ {
		on := saturated(img.At(x, y))
		if on && !in {
			runs++
		}
		in = on
	}
	return runs
}

// saturated reports whether c is a strong colour, like the avatars and unlike
// the greys of the background, tiles and text.
func saturated(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	hi, lo := max(r, g, b), min(r, g, b)
	return hi > 0x4000 && hi-lo > 0x2000
}
