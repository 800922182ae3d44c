//go:build linux

package sync

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"filippo.io/age"

	"authdeck/internal/testenv"
	"authdeck/vault"
)

const formatDoc = "../docs/sync-format.md"

// TestAgeCommands runs the command of docs/sync-format.md that decrypts a
// device file with only the age tool, exactly as it stands there, with a
// pseudo-terminal for age to ask the sync passphrase on; and checks that it
// gives the device file that Authdeck reads, and that the document names the
// format version and every field that Authdeck writes.
func TestAgeCommands(t *testing.T) {
	testenv.Tool(t, "age", "age")
	testenv.Tool(t, "tail", "coreutils")
	doc := string(mustRead(t, formatDoc))
	script := docBlock(t, doc, "<!-- TestAgeCommands runs the commands of the next block as they stand. -->\n```sh\n")

	// The device of the document's example, with a portable account, one in
	// Recently deleted, a device-bound one and a device removed.
	dir := t.TempDir()
	s := realStore(t, "laptop", "GitHub", "secret-github")
	bound := account("Bank", "device", "bound-secret")
	bound.Binding = vault.DeviceBound
	gone := account("Zürich Bank", "bob", "secret-gone")
	if _, err := s.Update(func(v *vault.Vault) error {
		v.Device.ID = "0123456789abcdef01234567"
		v.Accounts = append(v.Accounts, bound, gone)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	const pass = "correct horse battery staple"
	if err := Setup(s, dir, pass, testWork, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(func(v *vault.Vault) error {
		v.Remove(gone.ID)
		v.Sync.Removed = append(v.Sync.Removed, "fedcba9876543210fedcba98") // a computer taken out of the sync
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	v := load(t, s)
	if err := Write(s, v, t0); err != nil {
		t.Fatal(err)
	}
	name := FileName(v.Device)
	if !strings.Contains(script, name) {
		t.Fatalf("the documented command does not read %s, the file of a device named %q with ID %s:\n%s", name, v.Device.Name, v.Device.ID, script)
	}

	out, err := testenv.RunInTerminal(t, dir, script, pass+"\n")
	if err != nil {
		t.Fatalf("the documented command failed: %v\n%s", err, out)
	}
	if !strings.Contains(out, `Enter passphrase for identity file "authdeck-sync-key.age"`) {
		t.Errorf("age did not ask for the passphrase as the document says; the terminal showed:\n%s", out)
	}
	body := mustRead(t, filepath.Join(dir, "laptop.json"))
	got, err := parse(body)
	if err != nil {
		t.Fatalf("what the documented command gives is not a device file's JSON (%v):\n%.300q", err, body)
	}
	id, _ := age.ParseX25519Identity(v.Sync.Identity)
	want, err := Decode(mustRead(t, filepath.Join(dir, name)), id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the documented command gives\n%+v\nAuthdeck reads\n%+v", got, want)
	}
	if len(got.Accounts) != 2 || !strings.Contains(string(body), `"GitHub"`) || !strings.Contains(string(body), `"Zürich Bank"`) {
		t.Errorf("the documented command does not give both accounts: %.300q", body)
	}
	if strings.Contains(string(body), bound.ID) || strings.Contains(string(body), `"Bank"`) {
		t.Error("the device-bound account is in the device file")
	}

	// The document describes the version and the fields that Authdeck writes.
	if m := regexp.MustCompile(`describes format version \*\*(\d+)\*\*`).FindStringSubmatch(doc); m == nil || m[1] != strconv.Itoa(FormatVersion) {
		t.Errorf("the document describes format version %v; Authdeck writes %d", m, FormatVersion)
	}
	if header := magic + strconv.Itoa(FormatVersion); !strings.Contains(doc, "\n    "+header+"\n") {
		t.Errorf("the document does not show the header line %q", header)
	}
	skeleton := docBlock(t, doc, "## The file\n")
	skeleton = docBlock(t, skeleton, "```json\n")
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile(`"([a-z_]+)":`).FindAllStringSubmatch(skeleton, -1) {
		documented[m[1]] = true
	}
	written := map[string]bool{}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				written[k] = true
				walk(v)
			}
		case []any:
			for _, v := range x {
				walk(v)
			}
		}
	}
	var tree any
	if err := json.Unmarshal(body, &tree); err != nil {
		t.Fatal(err)
	}
	walk(tree)
	for k := range documented {
		if !written[k] {
			t.Errorf("the document shows the key %q, which Authdeck does not write", k)
		}
	}
	keys := slices.Concat(vault.SyncFields, []string{"secret", "type", "algorithm", "digits", "period", "v", "s"})
	for k := range tree.(map[string]any) {
		keys = append(keys, k)
	}
	for _, k := range keys {
		if !documented[k] {
			t.Errorf("Authdeck writes the key %q, which the document does not show", k)
		}
	}
}

// docBlock returns the text after marker: up to the end of the block that
// the marker opens (three backquotes), or else to the end.
func docBlock(t *testing.T, doc, marker string) string {
	t.Helper()
	_, after, ok := strings.Cut(doc, marker)
	if !ok {
		t.Fatalf("%s has no %q", formatDoc, marker)
	}
	if strings.Contains(marker, "```") {
		block, _, ok := strings.Cut(after, "```")
		if !ok {
			t.Fatalf("%s: the block after %q does not end", formatDoc, marker)
		}
		return block
	}
	return after
}
