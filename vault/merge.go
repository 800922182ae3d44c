package vault

import (
	"bytes"
	"errors"
	"fmt"
	"time"
)

// Disposition is what a merge does with one incoming account.
type Disposition int

// The dispositions of [Plan].
const (
	// New accounts are added.
	New Disposition = iota
	// Present accounts are already in the vault with the same secret, and skipped.
	Present
	// Conflict accounts have the issuer and name of a local account but another
	// secret. They refuse the merge unless the caller chooses otherwise.
	Conflict
	// Completes accounts give a needs-verification account its fresh secret.
	Completes
	// Invalid accounts cannot be used; Reason says why.
	Invalid
)

var dispositionNames = [...]string{"new", "already present", "conflict", "completes", "invalid"}

func (d Disposition) String() string { return dispositionNames[d] }

// PlanItem is one incoming account and what a merge does with it.
type PlanItem struct {
	Account     Account
	Disposition Disposition
	// Local is the ID of the vault account it matched, for Present, Conflict
	// and Completes.
	Local string
	// Reason says why an Invalid account cannot be used.
	Reason error
}

// Plan is what merging a set of incoming accounts into a vault would do. Every
// way of bringing accounts in (by hand, from a QR code, a restore, an import)
// makes one with [Vault.Plan], shows it, and carries it out with [Vault.Apply].
type Plan struct {
	Items []PlanItem
}

// Count returns how many items of the plan have disposition d.
func (p *Plan) Count(d Disposition) int {
	n := 0
	for _, it := range p.Items {
		if it.Disposition == d {
			n++
		}
	}
	return n
}

// Plan compares incoming accounts with the vault and says what a merge would
// do with each, without changing anything:
//   - an account whose secret the vault already has (for the same type) is Present;
//   - one with the issuer and name of a needs-verification account, and a
//     secret, Completes it;
//   - one with the issuer and name of another account, with another secret, is
//     a Conflict (a device-bound one without a secret is Present instead);
//   - one that fails [Account.Validate] is Invalid;
//   - anything else is New, or Present if an earlier incoming account is the same.
func (v *Vault) Plan(incoming []Account) Plan {
	var p Plan
	for _, in := range incoming {
		in.Normalize()
		it := PlanItem{Account: in, Disposition: New}
		if err := in.Validate(); err != nil {
			it.Disposition, it.Reason = Invalid, err
		} else if local := v.sameSecret(&in); local != nil {
			it.Disposition, it.Local = Present, local.ID
		} else if local := v.sameIdentity(&in); local != nil {
			switch {
			case local.NeedsVerification && !in.NeedsVerification:
				it.Disposition, it.Local = Completes, local.ID
			case in.NeedsVerification:
				it.Disposition, it.Local = Present, local.ID
			default:
				it.Disposition, it.Local = Conflict, local.ID
			}
		} else if p.repeats(&in) {
			it.Disposition = Present
		}
		p.Items = append(p.Items, it)
	}
	return p
}

func (v *Vault) sameSecret(in *Account) *Account {
	if len(in.Secret) == 0 {
		return nil
	}
	for i := range v.Accounts {
		a := &v.Accounts[i]
		if a.Type == in.Type && bytes.Equal(a.Secret, in.Secret) {
			return a
		}
	}
	return nil
}

func (v *Vault) sameIdentity(in *Account) *Account {
	for i := range v.Accounts {
		if v.Accounts[i].SameIdentity(in) {
			return &v.Accounts[i]
		}
	}
	return nil
}

// repeats reports whether an earlier incoming account in p is the same as in.
func (p *Plan) repeats(in *Account) bool {
	for _, it := range p.Items {
		if it.Disposition != New && it.Disposition != Completes {
			continue
		}
		if len(in.Secret) > 0 && it.Account.Type == in.Type && bytes.Equal(it.Account.Secret, in.Secret) ||
			len(in.Secret) == 0 && it.Account.SameIdentity(in) {
			return true
		}
	}
	return false
}

// Merge says what to do with a plan's conflicts.
type Merge int

// The choices for conflicts.
const (
	// RefuseConflicts applies nothing if the plan has any conflict.
	RefuseConflicts Merge = iota
	// SkipConflicts applies the rest of the plan and leaves the conflicts out.
	SkipConflicts
	// KeepBoth adds conflicting accounts beside the local ones.
	KeepBoth
)

// ErrConflicts is returned by [Vault.Apply] when a plan has conflicts and the
// caller chose [RefuseConflicts]. Nothing was changed.
var ErrConflicts = errors.New("accounts with the same issuer and name but another secret are already in the vault")

// ConflictError lists the conflicts that refused a merge.
type ConflictError struct {
	Items []PlanItem
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%d %s: %v", len(e.Items), plural(len(e.Items), "conflict", "conflicts"), ErrConflicts)
}

func (e *ConflictError) Unwrap() error { return ErrConflicts }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Apply carries out a plan made by [Vault.Plan] on the same vault: it adds the
// new accounts at the end, in order, completes needs-verification accounts,
// and never overwrites or deletes an account. It returns the IDs of the
// accounts it added or completed. With [RefuseConflicts] and any conflict in
// the plan it changes nothing and returns a [*ConflictError].
func (v *Vault) Apply(p Plan, m Merge, now time.Time) ([]string, error) {
	if m == RefuseConflicts {
		var conflicts []PlanItem
		for _, it := range p.Items {
			if it.Disposition == Conflict {
				conflicts = append(conflicts, it)
			}
		}
		if len(conflicts) > 0 {
			return nil, &ConflictError{Items: conflicts}
		}
	}
	var changed []string
	for _, it := range p.Items {
		a := it.Account
		switch {
		case it.Disposition == New, it.Disposition == Conflict && m == KeepBoth:
			a.ID = NewID()
			a.Created, a.Updated = now, now
			v.Accounts = append(v.Accounts, a)
			changed = append(changed, a.ID)
		case it.Disposition == Completes:
			local, err := v.Account(it.Local)
			if err != nil {
				return nil, err
			}
			local.Secret, local.Type, local.Algorithm = a.Secret, a.Type, a.Algorithm
			local.Digits, local.Period, local.Counter = a.Digits, a.Period, a.Counter
			local.NeedsVerification, local.Updated = false, now
			changed = append(changed, local.ID)
		}
	}
	return changed, nil
}
