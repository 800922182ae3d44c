package ui

import "fyne.io/fyne/v2"

// onDropped reads the QR codes of image files dropped onto the window, many
// at once, and offers the accounts in the plan dialog; other apps' exports
// dropped (with images or not) are imported, in one preview. A drop while the plan
// dialog of an earlier scan is open adds to it, such as the next codes of a
// Google Authenticator transfer.
func (s *scanner) onDropped(_ fyne.Position, uris []fyne.URI) {
	if s.vault.current() == nil || len(uris) == 0 {
		return
	}
	if paths := exportFiles(uris); paths != nil {
		s.win.importFiles(paths)
		return
	}
	s.fill = nil // many accounts or one, they go to the plan dialog
	s.readFiles(uris, "")
}
