package transfer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// lowerKDFBounds makes the bounds on a file's KDF costs small for a test, so
// that fuzzing spends its time on parsing rather than on scrypt and PBKDF2.
func lowerKDFBounds(t testing.TB) {
	limits, iter := kdfLimits, andotpMaxIterations
	kdfLimits, andotpMaxIterations = kdfBudget{work: 1 << 18, memory: 80 << 20}, 5000
	t.Cleanup(func() { kdfLimits, andotpMaxIterations = limits, iter })
}

// fuzzImport fuzzes the importer of format f, seeded with the generated
// files of that format and the peer exports.
func fuzzImport(f *testing.F, format Format) {
	lowerKDFBounds(f)
	for _, c := range append(genCases(f), formatCases(f)...) {
		if c.format == format || format == FormatAuto {
			f.Add(c.data)
		}
	}
	if entries, err := os.ReadDir(peersDir); err == nil {
		for _, e := range entries {
			if data, err := os.ReadFile(filepath.Join(peersDir, e.Name())); err == nil {
				if d, _ := DetectFormat(data); d == format || format == FormatAuto {
					f.Add(data)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		im, err := ImportAccounts(data, format, func() (string, error) { return fuzzPassword, nil })
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("import took %v", d)
		}
		if err != nil {
			if im != nil {
				t.Error("an error and a result")
			}
			return
		}
		if len(im.Entries) == 0 || len(im.Entries) > MaxImportEntries {
			t.Errorf("%d entries", len(im.Entries))
		}
		for _, e := range im.Entries {
			if e.Err == nil {
				if err := e.Account.Validate(); err != nil {
					t.Errorf("entry %s is given as valid but %v", e.Account.Label(), err)
				}
			}
		}
	})
}

func FuzzImportAuto(f *testing.F)      { fuzzImport(f, FormatAuto) }
func FuzzImportAegis(f *testing.F)     { fuzzImport(f, FormatAegis) }
func FuzzImportTwoFAS(f *testing.F)    { fuzzImport(f, FormatTwoFAS) }
func FuzzImportURIs(f *testing.F)      { fuzzImport(f, FormatURIs) }
func FuzzImportBitwarden(f *testing.F) { fuzzImport(f, FormatBitwarden) }
func FuzzImportAndOTP(f *testing.F)    { fuzzImport(f, FormatAndOTP) }
func FuzzImportFreeOTP(f *testing.F)   { fuzzImport(f, FormatFreeOTP) }
func FuzzImportProton(f *testing.F)    { fuzzImport(f, FormatProton) }
func FuzzImportGoogle(f *testing.F)    { fuzzImport(f, FormatGoogle) }

// TestImportTruncated cuts every generated file short at many places: each cut
// either fails with an error or yields only what is there, and never panics.
// (Formats of one entry a line may lose only padding or a line end.)
func TestImportTruncated(t *testing.T) {
	lowerKDFBounds(t)
	for _, c := range genCases(t) {
		pass := func() (string, error) { return c.password, nil }
		for n := 0; n < len(c.data); n += max(1, len(c.data)/40) {
			im, err := ImportAccounts(c.data[:n], c.format, pass)
			if err == nil && len(im.Accounts()) >= len(c.want) && c.format != FormatURIs && c.format != FormatBitwarden && c.format != FormatGoogle {
				t.Errorf("%s cut to %d bytes: all %d accounts read", c.name, n, len(im.Accounts()))
			}
			if c.password != "" && err == nil {
				t.Errorf("%s cut to %d bytes: the encrypted file opened", c.name, n)
			}
		}
	}
}

// TestImportHostileKDF checks that KDF costs from a file are bounded before any
// work is done: an Aegis slot asking for scrypt N = 2^30, an andOTP file
// asking for four billion iterations.
func TestImportHostileKDF(t *testing.T) {
	aegis := []byte(`{"version":1,"header":{"slots":[{"type":1,"uuid":"x","key":"00","key_params":{"nonce":"00","tag":"00"},"n":1073741824,"r":8,"p":1,"salt":"00"}],"params":{"nonce":"00","tag":"00"}},"db":"AAAA"}`)
	start := time.Now()
	_, err := ImportAccounts(aegis, FormatAuto, func() (string, error) { return "x", nil })
	var ierr *ImportError
	if !errors.As(err, &ierr) || time.Since(start) > time.Second {
		t.Errorf("aegis N=2^30: %v after %v; want an ImportError at once", err, time.Since(start))
	}
	for _, p := range []string{`"n":32768,"r":8,"p":1000000`, `"n":32768,"r":100000,"p":1`, `"n":1000,"r":8,"p":1`, `"n":-2,"r":8,"p":1`} {
		data := []byte(`{"version":1,"header":{"slots":[{"type":1,"key":"00","key_params":{"nonce":"00","tag":"00"},` + p + `,"salt":"00"}],"params":{"nonce":"00","tag":"00"}},"db":"AAAA"}`)
		if _, err := ImportAccounts(data, FormatAegis, func() (string, error) { return "x", nil }); !errors.As(err, &ierr) {
			t.Errorf("aegis %s: %v, want an ImportError", p, err)
		}
	}

	andotp := append([]byte{0xff, 0xff, 0xff, 0xff}, make([]byte, 64)...)
	if andotpIterations(andotp) != 0 {
		t.Error("four billion iterations taken for an andOTP backup of the new format")
	}
	start = time.Now()
	_, err = ImportAccounts(andotp, FormatAuto, func() (string, error) { return "x", nil })
	if !errors.Is(err, ErrWrongPassword) || time.Since(start) > time.Second {
		t.Errorf("andOTP with 2^32-1 iterations: %v after %v; want a wrong password at once", err, time.Since(start))
	}
}

// TestImportTooLarge refuses a sparse file of 100 MB before reading it.
func TestImportTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(100 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := ReadImportFile(path); !errors.Is(err, ErrImportTooLarge) {
		t.Errorf("100 MB file: %v, want ErrImportTooLarge", err)
	}
	if _, err := ImportAccounts(make([]byte, MaxImportSize+1), FormatAuto, nil); !errors.Is(err, ErrImportTooLarge) {
		t.Errorf("ImportAccounts of %d bytes: %v, want ErrImportTooLarge", MaxImportSize+1, err)
	}
}

func TestImportUnknownFormat(t *testing.T) {
	for _, data := range []string{"Shopping list: milk, eggs.", `{"hello": "world"}`, `[1, 2, 3]`, "\x00\x01\x02binary"} {
		if _, err := ImportAccounts([]byte(data), FormatAuto, nil); !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("%q: %v, want ErrUnknownFormat", data, err)
		}
	}
	for _, data := range []string{"", "  \n", `{"header": {`} {
		var ierr *ImportError
		if _, err := ImportAccounts([]byte(data), FormatAuto, nil); !errors.As(err, &ierr) {
			t.Errorf("%q: %v, want an ImportError", data, err)
		}
	}
}

