// Package sync keeps a vault in step with the user's other computers through
// a folder that a sync engine (Syncthing, Nextcloud, Dropbox...) already
// syncs: each device writes only its own encrypted device file there and
// merges the others'. The format is described in docs/sync-format.md.
package sync

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"filippo.io/age"

	"authdeck/vault"
)

// File names in the synced folder and in the vault folder.
const (
	// KeyFileName is the sync identity under the sync passphrase.
	KeyFileName = "authdeck-sync-key.age"
	filePrefix  = "authdeck-sync-"
	fileExt     = ".age"
	// tempPrefix starts the names of files being written: Syncthing leaves
	// "~syncthing~*" alone, Dropbox and Nextcloud "~*.tmp".
	tempPrefix = "~syncthing~"
	statusName = "sync-status.json"
	lockName   = "sync.lock"
)

// Errors that callers branch on. Each leaves the vault as it was.
var (
	ErrNotSetUp        = errors.New("sync is not set up")
	ErrAlreadyOn       = errors.New("sync is already on")
	ErrFolderHasSync   = errors.New("the folder already holds a sync")
	ErrFolderNoSync    = errors.New("the folder holds no sync to join")
	ErrWrongPassphrase = errors.New("wrong sync passphrase")
	ErrDamagedKey      = errors.New("the sync key file is damaged")
	ErrTooMuchWork     = errors.New("the sync key file asks for an unusual amount of work; refusing")
	ErrNoDevice        = errors.New("no such device in the sync")
)

// deviceName is what a device file's name is: the prefix, the device name
// made safe for every file system, and the full device ID.
var deviceName = regexp.MustCompile(`^authdeck-sync-[A-Za-z0-9_-]+-[0-9a-f]{24}\.age$`)

// FileName returns the name of device d's file in the synced folder.
func FileName(d vault.Device) string {
	return filePrefix + d.FileName() + "-" + d.ID + fileExt
}

// Rejection is a file in the synced folder that was not merged, and why.
type Rejection struct {
	File   string
	Reason error
}

// Result says what a merge read and did.
type Result struct {
	Report
	// Merged are the files merged, by name.
	Merged []string
	// Unchanged are the files merged before and unchanged since, which
	// were not read again.
	Unchanged []string
	// Rejected are the files that were not merged: written by someone
	// without the sync identity, damaged, or of a newer version.
	Rejected []Rejection
}

// identity returns the vault's sync identity.
func identity(v *vault.Vault) (*age.X25519Identity, error) {
	if !v.Sync.On() {
		return nil, ErrNotSetUp
	}
	id, err := age.ParseX25519Identity(v.Sync.Identity)
	if err != nil {
		return nil, fmt.Errorf("the sync key in the vault is not valid: %w", err)
	}
	return id, nil
}

// Setup starts a new sync in folder dir under passphrase: it makes the sync
// identity, writes it into dir under the passphrase (age scrypt at
// 2^workFactor; zero means 18) and writes this device's file.
func Setup(store *vault.Store, dir, passphrase string, workFactor int, now time.Time) error {
	if passphrase == "" {
		return errors.New("the sync passphrase is empty")
	}
	dir, err := folder(dir)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(filepath.Join(dir, KeyFileName)); err == nil {
		return fmt.Errorf("%w (%s): join it instead", ErrFolderHasSync, dir)
	}
	v, err := store.Load()
	if err != nil {
		return err
	}
	if v.Sync.On() {
		return fmt.Errorf("%w (%s)", ErrAlreadyOn, v.Sync.Dir)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return err
	}
	key, err := wrapIdentity(id, passphrase, workFactor)
	if err != nil {
		return err
	}
	if err := vault.WriteFileAtomicAs(filepath.Join(dir, KeyFileName), tempPrefix+KeyFileName+".", key); err != nil {
		return fmt.Errorf("cannot write into the sync folder: %w", err)
	}
	v, err = store.Update(func(v *vault.Vault) error {
		if v.Sync.On() {
			return fmt.Errorf("%w (%s)", ErrAlreadyOn, v.Sync.Dir)
		}
		v.Sync = vault.Replica{Dir: dir, Identity: id.String()}
		return nil
	})
	if err != nil {
		return err
	}
	return Write(store, v, now)
}

