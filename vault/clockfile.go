package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// clockName is the file in the vault folder that keeps this computer's clock
// correction. The correction belongs to the computer, not to the accounts, so
// it is kept beside the vault, not in it: it is neither synced nor backed up,
// and saving it does not change the vault's revision.
const clockName = "clock.json"

// ClockCorrection is the offset Authdeck adds to the computer's clock for its
// codes while the clock is wrong. The zero value corrects nothing.
type ClockCorrection struct {
	// Offset is added to the computer's time (see [ClockReading.Offset]).
	Offset time.Duration `json:"offset"`
	// Server is the time server that measured it, and Measured when.
	Server   string    `json:"server,omitempty"`
	Measured time.Time `json:"measured"`
}

// InForce reports whether c corrects anything.
func (c ClockCorrection) InForce() bool { return c.Offset != 0 }

// Apply returns the time that codes are made for when the computer's clock
// says t.
func (c ClockCorrection) Apply(t time.Time) time.Time { return t.Add(c.Offset) }

// CorrectionFrom returns the correction that a reading asks for: its offset,
// measured by its server.
func CorrectionFrom(r ClockReading) ClockCorrection {
	return ClockCorrection{Offset: r.Offset, Server: r.Server, Measured: r.At}
}

// NextCorrection returns the correction to keep after a new reading, given
// the correction c in force: a correction is kept, at the newly measured
// offset, until a reading finds the clock within [ClockTolerance]; no
// correction starts without the user asking for one.
func NextCorrection(c ClockCorrection, r ClockReading) ClockCorrection {
	switch {
	case !c.InForce():
		return c
	case !r.Off():
		return ClockCorrection{}
	}
	return CorrectionFrom(r)
}

// ClockCorrection returns the clock correction in force on this computer; the
// zero value when there is none. A damaged file counts as none.
func (s *Store) ClockCorrection() (ClockCorrection, error) {
	data, err := os.ReadFile(filepath.Join(s.dir, clockName))
	if errors.Is(err, fs.ErrNotExist) {
		return ClockCorrection{}, nil
	}
	if err != nil {
		return ClockCorrection{}, fmt.Errorf("cannot read the clock correction: %w", err)
	}
	var c ClockCorrection
	if len(data) > 4096 || json.Unmarshal(data, &c) != nil {
		return ClockCorrection{}, nil
	}
	return c, nil
}

// SetClockCorrection saves c as this computer's clock correction, atomically;
// a correction that corrects nothing removes the file.
func (s *Store) SetClockCorrection(c ClockCorrection) error {
	path := filepath.Join(s.dir, clockName)
	if !c.InForce() {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("cannot clear the clock correction: %w", err)
		}
		return nil
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("cannot save the clock correction: %w", err)
	}
	if err := WriteFileAtomic(path, append(data, '\n')); err != nil {
		return fmt.Errorf("cannot save the clock correction: %w", err)
	}
	return nil
}
