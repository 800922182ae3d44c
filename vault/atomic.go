package vault

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// WriteFileAtomic replaces the file at path with data, mode 0600, so that a
// crash at any instant leaves either the old file or the new one: it writes a
// temporary file in the same folder, syncs it, renames it over path and syncs
// the folder. Where the system can (Linux), the temporary file has no name
// until it is complete, so a process killed while writing leaves nothing
// behind, not even a hidden copy of an export in plain text. Elsewhere the
// temporary file is named for path (see [SweepTemps]).
func WriteFileAtomic(path string, data []byte) error {
	return WriteFileAtomicAs(path, tempPrefix(path), data)
}

// WriteFileAtomicAs is [WriteFileAtomic] with temporary files named
// prefix + random + ".tmp" in path's folder: a name that a sync engine
// watching the folder knows to leave alone, say.
func WriteFileAtomicAs(path, prefix string, data []byte) error {
	dir := filepath.Dir(path)
	// Leftovers of killed writes of this file: no write takes this long.
	sweepGlob(dir, prefix, staleAfter)
	f, named, err := createTemp(dir, prefix)
	if err != nil {
		return err
	}
	tmp := ""
	if named {
		tmp = f.Name()
		defer os.Remove(tmp)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if !named {
		// Give the finished file its temporary name, an instant before the
		// rename.
		tmp = tempName(dir, prefix)
		if err := linkAnonymous(f, tmp); err != nil {
			f.Close()
			return err
		}
		defer os.Remove(tmp)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// tempName is the name of a temporary file that will replace path: hidden,
// named for path's file, so that each kind of file has its own temporary
// files, which [SweepTemps] removes under that file's own lock.
func tempName(dir, prefix string) string {
	var b [6]byte
	rand.Read(b[:])
	return filepath.Join(dir, prefix+hex.EncodeToString(b[:])+".tmp")
}

func tempPrefix(path string) string { return "." + filepath.Base(path) + "." }

// createTempNamed creates a temporary file with a name that starts with prefix.
func createTempNamed(dir, prefix string) (*os.File, error) {
	return os.CreateTemp(dir, prefix+"*.tmp")
}

// staleAfter is an age that no write of a temporary file reaches.
const staleAfter = 10 * time.Minute

// SweepTemps removes the temporary files left beside path by writes of it
// that were killed, if they are older than minAge. A caller that holds the
// lock under which path is written passes zero: no write of path is then in
// flight. [WriteFileAtomic] itself sweeps those older than ten minutes.
func SweepTemps(path string, minAge time.Duration) {
	SweepTempsOf(filepath.Dir(path), filepath.Base(path), minAge)
}

// SweepTempsOf removes, from dir, the temporary files of every file whose
// name starts with prefix, if they are older than minAge: those of a family
// of files, such as one device's automatic backups.
func SweepTempsOf(dir, prefix string, minAge time.Duration) {
	sweepGlob(dir, "."+prefix, minAge)
}

// sweepGlob removes the files of dir named tempPrefix*.tmp older than minAge.
func sweepGlob(dir, tempPrefix string, minAge time.Duration) {
	matches, _ := filepath.Glob(filepath.Join(dir, escapeGlob(tempPrefix)+"*.tmp"))
	for _, p := range matches {
		if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) >= minAge {
			os.Remove(p)
		}
	}
}

func escapeGlob(s string) string {
	return strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`).Replace(s)
}
