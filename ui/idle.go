package ui

import (
	"sync/atomic"
	"time"

	"authdeck/vault"
)

// defaultAutoLock is how long the window waits without input before it
// locks, unless the preferences say otherwise.
const defaultAutoLock = 5 * time.Minute

// idleTimer locks the window after a stretch without input in it. Input
// only notes the time (from any goroutine); one timer, armed for the end of
// the stretch, looks again when it fires: nothing runs while the user works
// or while nothing happens.
type idleTimer struct {
	now   func() time.Time
	after func(time.Duration, func()) func() bool
	fire  func() // on the UI goroutine

	limit time.Duration // zero: never
	last  atomic.Int64  // Unix nanoseconds of the last input
	stopT func() bool
}

func newIdleTimer(now func() time.Time, fire func()) *idleTimer {
	t := &idleTimer{now: now, after: afterFunc, fire: fire}
	t.touch()
	return t
}

// autoLock is the auto-lock delay the preferences ask for; zero is never.
func autoLock(p vault.Prefs) time.Duration {
	switch {
	case p.AutoLockMinutes < 0:
		return 0
	case p.AutoLockMinutes == 0:
		return defaultAutoLock
	}
	return time.Duration(p.AutoLockMinutes) * time.Minute
}

// touch notes input in the window now. It may be called from any goroutine.
func (t *idleTimer) touch() { t.last.Store(t.now().UnixNano()) }

// set changes the delay and arms the timer for it.
func (t *idleTimer) set(limit time.Duration) {
	if limit == t.limit && t.stopT != nil {
		return
	}
	t.limit = limit
	t.arm()
}

// arm sets the timer for the end of the stretch since the last input.
func (t *idleTimer) arm() {
	t.stop()
	if t.limit <= 0 {
		return
	}
	left := t.limit - t.now().Sub(time.Unix(0, t.last.Load()))
	if left <= 0 {
		t.fire()
		return
	}
	t.stopT = t.after(left, func() {
		t.stopT = nil
		t.arm()
	})
}

func (t *idleTimer) stop() {
	if t.stopT != nil {
		t.stopT()
		t.stopT = nil
	}
}
