package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"authdeck/vault"
)

func init() {
	commands["trash"] = command{"trash [--json] | trash restore ID",
		"list the accounts deleted in the last 30 days, or bring one back", runTrash}
}

// trashedJSON is what trash --json prints of a deleted account: no secret.
type trashedJSON struct {
	ID          string     `json:"id"`
	Issuer      string     `json:"issuer"`
	Name        string     `json:"name"`
	Type        vault.Type `json:"type"`
	Deleted     time.Time  `json:"deleted"`
	Expires     time.Time  `json:"expires"`
	DuplicateOf string     `json:"duplicate_of,omitempty"`
}

func runTrash(e *env, args []string) error {
	fs := newFlags("trash")
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 2 && pos[0] == "restore":
		var label string
		err := e.update(func(v *vault.Vault) error {
			if i := v.TrashIndex(pos[1]); i >= 0 {
				label = v.Trash[i].Account.Label()
			}
			return v.Restore(pos[1])
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "restored %s\n", label)
		return nil
	case len(pos) != 0:
		return usagef("give no arguments to list, or: restore ID")
	}
	v, err := e.load()
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]trashedJSON, 0, len(v.Trash))
		for _, d := range v.Trash {
			a := d.Account
			out = append(out, trashedJSON{ID: a.ID, Issuer: a.Issuer, Name: a.Name, Type: a.Type,
				Deleted: d.Time, Expires: d.Time.Add(vault.TrashKeep), DuplicateOf: d.DuplicateOf})
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(v.Trash) == 0 {
		fmt.Fprintln(e.stdout, "Recently deleted is empty.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ISSUER\tNAME\tDELETED\tID\t")
	for _, d := range v.Trash {
		note := ""
		if d.DuplicateOf != "" {
			note = "duplicate of " + d.DuplicateOf
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", orDash(d.Account.Issuer), d.Account.Name, d.Time.UTC().Format(time.DateOnly), d.Account.ID, note)
	}
	return tw.Flush()
}
