package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"authdeck/backup"
	"authdeck/vault"
)

func init() {
	commands["backup"] = command{
		"backup export FILE [--passphrase-file F] | backup restore FILE [--passphrase-file F] [--dry-run] [--skip-conflicts] | backup status | backup passphrase [--passphrase-file F] | backup auto DIR [--keep N] [--passphrase-file F] | backup auto off",
		"write, restore and check encrypted backups; automatic backups into a folder",
		runBackup}
}

func runBackup(e *env, args []string) error {
	if len(args) == 0 {
		return usagef("expected export, restore, status, passphrase or auto")
	}
	switch args[0] {
	case "export":
		return runBackupExport(e, args[1:])
	case "restore":
		return runBackupRestore(e, args[1:])
	case "status":
		return runBackupStatus(e, args[1:])
	case "passphrase":
		return runBackupPassphrase(e, args[1:])
	case "auto":
		return runBackupAuto(e, args[1:])
	}
	return usagef("unknown backup command %q: expected export, restore, status, passphrase or auto", args[0])
}

func runBackupExport(e *env, args []string) error {
	fs := newFlags("backup")
	passFile := fs.String("passphrase-file", "", "")
	pos, err := parseN(fs, args, 1, "backup export FILE")
	if err != nil {
		return err
	}
	path := pos[0]
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists: choose another name, or delete it first", path)
	}
	v, err := e.ensureBackupKey(*passFile)
	if err != nil {
		return err
	}
	if err := backup.Export(e.store, v, path, e.now()); err != nil {
		return fmt.Errorf("cannot write the backup: %w", err)
	}
	bound := 0
	for _, a := range v.Accounts {
		if a.Binding == vault.DeviceBound {
			bound++
		}
	}
	fmt.Fprintf(e.stdout, "wrote a backup of %d %s (revision %d) to %s\n", len(v.Accounts), accountsWord(len(v.Accounts)), v.Revision, path)
	if bound > 0 {
		fmt.Fprintf(e.stdout, "%d device-bound %s in it without %s secret: after a restore, complete %s with a fresh QR code from the provider\n",
			bound, accountsWord(bound), pick(bound, "its", "their"), pick(bound, "it", "them"))
	}
	return nil
}

// ensureBackupKey returns the vault, with a backup key: the one it has (the
// passphrase in file, if given, must open it), or a new one under a new
// passphrase, asked for now.
func (e *env) ensureBackupKey(file string) (*vault.Vault, error) {
	v, err := e.load()
	if err != nil {
		return nil, err
	}
	if v.Backup.Recipient != "" {
		if file == "" {
			return v, nil
		}
		pass, err := readPassphraseFile(file)
		if err != nil {
			return nil, err
		}
		if err := backup.CheckPassphrase(v.Backup, pass); err != nil {
			if errors.Is(err, backup.ErrWrongPassphrase) {
				return nil, errors.New("the passphrase in " + file + " is not this vault's backup passphrase; nothing was written")
			}
			return nil, err
		}
		return v, nil
	}
	saved, err := e.setBackupPassphrase(file)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(e.stdout, "set the backup passphrase: it alone restores your backups, so keep it somewhere safe")
	return saved, nil
}

// setBackupPassphrase asks for a new backup passphrase (or reads it from
// file) and keeps a new backup identity wrapped with it in the vault. The
// scrypt step runs before the vault is locked.
func (e *env) setBackupPassphrase(file string) (*vault.Vault, error) {
	pass, err := e.newPassphrase(file, "backup")
	if err != nil {
		return nil, err
	}
	var key vault.BackupConfig
	if err := backup.SetPassphrase(&key, pass, scryptWorkFactor); err != nil {
		return nil, err
	}
	return e.updateVault(func(v *vault.Vault) error {
		v.Backup.Recipient, v.Backup.WrappedIdentity = key.Recipient, key.WrappedIdentity
		return nil
	})
}

