package vault

import (
	"bytes"
	"encoding/json"
)

// Registers maps account IDs to the registers of their fields, by the names
// in [SyncFields]. A vault with sync on holds one register per field of
// every account, so its JSON is most of the vault's: it is read without
// reflection when it is as encoding/json writes it.
type Registers map[string]map[string]Register

// UnmarshalJSON reads registers. Those that encoding/json wrote (compact,
// keys in order, strings without escapes) are read in one pass; anything
// else is read by encoding/json, with the same result (FuzzRegisters checks
// that the two agree).
func (rs *Registers) UnmarshalJSON(data []byte) error {
	if m, ok := readRegisters(data); ok {
		*rs = m
		return nil
	}
	var m map[string]map[string]Register
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	*rs = m
	return nil
}

// readRegisters reads {"ID":{"FIELD":{"s":"STAMP","h":"SUM"},...},...} and
// reports false for anything else, repeated keys included.
func readRegisters(data []byte) (Registers, bool) {
	p := data
	take := func(s string) bool {
		rest, ok := bytes.CutPrefix(p, []byte(s))
		if ok {
			p = rest
		}
		return ok
	}
	key := func() ([]byte, bool) {
		k, rest, ok := cutString(p, true)
		if ok {
			p = rest
		}
		return k, ok && take(":")
	}
	names := make(map[string]string, len(SyncFields))
	for _, f := range SyncFields {
		names[f] = f
	}
	nodes := make(map[string]string)
	rs := make(Registers)
	if !take("{") {
		return nil, false
	}
	for !take("}") {
		if len(rs) > 0 && !take(",") {
			return nil, false
		}
		id, ok := key()
		if !ok || !take("{") || rs[string(id)] != nil {
			return nil, false
		}
		rec := make(map[string]Register, len(SyncFields))
		for !take("}") {
			if len(rec) > 0 && !take(",") {
				return nil, false
			}
			k, ok := key()
			if !ok || !take(`{"s":`) {
				return nil, false
			}
			text, rest, ok1 := cutString(p, true)
			p = rest
			if !ok1 || !take(`,"h":`) {
				return nil, false
			}
			sum, rest, ok2 := cutString(p, true)
			p = rest
			stamp, ok3 := ParseStamp(text, nodes)
			if !ok2 || !ok3 || !take("}") {
				return nil, false
			}
			name, ok := names[string(k)]
			if !ok {
				name = string(k)
			}
			if _, dup := rec[name]; dup {
				return nil, false
			}
			rec[name] = Register{Stamp: stamp, Sum: string(sum)}
		}
		rs[string(id)] = rec
	}
	return rs, len(p) == 0
}
