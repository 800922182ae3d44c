package sync

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"authdeck/vault"
)

// parseFast reads the JSON of a device file in the layout that Authdeck
// writes: the keys of [File], [Entry] and [Value], each at most once, none
// of them null, no escapes in keys. It does in one pass without reflection
// what encoding/json does in two with it, and keeps every value as a slice of
// body instead of a copy. It reports false for anything else (another layout,
// or JSON that is not valid), which parse then hands to encoding/json: what
// it accepts, it reads as encoding/json does (FuzzParseFast checks this).
func parseFast(body []byte) (*File, bool) {
	r := reader{b: body, nodes: make(map[string]string, 4)}
	f := new(File)
	var seen keys
	ok := r.object(func(key []byte) bool {
		switch string(key) {
		case "format":
			f.Format = r.str()
			return seen.first(0)
		case "version":
			n, err := strconv.Atoi(string(r.number()))
			f.Version = n
			return err == nil && seen.first(1)
		case "device":
			var dev keys
			return seen.first(2) && r.object(func(key []byte) bool {
				switch string(key) {
				case "id":
					f.Device.ID = r.str()
					return dev.first(0)
				case "name":
					f.Device.Name = r.str()
					return dev.first(1)
				}
				return false
			})
		case "written":
			return f.Written.UnmarshalJSON(r.value()) == nil && seen.first(3)
		case "revision":
			n, err := strconv.ParseUint(string(r.number()), 10, 64)
			f.Revision = n
			return err == nil && seen.first(4)
		case "accounts":
			// Room for every account there may be: each starts with its
			// ID, and a string holds no unescaped quote.
			f.Accounts = make([]Entry, 0, min(bytes.Count(body, []byte(`{"id":`)), MaxAccounts+1))
			return seen.first(5) && r.array(func() bool {
				f.Accounts = append(f.Accounts, Entry{})
				return r.entry(&f.Accounts[len(f.Accounts)-1])
			})
		case "order":
			return seen.first(6) && r.stamped(&f.Order)
		case "prefs":
			f.Prefs = map[string]Value{}
			return seen.first(7) && r.object(func(key []byte) bool {
				var val Value
				name := string(key)
				if _, dup := f.Prefs[name]; dup || !r.stamped(&val) {
					return false
				}
				f.Prefs[name] = val
				return true
			})
		case "removed":
			f.Removed = []string{}
			return seen.first(8) && r.array(func() bool {
				f.Removed = append(f.Removed, r.str())
				return true
			})
		}
		return false
	})
	r.space()
	if !ok || r.failed || r.i != len(r.b) {
		return nil, false
	}
	return f, true
}

// keys is the set of keys an object has had, by their places in a struct.
type keys uint16

// first adds key i and reports whether it was new.
func (k *keys) first(i int) bool {
	if *k&(1<<i) != 0 {
		return false
	}
	*k |= 1 << i
	return true
}

// reader reads JSON from b at i; failed is set by the first thing it cannot
// read, after which every read returns nothing.
type reader struct {
	b      []byte
	i      int
	depth  int
	failed bool
	// nodes interns the devices of stamps: a few devices stamp thousands
	// of values.
	nodes map[string]string
}

// maxDepth bounds the nesting of values read here; deeper ones go to
// encoding/json, which bounds them itself.
const maxDepth = 100

func (r *reader) fail() bool {
	r.failed = true
	return false
}

func (r *reader) space() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// next skips white space and reports whether the next byte is c, taking it
// if it is.
func (r *reader) next(c byte) bool {
	r.space()
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// object reads an object, calling member for each key with the reader at its
// value. Keys with escapes are not read here; member reports false for a key
// it does not know or has seen before.
func (r *reader) object(member func(key []byte) bool) bool {
	if r.failed || !r.next('{') {
		return r.fail()
	}
	if r.next('}') {
		return true
	}
	for {
		r.space()
		key, ok := r.plainString()
		if !ok || !r.next(':') {
			return r.fail()
		}
		r.space()
		if !member(key) || r.failed {
			return r.fail()
		}
		if r.next('}') {
			return true
		}
		if !r.next(',') {
			return r.fail()
		}
	}
}

// array reads an array, calling elem with the reader at each element.
func (r *reader) array(elem func() bool) bool {
	if r.failed || !r.next('[') {
		return r.fail()
	}
	if r.next(']') {
		return true
	}
	for {
		r.space()
		if !elem() || r.failed {
			return r.fail()
		}
		if r.next(']') {
			return true
		}
		if !r.next(',') {
			return r.fail()
		}
	}
}

// entry reads one account: its ID and its fields.
func (r *reader) entry(e *Entry) bool {
	var seen keys
	return r.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			e.ID = r.str()
			return seen.first(0)
		case "fields":
			if !seen.first(1) {
				return false
			}
			var fields keys
			return r.object(func(key []byte) bool {
				i, ok := fieldIndex[string(key)]
				return ok && fields.first(i) && r.stamped(&e.Fields[i])
			})
		}
		return false
	})
}