// updateVault is update for a change that always saves, returning the vault
// as saved.
func (e *env) updateVault(change func(v *vault.Vault) error) (*vault.Vault, error) {
	var saved *vault.Vault
	err := e.update(func(v *vault.Vault) error {
		saved = v
		return change(v)
	})
	return saved, err
}

func runBackupRestore(e *env, args []string) error {
	fs := newFlags("backup")
	passFile := fs.String("passphrase-file", "", "")
	dryRun := fs.Bool("dry-run", false, "")
	skip := fs.Bool("skip-conflicts", false, "")
	pos, err := parseN(fs, args, 1, "backup restore FILE")
	if err != nil {
		return err
	}
	data, err := readBackupFile(pos[0])
	if err != nil {
		return err
	}
	if err := backup.Check(data); err != nil {
		return err
	}
	var pass string
	if *passFile != "" {
		if pass, err = readPassphraseFile(*passFile); err != nil {
			return err
		}
	} else {
		var ok bool
		if pass, ok, err = e.readHidden("Backup passphrase: "); err != nil {
			return err
		} else if !ok {
			return usagef("no terminal to ask for the backup passphrase: use --passphrase-file")
		}
	}
	b, err := backup.Decode(data, pass)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup of %q, revision %d, written %s: %d %s\n",
		b.Device.Name, b.Revision, b.Created.UTC().Format(time.RFC3339), len(b.Accounts), accountsWord(len(b.Accounts)))
	merge := vault.RefuseConflicts
	if *skip {
		merge = vault.SkipConflicts
	}
	if *dryRun {
		v, err := e.load()
		if err != nil {
			return err
		}
		plan := b.Preview(v)
		previewDryRun(e.stdout, plan, merge)
		if merge == vault.RefuseConflicts && plan.Count(vault.Conflict) > 0 {
			return &vault.ConflictError{Items: conflicts(plan)}
		}
		return nil
	}
	var plan vault.Plan
	err = e.update(func(v *vault.Vault) error {
		var changed []string
		var err error
		plan, changed, err = b.Restore(v, merge, e.now())
		if err != nil {
			return err
		}
		if len(changed) == 0 {
			return errUnchanged
		}
		return nil
	})
	if len(plan.Items) == 0 && err == nil {
		fmt.Fprintln(e.stdout, "the backup holds no accounts: nothing to restore")
		return nil
	}
	reportPlan(e.stdout, plan, merge)
	if err != nil {
		return err
	}
	for _, it := range plan.Items {
		if it.Disposition == vault.New && it.Account.NeedsVerification {
			fmt.Fprintf(e.stdout, "needs verification: %s is bound to the device it was added on; add a fresh otpauth URI or QR code from its provider to complete it\n", it.Account.Label())
		}
	}
	return nil
}

// readBackupFile reads a file that should be a backup, up to a little more
// than the largest backup, so that a huge file is refused without filling
// memory.
func readBackupFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the backup: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, backup.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read the backup: %w", err)
	}
	return data, nil
}

func conflicts(p vault.Plan) []vault.PlanItem {
	var out []vault.PlanItem
	for _, it := range p.Items {
		if it.Disposition == vault.Conflict {
			out = append(out, it)
		}
	}
	return out
}

