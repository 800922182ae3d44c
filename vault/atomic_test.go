package vault

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func TestTempFiles(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "export.txt")
	if err := WriteFileAtomic(target, []byte("otpauth://totp/x?secret=AAAA")); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("a write left %v", entries)
	}
	// Leftovers of killed writes: each kind of file has its own, and a sweep
	// for one kind leaves the others' alone.
	mine := filepath.Join(dir, ".export.txt.0011aa.tmp")
	theirs := filepath.Join(dir, ".backup-status.json.0011aa.tmp")
	os.WriteFile(mine, []byte("x"), 0o600)
	os.WriteFile(theirs, []byte("x"), 0o600)
	SweepTemps(target, time.Hour)
	if _, err := os.Stat(mine); err != nil {
		t.Error("a young temporary file was swept")
	}
	SweepTemps(target, 0)
	if _, err := os.Stat(mine); !errors.Is(err, os.ErrNotExist) {
		t.Error("a leftover was not swept")
	}
	if _, err := os.Stat(theirs); err != nil {
		t.Error("another kind's temporary file was swept")
	}
	// The vault's lock sweeps the vault's own leftovers only.
	s := NewStore(dir, Options{Keychain: deadKeychain{}})
	vaultTemp := filepath.Join(dir, "."+FileName+".0011aa.tmp")
	os.WriteFile(vaultTemp, []byte("x"), 0o600)
	s.locked(func() error { return nil })
	if _, err := os.Stat(vaultTemp); !errors.Is(err, os.ErrNotExist) {
		t.Error("the vault's leftover was not swept")
	}
	if _, err := os.Stat(theirs); err != nil {
		t.Error("the vault's lock swept another file's temporary file")
	}
}

// TestUnfinishedWritesHaveNoName: on Linux a file being written has no name
// until it is complete, so a process killed while writing an export leaves
// no hidden copy of it.
func TestUnfinishedWritesHaveNoName(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("unnamed files are a Linux matter")
	}
	dir := t.TempDir()
	f, named, err := createTemp(dir, tempPrefix(filepath.Join(dir, "export.txt")))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Write([]byte("otpauth://totp/x?secret=AAAA"))
	if entries, _ := os.ReadDir(dir); named || len(entries) != 0 {
		t.Errorf("a file being written has a name: named %v, folder %v", named, entries)
	}
}

func TestLooseVaultFolderIsMadePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("folder modes are a Unix matter")
	}
	dir := filepath.Join(t.TempDir(), "home")
	os.Mkdir(dir, 0o755)
	s := NewStore(dir, Options{Keychain: deadKeychain{}})
	if _, err := s.Load(); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o700 || s.Tightened() != 0o755 {
		t.Errorf("folder %v, tightened from %v", fi.Mode().Perm(), s.Tightened())
	}
	again := NewStore(dir, Options{Keychain: deadKeychain{}})
	again.Load()
	if again.Tightened() != 0 {
		t.Error("a private folder was reported as tightened")
	}
}
