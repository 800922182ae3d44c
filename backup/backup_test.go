package backup

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"

	"authdeck/vault"
)

// bkWorkFactor is a cheap scrypt cost for tests; the real one is 18.
const bkWorkFactor = 10

const bkPass = "correct horse battery staple"

var bkAt = time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC)

// bkAccounts are one of each kind: TOTP from RFC 6238 App. B, HOTP with a
// counter, Steam, a grouped SHA256 account, and a device-bound account.
func bkAccounts() []vault.Account {
	mk := func(issuer, name, secret string, typ vault.Type, alg vault.Algorithm, digits int) vault.Account {
		a := vault.Account{ID: vault.NewID(), Issuer: issuer, Name: name, Secret: []byte(secret),
			Type: typ, Algorithm: alg, Digits: digits, Created: bkAt.Add(-time.Hour), Updated: bkAt.Add(-time.Hour)}
		a.Normalize()
		return a
	}
	accts := []vault.Account{
		mk("ACME Co", "john@example.com", "12345678901234567890", vault.TOTP, vault.SHA1, 8),
		mk("Git", "dave", "hotp-secret-0123456789", vault.HOTP, vault.SHA1, 6),
		mk("Steam", "bob", "steam-secret-abcdefgh", vault.Steam, "", 0),
		mk("GitHub", "ann", "github-secret-abcdefg", vault.TOTP, vault.SHA256, 6),
		mk("Bank", "ann", "BANK-DEVICE-SECRET-42!", vault.TOTP, vault.SHA1, 6),
	}
	accts[1].Counter = 7
	accts[3].Group = "work"
	accts[4].Binding = vault.DeviceBound
	return accts
}

// bkVault returns a vault with bkAccounts, preferences and a backup key.
func bkVault(t testing.TB) *vault.Vault {
	v := &vault.Vault{Version: vault.FormatVersion, Revision: 12,
		Device:   vault.Device{ID: "0123456789abcdef01234567", Name: "laptop"},
		Accounts: bkAccounts(),
		Prefs:    vault.Prefs{Theme: "dark", HideCodes: true, ClipboardClearSeconds: 45}}
	if err := SetPassphrase(&v.Backup, bkPass, bkWorkFactor); err != nil {
		t.Fatal(err)
	}
	return v
}

