package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/godbus/dbus/v5"

	"authdeck/internal/testenv"
)

// TestScreensaverLocks sends the screensaver's ActiveChanged signals on the
// real session bus, as GNOME, KDE and xscreensaver's bridges do.
func TestScreensaverLocks(t *testing.T) {
	testenv.SessionBus(t)
	locked := make(chan struct{}, 4)
	stop := watchSessionLock(func() { locked <- struct{}{} })
	defer stop()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	emit := func(iface string, on bool) {
		if err := conn.Emit("/org/freedesktop/ScreenSaver", iface+".ActiveChanged", on); err != nil {
			t.Fatal(err)
		}
	}
	emit("org.freedesktop.ScreenSaver", false)
	select {
	case <-locked:
		t.Fatal("the screensaver stopping locked the window")
	case <-time.After(300 * time.Millisecond):
	}
	for _, iface := range screensavers {
		emit(iface, true)
		select {
		case <-locked:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s.ActiveChanged(true) did not lock", iface)
		}
	}
}

func TestLocksSession(t *testing.T) {
	for _, c := range []struct {
		name string
		body []any
		want bool
	}{
		{"org.freedesktop.login1.Session.Lock", nil, true},
		{"org.freedesktop.login1.Session.Unlock", nil, false},
		{"org.freedesktop.login1.Manager.PrepareForSleep", []any{true}, true},
		{"org.freedesktop.login1.Manager.PrepareForSleep", []any{false}, false},
		{"org.gnome.ScreenSaver.ActiveChanged", []any{true}, true},
		{"org.gnome.ScreenSaver.ActiveChanged", nil, false},
		{"org.gnome.ScreenSaver.ActiveChanged", []any{"yes"}, false},
	} {
		if got := locksSession(&dbus.Signal{Name: c.name, Body: c.body}); got != c.want {
			t.Errorf("%s%v: %v, want %v", c.name, c.body, got, c.want)
		}
	}
}

func TestResumes(t *testing.T) {
	for _, c := range []struct {
		name string
		body []any
		want bool
	}{
		{"org.freedesktop.login1.Manager.PrepareForSleep", []any{false}, true},
		{"org.freedesktop.login1.Manager.PrepareForSleep", []any{true}, false},
		{"org.freedesktop.login1.Manager.PrepareForSleep", []any{"no"}, false},
		{"org.freedesktop.login1.Manager.PrepareForSleep", nil, false},
		{"org.gnome.ScreenSaver.ActiveChanged", []any{false}, false},
	} {
		if got := resumes(&dbus.Signal{Name: c.name, Body: c.body}); got != c.want {
			t.Errorf("%s%v: %v, want %v", c.name, c.body, got, c.want)
		}
	}
}

const (
	login1        = "org.freedesktop.login1"
	login1Path    = "/org/freedesktop/login1"
	standInSeated = "/org/freedesktop/login1/session/_31"
)

// standInLogind plays logind's Manager on the test's system bus: it owns
// org.freedesktop.login1 and says that every process is in standInSeated.
type standInLogind struct{ conn *dbus.Conn }

func (standInLogind) GetSessionByPID(uint32) (dbus.ObjectPath, *dbus.Error) {
	return standInSeated, nil
}

func startStandInLogind(t *testing.T) standInLogind {
	t.Helper()
	bus := testenv.SystemBus(t)
	l := standInLogind{conn: bus}
	if err := bus.Export(l, login1Path, login1+".Manager"); err != nil {
		t.Fatal(err)
	}
	if r, err := bus.RequestName(login1, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning %s on the test's system bus: %v, %v", login1, r, err)
	}
	return l
}

func (l standInLogind) emit(t *testing.T, path dbus.ObjectPath, name string, body ...any) {
	t.Helper()
	if err := l.conn.Emit(path, name, body...); err != nil {
		t.Fatal(err)
	}
}