// Join joins the sync in folder dir: the passphrase opens the sync identity
// kept there, and this vault merges every device file in it. A wrong
// passphrase changes nothing.
func Join(store *vault.Store, dir, passphrase string, now time.Time) (Result, error) {
	dir, err := folder(dir)
	if err != nil {
		return Result{}, err
	}
	key, err := os.ReadFile(filepath.Join(dir, KeyFileName))
	if errors.Is(err, fs.ErrNotExist) {
		return Result{}, fmt.Errorf("%w (%s): set one up there first", ErrFolderNoSync, dir)
	}
	if err != nil {
		return Result{}, err
	}
	id, err := unwrapIdentity(key, passphrase)
	if err != nil {
		return Result{}, err
	}
	return merge(store, now, func(v *vault.Vault) error {
		if v.Sync.On() {
			return fmt.Errorf("%w (%s)", ErrAlreadyOn, v.Sync.Dir)
		}
		v.Sync = vault.Replica{Dir: dir, Identity: id.String()}
		v.Settle(slices.Clone(v.Accounts), now) // stamps what this device has
		return nil
	})
}

// Now merges every device file in the synced folder into the vault, then
// writes this device's file.
func Now(store *vault.Store, now time.Time) (Result, error) {
	return merge(store, now, nil)
}

// errUnchanged leaves the vault untouched after a merge that changed nothing.
var errUnchanged = errors.New("unchanged")

func merge(store *vault.Store, now time.Time, prepare func(*vault.Vault) error) (Result, error) {
	var res Result
	var copies []string
	var files []*File
	var loaded *vault.Vault // as it was loaded, for a merge that changes nothing
	v, err := store.Update(func(v *vault.Vault) error {
		loaded = v
		if prepare != nil {
			if err := prepare(v); err != nil {
				return err
			}
		}
		id, err := identity(v)
		if err != nil {
			return err
		}
		files, copies, res = readFolder(v, id, readState(store, v).mergedFiles(v))
		if len(files) == 0 && prepare == nil {
			return errUnchanged
		}
		before, _ := json.Marshal(v)
		res.Report = Merge(v, files, now)
		if after, _ := json.Marshal(v); prepare == nil && string(after) == string(before) {
			return errUnchanged
		}
		return nil
	})
	if errors.Is(err, errUnchanged) {
		v, err = loaded, nil
	}
	if err != nil {
		return Result{}, err
	}
	for _, c := range copies {
		os.Remove(c) // merged: the engine's conflict copy has done its work
	}
	if err := recordMerge(store, v, res, files, now); err != nil {
		return res, err
	}
	return res, Write(store, v, now)
}

// readFolder reads every device file in the synced folder but this device's
// own, and the conflict copies that engines made, several at once. It
// returns the files accepted, the conflict copies among them and among the
// files merged before (to remove once merged), and the files merged,
// unchanged and rejected. A file whose digest is in merged, merged into v
// before, is neither decrypted nor merged again: merging it again would
// change nothing.
func readFolder(v *vault.Vault, id *age.X25519Identity, merged map[string]bool) ([]*File, []string, Result) {
	var res Result
	var files []*File
	var copies []string
	entries, err := os.ReadDir(v.Sync.Dir)
	if err != nil {
		res.Rejected = append(res.Rejected, Rejection{File: v.Sync.Dir, Reason: err})
		return nil, nil, res
	}
	own := FileName(v.Device)
	var names []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, filePrefix) && !strings.HasPrefix(name, strings.TrimSuffix(KeyFileName, fileExt)) && name != own && e.Type().IsRegular() {
			names = append(names, name)
		}
	}
	type read struct {
		file      *File
		digest    string
		unchanged bool
		err       error
	}
	reads := make([]read, len(names))
	each(len(names), func(i int) {
		r := &reads[i]
		data, err := readDeviceFile(filepath.Join(v.Sync.Dir, names[i]))
		if err != nil {
			r.err = err
			return
		}
		r.digest = fileDigest(data)
		if r.unchanged = merged[r.digest]; !r.unchanged {
			r.file, r.err = Decode(data, id)
		}
	})
	for i, r := range reads {
		name, path := names[i], filepath.Join(v.Sync.Dir, names[i])
		isCopy := !deviceName.MatchString(name)
		switch {
		case r.err != nil:
			res.Rejected = append(res.Rejected, Rejection{File: name, Reason: r.err})
			continue
		case r.unchanged:
			res.Unchanged = append(res.Unchanged, name)
		case slices.Contains(v.Sync.Removed, r.file.Device.ID):
			continue
		default:
			files = append(files, r.file)
			res.Merged = append(res.Merged, name)
			if !isCopy {
				r.file.digest = r.digest
			}
		}
		if isCopy {
			copies = append(copies, path)
		}
	}
	return files, copies, res
}

