// Package cli is Authdeck's command line: the same binary that opens the
// window works headless when given a subcommand, for scripts and terminals.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"authdeck/backup"
	"authdeck/transfer"
	"authdeck/vault"
)

// Version is the version of Authdeck, stamped in by the build.
var Version = "dev"

// Exit statuses.
const (
	exitOK       = 0
	exitError    = 1
	exitUsage    = 2
	exitConflict = 3
)

// scryptWorkFactor is the scrypt cost of passphrases; zero is age's default.
// Tests lower it.
var scryptWorkFactor = 0

// command is one subcommand.
type command struct {
	usage string // the synopsis after "authdeck "
	help  string // one line
	run   func(e *env, args []string) error
}

// commands are the subcommands; each file registers its own in an init function.
var commands = map[string]command{}

// env is what a command works with: the standard streams, the clock and the vault.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time
	store          *vault.Store
	// passphraseValue is a passphrase set during this run, by init.
	passphraseValue string
}

// Main runs the command line with args (without the program name) and returns
// the exit status: 0 success, 1 error, 2 usage, 3 refused for conflicts.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		printHelp(stdout)
		return exitOK
	}
	if args[0] == "--version" || args[0] == "version" {
		fmt.Fprintln(stdout, "authdeck", Version)
		return exitOK
	}
	vault.ProtectProcess() // before any secret is in memory: not dumpable, no core file
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "authdeck: unknown command %q\n", args[0])
		fmt.Fprintln(stderr, "Run 'authdeck --help' for the list of commands.")
		return exitUsage
	}
	if wantsHelp(args[1:]) {
		fmt.Fprintf(stdout, "authdeck %s: %s\nusage: authdeck %s\n", args[0], cmd.help, cmd.usage)
		return exitOK
	}
	err := cmd.run(e, args[1:])
	if e.store != nil && e.store.Tightened() != 0 {
		fmt.Fprintf(stderr, "authdeck: note: the vault folder %s could be read by others (mode %04o); it is now private to you (0700)\n", e.store.Dir(), e.store.Tightened())
	}
	if err == nil {
		return exitOK
	}
	return e.fail(args[0], err)
}

// wantsHelp reports whether the arguments of a command, before any "--",
// ask for its help.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// fail prints err in words and returns its exit status.
func (e *env) fail(name string, err error) int {
	var uerr *usageError
	if errors.As(err, &uerr) {
		fmt.Fprintf(e.stderr, "authdeck %s: %s\nusage: authdeck %s\n", name, uerr.msg, commands[name].usage)
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "authdeck: %s\n", err)
	if h := hint(name, err, e); h != "" {
		fmt.Fprintf(e.stderr, "hint: %s\n", h)
	}
	if errors.Is(err, vault.ErrConflicts) {
		return exitConflict
	}
	return exitError
}

// conflictHints say what to do about conflicts, for each command that merges.
var conflictHints = map[string]string{
	"add":    "delete the local account first (authdeck remove ID), or add with --keep-both to keep both",
	"import": "delete the local account first (authdeck remove ID), or import again with --skip-conflicts to import only the others, or with --keep-both to keep both",
	"backup": "delete the local account first (authdeck remove ID), or restore with --skip-conflicts to restore only the other accounts",
}

