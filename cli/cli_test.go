package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"authdeck/internal/ntptest"
	"authdeck/internal/testenv"
	"authdeck/scan"
	"authdeck/vault"
)

func TestMain(m *testing.M) {
	scryptWorkFactor = 10 // a cheap passphrase cost for tests
	testscript.Main(m, map[string]func(){
		"authdeck": func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		// status N COMMAND... runs COMMAND and fails unless it exits with N.
		"status": func() {
			want, _ := strconv.Atoi(os.Args[1])
			cmd := exec.Command(os.Args[2], os.Args[3:]...)
			cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
			err := cmd.Run()
			got := 0
			var xerr *exec.ExitError
			if errors.As(err, &xerr) {
				got = xerr.ExitCode()
			} else if err != nil {
				got = -1
			}
			if got != want {
				fmt.Fprintf(os.Stderr, "exit status %d, want %d\n", got, want)
				os.Exit(1)
			}
			os.Exit(0)
		},
	})
}

// TestScripts runs the command-line scripts in testdata against the real
// keychain: each script is a series of authdeck processes sharing a vault.
func TestScripts(t *testing.T) {
	testenv.SecretService(t)
	testscript.Run(t, testscript.Params{
		Dir: "testdata",
		Setup: func(e *testscript.Env) error {
			e.Setenv("AUTHDECK_HOME", filepath.Join(e.WorkDir, "home"))
			e.Setenv("DBUS_SESSION_BUS_ADDRESS", os.Getenv("DBUS_SESSION_BUS_ADDRESS"))
			e.Setenv("XDG_RUNTIME_DIR", os.Getenv("XDG_RUNTIME_DIR"))
			e.Setenv("REAL_DBUS", os.Getenv("DBUS_SESSION_BUS_ADDRESS"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"migration": migrationCmd,
			"ntpserve":  ntpserveCmd,
		},
	})
}

// migrationCmd writes a Google Authenticator transfer of the accounts in
// otpauth URIs: "migration PREFIX PER-CODE URI..." writes PREFIX0.txt,
// PREFIX1.txt... with one transfer code each.
func migrationCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 {
		ts.Fatalf("usage: migration PREFIX PER-CODE URI...")
	}
	per, _ := strconv.Atoi(args[1])
	var accounts []vault.Account
	for _, u := range args[2:] {
		a, err := vault.ParseURI(u)
		ts.Check(err)
		accounts = append(accounts, a)
	}
	for i, code := range scan.EncodeMigration(accounts, per) {
		ts.Check(os.WriteFile(ts.MkAbs(fmt.Sprintf("%s%d.txt", args[0], i)), []byte(code), 0o600))
	}
}

// ntpserveCmd starts a time server on 127.0.0.1 for the rest of the script:
// "ntpserve NAME OFFSET" sets $NAME to the address of a server whose clock is
// OFFSET (a Go duration) ahead of the true time.
func ntpserveCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: ntpserve NAME OFFSET")
	}
	offset, err := time.ParseDuration(args[1])
	ts.Check(err)
	srv, err := ntptest.Start(offset)
	ts.Check(err)
	ts.Defer(func() { srv.Close() })
	ts.Setenv(args[0], srv.Addr)
}

// TestEveryCommandHelp asks every command for its help, as --help, -h and
// after other arguments: each prints its usage on standard output and exits
// 0, without touching a vault.
func TestEveryCommandHelp(t *testing.T) {
	t.Setenv("AUTHDECK_HOME", filepath.Join(t.TempDir(), "none"))
	for name := range commands {
		for _, args := range [][]string{{name, "--help"}, {name, "-h"}, {name, "x", "--dry-run", "--help"}} {
			var stdout, stderr strings.Builder
			if code := Main(args, strings.NewReader(""), &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "usage: authdeck "+name) || stderr.Len() != 0 {
				t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout.String(), stderr.String())
			}
		}
	}
	if _, err := os.Stat(os.Getenv("AUTHDECK_HOME")); !os.IsNotExist(err) {
		t.Errorf("help made a vault folder: %v", err)
	}
}
