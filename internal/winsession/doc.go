// Package winsession tells when the Windows session locks or the computer is
// about to sleep, through a hidden window of its own that registers for the
// session's change notifications (WTSRegisterSessionNotification) and hears
// the power broadcasts. Elsewhere [Watch] reports [ErrUnsupported].
package winsession

import "errors"

// ErrUnsupported is returned where there is no Windows session to watch.
var ErrUnsupported = errors.New("watching the session lock is not supported here")
