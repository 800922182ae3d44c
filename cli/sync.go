package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	authsync "authdeck/sync"
	"authdeck/vault"
)

func init() {
	commands["sync"] = command{"sync setup|join DIR [--passphrase-file F] | sync now | sync status [--json] | sync off | sync remove DEVICE",
		"sync with your other computers through a folder you already sync", runSync}
}

func runSync(e *env, args []string) error {
	fs := newFlags("sync")
	passFile := fs.String("passphrase-file", "", "")
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("say what to do: setup, join, now, status, off or remove")
	}
	want := map[string]int{"setup": 2, "join": 2, "now": 1, "status": 1, "off": 1, "remove": 2}
	n, ok := want[pos[0]]
	if !ok {
		return usagef("unknown %q: use setup, join, now, status, off or remove", pos[0])
	}
	if len(pos) != n {
		return usagef("sync %s takes %d %s", pos[0], n-1, pick(n-1, "argument", "arguments"))
	}
	s, err := e.open()
	if err != nil {
		return err
	}
	switch pos[0] {
	case "setup":
		pass, err := e.newPassphrase(*passFile, "sync")
		if err != nil {
			return err
		}
		if err := authsync.Setup(s, pos[1], pass, scryptWorkFactor, e.now()); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "sync is on: this computer's accounts are in %s\n", pos[1])
		fmt.Fprintln(e.stdout, "On your other computers, run: authdeck sync join DIR (with the same passphrase)")
	case "join":
		pass, err := e.syncPassphrase(*passFile)
		if err != nil {
			return err
		}
		res, err := authsync.Join(s, pos[1], pass, e.now())
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "joined the sync in %s\n", pos[1])
		e.printSync(res)
	case "now":
		res, err := authsync.Now(s, e.now())
		if err != nil {
			return err
		}
		e.printSync(res)
	case "status":
		v, err := s.Load()
		if err != nil {
			return err
		}
		return e.printSyncStatus(authsync.ReadStatus(s, v), *asJSON)
	case "off":
		if err := authsync.Off(s); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "sync is off; the folder keeps every computer's file")
	case "remove":
		d, err := authsync.RemoveDevice(s, pos[1], e.now())
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "removed %s (%s) from the sync\n", d.Name, d.ID)
	}
	return nil
}

// syncPassphrase reads the sync passphrase once, from a file or the terminal.
func (e *env) syncPassphrase(file string) (string, error) {
	if file != "" {
		return readPassphraseFile(file)
	}
	pass, ok, err := e.readHidden("Sync passphrase: ")
	if err != nil {
		return "", err
	}
	if !ok {
		return "", usagef("no terminal to ask for the passphrase: use --passphrase-file")
	}
	return pass, nil
}

// printSync says what a merge did.
func (e *env) printSync(res authsync.Result) {
	r := res.Report
	fmt.Fprintf(e.stdout, "merged %d %s: added %d, changed %d, deleted %d, restored %d\n",
		len(res.Merged), pick(len(res.Merged), "file", "files"), r.Added, r.Changed, r.Deleted, r.Restored)
	for _, d := range r.Devices {
		fmt.Fprintf(e.stdout, "  from %s (%s): added %d, changed %d, deleted %d, restored %d\n",
			d.Device.Name, d.Device.ID, d.Added, d.Changed, d.Deleted, d.Restored)
	}
	if n := len(res.Unchanged); n > 0 {
		fmt.Fprintf(e.stdout, "%d %s unchanged since %s last merged\n", n, pick(n, "file", "files"), pick(n, "it was", "they were"))
	}
	for _, d := range r.Duplicates {
		fmt.Fprintf(e.stdout, "merged duplicate: %s (the same secret as another account; kept in Recently deleted)\n", d)
	}
	for _, c := range r.Conflicts {
		fmt.Fprintf(e.stdout, "kept both: %s (two secrets for one account; check which one works and delete the other)\n", c)
	}
	for _, i := range r.Invalid {
		fmt.Fprintf(e.stderr, "authdeck: warning: left out an invalid account: %s\n", i)
	}
	for _, rej := range res.Rejected {
		fmt.Fprintf(e.stderr, "authdeck: warning: rejected %s: %v\n", rej.File, rej.Reason)
	}
	if len(res.Rejected) > 0 {
		fmt.Fprintln(e.stderr, "hint: a rejected file changes nothing; if the folder is shared with others, they cannot change your accounts")
	}
}