// stamped reads a [Value]: its value as it stands, and its stamp.
func (r *reader) stamped(val *Value) bool {
	var seen keys
	return r.object(func(key []byte) bool {
		switch string(key) {
		case "v":
			val.Value = r.value()
			return seen.first(0)
		case "s":
			val.Stamp = r.stamp()
			return seen.first(1)
		}
		return false
	})
}

// stamp reads a stamp as [vault.Stamp.UnmarshalText] does, its device
// interned.
func (r *reader) stamp() vault.Stamp {
	text, ok := r.plainString()
	if !ok {
		r.fail()
		return vault.Stamp{}
	}
	s, ok := vault.ParseStamp(text, r.nodes)
	if !ok {
		r.fail()
	}
	return s
}

// str reads a string.
func (r *reader) str() string {
	start := r.i
	text, ok := r.plainString()
	if ok {
		return string(text)
	}
	r.i = start
	raw := r.value()
	var s string
	if r.failed || json.Unmarshal(raw, &s) != nil {
		r.fail()
	}
	return s
}

// plainString reads a string without escapes, of valid UTF-8: one that is
// its own text.
func (r *reader) plainString() ([]byte, bool) {
	if r.failed || r.i >= len(r.b) || r.b[r.i] != '"' {
		return nil, false
	}
	start := r.i + 1
	ascii := true
	for i := start; i < len(r.b); i++ {
		switch c := r.b[i]; {
		case c == '"':
			text := r.b[start:i]
			if !ascii && !utf8.Valid(text) {
				return nil, false
			}
			r.i = i + 1
			return text, true
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false
}

// number reads a number as it stands.
func (r *reader) number() []byte {
	if r.i < len(r.b) && (r.b[r.i] == '-' || r.b[r.i] >= '0' && r.b[r.i] <= '9') {
		return r.value()
	}
	r.fail()
	return nil
}

// value reads any value and returns it as it stands.
func (r *reader) value() []byte {
	start := r.i
	if r.failed || !r.skip() {
		r.fail()
		return nil
	}
	return r.b[start:r.i]
}

// skip reads past one value of valid JSON.
func (r *reader) skip() bool {
	if r.i >= len(r.b) {
		return false
	}
	switch c := r.b[r.i]; {
	case c == '"':
		return r.skipString()
	case c == '{':
		if r.depth++; r.depth > maxDepth {
			return false
		}
		r.i++
		if r.next('}') {
			r.depth--
			return true
		}
		for {
			r.space()
			if !r.skipString() || !r.next(':') {
				return false
			}
			r.space()
			if !r.skip() {
				return false
			}
			if r.next('}') {
				r.depth--
				return true
			}
			if !r.next(',') {
				return false
			}
		}
	case c == '[':
		if r.depth++; r.depth > maxDepth {
			return false
		}
		r.i++
		if r.next(']') {
			r.depth--
			return true
		}
		for {
			r.space()
			if !r.skip() {
				return false
			}
			if r.next(']') {
				r.depth--
				return true
			}
			if !r.next(',') {
				return false
			}
		}
	case c == 't':
		return r.literal("true")
	case c == 'f':
		return r.literal("false")
	case c == 'n':
		return r.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return r.skipNumber()
	}
	return false
}

func (r *reader) literal(word string) bool {
	if len(r.b)-r.i < len(word) || string(r.b[r.i:r.i+len(word)]) != word {
		return false
	}
	r.i += len(word)
	return true
}

func (r *reader) skipString() bool {
	if r.i >= len(r.b) || r.b[r.i] != '"' {
		return false
	}
	for i := r.i + 1; i < len(r.b); i++ {
		switch c := r.b[i]; {
		case c == '"':
			r.i = i + 1
			return true
		case c < 0x20:
			return false
		case c == '\\':
			i++
			if i >= len(r.b) {
				return false
			}
			switch r.b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if len(r.b)-i < 5 {
					return false
				}
				for _, h := range r.b[i+1 : i+5] {
					if !isHex(h) {
						return false
					}
				}
				i += 4
			default:
				return false
			}
		}
	}
	return false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// skipNumber reads past a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (r *reader) skipNumber() bool {
	b, i := r.b, r.i
	digits := func() bool {
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i > start
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	r.i = i
	return true
}
