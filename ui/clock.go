package ui

import (
	"sync"
	"time"
)

// clock is the window's one ticker. It fires just after each whole second of
// the time codes are made for, so that countdowns change together with the
// codes, and it can be stopped while the window is hidden. Each tick reads
// the time afresh: after a resume or a change of the wall clock, the first
// tick already carries the new time.
type clock struct {
	fire func(time.Time)
	now  func() time.Time // the time codes are made for

	mu      sync.Mutex
	timer   *time.Timer
	running bool
}

func newClock(fire func(time.Time)) *clock {
	return &clock{fire: fire, now: time.Now}
}

func (c *clock) start() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return
	}
	c.running = true
	c.arm()
}

func (c *clock) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running = false
	if c.timer != nil {
		c.timer.Stop()
	}
}

// arm sets the timer for the next whole second. c.mu is held.
func (c *clock) arm() {
	now := c.now()
	next := now.Truncate(time.Second).Add(time.Second + 5*time.Millisecond)
	c.timer = time.AfterFunc(next.Sub(now), func() {
		c.mu.Lock()
		running := c.running
		if running {
			c.arm()
		}
		c.mu.Unlock()
		if running {
			// Timers run on the monotonic clock: the time the timer was
			// set for is stale if the wall clock moved meanwhile.
			c.fire(c.now())
		}
	})
}

// isRunning reports whether the clock is started.
func (c *clock) isRunning() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running
}
