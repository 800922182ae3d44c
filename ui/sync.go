package ui

import (
	"fmt"
	"path/filepath"
	"strings"
	gosync "sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/fsnotify/fsnotify"

	authsync "authdeck/sync"
	"authdeck/vault"
)

// Delays of the sync: how long after a saved change this computer's file is
// written (a burst of changes makes one write), and how long after a file
// lands in the folder it is merged (an engine writes a file in several
// steps). A change on another computer shows here within 2 s of its file
// landing.
const (
	syncWriteQuiet = time.Second
	syncMergeQuiet = 300 * time.Millisecond
)

// syncPanel is the window's part for sync: the Sync menu with its status,
// the dialogs that set up, join and stop a sync, Recently deleted, the
// writer of this computer's file that every saved change feeds, and the
// watch on the synced folder.
type syncPanel struct {
	f     *frame
	sess  *session
	vault vaultView

	status authsync.Status
	// workFactor is the scrypt cost of a new sync passphrase; zero means
	// age's default. Tests lower it.
	workFactor int

	mu         gosync.Mutex
	pending    *vault.Vault // the vault to write, after the quiet period
	writeTimer *time.Timer
	mergeTimer *time.Timer

	watcher *fsnotify.Watcher
	watched string // the folder watched, "" for none
	// landed is called, on the watch's goroutine, when a file lands in the
	// folder; it merges soon. Tests watch it.
	landed func()

	joinDlg  *syncDialog  // the last setup or join dialog opened
	trashDlg *trashDialog // the last Recently deleted opened
}

func newSyncPanel(f *frame, sess *session, vault vaultView) *syncPanel {
	s := &syncPanel{f: f, sess: sess, vault: vault}
	s.landed = s.soon
	return s
}

// saved tells the panel that v was just saved, on the session's worker:
// this computer's file is written once no change came for the quiet period.
func (s *syncPanel) saved(v *vault.Vault) {
	if !v.Sync.On() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = v
	if s.writeTimer != nil {
		s.writeTimer.Stop()
	}
	s.writeTimer = time.AfterFunc(syncWriteQuiet, func() { s.sess.run(s.flush, nil) })
}

// flush writes the pending file now, if there is one, as on quit. It runs
// on the session's worker.
func (s *syncPanel) flush() {
	s.mu.Lock()
	v := s.pending
	s.pending = nil
	s.mu.Unlock()
	if v == nil {
		return
	}
	if err := authsync.Write(s.sess.store, v, s.f.now()); err != nil {
		fyne.Do(func() { s.f.notify("Sync: writing this computer's file failed: " + inWords(err)) })
	}
}

// watch follows v's sync folder: it merges it now, and again whenever a
// file lands in it. It runs on the UI goroutine whenever the window shows a
// vault.
func (s *syncPanel) watch(v *vault.Vault) {
	dir := ""
	if v.Sync.On() {
		dir = v.Sync.Dir
	}
	if dir == s.watched {
		return
	}
	if s.watcher != nil {
		s.watcher.Close()
		s.watcher = nil
	}
	s.watched = dir
	if dir == "" {
		return
	}
	own := authsync.FileName(v.Device)
	if wt, err := fsnotify.NewWatcher(); err == nil && wt.Add(dir) == nil {
		s.watcher = wt
		landed := s.landed
		go func() {
			for ev := range wt.Events {
				if name := filepath.Base(ev.Name); strings.HasPrefix(name, "authdeck-sync-") && name != own && name != authsync.KeyFileName {
					landed()
				}
			}
		}()
		go func() {
			for range wt.Errors {
			}
		}()
	} else {
		s.f.notify("Sync: cannot watch " + dir + "; changes from other computers come in with Sync now")
	}
	s.landed()
}

// soon merges the folder once no file landed for a moment.
func (s *syncPanel) soon() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mergeTimer != nil {
		s.mergeTimer.Stop()
	}
	s.mergeTimer = time.AfterFunc(syncMergeQuiet, func() { s.merge(false) })
}

// merge merges the synced folder and shows the result; loud says so even
// when nothing changed.
func (s *syncPanel) merge(loud bool) {
	var res authsync.Result
	var err error
	var st authsync.Status
	s.sess.run(func() {
		res, err = authsync.Now(s.sess.store, s.f.now())
		if v, lerr := s.sess.store.Load(); lerr == nil {
			st = authsync.ReadStatus(s.sess.store, v)
		}
	}, func() {
		s.status = st
		if err != nil {
			s.f.notify("Sync failed: " + inWords(err))
			return
		}
		s.vault.reloadIfChanged()
		if note := syncNote(res); note != "" || loud {
			s.f.notify(strings.TrimSpace("Synced. " + note))
		}
	})
}

