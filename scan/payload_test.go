package scan

import (
	"encoding/base64"
	"errors"
	"fmt"
	"image/color"
	"net/url"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"authdeck/scan/internal/corpus"
	"authdeck/vault"
)

// must returns the account of an otpauth URI.
func must(t testing.TB, uri string) vault.Account {
	t.Helper()
	a, err := vault.ParseURI(uri)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// same reports whether a and b are the same account, parameter by parameter.
func same(a, b vault.Account) bool {
	return a.Issuer == b.Issuer && a.Name == b.Name && string(a.Secret) == string(b.Secret) &&
		a.Type == b.Type && a.Algorithm == b.Algorithm && a.Digits == b.Digits &&
		a.Period == b.Period && a.Counter == b.Counter
}

// migrationURI wraps protobuf bytes in a transfer URI.
func migrationURI(b []byte) string {
	return "otpauth-migration://offline?data=" + url.QueryEscape(base64.StdEncoding.EncodeToString(b))
}

// entry encodes one OtpParameters message with the given fields.
func entry(secret []byte, name, issuer string, alg, digits, typ, counter uint64) []byte {
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendBytes(b, secret)
	b = protowire.AppendTag(b, 2, protowire.BytesType)
	b = protowire.AppendString(b, name)
	if issuer != "" {
		b = protowire.AppendTag(b, 3, protowire.BytesType)
		b = protowire.AppendString(b, issuer)
	}
	for i, v := range []uint64{alg, digits, typ, counter} {
		b = protowire.AppendTag(b, protowire.Number(4+i), protowire.VarintType)
		b = protowire.AppendVarint(b, v)
	}
	return b
}

// payload encodes a MigrationPayload of the entries.
func payload(entries ...[]byte) []byte {
	var b []byte
	for _, e := range entries {
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendBytes(b, e)
	}
	return b
}

func TestAccounts(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []vault.Account
	}{
		{corpus.Short, []vault.Account{must(t, corpus.Short)}},
		{"  " + corpus.HOTP + "\n", []vault.Account{must(t, corpus.HOTP)}},
		{"steam://JBSWY3DPEHPK3PXP", []vault.Account{must(t, "steam://JBSWY3DPEHPK3PXP")}},
		{corpus.Migration, []vault.Account{
			must(t, "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP"),
			must(t, "otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=8&counter=7"),
		}},
		// GNOME Authenticator's test vector of a real Google Authenticator
		// export: Discord, johndoe@example.com.
		{"otpauth-migration://offline?data=CjYKEExyJfPiZeroMa/MdF%2BnkTISE2pvaG5kb2VAZXhhbXBsZS5jb20aB0Rpc2NvcmQgASgBMAIQARgBIAA%3D",
			[]vault.Account{must(t, "otpauth://totp/Discord:johndoe@example.com?secret=JRZCL47CMXVOQMNPZR2F7J4RGI")}},
	} {
		got, err := Accounts(tt.text)
		if err != nil {
			t.Errorf("Accounts(%.40q): %v", tt.text, err)
			continue
		}
		if !slices.EqualFunc(got, tt.want, same) {
			t.Errorf("Accounts(%.40q) = %+v, want %+v", tt.text, got, tt.want)
		}
	}
}

func TestAccountsNotAccount(t *testing.T) {
	for _, tt := range []struct{ text, holds string }{
		{"https://example.com/some/page?q=1", "a link to example.com"},
		{"HTTP://www.example.org", "a link to www.example.org"},
		{"WIFI:S:home;T:WPA;P:hunter2;;", "a WIFI: code"},
		{"mailto:alice@example.com", "a mailto: code"},
		{"hello world", "plain text"},
		{"", "plain text"},
		{"my secret: 1234", "plain text"},
	} {
		_, err := Accounts(tt.text)
		if !errors.Is(err, vault.ErrNotAccountURI) {
			t.Errorf("Accounts(%q) = %v, want ErrNotAccountURI", tt.text, err)
			continue
		}
		if want := "not an account: expected an otpauth:// URI; the QR code holds " + tt.holds; err.Error() != want {
			t.Errorf("Accounts(%q) = %q, want %q", tt.text, err, want)
		}
	}
	var uerr *vault.URIError
	if _, err := Accounts("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5"); !errors.As(err, &uerr) {
		t.Errorf("Accounts(MD5 URI) = %v, want a *vault.URIError", err)
	}
}

