package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// stackable is a dialog the window's stack can hold: Fyne's dialogs, and
// its file dialog.
type stackable interface {
	Hide()
	SetOnClosed(func())
}

// dialogStack is the dialogs open over the window, the newest on top. The
// one on top is what Escape closes and what Enter answers, wherever the
// focus is, a text field in it included.
type dialogStack struct {
	open []openDialog
}

type openDialog struct {
	d     stackable
	enter func()
}

// push puts d on top of the stack with enter, what Enter does in it (nil:
// nothing), and takes it off when it closes, however that happens; closed,
// if given, runs then as well.
func (s *dialogStack) push(d stackable, enter func(), closed func()) {
	s.remove(d)
	s.open = append(s.open, openDialog{d, enter})
	d.SetOnClosed(func() {
		s.remove(d)
		if closed != nil {
			closed()
		}
	})
}

// setEnter gives the dialog d its Enter action.
func (s *dialogStack) setEnter(d stackable, enter func()) {
	for i := range s.open {
		if s.open[i].d == d {
			s.open[i].enter = enter
		}
	}
}

func (s *dialogStack) remove(d stackable) {
	s.open = slices.DeleteFunc(s.open, func(o openDialog) bool { return o.d == d })
}

// top returns the dialog on top, or nil.
func (s *dialogStack) top() stackable {
	if len(s.open) == 0 {
		return nil
	}
	return s.open[len(s.open)-1].d
}

// escape closes the dialog on top and reports whether there was one.
func (s *dialogStack) escape() bool {
	if len(s.open) == 0 {
		return false
	}
	top := s.open[len(s.open)-1]
	s.remove(top.d) // closing it may open another, which then is on top
	top.d.Hide()
	return true
}

// enter runs the Enter action of the dialog on top and reports whether it
// had one.
func (s *dialogStack) enter() bool {
	if len(s.open) == 0 || s.open[len(s.open)-1].enter == nil {
		return false
	}
	s.open[len(s.open)-1].enter()
	return true
}

// entry is the window's text field. Keys that belong to the window work while
// it has focus: Escape closes the dialog it is in, Enter answers that dialog
// where the field has no action of its own, and the window's shortcuts
// (Ctrl+N, Ctrl+F, Ctrl+, and Ctrl+Q) reach the window.
type entry struct {
	widget.Entry
	w *mainWindow
}

// entryOptions are the settings of a new [entry].
type entryOptions struct {
	Text, PlaceHolder string
	Password          bool
	OnChanged         func(string)
}

// newEntry returns a text field of the window.
func (w *mainWindow) newEntry(o entryOptions) *entry {
	f := &entry{w: w}
	f.Text, f.PlaceHolder, f.Password, f.OnChanged = o.Text, o.PlaceHolder, o.Password, o.OnChanged
	f.ExtendBaseWidget(f)
	return f
}

func (e *entry) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		if e.w.dialogs.escape() {
			return
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if e.OnSubmitted == nil && !e.MultiLine && e.w.dialogs.enter() {
			return
		}
	}
	e.Entry.TypedKey(ev)
}

func (e *entry) TypedShortcut(sc fyne.Shortcut) {
	if cs, ok := sc.(*desktop.CustomShortcut); ok && e.w.hasShortcut(cs) {
		e.w.keys.TypedShortcut(sc)
		return
	}
	e.Entry.TypedShortcut(sc)
}

// hasShortcut reports whether sc is one of the window's own shortcuts.
func (w *mainWindow) hasShortcut(sc *desktop.CustomShortcut) bool {
	for _, k := range w.shortcutKeys {
		if k.KeyName == sc.KeyName && k.Modifier == sc.Modifier {
			return true
		}
	}
	return false
}
