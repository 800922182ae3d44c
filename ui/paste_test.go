package ui

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"authdeck/scan"
)

// TestPaste reads the clipboard with Ctrl+V: an image's codes, else a
// setup link as text, else says that there is nothing to add.
func TestPaste(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	s := w.scanner
	c := w.win.Canvas()
	sc, ok := reflect.ValueOf(c).Elem().FieldByName("WindowlessCanvas").Interface().(fyne.Shortcutable)
	if !ok {
		t.Fatalf("the test canvas %T takes no shortcuts", c)
	}
	ctrlV := func() {
		sc.TypedShortcut(&fyne.ShortcutPaste{})
		s.running.Wait()
	}

	// An image of a transfer's codes: the plan shows its accounts.
	codes := transferCodes(t)
	s.clipboard = func() ([]string, error) { return codes, nil }
	ctrlV()
	if s.plan == nil || len(s.plan.words) != 2 {
		t.Fatalf("an image on the clipboard: plan %v", s.plan)
	}
	pressKey(w, fyne.KeyEscape)

	// No image, a setup link as text.
	s.clipboard = func() ([]string, error) { return nil, scan.ErrNoClipboardImage }
	w.app.Clipboard().SetContent("  " + mastodonURI + "\n")
	ctrlV()
	if s.plan == nil || len(s.plan.words) != 1 || !strings.HasPrefix(s.plan.words[0][0], "Mastodon") {
		t.Fatalf("a link on the clipboard: plan %v", s.plan)
	}
	pressKey(w, fyne.KeyEscape)

	// Nothing usable: a message, and nothing changes.
	w.app.Clipboard().SetContent("")
	ctrlV()
	if !strings.Contains(s.said, "neither an image of a QR code nor a setup link") {
		t.Errorf("an empty clipboard says %q", s.said)
	}
	pressKey(w, fyne.KeyEscape)
	s.clipboard = func() ([]string, error) { return nil, errors.Join(scan.ErrNoQR) }
	ctrlV()
	if !strings.Contains(s.said, "No QR code found in the image on the clipboard") {
		t.Errorf("an image without a code says %q", s.said)
	}
	if got := saved(t, w); len(got) != len(testURIs) {
		t.Errorf("the vault changed: %v", got)
	}
}
