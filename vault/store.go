package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"filippo.io/age"
)

// File names inside the vault folder.
const (
	FileName   = "vault.age"
	BackupName = "vault.age.bak"
	lockName   = "vault.lock"
)

// Errors that callers branch on. Each leaves the vault as it was.
var (
	ErrVaultExists      = errors.New("a vault already exists")
	ErrDamaged          = errors.New("the vault file is damaged or is not an Authdeck vault")
	ErrNewerVersion     = errors.New("the vault was written by a newer version of Authdeck")
	ErrWrongKey         = errors.New("the key in the keychain does not open this vault")
	ErrWrongPassphrase  = errors.New("wrong passphrase")
	ErrPassphraseNeeded = errors.New("this vault is protected by a passphrase, and none was given")
	ErrBusy             = errors.New("another Authdeck process is changing the vault")
	// ErrTooMuchWork is returned for a password-mode vault whose key asks
	// for more scrypt work than Authdeck ever writes. Nothing was tried.
	ErrTooMuchWork = errors.New("the vault's key asks for an unusual amount of work; refusing")
)

// Mode is how a vault's key is kept.
type Mode int

// The modes of a vault.
const (
	// NoVault means the folder holds no vault yet.
	NoVault Mode = iota
	// KeychainMode vaults are encrypted to an age X25519 identity kept in the
	// OS keychain.
	KeychainMode
	// PasswordMode vaults are encrypted to an age X25519 identity that a
	// passphrase (age scrypt) wraps inside the vault file; the passphrase is
	// asked for once, at unlock, and every save after that costs what it costs
	// in keychain mode.
	PasswordMode
)

// Options are the knobs of a [Store].
type Options struct {
	// Keychain keeps the vault's key; nil means the OS keychain.
	Keychain Keychain
	// Passphrase is asked for the passphrase of a password-mode vault.
	Passphrase func() (string, error)
	// LockTimeout is how long a change waits for another process that holds
	// the vault; zero means 5 s.
	LockTimeout time.Duration
	// ScryptWorkFactor is the log2 scrypt cost of password mode; zero means
	// [DefaultWorkFactor]. Tests lower it. A vault file that asks for more
	// than one above it (or above DefaultWorkFactor) is refused.
	ScryptWorkFactor int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// AfterSave, if set, runs after every change this store saves, once the
	// vault's lock is released, with the vault as saved: the one place where
	// what follows a change (the automatic backup, sync) is started, for
	// every frontend alike.
	AfterSave func(*Vault)
}

// Store is a vault folder: the encrypted vault file, its previous version,
// the lock that lets one process change it at a time, and the key that opens it.
type Store struct {
	dir  string
	opts Options

	// The vault's key, once unlocked: its X25519 identity, the mode it came
	// from, and in password mode the passphrase-wrapped key block that every
	// save writes again unchanged.
	identity *age.X25519Identity
	keyMode  Mode
	keyBlock []byte
	// legacyPass is the passphrase of a vault in the format before the key
	// block (the whole vault under scrypt), kept only until the first save
	// rewrites it in the current format.
	legacyPass string

	// loosened is the mode the vault folder had before this store made it
	// private, or zero.
	loosened fs.FileMode
}

// DefaultDir returns the vault folder: $AUTHDECK_HOME, or "authdeck" in the
// user's configuration folder.
func DefaultDir() (string, error) {
	if d := os.Getenv("AUTHDECK_HOME"); d != "" {
		return filepath.Abs(d)
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the configuration folder (set AUTHDECK_HOME): %w", err)
	}
	return filepath.Join(d, "authdeck"), nil
}

