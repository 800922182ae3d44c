package testenv

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// busConfig lets every process on the test's system bus own any name and
// send anything to anyone, as the stand-ins and daemons of a test need; a
// real system bus is much stricter.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_type="method_return"/>
    <allow send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="signal"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
  </policy>
</busconfig>
`

// startLimit is how long a daemon of the rig may take to answer on a busy
// machine.
const startLimit = 30 * time.Second

// SystemBus starts a private D-Bus system bus for the test (dbus-daemon
// with a configuration that allows everything, on a socket in a temporary
// folder) and points DBUS_SYSTEM_BUS_ADDRESS at it until the test ends. It
// returns a connection to it, closed when the test ends. The computer's own
// system bus is never touched.
func SystemBus(t testing.TB) *dbus.Conn {
	t.Helper()
	daemon := Tool(t, "dbus-daemon", "dbus-daemon")
	// Not in t.TempDir, whose parent only root may enter: polkitd connects
	// as a user of its own.
	dir, err := os.MkdirTemp("", "authdeck-system-bus-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "system.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, busConfig, filepath.Join(dir, "bus")), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--nopidfile", "--nosyslog", "--print-address")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		addr <- strings.TrimSpace(line)
	}()
	var address string
	select {
	case address = <-addr:
	case <-time.After(startLimit):
	}
	if address == "" {
		t.Fatalf("the test's system bus did not start: %s", stderr.String())
	}
	t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", address)
	conn, err := dbus.ConnectSystemBus()
	if err != nil {
		t.Fatalf("the test's system bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// Polkit is a polkitd of the test's own, on its private system bus, that
// knows only the actions the test gave it and no rules.
type Polkit struct {
	bus *dbus.Conn
}

const (
	polkitd       = "/usr/lib/polkit-1/polkitd"
	polkitName    = "org.freedesktop.PolicyKit1"
	authorityPath = "/org/freedesktop/PolicyKit1/Authority"
	authority     = polkitName + ".Authority"
)

// StartPolkit starts the system's polkitd (Debian package polkitd) on the
// test's system bus, which [SystemBus] started and bus is connected to. polkitd
// reads its actions from a folder fixed when it was built,
// /usr/share/polkit-1/actions: it runs in a mount namespace of its own where
// a temporary folder with the given action files is mounted there, and empty
// folders over its rules, so that the computer's files are neither read nor
// changed. That takes root, which the tests have here and in CI.
func StartPolkit(t testing.TB, bus *dbus.Conn, actionFiles ...string) *Polkit {
	t.Helper()
	unshare := Tool(t, "unshare", "util-linux")
	if _, err := os.Stat(polkitd); err != nil {
		Missing(t, "polkitd at %s (Debian package polkitd)", polkitd)
	}
	if os.Geteuid() != 0 {
		Missing(t, "root, to give polkitd a folder of actions of its own")
	}
	dir := t.TempDir()
	actions, rules := filepath.Join(dir, "actions"), filepath.Join(dir, "rules")
	for _, d := range []string{dir, actions, rules} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o755); err != nil { // read by polkitd's own user
			t.Fatal(err)
		}
	}
	for _, f := range actionFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(actions, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script := `mount --bind "$1" /usr/share/polkit-1/actions &&
		for r in /usr/share/polkit-1/rules.d /etc/polkit-1/rules.d; do [ ! -d $r ] || mount --bind "$2" $r || exit 1; done &&
		exec "$3"`
	cmd := exec.Command(unshare, "--mount", "--propagation", "private", "sh", "-c", script, "sh", actions, rules, polkitd)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatalf("polkitd: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-exited })
	for deadline := time.Now().Add(startLimit); ; {
		var has bool
		if err := bus.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, polkitName).Store(&has); err == nil && has {
			break
		}
		select {
		case <-exited:
			t.Fatalf("polkitd exited: %s", log.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-exited
			t.Fatalf("polkitd did not answer in %v: %s", startLimit, log.String())
		}
	}
	return &Polkit{bus: bus}
}

// Stranger starts a process of the user nobody that lives until the test
// ends, and returns its process ID. polkit authorizes root for everything
// without asking anyone, so a test that wants to see it ask asks about such
// a process.
func Stranger(t testing.TB) int {
	t.Helper()
	u, err := user.Lookup("nobody")
	if err != nil {
		Missing(t, "the user nobody: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	cmd := exec.Command(Tool(t, "sleep", "coreutils"), "infinity")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	if err := cmd.Start(); err != nil {
		t.Fatalf("a process of nobody: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd.Process.Pid
}

// identity is a polkit identity, such as ("unix-user", {"uid": 1000}).
type identity struct {
	Kind    string
	Details map[string]dbus.Variant
}

// agent answers polkit's requests to authenticate the user, as a desktop's
// authentication agent does after asking for a password.
type agent struct {
	bus     *dbus.Conn
	approve func(action string) bool
	asked   chan string
}

// BeginAuthentication approves the request as polkit's setuid helper does
// once the password is right (AuthenticationAgentResponse2, which only root
// may call), or dismisses it as closing the dialog does.
func (a *agent) BeginAuthentication(action, message, icon string, details map[string]string, cookie string,
	identities []identity) *dbus.Error {
	select {
	case a.asked <- action:
	default:
	}
	if !a.approve(action) || len(identities) == 0 {
		return &dbus.Error{Name: polkitName + ".Error.Cancelled", Body: []any{"the test dismissed the request"}}
	}
	err := a.bus.Object(polkitName, authorityPath).Call(authority+".AuthenticationAgentResponse2", 0,
		uint32(0), cookie, identities[0]).Err
	if err != nil {
		return &dbus.Error{Name: polkitName + ".Error.Failed", Body: []any{err.Error()}}
	}
	return nil
}

// CancelAuthentication is polkit saying that the request ended elsewhere.
func (a *agent) CancelAuthentication(cookie string) *dbus.Error { return nil }

// Agent registers an authentication agent for the process pid (as
// pkttyagent --process does) that answers each request for it: approve
// returns true to confirm the user, false to dismiss the request. The
// actions asked about arrive on the returned channel.
func (p *Polkit) Agent(t testing.TB, pid int, approve func(action string) bool) <-chan string {
	t.Helper()
	bus, err := dbus.ConnectSystemBus()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Close() })
	a := &agent{bus: bus, approve: approve, asked: make(chan string, 16)}
	const path = "/dev/authdeck/test/AuthenticationAgent"
	if err := bus.Export(a, path, polkitName+".AuthenticationAgent"); err != nil {
		t.Fatal(err)
	}
	// A start time of zero lets polkit read it from /proc, as it reads the
	// process's start time for the subject it is asked about.
	subject := identity{"unix-process", map[string]dbus.Variant{
		"pid": dbus.MakeVariant(uint32(pid)), "start-time": dbus.MakeVariant(uint64(0))}}
	if err := bus.Object(polkitName, authorityPath).Call(authority+".RegisterAuthenticationAgent", 0,
		subject, "en_US.UTF-8", path).Err; err != nil {
		t.Fatalf("registering the test's authentication agent: %v", err)
	}
	return a.asked
}
