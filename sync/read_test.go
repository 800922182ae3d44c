package sync

import (
	"encoding/json"
	"reflect"
	"testing"

	"authdeck/vault"
)

// fastSnapshot returns the JSON of a device file with names that need
// escapes, non-ASCII text, an icon, a deleted account and removed devices.
func fastSnapshot(t testing.TB) []byte {
	id := testIdentity(t)
	v := &vault.Vault{Device: vault.Device{ID: "0123456789abcdef01234567", Name: "Tom & Jerry's \"PC\" é"}, Sync: vault.Replica{Dir: "/x", Identity: id.String()}}
	a, b := account("GitHub <work>", "alice\u2028", "s"), account("Zürich Bank", "bob\t", "h")
	a.IconImage = []byte{0x89, 'P', 'N', 'G', 0, 1, 2}
	b.Type = vault.HOTP
	b.Normalize()
	v.Accounts = []vault.Account{a, b}
	v.Settle(nil, t0)
	v.Remove(b.ID)
	v.Sync.Removed = []string{"fedcba9876543210fedcba98"}
	v.Settle([]vault.Account{a, b}, t0)
	return mustJSON(t, Snapshot(v, t0))
}

// TestParseFast checks that what Authdeck writes is read without
// encoding/json, and read as encoding/json reads it.
func TestParseFast(t *testing.T) {
	body := fastSnapshot(t)
	got, ok := parseFast(body)
	if !ok {
		t.Fatalf("a device file as Authdeck writes it goes to encoding/json:\n%s", body)
	}
	want := new(File)
	if err := json.Unmarshal(body, want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read\n%+v\nencoding/json reads\n%+v", got, want)
	}
	if len(got.Accounts) != 2 || len(got.Removed) != 1 || got.Device.Name != "Tom & Jerry's \"PC\" é" {
		t.Errorf("read %+v", got)
	}
}

// TestFieldsJSON checks that an account's fields are written as
// encoding/json writes a map of them.
func TestFieldsJSON(t *testing.T) {
	var f File
	if err := json.Unmarshal(fastSnapshot(t), &f); err != nil {
		t.Fatal(err)
	}
	f.Accounts[1].Fields[0].Stamp.Node = "<odd & \"node\">"
	for _, e := range f.Accounts {
		m := map[string]Value{}
		for i, v := range e.Fields {
			if v.Value != nil {
				m[vault.SyncFields[i]] = v
			}
		}
		if got, want := mustJSON(t, e.Fields), mustJSON(t, m); string(got) != string(want) {
			t.Errorf("fields written as\n%s\nencoding/json writes\n%s", got, want)
		}
	}
}

// FuzzParseFast checks that whatever parseFast accepts, encoding/json
// accepts and reads the same.
func FuzzParseFast(f *testing.F) {
	f.Add(fastSnapshot(f))
	for _, s := range []string{
		`{"format":"authdeck-sync","version":1,"device":{"id":"x","name":null},"accounts":[{"id":"a","fields":{"otp":{"v":{"secret":"AA==","type":"totp","algorithm":"SHA1","digits":6},"s":"1.2.x"},"deleted":{"v":"dup:b","s":"2.0.x"}}}]}`,
		`{"format":"authdeck-sync","version":1,"version":2}`,
		`{"Format":"authdeck-sync","version":1e0,"revision":-1}`,
		`{"accounts":[{"id":"a","fields":{"name":{"v":"x","s":"1.0.\u0061"},"name":{"v":"y"}}}]}`,
		`{"prefs":{"theme":{"v":"dark","s":"5.0.n"}},"removed":["a",null],"written":null}`,
		`{"order":{"v":[[[[{"a":[1.5e-3,-0,true,false,null,"\ud800"]}]]]],"s":"0.0."}} `,
		"{\"device\":{\"id\":\"\xff\"}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, ok := parseFast(body)
		if !ok {
			return
		}
		want := new(File)
		if err := json.Unmarshal(body, want); err != nil {
			t.Fatalf("parseFast read what encoding/json rejects (%v): %+v", err, got)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("parseFast read\n%+v\nencoding/json reads\n%+v", got, want)
		}
	})
}

// FuzzSkip checks that the reader takes exactly the valid JSON values that
// encoding/json takes (nested deeper than it reads, it takes none).
func FuzzSkip(f *testing.F) {
	for _, s := range []string{`{"a":[1,-0.5e+7,true,null,"\u00e9\n"]}`, `"\x"`, `01`, `[1,]`, `{"a" 1}`, "\"\x1f\"", `-`, `1.`, `1e`, ` [ ] `, `"\ud800"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := reader{b: data}
		r.space()
		ok := r.skip()
		r.space()
		ok = ok && r.i == len(data)
		if valid := json.Valid(data); ok != valid && (ok || len(data) <= maxDepth) {
			t.Fatalf("the reader takes %q: %v; encoding/json: %v", data, ok, valid)
		}
	})
}
