package vault

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// syncedVault returns a vault with sync on and two accounts settled.
func syncedVault() *Vault {
	v := &Vault{Device: Device{ID: "0123456789abcdef01234567", Name: "pc"}, Sync: Replica{Dir: "/x", Identity: "AGE-SECRET-KEY-1"}}
	v.Accounts = []Account{{ID: "a1", Issuer: "GitHub", Name: "alice", Secret: []byte("s"), Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30},
		{ID: "a2", Issuer: "Zürich", Name: "bob", Secret: []byte("t"), Type: HOTP, Algorithm: SHA1, Digits: 6}}
	v.Settle(nil, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	return v
}

// TestRegistersRead checks that the registers of a saved vault are read in
// one pass, and as encoding/json reads them.
func TestRegistersRead(t *testing.T) {
	data, err := json.Marshal(syncedVault().Sync.Accounts)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := readRegisters(data)
	if !ok {
		t.Fatalf("registers as a vault saves them go to encoding/json: %s", data)
	}
	var want map[string]map[string]Register
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(map[string]map[string]Register(got), want) || len(got) != 2 || len(got["a1"]) != len(SyncFields) {
		t.Errorf("read %v, encoding/json reads %v", got, want)
	}
	// A vault round trip keeps them.
	v := syncedVault()
	data, _ = json.Marshal(v)
	var back Vault
	if err := json.Unmarshal(data, &back); err != nil || !reflect.DeepEqual(back.Sync, v.Sync) {
		t.Errorf("a vault's sync state after a round trip: %v, %+v", err, back.Sync)
	}
}

// FuzzRegisters checks that whatever readRegisters takes, encoding/json
// takes too and reads the same.
func FuzzRegisters(f *testing.F) {
	data, _ := json.Marshal(syncedVault().Sync.Accounts)
	f.Add(data)
	for _, s := range []string{`{}`, `{"a":{}}`, `{"a":{"x":{"s":"1.2.n","h":"q"}},"a":{}}`, `{"a":{"x":{"s":"+1.2.n","h":"q"}}}`,
		`{"a":{"x":{"s":"1.2.n","h":"q"},"x":{"s":"3.4.n","h":"r"}}}`, `{"a":{"x":{"h":"q","s":"1.2.n"}}}`, `{"a":{"x":{"s":"1.2.n.m","h":"\u00e9"}}} `,
		`{"a":{"x":{"s":"99999999999999999999.0.","h":""}}}`, `{"a":null}`, `{"a":{"x":{"s":"1..n","h":""}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := readRegisters(data)
		if !ok {
			return
		}
		var want map[string]map[string]Register
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("readRegisters takes what encoding/json rejects (%v): %v", err, got)
		}
		if !reflect.DeepEqual(map[string]map[string]Register(got), want) {
			t.Fatalf("readRegisters reads %v, encoding/json %v", got, want)
		}
	})
}
