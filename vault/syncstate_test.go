package vault

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// TestSetPlain checks that the values of an account as sync writes them are
// set without encoding/json, except an icon image.
func TestSetPlain(t *testing.T) {
	a := Account{Issuer: "Zürich", Name: "alice", Group: "Work", Favorite: true, Icon: "github", Secret: []byte("secret!"),
		Type: HOTP, Algorithm: SHA256, Digits: 8, Period: 30, Counter: 42, Created: time.Date(2026, 3, 1, 12, 0, 0, 5, time.UTC)}
	for _, f := range SyncFields {
		if f == FieldIconImage {
			continue
		}
		var got Account
		var otp OTP
		var state string
		value := FieldValue(&a, StateTrash, f)
		if !setPlain(fieldTarget(&got, f, &otp, &state), value) {
			t.Errorf("%s = %s goes to encoding/json", f, value)
			continue
		}
		if f == FieldOTP {
			got.Secret, got.Type, got.Algorithm, got.Digits, got.Period = otp.Secret, otp.Type, otp.Algorithm, otp.Digits, otp.Period
		}
		if f == FieldDeleted && state != StateTrash || f != FieldDeleted && string(FieldValue(&got, "", f)) != string(value) {
			t.Errorf("%s: set %s (%q), want %s", f, FieldValue(&got, "", f), state, value)
		}
	}
}

// FuzzSetField checks that whatever value setPlain takes, encoding/json
// takes too and sets the same.
func FuzzSetField(f *testing.F) {
	for _, s := range []string{`"GitHub"`, `"caf\u00e9"`, `"a\"b"`, "\"\xff\"", `true`, `false`, `0`, `18446744073709551615`, `18446744073709551616`, `007`, `-1`, `1e3`,
		`"2026-03-01T12:00:00Z"`, `"2026-03-01T12:00:00.5+01:00"`, `"2026-13-01T12:00:00Z"`, `null`, `"aGk="`, `{"secret":"aGk=","type":"totp"}`, `"dup:abc"`, `""`,
		`{"secret":"aGk=","type":"totp","algorithm":"SHA1","digits":6,"period":30}`, `{"secret":"","type":"hotp","algorithm":"SHA512","digits":8}`,
		`{"secret":"a\\nGk=","type":"totp","algorithm":"SHA1","digits":6}`, `{"secret":"aGk","type":"totp","algorithm":"SHA1","digits":06}`,
		`{"secret":"aGk=","type":"totp","algorithm":"SHA1","digits":6.0}`, `{"secret":"aGk=","type":"totp","algorithm":"SHA1","digits":99999999999999999999}`} {
		for i := range SyncFields {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, field uint8, value []byte) {
		name := SyncFields[int(field)%len(SyncFields)]
		type into struct {
			a     Account
			otp   OTP
			state string
		}
		before := into{a: Account{Issuer: "i", Name: "n", Group: "g", Favorite: true, Icon: "x", IconImage: []byte{1}, Secret: []byte{2}, Counter: 9, Created: time.Unix(5, 0)}, state: "s"}
		fast, slow := before, before
		if !setPlain(fieldTarget(&fast.a, name, &fast.otp, &fast.state), value) {
			return
		}
		if err := json.Unmarshal(value, fieldTarget(&slow.a, name, &slow.otp, &slow.state)); err != nil {
			t.Fatalf("%s = %q: setPlain takes what encoding/json rejects (%v)", name, value, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%s = %q: setPlain sets %+v, encoding/json %+v", name, value, fast, slow)
		}
	})
}