func bkEncode(t testing.TB, v *vault.Vault) []byte {
	data, err := Encode(v, bkAt)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// bkCodes returns the code of every account with a secret at a fixed time.
func bkCodes(t testing.TB, accts []vault.Account) []string {
	var codes []string
	for _, a := range accts {
		if a.NeedsVerification {
			codes = append(codes, "-")
			continue
		}
		c, err := a.Code(bkAt)
		if err != nil {
			t.Fatalf("%s: %v", a.Label(), err)
		}
		codes = append(codes, c)
	}
	return codes
}

func TestEncodeDecode(t *testing.T) {
	v := bkVault(t)
	data := bkEncode(t, v)
	if !regexp.MustCompile(`^authdeck-backup v1\nkey-sha256 [0-9a-f]{64}\n` + armorBegin + "\n").Match(data) {
		t.Fatalf("backup starts with %q", data[:100])
	}
	if !strings.Contains(string(data), v.Backup.WrappedIdentity) {
		t.Error("the wrapped identity is not in the backup")
	}
	b, err := Decode(data, bkPass)
	if err != nil {
		t.Fatal(err)
	}
	if b.Version != 1 || !b.Created.Equal(bkAt) || b.Device != v.Device || b.Revision != 12 || b.Prefs != v.Prefs {
		t.Errorf("header: %+v", b)
	}
	if len(b.Accounts) != len(v.Accounts) {
		t.Fatalf("%d accounts, want %d", len(b.Accounts), len(v.Accounts))
	}
	for i, got := range b.Accounts {
		want := v.Accounts[i]
		if want.Binding == vault.DeviceBound {
			want.Secret, want.NeedsVerification = nil, true
		}
		if !bkSameAccount(got, want) {
			t.Errorf("account %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
}

// bkSameAccount compares everything of an account a backup keeps.
func bkSameAccount(a, b vault.Account) bool {
	return a.ID == b.ID && a.Issuer == b.Issuer && a.Name == b.Name && bytes.Equal(a.Secret, b.Secret) &&
		a.Type == b.Type && a.Algorithm == b.Algorithm && a.Digits == b.Digits && a.Period == b.Period &&
		a.Counter == b.Counter && a.Binding == b.Binding && a.Group == b.Group &&
		a.NeedsVerification == b.NeedsVerification && a.Created.Equal(b.Created) && a.Updated.Equal(b.Updated)
}

// bkOpenByHand decrypts a backup the way docs/backup-format.md says, with
// the age library alone: the first block with the passphrase gives the
// identity, which opens the second.
func bkOpenByHand(t *testing.T, data []byte, pass string) []byte {
	t.Helper()
	blocks, err := splitFile(data)
	if err != nil {
		t.Fatal(err)
	}
	sid, _ := age.NewScryptIdentity(pass)
	r, err := age.Decrypt(bytes.NewReader(blocks.identity), sid)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := age.ParseIdentities(r)
	if err != nil {
		t.Fatal(err)
	}
	r, err = age.Decrypt(bytes.NewReader(blocks.contents), ids...)
	if err != nil {
		t.Fatal(err)
	}
	var plain bytes.Buffer
	if _, err := plain.ReadFrom(r); err != nil {
		t.Fatal(err)
	}
	return plain.Bytes()
}

// TestDeviceBoundSecretNeverLeaves decrypts a backup and looks for the
// device-bound secret in every form: it is not there, while the portable
// ones are.
func TestDeviceBoundSecretNeverLeaves(t *testing.T) {
	v := bkVault(t)
	data := bkEncode(t, v)
	plain := bkOpenByHand(t, data, bkPass)
	bound := v.Accounts[4]
	for _, form := range [][]byte{bound.Secret, []byte(bound.SecretBase32()), []byte(strings.ToLower(bound.SecretBase32()))} {
		if bytes.Contains(plain, form) || bytes.Contains(data, form) {
			t.Errorf("the device-bound secret %q is in the backup", form)
		}
	}
	if !bytes.Contains(plain, []byte(`"secret": "`+v.Accounts[0].SecretBase32()+`"`)) {
		t.Error("a portable secret is missing from the backup")
	}
	var c fileContents
	if err := json.Unmarshal(plain, &c); err != nil {
		t.Fatal(err)
	}
	if got := c.Accounts[4]; got.Binding != vault.DeviceBound || got.Secret != "" || got.Issuer != "Bank" {
		t.Errorf("device-bound account in the backup: %+v", got)
	}
}

func TestWrongPassphrase(t *testing.T) {
	data := bkEncode(t, bkVault(t))
	for _, pass := range []string{"", "correct horse battery stapl", "Correct horse battery staple"} {
		if _, err := Decode(data, pass); !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("passphrase %q: %v, want ErrWrongPassphrase", pass, err)
		}
	}
}

// bkBadErrors are the errors that bad input may give.
var bkBadErrors = []error{ErrDamaged, ErrWrongPassphrase, ErrNotBackup, ErrNewerVersion, ErrTooMuchWork}

func bkIsBad(err error) bool {
	return slices.ContainsFunc(bkBadErrors, func(e error) bool { return errors.Is(err, e) })
}

// TestEveryByteChanged changes each byte of a backup in turn: none of them
// opens, and each gives one of the errors the CLI explains.
func TestEveryByteChanged(t *testing.T) {
	v := bkVault(t)
	v.Accounts = v.Accounts[:2]
	data := bkEncode(t, v)
	counts := map[error]int{}
	for i := range data {
		for _, flip := range []byte{0x01, 0x80} {
			bad := bytes.Clone(data)
			bad[i] ^= flip
			_, err := Decode(bad, bkPass)
			if err == nil {
				t.Fatalf("byte %d ^ %#x: the changed backup opened", i, flip)
			}
			if !bkIsBad(err) {
				t.Fatalf("byte %d ^ %#x: unexpected error %v", i, flip, err)
			}
			for _, e := range bkBadErrors {
				if errors.Is(err, e) {
					counts[e]++
				}
			}
			if errors.Is(err, ErrWrongPassphrase) {
				t.Errorf("byte %d ^ %#x: a damaged file says %v", i, flip, err)
			}
		}
	}
	if counts[ErrDamaged] < len(data) {
		t.Errorf("only %d of %d changes said damaged: %v", counts[ErrDamaged], 2*len(data), counts)
	}
}

func TestTruncated(t *testing.T) {
	data := bkEncode(t, bkVault(t))
	for n := range len(data) - 1 {
		_, err := Decode(data[:n], bkPass)
		switch {
		case n == 0 && !errors.Is(err, ErrNotBackup):
			t.Errorf("empty file: %v", err)
		case n > 0 && !errors.Is(err, ErrDamaged):
			t.Fatalf("cut at %d of %d: %v, want ErrDamaged", n, len(data), err)
		}
	}
	// Line endings turned into CRLF by a copy on Windows still open.
	crlf := bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
	if _, err := Decode(crlf, bkPass); err != nil {
		t.Errorf("CRLF line endings: %v", err)
	}
}

func TestNotBackup(t *testing.T) {
	var plainAge bytes.Buffer
	id, _ := age.GenerateX25519Identity()
	w, _ := age.Encrypt(&plainAge, id.Recipient())
	w.Write([]byte("hello"))
	w.Close()
	for name, data := range map[string][]byte{
		"empty":    nil,
		"text":     []byte("otpauth://totp/Mail:ann?secret=GEZDGNBVGY3TQOJQ\n"),
		"age file": plainAge.Bytes(),
		"json":     []byte(`{"version": 1, "accounts": []}`),
		"too big":  append([]byte("authdeck-backup v1\n"), make([]byte, MaxSize)...),
	} {
		if _, err := Decode(data, bkPass); !errors.Is(err, ErrNotBackup) {
			t.Errorf("%s: %v, want ErrNotBackup", name, err)
		}
		if err := Check(data); !errors.Is(err, ErrNotBackup) {
			t.Errorf("Check %s: %v, want ErrNotBackup", name, err)
		}
	}
}

// TestNewerVersion: a newer format is refused, said on the outside before
// the passphrase is needed, and inside (authenticated) too.
func TestNewerVersion(t *testing.T) {
	v := bkVault(t)
	data := bkEncode(t, v)
	outside := bytes.Replace(data, []byte("authdeck-backup v1\n"), []byte("authdeck-backup v2\n"), 1)
	if err := Check(outside); !errors.Is(err, ErrNewerVersion) {
		t.Errorf("outside: %v", err)
	}
	plain := bkOpenByHand(t, data, bkPass)
	plain = bytes.Replace(plain, []byte(`"version": 1,`), []byte(`"version": 2,`), 1)
	r, _ := age.ParseX25519Recipient(v.Backup.Recipient)
	sealed, err := sealArmored(plain, r)
	if err != nil {
		t.Fatal(err)
	}
	inside := []byte("authdeck-backup v1\n" + v.Backup.WrappedIdentity + string(sealed))
	if _, err := Decode(inside, bkPass); !errors.Is(err, ErrNewerVersion) {
		t.Errorf("inside: %v", err)
	}
}

func TestNoPassphraseSet(t *testing.T) {
	v := bkVault(t)
	v.Backup = vault.BackupConfig{}
	if _, err := Encode(v, bkAt); !errors.Is(err, ErrNoPassphrase) {
		t.Errorf("Encode without a key: %v", err)
	}
}

// TestChangePassphrase: a new passphrase is a new identity; old backups keep
// needing the old passphrase.
func TestChangePassphrase(t *testing.T) {
	v := bkVault(t)
	old := bkEncode(t, v)
	oldKey := v.Backup
	if err := SetPassphrase(&v.Backup, "a new passphrase", bkWorkFactor); err != nil {
		t.Fatal(err)
	}
	if v.Backup.Recipient == oldKey.Recipient {
		t.Fatal("a new passphrase kept the old identity")
	}
	if err := CheckPassphrase(v.Backup, "a new passphrase"); err != nil {
		t.Error(err)
	}
	if err := CheckPassphrase(v.Backup, bkPass); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("old passphrase on new key: %v", err)
	}
	fresh := bkEncode(t, v)
	if _, err := Decode(fresh, "a new passphrase"); err != nil {
		t.Error(err)
	}
	if _, err := Decode(old, "a new passphrase"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("old backup, new passphrase: %v", err)
	}
	if _, err := Decode(old, bkPass); err != nil {
		t.Errorf("old backup, old passphrase: %v", err)
	}
}

var bkUpdateFixture = flag.Bool("update-backup-fixture", false, "write backup/testdata/backup/v1.authdeck-backup anew")

const (
	bkFixture     = "testdata/backup/v1.authdeck-backup"
	bkFixturePass = "fixture passphrase for authdeck v1"
)

// TestFixtureV1 restores a backup written by format version 1, committed
// once: every later version must keep reading it.
func TestFixtureV1(t *testing.T) {
	if *bkUpdateFixture {
		v := bkVault(t)
		if err := SetPassphrase(&v.Backup, bkFixturePass, bkWorkFactor); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(bkFixture), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bkFixture, bkEncode(t, v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(bkFixture)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Decode(data, bkFixturePass)
	if err != nil {
		t.Fatal(err)
	}
	if b.Version != 1 || b.Device.Name != "laptop" || b.Revision != 12 || b.Prefs.Theme != "dark" || b.Prefs.ClipboardClearSeconds != 45 {
		t.Errorf("header: %+v", b)
	}
	want := []struct {
		label, code string
		bound       bool
	}{
		{"ACME Co: john@example.com", "18188019", false}, // RFC 6238 key, SHA1, 8 digits (checked with Python hmac)
		{"Git: dave", "", false},
		{"Steam: bob", "", false},
		{"GitHub: ann", "", false},
		{"Bank: ann", "-", true},
	}
	if len(b.Accounts) != len(want) {
		t.Fatalf("%d accounts", len(b.Accounts))
	}
	codes := bkCodes(t, b.Accounts)
	for i, w := range want {
		a := b.Accounts[i]
		if a.Label() != w.label || (a.Binding == vault.DeviceBound) != w.bound || a.NeedsVerification != w.bound {
			t.Errorf("account %d: %+v", i, a)
		}
		if w.code != "" && codes[i] != w.code {
			t.Errorf("%s: code %s at %v, want %s", a.Label(), codes[i], bkAt, w.code)
		}
	}
	if b.Accounts[1].Counter != 7 || b.Accounts[3].Group != "work" || b.Accounts[3].Algorithm != vault.SHA256 {
		t.Errorf("HOTP counter, group or algorithm lost: %+v %+v", b.Accounts[1], b.Accounts[3])
	}
	// The fixture restores into a vault like any backup.
	v := &vault.Vault{}
	plan, changed, err := b.Restore(v, vault.RefuseConflicts, bkAt)
	if err != nil || len(changed) != 5 || plan.Count(vault.New) != 5 {
		t.Fatalf("restore: %v, %d changed", err, len(changed))
	}
}

// FuzzReadBackup feeds the reader arbitrary files: it never panics, and
// whatever it accepts is a backup it can describe.
func FuzzReadBackup(f *testing.F) {
	v := bkVault(f)
	v.Accounts = v.Accounts[:2]
	data := bkEncode(f, v)
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add([]byte("authdeck-backup v1\n"))
	f.Add([]byte("authdeck-backup v9\n" + armorBegin + "\n" + armorEnd + "\n"))
	if fixture, err := os.ReadFile(bkFixture); err == nil {
		f.Add(fixture)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<16 {
			return // a backup of a few accounts; size limits are tested apart
		}
		b, err := decode(in, bkPass, bkWorkFactor)
		if err != nil {
			if !bkIsBad(err) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if b.Version < 1 || b.Version > FormatVersion {
			t.Fatalf("accepted version %d", b.Version)
		}
		for _, a := range b.Accounts {
			if a.Binding == vault.DeviceBound && (len(a.Secret) > 0 || !a.NeedsVerification) {
				t.Fatalf("a device-bound account came with a secret: %+v", a)
			}
		}
	})
}

// TestUnusualWorkRefused gives a backup a key block that asks for scrypt
// 2^22 (15 s and 4 GB in age): it is refused before any of that work.
func TestUnusualWorkRefused(t *testing.T) {
	data := bkEncode(t, bkVault(t))
	blocks, err := splitFile(data)
	if err != nil {
		t.Fatal(err)
	}
	key := bytes.Replace(blocks.identity, []byte(" 10\n"), []byte(" 22\n"), 1)
	if bytes.Equal(key, blocks.identity) {
		t.Fatal("no work factor found in the key block")
	}
	var armored bytes.Buffer
	w := armor.NewWriter(&armored)
	w.Write(key)
	w.Close()
	_, contents, _ := bytes.Cut(data[bytes.Index(data, []byte(armor.Footer)):], []byte("\n"))
	hostile := append([]byte("authdeck-backup v1\n"), armored.Bytes()...)
	hostile = append(hostile, contents...)
	start := time.Now()
	_, err = Decode(hostile, bkPass)
	if !errors.Is(err, ErrTooMuchWork) {
		t.Fatalf("got %v, want ErrTooMuchWork", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("refusing took %v: the work was done", d)
	}
}

func TestTooManyAccountsRefused(t *testing.T) {
	plain := `{"format":"authdeck-backup","version":1,"accounts":[` + strings.Repeat(`{},`, MaxAccounts) + `{}]}`
	if _, err := parseContents([]byte(plain)); !errors.Is(err, ErrTooManyAccounts) {
		t.Fatalf("got %v, want ErrTooManyAccounts", err)
	}
}
