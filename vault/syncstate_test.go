package vault

import (
	"reflect"
	"testing"
	"time"
)

// TestSetPlainField checks that the values of an account as sync writes
// them are set without encoding/json, except an icon image.
func TestSetPlainField(t *testing.T) {
	a := Account{Issuer: "Zürich", Name: "alice", Group: "Work", Favorite: true, Icon: "github", Secret: []byte("secret!"),
		Type: HOTP, Algorithm: SHA256, Digits: 8, Period: 30, Counter: 42, Created: time.Date(2026, 3, 1, 12, 0, 0, 5, time.UTC)}
	for _, f := range SyncFields {
		if f == FieldIconImage {
			continue
		}
		var got Account
		state, ok := setPlainField(&got, f, FieldValue(&a, StateTrash, f))
		if !ok {
			t.Errorf("%s = %s goes to encoding/json", f, FieldValue(&a, StateTrash, f))
			continue
		}
		if f == FieldDeleted && state != StateTrash || f != FieldDeleted && string(FieldValue(&got, "", f)) != string(FieldValue(&a, "", f)) {
			t.Errorf("%s: set %s (%q), want %s", f, FieldValue(&got, "", f), state, FieldValue(&a, StateTrash, f))
		}
	}
}

// FuzzSetField checks that whatever value setPlainField takes, encoding/json
// takes too and sets the same.
func FuzzSetField(f *testing.F) {
	for _, s := range []string{`"GitHub"`, `"caf\u00e9"`, `"a\"b"`, "\"\xff\"", `true`, `false`, `0`, `18446744073709551615`, `18446744073709551616`, `007`, `-1`, `1e3`,
		`"2026-03-01T12:00:00Z"`, `"2026-03-01T12:00:00.5+01:00"`, `"2026-13-01T12:00:00Z"`, `null`, `"aGk="`, `{"secret":"aGk=","type":"totp"}`, `"dup:abc"`, `""`,
		`{"secret":"aGk=","type":"totp","algorithm":"SHA1","digits":6,"period":30}`, `{"secret":"","type":"hotp","algorithm":"SHA512","digits":8}`,
		`{"secret":"a\nGk=","type":"totp","algorithm":"SHA1","digits":6}`, `{"secret":"aGk","type":"totp","algorithm":"SHA1","digits":06}`,
		`{"secret":"aGk=","type":"totp","algorithm":"SHA1","digits":6.0}`, `{"secret":"aGk=","type":"totp","algorithm":"SHA1","digits":99999999999999999999}`} {
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
