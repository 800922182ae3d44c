package ui

import (
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authdeck/vault"
)

// Timings of the window.
const (
	undoFor       = 8 * time.Second // how long a deletion can be undone
	noteFor       = 2 * time.Second // how long "Copied" stays
	nextCodeFrom  = 5 * time.Second // the next code shows in the last seconds
	statEvery     = 2               // ticks between looks at the vault file
	revealFor     = 15 * time.Second
	defaultWidth  = 420
	defaultHeight = 640
)

// mainWindow is Authdeck's one window: a search field and toolbar over the
// account tiles, with a status line for notes and undo.
type mainWindow struct {
	*frame // the window, its dialogs and the time, which screens share
	app    fyne.App
	sess   *session // the one way to the vault: its work runs off the UI goroutine

	v        *vault.Vault
	index    *vault.SearchIndex
	shown    []int // positions in v.Accounts of the tiles on screen, in order
	checking bool  // a look for changes by other processes is under way
	started  bool  // the vault opened once and the clock runs

	search  *searchEntry
	addBtn  *widget.Button
	menuBtn *widget.Button
	grid    *tileGrid
	tiles   []*tile // every tile the grid made; it rebinds them as it scrolls
	empty   fyne.CanvasObject
	noMatch *widget.Label
	problem *problemScreen
	body    *fyne.Container
	note    *widget.Label
	undoBtn *widget.Button
	status  *fyne.Container
	snack   *canvas.Rectangle // the status line's background

	// Around the tiles: the group chips over the grid, the icons drawn, and
	// the banner that says when the clock is off.
	tileArea fyne.CanvasObject
	groups   *groupChips
	icons    iconCache
	banner   *clockBanner

	clip      *clipboardGuard
	hotpCodes map[string]string    // the code each HOTP account showed last
	revealed  map[string]time.Time // with hidden codes: revealed until
	undo      func()
	undoTimer *time.Timer
	noteTimer *time.Timer

	drag     dragState
	addDlg   *addDialog   // the last add dialog opened
	prefsDlg *prefsDialog // the last preferences dialog opened
	editDlg  *editDialog  // the last edit dialog opened
	backups  *backupPanel // the backup button, its dialogs and the automatic backups
	syncs    *syncPanel   // the Sync menu, its dialogs, Recently deleted and the folder's watch

	lock      *locker    // the lock screen and what unlocks it
	link      string     // an otpauth link that waits for the vault to open
	idle      *idleTimer // locks the window after a while without input
	tray      *tray      // the icon in the system tray, where there is one
	clock     *clock
	ticks     int
	clockw    *clockWatch // when to check the clock, and the correction in force
	corr      vault.ClockCorrection
	busy      *widget.ProgressBarInfinite // shows while the session works long
	visible   bool
	themePref string
	themeSet  bool

	// scan reads accounts from QR codes ("image", "screen", "screen area" or
	// "camera") for the add dialog, and fills its form with a single account
	// found.
	scan    func(source string, d *addDialog)
	scanner *scanner // behind scan, and what is dropped onto the window
}

func newMainWindow(a fyne.App, dir string) *mainWindow {
	w := &mainWindow{
		frame:     &frame{now: time.Now},
		app:       a,
		hotpCodes: make(map[string]string),
		revealed:  make(map[string]time.Time),
		drag:      dragState{from: -1, to: -1},
	}
	w.notify = w.setNote
	w.sess = newSession(nil)
	w.sess.store = vault.NewStore(dir, vault.Options{
		Passphrase: w.sess.passphrase,
		// After every saved change, the automatic backup and this
		// computer's sync file (both debounced).
		AfterSave: func(v *vault.Vault) { w.backups.auto.Changed(v); w.syncs.saved(v) },
	})
	w.win = a.NewWindow("Authdeck")
	w.clip = newClipboardGuard(a, w.now)
	w.clock = newClock(func(t time.Time) { fyne.Do(func() { w.tick(t) }) })
	w.clock.now = func() time.Time { return w.codeTime(time.Now()) }
	w.clockw = newClockWatch(w)
	w.idle = newIdleTimer(func() time.Time { return w.now() }, w.lockNow)
	w.tray = newTray(w)
	w.scanner = newScanner(w.frame, w, w)
	w.scan = w.scanner.start
	return w
}