func TestParseMigrationFields(t *testing.T) {
	secret := []byte("12345678901234567890")
	m, err := ParseMigration(migrationURI(payload(
		entry(secret, "Acme:carol", "", 3, 2, 2, 0),     // issuer in the name, SHA512, 8 digits
		entry(secret, "Acme: dave", "Acme", 0, 0, 0, 0), // all unspecified: TOTP SHA1 6
		entry(secret, "erin", "Shop", 2, 1, 1, 1<<40),   // HOTP with a big counter
		entry(secret, "frank:ops", "Other", 1, 1, 2, 0), // a colon that is not the issuer
		entry(secret, "totp-counter", "X", 1, 1, 2, 99), // a TOTP counter means nothing
	)))
	if err != nil {
		t.Fatal(err)
	}
	want := []vault.Account{
		{Issuer: "Acme", Name: "carol", Type: vault.TOTP, Algorithm: vault.SHA512, Digits: 8, Period: 30},
		{Issuer: "Acme", Name: "dave", Type: vault.TOTP, Algorithm: vault.SHA1, Digits: 6, Period: 30},
		{Issuer: "Shop", Name: "erin", Type: vault.HOTP, Algorithm: vault.SHA256, Digits: 6, Counter: 1 << 40},
		{Issuer: "Other", Name: "frank:ops", Type: vault.TOTP, Algorithm: vault.SHA1, Digits: 6, Period: 30},
		{Issuer: "X", Name: "totp-counter", Type: vault.TOTP, Algorithm: vault.SHA1, Digits: 6, Period: 30},
	}
	for i := range want {
		want[i].Secret = secret
	}
	if !slices.EqualFunc(m.Accounts, want, same) {
		t.Errorf("accounts:\n got %+v\nwant %+v", m.Accounts, want)
	}
	for _, a := range m.Accounts {
		if err := a.Validate(); err != nil {
			t.Errorf("%s: %v", a.Label(), err)
		}
	}
}

func TestParseMigrationBadEntry(t *testing.T) {
	secret := []byte("12345678901234567890")
	m, err := ParseMigration(migrationURI(payload(
		entry(secret, "good", "A", 1, 1, 2, 0),
		entry(secret, "old", "B", 4, 1, 2, 0), // MD5
		entry(nil, "empty", "C", 1, 1, 2, 0),
		entry(secret, "also good", "D", 1, 2, 1, 3),
	)))
	if m == nil {
		t.Fatalf("ParseMigration: %v", err)
	}
	if len(m.Accounts) != 2 || m.Accounts[0].Name != "good" || m.Accounts[1].Name != "also good" {
		t.Errorf("accounts = %+v, want good and also good", m.Accounts)
	}
	var entries []*EntryError
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ee *EntryError
		if !errors.As(e, &ee) {
			t.Fatalf("error %v is not an *EntryError", e)
		}
		entries = append(entries, ee)
	}
	if len(entries) != 2 || entries[0].Index != 1 || entries[1].Index != 2 {
		t.Fatalf("entry errors = %v", err)
	}
	if got, want := entries[0].Error(), "account 2 (B: old): the MD5 algorithm is not supported"; got != want {
		t.Errorf("MD5 entry: %q, want %q", got, want)
	}
	// Through Accounts, the same partial result.
	as, err := Accounts(migrationURI(payload(entry(secret, "x", "", 4, 1, 2, 0), entry(secret, "y", "", 1, 1, 2, 0))))
	if len(as) != 1 || as[0].Name != "y" || err == nil || !strings.Contains(err.Error(), "MD5") {
		t.Errorf("Accounts = %+v, %v; want y and an MD5 error", as, err)
	}
}

func TestParseMigrationMalformed(t *testing.T) {
	secret := []byte("12345678901234567890")
	good := payload(entry(secret, "a", "", 1, 1, 2, 0))
	for _, tt := range []struct {
		name, text string
	}{
		{"no data", "otpauth-migration://offline"},
		{"empty data", "otpauth-migration://offline?data="},
		{"not base64", "otpauth-migration://offline?data=%%%"},
		{"bad base64", "otpauth-migration://offline?data=!!!!"},
		{"not protobuf", migrationURI([]byte("hello, world"))},
		{"truncated", migrationURI(good[:len(good)-3])},
		{"truncated entry", migrationURI(append([]byte{0x0a, 0x05}, good[2:7]...)[:5])},
		{"no accounts", migrationURI([]byte{0x10, 0x01})},
		{"index past size", migrationURI(append(slices.Clone(good), 0x18, 0x02, 0x20, 0x02))},
		{"huge batch", migrationURI(append(slices.Clone(good), 0x18, 0xff, 0xff, 0xff, 0xff, 0x0f))},
		{"huge secret", migrationURI(payload(entry(make([]byte, 4096), "a", "", 1, 1, 2, 0)))},
		{"too long", migrationURI(make([]byte, 20000))},
		{"wrong scheme", strings.Replace(migrationURI(good), "otpauth-migration", "otpauth-migrate", 1)},
	} {
		m, err := ParseMigration(tt.text)
		if m != nil || !errors.Is(err, ErrBadMigration) {
			t.Errorf("%s: ParseMigration = %+v, %v; want ErrBadMigration", tt.name, m, err)
		}
	}
	// A '+' of the base64 that was not percent-encoded is read all the same.
	for i := range 3 {
		raw := base64.StdEncoding.EncodeToString(payload(entry(append(make([]byte, i%3+1), 0xfb, 0xef, 0xbe), "a", "", 1, 1, 2, 0)))
		if !strings.Contains(raw, "+") {
			continue
		}
		if _, err := ParseMigration("otpauth-migration://offline?data=" + raw); err != nil {
			t.Errorf("unescaped '+': %v", err)
		}
		return
	}
	t.Fatal("no test URI with a '+'")
}

