package ui

import (
	"sync"
	"time"
)

// clock is the window's one ticker. It fires just after each whole second, so
// that countdowns change together with the codes, and it can be stopped while
// the window is hidden.
type clock struct {
	fire func(time.Time)

	mu      sync.Mutex
	timer   *time.Timer
	running bool
}

func newClock(fire func(time.Time)) *clock {
	return &clock{fire: fire}
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
	now := time.Now()
	next := now.Truncate(time.Second).Add(time.Second + 5*time.Millisecond)
	c.timer = time.AfterFunc(next.Sub(now), func() {
		c.mu.Lock()
		running := c.running
		if running {
			c.arm()
		}
		c.mu.Unlock()
		if running {
			c.fire(next)
		}
	})
}

// isRunning reports whether the clock is started.
func (c *clock) isRunning() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running
}