func (w *mainWindow) buildUI() {
	// The theme is set before any widget measures its text: setting it later,
	// once the vault says which one, makes Fyne parse every font again, which
	// leaves some 20 MB of garbage behind at start-up. A vault that keeps the
	// default changes nothing then.
	w.applyTheme("system")
	w.search = newSearchEntry(w)
	w.backups = newBackupPanel(w.frame, w.sess, w)
	w.syncs = newSyncPanel(w.frame, w.sess, w)
	w.addBtn = &widget.Button{Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: w.onAdd}
	w.menuBtn = &widget.Button{Icon: theme.MoreVerticalIcon(), Importance: widget.LowImportance}
	w.menuBtn.OnTapped = w.onMenu
	w.grid = newTileGrid(w)
	w.groups = newGroupChips(w)
	w.banner = newClockBanner(w)
	w.empty = w.buildEmpty()
	w.noMatch = &widget.Label{Text: "No account matches. Escape clears the search.", Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	w.problem = newProblemScreen(w.frame, w.sess, w.start, w.unlock)
	w.tileArea = container.NewBorder(w.groups.content, nil, nil, nil, w.grid)
	w.body = container.NewStack(w.tileArea, w.empty, w.noMatch, w.problem.content)
	w.note = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	w.undoBtn = &widget.Button{Text: "Undo", Icon: theme.ContentUndoIcon(), OnTapped: w.onUndo}
	w.undoBtn.Hide()
	// The status line floats over the bottom of the tiles, so that a note
	// does not push the tiles about.
	w.snack = &canvas.Rectangle{CornerRadius: theme.InputRadiusSize(), StrokeWidth: 1}
	w.status = container.NewPadded(container.NewStack(w.snack, container.NewBorder(nil, nil, nil, w.undoBtn, w.note)))
	w.status.Hide()
	w.busy = widget.NewProgressBarInfinite()
	w.busy.Stop()
	w.busy.Hide()
	w.sess.busy = w.setBusy
	w.lock = newLocker(w)

	top := container.NewBorder(nil, nil, nil, container.NewHBox(w.addBtn, w.backups.content, w.menuBtn), w.search)
	w.win.SetContent(container.NewBorder(container.NewVBox(top, w.busy, w.banner.content), nil, nil, nil,
		container.NewStack(w.body, container.NewBorder(nil, w.status, nil, nil), w.backups.tip)))
	w.win.Resize(fyne.NewSize(defaultWidth, defaultHeight))
	w.addShortcuts()
	w.win.SetOnDropped(w.scanner.onDropped)
	w.win.SetCloseIntercept(w.onClose) // to the tray, or quit
	w.app.Lifecycle().SetOnStopped(w.clip.clearNow)
}

// addShortcuts binds the window's keyboard shortcuts.
func (w *mainWindow) addShortcuts() {
	c := w.win.Canvas()
	ctrl := fyne.KeyModifierShortcutDefault
	bind := func(k fyne.KeyName, m fyne.KeyModifier, fn func()) {
		sc := &desktop.CustomShortcut{KeyName: k, Modifier: m}
		do := func(fyne.Shortcut) {
			w.idle.touch()
			if !w.lock.locked || k == fyne.KeyQ {
				fn()
			}
		}
		c.AddShortcut(sc, do)
		w.keys.AddShortcut(sc, do)
		w.shortcutKeys = append(w.shortcutKeys, sc)
	}
	bind(fyne.KeyL, ctrl, w.lockNow)
	bind(fyne.KeyF, ctrl, w.focusSearch)
	bind(fyne.KeyN, ctrl, w.onAdd)
	bind(fyne.KeyComma, ctrl, w.onPrefs)
	bind(fyne.KeyQ, ctrl, w.quit)
	bind(fyne.KeyZ, ctrl, w.onUndo)
	c.AddShortcut(&fyne.ShortcutUndo{}, func(fyne.Shortcut) { w.onUndo() })
	c.AddShortcut(&fyne.ShortcutPaste{}, func(fyne.Shortcut) { w.scanner.paste() }) // text fields paste for themselves
	c.SetOnTypedRune(func(r rune) {
		if w.lock.locked {
			w.lock.typed(r)
			return
		}
		// Typing anywhere searches.
		w.focusSearch()
		w.search.TypedRune(r)
	})
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		w.idle.touch()
		if w.lock.locked {
			if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
				w.lock.onUnlock()
			}
			return
		}
		switch ev.Name {
		case fyne.KeyEscape:
			// Escape closes the dialog on top, or clears the search.
			if w.dialogs.escape() {
				return
			}
			w.search.SetText("")
		case fyne.KeyDown, fyne.KeyTab:
			w.focusTile(0)
		case fyne.KeyReturn, fyne.KeyEnter:
			// Enter answers the dialog on top, such as "Delete?".
			w.dialogs.enter()
		}
	})
}

