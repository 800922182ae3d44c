package vault

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"authdeck/internal/ntptest"
)

func startNTP(t *testing.T, offset time.Duration) *ntptest.Server {
	t.Helper()
	s, err := ntptest.Start(offset)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func noSystem(context.Context) (SyncState, error) { return SyncUnknown, errors.ErrUnsupported }

func near(got, want time.Duration) bool {
	d := got - want
	return d < 100*time.Millisecond && d > -100*time.Millisecond
}

func TestCheckClock(t *testing.T) {
	srv := startNTP(t, 0)
	for _, offset := range []time.Duration{42 * time.Second, -90 * time.Second, 0, 3 * time.Hour, -400 * 24 * time.Hour} {
		srv.SetOffset(offset)
		r, err := CheckClock(context.Background(), ClockOptions{Server: srv.Addr, System: noSystem})
		if err != nil {
			t.Fatalf("offset %v: %v", offset, err)
		}
		if !near(r.Offset, offset) {
			t.Errorf("server %v ahead: measured offset %v", offset, r.Offset)
		}
		if r.Off() != (offset > ClockTolerance || offset < -ClockTolerance) {
			t.Errorf("offset %v: Off() = %v", offset, r.Off())
		}
		if r.Server != srv.Addr || r.Delay < 0 || r.Delay > time.Second || r.At.IsZero() {
			t.Errorf("offset %v: reading %+v", offset, r)
		}
	}
}

// TestCheckClockInjectedClock checks the clock being checked is the one
// passed in: a computer 42 s behind a right server reads +42.
func TestCheckClockInjectedClock(t *testing.T) {
	srv := startNTP(t, 0)
	behind := func() time.Time { return time.Now().Add(-42 * time.Second) }
	synced := func(context.Context) (SyncState, error) { return NotSynchronized, nil }
	r, err := CheckClock(context.Background(), ClockOptions{Server: srv.Addr, Now: behind, System: synced})
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.Offset, 42*time.Second) || !r.Off() {
		t.Errorf("a clock 42 s behind reads %v", r.Offset)
	}
	if r.System != NotSynchronized {
		t.Errorf("System = %v, want what the system said", r.System)
	}
}

func TestCheckClockFailures(t *testing.T) {
	// A port where nothing listens: the system says so at once.
	l, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.LocalAddr().String()
	l.Close()
	// A server that never answers.
	silent, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	kod := startNTP(t, 0)
	kod.SetStratum(0)

	tests := []struct {
		name, server string
		want         error
	}{
		{"nothing listening", closed, ErrTimeServerUnreachable},
		{"no answer", silent.LocalAddr().String(), ErrTimeServerUnreachable},
		{"bad port", "127.0.0.1:99999", ErrTimeServerUnreachable},
		{"kiss of death", kod.Addr, ErrTimeServerReply},
	}
	for _, tt := range tests {
		start := time.Now()
		_, err := CheckClock(context.Background(), ClockOptions{Server: tt.server, Timeout: 300 * time.Millisecond, System: noSystem})
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: took %v despite the timeout", tt.name, d)
		}
	}
}

func TestServerAddr(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "pool.ntp.org:123",
		"time.example.org":  "time.example.org:123",
		"127.0.0.1:1234":    "127.0.0.1:1234",
		"::1":               "[::1]:123",
		"[::1]":             "[::1]:123",
		"[::1]:5":           "[::1]:5",
		" pool.ntp.org  ":   "pool.ntp.org:123",
		"time.cloudflare.c": "time.cloudflare.c:123",
	} {
		if got := serverAddr(in); got != want {
			t.Errorf("serverAddr(%q) = %q, want %q", in, got, want)
		}
	}
	if got := (Prefs{}).TimeServer(); got != DefaultTimeServer {
		t.Errorf("default time server %q", got)
	}
	if got := (Prefs{ClockServer: " time.example.org "}).TimeServer(); got != "time.example.org" {
		t.Errorf("chosen time server %q", got)
	}
}

// reply builds a server reply to origin with the given header byte, stratum
// and times.
func reply(header, stratum byte, origin, rx, tx uint64) []byte {
	b := make([]byte, ntpPacketLen)
	b[0], b[1] = header, stratum
	binary.BigEndian.PutUint64(b[24:], origin)
	binary.BigEndian.PutUint64(b[32:], rx)
	binary.BigEndian.PutUint64(b[40:], tx)
	return b
}

