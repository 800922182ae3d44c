package transfer

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"authdeck/scan"
	"authdeck/vault"
)

// transferCodes returns the codes of a Google Authenticator transfer of the
// accounts, one account a code.
func transferCodes(t *testing.T, uris ...string) []string {
	t.Helper()
	var in []vault.Account
	for _, u := range uris {
		a, err := vault.ParseURI(u)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, a)
	}
	return scan.EncodeMigration(in, 1)
}

func labels(accounts []vault.Account) []string {
	var out []string
	for _, a := range accounts {
		out = append(out, a.Label())
	}
	return out
}

// TestGatherTexts reads what QR codes hold: accounts, transfers in any order
// and in parts, and codes that hold no account, each said in a typed error.
func TestGatherTexts(t *testing.T) {
	codes := transferCodes(t, "otpauth://totp/Slack:erin?secret=MZXW6YTBOI3DMNZQ", "otpauth://totp/Mastodon:ann?secret=JBSWY3DPEHPK3PXP", "otpauth://hotp/Git:bob?secret=GEZDGNBVGY3TQOJQ&counter=3")
	var g Gatherer
	problems := g.AddTexts("shot.png", []string{codes[2], "https://example.com/login?pw=hunter2", "otpauth://totp/Co:x?secret=JBSWY3DPEHPK3PXP&digits=9", codes[0]})
	if len(problems) != 1 {
		t.Fatalf("problems %v, want the web link alone", problems)
	}
	var na *NotAccountError
	if !errors.As(problems[0], &na) || na.Holds != "a link to example.com" || !errors.Is(problems[0], vault.ErrNotAccountURI) {
		t.Errorf("web link: %#v", problems[0])
	}
	if strings.Contains(problems[0].Error(), "hunter2") {
		t.Errorf("the error quotes the code: %v", problems[0])
	}
	if inc := g.Incomplete(); len(inc) != 1 || !reflect.DeepEqual(inc[0].Missing(), []int{2}) {
		t.Errorf("incomplete %v, want the transfer missing code 2", inc)
	}
	g.AddTexts("the screen", []string{codes[1], codes[1]})
	if len(g.Incomplete()) != 0 {
		t.Errorf("still incomplete after code 2: %v", g.Incomplete())
	}
	want := []string{"Co: x", "Slack: erin", "Mastodon: ann", "Git: bob"}
	if got := labels(g.Accounts()); !reflect.DeepEqual(got, want) {
		t.Errorf("accounts %q, want %q", got, want)
	}
	entries := g.Entries()
	if len(entries) != 5 || entries[0].Err == nil || entries[0].Err.Error() != "shot.png, code 2: not an account: it holds a link to example.com" {
		t.Errorf("entries %v; want the link as an invalid entry named by its place", entries)
	}
	if g.Empty() {
		t.Error("empty after gathering")
	}
	g.Reset()
	if !g.Empty() || len(g.Accounts()) != 0 {
		t.Error("not empty after Reset")
	}
}

