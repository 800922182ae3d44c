package vault

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
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
//
// It looks accounts up by secret and by issuer and name in maps, so its cost
// grows with the number of accounts, not with their product.
func (v *Vault) Plan(incoming []Account) Plan {
	local := newAccountIndex(len(v.Accounts))
	for i := range v.Accounts {
		local.add(&v.Accounts[i])
	}
	planned := newAccountIndex(len(incoming)) // the New and Completes items so far
	p := Plan{Items: make([]PlanItem, 0, len(incoming))}
	for _, in := range incoming {
		in.Normalize()
		it := PlanItem{Account: in, Disposition: New}
		if err := in.Validate(); err != nil {
			it.Disposition, it.Reason = Invalid, err
		} else if l := local.bySecret(&in); l != nil {
			it.Disposition, it.Local = Present, l.ID
		} else if l := local.byIdentity(&in); l != nil {
			switch {
			case l.NeedsVerification && !in.NeedsVerification:
				it.Disposition, it.Local = Completes, l.ID
			case in.NeedsVerification:
				it.Disposition, it.Local = Present, l.ID
			default:
				it.Disposition, it.Local = Conflict, l.ID
			}
		} else if len(in.Secret) > 0 && planned.bySecret(&in) != nil ||
			len(in.Secret) == 0 && planned.byIdentity(&in) != nil {
			it.Disposition = Present
		}
		p.Items = append(p.Items, it)
		if d := p.Items[len(p.Items)-1].Disposition; d == New || d == Completes {
			planned.add(&p.Items[len(p.Items)-1].Account)
		}
	}
	return p
}

// accountIndex finds the first of a set of accounts with a given type and
// secret, or with a given issuer and name as [Account.SameIdentity] compares
// them.
type accountIndex struct {
	secrets    map[string]*Account
	identities map[string]*Account
}

func newAccountIndex(n int) accountIndex {
	return accountIndex{make(map[string]*Account, n), make(map[string]*Account, n)}
}

// add indexes a; an account added earlier with the same key stays the one found.
func (x accountIndex) add(a *Account) {
	if len(a.Secret) > 0 {
		if k := secretKey(a); x.secrets[k] == nil {
			x.secrets[k] = a
		}
	}
	if k := identityKey(a); x.identities[k] == nil {
		x.identities[k] = a
	}
}

func (x accountIndex) bySecret(a *Account) *Account {
	if len(a.Secret) == 0 {
		return nil
	}
	return x.secrets[secretKey(a)]
}

func (x accountIndex) byIdentity(a *Account) *Account { return x.identities[identityKey(a)] }

func secretKey(a *Account) string { return string(a.Type) + "\x00" + string(a.Secret) }

// identityKey folds issuer and name so that two accounts have the same key
// exactly when [Account.SameIdentity] holds: each rune becomes the smallest
// rune of its Unicode case-folding orbit, as strings.EqualFold compares them.
func identityKey(a *Account) string {
	return foldKey(strings.TrimSpace(a.Issuer)) + "\x00" + foldKey(strings.TrimSpace(a.Name))
}

func foldKey(s string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, s)
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
	pos := make(map[string]int, len(v.Accounts))
	for i := range v.Accounts {
		pos[v.Accounts[i].ID] = i
	}
	for _, it := range p.Items {
		a := it.Account
		switch {
		case it.Disposition == New, it.Disposition == Conflict && m == KeepBoth:
			a.ID = NewID()
			a.Created, a.Updated = now, now
			v.Accounts = append(v.Accounts, a)
			changed = append(changed, a.ID)
		case it.Disposition == Completes:
			i, ok := pos[it.Local]
			if !ok {
				return nil, fmt.Errorf("%w with ID %q", ErrNoAccount, it.Local)
			}
			local := &v.Accounts[i]
			local.Secret, local.Type, local.Algorithm = a.Secret, a.Type, a.Algorithm
			local.Digits, local.Period, local.Counter = a.Digits, a.Period, a.Counter
			local.NeedsVerification, local.Updated = false, now
			changed = append(changed, local.ID)
		}
	}
	return changed, nil
}
