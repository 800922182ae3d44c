package ui

import (
	"errors"

	"fyne.io/fyne/v2"
)

// What system authentication at the lock can end in, besides success.
var (
	// errNoSystemAuth: the system offers no authentication Authdeck can
	// ask for; wrapped with the reason.
	errNoSystemAuth = errors.New("unlocking with your system password is not available")
	// errNoAuthAgent: polkit answers, but no program of the desktop is
	// there to ask for the password.
	errNoAuthAgent = errors.New("no authentication agent of your desktop is running to ask for your password")
	// errSystemAuthDismissed: the system's password dialog was closed.
	errSystemAuthDismissed = errors.New("the system password was not given")
	// errSystemAuthDenied: the system said no.
	errSystemAuthDenied = errors.New("the system did not confirm that it is you")
	// errSystemAuthCancelled: Authdeck withdrew the question (it unlocked
	// another way, or quits).
	errSystemAuthCancelled = errors.New("the question to the system was withdrawn")
)

// offUI runs job on a goroutine of its own and then done on the UI
// goroutine. The questions to the system go this way rather than through
// the session's worker: the system's password dialog may stay open for
// minutes, and the vault's work does not wait meanwhile.
func (w *mainWindow) offUI(job, done func()) {
	if w.sess.inline {
		job()
		done()
		return
	}
	go func() {
		job()
		fyne.Do(done)
	}()
}