// TestGatherLines reads a text file of transfer and otpauth lines, as
// zbarimg prints them, and names the lines it cannot use.
func TestGatherLines(t *testing.T) {
	codes := transferCodes(t, "otpauth://totp/Slack:erin?secret=MZXW6YTBOI3DMNZQ", "otpauth://totp/Mastodon:ann?secret=JBSWY3DPEHPK3PXP")
	data := fmt.Sprintf("# exported\n  QR-Code:%s  \r\nqr-code: otpauth://totp/Co:x?secret=JBSWY3DPEHPK3PXP&digits=10\nWIFI:S:home;P:secret;;\n\nQR-Code:otpauth-migration://offline?data=AAAA\n%s\n", codes[0], codes[1])
	var g Gatherer
	problems, err := g.AddLines([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 2 || !errors.Is(problems[1], scan.ErrBadMigration) {
		t.Errorf("problems %v, want the Wi-Fi code and the damaged transfer", problems)
	}
	if got := labels(g.Accounts()); !reflect.DeepEqual(got, []string{"Co: x", "Slack: erin", "Mastodon: ann"}) {
		t.Errorf("accounts %q", got)
	}
	var msgs []string
	for _, e := range g.Entries() {
		if e.Err != nil {
			msgs = append(msgs, e.Err.Error())
		}
	}
	want := []string{"line 4: not an account: it holds a WIFI: code", "line 6: " + problems[1].Error()}
	if !reflect.DeepEqual(msgs, want) {
		t.Errorf("invalid entries %q, want %q", msgs, want)
	}
	if a := g.Accounts()[0]; a.Digits != 10 {
		t.Errorf("%d digits, want 10", a.Digits)
	}
}

// TestGatherDecoderTexts reads texts as decoders print them: a line pasted
// from zbarimg into the clipboard, and zbarimg's output for one screenshot
// of two transfer codes side by side, which brings in every account.
func TestGatherDecoderTexts(t *testing.T) {
	codes := transferCodes(t, "otpauth://totp/Slack:erin?secret=MZXW6YTBOI3DMNZQ", "otpauth://totp/Mastodon:ann?secret=JBSWY3DPEHPK3PXP&digits=8")
	var g Gatherer
	if problems := g.AddTexts("the clipboard", []string{"  QR-Code:" + codes[0] + "\n", "\tqr-code: otpauth://totp/Co:x?secret=JBSWY3DPEHPK3PXP&digits=4 "}); len(problems) != 0 {
		t.Fatalf("problems %v", problems)
	}
	if got := labels(g.Accounts()); !reflect.DeepEqual(got, []string{"Co: x", "Slack: erin"}) {
		t.Errorf("accounts %q", got)
	}
	zbarimg := "QR-Code:" + codes[1] + "\nQR-Code:" + codes[0] + "\n"
	im, err := ImportAccounts([]byte(zbarimg), FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	if im.Format != FormatGoogle || len(im.Incomplete) != 0 {
		t.Errorf("format %q, incomplete %v", im.Format, im.Incomplete)
	}
	if got := labels(im.Accounts()); !reflect.DeepEqual(got, []string{"Slack: erin", "Mastodon: ann"}) {
		t.Errorf("accounts of both codes %q", got)
	}
}

// TestGatherTooManyLines refuses a file of more lines than an import takes.
func TestGatherTooManyLines(t *testing.T) {
	line := "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP\n"
	var g Gatherer
	if _, err := g.AddLines([]byte(strings.Repeat(line, MaxImportEntries+1))); err == nil {
		t.Error("accepted more lines than MaxImportEntries")
	}
}

// TestGatherImage reads an image file and says which file gave no code.
func TestGatherImage(t *testing.T) {
	var g Gatherer
	problems := g.AddImage("testdata/peers/uris.txt")
	var serr *SourceError
	if len(problems) != 1 || !errors.As(problems[0], &serr) || serr.Source != "testdata/peers/uris.txt" || !errors.Is(problems[0], scan.ErrNotImage) {
		t.Errorf("a text file as an image: %v", problems)
	}
	if len(g.Problems()) != 1 || len(g.Entries()) != 0 {
		t.Errorf("problems %v, entries %v", g.Problems(), g.Entries())
	}
}

// TestOutcome is the one rule for how an import ends, the same for its
// preview: conflicts refuse it, leaving entries out with nothing added
// fails, and anything added succeeds.
func TestOutcome(t *testing.T) {
	item := func(d vault.Disposition) vault.PlanItem { return vault.PlanItem{Disposition: d} }
	plan := func(ds ...vault.Disposition) vault.Plan {
		var p vault.Plan
		for _, d := range ds {
			p.Items = append(p.Items, item(d))
		}
		return p
	}
	tests := []struct {
		plan vault.Plan
		m    vault.Merge
		want error // nil, vault.ErrConflicts or ErrNothingImported
	}{
		{plan(vault.New), vault.RefuseConflicts, nil},
		{plan(vault.New, vault.Invalid), vault.RefuseConflicts, nil},
		{plan(vault.Completes, vault.Invalid), vault.RefuseConflicts, nil},
		{plan(vault.Present), vault.RefuseConflicts, nil},
		{plan(vault.Invalid), vault.RefuseConflicts, ErrNothingImported},
		{plan(vault.Present, vault.Invalid), vault.RefuseConflicts, ErrNothingImported},
		{plan(vault.New, vault.Conflict), vault.RefuseConflicts, vault.ErrConflicts},
		{plan(vault.Conflict, vault.Invalid), vault.RefuseConflicts, vault.ErrConflicts},
		{plan(vault.New, vault.Conflict), vault.SkipConflicts, nil},
		{plan(vault.Conflict, vault.Invalid), vault.SkipConflicts, ErrNothingImported},
		{plan(vault.Conflict, vault.Invalid), vault.KeepBoth, nil},
		{plan(), vault.RefuseConflicts, nil},
	}
	for i, tt := range tests {
		err := Outcome(tt.plan, tt.m)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("case %d: %v, want %v", i, err, tt.want)
		}
	}
	if err := Outcome(plan(vault.Invalid, vault.Invalid), vault.RefuseConflicts); err.Error() != "nothing can be added: none of the 2 entries can be used" {
		t.Errorf("message %q", err)
	}
}

// TestImportWrongFormat says what a file looks like when --from names
// another format.
func TestImportWrongFormat(t *testing.T) {
	data := genTwoFAS(t, genAccounts(t)[:1], 4, "")
	_, err := ImportAccounts(data, FormatAegis, nil)
	var werr *WrongFormatError
	if !errors.As(err, &werr) || werr.Looks != FormatTwoFAS || err.Error() != "this is not an Aegis vault: the file looks like a 2FAS backup" {
		t.Errorf("2FAS read as Aegis: %v", err)
	}
	if _, err := ImportAccounts(data, FormatURIs, nil); !errors.As(err, &werr) || werr.Looks != FormatTwoFAS {
		t.Errorf("2FAS read as URIs: %v", err)
	}
	// A list of URIs named as a format whose files are encrypted binary is
	// not taken for an encrypted file: nobody is asked for a password.
	list := urisExport(genAccounts(t))
	asked := func() (string, error) {
		t.Error("asked for a password")
		return "pw", nil
	}
	for _, f := range []Format{FormatAndOTP, FormatSteam, FormatFreeOTP, FormatStratum, FormatTOTPAuth, FormatAuthPlus, FormatAegis} {
		if _, err := ImportAccounts(list, f, asked); !errors.As(err, &werr) || werr.Named != f || werr.Looks != FormatURIs {
			t.Errorf("URI list read as %s: %v", f, err)
		}
	}
	// Ente's plain export is a URI list: named as Ente, it is read as one.
	if im, err := ImportAccounts(list, FormatEnte, asked); err != nil || len(im.Accounts()) != len(genAccounts(t)) {
		t.Errorf("Ente's plain export: %v", err)
	}
}

// TestImportEntryPositions names an invalid entry without a label by its
// position, never by an empty label.
func TestImportEntryPositions(t *testing.T) {
	data := []byte(`[{"secret":"JBSWY3DPEHPK3PXP","issuer":"Good","label":"ann","type":"TOTP"},{"secret":"JB1","type":"TOTP"}]`)
	im, err := ImportAccounts(data, FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e := im.Entries[1]; e.Err == nil || !strings.HasPrefix(e.Err.Error(), "entry 2: ") {
		t.Errorf("entry 2: %v", e.Err)
	}
	im, err = ImportAccounts([]byte("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP\n\nhello there\n"), FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e := im.Entries[1]; e.Err == nil || e.Err.Error() != "line 3: not an account: it holds plain text" {
		t.Errorf("line 3: %v", e.Err)
	}
}

// TestImportCleansLabels is the import entry point of the rule on labels:
// control characters and invalid UTF-8 never come in from a file, valid
// entry or not.
func TestImportCleansLabels(t *testing.T) {
	data := []byte("[{\"secret\":\"JBSWY3DPEHPK3PXP\",\"issuer\":\"Esc\\u001b[2J\",\"label\":\"ann\\u0000\\u0007\",\"type\":\"TOTP\",\"tags\":[\"w\\u0008ork\"]}," +
		"{\"secret\":\"JB1\",\"issuer\":\"Bad\\u001b]0;x\\u0007\",\"label\":\"x\",\"type\":\"TOTP\"}]")
	im, err := ImportAccounts(data, FormatAndOTP, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a := im.Entries[0].Account; a.Issuer != "Esc[2J" || a.Name != "ann" || a.Group != "work" {
		t.Errorf("valid entry: %q %q %q", a.Issuer, a.Name, a.Group)
	}
	if a := im.Entries[1].Account; a.Issuer != "Bad]0;x" {
		t.Errorf("invalid entry: %q", a.Issuer)
	}
	// A Google Authenticator transfer: the QR entry point.
	in := vault.Account{Issuer: "Q\x1bR", Name: "n\x00", Secret: []byte("12345678901234567890"), Type: vault.TOTP, Algorithm: vault.SHA1, Digits: 6, Period: 30}
	var g Gatherer
	g.AddTexts("x", scan.EncodeMigration([]vault.Account{in}, 1))
	if got := labels(g.Accounts()); len(got) != 1 || got[0] != "QR: n" {
		t.Errorf("transfer: %q", got)
	}
}

// TestImportDigits reads codes of 4 to 10 digits from a URI list and
// writes them back.
func TestImportDigits(t *testing.T) {
	var b strings.Builder
	for d := 4; d <= 10; d++ {
		fmt.Fprintf(&b, "otpauth://totp/D%d:x?secret=JBSWY3DPEHPK3PXP&digits=%d\n", d, d)
	}
	im, err := ImportAccounts([]byte(b.String()), FormatAuto, nil)
	if err != nil || len(im.Accounts()) != 7 {
		t.Fatalf("%v, %v", im, err)
	}
	out, _, err := ExportAccounts(im.Accounts(), FormatURIs)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ImportAccounts(out, FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range again.Accounts() {
		if a.Digits != i+4 {
			t.Errorf("%s: %d digits after a round trip", a.Label(), a.Digits)
		}
	}
}

// TestBitwardenKinds reads the JSON of an organization's export (collections
// for folders) and of the Bitwarden Authenticator app (no folders at all).
func TestBitwardenKinds(t *testing.T) {
	org := []byte(`{"encrypted":false,"collections":[{"id":"c1","organizationId":"o","name":"Team"}],"items":[
		{"id":"i1","organizationId":"o","collectionIds":["c1"],"folderId":null,"type":1,"name":"Forge","login":{"username":"ann","totp":"JBSWY3DPEHPK3PXP"}}]}`)
	authenticator := []byte(`{"encrypted":false,"items":[{"id":"i2","name":"Chat","folderId":null,"organizationId":null,"collectionIds":null,"notes":null,"type":1,"login":{"totp":"otpauth://totp/Chat:bob?secret=JBSWY3DPEHPK3PXP&digits=9"},"favorite":false}]}`)
	for _, tt := range []struct {
		data         []byte
		label, group string
		digits       int
	}{{org, "Forge: ann", "Team", 6}, {authenticator, "Chat: bob", "", 9}} {
		im, err := ImportAccounts(tt.data, FormatAuto, nil)
		if err != nil || im.Format != FormatBitwarden || len(im.Accounts()) != 1 {
			t.Fatalf("%s: %v, %v", tt.label, im, err)
		}
		a := im.Accounts()[0]
		if a.Label() != tt.label || a.Group != tt.group || a.Digits != tt.digits {
			t.Errorf("%s: %q, group %q, %d digits", tt.label, a.Label(), a.Group, a.Digits)
		}
	}
}
