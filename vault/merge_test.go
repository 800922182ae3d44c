package vault

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

func acct(issuer, name, secret string) Account {
	a := Account{Issuer: issuer, Name: name, Secret: []byte(secret)}
	a.Normalize()
	return a
}

func localVault() *Vault {
	v := &Vault{}
	for i, a := range []Account{
		acct("GitHub", "ann", "github-secret"),
		acct("Bank", "ann", "bank-secret"),
		{Issuer: "Work VPN", Name: "ann", Binding: DeviceBound, NeedsVerification: true},
	} {
		a.ID = string(rune('a' + i))
		a.Normalize()
		v.Accounts = append(v.Accounts, a)
	}
	return v
}

func dispositions(p Plan) []Disposition {
	var d []Disposition
	for _, it := range p.Items {
		d = append(d, it.Disposition)
	}
	return d
}

func TestPlanDispositions(t *testing.T) {
	v := localVault()
	restored := Account{Issuer: "work vpn", Name: "ANN", Binding: DeviceBound, NeedsVerification: true}
	fresh := acct("Work VPN", "ann", "new-device-secret")
	fresh.Binding = DeviceBound
	plan := v.Plan([]Account{
		acct("Mail", "ann", "mail-secret"),              // new
		acct("GitHub (old name)", "x", "github-secret"), // same secret: present
		acct("bank", "ANN", "another-secret"),           // same issuer and name: conflict
		fresh,                                           // completes the needs-verification account
		restored,                                        // a device-bound record without secret: present
		{Issuer: "Broken", Name: "x", Digits: 12, Secret: []byte("s")}, // invalid
		acct("Mail", "ann", "mail-secret"),                             // repeats the first: present
	})
	want := []Disposition{New, Present, Conflict, Completes, Present, Invalid, Present}
	if got := dispositions(plan); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if plan.Items[1].Local != "a" || plan.Items[2].Local != "b" || plan.Items[3].Local != "c" {
		t.Errorf("local IDs: %+v", plan.Items)
	}
	if plan.Items[5].Reason == nil {
		t.Error("an invalid item has no reason")
	}
}

func TestApplyRefusesConflictsAndChangesNothing(t *testing.T) {
	v := localVault()
	before := localVault()
	plan := v.Plan([]Account{acct("Mail", "ann", "m"), acct("Bank", "ann", "other")})
	_, err := v.Apply(plan, RefuseConflicts, time.Now())
	var cerr *ConflictError
	if !errors.Is(err, ErrConflicts) || !errors.As(err, &cerr) || len(cerr.Items) != 1 {
		t.Fatalf("got %v, want one conflict", err)
	}
	if !reflect.DeepEqual(v, before) {
		t.Error("a refused merge changed the vault")
	}
}

func TestApplyNeverOverwritesOrDeletes(t *testing.T) {
	now := time.Unix(1700000000, 0)
	for _, m := range []Merge{SkipConflicts, KeepBoth} {
		v := localVault()
		plan := v.Plan([]Account{acct("Mail", "ann", "m"), acct("Bank", "ann", "other"), acct("X", "dup", "github-secret")})
		changed, err := v.Apply(plan, m, now)
		if err != nil {
			t.Fatal(err)
		}
		wantLen := map[Merge]int{SkipConflicts: 4, KeepBoth: 5}[m]
		if len(v.Accounts) != wantLen || len(changed) != wantLen-3 {
			t.Fatalf("merge %d: %d accounts, %d changed", m, len(v.Accounts), len(changed))
		}
		for i, local := range localVault().Accounts {
			if !reflect.DeepEqual(v.Accounts[i], local) {
				t.Errorf("merge %d: local account %d changed: %+v", m, i, v.Accounts[i])
			}
		}
		added := v.Accounts[3]
		if added.ID == "" || !added.Created.Equal(now) || added.Name != "ann" || added.Issuer != "Mail" {
			t.Errorf("added account: %+v", added)
		}
	}
}

func TestApplyCompletesNeedsVerification(t *testing.T) {
	v := localVault()
	fresh := acct("Work VPN", "ann", "this-device-secret")
	plan := v.Plan([]Account{fresh})
	changed, err := v.Apply(plan, RefuseConflicts, time.Now())
	if err != nil || len(changed) != 1 || changed[0] != "c" {
		t.Fatalf("got %v, %v", changed, err)
	}
	got := v.Accounts[2]
	if got.NeedsVerification || string(got.Secret) != "this-device-secret" || got.Binding != DeviceBound || got.ID != "c" {
		t.Errorf("completed account: %+v", got)
	}
	if _, err := got.Code(time.Now()); err != nil {
		t.Errorf("a completed account has no code: %v", err)
	}
}

