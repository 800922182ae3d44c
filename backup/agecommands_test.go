//go:build linux

package backup

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"authdeck/internal/testenv"
)

// TestAgeCommands runs the commands of docs/backup-format.md that decrypt a
// backup with only the age tool, exactly as they stand there, with a
// pseudo-terminal for age to ask the passphrase on; and checks that they give
// the contents Authdeck reads.
func TestAgeCommands(t *testing.T) {
	testenv.Tool(t, "age", "age")
	testenv.Tool(t, "awk", "mawk")
	doc, err := os.ReadFile("../docs/backup-format.md")
	if err != nil {
		t.Fatal(err)
	}
	script := bkDocCommands(t, string(doc))

	dir := t.TempDir()
	v := bkVault(t)
	data := bkEncode(t, v)
	if err := os.WriteFile(filepath.Join(dir, "backup.authdeck-backup"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := testenv.RunInTerminal(t, dir, script, bkPass+"\n")
	if err != nil {
		t.Fatalf("the documented commands failed: %v\n%s", err, out)
	}
	if !strings.Contains(out, `Enter passphrase for identity file "key.age"`) {
		t.Errorf("age did not ask for the passphrase as the document says; the terminal showed:\n%s", out)
	}
	got, err := os.ReadFile(filepath.Join(dir, "contents.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c fileContents
	if err := json.Unmarshal(got, &c); err != nil {
		t.Fatalf("contents.json: %v\n%s", err, got)
	}
	b, err := Decode(data, bkPass)
	if err != nil {
		t.Fatal(err)
	}
	if c.Format != "authdeck-backup" || c.Version != 1 || c.Revision != b.Revision || len(c.Accounts) != len(b.Accounts) {
		t.Fatalf("contents.json differs from what Authdeck reads: %s", got)
	}
	for i, a := range b.Accounts {
		if s := c.Accounts[i]; s.Issuer != a.Issuer || s.Name != a.Name || s.Secret != a.SecretBase32() {
			t.Errorf("account %d: %+v, Authdeck reads %+v", i, s, a)
		}
	}
	bound := v.Accounts[4]
	if bytes.Contains(got, []byte(bound.SecretBase32())) || bytes.Contains(got, bound.Secret) {
		t.Error("the device-bound secret is in the decrypted contents")
	}
}

// bkDocCommands returns the shell block that follows the TestAgeCommands
// marker in the document.
func bkDocCommands(t *testing.T, doc string) string {
	_, after, ok := strings.Cut(doc, "<!-- TestAgeCommands runs the commands of the next block as they stand. -->\n```sh\n")
	if !ok {
		t.Fatal("docs/backup-format.md has no block marked for TestAgeCommands")
	}
	block, _, ok := strings.Cut(after, "```")
	if !ok || !strings.Contains(block, "age -d") {
		t.Fatalf("the marked block in docs/backup-format.md is not the age commands: %q", block)
	}
	return block
}
