package vault

import (
	"fmt"
	"slices"
	"time"
)

// TrashKeep is how long a deleted account stays in Recently deleted.
const TrashKeep = 30 * 24 * time.Hour

// Deleted is an account in Recently deleted: restorable until [TrashKeep]
// after it was deleted.
type Deleted struct {
	Account Account   `json:"account"`
	Time    time.Time `json:"time"`
	// DuplicateOf is the ID of the account that a sync kept in its place,
	// when it found two accounts with one secret; empty for a deletion.
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

// TrashIndex returns the position in Recently deleted of the account with the
// given ID, or -1.
func (v *Vault) TrashIndex(id string) int {
	return slices.IndexFunc(v.Trash, func(d Deleted) bool { return d.Account.ID == id })
}

// Restore puts the account with the given ID back from Recently deleted, at
// the end of the tile order.
func (v *Vault) Restore(id string) error {
	i := v.TrashIndex(id)
	if i < 0 {
		return fmt.Errorf("%w with ID %q in Recently deleted", ErrNoAccount, id)
	}
	if v.Index(id) >= 0 {
		return fmt.Errorf("an account with ID %q is already in the vault", id)
	}
	v.Accounts = append(v.Accounts, v.Trash[i].Account)
	v.Trash = slices.Delete(v.Trash, i, i+1)
	return nil
}

// Settle brings the vault's bookkeeping up to date after a change, given the
// accounts it had before: accounts that the change removed go to Recently
// deleted, accounts that came back leave it, entries older than [TrashKeep]
// are dropped, and, while sync is on, every changed field gets a new
// [Stamp]. [Store.Update] calls it after every change.
func (v *Vault) Settle(before []Account, now time.Time) {
	after := make(map[string]bool, len(v.Accounts))
	for i := range v.Accounts {
		after[v.Accounts[i].ID] = true
	}
	v.Trash = slices.DeleteFunc(v.Trash, func(d Deleted) bool {
		return after[d.Account.ID] || now.Sub(d.Time) >= TrashKeep
	})
	for _, a := range before {
		if !after[a.ID] && v.TrashIndex(a.ID) < 0 {
			v.Trash = append(v.Trash, Deleted{Account: a, Time: now.UTC()})
		}
	}
	if v.Sync.On() {
		v.stampChanges(before, now)
	}
}
