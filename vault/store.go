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
	"time"

	"filippo.io/age"
)

// File names inside the vault folder.
const (
	FileName   = "vault.age"
	BackupName = "vault.age.bak"
	lockName   = "vault.lock"
	tempGlob   = ".vault-*.tmp"
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
	// PasswordMode vaults are encrypted with an age scrypt passphrase, asked
	// for at start.
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
	// age's default of 18. Tests lower it.
	ScryptWorkFactor int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Store is a vault folder: the encrypted vault file, its previous version,
// the lock that lets one process change it at a time, and the key that opens it.
type Store struct {
	dir  string
	opts Options

	identity  age.Identity
	recipient age.Recipient
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

func modeOf(data []byte) (Mode, error) {
	const magic = "age-encryption.org/v1\n-> "
	if !bytes.HasPrefix(data, []byte(magic)) {
		return NoVault, ErrDamaged
	}
	if bytes.HasPrefix(data[len(magic):], []byte("scrypt ")) {
		return PasswordMode, nil
	}
	return KeychainMode, nil
}

// Load reads and decrypts the vault. A folder without a vault gives an empty
// one (revision 0) without asking the keychain.
func (s *Store) Load() (*Vault, error) {
	v, _, err := s.load()
	return v, err
}

func (s *Store) load() (*Vault, []byte, error) {
	data, err := os.ReadFile(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return &Vault{Version: FormatVersion}, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the vault: %w", err)
	}
	mode, err := modeOf(data)
	if err != nil {
		return nil, nil, err
	}
	if err := s.unlock(mode); err != nil {
		return nil, nil, err
	}
	r, err := age.Decrypt(bytes.NewReader(data), s.identity)
	var noMatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &noMatch) && mode == PasswordMode:
		s.identity, s.recipient = nil, nil
		return nil, nil, ErrWrongPassphrase
	case errors.As(err, &noMatch):
		return nil, nil, ErrWrongKey
	case err != nil:
		return nil, nil, fmt.Errorf("%w (%v)", ErrDamaged, err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (%v)", ErrDamaged, err)
	}
	v := new(Vault)
	if err := json.Unmarshal(plain, v); err != nil {
		return nil, nil, fmt.Errorf("%w (%v)", ErrDamaged, err)
	}
	if v.Version > FormatVersion {
		return nil, nil, fmt.Errorf("%w (format %d; this one reads up to %d)", ErrNewerVersion, v.Version, FormatVersion)
	}
	return v, data, nil
}

// unlock gets the key of a vault in the given mode, once per Store: one
// keychain call, or one passphrase prompt.
func (s *Store) unlock(mode Mode) error {
	if s.identity != nil {
		return nil
	}
	switch mode {
	case KeychainMode:
		key, err := s.opts.Keychain.Get(KeychainService, s.keychainUser())
		if err != nil {
			return err
		}
		id, err := age.ParseX25519Identity(key)
		if err != nil {
			return fmt.Errorf("%w: the keychain item is not an age key", ErrWrongKey)
		}
		s.identity, s.recipient = id, id.Recipient()
	case PasswordMode:
		if s.opts.Passphrase == nil {
			return ErrPassphraseNeeded
		}
		pass, err := s.opts.Passphrase()
		if err != nil {
			return err
		}
		return s.usePassphrase(pass)
	}
	return nil
}

func (s *Store) usePassphrase(pass string) error {
	if pass == "" {
		return ErrPassphraseNeeded
	}
	id, err := age.NewScryptIdentity(pass)
	if err != nil {
		return err
	}
	r, err := age.NewScryptRecipient(pass)
	if err != nil {
		return err
	}
	if s.opts.ScryptWorkFactor > 0 {
		r.SetWorkFactor(s.opts.ScryptWorkFactor)
	}
	s.identity, s.recipient = id, r
	return nil
}

func (s *Store) keychainUser() string { return "vault " + s.dir }

// Init creates an empty vault in the given mode (a new key in the keychain,
// or the passphrase from Options.Passphrase). It fails with [ErrVaultExists]
// if there is one.
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
		return s.unlock(PasswordMode)
	case KeychainMode:
		kc := s.opts.Keychain
		if key, err := kc.Get(KeychainService, s.keychainUser()); err == nil {
			if id, err := age.ParseX25519Identity(key); err == nil {
				s.identity, s.recipient = id, id.Recipient()
				return nil
			}
		} else if !errors.Is(err, ErrNoKey) {
			return err
		}
		id, err := age.GenerateX25519Identity()
		if err != nil {
			return err
		}
		if err := kc.Set(KeychainService, s.keychainUser(), id.String()); err != nil {
			return err
		}
		s.identity, s.recipient = id, id.Recipient()
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
		}
		if err := change(v); err != nil {
			return err
		}
		return s.save(v, prev)
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// locked runs fn while this process holds the vault's lock, waiting up to
// Options.LockTimeout for another process to let go of it.
func (s *Store) locked(fn func() error) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("cannot create the vault folder: %w", err)
	}
	release, err := Lock(filepath.Join(s.dir, lockName), s.opts.LockTimeout)
	if err != nil {
		return err
	}
	defer release()
	if stale, _ := filepath.Glob(filepath.Join(s.dir, tempGlob)); len(stale) > 0 {
		for _, p := range stale {
			os.Remove(p)
		}
	}
	return fn()
}

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

// seal encrypts v to the vault's key.
func (s *Store) seal(v *Vault) ([]byte, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, s.recipient)
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

// WriteFileAtomic replaces the file at path with data, mode 0600 (that of
// os.CreateTemp), so that a
// crash at any instant leaves either the old file or the new one: it writes a
// temporary file in the same folder, syncs it, renames it over path and syncs
// the folder.
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempGlob)
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

func thisDevice() Device {
	name, err := os.Hostname()
	if err != nil || name == "" {
		name = "computer"
	}
	return Device{ID: NewID(), Name: name}
}
