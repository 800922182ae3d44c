package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// A segment is one command of SVG path data with its arguments, kept as
// written so that rewriting a path does not round what it does not change.
type segment struct {
	cmd  byte
	args []string
}

// commands are the SVG path commands and how many arguments each takes.
var commands = map[byte]int{
	'M': 2, 'L': 2, 'T': 2, 'H': 1, 'V': 1, 'C': 6, 'S': 4, 'Q': 4, 'A': 7, 'Z': 0,
}

// normalizePath rewrites SVG path data for every SVG reader: each segment
// gets its command letter, every number stands on its own, and elliptical
// arcs become cubic Béziers. Simple Icons' paths are minified the way the
// grammar allows, with an arc's flags run into the next number
// ("a.75.75 0 00-.75.75"), and oksvg, the reader of both Authdeck and Fyne,
// misreads arcs.
func normalizePath(d string) (string, error) {
	segs, err := parsePath(d)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	var cx, cy, sx, sy float64 // the current point and the subpath's start
	prevArc := false
	for _, s := range segs {
		rel := s.cmd >= 'a'
		up := s.cmd &^ 0x20
		v := make([]float64, len(s.args))
		for i, a := range s.args {
			if v[i], err = strconv.ParseFloat(a, 64); err != nil {
				return "", fmt.Errorf("number %q: %w", a, err)
			}
		}
		// A smooth curve after an arc takes the current point as its first
		// control point; after the arc's Béziers it would reflect theirs.
		if prevArc && (up == 'S' || up == 'T') {
			first := []string{num(cx), num(cy)}
			if rel {
				first = []string{"0", "0"}
			}
			explicit := map[byte]byte{'S': 'C', 's': 'c', 'T': 'Q', 't': 'q'}[s.cmd]
			s = segment{cmd: explicit, args: append(first, s.args...)}
		}
		prevArc = up == 'A'
		if up == 'A' {
			x, y := v[5], v[6]
			if rel {
				x, y = cx+x, cy+y
			}
			b.WriteString(arcToCubic(cx, cy, v[0], v[1], v[2], v[3] != 0, v[4] != 0, x, y))
			cx, cy = x, y
			continue
		}
		b.WriteByte(s.cmd)
		b.WriteString(join(s.args...))
		switch up {
		case 'Z':
			cx, cy = sx, sy
		case 'H':
			cx = v[0] + map[bool]float64{true: cx}[rel]
		case 'V':
			cy = v[0] + map[bool]float64{true: cy}[rel]
		default:
			x, y := v[len(v)-2], v[len(v)-1]
			if rel {
				x, y = cx+x, cy+y
			}
			cx, cy = x, y
			if up == 'M' {
				sx, sy = cx, cy
			}
		}
	}
	return b.String(), nil
}

// parsePath splits path data into segments, one per command, expanding
// implicit repeats (a moveto's extra pairs are linetos).
func parsePath(d string) ([]segment, error) {
	var segs []segment
	var cur *segment
	cmd := byte(0)
	i := 0
	for i < len(d) {
		c := d[i]
		if c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		if _, ok := commands[c&^0x20]; ok && c != 'e' && c != 'E' {
			if cur != nil {
				return nil, fmt.Errorf("command %q cut short", cur.cmd)
			}
			cmd = c
			segs = append(segs, segment{cmd: c})
			cur = &segs[len(segs)-1]
			if commands[c&^0x20] == 0 {
				cur = nil
			}
			i++
			continue
		}
		if cmd == 0 {
			return nil, fmt.Errorf("path data starts with %q, not a command", c)
		}
		if cur == nil {
			// An implicit repeat of the last command.
			next := cmd
			if next == 'M' {
				next = 'L'
			} else if next == 'm' {
				next = 'l'
			}
			if commands[next&^0x20] == 0 {
				return nil, fmt.Errorf("a number after %q", cmd)
			}
			segs = append(segs, segment{cmd: next})
			cur = &segs[len(segs)-1]
		}
		var tok string
		if cur.cmd&^0x20 == 'A' && (len(cur.args) == 3 || len(cur.args) == 4) {
			if c != '0' && c != '1' {
				return nil, fmt.Errorf("arc flag %q at %d", c, i)
			}
			tok, i = d[i:i+1], i+1
		} else {
			n := numberLen(d[i:])
			if n == 0 {
				return nil, fmt.Errorf("unexpected %q at %d", c, i)
			}
			tok, i = d[i:i+n], i+n
		}
		cur.args = append(cur.args, tok)
		if len(cur.args) == commands[cur.cmd&^0x20] {
			cur = nil
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("command %q cut short", cur.cmd)
	}
	return segs, nil
}

// numberLen returns the length of the SVG number at the start of s, or 0.
func numberLen(s string) int {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			i = k
		}
	}
	return i
}