// NewStore returns the store in folder dir. It touches nothing until used.
func NewStore(dir string, opts Options) *Store {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if opts.Keychain == nil {
		opts.Keychain = OSKeychain{}
	}
	if opts.LockTimeout == 0 {
		opts.LockTimeout = 5 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Store{dir: dir, opts: opts}
}

// Dir returns the vault folder.
func (s *Store) Dir() string { return s.dir }

// Path returns the vault file's path.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

// Mode reports how the vault's key is kept, read from the vault file's header.
func (s *Store) Mode() (Mode, error) {
	f, err := os.Open(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return NoVault, nil
	}
	if err != nil {
		return NoVault, err
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	return modeOf(head[:n])
}

// modeOf tells the mode of a vault file from its first bytes.
func modeOf(head []byte) (Mode, error) {
	switch {
	case bytes.HasPrefix(head, []byte(passHeader)):
		return PasswordMode, nil
	case bytes.HasPrefix(head, []byte(ageMagic)):
		if _, ok := ScryptWorkFactor(head); ok {
			return PasswordMode, nil
		}
		return KeychainMode, nil
	case bytes.HasPrefix(head, []byte(headerStart)):
		return NoVault, ErrNewerVersion
	}
	return NoVault, ErrDamaged
}

// Load reads and decrypts the vault. A folder without a vault gives an empty
// one (revision 0) without asking the keychain.
func (s *Store) Load() (*Vault, error) {
	v, _, err := s.load()
	return v, err
}

func (s *Store) load() (*Vault, []byte, error) {
	s.tighten()
	data, err := os.ReadFile(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return &Vault{Version: FormatVersion}, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the vault: %w", err)
	}
	f, err := parseFile(data)
	if err != nil {
		return nil, nil, err
	}
	plain, err := s.open(f)
	if err != nil {
		return nil, nil, err
	}
	defer clear(plain)
	v := new(Vault)
	if err := json.Unmarshal(plain, v); err != nil {
		return nil, nil, fmt.Errorf("%w (%v)", ErrDamaged, err)
	}
	if v.Version > FormatVersion {
		return nil, nil, fmt.Errorf("%w (format %d; this one reads up to %d)", ErrNewerVersion, v.Version, FormatVersion)
	}
	return v, data, nil
}

// open decrypts the vault file f. The key it unlocked last is tried first;
// if the file has been given another key since (by another process that
// changed the passphrase or the mode), the key is unlocked once more.
func (s *Store) open(f vaultFile) ([]byte, error) {
	if f.mode == PasswordMode && f.legacy {
		return s.openLegacy(f)
	}
	if s.identity != nil && s.keyMode == f.mode {
		plain, err := decrypt(f.body, s.identity)
		if !errors.Is(err, errNoMatch) {
			s.keyBlock = f.keyBlock
			return plain, err
		}
	}
	s.Forget()
	if err := s.unlock(f); err != nil {
		return nil, err
	}
	plain, err := decrypt(f.body, s.identity)
	if errors.Is(err, errNoMatch) {
		s.Forget()
		return nil, ErrWrongKey
	}
	return plain, err
}

// openLegacy decrypts a password-mode vault of the format before the key
// block, where scrypt sealed the whole vault; the passphrase is kept until
// the next save moves it to the current format.
func (s *Store) openLegacy(f vaultFile) ([]byte, error) {
	pass := s.legacyPass
	if pass == "" {
		var err error
		if pass, err = s.askPassphrase(); err != nil {
			return nil, err
		}
	}
	if err := s.checkWork(f.body); err != nil {
		return nil, err
	}
	id, err := s.scryptIdentity(pass)
	if err != nil {
		return nil, err
	}
	plain, err := decrypt(f.body, id)
	if errors.Is(err, errNoMatch) {
		s.legacyPass = ""
		return nil, ErrWrongPassphrase
	}
	if err != nil {
		return nil, err
	}
	s.Forget()
	s.legacyPass = pass
	return plain, nil
}

var errNoMatch = errors.New("no identity matched")

// decrypt opens an age file with id, telling a key that does not fit
// (errNoMatch) from a damaged file.
func decrypt(body []byte, id age.Identity) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(body), id)
	var noMatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &noMatch):
		return nil, errNoMatch
	case err != nil:
		return nil, fmt.Errorf("%w (%v)", ErrDamaged, err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrDamaged, err)
	}
	return plain, nil
}

