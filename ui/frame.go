package ui

import (
	"os"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"authdeck/vault"
)

// frame is what every screen of the window shares: the window its dialogs
// open over, the one dialog stack, text fields that pass the window's keys
// on, the status line's notes and the time. A screen gets the frame, the
// session and a view of the vault, never the window itself.
type frame struct {
	win     fyne.Window
	dialogs dialogStack // the dialogs open, which Escape closes and Enter answers
	// keys are the window's shortcuts, for text fields to pass on.
	keys         fyne.ShortcutHandler
	shortcutKeys []*desktop.CustomShortcut
	now          func() time.Time
	// notify shows a short note in the window's status line.
	notify func(text string)
}

// entry is the window's text field. Keys that belong to the window work while
// it has focus: Escape closes the dialog it is in, Enter answers that dialog
// where the field has no action of its own, and the window's shortcuts
// (Ctrl+N, Ctrl+F, Ctrl+, and Ctrl+Q) reach the window.
type entry struct {
	widget.Entry
	f *frame
}

// entryOptions are the settings of a new [entry].
type entryOptions struct {
	Text, PlaceHolder string
	Password          bool
	OnChanged         func(string)
}

// vaultView is what a screen needs of the vault the window shows. The
// window implements it; its changes go through the session, off the UI
// goroutine.
type vaultView interface {
	// current is the vault as the window shows it, nil until it opens.
	current() *vault.Vault
	// update changes the vault as one transaction, shows the result and
	// then gives done, if not nil, the error it has already shown, or nil.
	update(change func(*vault.Vault) error, done func(error))
	// reloadIfChanged reads the vault again if another process (the
	// command line, a sync) changed its file, and shows it.
	reloadIfChanged()
	// showAll clears the search, so that accounts just added show.
	showAll()
}

// newEntry returns a text field of the window.
func (f *frame) newEntry(o entryOptions) *entry {
	e := &entry{f: f}
	e.Text, e.PlaceHolder, e.Password, e.OnChanged = o.Text, o.PlaceHolder, o.Password, o.OnChanged
	e.ExtendBaseWidget(e)
	return e
}

func (e *entry) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		if e.f.dialogs.escape() {
			return
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if e.OnSubmitted == nil && !e.MultiLine && e.f.dialogs.enter() {
			return
		}
	}
	e.Entry.TypedKey(ev)
}

func (e *entry) TypedShortcut(sc fyne.Shortcut) {
	if cs, ok := sc.(*desktop.CustomShortcut); ok && e.f.hasShortcut(cs) {
		e.f.keys.TypedShortcut(sc)
		return
	}
	e.Entry.TypedShortcut(sc)
}

// hasShortcut reports whether sc is one of the window's own shortcuts.
func (f *frame) hasShortcut(sc *desktop.CustomShortcut) bool {
	for _, k := range f.shortcutKeys {
		if k.KeyName == sc.KeyName && k.Modifier == sc.Modifier {
			return true
		}
	}
	return false
}

// showDialog shows d over the window, at most width wide, on top of the
// dialog stack: Escape closes it. The caller may give it an Enter action
// with f.dialogs.setEnter.
func (f *frame) showDialog(d dialog.Dialog, width float32) {
	size := fyne.NewSize(min(width, f.win.Canvas().Size().Width), 0)
	d.Resize(size)
	d.Show()
	// Again, now that wrapped text knows its width and so its height.
	d.Resize(size)
	f.dialogs.push(d, nil, nil)
}

// showInfo tells the user something in a dialog with an OK button, one
// paragraph a string.
func (f *frame) showInfo(title string, paragraphs ...string) {
	paragraphs = slices.DeleteFunc(paragraphs, func(p string) bool { return p == "" })
	text := &widget.Label{Text: strings.Join(paragraphs, "\n\n"), Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustom(title, "OK", text, f.win)
	f.showDialog(d, 440)
	f.dialogs.setEnter(d, d.Hide)
}

// showResult closes the plan dialog p, whose plan was applied, and says what
// was done. (Closing a dialog closes the dialogs over it too.)
func (f *frame) showResult(p *planDialog, title string, paragraphs ...string) {
	p.done = true
	p.dlg.Hide()
	f.showInfo(title, paragraphs...)
}

// showFileDialog shows a file or folder chooser as large as the window.
func (f *frame) showFileDialog(d *dialog.FileDialog) {
	d.Show() // it can be resized once shown
	d.Resize(f.win.Canvas().Size())
}

// openFile asks for a file to read, titled title, and gives its path to
// open. Given extensions, it lists only files with them (and folders).
func (f *frame) openFile(title string, extensions []string, open func(path string)) {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			f.showError(err)
			return
		}
		if rc == nil {
			return // cancelled
		}
		path := rc.URI().Path()
		rc.Close()
		open(path)
	}, f.win)
	d.SetTitleText(title)
	if extensions != nil {
		d.SetFilter(storage.NewExtensionFileFilter(extensions))
	}
	f.showFileDialog(d)
}

// saveFile asks where to write a new file, titled title and suggesting name,
// and gives the path to save. Fyne's dialog asks before it replaces a file.
func (f *frame) saveFile(title, name string, save func(path string)) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			f.showError(err)
			return
		}
		if wc == nil {
			return // cancelled
		}
		// The dialog made the file, empty, for writing into it. Authdeck
		// writes its files its own way instead: atomically, and readable
		// only by the user.
		path := wc.URI().Path()
		wc.Close()
		if fi, err := os.Stat(path); err == nil && fi.Size() == 0 {
			os.Remove(path)
		}
		save(path)
	}, f.win)
	d.SetTitleText(title)
	d.SetFileName(name)
	f.showFileDialog(d)
}

// openFolder asks for a folder, titled title, and gives its path to open.
func (f *frame) openFolder(title string, open func(path string)) {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			f.showError(err)
			return
		}
		if dir != nil {
			open(dir.Path())
		}
	}, f.win)
	d.SetTitleText(title)
	d.SetConfirmText("Choose")
	f.showFileDialog(d)
}

// showError shows err in words in a dialog over the window.
func (f *frame) showError(err error) {
	showError(f.win, err)
}
