package cli

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"authdeck/vault"
)

func init() {
	commands["clock"] = command{"clock [--server HOST[:PORT]] [--correct|--no-correct]",
		"check the computer's clock against a time server; correct Authdeck's codes by the offset", runClock}
}

// clockTimeout bounds one clock check.
const clockTimeout = 5 * time.Second

func runClock(e *env, args []string) error {
	fs := newFlags("clock")
	server := fs.String("server", "", "")
	correct := fs.Bool("correct", false, "")
	noCorrect := fs.Bool("no-correct", false, "")
	if _, err := parseN(fs, args, 0, "no arguments"); err != nil {
		return err
	}
	if *correct && *noCorrect {
		return usagef("--correct and --no-correct exclude each other")
	}
	s, err := e.open()
	if err != nil {
		return err
	}
	if *noCorrect {
		// Clearing needs no time server: it holds even offline.
		if err := s.SetClockCorrection(vault.ClockCorrection{}); err != nil {
			return err
		}
	}
	if *server == "" {
		v, err := s.Load()
		if err != nil {
			return err
		}
		*server = v.Prefs.TimeServer()
	}
	ctx, cancel := context.WithTimeout(context.Background(), clockTimeout)
	defer cancel()
	r, err := vault.CheckClock(ctx, vault.ClockOptions{Server: *server, Timeout: clockTimeout, Now: e.now})
	if err != nil {
		if *noCorrect {
			fmt.Fprintln(e.stderr, "Authdeck's codes are no longer corrected.")
		}
		return err
	}
	fmt.Fprintln(e.stdout, formatOffset(r.Offset))

	old, err := s.ClockCorrection()
	if err != nil {
		return err
	}
	next := vault.NextCorrection(old, r)
	switch {
	case *correct:
		next = vault.CorrectionFrom(r)
	case *noCorrect:
		next = vault.ClockCorrection{}
	}
	if next != old {
		if err := s.SetClockCorrection(next); err != nil {
			return err
		}
	}

	secs := formatOffset(r.Offset)[1:]
	switch {
	case !r.Off():
		fmt.Fprintf(e.stderr, "This computer's clock is right: within %d s of %s.\n", int(vault.ClockTolerance/time.Second), r.Server)
	case r.Offset > 0:
		fmt.Fprintf(e.stderr, "This computer's clock is %s s behind %s: services may refuse its codes.\n", secs, r.Server)
	default:
		fmt.Fprintf(e.stderr, "This computer's clock is %s s ahead of %s: services may refuse its codes.\n", secs, r.Server)
	}
	if r.System == vault.NotSynchronized {
		fmt.Fprintln(e.stderr, "The system says it does not keep its clock synchronised (timedatectl set-ntp true turns that on).")
	}
	switch {
	case next.InForce():
		fmt.Fprintf(e.stderr, "Authdeck's codes are corrected by %s s until the clock is fixed (authdeck clock --no-correct stops that).\n", formatOffset(next.Offset))
	case old.InForce() || *noCorrect:
		fmt.Fprintln(e.stderr, "Authdeck's codes are no longer corrected.")
	case r.Off():
		fmt.Fprintln(e.stderr, "hint: set the system clock right (turn on automatic time in the system settings), or correct Authdeck's codes with: authdeck clock --correct")
	}
	return nil
}

// formatOffset writes an offset in whole seconds with its sign: "+42" means
// the computer is 42 s behind.
func formatOffset(d time.Duration) string {
	return fmt.Sprintf("%+d", int64(math.Round(d.Seconds())))
}

// codeTime is the time codes are made for now: the computer's clock, with
// the clock correction in force, if any.
func (e *env) codeTime() (time.Time, vault.ClockCorrection, error) {
	s, err := e.open()
	if err != nil {
		return time.Time{}, vault.ClockCorrection{}, err
	}
	c, err := s.ClockCorrection()
	if err != nil {
		return time.Time{}, c, err
	}
	return c.Apply(e.now()), c, nil
}

// clockHint says what to do about a failed clock check.
func clockHint(err error) string {
	switch {
	case errors.Is(err, vault.ErrTimeServerUnreachable):
		return "check the network connection, or name another time server with --server HOST[:PORT]"
	case errors.Is(err, vault.ErrTimeServerReply):
		return "try another time server with --server HOST[:PORT]"
	}
	return ""
}
