package backup

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"authdeck/vault"
)

// DefaultKeep is how many automatic backups of one device a folder keeps
// unless told otherwise.
const DefaultKeep = 10

// ReminderAfter is how long without a backup before the user is reminded.
const ReminderAfter = 30 * 24 * time.Hour

// Why an automatic backup failed, for [Status.Reason].
var (
	ErrFolderMissing     = errors.New("the backup folder is missing")
	ErrFolderNotWritable = errors.New("the backup folder is not writable")
	ErrDiskFull          = errors.New("the disk of the backup folder is full")
	ErrAutoFailed        = errors.New("the automatic backup failed")
)

// File names in the vault folder.
const (
	statusName     = "backup-status.json"
	backupLockName = "backup.lock"
)

// lockTimeout is how long a backup waits for another process writing one.
const lockTimeout = 10 * time.Second

// Status is the state of a vault's backups, for `authdeck backup status` and
// the window's backup button.
type Status struct {
	// LastTime is when the last backup was written; zero means never.
	LastTime time.Time
	// LastRevision is the vault revision the last backup holds.
	LastRevision uint64
	// LastFile is where the last backup was written.
	LastFile string
	// Revision is the vault's revision now.
	Revision uint64
	// OutOfDate means the vault changed since the last backup, or that it has
	// accounts and was never backed up.
	OutOfDate bool
	// Failing means the last automatic backup into AutoDir failed; Reason
	// says why and FailedAt when.
	Failing  bool
	Reason   error
	FailedAt time.Time
	// Remind means no backup was written for [ReminderAfter] (or ever, while
	// the oldest account is that old).
	Remind bool
	// AutoDir and AutoKeep are the automatic backup settings; an empty AutoDir
	// means automatic backups are off.
	AutoDir  string
	AutoKeep int
	// PassphraseSet means backups can be written.
	PassphraseSet bool
}

// statusState is the backup status file in the vault folder. It holds no secret,
// and writing it does not change the vault, so that recording a backup does
// not make the vault newer than the backup.
type statusState struct {
	// Device is the ID of the vault's device, so that a new vault in the same
	// folder does not inherit an old vault's status.
	Device  string       `json:"device"`
	Last    *lastBackup  `json:"last,omitempty"`
	Failure *autoFailure `json:"failure,omitempty"`
}

type lastBackup struct {
	Time     time.Time `json:"time"`
	Revision uint64    `json:"revision"`
	File     string    `json:"file"`
	Auto     bool      `json:"auto,omitempty"`
}

type autoFailure struct {
	Time time.Time `json:"time"`
	// Kind is "missing", "not-writable", "disk-full" or "other".
	Kind   string `json:"kind"`
	Dir    string `json:"dir"`
	Detail string `json:"detail,omitempty"`
}

var failureKinds = map[string]error{
	"missing":      ErrFolderMissing,
	"not-writable": ErrFolderNotWritable,
	"disk-full":    ErrDiskFull,
}

func (f *autoFailure) err() error {
	if kind, ok := failureKinds[f.Kind]; ok {
		return fmt.Errorf("%w: %s", kind, f.Dir)
	}
	return fmt.Errorf("%w: %s", ErrAutoFailed, f.Detail)
}

// ReadStatus returns the backup status of v, the vault kept in store, at now.
func ReadStatus(store *vault.Store, v *vault.Vault, now time.Time) (Status, error) {
	st, err := readState(store, v)
	if err != nil {
		return Status{}, err
	}
	s := Status{
		Revision:      v.Revision,
		AutoDir:       v.Backup.AutoDir,
		AutoKeep:      keepOf(v.Backup),
		PassphraseSet: v.Backup.Recipient != "",
	}
	if st.Last != nil {
		s.LastTime, s.LastRevision, s.LastFile = st.Last.Time, st.Last.Revision, st.Last.File
		s.OutOfDate = v.Revision > st.Last.Revision
		s.Remind = now.Sub(st.Last.Time) >= ReminderAfter
	} else if len(v.Accounts) > 0 {
		s.OutOfDate = true
		oldest := now
		for _, a := range v.Accounts {
			if !a.Created.IsZero() && a.Created.Before(oldest) {
				oldest = a.Created
			}
		}
		s.Remind = now.Sub(oldest) >= ReminderAfter
	}
	if st.Failure != nil && s.AutoDir != "" && st.Failure.Dir == s.AutoDir {
		s.Failing, s.Reason, s.FailedAt = true, st.Failure.err(), st.Failure.Time
	}
	return s, nil
}

