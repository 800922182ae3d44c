package vault

import (
	"cmp"
	"time"
)

// Stamp is a reading of a hybrid logical clock: milliseconds of wall time, a
// counter that orders readings within one millisecond (or behind a clock that
// went back), and the device that took it, which breaks ties. Sync orders
// concurrent changes by their stamps. A device that has seen a stamp always
// stamps its next change later, so a computer whose clock runs ahead wins no
// conflict against a change made after its own was seen.
type Stamp struct {
	Wall  int64  `json:"w"`
	Count uint32 `json:"c,omitempty"`
	Node  string `json:"n,omitempty"`
}

// Compare returns -1, 0 or +1 as s is before, the same as, or after t.
func (s Stamp) Compare(t Stamp) int {
	if c := cmp.Compare(s.Wall, t.Wall); c != 0 {
		return c
	}
	if c := cmp.Compare(s.Count, t.Count); c != 0 {
		return c
	}
	return cmp.Compare(s.Node, t.Node)
}

// IsZero reports whether s is the zero stamp, before every other.
func (s Stamp) IsZero() bool { return s == Stamp{} }

// NextStamp returns the stamp of a change that device node makes at now,
// after last, the newest stamp it has taken or seen.
func NextStamp(last Stamp, node string, now time.Time) Stamp {
	wall := now.UnixMilli()
	if wall > last.Wall {
		return Stamp{Wall: wall, Node: node}
	}
	return Stamp{Wall: last.Wall, Count: last.Count + 1, Node: node}
}

// Observe returns the newer of last and seen, the clock after a device has
// seen another device's stamp.
func Observe(last, seen Stamp) Stamp {
	if seen.Compare(last) > 0 {
		return seen
	}
	return last
}
