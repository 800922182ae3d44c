package sync

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"regexp"
	"testing"

	"filippo.io/age"
	"filippo.io/age/armor"

	"authdeck/vault"
)

func mustJSON(t testing.TB, v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// encryptTo writes a device file with the given plaintext, as anyone who
// knows the sync's public recipient can.
func encryptTo(t testing.TB, r age.Recipient, plain []byte) []byte {
	var buf bytes.Buffer
	buf.WriteString("authdeck-sync v1\n")
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(plain)
	w.Close()
	return buf.Bytes()
}

func TestEncodeDecode(t *testing.T) {
	id := testIdentity(t)
	v := &vault.Vault{Device: vault.Device{ID: "0123456789abcdef01234567", Name: "pc"}, Sync: vault.Replica{Dir: "/x", Identity: id.String()}}
	v.Accounts = []vault.Account{account("GitHub", "alice", "s")}
	v.Settle(nil, t0)
	data, err := Encode(Snapshot(v, t0), id)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("GitHub")) {
		t.Error("the device file is not encrypted")
	}
	f, err := Decode(data, id)
	if err != nil {
		t.Fatal(err)
	}
	if f.Device != v.Device || len(f.Accounts) != 1 || f.Accounts[0].ID != v.Accounts[0].ID {
		t.Errorf("decoded %+v", f)
	}
	// A file with a valid signature but signed with another sync's key.
	if _, err := Decode(data, testIdentity(t)); !errors.Is(err, ErrForeign) {
		t.Errorf("another identity: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	id, _ := age.ParseX25519Identity("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX")
	v := &vault.Vault{Device: vault.Device{ID: "0123456789abcdef01234567", Name: "pc"}, Sync: vault.Replica{Dir: "/x", Identity: id.String()}}
	v.Accounts = []vault.Account{account("GitHub", "alice", "s")}
	v.Settle(nil, t0)
	good, _ := Encode(Snapshot(v, t0), id)
	f.Add(good)
	f.Add(good[:len(good)/2])
	if fixture, err := os.ReadFile("testdata/device-v1.age"); err == nil {
		f.Add(fixture)
	}
	f.Add([]byte("authdeck-sync v1\n"))
	f.Add([]byte("authdeck-sync v99\nxx"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Decode(data, id)
		if err != nil {
			return
		}
		// A file that decodes merges without a panic, whatever it holds.
		w := &vault.Vault{Device: vault.Device{ID: "aa", Name: "x"}, Sync: vault.Replica{Dir: "/x", Identity: id.String()}}
		Merge(w, []*File{file}, t0)
	})
}

// FuzzParse fuzzes the JSON of an authenticated device file and the merge of
// what it holds: a device of the sync with a bug must not crash another.
func FuzzParse(f *testing.F) {
	id, _ := age.ParseX25519Identity("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX")
	v := &vault.Vault{Device: vault.Device{ID: "0123456789abcdef01234567", Name: "pc"}, Sync: vault.Replica{Dir: "/x", Identity: id.String()}}
	h := account("Bank", "bob", "h")
	h.Type = vault.HOTP
	h.Normalize()
	v.Accounts = []vault.Account{account("GitHub", "alice", "s"), h}
	v.Settle(nil, t0)
	body, _ := json.Marshal(Snapshot(v, t0))
	f.Add(body)
	f.Add([]byte(`{"format":"authdeck-sync","version":1,"device":{"id":"x"},"accounts":[{"id":"a","fields":{"otp":{"v":{"secret":"AA==","type":"totp","algorithm":"SHA1","digits":6},"s":{"w":1}},"deleted":{"v":"dup:b","s":{"w":2}}}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		file, err := parse(body)
		if err != nil {
			return
		}
		w := &vault.Vault{Device: vault.Device{ID: "aa", Name: "x"}, Sync: vault.Replica{Dir: "/x", Identity: id.String()}}
		w.Accounts = []vault.Account{account("GitHub", "alice", "s")}
		w.Settle(nil, t0)
		Merge(w, []*File{file}, t0)
		Merge(w, []*File{file}, t0)
	})
}

// TestKeyFileWorkBounded refuses a key file that asks for more scrypt work
// than Authdeck writes, before doing any of it.
func TestKeyFileWorkBounded(t *testing.T) {
	id := testIdentity(t)
	key, err := wrapIdentity(id, "pass", 10)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := unwrapIdentity(key, "pass"); err != nil || got.String() != id.String() {
		t.Fatalf("unwrap: %v", err)
	}
	if _, err := unwrapIdentity(key, "wrong"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("a wrong passphrase: %v", err)
	}
	bin, err := io.ReadAll(armor.NewReader(bytes.NewReader(key)))
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`(-> scrypt \S+) 10\n`)
	if !line.Match(bin) {
		t.Fatalf("no scrypt stanza in %q", bin[:80])
	}
	heavy := line.ReplaceAll(bin, []byte("$1 30\n"))
	var buf bytes.Buffer
	w := armor.NewWriter(&buf)
	w.Write(heavy)
	w.Close()
	if _, err := unwrapIdentity(buf.Bytes(), "pass"); !errors.Is(err, ErrTooMuchWork) {
		t.Errorf("a key file asking for 2^30: %v", err)
	}
}