func keepOf(c vault.BackupConfig) int {
	if c.AutoKeep > 0 {
		return c.AutoKeep
	}
	return DefaultKeep
}

func readState(store *vault.Store, v *vault.Vault) (statusState, error) {
	var st statusState
	data, err := os.ReadFile(filepath.Join(store.Dir(), statusName))
	if errors.Is(err, fs.ErrNotExist) {
		return statusState{Device: v.Device.ID}, nil
	}
	if err != nil {
		return st, fmt.Errorf("cannot read the backup status: %w", err)
	}
	if json.Unmarshal(data, &st) != nil || st.Device != v.Device.ID {
		// A damaged status file, or one of an earlier vault in this folder,
		// tells nothing about this vault's backups.
		return statusState{Device: v.Device.ID}, nil
	}
	return st, nil
}

func writeState(store *vault.Store, st statusState) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if err := vault.WriteFileAtomic(filepath.Join(store.Dir(), statusName), append(data, '\n')); err != nil {
		return fmt.Errorf("cannot save the backup status: %w", err)
	}
	return nil
}

// updateState changes the status file under the backup lock.
func updateState(store *vault.Store, v *vault.Vault, change func(*statusState)) error {
	release, err := vault.Lock(filepath.Join(store.Dir(), backupLockName), lockTimeout)
	if err != nil {
		return err
	}
	defer release()
	vault.SweepTemps(filepath.Join(store.Dir(), statusName), 0)
	st, err := readState(store, v)
	if err != nil {
		return err
	}
	change(&st)
	return writeState(store, st)
}

func recordSuccess(store *vault.Store, v *vault.Vault, file string, now time.Time, auto bool) error {
	return updateState(store, v, func(st *statusState) {
		st.Last = &lastBackup{Time: now.UTC(), Revision: v.Revision, File: file, Auto: auto}
		if auto {
			st.Failure = nil
		}
	})
}

// WriteAuto writes an automatic backup of v, the vault kept in store, into
// v's automatic backup folder, then deletes this device's oldest automatic
// backups beyond the number to keep; it never touches another device's files.
// It records the outcome in the backup status and returns the file written.
// A failure's error wraps [ErrFolderMissing], [ErrFolderNotWritable],
// [ErrDiskFull] or [ErrAutoFailed].
func WriteAuto(store *vault.Store, v *vault.Vault, now time.Time) (string, error) {
	dir := v.Backup.AutoDir
	if dir == "" {
		return "", errors.New("automatic backups are off")
	}
	release, err := vault.Lock(filepath.Join(store.Dir(), backupLockName), lockTimeout)
	if err != nil {
		return "", err
	}
	defer release()
	vault.SweepTemps(filepath.Join(store.Dir(), statusName), 0)
	st, err := readState(store, v)
	if err != nil {
		return "", err
	}
	if st.Last != nil && st.Last.Revision > v.Revision {
		return "", nil // another writer already backed up a newer revision
	}
	path, werr := writeAuto(dir, v, now)
	if werr != nil {
		st.Failure = classifyAutoErr(werr, dir, now)
		if err := writeState(store, st); err != nil {
			return "", errors.Join(st.Failure.err(), err)
		}
		return "", st.Failure.err()
	}
	st.Last = &lastBackup{Time: now.UTC(), Revision: v.Revision, File: path, Auto: true}
	st.Failure = nil
	return path, writeState(store, st)
}

func writeAuto(dir string, v *vault.Vault, now time.Time) (string, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%s: %w", dir, fs.ErrNotExist)
	}
	data, err := Encode(v, now)
	if err != nil {
		return "", err
	}
	prefix := autoPrefix(v.Device)
	// This device's backups are written under the backup lock, which the
	// caller holds: any temporary file of theirs is left from a crash.
	vault.SweepTempsOf(dir, prefix, 0)
	path := filepath.Join(dir, prefix+now.UTC().Format(autoTimeLayout)+Ext)
	if err := vault.WriteFileAtomic(path, data); err != nil {
		return "", err
	}
	// The backup is written: a file that cannot be deleted now (one a sync
	// client holds open on Windows, say) is deleted by a later backup.
	pruneAuto(dir, prefix, keepOf(v.Backup))
	return path, nil
}

