package cli

import (
	"errors"
	"fmt"
	"io"

	"authdeck/transfer"
	"authdeck/vault"
)

// mergePlan brings accounts into the vault under the one merge rule: it
// makes the plan from the vault with makePlan (such as [transfer.PlanEntries],
// which adds the entries that could not be read as invalid items), applies
// it, reports what it did, leaves the vault untouched when there is nothing
// to add or the plan is refused, and ends as [transfer.Outcome] says.
func (e *env) mergePlan(makePlan func(*vault.Vault) vault.Plan, m vault.Merge) error {
	var plan vault.Plan
	err := e.update(func(v *vault.Vault) error {
		plan = makePlan(v)
		changed, err := v.Apply(plan, m, e.now())
		if err != nil {
			return err
		}
		if len(changed) == 0 {
			return errUnchanged
		}
		return nil
	})
	reportPlan(e.stdout, plan, m)
	if err != nil {
		return err
	}
	return transfer.Outcome(plan, m)
}

// reportPlan prints one line an account and the totals of a merge.
func reportPlan(w io.Writer, p vault.Plan, m vault.Merge) {
	if len(p.Items) == 0 {
		return
	}
	refused := m == vault.RefuseConflicts && p.Count(vault.Conflict) > 0
	for _, it := range p.Items {
		a := it.Account
		switch it.Disposition {
		case vault.New:
			if refused {
				fmt.Fprintf(w, "new, not added: %s\n", a.Label())
			} else {
				fmt.Fprintf(w, "added: %s\n", a.Label())
			}
		case vault.Present:
			fmt.Fprintf(w, "already present: %s (no change)\n", a.Label())
		case vault.Completes:
			if refused {
				fmt.Fprintf(w, "would complete, not changed: %s\n", a.Label())
				continue
			}
			fmt.Fprintf(w, "completed: %s (it no longer needs verification)\n", a.Label())
		case vault.Conflict:
			switch m {
			case vault.KeepBoth:
				fmt.Fprintf(w, "added beside the local account: %s\n", a.Label())
			case vault.SkipConflicts:
				fmt.Fprintf(w, "conflict, skipped: %s has another secret here\n", a.Label())
			default:
				fmt.Fprintf(w, "conflict: %s has another secret here (ID %s)\n", a.Label(), it.Local)
			}
		case vault.Invalid:
			fmt.Fprintf(w, "invalid: %s\n", invalidLine(&a, it.Reason))
		}
	}
	added := p.Count(vault.New) + p.Count(vault.Completes)
	switch {
	case refused:
		added = 0
		fmt.Fprintln(w, "nothing changed: the conflicts refused the whole change")
	case m == vault.KeepBoth:
		added += p.Count(vault.Conflict)
	}
	fmt.Fprintf(w, "added %d, already present %d, conflicts %d, invalid %d\n",
		added, p.Count(vault.Present), p.Count(vault.Conflict), p.Count(vault.Invalid))
}

// previewPlan prints what a merge would do, one line an account, changing
// nothing: the preview of a scan, and of an import or a restore with --dry-run.
func previewPlan(w io.Writer, p vault.Plan) {
	verify := 0
	for _, it := range p.Items {
		a := it.Account
		switch it.Disposition {
		case vault.New:
			if a.NeedsVerification {
				verify++
				fmt.Fprintf(w, "new, needs verification: %s (device-bound: complete it with a fresh QR code from its provider)\n", a.Label())
			} else {
				fmt.Fprintf(w, "new: %s (%s)\n", a.Label(), describe(&a))
			}
		case vault.Present:
			fmt.Fprintf(w, "already present: %s (no change)\n", a.Label())
		case vault.Completes:
			fmt.Fprintf(w, "completes: %s (it would no longer need verification)\n", a.Label())
		case vault.Conflict:
			fmt.Fprintf(w, "conflict: %s has another secret here (ID %s)\n", a.Label(), it.Local)
		case vault.Invalid:
			fmt.Fprintf(w, "invalid: %s\n", invalidLine(&a, it.Reason))
		}
	}
	fmt.Fprintf(w, "new %d", p.Count(vault.New)+p.Count(vault.Completes))
	if verify > 0 {
		fmt.Fprintf(w, " (%d needing verification)", verify)
	}
	fmt.Fprintf(w, ", already present %d, conflicts %d, invalid %d\n", p.Count(vault.Present), p.Count(vault.Conflict), p.Count(vault.Invalid))
}

// previewDryRun is previewPlan for --dry-run, saying what the conflicts would do.
func previewDryRun(w io.Writer, p vault.Plan, m vault.Merge) {
	previewPlan(w, p)
	switch {
	case p.Count(vault.Conflict) > 0 && m == vault.RefuseConflicts:
		fmt.Fprintln(w, "dry run, nothing changed: the conflicts would refuse the whole change")
	case p.Count(vault.Conflict) > 0 && m == vault.SkipConflicts:
		fmt.Fprintln(w, "dry run, nothing changed: the conflicting accounts would be skipped")
	default:
		fmt.Fprintln(w, "dry run, nothing changed")
	}
}

// invalidLine names an entry that cannot be used, by its label and, where
// the label is empty or not enough, its place, and says why.
func invalidLine(a *vault.Account, reason error) string {
	label := a.Label()
	var at *transfer.EntryError
	switch {
	case label != "" && errors.As(reason, &at):
		return fmt.Sprintf("%s (%s): %v", label, at.Where, at.Err)
	case label != "":
		return fmt.Sprintf("%s: %v", label, reason)
	}
	return reason.Error()
}

// describe says how an account's codes are made, without its secret.
func describe(a *vault.Account) string {
	var s string
	switch a.Type {
	case vault.HOTP:
		s = fmt.Sprintf("hotp, %s, %d digits, counter %d", a.Algorithm, a.Digits, a.Counter)
	case vault.Steam:
		s = "steam"
	default:
		s = fmt.Sprintf("totp, %s, %d digits, %d s", a.Algorithm, a.Digits, a.Period)
	}
	if a.Binding == vault.DeviceBound {
		s += ", device-bound"
	}
	return s
}
