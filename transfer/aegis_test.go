package transfer

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestAegisLegacyPassword checks the padding of Aegis' issue #95 against
// Java's encoder: 1.1 bytes a UTF-16 unit, grown to 2n+1 until it fits.
func TestAegisLegacyPassword(t *testing.T) {
	tests := []struct {
		pass string
		size int
	}{
		{"", 0},
		{"abc", 3},                     // 3.3 -> 3
		{strings.Repeat("a", 10), 11},  // 11
		{"ü", 3},                       // 1.1 -> 1, 2 bytes: 2*1+1
		{strings.Repeat("ü", 10), 23},  // 11, 20 bytes: 23
		{strings.Repeat("€", 30), 135}, // 33, 90 bytes: 67, then 135
		{"😀", 5},                       // 2 units: 2.2 -> 2, 4 bytes: 5
	}
	for _, tt := range tests {
		got := aegisLegacyPassword(tt.pass)
		if !bytes.HasPrefix(got, []byte(tt.pass)) || strings.Trim(string(got[len(tt.pass):]), "\x00") != "" {
			t.Errorf("%q: %q is not the password padded with zeros", tt.pass, got)
		}
		if len(got) != tt.size {
			t.Errorf("%q: %d bytes, want %d", tt.pass, len(got), tt.size)
		}
	}
}

// TestAegisUnrepairedSlot opens a vault whose password slot was written by
// an Aegis affected by issue #95: a long password, padded, and no
// "repaired" mark. A slot marked repaired is not tried the old way.
func TestAegisUnrepairedSlot(t *testing.T) {
	pass := strings.Repeat("correct horse ", 6) // 84 bytes
	want := genAccounts(t)
	data := genAegis(t, want, 3, string(aegisLegacyPassword(pass)))
	checkImport(t, genCase{format: FormatAegis, password: pass, want: want}, data, time.Unix(1_800_000_000, 0))

	repaired := bytes.Replace(data, []byte(`"p": 1,`), []byte(`"p": 1, "repaired": true,`), 1)
	if bytes.Equal(repaired, data) {
		t.Fatal("no slot to mark repaired")
	}
	if _, err := ImportAccounts(repaired, FormatAegis, func() (string, error) { return pass, nil }); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("repaired slot under the padded password: %v, want ErrWrongPassword", err)
	}
}
