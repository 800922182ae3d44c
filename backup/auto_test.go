package backup

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"authdeck/vault"
)

// bkAutoOn turns on automatic backups into dir, keeping keep, with a backup key.
func bkAutoOn(t testing.TB, s *vault.Store, dir string, keep int) *vault.Vault {
	t.Helper()
	v, err := s.Update(func(v *vault.Vault) error {
		v.Backup.AutoDir, v.Backup.AutoKeep = dir, keep
		return SetPassphrase(&v.Backup, bkPass, bkWorkFactor)
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// bkChange makes one change to the vault and writes its automatic backup,
// as the CLI does after each command.
func bkChange(t testing.TB, s *vault.Store, n int, now time.Time) string {
	t.Helper()
	a := vault.Account{Issuer: "Site", Name: fmt.Sprint(n), Secret: []byte(fmt.Sprintf("secret-%d-%s", n, s.Dir()))}
	a.Normalize()
	v := bkAdd(t, s, a)
	path, err := WriteAuto(s, v, now)
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func bkNames(t testing.TB, dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestAutoTwoDevicesOneFolder: two computers (two vaults on the real
// keychain) write automatic backups into one folder; each keeps its own
// newest N and never touches the other's files, not even those of a third
// computer with the same name.
func TestAutoTwoDevicesOneFolder(t *testing.T) {
	shared := t.TempDir()
	laptop := bkRealStore(t, "Ann's laptop")
	desk := bkRealStore(t, "desk")
	twin := bkRealStore(t, "Ann's laptop") // another computer, same name
	bkAutoOn(t, laptop, shared, 3)
	bkAutoOn(t, desk, shared, 2)
	bkAutoOn(t, twin, shared, 1)
	foreign := []string{"notes.txt", "authdeck-Ann-s-laptop.txt", "authdeck-desk-zzzzzzzz-x" + Ext}
	for _, n := range foreign {
		os.WriteFile(filepath.Join(shared, n), []byte("not mine"), 0o600)
	}

	now := bkAt
	var last string
	for i := range 6 {
		now = now.Add(time.Minute)
		last = bkChange(t, laptop, i, now)
		bkChange(t, desk, i, now.Add(time.Second))
		if i < 2 {
			bkChange(t, twin, i, now.Add(2*time.Second))
		}
	}
	lv, _ := laptop.Load()
	dv, _ := desk.Load()
	tv, _ := twin.Load()
	for _, c := range []struct {
		v    *vault.Vault
		want int
	}{{lv, 3}, {dv, 2}, {tv, 1}} {
		files, err := AutoFiles(shared, c.v.Device)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != c.want {
			t.Errorf("%s: %d files, want %d: %q", c.v.Device.Name, len(files), c.want, bkNames(t, shared))
		}
		for _, f := range files {
			if !strings.HasPrefix(filepath.Base(f), "authdeck-"+strings.NewReplacer("'", "-", " ", "-").Replace(c.v.Device.Name)+"-"+c.v.Device.ID[:8]+"-") {
				t.Errorf("%s: file %s is not named for its device", c.v.Device.Name, f)
			}
		}
	}
	if n := len(bkNames(t, shared)); n != 3+2+1+len(foreign) {
		t.Errorf("%d files in the folder: %q", n, bkNames(t, shared))
	}
	for _, n := range foreign {
		if data, err := os.ReadFile(filepath.Join(shared, n)); err != nil || string(data) != "not mine" {
			t.Errorf("another file was touched: %s", n)
		}
	}
	// The newest is the laptop's last change, and restores with the laptop's passphrase.
	files, _ := AutoFiles(shared, lv.Device)
	if files[len(files)-1] != last {
		t.Errorf("newest file %s, want %s", files[len(files)-1], last)
	}
	b, err := ReadFile(last, bkPass)
	if err != nil || b.Revision != lv.Revision || len(b.Accounts) != 6 || b.Device != lv.Device {
		t.Fatalf("newest backup: %v, %+v", err, b)
	}
}

// TestStatus follows a vault's backup status: never made, up to date, out of
// date, failing with each reason, and the reminder after 30 days. Recording
// a backup never changes the vault file.
func TestStatus(t *testing.T) {
	s := bkRealStore(t, "laptop")
	v, _ := s.Load()
	st, err := ReadStatus(s, v, bkAt)
	if err != nil || !st.LastTime.IsZero() || st.OutOfDate || st.PassphraseSet || st.Remind || st.Failing {
		t.Fatalf("empty vault: %+v, %v", st, err)
	}
	v = bkAdd(t, s, bkAccounts()[0]) // created an hour before bkAt
	st, _ = ReadStatus(s, v, bkAt)
	if !st.OutOfDate || st.Remind {
		t.Errorf("never backed up: %+v", st)
	}
	if st, _ = ReadStatus(s, v, bkAt.Add(31*24*time.Hour)); !st.Remind {
		t.Errorf("never backed up for a month, no reminder: %+v", st)
	}

	dir := t.TempDir()
	v = bkAutoOn(t, s, dir, 5)
	before, _ := os.ReadFile(s.Path())
	path, err := WriteAuto(s, v, bkAt)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(s.Path())
	if !bytes.Equal(before, after) {
		t.Error("writing a backup changed the vault file")
	}
	st, _ = ReadStatus(s, v, bkAt.Add(time.Hour))
	if st.OutOfDate || st.LastRevision != v.Revision || st.LastFile != path || !st.LastTime.Equal(bkAt) || st.Failing || !st.PassphraseSet || st.AutoDir != dir || st.AutoKeep != 5 {
		t.Errorf("after a backup: %+v", st)
	}
	if st, _ = ReadStatus(s, v, bkAt.Add(ReminderAfter)); !st.Remind {
		t.Errorf("no reminder after 30 days: %+v", st)
	}

	v = bkAdd(t, s, bkAccounts()[3])
	if st, _ = ReadStatus(s, v, bkAt); !st.OutOfDate || st.Revision != v.Revision {
		t.Errorf("after a change: %+v", st)
	}

	// The folder goes missing: failing, with the reason; the last good backup is kept.
	os.RemoveAll(dir)
	if _, err := WriteAuto(s, v, bkAt.Add(time.Minute)); !errors.Is(err, ErrFolderMissing) {
		t.Fatalf("missing folder: %v", err)
	}
	st, _ = ReadStatus(s, v, bkAt.Add(time.Hour))
	if !st.Failing || !errors.Is(st.Reason, ErrFolderMissing) || !strings.Contains(st.Reason.Error(), dir) ||
		!st.FailedAt.Equal(bkAt.Add(time.Minute)) || !st.OutOfDate || st.LastFile != path {
		t.Errorf("missing folder: %+v", st)
	}
	// A file where the folder was.
	os.WriteFile(dir, nil, 0o600)
	if _, err := WriteAuto(s, v, bkAt.Add(2*time.Minute)); !errors.Is(err, ErrFolderMissing) {
		t.Errorf("a file for a folder: %v", err)
	}
	os.Remove(dir)
	// Not writable: only where permissions bind (not as root).
	if os.Geteuid() != 0 && runtime.GOOS != "windows" {
		os.Mkdir(dir, 0o500)
		if _, err := WriteAuto(s, v, bkAt.Add(3*time.Minute)); !errors.Is(err, ErrFolderNotWritable) {
			t.Errorf("read-only folder: %v", err)
		}
		os.Chmod(dir, 0o700)
	} else if runtime.GOOS == "linux" {
		// Root writes into a read-only folder; sysfs refuses even root.
		os.Mkdir(dir, 0o700)
		sys, _ := s.Update(func(v *vault.Vault) error { v.Backup.AutoDir = "/sys"; return nil })
		if _, err := WriteAuto(s, sys, bkAt.Add(3*time.Minute)); !errors.Is(err, ErrFolderNotWritable) {
			t.Errorf("/sys as root: %v", err)
		}
		if st, _ = ReadStatus(s, sys, bkAt.Add(time.Hour)); !errors.Is(st.Reason, ErrFolderNotWritable) {
			t.Errorf("/sys as root: %+v", st)
		}
		s.Update(func(v *vault.Vault) error { v.Backup.AutoDir = dir; return nil })
	} else {
		os.Mkdir(dir, 0o700)
	}
	// Another folder chosen: the old folder's failure is not this one's.
	other, _ := s.Update(func(v *vault.Vault) error { v.Backup.AutoDir = t.TempDir(); return nil })
	if st, _ = ReadStatus(s, other, bkAt.Add(time.Hour)); st.Failing {
		t.Errorf("a new folder shows the old one's failure: %+v", st)
	}
	v, _ = s.Update(func(v *vault.Vault) error { v.Backup.AutoDir = dir; return nil })
	// Back: the next change's backup clears the failure.
	if _, err := WriteAuto(s, v, bkAt.Add(4*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if st, _ = ReadStatus(s, v, bkAt.Add(time.Hour)); st.Failing || st.OutOfDate {
		t.Errorf("after recovery: %+v", st)
	}
	// Automatic backups off: a failure recorded earlier no longer shows.
	v, _ = s.Update(func(v *vault.Vault) error { v.Backup.AutoDir = ""; return nil })
	if st, _ = ReadStatus(s, v, bkAt); st.Failing || st.AutoDir != "" || !st.OutOfDate {
		t.Errorf("off: %+v", st)
	}
}

// TestClassify turns the system's errors into the reasons the status shows.
func TestClassify(t *testing.T) {
	for _, c := range []struct {
		err  error
		want error
	}{
		{&fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist}, ErrFolderMissing},
		{&fs.PathError{Op: "open", Path: "x", Err: fs.ErrPermission}, ErrFolderNotWritable},
		{&fs.PathError{Op: "write", Path: "x", Err: bkDiskFull}, ErrDiskFull},
		{&fs.PathError{Op: "open", Path: "x", Err: bkReadOnly}, ErrFolderNotWritable},
		{errors.New("something else"), ErrAutoFailed},
	} {
		got := classifyAutoErr(c.err, "/backups", bkAt).err()
		if !errors.Is(got, c.want) {
			t.Errorf("%v: %v, want %v", c.err, got, c.want)
		}
	}
}

// The system errors for a full disk and a read-only file system.
var bkDiskFull, bkReadOnly error = syscall.ENOSPC, syscall.EROFS

// TestAutoDebounce drives the window's automatic backup with a hand-run
// timer: a burst of changes makes one backup, of the newest vault, after the
// quiet period; Flush writes a pending one at once.
func TestAutoDebounce(t *testing.T) {
	s := bkRealStore(t, "laptop")
	dir := t.TempDir()
	bkAutoOn(t, s, dir, 10)

	var timers []*bkTimer
	var done []string
	now := bkAt
	a := NewAuto(s, AutoOptions{
		Quiet: 2 * time.Second,
		Now:   func() time.Time { return now },
		AfterFunc: func(d time.Duration, f func()) func() bool {
			tm := &bkTimer{d: d, f: f, live: true}
			timers = append(timers, tm)
			return tm.stop
		},
		Done: func(path string, err error) {
			if err != nil {
				t.Error(err)
			}
			done = append(done, path)
		},
	})
	var last *vault.Vault
	for i := range 3 {
		a2 := vault.Account{Issuer: "Burst", Name: fmt.Sprint(i), Secret: []byte(fmt.Sprint("burst-secret-", i))}
		a2.Normalize()
		last = bkAdd(t, s, a2)
		a.Changed(last)
	}
	live := 0
	for _, tm := range timers {
		if tm.live {
			live++
		}
		if tm.d != 2*time.Second {
			t.Errorf("timer of %v", tm.d)
		}
	}
	if len(timers) != 3 || live != 1 {
		t.Fatalf("%d timers, %d live; want 3 and 1", len(timers), live)
	}
	if len(bkNames(t, dir)) != 0 {
		t.Fatal("a backup was written before the quiet period ended")
	}
	now = now.Add(2 * time.Second)
	timers[2].fire()
	if len(done) != 1 || len(bkNames(t, dir)) != 1 {
		t.Fatalf("after the quiet period: done %q, files %q", done, bkNames(t, dir))
	}
	b, err := ReadFile(done[0], bkPass)
	if err != nil || b.Revision != last.Revision || len(b.Accounts) != 3 {
		t.Fatalf("the backup is not of the newest vault: %v %+v", err, b)
	}
	// Nothing pending: Flush writes nothing.
	if p, err := a.Flush(); p != "" || err != nil {
		t.Errorf("Flush with nothing pending: %q, %v", p, err)
	}
	// A change, then quit before the quiet period: Flush writes it.
	now = now.Add(time.Minute)
	a3 := vault.Account{Issuer: "Quit", Name: "x", Secret: []byte("quit-secret-123456")}
	a3.Normalize()
	a.Changed(bkAdd(t, s, a3))
	p, err := a.Flush()
	if err != nil || p == "" || len(bkNames(t, dir)) != 2 {
		t.Fatalf("Flush: %q, %v, files %q", p, err, bkNames(t, dir))
	}
	if timers[len(timers)-1].live {
		t.Error("Flush left its timer running")
	}
	// Automatic backups off: changes write nothing.
	off, _ := s.Update(func(v *vault.Vault) error { v.Backup.AutoDir = ""; return nil })
	a.Changed(off)
	if p, _ := a.Flush(); p != "" {
		t.Errorf("wrote %s with automatic backups off", p)
	}
}

type bkTimer struct {
	d    time.Duration
	f    func()
	live bool
}

func (tm *bkTimer) stop() bool {
	was := tm.live
	tm.live = false
	return was
}

func (tm *bkTimer) fire() {
	if tm.live {
		tm.live = false
		tm.f()
	}
}

// TestAutoSweepsItsOwnLeftovers: a killed automatic backup leaves a temporary
// file in the (synced) folder; this device's next backup removes it, and
// leaves another device's, which may be a write in flight.
func TestAutoSweepsItsOwnLeftovers(t *testing.T) {
	shared := t.TempDir()
	laptop := bkRealStore(t, "laptop")
	desk := bkRealStore(t, "desk")
	bkAutoOn(t, laptop, shared, 3)
	dv := bkAutoOn(t, desk, shared, 3)
	lv := bkAutoOn(t, laptop, shared, 3)
	mine := filepath.Join(shared, "."+autoPrefix(lv.Device)+"20260101T000000.000Z"+Ext+".a1b2c3.tmp")
	theirs := filepath.Join(shared, "."+autoPrefix(dv.Device)+"20260101T000000.000Z"+Ext+".a1b2c3.tmp")
	for _, p := range []string{mine, theirs} {
		if err := os.WriteFile(p, []byte("half a backup"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	bkChange(t, laptop, 1, bkAt)
	if _, err := os.Stat(mine); !errors.Is(err, fs.ErrNotExist) {
		t.Error("this device's leftover is still there")
	}
	if _, err := os.Stat(theirs); err != nil {
		t.Error("another device's temporary file was removed")
	}
}
