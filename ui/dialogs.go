package ui

import "slices"

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
