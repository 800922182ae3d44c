package ui

import (
	"errors"
	"strings"

	"authdeck/scan"
)

// fromClipboard names the clipboard as a source of QR codes.
const fromClipboard = "clipboard"

// paste reads what the clipboard holds, on Ctrl+V outside text fields and
// from the menu: the QR codes of an image (a screenshot copied with the
// desktop's tool), or else a setup link as text; then it offers what it
// found as a scan does.
func (s *scanner) paste() {
	s.reset()
	text := strings.TrimSpace(s.win.clipboardText())
	var texts []string
	var err error
	s.background("Reading the clipboard", func() {
		texts, err = s.clipboard()
	}, func() {
		switch {
		case err == nil:
			s.gather("the image on the clipboard", texts)
		case errors.Is(err, scan.ErrNoClipboardImage) && text != "":
			s.gather("the clipboard", []string{text})
		case errors.Is(err, scan.ErrNoClipboardImage):
			s.say("The clipboard holds neither an image of a QR code nor a setup link (otpauth://…). " +
				"Copy one, then press Ctrl+V again.\nNothing was changed.")
			return
		default:
			s.say(capitalize(fileProblem("the image on the clipboard", err)) + "\nNothing was changed.")
			return
		}
		s.offer(fromClipboard)
	})
}