func runBackupStatus(e *env, args []string) error {
	if _, err := parseN(newFlags("backup"), args, 0, "backup status"); err != nil {
		return err
	}
	v, err := e.load()
	if err != nil {
		return err
	}
	st, err := backup.ReadStatus(e.store, v, e.now())
	if err != nil {
		return err
	}
	w := e.stdout
	if !st.PassphraseSet {
		fmt.Fprintln(w, "backup passphrase: not set yet (authdeck backup export FILE sets it)")
	}
	switch {
	case st.LastTime.IsZero() && len(v.Accounts) == 0:
		fmt.Fprintln(w, "last backup: never made (no accounts yet)")
	case st.LastTime.IsZero():
		fmt.Fprintln(w, "last backup: never made: make one with authdeck backup export FILE, or turn on authdeck backup auto DIR")
	default:
		fmt.Fprintf(w, "last backup: %s, revision %d, in %s\n", st.LastTime.UTC().Format(time.RFC3339), st.LastRevision, st.LastFile)
		if st.OutOfDate {
			fmt.Fprintf(w, "out of date: the vault changed since (now revision %d)\n", st.Revision)
		} else {
			fmt.Fprintln(w, "up to date")
		}
	}
	if st.AutoDir == "" {
		fmt.Fprintln(w, "automatic backups: off")
	} else {
		fmt.Fprintf(w, "automatic backups: into %s, keeping this computer's newest %d\n", st.AutoDir, st.AutoKeep)
	}
	if st.Failing {
		fmt.Fprintf(w, "failing since %s: %v\n", st.FailedAt.UTC().Format(time.RFC3339), st.Reason)
	}
	if st.Remind {
		fmt.Fprintf(w, "reminder: no backup in the last %d days\n", int(backup.ReminderAfter.Hours()/24))
	}
	return nil
}

func runBackupPassphrase(e *env, args []string) error {
	fs := newFlags("backup")
	passFile := fs.String("passphrase-file", "", "")
	if _, err := parseN(fs, args, 0, "backup passphrase"); err != nil {
		return err
	}
	if _, err := e.load(); err != nil {
		return err
	}
	if _, err := e.setBackupPassphrase(*passFile); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "set a new backup passphrase: backups from now on need it; backups written before still need the passphrase they were written under")
	return nil
}

func runBackupAuto(e *env, args []string) error {
	fs := newFlags("backup")
	keep := fs.Int("keep", backup.DefaultKeep, "")
	passFile := fs.String("passphrase-file", "", "")
	pos, err := parseN(fs, args, 1, "backup auto DIR, or backup auto off")
	if err != nil {
		return err
	}
	if *keep < 1 {
		return usagef("--keep takes a number of backups from 1")
	}
	if pos[0] == "off" {
		var dir string
		err := e.update(func(v *vault.Vault) error {
			if v.Backup.AutoDir == "" {
				return errUnchanged
			}
			dir, v.Backup.AutoDir, v.Backup.AutoKeep = v.Backup.AutoDir, "", 0
			return nil
		})
		if err != nil {
			return err
		}
		if dir == "" {
			fmt.Fprintln(e.stdout, "automatic backups are off")
		} else {
			fmt.Fprintf(e.stdout, "automatic backups are off; the backups already in %s stay there\n", dir)
		}
		return nil
	}
	dir, err := filepath.Abs(pos[0])
	if err != nil {
		return err
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("%w: %s (create it first)", backup.ErrFolderMissing, dir)
	}
	if _, err := e.ensureBackupKey(*passFile); err != nil {
		return err
	}
	saved, err := e.updateVault(func(v *vault.Vault) error {
		v.Backup.AutoDir, v.Backup.AutoKeep = dir, *keep
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "automatic backups: into %s after every change, keeping this computer's newest %d\n", dir, *keep)
	if st, err := backup.ReadStatus(e.store, saved, e.now()); err == nil && !st.Failing && st.LastRevision == saved.Revision {
		fmt.Fprintf(e.stdout, "wrote %s\n", st.LastFile)
	}
	return nil
}

// autoBackup writes the automatic backup of v, just saved, if automatic
// backups are on. A failure does not undo the change: it is reported, and
// kept for authdeck backup status and the window.
func (e *env) autoBackup(s *vault.Store, v *vault.Vault) {
	if v.Backup.AutoDir == "" || v.Backup.Recipient == "" {
		return
	}
	if _, err := backup.WriteAuto(s, v, e.now()); err != nil {
		fmt.Fprintf(e.stderr, "authdeck: warning: the change is saved, but the automatic backup failed: %v\n", err)
		fmt.Fprintln(e.stderr, "hint: see authdeck backup status; authdeck backup auto DIR picks another folder")
	}
}

func accountsWord(n int) string { return pick(n, "account", "accounts") }

func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