// syncNote says in a line what a merge did, or "" if nothing.
func syncNote(res authsync.Result) string {
	var parts []string
	r := res.Report
	for _, p := range []struct {
		n    int
		word string
	}{{r.Added, "added"}, {r.Changed, "changed"}, {r.Deleted, "moved to Recently deleted"}, {r.Restored, "restored"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.word))
		}
	}
	if len(r.Conflicts) > 0 {
		parts = append(parts, fmt.Sprintf("kept both secrets of %s", strings.Join(r.Conflicts, ", ")))
	}
	if len(res.Rejected) > 0 {
		parts = append(parts, fmt.Sprintf("%s rejected: not written by a computer of this sync", count(len(res.Rejected), "file", "files")))
	}
	if len(parts) == 0 {
		return ""
	}
	return capitalize(strings.Join(parts, "; ")) + "."
}

// summary is the sync's status in a few words, for the menu.
func (s *syncPanel) summary() string {
	switch v, st := s.vault.current(), s.status; {
	case v == nil || !v.Sync.On():
		return "Sync is off"
	case len(st.Rejected) > 0:
		return fmt.Sprintf("Syncing; %s rejected", count(len(st.Rejected), "file", "files"))
	case st.WriteError != "":
		return "Syncing; the last write failed"
	case len(st.Peers) == 0:
		return "Syncing; no other computer yet"
	default:
		return fmt.Sprintf("Syncing with %s", count(len(st.Peers), "other computer", "other computers"))
	}
}

// menu is the Sync menu: the status, then what one can do.
func (s *syncPanel) menu() *fyne.Menu {
	v := s.vault.current()
	off := v == nil
	on := !off && v.Sync.On()
	items := []*fyne.MenuItem{{Label: s.summary(), Action: s.onStatus, Disabled: !on}, fyne.NewMenuItemSeparator()}
	if on {
		items = append(items,
			&fyne.MenuItem{Label: "Sync now", Action: func() { s.merge(true) }},
			&fyne.MenuItem{Label: "Stop syncing…", Action: s.onOff})
	} else {
		items = append(items,
			&fyne.MenuItem{Label: "Set up sync…", Action: func() { s.showDialog(true) }, Disabled: off},
			&fyne.MenuItem{Label: "Join a sync…", Action: func() { s.showDialog(false) }, Disabled: off})
	}
	items = append(items, fyne.NewMenuItemSeparator(), &fyne.MenuItem{Label: "Recently deleted…", Action: s.showTrash, Disabled: off})
	return fyne.NewMenu("", items...)
}

// onStatus lists the computers of the sync and any file rejected.
func (s *syncPanel) onStatus() {
	st := s.status
	lines := []string{"Folder: " + st.Dir}
	for _, p := range st.Peers {
		lines = append(lines, fmt.Sprintf("%s: last wrote %s", p.Device.Name, when(p.Written, s.f.now())))
	}
	var warn []string
	for _, r := range st.Rejected {
		warn = append(warn, fmt.Sprintf("Rejected %s: %s. It changed nothing.", r.File, r.Reason))
	}
	if st.WriteError != "" {
		warn = append(warn, "The last write failed: "+st.WriteError)
	}
	s.f.showInfo("Sync", strings.Join(lines, "\n"), strings.Join(warn, "\n"))
}

func (s *syncPanel) onOff() {
	d := dialog.NewConfirm("Stop syncing",
		"This computer stops writing and reading the sync folder. Its accounts stay here, and the folder keeps every computer's file.",
		func(ok bool) {
			if !ok {
				return
			}
			var err error
			s.sess.run(func() { err = authsync.Off(s.sess.store) }, func() {
				if err != nil {
					s.f.showError(err)
					return
				}
				s.vault.reloadIfChanged()
				s.f.notify("Sync is off")
			})
		}, s.f.win)
	s.f.showDialog(d, 440)
}

// syncDialog sets up a new sync (a folder and a new passphrase, twice) or
// joins one (the folder and its passphrase).
type syncDialog struct {
	s     *syncPanel
	setup bool
	dir   string

	folder      *widget.Label
	pass, again *entry
	message     *widget.Label
	okBtn       *widget.Button
	progress    *widget.ProgressBarInfinite
	dlg         *dialog.CustomDialog
}

