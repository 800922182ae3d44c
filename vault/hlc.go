package vault

import (
	"bytes"
	"cmp"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Stamp is a reading of a hybrid logical clock: milliseconds of wall time, a
// counter that orders readings within one millisecond (or behind a clock that
// went back), and the device that took it, which breaks ties. Sync orders
// concurrent changes by their stamps. A device that has seen a stamp always
// stamps its next change later, so a computer whose clock runs ahead wins no
// conflict against a change made after its own was seen.
//
// In JSON a stamp is the string "WALL.COUNT.NODE" (WALL and COUNT decimal).
type Stamp struct {
	Wall  int64
	Count uint32
	Node  string
}

// MarshalText writes s as "WALL.COUNT.NODE".
func (s Stamp) MarshalText() ([]byte, error) {
	b := strconv.AppendInt(nil, s.Wall, 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(s.Count), 10)
	b = append(b, '.')
	return append(b, s.Node...), nil
}

// UnmarshalText reads a stamp written by [Stamp.MarshalText].
func (s *Stamp) UnmarshalText(text []byte) error {
	wall, rest, ok1 := strings.Cut(string(text), ".")
	count, node, ok2 := strings.Cut(rest, ".")
	w, err1 := strconv.ParseInt(wall, 10, 64)
	c, err2 := strconv.ParseUint(count, 10, 32)
	if !ok1 || !ok2 || err1 != nil || err2 != nil {
		return errors.New("not a clock stamp")
	}
	*s = Stamp{Wall: w, Count: uint32(c), Node: node}
	return nil
}

// ParseStamp reads a stamp as [Stamp.UnmarshalText] does and reports
// whether text is one. The devices of the stamps it reads are interned in
// nodes: a few devices stamp thousands of values.
func ParseStamp(text []byte, nodes map[string]string) (Stamp, bool) {
	wall, rest, _ := bytes.Cut(text, []byte("."))
	count, node, ok := bytes.Cut(rest, []byte("."))
	w, okw := digits(wall, 18)
	c, okc := digits(count, 9)
	if !ok || !okw || !okc {
		var s Stamp // a form of number that digits does not read
		return s, s.UnmarshalText(text) == nil
	}
	name, ok := nodes[string(node)]
	if !ok {
		name = string(node)
		nodes[name] = name
	}
	return Stamp{Wall: int64(w), Count: uint32(c), Node: name}, true
}

// digits reads a decimal number of 1 to max digits.
func digits(b []byte, max int) (uint64, bool) {
	if len(b) == 0 || len(b) > max {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
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
