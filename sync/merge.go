package sync

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"time"

	"authdeck/vault"
)

// Report says what merging device files did to a vault.
type Report struct {
	// Added, Changed, Deleted and Restored count accounts that came in, had a
	// field changed, went to Recently deleted and came back from it.
	Added, Changed, Deleted, Restored int
	// Duplicates are accounts that another account with the same secret
	// replaced (they are in Recently deleted).
	Duplicates []string
	// Conflicts are accounts that had two secrets: both are kept, the second
	// as an account of its own.
	Conflicts []string
	// Invalid are accounts that could not be used, with the reason.
	Invalid []string
	// Devices say what each device's files did, in the order merged.
	Devices []DeviceReport
}

// DeviceReport is what the files of one device did in a merge: accounts
// that came in, had a field changed, went to Recently deleted and came back
// from it.
type DeviceReport struct {
	Device                            vault.Device
	Added, Changed, Deleted, Restored int
}

// Merge merges device files into v, a vault with sync on: every field takes
// the value with the latest stamp, HOTP counters the highest value, accounts
// deleted anywhere go to Recently deleted, accounts new to v come in through
// [vault.Vault.Plan] (an invalid one is left out and reported), two accounts
// with one secret become the one with the smaller ID, and an account given two
// secrets keeps both, the older as an account of its own. Merging the same
// files in any order, any number of times, gives the same vault.
func Merge(v *vault.Vault, files []*File, now time.Time) Report {
	m := merger{v: v, s: &v.Sync, now: now}
	if m.s.Accounts == nil {
		m.s.Accounts = make(map[string]map[string]vault.Register)
	}
	if m.s.Prefs == nil {
		m.s.Prefs = make(map[string]vault.Register)
	}
	order := v.SyncOrder()
	orderChanged := false
	for _, f := range files {
		if slices.Contains(m.s.Removed, f.Device.ID) {
			continue
		}
		for _, id := range f.Removed {
			if !slices.Contains(m.s.Removed, id) && id != v.Device.ID {
				m.s.Removed = append(m.s.Removed, id)
			}
		}
		was := m.report
		for i := range f.Accounts {
			m.entry(&f.Accounts[i])
		}
		m.bringIn() // before the next file, which may have the same accounts
		m.byDevice(f.Device, was)
		if m.value(&m.s.Order, f.Order, func(val json.RawMessage) []byte {
			var ids []string
			if json.Unmarshal(val, &ids) != nil {
				return nil
			}
			order = ids
			enc, _ := json.Marshal(ids)
			return enc
		}) {
			orderChanged = true
		}
		for key, val := range f.Prefs {
			r := m.s.Prefs[key]
			m.value(&r, val, func(val json.RawMessage) []byte {
				p := v.Prefs
				if ok, err := vault.SetPref(&p, key, val); !ok || err != nil {
					return nil
				}
				v.Prefs = p
				return vault.PrefValues(p)[key]
			})
			m.s.Prefs[key] = r
		}
	}
	m.dedupe()
	if orderChanged || m.report.Added > 0 || m.report.Restored > 0 {
		arrange(v, order)
	}
	return m.report
}

type merger struct {
	// alive and trash index v's accounts and Recently deleted by ID; nil
	// after a change that moved entries, until the next look-up.
	alive, trash map[string]int
	v            *vault.Vault
	s            *vault.Replica
	now          time.Time
	report       Report
	incoming     []vault.Account
	regs         map[string]map[string]vault.Register
	// sums keeps the digests of short values: most fields of most
	// accounts hold one of a few ("", false, 0, null).
	sums map[string]string
}

// sum is [vault.Sum] of val.
func (m *merger) sum(val []byte) string {
	if len(val) > 32 {
		return vault.Sum(val)
	}
	s, ok := m.sums[string(val)]
	if !ok {
		if m.sums == nil {
			m.sums = make(map[string]string)
		}
		s = vault.Sum(val)
		m.sums[string(val)] = s
	}
	return s
}

// byDevice adds what the report counts since was to what device d did.
func (m *merger) byDevice(d vault.Device, was Report) {
	r := &m.report
	i := slices.IndexFunc(r.Devices, func(dr DeviceReport) bool { return dr.Device.ID == d.ID })
	if i < 0 {
		r.Devices = append(r.Devices, DeviceReport{Device: d})
		i = len(r.Devices) - 1
	}
	dr := &r.Devices[i]
	dr.Added += r.Added - was.Added
	dr.Changed += r.Changed - was.Changed
	dr.Deleted += r.Deleted - was.Deleted
	dr.Restored += r.Restored - was.Restored
}