func (w *mainWindow) buildEmpty() fyne.CanvasObject {
	title := &widget.Label{Text: "Welcome to Authdeck", Alignment: fyne.TextAlignCenter, SizeName: theme.SizeNameSubHeadingText}
	text := &widget.Label{
		Text: "Authdeck keeps your two-factor codes. Add your first account: drop a screenshot of its QR code here, " +
			"paste the setup link (otpauth://…) a website shows beside the code, or type its secret key by hand.",
		Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord,
	}
	add := &widget.Button{Text: "Add an account", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: w.onAdd}
	restore := &widget.Button{Text: "Restore a backup…", Icon: theme.HistoryIcon(), OnTapped: func() { w.backups.onRestore() }}
	hint := &widget.Label{Text: "Ctrl+N adds an account at any time. Coming from another authenticator app? " +
		"Import its export from the menu.",
		Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	return container.NewPadded(container.NewVBox(layout.NewSpacer(), title, text,
		container.NewCenter(container.NewHBox(add, restore)), hint, layout.NewSpacer()))
}

// start loads the vault, or shows why it cannot; the clock starts once it
// opens.
func (w *mainWindow) start() { w.reload() }

// reload reads the vault again and shows it, or shows what went wrong.
func (w *mainWindow) reload() { w.sess.load("", w.loaded) }

// unlock opens a password-mode vault with the passphrase typed on the lock
// screen; the session forgets it once the key is unwrapped.
func (w *mainWindow) unlock(pass string) { w.sess.load(pass, w.loaded) }

// loaded shows the vault the session read, or why it could not.
func (w *mainWindow) loaded(v *vault.Vault, err error) {
	switch {
	case errors.Is(err, vault.ErrPassphraseNeeded):
		w.problem.askPassphrase("")
	case errors.Is(err, vault.ErrWrongPassphrase):
		w.problem.askPassphrase(inWords(err))
	case err != nil:
		w.problem.show(err)
	default:
		w.setVault(v)
		if !w.started {
			w.started, w.visible = true, true
			w.clock.start()
		}
		return
	}
	w.showBody(w.problem.content)
}

// setVault shows v: it rebuilds the search index and the tiles.
func (w *mainWindow) setVault(v *vault.Vault) {
	if w.lock.locked {
		return // a job that finished after the lock; unlocking loads again
	}
	w.v = v
	w.idle.set(autoLock(v.Prefs))
	w.tray.vaultShown(v)
	w.protectCapture(!v.Prefs.CaptureProtectionOff)
	w.applyTheme(v.Prefs.Theme)
	ix, err := vault.NewSearchIndex(v.Accounts)
	if err == nil {
		w.index = ix
	}
	w.filter()
	w.backups.refresh()
	w.syncs.watch(v)
	w.openWaitingLink()
}

// update changes the vault as one transaction, off the UI goroutine, and
// shows the result; then it calls done, if given, with nil or with the error,
// which it has already shown. The store starts the automatic backup of every
// change it saves.
func (w *mainWindow) update(change func(v *vault.Vault) error, done func(error)) {
	w.sess.update(change, func(v *vault.Vault, err error) {
		switch {
		case errors.Is(err, vault.ErrNoKeychain) && w.v != nil && w.v.Revision == 0:
			// The first save found no keychain: offer password mode.
			w.problem.offerPasswordMode(err, func() { w.update(change, nil) })
		case err != nil:
			w.showError(err)
		default:
			w.backups.saved(v)
			w.setVault(v)
		}
		if done != nil {
			done(err)
		}
	})
}

func (w *mainWindow) current() *vault.Vault { return w.v }

func (w *mainWindow) reloadIfChanged() { w.sess.reloadIfChanged(w.loaded) }

func (w *mainWindow) showAll() { w.search.SetText("") }

func (w *mainWindow) clipboardText() string { return w.app.Clipboard().Content() }

// setBusy shows or hides the sign that the session is at work.
func (w *mainWindow) setBusy(on bool) {
	if on {
		w.busy.Show()
		w.busy.Start()
	} else {
		w.busy.Stop()
		w.busy.Hide()
	}
}

// filter shows the accounts that match the search, or all of them.
func (w *mainWindow) filter() {
	if w.v == nil {
		return
	}
	q := w.search.Text
	w.shown = w.shown[:0]
	if q == "" || w.index == nil {
		for i := range w.v.Accounts {
			w.shown = append(w.shown, i)
		}
	} else {
		w.shown = append(w.shown, w.index.Search(q)...)
	}
	w.shown = w.groups.keep(w.shown)
	if q == "" {
		w.shown = pinFavorites(w.v.Accounts, w.shown)
	}
	switch {
	case len(w.v.Accounts) == 0:
		w.showBody(w.empty)
	case len(w.shown) == 0:
		w.showBody(w.noMatch)
	default:
		w.showBody(w.tileArea)
	}
	w.grid.reload()
}

func (w *mainWindow) showBody(o fyne.CanvasObject) {
	for _, c := range w.body.Objects {
		if c == o {
			c.Show()
		} else {
			c.Hide()
		}
	}
}

// account returns the account of the tile at shown position i.
func (w *mainWindow) account(i int) *vault.Account {
	if w.v == nil || i < 0 || i >= len(w.shown) || w.shown[i] >= len(w.v.Accounts) {
		return nil
	}
	return &w.v.Accounts[w.shown[i]]
}

// tick is the one clock of the window: once a second it updates the tiles on
// screen for the time t that codes are made for, and now and then it looks
// whether another process changed the vault and whether the clock is right.
func (w *mainWindow) tick(t time.Time) {
	w.ticks++
	w.clockw.tick()
	if w.ticks%statEvery == 0 && w.v != nil && !w.checking {
		w.checking = true
		w.sess.reloadIfChanged(func(v *vault.Vault, err error) {
			w.checking = false
			if !errors.Is(err, errUnchanged) {
				w.loaded(v, err)
			}
		})
	}
	if w.ticks%statusEvery == 0 {
		w.backups.refresh()
	}
	for _, tl := range w.tiles {
		if tl.Visible() { // the list keeps spare tiles hidden
			tl.tick(t)
		}
	}
}

// setVisible starts or stops the clock as the window is shown or hidden.
func (w *mainWindow) setVisible(visible bool) {
	if visible == w.visible {
		return
	}
	w.visible = visible
	if visible && !w.lock.locked {
		w.tick(w.codeTime(w.now()))
		w.clock.start()
	} else {
		w.clock.stop()
	}
}

// raise brings the window to the front, as a second start asks.
func (w *mainWindow) raise() {
	if w.tray.hidden {
		w.tray.hidden = false
		w.tray.refresh()
	}
	w.win.Show()
	w.win.RequestFocus()
	w.setVisible(true)
}

// quit closes the window once the automatic backup of the last change is
// written.
func (w *mainWindow) quit() {
	w.clock.stop()
	w.clip.clearNow()
	w.win.Hide()
	w.sess.run(func() { w.backups.flush(); w.syncs.flush() }, w.app.Quit)
}

func (w *mainWindow) focusSearch() {
	w.win.Canvas().Focus(w.search)
}

// focusTile focuses the tile at shown position i, scrolling to it.
func (w *mainWindow) focusTile(i int) {
	if i < 0 || i >= len(w.shown) {
		return
	}
	w.grid.scrollTo(i)
	for _, tl := range w.tiles {
		if tl.pos == i && tl.Visible() {
			w.win.Canvas().Focus(tl)
			return
		}
	}
}

// focusAccount focuses the tile of the account with the given ID, if shown.
func (w *mainWindow) focusAccount(id string) {
	for i, p := range w.shown {
		if w.v.Accounts[p].ID == id {
			w.focusTile(i)
			return
		}
	}
}

// onCopy copies the code of the tile at shown position i.
func (w *mainWindow) onCopy(i int) {
	a := w.account(i)
	if a == nil {
		return
	}
	var code string
	var err error
	if a.Type == vault.HOTP {
		code = w.hotpCodes[a.ID]
		if code == "" {
			w.setNote("Press “Next code” to make a code for " + a.Label())
			return
		}
	} else if code, err = a.Code(w.codeTime(w.now())); err != nil {
		w.showError(err)
		return
	}
	if w.v.Prefs.HideCodes {
		w.revealed[a.ID] = w.codeTime(w.now()).Add(revealFor)
		w.refreshTile(i)
	}
	w.clip.copy(code, clearDelay(w.v.Prefs))
	w.tray.copied(a.ID)
	w.setNote("Copied the code of " + a.Label())
}

// onNextHOTP consumes the next HOTP code of the tile at shown position i. The
// counter is saved before the code is shown.
func (w *mainWindow) onNextHOTP(i int) {
	a := w.account(i)
	if a == nil {
		return
	}
	id := a.ID
	var code string
	w.update(func(v *vault.Vault) (err error) {
		code, err = v.NextHOTP(id, w.now())
		return err
	}, func(err error) {
		if err == nil {
			w.hotpCodes[id] = code
			w.refreshAll()
		}
	})
}

// onMove moves the account at shown position from to shown position to, and
// saves the order at once. A favourite moves among the favourites, another
// account among the others.
func (w *mainWindow) onMove(from, to int) {
	to = w.keepPinned(from, to)
	a, b := w.account(from), w.account(to)
	if a == nil || b == nil || from == to {
		return
	}
	id, pos := a.ID, w.shown[to]
	w.update(func(v *vault.Vault) error { return v.Move(id, pos) }, func(err error) {
		if err == nil {
			w.focusAccount(id)
		}
	})
}

// onDeleted offers to undo the removal of a, which was at position pos.
func (w *mainWindow) onDeleted(a vault.Account, pos int) {
	w.setUndo("Deleted "+a.Label(), func() {
		w.update(func(v *vault.Vault) error {
			if v.Index(a.ID) < 0 {
				v.Insert(a, pos)
			}
			return nil
		}, nil)
	})
}

func (w *mainWindow) onUndo() {
	if w.undo == nil {
		return
	}
	undo := w.undo
	w.clearUndo()
	undo()
	w.setNote("Restored")
}

func (w *mainWindow) setUndo(text string, undo func()) {
	w.undo = undo
	w.note.SetText(text)
	w.undoBtn.Show()
	w.status.Show()
	if w.undoTimer != nil {
		w.undoTimer.Stop()
	}
	w.undoTimer = time.AfterFunc(undoFor, func() { fyne.Do(w.clearUndo) })
}

func (w *mainWindow) clearUndo() {
	w.undo = nil
	w.undoBtn.Hide()
	w.status.Hide()
}

// setNote shows a short note in the status line for a moment.
func (w *mainWindow) setNote(text string) {
	if w.undo != nil {
		return // the undo offer stays
	}
	w.note.SetText(text)
	w.status.Show()
	if w.noteTimer != nil {
		w.noteTimer.Stop()
	}
	w.noteTimer = time.AfterFunc(noteFor, func() {
		fyne.Do(func() {
			if w.undo == nil {
				w.status.Hide()
			}
		})
	})
}

func (w *mainWindow) refreshTile(i int) {
	for _, tl := range w.tiles {
		if tl.pos == i {
			tl.bind(i)
		}
	}
}

func (w *mainWindow) refreshAll() {
	for _, tl := range w.tiles {
		tl.bind(tl.pos)
	}
}

// clearDelay is how long a copied code stays on the clipboard; zero never clears.
func clearDelay(p vault.Prefs) time.Duration {
	switch {
	case p.ClipboardClearSeconds < 0:
		return 0
	case p.ClipboardClearSeconds == 0:
		return 30 * time.Second
	}
	return time.Duration(p.ClipboardClearSeconds) * time.Second
}
