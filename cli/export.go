package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"authdeck/transfer"
	"authdeck/vault"
)

func init() {
	commands["export"] = command{"export --to uris|aegis FILE [--password-file F]",
		"write the portable accounts for another authenticator app (an encrypted Aegis vault with --password-file, else secrets in plain text)", runExport}
}

func runExport(e *env, args []string) error {
	fs := newFlags("export")
	to := fs.String("to", "", "")
	passFile := fs.String("password-file", "", "")
	pos, err := parseN(fs, args, 1, "one file to write")
	if err != nil {
		return err
	}
	format := transfer.Format(strings.ToLower(*to))
	switch format {
	case transfer.FormatURIs, transfer.FormatAegis:
	case "":
		return usagef("say which format with --to uris or --to aegis")
	default:
		return usagef("--to takes uris or aegis")
	}
	if *passFile != "" && format != transfer.FormatAegis {
		return usagef("only --to aegis is encrypted with --password-file")
	}
	path := pos[0]
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists; nothing was written (choose another name, or delete it first)", path)
	}
	v, err := e.load()
	if err != nil {
		return err
	}
	var data []byte
	var leftOut []vault.Account
	if *passFile != "" {
		pass, perr := readPassphraseFile(*passFile)
		if perr != nil {
			return perr
		}
		data, leftOut, err = transfer.ExportEncrypted(v.Accounts, format, pass)
	} else {
		data, leftOut, err = transfer.ExportAccounts(v.Accounts, format)
	}
	if err != nil {
		return err
	}
	n := len(v.Accounts) - len(leftOut)
	for _, a := range leftOut {
		why := "bound to this device"
		if a.Binding != vault.DeviceBound {
			why = "needs verification, no secret yet"
		}
		fmt.Fprintf(e.stdout, "left out: %s (%s)\n", a.Label(), why)
	}
	if n == 0 {
		return errors.New("no portable account to export; nothing was written")
	}
	if err := vault.WriteFileAtomic(path, data); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	noun := "accounts"
	if n == 1 {
		noun = "account"
	}
	if *passFile != "" {
		fmt.Fprintf(e.stdout, "exported %d %s to %s (encrypted %s), left out %d\n", n, noun, path, format.Name(), len(leftOut))
		return nil
	}
	fmt.Fprintf(e.stdout, "exported %d %s to %s (%s), left out %d\n", n, noun, path, format.Name(), len(leftOut))
	fmt.Fprintf(e.stderr, "warning: %s holds your secrets in plain text: anyone who reads it can make your codes. Import it, then delete it.\n", path)
	return nil
}