// TestImportBitwardenAccountRestricted checks that the encrypted Bitwarden
// export only Bitwarden can open says so in plain words.
func TestImportBitwardenAccountRestricted(t *testing.T) {
	data := []byte(`{"encrypted": true, "encKeyValidation_DO_NOT_EDIT": "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "folders": [], "items": [{"id": "x", "type": 1, "name": "2.x|y|z"}]}`)
	_, err := ImportAccounts(data, FormatAuto, func() (string, error) { return "x", nil })
	if !errors.Is(err, ErrBitwardenAccountRestricted) {
		t.Errorf("account-restricted export: %v, want ErrBitwardenAccountRestricted", err)
	}
	if err != nil && !strings.Contains(err.Error(), "can only be opened by Bitwarden") {
		t.Errorf("message %q does not say that only Bitwarden opens it", err)
	}
}

// TestImportInvalidEntries checks that an entry that cannot be used is reported
// with its label and reason, and does not stop the others.
func TestImportInvalidEntries(t *testing.T) {
	data := []byte(`{"version":1,"header":{"slots":null,"params":null},"db":{"version":3,"entries":[
		{"type":"totp","uuid":"a","name":"ann","issuer":"Good","info":{"secret":"JBSWY3DPEHPK3PXP","algo":"SHA1","digits":6,"period":30}},
		{"type":"motp","uuid":"b","name":"bob","issuer":"Mobile","info":{"secret":"JBSWY3DPEHPK3PXP","algo":"MD5","digits":6,"period":10,"pin":"1234"}},
		{"type":"totp","uuid":"c","name":"carl","issuer":"Typo","info":{"secret":"JBSW0000","algo":"SHA1","digits":6,"period":30}},
		{"type":"totp","uuid":"d","name":"dora","issuer":"Odd","info":{"secret":"JBSWY3DPEHPK3PXP","algo":"MD5","digits":6,"period":30}},
		{"type":"hotp","uuid":"e","name":"eve","issuer":"Neg","info":{"secret":"JBSWY3DPEHPK3PXP","algo":"SHA1","digits":6,"counter":-1}}
	],"groups":[]}}`)
	im, err := ImportAccounts(data, FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ label, reason string }{
		{"Good: ann", ""},
		{"Mobile: bob", `type "motp" is not supported: Authdeck supports TOTP, HOTP and Steam`},
		{"Typo: carl", `secret is not valid base32: "0" is not a base32 letter (A-Z, 2-7)`},
		{"Odd: dora", `algorithm "MD5" is not supported: use SHA1, SHA256 or SHA512`},
		{"Neg: eve", "info.counter: expected a whole number from 0, found number -1"},
	}
	if len(im.Entries) != len(want) {
		t.Fatalf("%d entries, want %d", len(im.Entries), len(want))
	}
	for i, w := range want {
		e := im.Entries[i]
		reason := ""
		if e.Err != nil {
			reason = e.Err.Error()
		}
		if e.Account.Label() != w.label || reason != w.reason {
			t.Errorf("entry %d: %q, %q; want %q, %q", i, e.Account.Label(), reason, w.label, w.reason)
		}
	}
}