// arcToCubic returns absolute cubic Bézier segments ("C...") that draw the
// SVG elliptical arc from (x1, y1) to (x2, y2), following the SVG
// specification's implementation notes (B.2.4 and B.2.5).
func arcToCubic(x1, y1, rx, ry, angle float64, large, sweep bool, x2, y2 float64) string {
	if x1 == x2 && y1 == y2 {
		return ""
	}
	rx, ry = math.Abs(rx), math.Abs(ry)
	if rx == 0 || ry == 0 {
		return "L" + join(num(x2), num(y2))
	}
	phi := angle * math.Pi / 180
	sin, cos := math.Sincos(phi)
	dx, dy := (x1-x2)/2, (y1-y2)/2
	xp, yp := cos*dx+sin*dy, -sin*dx+cos*dy
	if l := xp*xp/(rx*rx) + yp*yp/(ry*ry); l > 1 {
		rx, ry = rx*math.Sqrt(l), ry*math.Sqrt(l)
	}
	n := rx*rx*ry*ry - rx*rx*yp*yp - ry*ry*xp*xp
	coef := math.Sqrt(math.Max(0, n/(rx*rx*yp*yp+ry*ry*xp*xp)))
	if large == sweep {
		coef = -coef
	}
	cxp, cyp := coef*rx*yp/ry, -coef*ry*xp/rx
	cx, cy := cos*cxp-sin*cyp+(x1+x2)/2, sin*cxp+cos*cyp+(y1+y2)/2
	theta := math.Atan2((yp-cyp)/ry, (xp-cxp)/rx)
	delta := math.Atan2((-yp-cyp)/ry, (-xp-cxp)/rx) - theta
	switch {
	case sweep && delta < 0:
		delta += 2 * math.Pi
	case !sweep && delta > 0:
		delta -= 2 * math.Pi
	}
	parts := int(math.Ceil(math.Abs(delta) / (math.Pi / 2)))
	step := delta / float64(parts)
	t := 4.0 / 3 * math.Tan(step/4)
	at := func(x, y float64) (float64, float64) {
		return cx + rx*cos*x - ry*sin*y, cy + rx*sin*x + ry*cos*y
	}
	var b strings.Builder
	for i := range parts {
		a0, a1 := theta+float64(i)*step, theta+float64(i+1)*step
		s0, c0 := math.Sincos(a0)
		s1, c1 := math.Sincos(a1)
		p1x, p1y := at(c0-t*s0, s0+t*c0)
		p2x, p2y := at(c1+t*s1, s1-t*c1)
		ex, ey := at(c1, s1)
		if i == parts-1 {
			ex, ey = x2, y2
		}
		b.WriteString("C" + join(num(p1x), num(p1y), num(p2x), num(p2y), num(ex), num(ey)))
	}
	return b.String()
}

// num writes a coordinate with three decimals, as short as it goes.
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 3, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	switch {
	case s == "-0":
		return "0"
	case strings.HasPrefix(s, "0."):
		return s[1:]
	case strings.HasPrefix(s, "-0."):
		return "-" + s[2:]
	}
	return s
}

// join writes numbers with a space between them where a minus sign does not
// already separate them.
func join(nums ...string) string {
	var b strings.Builder
	for i, n := range nums {
		if i > 0 && n[0] != '-' {
			b.WriteByte(' ')
		}
		b.WriteString(n)
	}
	return b.String()
}