// hint says what a person can do about err from command name, where something helps.
func hint(name string, err error, e *env) string {
	dir := ""
	if e.store != nil {
		dir = e.store.Dir()
	}
	switch {
	case errors.Is(err, vault.ErrNoDBus):
		return "the keychain (on Linux a Secret Service such as gnome-keyring) is reached through the D-Bus session of a desktop login. Run Authdeck inside one (dbus-run-session -- authdeck ...), or keep the vault under a passphrase instead: authdeck init --password"
	case errors.Is(err, vault.ErrNoKeychain):
		return "Authdeck keeps the vault's key in the system keychain (on Linux a Secret Service such as gnome-keyring). Start and unlock it, or keep the vault under a passphrase instead: authdeck init --password"
	case errors.Is(err, vault.ErrNoKey):
		return "the vault in " + dir + " was made with a key this keychain does not hold. If you moved the folder, move it back; otherwise restore your accounts from a backup"
	case errors.Is(err, vault.ErrWrongKey):
		return "the keychain item for " + dir + " does not belong to this vault; restore it from the keychain's own backup, or restore your accounts from a backup"
	case errors.Is(err, vault.ErrDamaged):
		return "the previous version of the vault is kept as " + vault.BackupName + " in " + dir + "; copy it over " + vault.FileName + " to go back to it"
	case errors.Is(err, vault.ErrTooMuchWork):
		return "Authdeck never writes a vault key that costs this much to open: the file in " + dir + " was not written by Authdeck. Restore your accounts from a backup"
	case errors.Is(err, vault.ErrBusy):
		return "try again in a moment"
	case errors.Is(err, vault.ErrPassphraseNeeded):
		return "run it in a terminal, or put the passphrase in a file and set AUTHDECK_PASSPHRASE_FILE to its path"
	case errors.Is(err, vault.ErrConflicts):
		return conflictHints[name]
	case errors.Is(err, transfer.ErrPasswordNeeded):
		return "give the password in a file with --password-file F, or run the import in a terminal"
	case errors.Is(err, transfer.ErrWrongPassword):
		return "use the password the file was exported with, which may differ from the app's own lock"
	case errors.As(err, new(*transfer.WrongFormatError)):
		return "leave out --from, and Authdeck recognises the file by itself"
	case errors.Is(err, backup.ErrWrongPassphrase):
		return "a backup needs the backup passphrase that was set when it was written; a later change of passphrase does not apply to it"
	case errors.Is(err, backup.ErrDamaged):
		return "the file was changed or cut short after it was written (an unfinished copy or download?); try another copy, or an older backup"
	case errors.Is(err, backup.ErrNewerVersion):
		return "install the newest version of Authdeck to restore it"
	case errors.Is(err, vault.ErrTimeServerUnreachable), errors.Is(err, vault.ErrTimeServerReply):
		return clockHint(err)
	case syncHint(err) != "":
		return syncHint(err)
	case errors.Is(err, backup.ErrNotBackup):
		return "an Authdeck backup starts with the line \"authdeck-backup v1\"; other apps' exports come in with authdeck import"
	}
	return ""
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, `Authdeck: two-factor codes on the desktop.

Usage:
  authdeck                 open the window
  authdeck COMMAND [ARGS]  work from the command line

Commands:`)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].help)
		fmt.Fprintf(w, "           authdeck %s\n", commands[n].usage)
	}
	fmt.Fprintln(w, `
Flags may stand before or after the arguments. Exit status: 0 success,
1 error, 2 usage, 3 refused for conflicts.

The vault lives in $AUTHDECK_HOME (default: the "authdeck" folder in your
configuration folder). A vault kept under a passphrase reads it from the
terminal, or from the file named by $AUTHDECK_PASSPHRASE_FILE.

Note: "authdeck add URI" and "--secret VALUE" put the secret on the command
line, where your shell may keep it in its history; "--secret -" reads it from
standard input instead.`)
}

// open returns the vault store, made once per run.
func (e *env) open() (*vault.Store, error) {
	if e.store != nil {
		return e.store, nil
	}
	dir, err := vault.DefaultDir()
	if err != nil {
		return nil, err
	}
	e.store = vault.NewStore(dir, vault.Options{
		Passphrase:       e.passphrase,
		ScryptWorkFactor: scryptWorkFactor,
		Now:              e.now,
		AfterSave:        func(v *vault.Vault) { e.autoBackup(e.store, v); e.syncWrite(e.store, v) },
	})
	return e.store, nil
}

// load reads the vault for a command that does not change it.
func (e *env) load() (*vault.Vault, error) {
	s, err := e.open()
	if err != nil {
		return nil, err
	}
	return s.Load()
}

// errUnchanged, returned by an update's change function, leaves the vault
// untouched without failing the command.
var errUnchanged = errors.New("unchanged")

// update changes the vault as one transaction, or leaves it byte for byte as
// it was when change returns errUnchanged or an error.
func (e *env) update(change func(v *vault.Vault) error) error {
	s, err := e.open()
	if err != nil {
		return err
	}
	_, err = s.Update(change)
	if errors.Is(err, errUnchanged) {
		return nil
	}
	return err
}

// readPassphraseFile reads a passphrase from the first line of a file.
func readPassphraseFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("cannot read the passphrase file: %w", err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	return strings.TrimSuffix(line, "\r"), nil
}