func TestEncodeMigrationRoundTrip(t *testing.T) {
	var accounts []vault.Account
	for i := range 7 {
		a := must(t, fmt.Sprintf("otpauth://totp/Issuer%d:user%d@example.com?secret=JBSWY3DPEHPK3PX%c&algorithm=SHA256&digits=8", i, i, 'A'+i))
		if i%3 == 0 {
			a = must(t, fmt.Sprintf("otpauth://hotp/Bank%d:bob?secret=GEZDGNBVGY3TQOJ%c&counter=%d&algorithm=SHA512", i, 'A'+i, 1000+i))
		}
		accounts = append(accounts, a)
	}
	skipped := []vault.Account{
		must(t, "steam://JBSWY3DPEHPK3PXP"),
		must(t, "otpauth://totp/x:y?secret=JBSWY3DPEHPK3PXP&period=60"),
		must(t, "otpauth://totp/x:z?secret=JBSWY3DPEHPK3PXP&digits=7"),
	}
	bound := must(t, "otpauth://totp/Work:me?secret=JBSWY3DPEHPK3PXP")
	bound.Binding = vault.DeviceBound
	skipped = append(skipped, bound)
	for _, a := range skipped {
		if Migratable(&a) == nil {
			t.Errorf("Migratable(%s) = nil", a.Label())
		}
	}

	uris := EncodeMigration(append(slices.Clone(accounts), skipped...), 3)
	if len(uris) != 3 {
		t.Fatalf("EncodeMigration made %d codes, want 3", len(uris))
	}
	var b Batch
	for i := len(uris) - 1; i >= 0; i-- { // any order
		m, err := ParseMigration(uris[i])
		if err != nil {
			t.Fatal(err)
		}
		if m.BatchSize != 3 || m.BatchIndex != i {
			t.Errorf("code %d: batch %d of %d", i, m.BatchIndex, m.BatchSize)
		}
		if err := b.Add(m); err != nil {
			t.Fatal(err)
		}
	}
	if !b.Complete() || b.String() != "all 3 codes scanned" {
		t.Errorf("batch: %s", &b)
	}
	if got := b.Accounts(); !slices.EqualFunc(got, accounts, same) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, accounts)
	}
	if EncodeMigration(skipped, 0) != nil {
		t.Error("EncodeMigration of nothing exportable made codes")
	}
	// A transfer fits one QR code: under 2,331 bytes, version 40 at level M.
	for _, u := range EncodeMigration(accounts, 0) {
		if len(u) > 2331 {
			t.Errorf("a code of 10 accounts is %d bytes", len(u))
		}
	}
}