func TestParseNTPReply(t *testing.T) {
	sent := time.Date(2026, 12, 3, 18, 0, 0, 0, time.UTC)
	ts := uint64(sent.Unix()-ntpEpoch) << 32
	const origin = 0x0123456789abcdef
	server := byte(0<<6 | 4<<3 | 4)
	ok, err := parseNTPReply(reply(server, 2, origin, ts, ts+1<<31), origin, sent)
	if err != nil || !ok.receive.Equal(sent) || !ok.transmit.Equal(sent.Add(500*time.Millisecond)) || ok.stratum != 2 {
		t.Fatalf("good reply: %+v, %v", ok, err)
	}
	bad := map[string][]byte{
		"short":         reply(server, 2, origin, ts, ts)[:47],
		"client mode":   reply(0<<6|4<<3|3, 2, origin, ts, ts),
		"version 0":     reply(0<<6|0<<3|4, 2, origin, ts, ts),
		"version 7":     reply(0<<6|7<<3|4, 2, origin, ts, ts),
		"kiss of death": reply(server, 0, origin, ts, ts),
		"unsynced":      reply(3<<6|4<<3|4, 2, origin, ts, ts),
		"stratum 16":    reply(server, 16, origin, ts, ts),
		"other request": reply(server, 2, origin+1, ts, ts),
		"no receive":    reply(server, 2, origin, 0, ts),
		"no transmit":   reply(server, 2, origin, ts, 0),
	}
	for name, b := range bad {
		if _, err := parseNTPReply(b, origin, sent); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestNTPEras checks timestamps on both sides of NTP's 2036 wrap-around.
func TestNTPEras(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 3, 18, 20, 0, 250_000_000, time.UTC),
		time.Date(2036, 2, 7, 6, 28, 15, 0, time.UTC),
		time.Date(2036, 2, 7, 6, 28, 17, 0, time.UTC),
		time.Date(2080, 6, 1, 0, 0, 0, 0, time.UTC),
	} {
		sec := uint64(at.Unix()-ntpEpoch) & 0xffffffff
		frac := uint64(at.Nanosecond()) << 32 / 1e9
		got := ntpTime(sec<<32|frac, at.Add(-time.Hour))
		if d := got.Sub(at); d > time.Microsecond || d < -time.Microsecond {
			t.Errorf("%v reads back as %v", at, got)
		}
	}
}

func FuzzParseNTPReply(f *testing.F) {
	sent := time.Date(2026, 12, 3, 18, 0, 0, 0, time.UTC)
	ts := uint64(sent.Unix()-ntpEpoch) << 32
	f.Add(reply(0<<6|4<<3|4, 2, 7, ts, ts), uint64(7))
	f.Add(reply(0<<6|4<<3|4, 0, 7, ts, ts), uint64(7))
	f.Fuzz(func(t *testing.T, b []byte, origin uint64) {
		r, err := parseNTPReply(b, origin, sent)
		if err != nil {
			return
		}
		// A reply taken is a server's, to this request, in NTP's era nearest
		// to the request.
		if b[0]&7 != 4 || binary.BigEndian.Uint64(b[24:32]) != origin {
			t.Fatalf("took a reply that is not a server's answer to this request")
		}
		const halfEra = 68 * 365 * 24 * time.Hour
		if d := r.receive.Sub(sent); d > halfEra || d < -halfEra {
			t.Fatalf("receive time %v is %v from the request", r.receive, d)
		}
	})
}

func TestNextCorrection(t *testing.T) {
	on := ClockCorrection{Offset: 42 * time.Second, Server: "a:123"}
	tests := []struct {
		name string
		c    ClockCorrection
		r    time.Duration
		want time.Duration
	}{
		{"none stays none, however far off", ClockCorrection{}, time.Hour, 0},
		{"kept at the new offset while off", on, 50 * time.Second, 50 * time.Second},
		{"kept when off the other way", on, -30 * time.Second, -30 * time.Second},
		{"dropped once the clock is right", on, 2 * time.Second, 0},
		{"dropped at the tolerance", on, ClockTolerance, 0},
	}
	for _, tt := range tests {
		got := NextCorrection(tt.c, ClockReading{Offset: tt.r, Server: "b:123"})
		if got.Offset != tt.want || got.InForce() != (tt.want != 0) {
			t.Errorf("%s: %+v, want offset %v", tt.name, got, tt.want)
		}
	}
	c := CorrectionFrom(ClockReading{Offset: 42 * time.Second, Server: "s"})
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := c.Apply(at); !got.Equal(at.Add(42 * time.Second)) {
		t.Errorf("Apply: %v", got)
	}
}

