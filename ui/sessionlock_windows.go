package ui

import "authdeck/internal/winsession"

// watchSessionLock calls lock when the Windows session locks (Win+L, or the
// screen saver's lock) and before the computer sleeps. Where the watch
// cannot start, the window still locks on Ctrl+L, from the menu and the tray,
// and after a while without input.
func watchSessionLock(lock func()) (stop func()) {
	stop, err := winsession.Watch(lock)
	if err != nil {
		return func() {}
	}
	return stop
}