// TestLogindLocksAndResumes sends logind's signals from a stand-in that owns
// org.freedesktop.login1 on a private system bus: this session's Lock and
// PrepareForSleep(true) lock, PrepareForSleep(false) is the resume; another
// session's Lock, and a Lock sent by a program that is not logind, do not.
func TestLogindLocksAndResumes(t *testing.T) {
	login := startStandInLogind(t)
	got := make(chan string, 8)
	defer watchSessionLock(func() { got <- "lock" })()
	defer watchResume(func() { got <- "resume" })()
	expect := func(what string, want string) {
		t.Helper()
		select {
		case g := <-got:
			if g != want {
				t.Fatalf("%s: %s, want %s", what, g, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: nothing happened", what)
		}
	}
	nothing := func(what string) {
		t.Helper()
		select {
		case g := <-got:
			t.Fatalf("%s: %s", what, g)
		case <-time.After(300 * time.Millisecond):
		}
	}

	login.emit(t, "/org/freedesktop/login1/session/_32", login1+".Session.Lock")
	nothing("another session's Lock")
	impostor, err := dbus.ConnectSystemBus()
	if err != nil {
		t.Fatal(err)
	}
	defer impostor.Close()
	if err := impostor.Emit(standInSeated, login1+".Session.Lock"); err != nil {
		t.Fatal(err)
	}
	nothing("a Lock that logind did not send")

	login.emit(t, standInSeated, login1+".Session.Lock")
	expect("this session's Lock", "lock")
	login.emit(t, login1Path, login1+".Manager.PrepareForSleep", true)
	expect("PrepareForSleep(true)", "lock")
	login.emit(t, login1Path, login1+".Manager.PrepareForSleep", false)
	expect("PrepareForSleep(false)", "resume")
	nothing("PrepareForSleep(false) but the resume")
}

// TestLogindLockLocksTheWindow: logind's Lock for this session, on the
// system bus, locks a window as the running app wires it.
func TestLogindLockLocksTheWindow(t *testing.T) {
	login := startStandInLogind(t)
	w := newTestWindow(t, testURIs...)
	done := make(chan struct{}, 4)
	// The test driver runs fyne.Do on the caller's goroutine: the test
	// waits on done meanwhile, so nothing touches the window at once.
	defer watchSessionLock(func() { fyne.Do(w.lockNow); done <- struct{}{} })()
	login.emit(t, standInSeated, login1+".Session.Lock")
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("logind's Lock did not lock the window")
	}
	assertLocked(t, w)
}

// TestResumeChecksTheClock: logind's PrepareForSleep(false) makes the
// window ask the time server at once, with no jump of the clocks to notice
// (the monotonic clock of the test does not move), and draw every tile for
// the time now.
func TestResumeChecksTheClock(t *testing.T) {
	login := startStandInLogind(t)
	w, srv, _ := clockWindow(t, 42*time.Second)
	w.tick(w.codeTime(w.now())) // the first tick checks
	if !strings.Contains(w.banner.text.Text, "42 s behind") {
		t.Fatalf("the first check: %q", w.banner.text.Text)
	}
	// While the computer slept, the clock fell further behind.
	srv.SetOffset(90 * time.Second)
	w.tick(w.codeTime(w.now()))
	if strings.Contains(w.banner.text.Text, "90 s") {
		t.Fatal("a tick checked the clock again without a resume")
	}
	for _, tl := range w.tiles {
		tl.code, tl.codeText.Text = "stale", "stale" // drawn before the sleep
	}
	done := make(chan struct{}, 4)
	defer watchResume(func() { fyne.Do(w.clockw.resumed); done <- struct{}{} })()
	login.emit(t, login1Path, login1+".Manager.PrepareForSleep", false)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the resume signal did not arrive")
	}
	if !strings.Contains(w.banner.text.Text, "90 s behind") {
		t.Errorf("after the resume the banner says %q; the clock was not checked at once", w.banner.text.Text)
	}
	tl := tileAt(t, w, 0)
	want, _ := w.v.Accounts[0].Code(time.Now())
	if got := strings.ReplaceAll(tl.codeText.Text, " ", ""); got != want {
		t.Errorf("after the resume the first tile shows %q, want %s", got, want)
	}
}
