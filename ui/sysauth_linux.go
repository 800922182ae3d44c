package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
)

// polkitAction is the polkit action that unlocks; the .deb and make install
// ship it (packaging/linux/dev.authdeck.Authdeck.policy).
const polkitAction = AppID + ".unlock"

const (
	polkitName      = "org.freedesktop.PolicyKit1"
	polkitPath      = "/org/freedesktop/PolicyKit1/Authority"
	polkitAuthority = polkitName + ".Authority"
	// allowUserInteraction lets polkit ask the user, through the desktop's
	// authentication agent.
	allowUserInteraction = 1
)

// systemAuth asks polkit, on the system bus, whether the user at the
// keyboard is the user Authdeck runs as: the desktop's authentication agent
// asks for the user's own password, as a screen unlock does.
type systemAuth struct {
	pid int // the process polkit is asked about: Authdeck's own; tests pass another

	mu        sync.Mutex
	n         int        // checks asked so far, for their cancellation IDs
	conn      *dbus.Conn // the connection of the check under way, or nil
	cancel    string     // its cancellation ID
	withdrawn bool       // and whether it was withdrawn
}

func newSystemAuth() *systemAuth { return &systemAuth{pid: os.Getpid()} }

// available reports nil when polkit answers on the system bus and knows
// Authdeck's action, or why not, wrapping [errNoSystemAuth]. It runs off
// the UI goroutine: polkit may be started on demand.
func (a *systemAuth) available() error {
	conn, err := dbus.ConnectSystemBus()
	if err != nil {
		return fmt.Errorf("%w: no system bus answers", errNoSystemAuth)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var actions []struct {
		ID, Description, Message, Vendor, VendorURL, Icon string
		Any, Inactive, Active                             uint32
		Annotations                                       map[string]string
	}
	if err := conn.Object(polkitName, polkitPath).CallWithContext(ctx, polkitAuthority+".EnumerateActions", 0, "").
		Store(&actions); err != nil {
		return fmt.Errorf("%w: polkit does not answer on the system bus (is the polkitd package installed?)", errNoSystemAuth)
	}
	for _, act := range actions {
		if act.ID == polkitAction {
			return nil
		}
	}
	return fmt.Errorf("%w: polkit does not know Authdeck's action %s; install Authdeck from its package or with make install",
		errNoSystemAuth, polkitAction)
}

// authorize asks polkit whether this process may unlock, letting the
// desktop's authentication agent ask for the password, and waits for the
// answer: nil when the user is confirmed. It runs off the UI goroutine and
// may wait as long as the user takes; [systemAuth.withdraw] ends it.
func (a *systemAuth) authorize() error {
	subject, err := processSubject(a.pid)
	if err != nil {
		return fmt.Errorf("%w: %v", errNoSystemAuth, err)
	}
	conn, err := dbus.ConnectSystemBus()
	if err != nil {
		return fmt.Errorf("%w: no system bus answers", errNoSystemAuth)
	}
	a.mu.Lock()
	a.n++
	id := fmt.Sprintf("authdeck-%d-%d", os.Getpid(), a.n)
	a.conn, a.cancel, a.withdrawn = conn, id, false
	a.mu.Unlock()
	withdrawn := func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		w := a.withdrawn
		if a.cancel == id {
			a.conn, a.cancel, a.withdrawn = nil, "", false
		}
		return w
	}
	defer conn.Close()
	var r struct {
		Authorized, Challenge bool
		Details               map[string]string
	}
	err = conn.Object(polkitName, polkitPath).Call(polkitAuthority+".CheckAuthorization", 0,
		subject, polkitAction, map[string]string{}, uint32(allowUserInteraction), id).Store(&r)
	var derr dbus.Error
	switch {
	case withdrawn():
		// polkit answers a withdrawn check as not authorized, or with
		// an error, depending on how far it got.
		return errSystemAuthCancelled
	case errors.As(err, &derr) && derr.Name == "org.freedesktop.DBus.Error.ServiceUnknown":
		return fmt.Errorf("%w: polkit does not answer on the system bus", errNoSystemAuth)
	case err != nil:
		return fmt.Errorf("%w: polkit: %v", errNoSystemAuth, err)
	case r.Authorized:
		return nil
	case r.Details["polkit.dismissed"] != "":
		return errSystemAuthDismissed
	case r.Challenge:
		return errNoAuthAgent
	}
	return errSystemAuthDenied
}

// withdraw cancels the check under way, if any, without waiting: its
// authorize returns [errSystemAuthCancelled] and the desktop's password
// dialog closes.
func (a *systemAuth) withdraw() {
	a.mu.Lock()
	conn, id := a.conn, a.cancel
	a.withdrawn = conn != nil
	a.mu.Unlock()
	if conn != nil {
		conn.Object(polkitName, polkitPath).Go(polkitAuthority+".CancelCheckAuthorization",
			dbus.FlagNoReplyExpected, nil, id)
	}
}

// subject is polkit's name for whom a check is about.
type subject struct {
	Kind    string
	Details map[string]dbus.Variant
}

// processSubject names the process pid as polkit wants it: the process ID
// with its start time (so that a new process with a reused ID is not taken
// for it) and its user.
func processSubject(pid int) (subject, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return subject{}, err
	}
	start, err := startTime(stat)
	if err != nil {
		return subject{}, err
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return subject{}, err
	}
	uid := -1
	for line := range bytes.Lines(status) {
		if rest, ok := bytes.CutPrefix(line, []byte("Uid:")); ok {
			if f := bytes.Fields(rest); len(f) > 0 {
				uid, err = strconv.Atoi(string(f[0]))
			}
		}
	}
	if uid < 0 || err != nil {
		return subject{}, fmt.Errorf("no user in /proc/%d/status", pid)
	}
	return subject{"unix-process", map[string]dbus.Variant{
		"pid":        dbus.MakeVariant(uint32(pid)),
		"start-time": dbus.MakeVariant(start),
		"uid":        dbus.MakeVariant(int32(uid)),
	}}, nil
}

// startTime reads the start time, field 22, from the text of /proc/PID/stat.
// The command's name, field 2, is in parentheses and may itself hold spaces
// and parentheses: the fields are counted after its last ')'.
func startTime(stat []byte) (uint64, error) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("/proc stat without a command name")
	}
	f := bytes.Fields(stat[i+1:])
	if len(f) < 20 { // fields 3 to 22
		return 0, errors.New("/proc stat too short")
	}
	return strconv.ParseUint(string(f[19]), 10, 64)
}
