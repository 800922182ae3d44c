package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"authdeck/scan"
	"authdeck/transfer"
	"authdeck/vault"
)

func init() {
	commands["import"] = command{
		"import FILE [--from FORMAT] [--password-file F] [--dry-run] [--skip-conflicts|--keep-both]; FORMAT is " + importFormatNames(),
		"import the accounts of another authenticator app's export", runImport}
}

func runImport(e *env, args []string) error {
	fs := newFlags("import")
	from := fs.String("from", string(transfer.FormatAuto), "")
	passFile := fs.String("password-file", "", "")
	dryRun := fs.Bool("dry-run", false, "")
	skip := fs.Bool("skip-conflicts", false, "")
	keepBoth := fs.Bool("keep-both", false, "")
	pos, err := parseN(fs, args, 1, "one file to import")
	if err != nil {
		return err
	}
	format := transfer.Format(strings.ToLower(*from))
	if !slices.Contains(transfer.ImportFormats, format) {
		return usagef("--from takes %s", importFormatNames())
	}
	m := vault.RefuseConflicts
	switch {
	case *skip && *keepBoth:
		return usagef("choose one of --skip-conflicts and --keep-both")
	case *skip:
		m = vault.SkipConflicts
	case *keepBoth:
		m = vault.KeepBoth
	}
	path := pos[0]
	fail := func(err error) error { return fmt.Errorf("cannot import %s: %w; nothing was changed", path, err) }

	data, err := transfer.ReadImportFile(path)
	if err != nil {
		return fail(err)
	}
	if format == transfer.FormatAuto {
		if format, err = transfer.DetectFormat(data); err != nil {
			return fail(err)
		}
	}
	var entries []transfer.Entry
	if format == transfer.FormatGoogle {
		entries, err = e.importGoogle(path, data)
	} else {
		var im *transfer.Imported
		if im, err = transfer.ImportAccounts(data, format, e.importPassword(*passFile, format)); err == nil {
			entries = im.Entries
		}
	}
	if err != nil {
		return fail(err)
	}
	noun := "entries"
	if len(entries) == 1 {
		noun = "entry"
	}
	fmt.Fprintf(e.stdout, "%s: %s, %d %s\n", path, format.Name(), len(entries), noun)
	for _, en := range entries {
		if en.Note != "" && en.Err == nil {
			fmt.Fprintf(e.stdout, "needs verification: %s: %s\n", en.Account.Label(), en.Note)
		}
	}
	return e.mergeImport(entries, m, *dryRun)
}

// importFormatNames lists the names --from takes.
func importFormatNames() string {
	names := make([]string, len(transfer.ImportFormats))
	for i, f := range transfer.ImportFormats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// importPassword asks for the password of an encrypted file when the
// importer needs it: from the file given, or the terminal.
func (e *env) importPassword(file string, f transfer.Format) transfer.PasswordFunc {
	return func() (string, error) {
		if file != "" {
			return readPassphraseFile(file)
		}
		pass, ok, err := e.readHidden("Password of the " + f.Name() + ": ")
		if err != nil {
			return "", err
		}
		if !ok {
			return "", fmt.Errorf("%w: give it with --password-file F", transfer.ErrPasswordNeeded)
		}
		return pass, nil
	}
}

// importGoogle reads Google Authenticator transfers: QR code images, or a
// text file of otpauth-migration:// URIs (otpauth:// lines may stand among
// them), one a line. A transfer spread over several codes whose parts are
// not all there is imported as far as it goes, with a warning.
func (e *env) importGoogle(path string, data []byte) ([]transfer.Entry, error) {
	if !utf8.Valid(data) {
		accounts, err := e.readQR([]string{path})
		if err != nil {
			return nil, err
		}
		entries := make([]transfer.Entry, len(accounts))
		for i, a := range accounts {
			entries[i] = transfer.Entry{Account: a}
		}
		return entries, nil
	}
	var entries []transfer.Entry
	var batches []*scan.Batch
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if len(entries) >= transfer.MaxImportEntries {
			return nil, fmt.Errorf("the file holds more than the %d accounts Authdeck imports at once", transfer.MaxImportEntries)
		}
		if !scan.IsMigration(line) {
			a, err := vault.ParseURI(line)
			if err != nil {
				err = fmt.Errorf("line %d: %w", n+1, err)
			}
			entries = append(entries, transfer.Entry{Account: a, Err: err})
			continue
		}
		m, err := scan.ParseMigration(line)
		if m == nil {
			entries = append(entries, transfer.Entry{Err: fmt.Errorf("line %d: %w", n+1, err)})
			continue
		}
		addToBatch(&batches, m)
		for _, a := range m.Accounts {
			entries = append(entries, transfer.Entry{Account: a})
		}
		var bad *scan.EntryError
		for _, err := range unjoin(err) {
			if errors.As(err, &bad) {
				entries = append(entries, transfer.Entry{Account: vault.Account{Name: bad.Label}, Err: bad.Err})
			}
		}
	}
	for _, b := range batches {
		if !b.Complete() {
			fmt.Fprintf(e.stderr, "warning: Google Authenticator transfer: %s; export the missing codes too\n", b)
		}
	}
	if len(entries) == 0 {
		return nil, errors.New("the file holds no accounts")
	}
	return entries, nil
}

// unjoin returns the errors joined in err, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err != nil {
		return []error{err}
	}
	return nil
}

// mergeImport brings the entries of an imported file into the vault under the
// one merge rule (see vault.Vault.Plan). Entries the importer could not read
// join the plan as invalid, in the file's order, so that the report gives the
// reason of each. With dryRun it shows the plan and changes nothing.
func (e *env) mergeImport(entries []transfer.Entry, m vault.Merge, dryRun bool) error {
	plan := func(v *vault.Vault) vault.Plan { return transfer.PlanEntries(v, entries) }
	if dryRun {
		v, err := e.load()
		if err != nil {
			return err
		}
		p := plan(v)
		previewDryRun(e.stdout, p, m)
		if m == vault.RefuseConflicts && p.Count(vault.Conflict) > 0 {
			return &vault.ConflictError{Items: conflicts(p)}
		}
		return nil
	}
	return e.mergePlan(plan, m, "import")
}