func TestBatch(t *testing.T) {
	var accounts []vault.Account
	for i := range 5 {
		accounts = append(accounts, must(t, fmt.Sprintf("otpauth://totp/I:u%d?secret=JBSWY3DPEHPK3PX%c", i, 'A'+i)))
	}
	uris := EncodeMigration(accounts, 2) // codes of 2, 2 and 1 accounts
	parse := func(s string) *Migration {
		m, err := ParseMigration(s)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	var b Batch
	if b.Complete() || b.String() != "no codes scanned" {
		t.Errorf("empty batch: %s", &b)
	}
	steps := []struct {
		uri  int
		want string
	}{
		{1, "1 of 3 codes scanned, missing codes 1, 3"},
		{1, "1 of 3 codes scanned, missing codes 1, 3"}, // the same code again
		{2, "2 of 3 codes scanned, missing code 1"},
		{0, "all 3 codes scanned"},
	}
	for _, s := range steps {
		if err := b.Add(parse(uris[s.uri])); err != nil {
			t.Fatal(err)
		}
		if b.String() != s.want {
			t.Errorf("after code %d: %q, want %q", s.uri+1, b.String(), s.want)
		}
	}
	if got := b.Accounts(); !slices.EqualFunc(got, accounts, same) {
		t.Errorf("accounts = %+v", got)
	}
	other := EncodeMigration(accounts[:3], 2)
	if err := b.Add(parse(other[0])); !errors.Is(err, ErrOtherBatch) {
		t.Errorf("code of another transfer: %v, want ErrOtherBatch", err)
	}
	var single Batch
	single.Add(parse(corpus.Migration))
	if !single.Complete() || single.String() != "the code is scanned" || len(single.Missing()) != 0 {
		t.Errorf("single code: %s", &single)
	}
}

func FuzzMigration(f *testing.F) {
	f.Add(corpus.Migration)
	f.Add(migrationURI(payload(entry([]byte("x"), "A:b", "", 4, 9, 3, 1))))
	f.Add(migrationURI([]byte{0x0a, 0x80, 0x80, 0x80, 0x80, 0x08}))
	f.Add(migrationURI(append(payload(entry([]byte("x"), "a", "", 1, 1, 1, 1)), 0x18, 0x03, 0x20, 0x01, 0x28, 0x7f)))
	f.Fuzz(func(t *testing.T, text string) {
		m, err := ParseMigration(text)
		if m == nil {
			if !errors.Is(err, ErrBadMigration) {
				t.Fatalf("no migration and error %v", err)
			}
			return
		}
		if m.BatchSize > maxBatchSize || m.BatchIndex >= max(m.BatchSize, 1) {
			t.Fatalf("batch %d of %d", m.BatchIndex, m.BatchSize)
		}
		for _, a := range m.Accounts {
			if err := a.Validate(); err != nil {
				t.Fatalf("invalid account returned: %v", err)
			}
			if len(a.Secret) > maxSecret || len(a.Name) > maxLabel || len(a.Issuer) > maxLabel {
				t.Fatal("unbounded field")
			}
		}
		var b Batch
		if err := b.Add(m); err != nil || len(b.Missing()) > maxBatchSize {
			t.Fatalf("batch: %v", err)
		}
		// What was read is written back and read again the same.
		var ok []vault.Account
		for _, a := range m.Accounts {
			if Migratable(&a) == nil {
				ok = append(ok, a)
			}
		}
		for _, u := range EncodeMigration(ok, 0) {
			again, err := ParseMigration(u)
			if err != nil {
				t.Fatalf("re-encoded: %v", err)
			}
			for i, a := range again.Accounts {
				if !same(a, ok[i]) {
					t.Fatalf("re-encoded %+v, read %+v", ok[i], a)
				}
			}
		}
	})
}

func FuzzPayload(f *testing.F) {
	for _, s := range []string{corpus.Short, corpus.Long, corpus.HOTP, corpus.Migration, "https://example.com",
		"steam://JBSWY3DPEHPK3PXP", "otpauth://totp/a:b?secret=%ZZ", "OTPAUTH-MIGRATION://offline?data=CgA="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		accounts, err := Accounts(text)
		if err == nil && len(accounts) == 0 {
			t.Fatal("no accounts and no error")
		}
		for _, a := range accounts {
			if err := a.Validate(); err != nil {
				t.Fatalf("invalid account: %v", err)
			}
		}
		if err != nil && strings.Contains(err.Error(), "\n") && !IsMigration(text) {
			t.Fatalf("a message of several lines: %q", err)
		}
	})
}

// TestEncodeMigrationScans shows transfer codes as QR codes, the way the
// export screen will, and reads them back.
func TestEncodeMigrationScans(t *testing.T) {
	var accounts []vault.Account
	for i := range 12 {
		a := must(t, fmt.Sprintf("otpauth://totp/Provider%%20number%%20%d:someone.with.a.long.name%d@example.com?secret=KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF&algorithm=SHA512", i, i))
		accounts = append(accounts, a)
	}
	var b Batch
	for _, uri := range EncodeMigration(accounts, 0) {
		img := corpus.Plain(900, 900, color.Gray{255})
		corpus.Place(img, uri, 450, 450, 5, 0, color.Gray{0}, color.Gray{255})
		texts, err := Decode(img)
		if err != nil || len(texts) != 1 {
			t.Fatalf("Decode = %d texts, %v", len(texts), err)
		}
		m, err := ParseMigration(texts[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Add(m); err != nil {
			t.Fatal(err)
		}
	}
	if !b.Complete() || !slices.EqualFunc(b.Accounts(), accounts, same) {
		t.Errorf("%s; accounts %+v", &b, b.Accounts())
	}
}
