package vault

import "time"

// ClockWatch tells the window when to check the clock: at start, every
// [ClockCheckEvery], and at once after the wall clock jumped (a resume from
// suspend, or the clock being set), and when to say that a check failed:
// once, until a check succeeds again. It does no I/O and reads no clock: the
// window's one ticker passes the times in. The zero value is ready to use.
type ClockWatch struct {
	// Every is how often to check; zero means [ClockCheckEvery].
	Every time.Duration
	// RetryAfter is how long after a failed check to try again; zero means
	// 10 minutes.
	RetryAfter time.Duration

	started   bool
	lastWall  time.Time
	lastMono  time.Duration
	lastCheck time.Duration // monotonic time of the last check
	due       bool
	resumed   bool
	running   bool
	failed    bool
}

// jumpOver is how far the wall clock may move apart from the monotonic clock
// between two ticks before it counts as a jump.
const jumpOver = 2 * time.Second

// Tick is called by the window's ticker with the wall time (time.Now()) and
// a monotonic time (time.Since of a fixed start, which does not jump and, on
// Linux and macOS, stands still in suspend). It reports whether to start a check now,
// and whether the wall clock jumped since the last tick, in which case every
// code and countdown must be recomputed at once.
func (w *ClockWatch) Tick(wall time.Time, mono time.Duration) (check, jumped bool) {
	every, retry := w.Every, w.RetryAfter
	if every == 0 {
		every = ClockCheckEvery
	}
	if retry == 0 {
		retry = 10 * time.Minute
	}
	if !w.started {
		w.started, w.due = true, true
	} else {
		// Round(0) drops the monotonic reading that time.Now carries, which
		// would otherwise hide the wall clock's jump from Sub.
		skew := wall.Round(0).Sub(w.lastWall.Round(0)) - (mono - w.lastMono)
		if skew > jumpOver || skew < -jumpOver {
			jumped, w.due = true, true
		}
		since := mono - w.lastCheck
		if since >= every || w.failed && since >= retry {
			w.due = true
		}
	}
	if w.resumed {
		jumped, w.resumed = true, false
	}
	w.lastWall, w.lastMono = wall, mono
	if w.due && !w.running {
		w.due, w.running, w.lastCheck = false, true, mono
		return true, jumped
	}
	return false, jumped
}

// Resumed records that the computer woke from sleep, as the system says
// (logind's PrepareForSleep(false) on Linux): the next [ClockWatch.Tick]
// starts a check and reports a jump, whether or not the clocks show one. A
// short sleep, or a system whose monotonic clock counts the time asleep,
// leaves no skew to notice, yet the clock may have drifted or been set
// meanwhile.
func (w *ClockWatch) Resumed() {
	w.due, w.resumed = true, true
}

// Done records the outcome of the check that [ClockWatch.Tick] started. It
// reports whether the window should say that the clock could not be checked:
// for the first failure after start or after a success, not for the retries.
func (w *ClockWatch) Done(err error) (tell bool) {
	w.running = false
	if err == nil {
		w.failed = false
		return false
	}
	tell = !w.failed
	w.failed = true
	return tell
}