// unlock gets the key of the vault file f: one keychain call, or one
// passphrase prompt and one scrypt.
func (s *Store) unlock(f vaultFile) error {
	switch f.mode {
	case KeychainMode:
		id, err := s.keychainIdentity()
		if err != nil {
			return err
		}
		s.keep(id, KeychainMode, nil)
	case PasswordMode:
		pass, err := s.askPassphrase()
		if err != nil {
			return err
		}
		id, err := s.unwrapKey(f.keyBlock, pass)
		if err != nil {
			return err
		}
		s.keep(id, PasswordMode, f.keyBlock)
	}
	return nil
}

func (s *Store) keychainIdentity() (*age.X25519Identity, error) {
	key, err := s.opts.Keychain.Get(KeychainService, s.keychainUser())
	if err != nil {
		return nil, err
	}
	id, err := age.ParseX25519Identity(key)
	if err != nil {
		return nil, fmt.Errorf("%w: the keychain item is not an age key", ErrWrongKey)
	}
	return id, nil
}

func (s *Store) askPassphrase() (string, error) {
	if s.opts.Passphrase == nil {
		return "", ErrPassphraseNeeded
	}
	pass, err := s.opts.Passphrase()
	if err != nil {
		return "", err
	}
	if pass == "" {
		return "", ErrPassphraseNeeded
	}
	return pass, nil
}

// Forget drops the vault's key from the store and zeroes its secret bytes,
// so that the next use unlocks it again: the keychain is asked once more, or
// the passphrase. The window calls it when it locks.
func (s *Store) Forget() {
	wipeIdentity(s.identity)
	s.identity, s.keyMode, s.keyBlock, s.legacyPass = nil, NoVault, nil, ""
}

// Unlocked reports whether the store holds the vault's key.
func (s *Store) Unlocked() bool { return s.identity != nil || s.legacyPass != "" }

func (s *Store) keychainUser() string { return "vault " + s.dir }

// Init creates an empty vault in the given mode: a new key in the keychain,
// or a new key wrapped with the passphrase from Options.Passphrase. It fails
// with [ErrVaultExists] if there is one.
func (s *Store) Init(mode Mode) (*Vault, error) {
	var v *Vault
	err := s.locked(func() error {
		if m, err := s.Mode(); err != nil || m != NoVault {
			return ErrVaultExists
		}
		if err := s.newKey(mode); err != nil {
			return err
		}
		v = &Vault{Version: FormatVersion}
		return s.save(v, nil)
	})
	return v, err
}

// newKey makes the key of a new vault. In keychain mode it keeps a key the
// keychain already holds for this folder, so that a vault.age.bak left behind
// still opens.
func (s *Store) newKey(mode Mode) error {
	switch mode {
	case PasswordMode:
		pass, err := s.askPassphrase()
		if err != nil {
			return err
		}
		return s.wrapNewKey(pass)
	case KeychainMode:
		kc := s.opts.Keychain
		if id, err := s.keychainIdentity(); err == nil {
			s.keep(id, KeychainMode, nil)
			return nil
		} else if !errors.Is(err, ErrNoKey) && !errors.Is(err, ErrWrongKey) {
			return err
		}
		id, err := age.GenerateX25519Identity()
		if err != nil {
			return err
		}
		if err := kc.Set(KeychainService, s.keychainUser(), id.String()); err != nil {
			return err
		}
		s.keep(id, KeychainMode, nil)
		return nil
	}
	return fmt.Errorf("unknown vault mode %d", mode)
}

// Update changes the vault as one transaction: it takes the lock, loads the
// newest vault, calls change, and saves the result with a higher revision. If
// change returns an error, nothing is saved. A folder without a vault gets a
// new one in keychain mode.
func (s *Store) Update(change func(*Vault) error) (*Vault, error) {
	var v *Vault
	err := s.locked(func() error {
		var prev []byte
		var err error
		if v, prev, err = s.load(); err != nil {
			return err
		}
		if prev == nil {
			if err := s.newKey(KeychainMode); err != nil {
				return err
			}
		} else if s.legacyPass != "" {
			// A vault of the format before the key block moves to the
			// current one: this is the save that pays its one extra scrypt.
			pass := s.legacyPass
			if err := s.wrapNewKey(pass); err != nil {
				return err
			}
		}
		before := slices.Clone(v.Accounts)
		if err := change(v); err != nil {
			return err
		}
		v.Settle(before, s.opts.Now())
		return s.save(v, prev)
	})
	if err != nil {
		return nil, err
	}
	s.saved(v)
	return v, nil
}

