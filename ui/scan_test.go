package ui

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"authdeck/scan"
	"authdeck/vault"
)

const mastodonURI = "otpauth://totp/Mastodon:dan?secret=ONSWG4TFORZWK3DM&issuer=Mastodon"

// writeQR writes a PNG file holding text as a QR code and returns its URI.
func writeQR(t *testing.T, dir, name, text string) fyne.URI {
	t.Helper()
	img, err := qrImage(text, 4)
	if err != nil {
		t.Fatal(err)
	}
	return writePNG(t, dir, name, img)
}

func writePNG(t *testing.T, dir, name string, img image.Image) fyne.URI {
	t.Helper()
	return writeFile(t, dir, name, pngBytes(t, img))
}

func pngBytes(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hugePNG returns a PNG file that says it is 20,000 x 20,000 pixels.
func hugePNG(t *testing.T) []byte {
	t.Helper()
	b := pngBytes(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	ihdr := b[12:29] // "IHDR", width, height and the rest, before the CRC
	binary.BigEndian.PutUint32(ihdr[4:], 20000)
	binary.BigEndian.PutUint32(ihdr[8:], 20000)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(ihdr))
	return b
}

func writeFile(t *testing.T, dir, name string, data []byte) fyne.URI {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return storage.NewFileURI(path)
}

// drop drops files onto the window and waits until they are read.
func drop(w *mainWindow, uris ...fyne.URI) {
	w.scanner.onDropped(fyne.NewPos(10, 10), uris)
	w.scanner.running.Wait()
}

// vaultBytes returns the vault file as it is on disk.
func vaultBytes(t *testing.T, w *mainWindow) []byte {
	t.Helper()
	b, err := os.ReadFile(w.sess.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// transferCodes returns the two codes of a Google Authenticator transfer of two
// accounts, one account each.
func transferCodes(t *testing.T) []string {
	t.Helper()
	var in []vault.Account
	for _, u := range []string{mastodonURI, "otpauth://totp/Slack:erin?secret=MZXW6YTBOI3DMNZQ&issuer=Slack"} {
		a, err := vault.ParseURI(u)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, a)
	}
	codes := scan.EncodeMigration(in, 1)
	if len(codes) != 2 {
		t.Fatalf("%d transfer codes, want 2", len(codes))
	}
	return codes
}

func TestDropImageAddsAccount(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	drop(w, writeQR(t, t.TempDir(), "mastodon.png", mastodonURI))
	d := w.scanner.plan
	if d == nil {
		t.Fatalf("no plan after dropping a QR code; said %q", w.scanner.said)
	}
	if len(d.words) != 1 || d.words[0] != [2]string{"Mastodon: dan", "new"} {
		t.Errorf("the plan shows %q", d.words)
	}
	test.Tap(d.actionBtn)
	if got := saved(t, w); !slices.Equal(got, []string{"GitHub", "Google", "Dropbox", "Bank", "Mastodon"}) {
		t.Errorf("after adding the vault holds %v", got)
	}
	if w.scanner.pending() || w.scanner.plan != nil {
		t.Error("the scanner still holds what it added")
	}
}

func TestDropBadFilesSaysSoAndChangesNothing(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	dir := t.TempDir()
	before := vaultBytes(t, w)
	blank := image.NewGray(image.Rect(0, 0, 200, 200))
	for i := range blank.Pix {
		blank.Pix[i] = 0xff
	}
	for _, c := range []struct {
		file fyne.URI
		want string
	}{
		{writeFile(t, dir, "notes.txt", []byte("otpauth is not here\n")), "notes.txt is not an image"},
		{writeFile(t, dir, "empty.png", nil), "empty.png is empty"},
		{writePNG(t, dir, "blank.png", blank), "No QR code found in blank.png"},
		{writeQR(t, dir, "link.png", "https://example.com/welcome"), "The QR code in link.png is not an account: it holds a link to example.com"},
		{writeQR(t, dir, "bad.png", "otpauth-migration://offline?data=AAAA"), "transfer code in bad.png is damaged"},
		{writeFile(t, dir, "cut.png", pngBytes(t, blank)[:300]), "cut.png is damaged or incomplete"},
		{writeFile(t, dir, "huge.png", hugePNG(t)), "huge.png is too large to read"},
	} {
		drop(w, c.file)
		if !strings.Contains(w.scanner.said, c.want) || !strings.Contains(w.scanner.said, "Nothing was changed") {
			t.Errorf("dropping %s says %q, want %q", c.file.Name(), w.scanner.said, c.want)
		}
		if w.scanner.plan != nil || w.scanner.pending() {
			t.Errorf("dropping %s left a plan", c.file.Name())
		}
		pressKey(w, fyne.KeyEscape)
		if w.win.Canvas().Overlays().Top() != nil {
			t.Errorf("Escape did not close the message about %s", c.file.Name())
		}
	}
	if !bytes.Equal(before, vaultBytes(t, w)) {
		t.Error("bad files changed the vault")
	}
}

func TestDropTransferCodes(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	dir := t.TempDir()
	codes := transferCodes(t)
	first := writeQR(t, dir, "transfer-1.png", codes[0])
	second := writeQR(t, dir, "transfer-2.png", codes[1])

	// One code of two: the plan says which is missing, and a second drop
	// completes it.
	drop(w, first)
	d := w.scanner.plan
	if d == nil || !strings.Contains(d.note.Text, "1 of 2 codes scanned, missing code 2") || !d.note.Visible() {
		t.Fatalf("one code of a transfer of two: plan %v", d)
	}
	if len(d.words) != 1 || d.moreBtn == nil {
		t.Errorf("one code: the plan shows %q, and no way to open the next", d.words)
	}
	drop(w, second)
	d = w.scanner.plan
	if d == nil || d.note.Visible() || len(d.words) != 2 {
		t.Fatalf("after the second code the plan shows %q with the note %q", d.words, d.note.Text)
	}
	test.Tap(d.cancelBtn)
	if w.scanner.pending() || len(saved(t, w)) != 4 {
		t.Error("Cancel kept the codes or changed the vault")
	}

	// Both codes in one drop.
	drop(w, first, second)
	d = w.scanner.plan
	if d == nil || d.note.Visible() || len(d.words) != 2 {
		t.Fatalf("two codes dropped together: plan %q", d.words)
	}
	test.Tap(d.actionBtn)
	if got := saved(t, w); !slices.Equal(got, []string{"GitHub", "Google", "Dropbox", "Bank", "Mastodon", "Slack"}) {
		t.Errorf("after adding the transfer the vault holds %v", got)
	}
}

func TestDropFolderAndMixedFiles(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	dir := t.TempDir()
	writeQR(t, dir, "a.png", mastodonURI)
	writeQR(t, dir, "b.PNG", testURIs[0]) // GitHub, already present
	writeFile(t, dir, "readme.txt", []byte("not read: not an image name"))
	other := writeFile(t, t.TempDir(), "notes.txt", []byte("hello"))
	drop(w, storage.NewFileURI(dir), other)
	d := w.scanner.plan
	if d == nil {
		t.Fatalf("no plan; said %q", w.scanner.said)
	}
	if d.totals.Text != "New 1, already present 1, conflicts 0, invalid 0" {
		t.Errorf("totals %q", d.totals.Text)
	}
	if !strings.Contains(d.note.Text, "notes.txt is not an image") || strings.Contains(d.note.Text, "readme") {
		t.Errorf("the note is %q", d.note.Text)
	}
}

func TestScanScreen(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	s := w.scanner
	s.settle = 0

	// From the add dialog, one account fills the form.
	s.screen = func() ([]string, error) { return []string{mastodonURI}, nil }
	w.onAdd()
	test.Tap(w.addDlg.scanBtns[1])
	s.running.Wait()
	if w.addDlg.issuer.Text != "Mastodon" || w.addDlg.addBtn.Disabled() {
		t.Fatalf("the screen's account did not fill the add dialog: issuer %q", w.addDlg.issuer.Text)
	}
	test.Tap(w.addDlg.addBtn)
	if got := saved(t, w); len(got) != 5 {
		t.Fatalf("the account from the screen was not added: %v", got)
	}

	// Several accounts go to the plan.
	codes := transferCodes(t)
	s.screen = func() ([]string, error) { return codes, nil }
	w.onAdd()
	test.Tap(w.addDlg.scanBtns[1])
	s.running.Wait()
	if s.plan == nil || s.plan.words[0][1] != "already present, skipped" || s.plan.words[1][1] != "new" {
		t.Fatalf("a transfer on the screen: plan %v", s.plan)
	}
	test.Tap(s.plan.cancelBtn)

	// Errors in words.
	for _, c := range []struct {
		err  error
		want string
	}{
		{scan.ErrScreenUnavailable, "cannot capture the screen here"},
		{scan.ErrScreenRefused, "The screen was not shared"},
		{scan.ErrNoQR, "No QR code found on the screen"},
	} {
		s.screen = func() ([]string, error) { return nil, c.err }
		s.start(fromScreen, nil)
		s.running.Wait()
		if !strings.Contains(s.said, c.want) {
			t.Errorf("the screen failing with %v says %q", c.err, s.said)
		}
		pressKey(w, fyne.KeyEscape)
	}
}

func TestOpenImageFileDialog(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	s := w.scanner
	drop(w, writeQR(t, t.TempDir(), "transfer-1.png", transferCodes(t)[0]))
	if s.plan == nil || s.plan.moreBtn == nil {
		t.Fatal("a transfer missing a code offers no way to open the next image")
	}
	test.Tap(s.plan.moreBtn)
	if _, ok := w.dialogs.top().(cancelOnHide); !ok || !s.pending() {
		t.Fatal("Another image… opened no file dialog, or forgot the code read")
	}
	// Escape cancels the file dialog and offers again what was read.
	pressKey(w, fyne.KeyEscape)
	if s.plan == nil || len(s.plan.words) != 1 || !strings.Contains(s.plan.note.Text, "missing code 2") {
		t.Fatalf("cancelling the file dialog lost the transfer: %v", s.plan)
	}
	if w.dialogs.top() != s.plan.dlg {
		t.Error("Escape would not close the plan dialog shown again")
	}
}

func TestSlowReadingShowsProgress(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	s := w.scanner
	shown := false
	s.background("Reading QR codes…", func() { time.Sleep(progressAfter + 100*time.Millisecond) }, func() {
		shown = s.progress != nil && s.spinner.Running()
	})
	s.running.Wait()
	if !shown {
		t.Error("no progress while reading took long")
	}
	if s.progress != nil || w.win.Canvas().Overlays().Top() != nil {
		t.Error("the progress stayed after reading")
	}
}