// value merges a remote value into register r if it is newer: set applies
// it and returns its local encoding (nil if it cannot be used).
func (m *merger) value(r *vault.Register, in Value, set func(json.RawMessage) []byte) bool {
	m.s.Clock = vault.Observe(m.s.Clock, in.Stamp)
	if !(vault.Register{Stamp: in.Stamp, Sum: m.sum(in.Value)}).Newer(*r) || in.Stamp.IsZero() {
		return false
	}
	enc := set(in.Value)
	if enc == nil {
		return false
	}
	*r = vault.Register{Stamp: in.Stamp, Sum: vault.Sum(enc)}
	return true
}

// lookup is [vault.Vault.SyncedAccount] through an index.
func (m *merger) lookup(id string) (*vault.Account, string) {
	if m.alive == nil {
		m.alive = make(map[string]int, len(m.v.Accounts))
		for i := range m.v.Accounts {
			m.alive[m.v.Accounts[i].ID] = i
		}
		m.trash = make(map[string]int, len(m.v.Trash))
		for i := range m.v.Trash {
			m.trash[m.v.Trash[i].Account.ID] = i
		}
	}
	if i, ok := m.alive[id]; ok {
		return &m.v.Accounts[i], vault.StateAlive
	}
	if _, ok := m.trash[id]; ok {
		return m.v.SyncedAccount(id)
	}
	return nil, vault.StateAlive
}

// moved drops the indexes after entries moved.
func (m *merger) moved() { m.alive, m.trash = nil, nil }

// entry merges one account of a device file.
func (m *merger) entry(e *Entry) {
	local, state := m.lookup(e.ID)
	rec := m.s.Accounts[e.ID]
	if local != nil && local.Binding == vault.DeviceBound {
		return // a device-bound account keeps its ID to itself
	}
	if local == nil {
		if rec != nil && !m.revived(e, rec) {
			for _, val := range e.Fields {
				if val.Value != nil {
					m.s.Clock = vault.Observe(m.s.Clock, val.Stamp)
				}
			}
			return
		}
		m.newAccount(e)
		return
	}
	if rec == nil {
		rec = make(map[string]vault.Register, len(vault.SyncFields))
		m.s.Accounts[e.ID] = rec
	}
	acc := *local
	newState := state
	changed := false
	for i, name := range vault.SyncFields {
		in := e.Fields[i]
		if in.Value == nil {
			continue
		}
		m.s.Clock = vault.Observe(m.s.Clock, in.Stamp)
		// A stamp is one change of one device, and travels with its value:
		// the same stamp is the same value, and an older one loses (but an
		// older secret is kept, and counters always take the highest).
		if c := in.Stamp.Compare(rec[name].Stamp); name != vault.FieldCounter && (c == 0 || c < 0 && name != vault.FieldOTP) {
			continue
		}
		// Device files encode values as the vault does, so equal digests
		// are equal values.
		theirs := vault.Register{Stamp: in.Stamp, Sum: m.sum(in.Value)}
		ours := rec[name]
		if theirs.Sum == ours.Sum {
			if theirs.Newer(ours) {
				rec[name] = theirs // the same value, stamped later elsewhere
			}
			continue
		}
		remote := acc
		rstate, err := vault.SetField(&remote, name, in.Value)
		if err != nil {
			continue
		}
		switch {
		case name == vault.FieldCounter:
			if remote.Counter > acc.Counter || theirs.Stamp.Compare(ours.Stamp) > 0 {
				acc.Counter = max(acc.Counter, remote.Counter)
				stamp := ours.Stamp
				if theirs.Stamp.Compare(stamp) > 0 {
					stamp = theirs.Stamp
				}
				next := vault.Register{Stamp: stamp, Sum: vault.Sum(vault.FieldValue(&acc, newState, name))}
				changed = changed || next != ours
				rec[name] = next
			}
			continue
		case !theirs.Newer(ours):
			if name == vault.FieldOTP {
				m.keepLoser(&remote, theirs, rec)
			}
			continue
		case name == vault.FieldOTP:
			m.keepLoser(&acc, ours, rec)
		}
		acc, changed = remote, true
		if name == vault.FieldDeleted {
			newState = rstate
		}
		rec[name] = theirs
	}
	if !changed {
		return
	}
	m.place(&acc, state, newState)
}

