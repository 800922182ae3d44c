package vault

import (
	"reflect"
	"testing"
	"time"
)

// FuzzSetField checks that whatever value setPlainField takes, encoding/json
// takes too and sets the same.
func FuzzSetField(f *testing.F) {
	for _, s := range []string{`"GitHub"`, `"caf\u00e9"`, `"a\"b"`, "\"\xff\"", `true`, `false`, `0`, `18446744073709551615`, `18446744073709551616`, `007`, `-1`, `1e3`,
		`"2026-03-01T12:00:00Z"`, `"2026-03-01T12:00:00.5+01:00"`, `"2026-13-01T12:00:00Z"`, `null`, `"aGk="`, `{"secret":"aGk=","type":"totp"}`, `"dup:abc"`, `""`} {
		for i := range SyncFields {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, field uint8, value []byte) {
		name := SyncFields[int(field)%len(SyncFields)]
		before := Account{Issuer: "i", Name: "n", Group: "g", Favorite: true, Icon: "x", IconImage: []byte{1}, Secret: []byte{2}, Counter: 9, Created: time.Unix(5, 0)}
		fast, slow := before, before
		state, ok := setPlainField(&fast, name, value)
		if !ok {
			return
		}
		want, err := setFieldJSON(&slow, name, value)
		if err != nil {
			t.Fatalf("%s = %q: setPlainField takes what encoding/json rejects (%v)", name, value, err)
		}
		if state != want || !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%s = %q: setPlainField sets %+v (%q), encoding/json %+v (%q)", name, value, fast, state, slow, want)
		}
	})
}