// each runs do(0) to do(n-1) on as many goroutines as can run at once.
func each(n int, do func(int)) {
	var next atomic.Int64
	var wg gosync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				do(i)
			}
		})
	}
	wg.Wait()
}

// fileDigest is the SHA-256 of a device file as it stands in the folder.
func fileDigest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func readDeviceFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > MaxFileSize {
		return nil, ErrTooLarge
	}
	return os.ReadFile(path)
}

// Write writes this device's file of v, the vault just saved in store, into
// the synced folder, unless sync is off or a newer revision was written
// already. It is what follows every saved change.
func Write(store *vault.Store, v *vault.Vault, now time.Time) error {
	if !v.Sync.On() {
		return nil
	}
	id, err := identity(v)
	if err != nil {
		return err
	}
	release, err := vault.Lock(filepath.Join(store.Dir(), lockName), 10*time.Second)
	if err != nil {
		return err
	}
	defer release()
	st := readState(store, v)
	path := filepath.Join(v.Sync.Dir, FileName(v.Device))
	if st.Written != nil && st.Written.Revision >= v.Revision && st.Written.File == path {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
	}
	data, err := Encode(Snapshot(v, now), id)
	if err != nil {
		return err
	}
	werr := vault.WriteFileAtomicAs(path, tempPrefix+filepath.Base(path)+".", data)
	if werr != nil {
		st.WriteError = &failure{Time: now.UTC(), Detail: werr.Error()}
	} else {
		st.Written, st.WriteError = &written{Time: now.UTC(), Revision: v.Revision, File: path}, nil
	}
	if err := writeState(store, st); err != nil {
		return errors.Join(werr, err)
	}
	if werr != nil {
		return fmt.Errorf("cannot write into the sync folder: %w", werr)
	}
	return nil
}

// Off stops syncing: the vault forgets the folder and the sync key; the
// folder keeps every device's file.
func Off(store *vault.Store) error {
	_, err := store.Update(func(v *vault.Vault) error {
		if !v.Sync.On() {
			return ErrNotSetUp
		}
		v.Sync = vault.Replica{}
		return nil
	})
	if err == nil {
		os.Remove(filepath.Join(store.Dir(), statusName))
	}
	return err
}

// RemoveDevice takes a device out of the sync, by its ID (or the start of
// it) or its name: its file is deleted and no device reads its files again.
// It returns the device removed.
func RemoveDevice(store *vault.Store, device string, now time.Time) (vault.Device, error) {
	var gone vault.Device
	v, err := store.Update(func(v *vault.Vault) error {
		st := readState(store, v)
		var found []vault.Device
		for _, p := range st.Peers {
			if p.Device.ID == device || strings.HasPrefix(p.Device.ID, device) && len(device) >= 6 || strings.EqualFold(p.Device.Name, device) {
				found = append(found, p.Device)
			}
		}
		switch {
		case len(found) == 0:
			return fmt.Errorf("%w: %q", ErrNoDevice, device)
		case len(found) > 1:
			return fmt.Errorf("%d devices match %q: give the device ID", len(found), device)
		case !v.Sync.On():
			return ErrNotSetUp
		}
		gone = found[0]
		v.Sync.Removed = append(v.Sync.Removed, gone.ID)
		return nil
	})
	if err != nil {
		return vault.Device{}, err
	}
	os.Remove(filepath.Join(v.Sync.Dir, FileName(gone)))
	_ = updateState(store, v, func(st *state) {
		st.Peers = slices.DeleteFunc(st.Peers, func(p peer) bool { return p.Device.ID == gone.ID })
	})
	return gone, Write(store, v, now)
}

// folder checks that dir is a folder and returns its absolute path.
func folder(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("cannot use the sync folder: %w", err)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%s is not a folder", abs)
	}
	return abs, nil
}
