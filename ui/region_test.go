package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"authdeck/scan"
)

// hotpURI is the account of the second code on the screen's picture.
const hotpURI = "otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=42&issuer=Bank"

// twoCodesShot is a picture of a w x h screen, grey, with Mastodon's code in
// the middle of its left half and the Bank's in the middle of its right half,
// 4 pixels a module.
func twoCodesShot(t *testing.T, w, h int) *image.RGBA {
	t.Helper()
	return codesShot(t, w, h, mastodonURI, hotpURI)
}

// codesShot is a picture of a w x h screen, grey, with the code of left in
// the middle of its left half and that of right in the middle of its right
// half, 4 pixels a module.
func codesShot(t *testing.T, w, h int, left, right string) *image.RGBA {
	t.Helper()
	shot := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(shot, shot.Rect, image.NewUniform(color.Gray{200}), image.Point{}, draw.Src)
	for _, c := range []struct {
		text string
		at   image.Point
	}{{left, image.Pt(w/4, h/2)}, {right, image.Pt(3*w/4, h/2)}} {
		code, err := qrImage(c.text, 4)
		if err != nil {
			t.Fatal(err)
		}
		b := code.Bounds()
		draw.Draw(shot, b.Add(c.at.Sub(b.Max.Div(2))), code, b.Min, draw.Src)
	}
	return shot
}

// pickArea starts a scan of an area of the screen whose picture is shot, with
// the add dialog's button if fromAdd, and returns the picker, in a window
// half the picture's size: one unit is two of its pixels.
func pickArea(t *testing.T, w *mainWindow, shot *image.RGBA, fromAdd bool) *areaPicker {
	t.Helper()
	s := w.scanner
	s.settle = 0
	s.picker = nil
	s.areaScan.capture = func() (*image.RGBA, error) { return shot, nil }
	if fromAdd {
		test.Tap(w.addDlg.scanBtns[3])
	} else {
		s.start(fromScreenArea, nil)
	}
	s.running.Wait()
	p := s.picker
	if p == nil || p.win == nil {
		t.Fatalf("no area picker; said %q", s.said)
	}
	p.win.Resize(fyne.NewSize(800, 400))
	return p
}

// dragOn drags on the picker from one point to another as the desktop
// driver reports it: the first event says how far the mouse went from where
// its button was pressed, the next how far since the one before.
func dragOn(p *areaPicker, from, to fyne.Position) {
	mid := fyne.NewPos((from.X+to.X)/2, (from.Y+to.Y)/2)
	p.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: mid}, Dragged: fyne.NewDelta(mid.X-from.X, mid.Y-from.Y)})
	p.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.NewDelta(to.X-mid.X, to.Y-mid.Y)})
}

func TestScanScreenArea(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	s := w.scanner
	shot := twoCodesShot(t, 1600, 800)

	// A drag around the left code, from its bottom right to its top left,
	// reads only that code.
	p := pickArea(t, w, shot, false)
	dragOn(p, fyne.NewPos(300, 300), fyne.NewPos(100, 100))
	if !p.frame.Visible() || p.hint.Visible() {
		t.Error("while dragging, the area is not framed or the hint stays in the way")
	}
	if got, want := p.area(), image.Rect(200, 200, 600, 600); got != want {
		t.Errorf("the area dragged is %v of the picture, want %v", got, want)
	}
	p.DragEnd()
	s.running.Wait()
	if !p.finished || !w.visible {
		t.Fatal("releasing the mouse did not take the area and bring the window back")
	}
	if s.plan == nil || len(s.plan.words) != 1 || !strings.Contains(s.plan.words[0][0], "Mastodon") {
		t.Fatalf("the left code's area: plan %v, said %q", s.plan, s.said)
	}
	test.Tap(s.plan.cancelBtn)

	// From the add dialog, the right code's area fills the form.
	w.onAdd()
	p = pickArea(t, w, shot, true)
	dragOn(p, fyne.NewPos(500, 100), fyne.NewPos(700, 300))
	p.DragEnd()
	s.running.Wait()
	if w.addDlg.issuer.Text != "Bank" || w.addDlg.counter.Text != "42" {
		t.Fatalf("the right code's area filled the add dialog with issuer %q", w.addDlg.issuer.Text)
	}
	w.addDlg.dlg.Hide()

	// A click is not an area: the picker stays, hint and all.
	p = pickArea(t, w, shot, false)
	dragOn(p, fyne.NewPos(100, 100), fyne.NewPos(103, 102))
	p.DragEnd()
	if p.finished || !p.hint.Visible() || p.frame.Visible() {
		t.Error("a click took an area")
	}
	// Enter takes the whole screen: both codes.
	p.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	s.running.Wait()
	if s.plan == nil || len(s.plan.words) != 2 {
		t.Fatalf("Enter read %v of the whole screen, want both codes; said %q", s.plan, s.said)
	}
	test.Tap(s.plan.cancelBtn)

	// Enter while dragging takes the area dragged.
	p = pickArea(t, w, shot, false)
	dragOn(p, fyne.NewPos(500, 100), fyne.NewPos(700, 300))
	p.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEnter})
	s.running.Wait()
	if s.plan == nil || len(s.plan.words) != 1 || !strings.Contains(s.plan.words[0][0], "Bank") {
		t.Fatalf("Enter while dragging around the right code: plan %v, said %q", s.plan, s.said)
	}
	test.Tap(s.plan.cancelBtn)

	// An area without a code says so.
	p = pickArea(t, w, shot, false)
	dragOn(p, fyne.NewPos(350, 50), fyne.NewPos(450, 350))
	p.DragEnd()
	s.running.Wait()
	if !strings.Contains(s.said, "No QR code found in the area") {
		t.Errorf("an area without a code says %q", s.said)
	}
	pressKey(w, fyne.KeyEscape)
	if len(saved(t, w)) != len(testURIs) {
		t.Error("the vault changed")
	}
}