// autoTimeLayout is the time in automatic backup names: UTC, sortable, and
// without the colons that Windows forbids.
const autoTimeLayout = "20060102T150405.000Z"

// autoPrefix is the start of the names of a device's automatic backups:
// "authdeck-", the device name made safe for every file system, and the
// start of the device ID, so that two computers with the same name differ.
func autoPrefix(d vault.Device) string {
	name := d.FileName()
	id := d.ID
	if len(id) > 8 {
		id = id[:8]
	}
	return "authdeck-" + name + "-" + id + "-"
}

// AutoFiles returns the automatic backups of device d in folder dir, oldest
// first.
func AutoFiles(dir string, d vault.Device) ([]string, error) {
	return autoFiles(dir, autoPrefix(d))
}

func autoFiles(dir, prefix string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(n, prefix) || !strings.HasSuffix(n, Ext) {
			continue
		}
		stamp := strings.TrimSuffix(strings.TrimPrefix(n, prefix), Ext)
		if _, err := time.Parse(autoTimeLayout, stamp); err != nil {
			continue
		}
		names = append(names, filepath.Join(dir, n))
	}
	slices.Sort(names)
	return names, nil
}

// pruneAuto deletes the oldest of a device's automatic backups beyond keep,
// as many as it can.
func pruneAuto(dir, prefix string, keep int) {
	files, err := autoFiles(dir, prefix)
	if err != nil {
		return
	}
	for _, f := range files[:max(0, len(files)-keep)] {
		os.Remove(f)
	}
}

// classifyAutoErr says why writing a backup into dir failed.
func classifyAutoErr(err error, dir string, now time.Time) *autoFailure {
	f := &autoFailure{Time: now.UTC(), Kind: "other", Dir: dir, Detail: err.Error()}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f.Kind = "missing"
	case isDiskFull(err):
		f.Kind = "disk-full"
	case errors.Is(err, fs.ErrPermission) || isReadOnly(err):
		f.Kind = "not-writable"
	}
	return f
}

// Auto writes automatic backups for the window: after each change it waits
// for a quiet period, so that a burst of changes makes one backup. Its
// methods may be called from any goroutine.
type Auto struct {
	store *vault.Store
	opts  AutoOptions

	mu      sync.Mutex
	pending *vault.Vault
	stop    func() bool
}

// AutoOptions are the knobs of an [Auto].
type AutoOptions struct {
	// Quiet is how long after the last change a backup is written; zero
	// means 3 s.
	Quiet time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// AfterFunc runs f after d, as [time.AfterFunc] does (the default), and
	// returns a function that cancels it. Tests run f themselves.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
	// Done, if set, is called after each backup attempt with the file
	// written or the error, on the goroutine that wrote it.
	Done func(path string, err error)
}

// NewAuto returns an automatic backup writer for the vault kept in store.
func NewAuto(store *vault.Store, opts AutoOptions) *Auto {
	if opts.Quiet == 0 {
		opts.Quiet = 3 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.AfterFunc == nil {
		opts.AfterFunc = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	return &Auto{store: store, opts: opts}
}

// Changed tells a that v is the vault just saved. A backup of the newest such
// vault is written once no change came for the quiet period, if automatic
// backups are on. v must not be changed afterwards ([vault.Store.Update]
// returns a new vault each time).
func (a *Auto) Changed(v *vault.Vault) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pending = v
	if a.stop != nil {
		a.stop()
	}
	a.stop = a.opts.AfterFunc(a.opts.Quiet, func() { a.Flush() })
}

// Flush writes the pending backup now, if there is one and automatic backups
// are on, as on quit. It returns the file written, or "" if there was nothing
// to write.
func (a *Auto) Flush() (string, error) {
	a.mu.Lock()
	v := a.pending
	a.pending = nil
	if a.stop != nil {
		a.stop()
		a.stop = nil
	}
	a.mu.Unlock()
	if v == nil || v.Backup.AutoDir == "" || v.Backup.Recipient == "" {
		return "", nil
	}
	path, err := WriteAuto(a.store, v, a.opts.Now())
	if a.opts.Done != nil {
		a.opts.Done(path, err)
	}
	return path, err
}