// TestClockCorrectionFile checks the correction is kept in its own file beside
// the vault, survives a new Store, and goes away when cleared, without ever
// touching the vault.
func TestClockCorrectionFile(t *testing.T) {
	dir := t.TempDir()
	s := NewStore(dir, Options{Keychain: failingKeychain{}})
	if c, err := s.ClockCorrection(); err != nil || c.InForce() {
		t.Fatalf("a new folder has correction %+v, %v", c, err)
	}
	want := ClockCorrection{Offset: 42500 * time.Millisecond, Server: "127.0.0.1:123", Measured: time.Date(2026, 12, 3, 18, 0, 0, 0, time.UTC)}
	if err := s.SetClockCorrection(want); err != nil {
		t.Fatal(err)
	}
	got, err := NewStore(dir, Options{Keychain: failingKeychain{}}).ClockCorrection()
	if err != nil || got != want {
		t.Fatalf("read back %+v, %v; want %+v", got, err, want)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("saving a correction touched the vault file: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, clockName), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if c, err := s.ClockCorrection(); err != nil || c.InForce() {
		t.Errorf("a damaged file gives %+v, %v; want none", c, err)
	}
	if err := s.SetClockCorrection(want); err != nil {
		t.Fatal(err)
	}
	if err := s.SetClockCorrection(ClockCorrection{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, clockName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("clearing left the file: %v", err)
	}
	if err := s.SetClockCorrection(ClockCorrection{}); err != nil {
		t.Errorf("clearing twice: %v", err)
	}
}

// failingKeychain fails every call: a test that reaches the keychain is wrong.
type failingKeychain struct{}

func (failingKeychain) Get(string, string) (string, error) { return "", errors.New("keychain used") }
func (failingKeychain) Set(string, string, string) error   { return errors.New("keychain used") }
func (failingKeychain) Delete(string, string) error        { return errors.New("keychain used") }

func TestClockWatch(t *testing.T) {
	var w ClockWatch
	wall := time.Date(2026, 12, 3, 18, 0, 0, 0, time.UTC)
	var mono time.Duration
	step := func(d time.Duration) { wall, mono = wall.Add(d), mono+d }
	tick := func() (bool, bool) { return w.Tick(wall, mono) }

	if check, jumped := tick(); !check || jumped {
		t.Fatalf("start: check %v, jumped %v; want a check", check, jumped)
	}
	step(time.Second)
	if check, _ := tick(); check {
		t.Error("a second check while one runs")
	}
	if w.Done(nil) {
		t.Error("a success is not told")
	}
	step(time.Hour)
	if check, jumped := tick(); check || jumped {
		t.Errorf("an hour later: check %v, jumped %v; want neither", check, jumped)
	}
	step(ClockCheckEvery)
	if check, _ := tick(); !check {
		t.Error("no check after ClockCheckEvery")
	}
	// Offline: told once, retried quietly.
	if !w.Done(errors.New("offline")) {
		t.Error("the first failure is not told")
	}
	step(time.Minute)
	if check, _ := tick(); check {
		t.Error("retried before RetryAfter")
	}
	step(10 * time.Minute)
	if check, _ := tick(); !check {
		t.Error("no retry after a failure")
	}
	if w.Done(errors.New("offline")) {
		t.Error("a failing retry is told again")
	}
	step(10 * time.Minute)
	if check, _ := tick(); !check {
		t.Error("no second retry")
	}
	w.Done(nil)
	// A resume: the wall clock moved 8 h while the monotonic clock stood still.
	wall = wall.Add(8 * time.Hour)
	step(time.Second)
	if check, jumped := tick(); !check || !jumped {
		t.Errorf("after a resume: check %v, jumped %v; want both", check, jumped)
	}
	if !w.Done(errors.New("network not up yet")) {
		t.Error("a failure after a success is not told")
	}
	// The clock set back by a minute is a jump too; a small drift is not.
	wall = wall.Add(-time.Minute)
	step(time.Second)
	if _, jumped := tick(); !jumped {
		t.Error("the clock set back a minute is not a jump")
	}
	wall = wall.Add(time.Second)
	step(time.Second)
	if _, jumped := tick(); jumped {
		t.Error("a one-second drift counts as a jump")
	}
	// The system says it woke up: a check and a jump at the next tick, even
	// where the clocks show nothing (a short sleep), and only then.
	w.Done(nil)
	step(time.Second)
	w.Resumed()
	step(time.Second)
	if check, jumped := tick(); !check || !jumped {
		t.Errorf("after the system said it resumed: check %v, jumped %v; want both", check, jumped)
	}
	w.Done(nil)
	step(time.Second)
	if check, jumped := tick(); check || jumped {
		t.Errorf("the tick after that: check %v, jumped %v; want neither", check, jumped)
	}
}