// TestScanScreenAreaTransfer checks that a Google Authenticator transfer
// missing a code offers to pick another area, which completes it.
func TestScanScreenAreaTransfer(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	s := w.scanner
	codes := transferCodes(t)
	shot := codesShot(t, 1600, 800, codes[0], codes[1])
	p := pickArea(t, w, shot, false)
	dragOn(p, fyne.NewPos(100, 100), fyne.NewPos(300, 300))
	p.DragEnd()
	s.running.Wait()
	if s.plan == nil || s.plan.moreBtn == nil || s.plan.moreBtn.Text != "Pick another area" {
		t.Fatalf("one code of a transfer of two: plan %v, said %q", s.plan, s.said)
	}
	s.areaScan.capture = func() (*image.RGBA, error) { return shot, nil }
	test.Tap(s.plan.moreBtn)
	s.running.Wait()
	if s.picker == nil {
		t.Fatal("Pick another area showed no picker")
	}
	s.picker.win.Resize(fyne.NewSize(800, 400))
	dragOn(s.picker, fyne.NewPos(500, 100), fyne.NewPos(700, 300))
	s.picker.DragEnd()
	s.running.Wait()
	if s.plan == nil || s.plan.note.Visible() || len(s.plan.words) != 2 {
		t.Fatalf("after the second code's area the plan shows %v", s.plan)
	}
}

// TestScanScreenAreaCancel checks that Escape closes the picker and changes
// nothing: no dialog, the add dialog as it was, the vault as it was.
func TestScanScreenAreaCancel(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	s := w.scanner
	before := vaultBytes(t, w)
	p := pickArea(t, w, twoCodesShot(t, 1600, 800), false)
	dragOn(p, fyne.NewPos(100, 100), fyne.NewPos(300, 300))
	p.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	s.running.Wait()
	if !p.finished || !w.visible {
		t.Fatal("Escape did not close the picker and bring the window back")
	}
	if s.plan != nil || s.said != "" || w.win.Canvas().Overlays().Top() != nil || s.pending() {
		t.Errorf("Escape showed something: plan %v, said %q", s.plan, s.said)
	}

	w.onAdd()
	p = pickArea(t, w, twoCodesShot(t, 1600, 800), true)
	p.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	s.running.Wait()
	if w.addDlg.issuer.Text != "" || w.dialogs.top() != w.addDlg.dlg {
		t.Errorf("Escape changed the add dialog: issuer %q", w.addDlg.issuer.Text)
	}
	if !bytes.Equal(before, vaultBytes(t, w)) {
		t.Error("the vault changed")
	}
}

// TestScanScreenAreaPortal checks that where the screen can only be had from
// the desktop's portal, whose dialog picks an area itself, the screen is
// read as Screen reads it.
func TestScanScreenAreaPortal(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	s := w.scanner
	s.settle = 0
	s.areaScan.capture = func() (*image.RGBA, error) { return nil, scan.ErrScreenUnavailable }
	s.screen = func() ([]string, error) { return []string{mastodonURI, hotpURI}, nil }
	s.start(fromScreenArea, nil)
	s.running.Wait()
	if s.picker != nil {
		t.Error("a picker was shown where the portal picks the area")
	}
	if s.plan == nil || !slices.ContainsFunc(s.plan.words, func(w [2]string) bool { return strings.Contains(w[0], "Bank") }) {
		t.Fatalf("the portal's codes: plan %v, said %q", s.plan, s.said)
	}
}
