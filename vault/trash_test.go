package vault

import (
	"slices"
	"testing"
	"time"
)

func TestSettleTrash(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a, b := Account{ID: "a", Name: "one", Secret: []byte("x")}, Account{ID: "b", Name: "two", Secret: []byte("y")}
	v := &Vault{Accounts: []Account{a, b}}

	before := slices.Clone(v.Accounts)
	v.Remove("a")
	v.Settle(before, now)
	if len(v.Trash) != 1 || v.Trash[0].Account.ID != "a" || !v.Trash[0].Time.Equal(now) {
		t.Fatalf("a removed account is not in Recently deleted: %+v", v.Trash)
	}

	// A move is no deletion.
	before = slices.Clone(v.Accounts)
	v.Move("b", 0)
	v.Settle(before, now)
	if len(v.Trash) != 1 {
		t.Errorf("a move changed Recently deleted: %+v", v.Trash)
	}

	// An undo (the account put back) takes it out of Recently deleted.
	before = slices.Clone(v.Accounts)
	v.Insert(a, 0)
	v.Settle(before, now)
	if len(v.Trash) != 0 {
		t.Errorf("an account put back stays in Recently deleted: %+v", v.Trash)
	}

	// Restore, and the 30 days.
	before = slices.Clone(v.Accounts)
	v.Remove("a")
	v.Settle(before, now)
	if err := v.Restore("a"); err != nil || v.Index("a") < 0 {
		t.Fatalf("restore: %v", err)
	}
	if err := v.Restore("a"); err == nil {
		t.Error("a second restore of one account succeeded")
	}
	before = slices.Clone(v.Accounts)
	v.Remove("a")
	v.Settle(before, now)
	v.Settle(v.Accounts, now.Add(TrashKeep-time.Second))
	if len(v.Trash) != 1 {
		t.Error("an account left Recently deleted before 30 days")
	}
	v.Settle(v.Accounts, now.Add(TrashKeep))
	if len(v.Trash) != 0 {
		t.Error("an account stays in Recently deleted after 30 days")
	}
}

func TestStamps(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s1 := NextStamp(Stamp{}, "a", t0)
	s2 := NextStamp(s1, "a", t0.Add(-time.Hour)) // the clock went back
	s3 := NextStamp(s2, "b", t0.Add(time.Millisecond))
	if s1.Compare(s2) >= 0 || s2.Compare(s3) >= 0 {
		t.Errorf("stamps do not grow: %v %v %v", s1, s2, s3)
	}
	// A stamp seen from a computer whose clock is an hour ahead: the next
	// change here is stamped after it.
	ahead := NextStamp(Stamp{}, "z", t0.Add(time.Hour))
	next := NextStamp(Observe(s3, ahead), "a", t0.Add(time.Second))
	if next.Compare(ahead) <= 0 {
		t.Errorf("a change after seeing %v is stamped %v", ahead, next)
	}
	text, _ := next.MarshalText()
	var back Stamp
	if err := back.UnmarshalText(text); err != nil || back != next {
		t.Errorf("%s reads back as %v, %v", text, back, err)
	}
	for _, bad := range []string{"", "1", "1.x.a", "x.1.a", "1.99999999999.a"} {
		if err := back.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q reads as a stamp", bad)
		}
	}
}
