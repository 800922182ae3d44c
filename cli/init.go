package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"authdeck/vault"
)

func init() {
	commands["init"] = command{"init [--password] [--passphrase-file F]", "create the vault (its key in the keychain, or under a passphrase)", runInit}
}

func runInit(e *env, args []string) error {
	fs := newFlags("init")
	password := fs.Bool("password", false, "")
	passFile := fs.String("passphrase-file", "", "")
	if _, err := parseN(fs, args, 0, "no arguments"); err != nil {
		return err
	}
	mode := vault.KeychainMode
	if *password {
		mode = vault.PasswordMode
		pass, err := e.newPassphrase(*passFile, "vault")
		if err != nil {
			return err
		}
		e.passphraseValue = pass
	}
	s, err := e.open()
	if err != nil {
		return err
	}
	if _, err := s.Init(mode); err != nil {
		if errors.Is(err, vault.ErrVaultExists) {
			return fmt.Errorf("%w in %s", err, s.Dir())
		}
		return err
	}
	where := "its key is in the system keychain"
	if mode == vault.PasswordMode {
		where = "it is protected by your passphrase"
	}
	fmt.Fprintf(e.stdout, "created the vault in %s; %s\n", s.Dir(), where)
	return nil
}

// passphrase gives the store the passphrase of a password-mode vault: the one
// just set, the file named by $AUTHDECK_PASSPHRASE_FILE, or the terminal.
func (e *env) passphrase() (string, error) {
	if e.passphraseValue != "" {
		return e.passphraseValue, nil
	}
	if f := os.Getenv("AUTHDECK_PASSPHRASE_FILE"); f != "" {
		return readPassphraseFile(f)
	}
	pass, ok, err := e.readHidden("Vault passphrase: ")
	if err != nil {
		return "", err
	}
	if !ok {
		return "", vault.ErrPassphraseNeeded
	}
	return pass, nil
}

// newPassphrase asks for a new passphrase for what: from a file, or twice
// from the terminal.
func (e *env) newPassphrase(file, what string) (string, error) {
	if file != "" {
		pass, err := readPassphraseFile(file)
		if err == nil && pass == "" {
			err = errors.New("the passphrase file is empty")
		}
		return pass, err
	}
	pass, ok, err := e.readHidden("New " + what + " passphrase: ")
	if err != nil {
		return "", err
	}
	if !ok {
		return "", usagef("no terminal to ask for the passphrase: use --passphrase-file")
	}
	if len(pass) < 8 {
		fmt.Fprintln(e.stderr, "note: a passphrase of a few words is both stronger and easier to remember than a short one")
	}
	again, _, err := e.readHidden("Repeat it: ")
	if err != nil {
		return "", err
	}
	if again != pass {
		return "", errors.New("the two passphrases differ; nothing was changed")
	}
	if pass == "" {
		return "", errors.New("the passphrase is empty; nothing was changed")
	}
	return pass, nil
}

// readHidden prompts on the terminal and reads a line without echo. It
// returns ok false when standard input is not a terminal.
func (e *env) readHidden(prompt string) (string, bool, error) {
	f, isFile := e.stdin.(*os.File)
	if !isFile || !term.IsTerminal(int(f.Fd())) {
		return "", false, nil
	}
	fmt.Fprint(e.stderr, prompt)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", true, fmt.Errorf("cannot read from the terminal: %w", err)
	}
	return strings.TrimSpace(string(b)), true, nil
}