func TestMoveRemoveInsert(t *testing.T) {
	v := localVault()
	ids := func() string {
		s := ""
		for _, a := range v.Accounts {
			s += a.ID
		}
		return s
	}
	if err := v.Move("c", 0); err != nil || ids() != "cab" {
		t.Fatalf("move to front: %s, %v", ids(), err)
	}
	if err := v.Move("c", 99); err != nil || ids() != "abc" {
		t.Fatalf("move past the end: %s, %v", ids(), err)
	}
	a, err := v.Remove("b")
	if err != nil || ids() != "ac" {
		t.Fatalf("remove: %s, %v", ids(), err)
	}
	v.Insert(a, 1)
	if ids() != "abc" {
		t.Fatalf("undo: %s", ids())
	}
	if err := v.Move("zz", 0); !errors.Is(err, ErrNoAccount) {
		t.Errorf("moving an unknown account: %v", err)
	}
}

func TestMatch(t *testing.T) {
	v := &Vault{Accounts: []Account{acct("GitHub", "ann", "1"), acct("GitLab", "ann", "2"), acct("git", "bob", "3")}}
	tests := []struct {
		q    string
		want int
	}{{"github", 1}, {"GIT", 1}, {"gi", 3}, {"ann", 2}, {"gitlab:ann", 1}, {"nothing", 0}}
	for _, tt := range tests {
		if got := v.Match(tt.q); len(got) != tt.want {
			t.Errorf("%q: %d matches, want %d", tt.q, len(got), tt.want)
		}
	}
}

// referencePlan is the merge rule of DESIGN.md 5a spelled out one comparison
// at a time, as [Vault.Plan] did before it used maps: the specification that
// the fast plan must agree with.
func referencePlan(v *Vault, incoming []Account) []Disposition {
	var out []Disposition
	var kept []Account // the New and Completes accounts so far
	sameSecret := func(a, b *Account) bool {
		return len(b.Secret) > 0 && a.Type == b.Type && string(a.Secret) == string(b.Secret)
	}
	for _, in := range incoming {
		in.Normalize()
		d := New
		var bySecret, byName *Account
		for i := range v.Accounts {
			if bySecret == nil && sameSecret(&v.Accounts[i], &in) {
				bySecret = &v.Accounts[i]
			}
			if byName == nil && v.Accounts[i].SameIdentity(&in) {
				byName = &v.Accounts[i]
			}
		}
		switch {
		case in.Validate() != nil:
			d = Invalid
		case bySecret != nil:
			d = Present
		case byName != nil && byName.NeedsVerification && !in.NeedsVerification:
			d = Completes
		case byName != nil && in.NeedsVerification:
			d = Present
		case byName != nil:
			d = Conflict
		default:
			for i := range kept {
				if sameSecret(&kept[i], &in) || len(in.Secret) == 0 && kept[i].SameIdentity(&in) {
					d = Present
				}
			}
		}
		if d == New || d == Completes {
			kept = append(kept, in)
		}
		out = append(out, d)
	}
	return out
}

func TestPlanAgreesWithTheRuleOnRandomInput(t *testing.T) {
	// Few names and secrets, so that matches are common; names that differ
	// only by Unicode case folding (Kelvin sign, long s) must still match.
	issuers := []string{"GitHub", "github", "Bank", "BANK ", "Kelvin", "\u212aelvin", "Post", "po\u017ft", ""}
	names := []string{"ann", "ANN", "bob", ""}
	secrets := []string{"s1", "s2", "s3", ""}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	account := func() Account {
		a := Account{Issuer: pick(issuers), Name: pick(names), Secret: []byte(pick(secrets))}
		if rng.IntN(4) == 0 {
			a.Type = HOTP
		}
		if len(a.Secret) == 0 {
			a.Binding, a.NeedsVerification = DeviceBound, true
		}
		return a
	}
	for round := range 2000 {
		v := &Vault{}
		for i := range rng.IntN(6) {
			a := account()
			a.ID = string(rune('a' + i))
			a.Normalize()
			v.Accounts = append(v.Accounts, a)
		}
		incoming := make([]Account, rng.IntN(8))
		for i := range incoming {
			incoming[i] = account()
		}
		got, want := dispositions(v.Plan(incoming)), referencePlan(v, incoming)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: plan %v, rule %v\nvault %+v\nincoming %+v", round, got, want, v.Accounts, incoming)
		}
	}
}
