package vault

import (
	"bufio"
	"bytes"
	"encoding/base32"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"filippo.io/age"

	"authdeck/internal/testenv"
)

// TestMain lets the test binary stand in for a second Authdeck process.
func TestMain(m *testing.M) {
	switch os.Getenv("AUTHDECK_TEST_PROCESS") {
	case "add":
		os.Exit(processAdd())
	case "write":
		os.Exit(processWrite())
	}
	if run, ok := testProcesses[os.Getenv("AUTHDECK_TEST_PROCESS")]; ok {
		os.Exit(run())
	}
	os.Exit(m.Run())
}

// testProcesses are further stand-ins, by name, that tests of one OS add.
var testProcesses = map[string]func() int{}

// processAdd adds one account named by $AUTHDECK_TEST_NAME, as `authdeck add` does.
func processAdd() int {
	s := NewStore(os.Getenv("AUTHDECK_HOME"), Options{LockTimeout: time.Minute})
	name := os.Getenv("AUTHDECK_TEST_NAME")
	_, err := s.Update(func(v *Vault) error {
		_, err := v.Apply(v.Plan([]Account{acct("Concurrent", name, "secret-"+name)}), RefuseConflicts, time.Now())
		return err
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// processWrite saves the vault again and again, one account more each time,
// until it is killed.
// processWrite saves in a tight loop until it is killed. It says "saving" on
// standard output once its first save is done, so that the kill can fall
// among its writes however slowly the process started.
func processWrite() int {
	s := NewStore(os.Getenv("AUTHDECK_HOME"), Options{})
	for i := 0; ; i++ {
		_, err := s.Update(func(v *Vault) error {
			v.Accounts = append(v.Accounts, acct("Crash", strconv.Itoa(len(v.Accounts)), "secret-"+strconv.Itoa(i)))
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if i == 0 {
			fmt.Println("saving")
		}
	}
}

// realKeychain returns the OS keychain, or skips where the test session has
// no Secret Service.
func realKeychain(t testing.TB) Keychain {
	testenv.SecretService(t)
	return OSKeychain{}
}

// newRealStore returns a store in a new folder whose key is in the real
// keychain, and removes the key after the test.
func newRealStore(t testing.TB) *Store {
	kc := realKeychain(t)
	s := NewStore(t.TempDir(), Options{Keychain: kc})
	t.Cleanup(func() { kc.Delete(KeychainService, s.keychainUser()) })
	return s
}

func mustUpdate(t testing.TB, s *Store, change func(*Vault) error) *Vault {
	t.Helper()
	v, err := s.Update(change)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func addAccounts(accounts ...Account) func(*Vault) error {
	return func(v *Vault) error {
		_, err := v.Apply(v.Plan(accounts), RefuseConflicts, time.Now())
		return err
	}
}

func TestStoreRoundTripAcrossStores(t *testing.T) {
	s := newRealStore(t)
	if m, _ := s.Mode(); m != NoVault {
		t.Fatalf("mode of an empty folder: %v", m)
	}
	v, err := s.Load()
	if err != nil || len(v.Accounts) != 0 || v.Revision != 0 {
		t.Fatalf("empty folder: %+v, %v", v, err)
	}
	mustUpdate(t, s, addAccounts(acct("GitHub", "ann", "s1")))
	mustUpdate(t, s, addAccounts(acct("Bank", "ann", "s2")))

	// A second store, as another process would have, reads what the first wrote.
	other := NewStore(s.Dir(), Options{Keychain: OSKeychain{}})
	got, err := other.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got.Revision != 2 || len(got.Accounts) != 2 || got.Accounts[1].Issuer != "Bank" || string(got.Accounts[0].Secret) != "s1" {
		t.Fatalf("read back: %+v", got)
	}
	if m, _ := other.Mode(); m != KeychainMode {
		t.Errorf("mode: %v", m)
	}
	for _, name := range []string{FileName, BackupName} {
		fi, err := os.Stat(filepath.Join(s.Dir(), name))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v", name, err, fi.Mode())
		}
	}
	// The previous version is kept, and opens with the same key.
	data, _ := os.ReadFile(filepath.Join(s.Dir(), BackupName))
	r, err := age.Decrypt(bytes.NewReader(data), other.identity)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.ReadFrom(r)
	if !strings.Contains(b.String(), `"revision":1`) {
		t.Errorf("backup is not the previous revision: %s", b.String()[:40])
	}
}

func TestNoPlaintextOnDisk(t *testing.T) {
	s := newRealStore(t)
	secret := []byte("a very secret key 123")
	a := acct("Plainly Visible Issuer", "plainly-visible@example.com", string(secret))
	mustUpdate(t, s, addAccounts(a))
	mustUpdate(t, s, func(v *Vault) error { v.Prefs.HideCodes = true; return nil })
	needles := [][]byte{secret, []byte(base32.StdEncoding.EncodeToString(secret)[:16]), []byte("Plainly Visible"), []byte("plainly-visible")}
	files, _ := filepath.Glob(filepath.Join(s.Dir(), "*"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		for _, n := range needles {
			if bytes.Contains(data, n) {
				t.Errorf("%s holds %q in plain text", filepath.Base(f), n)
			}
		}
	}
}

func TestBadVaultFileChangesNothing(t *testing.T) {
	s := newRealStore(t)
	mustUpdate(t, s, addAccounts(acct("GitHub", "ann", "s1")))
	good, _ := os.ReadFile(s.Path())
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 1
	header := bytes.Clone(good)
	header[bytes.Index(header, []byte("\n--- "))+8] ^= 1 // the header's MAC
	tests := map[string][]byte{
		"truncated":          good[:len(good)/2],
		"one byte changed":   flipped,
		"header changed":     header,
		"not an age file":    []byte("hello, world\n"),
		"empty":              {},
		"cut after a header": good[:bytes.Index(good, []byte("\n---"))],
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			os.WriteFile(s.Path(), data, 0o600)
			fresh := NewStore(s.Dir(), Options{Keychain: OSKeychain{}})
			if _, err := fresh.Load(); !errors.Is(err, ErrDamaged) {
				t.Errorf("load: got %v, want ErrDamaged", err)
			}
			if _, err := fresh.Update(func(*Vault) error { return nil }); !errors.Is(err, ErrDamaged) {
				t.Errorf("update: got %v, want ErrDamaged", err)
			}
			if after, _ := os.ReadFile(s.Path()); !bytes.Equal(after, data) {
				t.Error("the vault file changed")
			}
		})
	}
}

func TestKeychainItemMissingOrWrong(t *testing.T) {
	s := newRealStore(t)
	mustUpdate(t, s, addAccounts(acct("GitHub", "ann", "s1")))
	good, _ := os.ReadFile(s.Path())
	kc := OSKeychain{}
	other, _ := age.GenerateX25519Identity()
	tests := []struct {
		name string
		set  func() error
		want error
	}{
		{"missing", func() error { return kc.Delete(KeychainService, s.keychainUser()) }, ErrNoKey},
		{"another key", func() error { return kc.Set(KeychainService, s.keychainUser(), other.String()) }, ErrWrongKey},
		{"not a key", func() error { return kc.Set(KeychainService, s.keychainUser(), "hello") }, ErrWrongKey},
	}
	for _, tt := range tests {
		if err := tt.set(); err != nil {
			t.Fatal(err)
		}
		fresh := NewStore(s.Dir(), Options{Keychain: kc})
		if _, err := fresh.Load(); !errors.Is(err, tt.want) {
			t.Errorf("%s: load: got %v, want %v", tt.name, err, tt.want)
		}
		if _, err := fresh.Update(addAccounts(acct("x", "y", "z"))); !errors.Is(err, tt.want) {
			t.Errorf("%s: update: got %v, want %v", tt.name, err, tt.want)
		}
		if after, _ := os.ReadFile(s.Path()); !bytes.Equal(after, good) {
			t.Errorf("%s: the vault file changed", tt.name)
		}
	}
}

// deadKeychain is a keychain that does not answer, as on a Linux session
// without a Secret Service.
type deadKeychain struct{ calls *int }

func (k deadKeychain) fail() error {
	if k.calls != nil {
		*k.calls++
	}
	return fmt.Errorf("%w: org.freedesktop.secrets was not provided by any .service files", ErrNoKeychain)
}
func (k deadKeychain) Get(string, string) (string, error) { return "", k.fail() }
func (k deadKeychain) Set(string, string, string) error   { return k.fail() }
func (k deadKeychain) Delete(string, string) error        { return k.fail() }

func TestNoKeychainFailsClearly(t *testing.T) {
	dir := t.TempDir()
	s := NewStore(dir, Options{Keychain: deadKeychain{}})
	if _, err := s.Update(addAccounts(acct("GitHub", "ann", "s1"))); !errors.Is(err, ErrNoKeychain) {
		t.Fatalf("got %v, want ErrNoKeychain", err)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Error("a vault was written without a key in the keychain")
	}
}

func TestPasswordMode(t *testing.T) {
	dir := t.TempDir()
	calls := 0
	pass := func(p string) Options {
		return Options{Keychain: deadKeychain{&calls}, ScryptWorkFactor: 10, Passphrase: func() (string, error) { return p, nil }}
	}
	s := NewStore(dir, pass("correct horse"))
	if _, err := s.Init(PasswordMode); err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, s, addAccounts(acct("GitHub", "ann", "s1")))
	if m, _ := s.Mode(); m != PasswordMode {
		t.Errorf("mode: %v", m)
	}
	v, err := NewStore(dir, pass("correct horse")).Load()
	if err != nil || len(v.Accounts) != 1 {
		t.Fatalf("right passphrase: %v", err)
	}
	good, _ := os.ReadFile(s.Path())
	if _, err := NewStore(dir, pass("wrong")).Update(addAccounts(acct("x", "y", "z"))); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
	if _, err := NewStore(dir, Options{Keychain: deadKeychain{&calls}}).Load(); !errors.Is(err, ErrPassphraseNeeded) {
		t.Errorf("no passphrase: %v", err)
	}
	if after, _ := os.ReadFile(s.Path()); !bytes.Equal(after, good) {
		t.Error("the vault file changed")
	}
	if calls != 0 {
		t.Errorf("password mode asked the keychain %d times", calls)
	}
	if _, err := s.Init(PasswordMode); !errors.Is(err, ErrVaultExists) {
		t.Errorf("init over a vault: %v", err)
	}
}

func TestNewerVersionRefused(t *testing.T) {
	s := newRealStore(t)
	mustUpdate(t, s, addAccounts(acct("GitHub", "ann", "s1")))
	sealed, err := s.seal(&Vault{Version: FormatVersion + 1})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(s.Path(), sealed, 0o600)
	if _, err := NewStore(s.Dir(), Options{}).Load(); !errors.Is(err, ErrNewerVersion) {
		t.Errorf("got %v, want ErrNewerVersion", err)
	}
}

func TestLockTimesOut(t *testing.T) {
	dir := t.TempDir()
	release, err := Lock(filepath.Join(dir, lockName), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	s := NewStore(dir, Options{Keychain: deadKeychain{}, LockTimeout: 50 * time.Millisecond})
	if _, err := s.Update(func(*Vault) error { return nil }); !errors.Is(err, ErrBusy) {
		t.Errorf("got %v, want ErrBusy", err)
	}
}

func process(t testing.TB, dir, role string, extra ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "AUTHDECK_TEST_PROCESS="+role, "AUTHDECK_HOME="+dir)
	cmd.Env = append(cmd.Env, extra...)
	return cmd
}

// Eight processes that add an account at once all land: none loses another's change.
func TestConcurrentProcessesAllLand(t *testing.T) {
	s := newRealStore(t)
	mustUpdate(t, s, addAccounts(acct("First", "one", "s0")))
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := process(t, s.Dir(), "add", "AUTHDECK_TEST_NAME=p"+strconv.Itoa(i)).CombinedOutput()
			if err != nil {
				errs[i] = fmt.Errorf("%v: %s", err, out)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	v, err := s.Load()
	if err != nil || len(v.Accounts) != 9 || v.Revision != 9 {
		t.Fatalf("got %d accounts at revision %d, %v; want 9 at 9", len(v.Accounts), v.Revision, err)
	}
}

// A process killed at a random moment while it saves leaves a vault that
// opens, with the old content or the new.
func TestCrashWhileSavingLeavesAVaultThatOpens(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a few hundred processes")
	}
	s := newRealStore(t)
	mustUpdate(t, s, addAccounts(acct("Crash", "0", "secret")))
	rounds, progressed := 300, 0
	last := uint64(1)
	for i := 0; i < rounds; i++ {
		cmd := process(t, s.Dir(), "write")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the process is in its loop of saves (on a busy machine
		// its start alone can take longer than any fixed delay), then kill
		// it at a random moment among them.
		if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: the writing process did not start saving: %v", i, err)
		}
		time.Sleep(time.Duration(rand.IntN(15000)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		v, err := NewStore(s.Dir(), Options{}).Load()
		if err != nil {
			t.Fatalf("round %d: the vault does not open after a crash: %v", i, err)
		}
		if v.Revision < last || uint64(len(v.Accounts)) != v.Revision {
			t.Fatalf("round %d: revision %d with %d accounts after revision %d", i, v.Revision, len(v.Accounts), last)
		}
		if v.Revision > last {
			progressed++
		}
		last = v.Revision
	}
	// Every round saved at least once before its kill; the kills that fell
	// inside a write are what the checks above are about.
	t.Logf("%d rounds, %d of them saved before the kill, revision %d", rounds, progressed, last)
}
