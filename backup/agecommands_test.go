//go:build linux

package backup

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

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
	out, err := bkRunWithTerminal(t, dir, script, bkPass+"\n")
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

// bkRunWithTerminal runs script with sh -e in dir, with a new pseudo-terminal
// as its controlling terminal, standard input and error, and types input
// into it. It returns what the terminal showed.
func bkRunWithTerminal(t *testing.T, dir, script, input string) (string, error) {
	master, slave, err := bkOpenPTY()
	if err != nil {
		testenv.Missing(t, "a pseudo-terminal (%v), for the documented age commands", err)
	}
	defer master.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-e", "-c", script)
	cmd.Dir = dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		slave.Close()
		return "", err
	}
	slave.Close()
	shown := make(chan string)
	go func() {
		b, _ := io.ReadAll(master) // ends with EIO when the last process lets go of the terminal
		shown <- string(b)
	}()
	io.WriteString(master, input)
	err = cmd.Wait()
	master.Close()
	select {
	case s := <-shown:
		return s, err
	case <-time.After(5 * time.Second):
		return "", err
	}
}

// bkOpenPTY opens a new pseudo-terminal pair with /dev/ptmx.
func bkOpenPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		master.Close()
		return nil, nil, e
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		master.Close()
		return nil, nil, e
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	return master, slave, nil
}
