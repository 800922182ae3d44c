package cli

import (
	"fmt"
	"slices"
	"strings"

	"authdeck/transfer"
	"authdeck/vault"
)

func init() {
	commands["import"] = command{
		"import FILE... [--from FORMAT] [--password-file F] [--dry-run] [--skip-conflicts|--keep-both]; FORMAT is " + importFormatNames(),
		"import the accounts of other authenticator apps' exports, several files in one go", runImport}
}

func runImport(e *env, args []string) error {
	fs := newFlags("import")
	from := fs.String("from", string(transfer.FormatAuto), "")
	passFile := fs.String("password-file", "", "")
	dryRun := fs.Bool("dry-run", false, "")
	skip := fs.Bool("skip-conflicts", false, "")
	keepBoth := fs.Bool("keep-both", false, "")
	paths, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("give one or more files to import")
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
	var entries []transfer.Entry
	for _, path := range paths {
		im, err := e.importFile(path, format, *passFile)
		if err != nil {
			return &importError{path: path, err: err}
		}
		fmt.Fprintf(e.stdout, "%s: %s, %d %s\n", path, im.Format.Name(), len(im.Entries), plural(len(im.Entries), "entry", "entries"))
		for _, b := range im.Incomplete {
			where := ""
			if len(paths) > 1 {
				where = path + ": "
			}
			fmt.Fprintf(e.stderr, "warning: %sGoogle Authenticator transfer: %s; export the missing codes too\n", where, b)
		}
		for _, en := range im.Entries {
			if en.Note != "" && en.Err == nil {
				fmt.Fprintf(e.stdout, "needs verification: %s: %s\n", en.Account.Label(), en.Note)
			}
			if en.Err != nil && len(paths) > 1 {
				en.Err = transfer.InSource(path, en.Err)
			}
			entries = append(entries, en)
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

// importFile reads the file at path in format, asking for its password when
// it is encrypted.
func (e *env) importFile(path string, format transfer.Format, passFile string) (*transfer.Imported, error) {
	data, err := transfer.ReadImportFile(path)
	if err != nil {
		return nil, err
	}
	named := format
	if named == transfer.FormatAuto {
		named, _ = transfer.DetectFormat(data)
	}
	return transfer.ImportAccounts(data, format, e.importPassword(passFile, path, named))
}

// importError is a file that cannot be imported: nothing was changed.
type importError struct {
	path string
	err  error
}

func (e *importError) Error() string {
	return fmt.Sprintf("cannot import %s: %v; nothing was changed", e.path, e.err)
}

func (e *importError) Unwrap() error { return e.err }

// importPassword asks for the password of an encrypted file when the
// importer needs it: from the file given, or the terminal.
func (e *env) importPassword(file, path string, f transfer.Format) transfer.PasswordFunc {
	return func() (string, error) {
		if file != "" {
			return readPassphraseFile(file)
		}
		pass, ok, err := e.readHidden(fmt.Sprintf("Password of the %s %s: ", f.Name(), path))
		if err != nil {
			return "", err
		}
		if !ok {
			return "", transfer.ErrPasswordNeeded
		}
		return pass, nil
	}
}

// mergeImport brings the entries of imported files into the vault under the
// one merge rule (see vault.Vault.Plan). Entries the importer could not read
// join the plan as invalid, in the files' order, so that the report gives the
// reason of each. With dryRun it shows the plan, changes nothing, and ends
// as the import would (see transfer.Outcome).
func (e *env) mergeImport(entries []transfer.Entry, m vault.Merge, dryRun bool) error {
	plan := func(v *vault.Vault) vault.Plan { return transfer.PlanEntries(v, entries) }
	if dryRun {
		v, err := e.load()
		if err != nil {
			return err
		}
		p := plan(v)
		previewDryRun(e.stdout, p, m)
		return transfer.Outcome(p, m)
	}
	return e.mergePlan(plan, m)
}

// plural returns one or many after the count n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