// revived reports whether an account dropped from Recently deleted here was
// brought back on another device later.
func (m *merger) revived(e *Entry, rec map[string]vault.Register) bool {
	in := e.Fields.field(vault.FieldDeleted)
	if in.Value == nil || !(vault.Register{Stamp: in.Stamp, Sum: m.sum(in.Value)}).Newer(rec[vault.FieldDeleted]) {
		return false
	}
	var state string
	return json.Unmarshal(in.Value, &state) == nil && state == vault.StateAlive
}

// newAccount takes in an account this vault has never had (or dropped
// long ago): a deleted one goes straight to Recently deleted, a live one
// waits for the plan of [merger.bringIn].
func (m *merger) newAccount(e *Entry) {
	a := vault.Account{ID: e.ID, Binding: vault.Portable}
	state := vault.StateAlive
	rec := make(map[string]vault.Register, len(e.Fields))
	for i, in := range e.Fields {
		if in.Value == nil {
			continue
		}
		name := vault.SyncFields[i]
		m.s.Clock = vault.Observe(m.s.Clock, in.Stamp)
		s, err := vault.SetField(&a, name, in.Value)
		if err != nil {
			m.report.Invalid = append(m.report.Invalid, e.ID+": "+err.Error())
			return
		}
		if name == vault.FieldDeleted {
			state = s
		}
		rec[name] = vault.Register{Stamp: in.Stamp, Sum: m.sum(in.Value)}
	}
	a.Updated = m.now
	if state != vault.StateAlive {
		if e.Fields.field(vault.FieldOTP).Value == nil {
			m.s.Accounts[e.ID] = rec // only the fact of a deletion
			return
		}
		a.Normalize()
		if err := a.Validate(); err != nil {
			m.report.Invalid = append(m.report.Invalid, a.Label()+": "+err.Error())
			return
		}
		m.v.Trash = append(m.v.Trash, vault.Deleted{Account: a, Time: m.now.UTC(), DuplicateOf: vault.DuplicateOfState(state)})
		m.moved()
		m.s.Accounts[e.ID] = rec
		return
	}
	if m.regs == nil {
		m.regs = make(map[string]map[string]vault.Register)
	}
	m.incoming = append(m.incoming, a)
	m.regs[a.ID] = rec
}

// bringIn adds the accounts new to the vault under the vault's one merge
// rule: the plan says which are invalid (left out); the others all come in
// with their IDs (on every device), and dedupe then makes one account of two
// with the same secret. A conflict (the issuer and name of another account,
// with another secret) keeps both.
func (m *merger) bringIn() {
	if len(m.incoming) == 0 {
		return
	}
	plan := m.v.Plan(m.incoming)
	m.v.Accounts = slices.Grow(m.v.Accounts, len(plan.Items))
	for _, it := range plan.Items {
		switch it.Disposition {
		case vault.Invalid:
			m.report.Invalid = append(m.report.Invalid, it.Account.Label()+": "+it.Reason.Error())
			continue
		case vault.Conflict:
			m.report.Conflicts = append(m.report.Conflicts, it.Account.Label())
		}
		a := it.Account
		m.v.Accounts = append(m.v.Accounts, a)
		m.moved()
		m.s.Accounts[a.ID] = m.regs[a.ID]
		m.report.Added++
	}
	m.incoming, m.regs = nil, nil
}

// keepLoser keeps the secret that lost to another for the same account as
// an account of its own, with an ID derived from both, so that every device
// that sees the two makes the same one. r is the register of the losing
// secret; the other fields keep the stamps of rec, the account's registers.
func (m *merger) keepLoser(a *vault.Account, r vault.Register, rec map[string]vault.Register) {
	if len(a.Secret) == 0 {
		return
	}
	h := sha256.Sum256(append([]byte(a.ID+"\x00"), a.Secret...))
	id := hex.EncodeToString(h[:12])
	if got, _ := m.lookup(id); got != nil || m.s.Accounts[id] != nil {
		return
	}
	c := *a
	c.ID, c.Updated = id, m.now
	regs := make(map[string]vault.Register, len(vault.SyncFields))
	for _, name := range vault.SyncFields {
		stamp := rec[name].Stamp
		if name == vault.FieldOTP {
			stamp = r.Stamp
		}
		regs[name] = vault.Register{Stamp: stamp, Sum: vault.Sum(vault.FieldValue(&c, vault.StateAlive, name))}
	}
	m.v.Accounts = append(m.v.Accounts, c)
	m.moved()
	m.s.Accounts[id] = regs
	m.report.Conflicts = append(m.report.Conflicts, c.Label())
	m.report.Added++
}