func (s *syncPanel) showDialog(setup bool) {
	d := &syncDialog{s: s, setup: setup}
	title, text, ok := "Join a sync",
		"Choose the sync folder as it arrived on this computer, and type the sync passphrase set on the first one. Accounts on both computers are merged; none is lost.", "Join"
	if setup {
		title, text, ok = "Set up sync",
			"Choose a folder that a sync service you use keeps in step between your computers (Syncthing, Nextcloud, Dropbox, OneDrive, iCloud Drive...). "+
				"Each computer writes its own encrypted file there. The passphrase lets your other computers join: nobody can recover it.", "Set up"
	}
	d.folder = &widget.Label{Text: "none chosen", Wrapping: fyne.TextWrapBreak}
	choose := &widget.Button{Text: "Choose…", Icon: theme.FolderOpenIcon(), OnTapped: func() {
		s.f.openFolder("Sync folder", func(path string) { d.dir = path; d.folder.SetText(path); d.onChanged() })
	}}
	d.pass = s.f.newEntry(entryOptions{Password: true, PlaceHolder: "sync passphrase", OnChanged: func(string) { d.onChanged() }})
	d.again = s.f.newEntry(entryOptions{Password: true, PlaceHolder: "the same again", OnChanged: func(string) { d.onChanged() }})
	d.message = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	d.message.Hide()
	d.progress = widget.NewProgressBarInfinite()
	d.progress.Stop()
	d.progress.Hide()
	d.okBtn = &widget.Button{Text: ok, Importance: widget.HighImportance, OnTapped: d.onOK}
	cancel := &widget.Button{Text: "Cancel", OnTapped: func() { d.dlg.Hide() }}
	form := widget.NewForm(widget.NewFormItem("Folder", container.NewBorder(nil, nil, nil, choose, d.folder)), widget.NewFormItem("Passphrase", d.pass))
	if setup {
		form.Append("Again", d.again)
	}
	d.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(&widget.Label{Text: text, Wrapping: fyne.TextWrapWord}, form, d.message, d.progress), s.f.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, d.okBtn})
	d.onChanged()
	s.f.showDialog(d.dlg, 480)
	s.joinDlg = d
}

func (d *syncDialog) onChanged() {
	ok := d.dir != "" && d.pass.Text != ""
	if d.setup {
		ok = ok && len([]rune(d.pass.Text)) >= minPassphrase && d.pass.Text == d.again.Text
	}
	if ok {
		d.okBtn.Enable()
	} else {
		d.okBtn.Disable()
	}
}

// onOK sets up or joins (scrypt takes a moment, on the session's worker).
func (d *syncDialog) onOK() {
	s, dir, pass := d.s, d.dir, d.pass.Text
	d.okBtn.Disable()
	d.progress.Show()
	d.progress.Start()
	var res authsync.Result
	var err error
	s.sess.run(func() {
		if d.setup {
			err = authsync.Setup(s.sess.store, dir, pass, s.workFactor, s.f.now())
		} else {
			res, err = authsync.Join(s.sess.store, dir, pass, s.f.now())
		}
	}, func() {
		d.progress.Stop()
		d.progress.Hide()
		if err != nil {
			d.message.SetText(capitalize(inWords(err)) + ". Nothing was changed.")
			d.message.Show()
			d.onChanged()
			return
		}
		d.pass.SetText("")
		d.again.SetText("")
		d.dlg.Hide()
		s.vault.reloadIfChanged()
		s.f.notify(strings.TrimSpace("Sync is on. " + syncNote(res)))
	})
}

// trashDialog is Recently deleted: the accounts deleted in the last 30 days,
// each with a button that brings it back.
type trashDialog struct {
	restore []*widget.Button
	dlg     dialog.Dialog
}

func (s *syncPanel) showTrash() {
	v := s.vault.current()
	d := &trashDialog{}
	rows := container.NewVBox()
	for _, del := range v.Trash {
		id := del.Account.ID
		label := del.Account.Label()
		note := "deleted " + when(del.Time, s.f.now())
		if del.DuplicateOf != "" {
			note = "merged into another account with the same secret"
		}
		btn := &widget.Button{Text: "Restore", Icon: theme.ContentUndoIcon()}
		btn.OnTapped = func() {
			s.vault.update(func(v *vault.Vault) error { return v.Restore(id) }, func(err error) {
				if err == nil {
					btn.Disable()
					s.f.notify("Restored " + label)
				}
			})
		}
		d.restore = append(d.restore, btn)
		rows.Add(container.NewBorder(nil, nil, nil, btn, &widget.Label{Text: label + " — " + note, Truncation: fyne.TextTruncateEllipsis}))
	}
	var content fyne.CanvasObject = &widget.Label{Text: "Nothing was deleted in the last 30 days."}
	if len(v.Trash) > 0 {
		scroll := container.NewVScroll(rows)
		scroll.SetMinSize(fyne.NewSize(0, min(float32(len(v.Trash))*44, 300)))
		content = container.NewVBox(&widget.Label{Text: "Deleted accounts are kept for 30 days, on every computer of a sync.", Wrapping: fyne.TextWrapWord}, scroll)
	}
	d.dlg = dialog.NewCustom("Recently deleted", "Close", content, s.f.win)
	s.f.showDialog(d.dlg, 480)
	s.trashDlg = d
}
