package ui

import (
	"errors"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"authdeck/vault"
)

// busyAfter is how long a job of the session runs before the window shows
// that it is busy.
const busyAfter = 200 * time.Millisecond

// session is the window's one way to its vault. Every load, change and
// reload, the keychain and passphrase work behind them, the backup status,
// restores and imports run on one worker goroutine, one job after the other,
// and their results come back on the UI goroutine through [fyne.Do], where
// alone widgets are touched. The window stays responsive meanwhile, and a
// job that takes longer than busyAfter shows progress.
type session struct {
	store *vault.Store

	// busy shows or hides the window's sign of work in progress; it is
	// called on the UI goroutine.
	busy func(on bool)
	// inline runs each job at once on the caller's goroutine: the widget
	// tests' driver has no event loop to come back to.
	inline bool

	mu     sync.Mutex
	queue  []func()
	wake   *sync.Cond
	closed bool

	// The worker's own state.
	pass  string    // a passphrase typed on the lock screen, until it unlocks
	stamp fileStamp // what the worker last saw of the vault file
}

func newSession(store *vault.Store) *session {
	s := &session{store: store, busy: func(bool) {}}
	s.wake = sync.NewCond(&s.mu)
	go s.work()
	return s
}

// passphrase gives the store the passphrase typed on the lock screen, once:
// the store keeps the key it unwraps, and the window forgets the passphrase.
// It runs on the worker.
func (s *session) passphrase() (string, error) {
	if s.pass == "" {
		return "", vault.ErrPassphraseNeeded
	}
	return s.pass, nil
}

// work runs the queued jobs in order until the session is closed.
func (s *session) work() {
	for {
		s.mu.Lock()
		for len(s.queue) == 0 && !s.closed {
			s.wake.Wait()
		}
		if len(s.queue) == 0 {
			s.mu.Unlock()
			return
		}
		job := s.queue[0]
		s.queue = s.queue[1:]
		s.mu.Unlock()
		job()
	}
}

// close stops the worker once the jobs queued so far have run.
func (s *session) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.wake.Broadcast()
}

// drain runs the queued jobs and returns when they are done, as quitting
// does before the process ends.
func (s *session) drain() {
	done := make(chan struct{})
	s.enqueue(func() { close(done) })
	<-done
}

func (s *session) enqueue(job func()) {
	s.mu.Lock()
	s.queue = append(s.queue, job)
	s.mu.Unlock()
	s.wake.Signal()
}

// run does job on the worker and then done on the UI goroutine. done may
// be nil.
func (s *session) run(job func(), done func()) {
	if s.inline {
		job()
		if done != nil {
			done()
		}
		return
	}
	s.enqueue(func() {
		slow := time.AfterFunc(busyAfter, func() { fyne.Do(func() { s.busy(true) }) })
		job()
		finished := slow.Stop()
		fyne.Do(func() {
			if !finished {
				s.busy(false)
			}
			if done != nil {
				done()
			}
		})
	})
}

// load reads the vault (asking the keychain, or unwrapping the key with pass
// if one is given) and gives it to done.
func (s *session) load(pass string, done func(*vault.Vault, error)) {
	var v *vault.Vault
	var err error
	s.run(func() {
		if pass != "" {
			s.pass = pass
			defer func() { s.pass = "" }()
		}
		v, err = s.store.Load()
		s.stamp = stampOf(s.store.Path())
	}, func() { done(v, err) })
}

// update changes the vault as one transaction and gives the result to done.
func (s *session) update(change func(*vault.Vault) error, done func(*vault.Vault, error)) {
	var v *vault.Vault
	var err error
	s.run(func() {
		v, err = s.store.Update(change)
		s.stamp = stampOf(s.store.Path())
	}, func() { done(v, err) })
}

// initPassword creates an empty vault under pass, as the first save does
// where no keychain answers.
func (s *session) initPassword(pass string, done func(error)) {
	var err error
	s.run(func() {
		s.pass = pass
		defer func() { s.pass = "" }()
		_, err = s.store.Init(vault.PasswordMode)
	}, func() { done(err) })
}

// errUnchanged says the vault file is as the worker last saw it.
var errUnchanged = errors.New("unchanged")

// reloadIfChanged looks whether another process changed the vault file and,
// if so, reads it again and gives it to done; otherwise done is not called.
func (s *session) reloadIfChanged(done func(*vault.Vault, error)) {
	var v *vault.Vault
	var err error
	s.run(func() {
		if st := stampOf(s.store.Path()); st == s.stamp {
			err = errUnchanged
			return
		}
		v, err = s.store.Load()
		s.stamp = stampOf(s.store.Path())
	}, func() {
		if !errors.Is(err, errUnchanged) {
			done(v, err)
		}
	})
}

// fileStamp is what the session remembers of the vault file to notice
// changes made by other processes.
type fileStamp struct {
	mod  time.Time
	size int64
}

func stampOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{fi.ModTime(), fi.Size()}
}