// place puts a merged account where its state says: in the vault or in
// Recently deleted.
func (m *merger) place(a *vault.Account, from, to string) {
	a.Updated = m.now
	if i := m.v.Index(a.ID); i >= 0 {
		if to == vault.StateAlive {
			m.v.Accounts[i] = *a
			m.report.Changed++
			return
		}
		m.moved()
		m.v.Accounts = slices.Delete(m.v.Accounts, i, i+1)
	}
	if i := m.v.TrashIndex(a.ID); i >= 0 {
		if to != vault.StateAlive {
			m.v.Trash[i].Account, m.v.Trash[i].DuplicateOf = *a, vault.DuplicateOfState(to)
			return
		}
		m.v.Trash = slices.Delete(m.v.Trash, i, i+1)
		m.moved()
	}
	m.moved()
	if to == vault.StateAlive {
		m.v.Accounts = append(m.v.Accounts, *a)
		m.report.Restored++
		return
	}
	m.v.Trash = append(m.v.Trash, vault.Deleted{Account: *a, Time: m.now.UTC(), DuplicateOf: vault.DuplicateOfState(to)})
	if from == vault.StateAlive && vault.DuplicateOfState(to) == "" {
		m.report.Deleted++
	}
}

// dedupe makes one account of every set of live portable accounts with the
// same secret: the one with the smallest ID stays, the others go to
// Recently deleted as its duplicates.
func (m *merger) dedupe() {
	keep := make(map[string]string) // type and secret -> ID kept
	for i := range m.v.Accounts {
		a := &m.v.Accounts[i]
		if a.Binding == vault.DeviceBound || len(a.Secret) == 0 {
			continue
		}
		k := string(a.Type) + "\x00" + string(a.Secret)
		if id, ok := keep[k]; !ok || a.ID < id {
			keep[k] = a.ID
		}
	}
	var dups []vault.Account
	for i := range m.v.Accounts {
		a := &m.v.Accounts[i]
		if a.Binding == vault.DeviceBound || len(a.Secret) == 0 {
			continue
		}
		if id := keep[string(a.Type)+"\x00"+string(a.Secret)]; id != a.ID {
			dups = append(dups, *a)
		}
	}
	for _, a := range dups {
		winner := keep[string(a.Type)+"\x00"+string(a.Secret)]
		state := vault.DuplicateState(winner)
		rec := m.s.Accounts[a.ID]
		if rec == nil {
			rec = make(map[string]vault.Register)
			m.s.Accounts[a.ID] = rec
		}
		m.s.Clock = vault.NextStamp(m.s.Clock, m.v.Device.ID, m.now)
		rec[vault.FieldDeleted] = vault.Register{Stamp: m.s.Clock, Sum: vault.Sum(vault.FieldValue(&a, state, vault.FieldDeleted))}
		w := m.v.Accounts[m.v.Index(winner)]
		if w.Type == vault.HOTP && a.Counter > w.Counter {
			w.Counter = a.Counter // a counter never goes back
			m.v.Accounts[m.v.Index(winner)] = w
		}
		m.place(&a, vault.StateAlive, state)
		m.report.Duplicates = append(m.report.Duplicates, a.Label())
	}
}

// arrange puts v's portable accounts in order: those named in order first,
// in that order, then the others by when they were made; device-bound
// accounts keep their places.
func arrange(v *vault.Vault, order []string) {
	pos := make(map[string]int, len(order))
	for i, id := range order {
		if _, ok := pos[id]; !ok {
			pos[id] = i
		}
	}
	var slots []int // the places of the portable accounts, in v.Accounts
	for i := range v.Accounts {
		if v.Accounts[i].Binding != vault.DeviceBound {
			slots = append(slots, i)
		}
	}
	rank := func(i int) (int, bool) {
		p, ok := pos[v.Accounts[i].ID]
		return p, ok
	}
	sorted := slices.Clone(slots)
	slices.SortStableFunc(sorted, func(i, j int) int {
		pa, oka := rank(i)
		pb, okb := rank(j)
		switch {
		case oka && okb:
			return cmp.Compare(pa, pb)
		case oka:
			return -1
		case okb:
			return 1
		}
		a, b := &v.Accounts[i], &v.Accounts[j]
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	portable := make([]vault.Account, len(sorted))
	for k, i := range sorted {
		portable[k] = v.Accounts[i]
	}
	for k, slot := range slots {
		v.Accounts[slot] = portable[k]
	}
}