// saved runs Options.AfterSave.
func (s *Store) saved(v *Vault) {
	if s.opts.AfterSave != nil {
		s.opts.AfterSave(v)
	}
}

// locked runs fn while this process holds the vault's lock, waiting up to
// Options.LockTimeout for another process to let go of it.
func (s *Store) locked(fn func() error) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("cannot create the vault folder: %w", err)
	}
	s.tighten()
	release, err := Lock(filepath.Join(s.dir, lockName), s.opts.LockTimeout)
	if err != nil {
		return err
	}
	defer release()
	// Under the vault's lock no other process writes the vault files, so
	// any temporary file of theirs is left over from a crash.
	SweepTemps(s.Path(), 0)
	SweepTemps(filepath.Join(s.dir, BackupName), 0)
	return fn()
}

// tighten makes the vault folder readable by its owner only, if it exists
// and others may look into it (an AUTHDECK_HOME made by hand, say).
func (s *Store) tighten() {
	if runtime.GOOS == "windows" {
		return // folder permissions there are ACLs, not mode bits
	}
	fi, err := os.Stat(s.dir)
	if err != nil || !fi.IsDir() || fi.Mode().Perm()&0o077 == 0 {
		return
	}
	if os.Chmod(s.dir, 0o700) == nil && s.loosened == 0 {
		s.loosened = fi.Mode().Perm()
	}
}

// Tightened returns the permissions the vault folder had before this store
// made it private (0700), or zero if it did not have to; a frontend says so
// once.
func (s *Store) Tightened() fs.FileMode { return s.loosened }

// Lock takes an exclusive lock on the file at path, which it creates, waiting
// up to timeout for another process that holds it; after that it returns
// [ErrBusy]. The lock goes with the process, however it ends; release lets go
// of it sooner.
func Lock(path string, timeout time.Duration) (release func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot open the lock file: %w", err)
	}
	deadline := time.Now().Add(timeout)
	for {
		err := tryLock(f)
		if err == nil {
			break
		}
		if !errors.Is(err, errLocked) {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", path, err)
		}
		if !time.Now().Before(deadline) {
			f.Close()
			return nil, ErrBusy
		}
		time.Sleep(10 * time.Millisecond)
	}
	return func() {
		unlockFile(f)
		f.Close()
	}, nil
}

// save encrypts v with a higher revision and replaces the vault file
// atomically, keeping prev (the file it replaces) as vault.age.bak.
func (s *Store) save(v *Vault, prev []byte) error {
	v.Version = FormatVersion
	v.Revision++
	if v.Device.ID == "" {
		v.Device = thisDevice()
	}
	sealed, err := s.seal(v)
	if err != nil {
		return err
	}
	if prev != nil {
		if err := WriteFileAtomic(filepath.Join(s.dir, BackupName), prev); err != nil {
			return fmt.Errorf("cannot keep the previous vault: %w", err)
		}
	}
	if err := WriteFileAtomic(s.Path(), sealed); err != nil {
		return fmt.Errorf("cannot save the vault: %w", err)
	}
	return nil
}

// seal encrypts v to the vault's key, in the file format of its mode.
func (s *Store) seal(v *Vault) ([]byte, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	var buf bytes.Buffer
	if s.keyMode == PasswordMode {
		writeKeyBlock(&buf, s.keyBlock)
	}
	w, err := age.Encrypt(&buf, s.identity.Recipient())
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plain); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func thisDevice() Device {
	name, err := os.Hostname()
	if err != nil || name == "" {
		name = "computer"
	}
	return Device{ID: NewID(), Name: name}
}