type syncStatusJSON struct {
	On          bool                    `json:"on"`
	Dir         string                  `json:"dir,omitempty"`
	Device      vault.Device            `json:"device"`
	LastWritten *time.Time              `json:"last_written,omitempty"`
	WriteError  string                  `json:"write_error,omitempty"`
	LastMerge   *time.Time              `json:"last_merge,omitempty"`
	Devices     []syncPeerJSON          `json:"devices"`
	Rejected    []authsync.RejectedFile `json:"rejected"`
}

type syncPeerJSON struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Written time.Time `json:"written"`
	Merged  time.Time `json:"merged"`
}

func (e *env) printSyncStatus(st authsync.Status, asJSON bool) error {
	if asJSON {
		out := syncStatusJSON{On: st.On, Dir: st.Dir, Device: st.Device, WriteError: st.WriteError,
			Devices: []syncPeerJSON{}, Rejected: st.Rejected}
		if out.Rejected == nil {
			out.Rejected = []authsync.RejectedFile{}
		}
		if !st.LastWritten.IsZero() {
			out.LastWritten = &st.LastWritten
		}
		if !st.LastMerge.IsZero() {
			out.LastMerge = &st.LastMerge
		}
		for _, p := range st.Peers {
			out.Devices = append(out.Devices, syncPeerJSON{ID: p.Device.ID, Name: p.Device.Name, Written: p.Written, Merged: p.Merged})
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if !st.On {
		fmt.Fprintln(e.stdout, "sync is off. Start it with: authdeck sync setup DIR (or sync join DIR)")
		return nil
	}
	fmt.Fprintf(e.stdout, "sync is on: %s\n", st.Dir)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DEVICE\tID\tLAST WRITTEN\tLAST MERGED HERE\t")
	fmt.Fprintf(tw, "%s (this computer)\t%s\t%s\t%s\t\n", st.Device.Name, st.Device.ID, when(st.LastWritten), "-")
	for _, p := range st.Peers {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", p.Device.Name, p.Device.ID, when(p.Written), when(p.Merged))
	}
	tw.Flush()
	if !st.LastMerge.IsZero() {
		fmt.Fprintf(e.stdout, "last merge of the folder: %s\n", when(st.LastMerge))
	}
	if st.WriteError != "" {
		fmt.Fprintf(e.stdout, "the last write failed: %s\n", st.WriteError)
	}
	for _, r := range st.Rejected {
		fmt.Fprintf(e.stdout, "rejected: %s: %s\n", r.File, r.Reason)
	}
	return nil
}

func when(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}

// syncWrite writes this computer's sync file after a saved change.
func (e *env) syncWrite(s *vault.Store, v *vault.Vault) {
	if err := authsync.Write(s, v, e.now()); err != nil {
		fmt.Fprintf(e.stderr, "authdeck: warning: the change is saved, but writing it to the sync folder failed: %v\n", err)
		fmt.Fprintln(e.stderr, "hint: see authdeck sync status")
	}
}

// syncHint says what to do about a sync error, or "".
func syncHint(err error) string {
	switch {
	case errors.Is(err, authsync.ErrWrongPassphrase):
		return "use the sync passphrase that was set with authdeck sync setup on your first computer; nothing was changed"
	case errors.Is(err, authsync.ErrFolderHasSync):
		return "to add this computer to it, run: authdeck sync join DIR"
	case errors.Is(err, authsync.ErrFolderNoSync):
		return "on your first computer, run: authdeck sync setup DIR; then wait for the folder to sync here"
	case errors.Is(err, authsync.ErrAlreadyOn):
		return "run authdeck sync off first to sync through another folder"
	case errors.Is(err, authsync.ErrNotSetUp):
		return "start it with: authdeck sync setup DIR, or authdeck sync join DIR"
	case errors.Is(err, authsync.ErrNoDevice):
		return "authdeck sync status lists the devices"
	}
	return ""
}
