package cli

import (
	"fmt"

	"authdeck/vault"
)

func init() {
	commands["passphrase"] = command{"passphrase set|change|remove [--passphrase-file F]",
		"protect the vault with a passphrase, change it, or go back to the keychain", runPassphrase}
}

// runPassphrase moves the vault between keychain mode and password mode, or
// changes its passphrase. The current passphrase comes as for any command
// (the terminal or $AUTHDECK_PASSPHRASE_FILE); the new one from the terminal,
// twice, or from --passphrase-file.
func runPassphrase(e *env, args []string) error {
	fs := newFlags("passphrase")
	passFile := fs.String("passphrase-file", "", "")
	rest, err := parseN(fs, args, 1, "set, change or remove")
	if err != nil {
		return err
	}
	s, err := e.open()
	if err != nil {
		return err
	}
	mode, err := s.Mode()
	if err != nil {
		return err
	}
	if mode == vault.NoVault {
		return fmt.Errorf("%w in %s", vault.ErrNoVault, s.Dir())
	}
	switch verb := rest[0]; {
	case verb == "set" && mode == vault.PasswordMode:
		return usagef("the vault already has a passphrase: use authdeck passphrase change")
	case verb == "change" && mode != vault.PasswordMode:
		return usagef("the vault has no passphrase to change: use authdeck passphrase set")
	case verb == "remove":
		if err := s.RemovePassphrase(); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "the vault's key is in the system keychain now; no passphrase is asked for")
		return nil
	case verb != "set" && verb != "change":
		return usagef("unknown %q: use set, change or remove", verb)
	}
	if mode == vault.PasswordMode {
		// Unlock with the current passphrase before asking for the new one.
		if _, err := s.Load(); err != nil {
			return err
		}
	}
	pass, err := e.newPassphrase(*passFile, "vault")
	if err != nil {
		return err
	}
	if err := s.SetPassphrase(pass); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "the vault is protected by the new passphrase; it is asked for once when Authdeck starts")
	return nil
}
