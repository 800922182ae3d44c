package ui

import (
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"authdeck/internal/ntptest"
	"authdeck/vault"
)

// clockWindow is a test window whose clock checks ask a time server on this
// machine that is ahead of the true time by offset, through the real SNTP
// client; its wall clock is the true time and its monotonic clock mono.
func clockWindow(t *testing.T, offset time.Duration) (*mainWindow, *ntptest.Server, *time.Duration) {
	t.Helper()
	srv, err := ntptest.Start(offset)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	w := newTestWindow(t, testURIs...)
	w.now = time.Now
	mono := new(time.Duration)
	w.clockw.mono = func() time.Duration { return *mono }
	w.clockw.check = newClockWatch(w).check // the real check
	if err := updateNow(w, func(v *vault.Vault) error { v.Prefs.ClockServer = srv.Addr; return nil }); err != nil {
		t.Fatal(err)
	}
	return w, srv, mono
}

func TestClockBannerAndCorrection(t *testing.T) {
	w, srv, mono := clockWindow(t, 42*time.Second)
	w.tick(w.codeTime(w.now())) // the first tick checks
	b := w.banner
	if !b.content.Visible() || !strings.Contains(b.text.Text, "42 s behind") || !strings.Contains(b.text.Text, "may refuse") ||
		!strings.Contains(b.text.Text, "To fix it") {
		t.Fatalf("a clock 42 s behind: banner %v %q", b.content.Visible(), b.text.Text)
	}
	if !b.correct.Visible() || !strings.Contains(b.correct.Text, "+42 s") {
		t.Fatalf("no button to correct by +42 s: %q", b.correct.Text)
	}
	test.Tap(b.correct)
	c, err := w.sess.store.ClockCorrection()
	if err != nil || c.Offset < 41*time.Second || c.Offset > 43*time.Second {
		t.Fatalf("the correction kept beside the vault is %v, %v", c.Offset, err)
	}
	// Every tile makes its code for the corrected time, and says so.
	tl := tileAt(t, w, 0)
	want, _ := w.v.Accounts[0].Code(time.Now().Add(c.Offset))
	if got := strings.ReplaceAll(tl.codeText.Text, " ", ""); got != want {
		t.Errorf("the corrected tile shows %s, want %s", got, want)
	}
	if !strings.Contains(tl.countText.Text, "corrected +42 s") && !strings.Contains(tl.countText.Text, "next") {
		t.Errorf("the tile does not say it is corrected: %q", tl.countText.Text)
	}
	if !strings.Contains(b.text.Text, "corrected by +42 s") || !b.stop.Visible() {
		t.Errorf("the banner while correcting: %q", b.text.Text)
	}

	// The clock is fixed: the next check ends the correction.
	srv.SetOffset(0)
	*mono += vault.ClockCheckEvery
	w.tick(w.codeTime(w.now()))
	if c, _ := w.sess.store.ClockCorrection(); c.InForce() || w.corr.InForce() {
		t.Errorf("the correction stays after the clock was fixed: %v", c)
	}
	if b.content.Visible() {
		t.Errorf("the banner stays when the clock is right: %q", b.text.Text)
	}
	if strings.Contains(tileAt(t, w, 0).countText.Text, "corrected") {
		t.Error("a tile still says it is corrected")
	}
}

func TestClockCheckOfflineSaysSoOnce(t *testing.T) {
	w, srv, mono := clockWindow(t, 0)
	srv.Close() // nothing answers at its address now
	w.tick(w.codeTime(w.now()))
	b := w.banner
	if !b.content.Visible() || !strings.Contains(b.text.Text, "could not check") {
		t.Fatalf("offline: banner %v %q", b.content.Visible(), b.text.Text)
	}
	test.Tap(b.close)
	*mono += time.Hour // retries fail too
	w.tick(w.codeTime(w.now()))
	if b.content.Visible() {
		t.Error("the failure was said again")
	}
	// The off switch: no check at all.
	if err := updateNow(w, func(v *vault.Vault) error { v.Prefs.ClockCheckOff = true; return nil }); err != nil {
		t.Fatal(err)
	}
	checks := 0
	w.clockw.check = func(string) (vault.ClockReading, error) { checks++; return vault.ClockReading{}, nil }
	w.clockw.restart()
	w.tick(w.codeTime(w.now()))
	if checks != 0 {
		t.Error("the clock was checked with the check turned off")
	}
}

func TestWallClockJumpRendersAtOnce(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	now, mono := testNow, time.Duration(0)
	w.now = func() time.Time { return now }
	w.clockw.mono = func() time.Duration { return mono }
	checks := 0
	w.clockw.check = func(server string) (vault.ClockReading, error) {
		checks++
		return vault.ClockReading{Server: server, At: now}, nil
	}
	w.tick(w.codeTime(now))
	// Resume from suspend: the wall clock moved on 1 h 7 s, the monotonic
	// clock one second.
	now, mono = now.Add(time.Hour+7*time.Second), mono+time.Second
	tl := tileAt(t, w, 0)
	w.tick(w.codeTime(now))
	want, _ := w.v.Accounts[0].Code(now)
	if got := strings.ReplaceAll(tl.codeText.Text, " ", ""); got != want {
		t.Errorf("after the jump the tile shows %s, want %s", got, want)
	}
	if tl.countText.Text != "13 s" {
		t.Errorf("after the jump the countdown is %q, want 13 s", tl.countText.Text)
	}
	if checks != 2 {
		t.Errorf("%d clock checks, want one at start and one after the jump", checks)
	}
}

func TestClockTicksWithTheTimeItFires(t *testing.T) {
	// The ticker's timer runs on the monotonic clock; the time it passes on
	// is read when it fires, so a wall clock set meanwhile shows at once.
	var mu sync.Mutex
	reads := 0
	base := time.Date(2026, 1, 1, 0, 0, 0, 500e6, time.UTC)
	fired := make(chan time.Time, 1)
	c := newClock(func(t time.Time) {
		select {
		case fired <- t:
		default:
		}
	})
	c.now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		reads++
		if reads == 1 {
			return base
		}
		return base.Add(time.Hour)
	}
	c.start()
	defer c.stop()
	select {
	case got := <-fired:
		if got.Before(base.Add(time.Hour)) {
			t.Errorf("the tick carries %v, the time before the jump", got)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the clock did not tick")
	}
}

func TestDurationText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		42 * time.Second: "42 s", 99 * time.Second: "99 s", 180 * time.Second: "3 min",
		185 * time.Second: "3 min 5 s", 2*time.Hour + 10*time.Minute: "2 h 10 min", 72 * time.Hour: "3 days",
	} {
		if got := durationText(d); got != want {
			t.Errorf("durationText(%v) = %q, want %q", d, got, want)
		}
	}
	if got := offsetText(-42 * time.Second); got != "−42 s" {
		t.Errorf("offsetText(-42 s) = %q", got)
	}
}
