package sync

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"time"

	"authdeck/vault"
)

// Status is the state of a vault's sync, for `authdeck sync status` and the
// window's sync entry.
type Status struct {
	// On means sync is set up; Dir is the synced folder.
	On  bool
	Dir string
	// Device is this computer; LastWritten is when its file was last
	// written (zero: never), WriteError why the last write failed.
	Device      vault.Device
	LastWritten time.Time
	WriteError  string
	// Peers are the other devices whose files were merged.
	Peers []Peer
	// Rejected are the files of the last merge that were not merged, with
	// the reason, in words.
	Rejected []RejectedFile
	// LastMerge is when the folder was last merged.
	LastMerge time.Time
}

// Peer is another device in the sync.
type Peer struct {
	Device vault.Device
	// Written is when the device last wrote its file; Merged when this
	// device last merged it.
	Written, Merged time.Time
}

// RejectedFile is a file that a merge rejected.
type RejectedFile struct {
	File   string
	Reason string
}

// state is the sync status file in the vault folder. It holds no secret, and
// writing it does not change the vault.
type state struct {
	Device     string         `json:"device"`
	Written    *written       `json:"written,omitempty"`
	WriteError *failure       `json:"write_error,omitempty"`
	Peers      []peer         `json:"peers,omitempty"`
	Rejected   []RejectedFile `json:"rejected,omitempty"`
	LastMerge  time.Time      `json:"last_merge,omitzero"`
}

type written struct {
	Time     time.Time `json:"time"`
	Revision uint64    `json:"revision"`
	File     string    `json:"file"`
}

type failure struct {
	Time   time.Time `json:"time"`
	Detail string    `json:"detail"`
}

type peer struct {
	Device  vault.Device `json:"device"`
	Written time.Time    `json:"written"`
	Merged  time.Time    `json:"merged"`
	// File is the SHA-256 (hex) of the device's file last merged, and
	// Revision the revision of the vault that it was merged into.
	File     string `json:"file,omitempty"`
	Revision uint64 `json:"revision,omitempty"`
}

// mergedFiles returns the digests of the peers' files last merged into v:
// into this revision of it or an earlier one (a vault put back to an
// earlier revision merges them again).
func (st state) mergedFiles(v *vault.Vault) map[string]bool {
	merged := make(map[string]bool, len(st.Peers))
	for _, p := range st.Peers {
		if p.File != "" && p.Revision <= v.Revision {
			merged[p.File] = true
		}
	}
	return merged
}

// ReadStatus returns the sync status of v, the vault kept in store.
func ReadStatus(store *vault.Store, v *vault.Vault) Status {
	st := readState(store, v)
	s := Status{On: v.Sync.On(), Dir: v.Sync.Dir, Device: v.Device, Rejected: st.Rejected, LastMerge: st.LastMerge}
	if st.Written != nil {
		s.LastWritten = st.Written.Time
	}
	if st.WriteError != nil {
		s.WriteError = st.WriteError.Detail
	}
	for _, p := range st.Peers {
		s.Peers = append(s.Peers, Peer{Device: p.Device, Written: p.Written, Merged: p.Merged})
	}
	return s
}

func readState(store *vault.Store, v *vault.Vault) state {
	var st state
	data, err := os.ReadFile(filepath.Join(store.Dir(), statusName))
	if err != nil || json.Unmarshal(data, &st) != nil || st.Device != v.Device.ID {
		return state{Device: v.Device.ID}
	}
	return st
}

func writeState(store *vault.Store, st state) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return vault.WriteFileAtomic(filepath.Join(store.Dir(), statusName), append(data, '\n'))
}

func updateState(store *vault.Store, v *vault.Vault, change func(*state)) error {
	release, err := vault.Lock(filepath.Join(store.Dir(), lockName), 10*time.Second)
	if err != nil {
		return err
	}
	defer release()
	st := readState(store, v)
	change(&st)
	return writeState(store, st)
}

// recordMerge notes in the status file what a merge read.
func recordMerge(store *vault.Store, v *vault.Vault, res Result, files []*File, now time.Time) error {
	return updateState(store, v, func(st *state) {
		st.LastMerge = now.UTC()
		st.Rejected = nil
		for _, r := range res.Rejected {
			st.Rejected = append(st.Rejected, RejectedFile{File: r.File, Reason: reason(r.Reason)})
		}
		for _, f := range files {
			i := slices.IndexFunc(st.Peers, func(p peer) bool { return p.Device.ID == f.Device.ID })
			if i < 0 {
				st.Peers = append(st.Peers, peer{Device: f.Device})
				i = len(st.Peers) - 1
			}
			p := &st.Peers[i]
			p.Device.Name = f.Device.Name
			if f.Written.After(p.Written) {
				p.Written = f.Written
			}
			p.Merged = now.UTC()
			if f.digest != "" {
				p.File, p.Revision = f.digest, v.Revision
			}
		}
		st.Peers = slices.DeleteFunc(st.Peers, func(p peer) bool { return slices.Contains(v.Sync.Removed, p.Device.ID) })
	})
}

// reason says in words why a file was rejected.
func reason(err error) string {
	switch {
	case errors.Is(err, ErrForeign), errors.Is(err, ErrForged):
		return "not written by a device of this sync: " + err.Error()
	}
	return err.Error()
}
