package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"authdeck/scan"
	"authdeck/transfer"
	"authdeck/vault"
)

// Where QR codes come from, as the add dialog names them.
const (
	fromImage  = "image"
	fromScreen = "screen"
	fromCamera = "camera"
)

// Timings of scans.
const (
	progressAfter = 300 * time.Millisecond // reading longer than this shows a progress dialog
	screenSettle  = 500 * time.Millisecond // time for the desktop to redraw once the window is hidden
)

// imageExtensions are the image files Authdeck reads.
var imageExtensions = []string{".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"}

// scanner reads accounts from QR codes for the window: image files, opened
// or dropped, the screen and the camera. What one scan finds is gathered
// with what the scans before it found, until the user adds it or cancels,
// so that a Google Authenticator transfer spread over several codes comes in
// as one, and the plan dialog can say which of its codes are missing.
type scanner struct {
	f     *frame
	vault vaultView
	win   scanWindow

	// The screen and the camera, fields so that tests can stand in for them.
	screen     func() ([]string, error)
	settle     time.Duration // how long the window stays hidden before the screen is captured
	openCamera func() (scan.FrameSource, error)
	clipboard  func() ([]string, error) // the codes of an image on the clipboard
	areaScan                            // an area of the screen: region.go

	// What has been gathered and not yet added or cancelled.
	gathered transfer.Gatherer // accounts and Google Authenticator transfers
	problems []string          // in words, one per file or code that gave nothing
	// fill, when the add dialog started the scan, puts a single account
	// found into its form instead of showing a plan; the plan dialog takes
	// the add dialog's place otherwise.
	fill   func(vault.Account)
	addDlg *addDialog

	running  sync.WaitGroup       // background reading, for tests to wait on
	progress *dialog.CustomDialog // shown while reading takes long
	spinner  *widget.ProgressBarInfinite
	plan     *planDialog   // the plan dialog open, or nil
	camera   *cameraDialog // the last camera dialog opened
	said     string        // the last message shown, for tests
}

// scanWindow is what the scanner asks of the window besides its frame and
// its vault.
type scanWindow interface {
	raise() // brings the window back after the screen was captured
	clipboardText() string
	addAccounts(incoming []vault.Account, m vault.Merge, done func(error))
	importFiles(paths []string) *importFlow
}

func newScanner(f *frame, v vaultView, win scanWindow) *scanner {
	return &scanner{f: f, vault: v, win: win, screen: scan.Screen, settle: screenSettle, openCamera: scan.OpenCamera, clipboard: scan.ClipboardImage,
		areaScan: areaScan{capture: scan.CaptureScreen}}
}

// start begins a new scan from the add dialog d, whose form a single account
// found fills. d may be nil.
func (s *scanner) start(source string, d *addDialog) {
	s.reset()
	if d != nil {
		s.fill, s.addDlg = d.fillFrom, d
	}
	s.next(source)
}

// next reads more codes from source into what is gathered.
func (s *scanner) next(source string) {
	switch source {
	case fromImage:
		s.chooseFile()
	case fromScreen:
		s.scanScreen()
	case fromScreenArea:
		s.scanScreenArea()
	case fromCamera:
		s.openCameraDialog()
	}
}

// reset forgets what was gathered.
func (s *scanner) reset() {
	s.gathered.Reset()
	s.problems, s.fill, s.addDlg, s.plan = nil, nil, nil, nil
}

// pending reports whether something gathered waits to be added.
func (s *scanner) pending() bool {
	return len(s.gathered.Accounts()) > 0 || s.gathered.Transfers() || len(s.problems) > 0
}

// chooseFile offers a file dialog for one image; the plan dialog offers the
// next, and dropping files onto the window reads many at once.
func (s *scanner) chooseFile() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			s.say(capitalize(err.Error()))
			return
		}
		if r == nil { // cancelled: offer again what was gathered, if any
			if s.pending() {
				s.offer(fromImage)
			}
			return
		}
		uri := r.URI()
		r.Close()
		s.readFiles([]fyne.URI{uri}, fromImage)
	}, s.f.win)
	fd.SetFilter(storage.NewExtensionFileFilter(imageExtensions))
	fd.SetTitleText("Open an image of a QR code")
	fd.SetConfirmText("Open")
	fd.Show()
	s.f.dialogs.push(cancelOnHide{fd}, nil, nil)
}

// cancelOnHide makes Escape, which hides the open dialog, cancel a file
// dialog as its Cancel button does, so that its callback hears of it.
type cancelOnHide struct{ *dialog.FileDialog }

func (d cancelOnHide) Hide() { d.Dismiss() }

// readFiles reads the QR codes of image files in the background, then
// offers what it found. Folders are read for their image files.
func (s *scanner) readFiles(uris []fyne.URI, source string) {
	type result struct {
		name  string
		texts []string
		err   error
	}
	var results []result
	s.background("Reading QR codes…", func() {
		for _, path := range imagePaths(uris) {
			texts, err := scan.DecodeFile(path)
			results = append(results, result{filepath.Base(path), texts, err})
		}
	}, func() {
		if len(results) == 0 {
			s.problems = append(s.problems, "There is no image there.")
		}
		for _, r := range results {
			if r.err != nil {
				s.problems = append(s.problems, fileProblem(r.name, r.err))
				continue
			}
			s.gather(r.name, r.texts)
		}
		s.offer(source)
	})
}

// imagePaths returns the paths of dropped or chosen files, with the image
// files of folders in place of the folders.
func imagePaths(uris []fyne.URI) []string {
	var paths []string
	for _, u := range uris {
		path := u.Path()
		entries, err := os.ReadDir(path)
		if err != nil { // a file, or something that will say what is wrong
			paths = append(paths, path)
			continue
		}
		for _, e := range entries {
			if !e.IsDir() && slices.Contains(imageExtensions, strings.ToLower(filepath.Ext(e.Name()))) {
				paths = append(paths, filepath.Join(path, e.Name()))
			}
		}
	}
	return paths
}

// scanScreen hides the window, so that it does not cover the QR code on the
// screen, captures every display and brings the window back.
func (s *scanner) scanScreen() {
	var texts []string
	var err error
	s.f.win.Hide()
	s.background("", func() {
		time.Sleep(s.settle)
		texts, err = s.screen()
	}, func() {
		s.win.raise()
		if err != nil {
			s.failed(fromScreen, screenProblem(err))
			return
		}
		s.gather("the screen", texts)
		s.offer(fromScreen)
	})
}

// background runs job on another goroutine and then done through
// [fyne.Do]. If job takes long and what is not empty, a progress dialog
// titled what shows meanwhile.
func (s *scanner) background(what string, job, done func()) {
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		finished := make(chan struct{})
		go func() {
			defer close(finished)
			job()
		}()
		slow := time.NewTimer(progressAfter)
		select {
		case <-finished:
			slow.Stop()
		case <-slow.C:
			if what != "" {
				fyne.Do(func() { s.showProgress(what) })
			}
			<-finished
		}
		fyne.Do(func() {
			done()
			s.hideProgress()
		})
	}()
}

func (s *scanner) showProgress(what string) {
	s.spinner = widget.NewProgressBarInfinite()
	s.progress = dialog.NewCustomWithoutButtons(what, container.NewVBox(s.spinner,
		&widget.Label{Text: "Large images take a moment.", Importance: widget.LowImportance}), s.f.win)
	s.progress.Resize(fyne.NewSize(min(320, s.f.win.Canvas().Size().Width), 0))
	s.progress.Show()
}

func (s *scanner) hideProgress() {
	if s.progress != nil {
		s.spinner.Stop() // no animation left running
		s.progress.Hide()
		s.progress, s.spinner = nil, nil
	}
}

// gather adds the accounts in the texts of the QR codes found in where (a
// file name, "the screen") to what was gathered.
func (s *scanner) gather(where string, texts []string) {
	for _, err := range s.gathered.AddTexts(where, texts) {
		s.problems = append(s.problems, codeProblems(where, err)...)
	}
}

// incoming returns every account gathered, those of transfers after the others.
func (s *scanner) incoming() []vault.Account { return s.gathered.Accounts() }

// incomplete reports whether a transfer still misses codes.
func (s *scanner) incomplete() bool { return len(s.gathered.Incomplete()) > 0 }

// offer shows what was gathered: a message when nothing can be added, the
// account in the add dialog's form when it started the scan and one account
// was found, and otherwise the plan dialog, which can ask for more.
func (s *scanner) offer(source string) {
	all := s.incoming()
	if len(all) == 0 {
		msg := "No account was found."
		if len(s.problems) > 0 {
			msg = strings.Join(s.problems, "\n")
		}
		s.reset()
		s.say(msg + "\nNothing was changed.")
		return
	}
	if s.fill != nil && len(all) == 1 && !s.gathered.Transfers() && len(s.problems) == 0 {
		fill := s.fill
		s.reset()
		fill(all[0])
		return
	}
	if s.addDlg != nil && s.addDlg.dlg != nil {
		s.addDlg.dlg.Hide() // the plan takes its place
		s.addDlg = nil
	}
	if s.plan != nil { // a drop while the plan is open: show it anew
		s.plan.done = true
		s.plan.dlg.Hide()
	}
	opts := planOptions{
		title: "Add from QR codes", action: "Add", keepBoth: true, note: s.note(),
		apply: func(m vault.Merge, done func(error)) {
			s.win.addAccounts(all, m, func(err error) {
				if err == nil {
					s.reset()
				}
				done(err)
			})
		},
		cancelled: s.reset,
	}
	switch {
	case source == fromImage || source == "" && s.incomplete():
		opts.more, opts.moreLabel = func() { s.plan = nil; s.chooseFile() }, "Another image…"
	case source == fromScreen && s.incomplete():
		opts.more, opts.moreLabel = func() { s.plan = nil; s.scanScreen() }, "Scan the screen again"
	case source == fromScreenArea && s.incomplete():
		opts.more, opts.moreLabel = func() { s.plan = nil; s.scanScreenArea() }, "Pick another area"
	case source == fromCamera && s.incomplete():
		opts.more, opts.moreLabel = func() { s.plan = nil; s.openCameraDialog() }, "Scan the next code…"
	}
	local := s.vault.current()
	s.plan = s.f.showPlan(local, local.Plan(all), opts)
}

// note says what the plan dialog should say above the accounts: transfers
// that miss codes, and what could not be read.
func (s *scanner) note() string {
	var lines []string
	for _, b := range s.gathered.Incomplete() {
		lines = append(lines, fmt.Sprintf("Google Authenticator transfer: %s. "+
			"Scan the missing codes before adding, or add these accounts now and the rest later.", b))
	}
	return strings.Join(append(lines, s.problems...), "\n")
}

// say shows a message about a scan that added nothing.
func (s *scanner) say(msg string) {
	s.said = msg
	info := dialog.NewCustom("Nothing to add", "OK", &widget.Label{Text: msg, Wrapping: fyne.TextWrapWord}, s.f.win)
	info.Resize(fyne.NewSize(min(400, s.f.win.Canvas().Size().Width), 0))
	info.Show()
	s.f.dialogs.push(info, info.Hide, nil)
}

// fileProblem says why no code could be read from the image file name.
func fileProblem(name string, err error) string {
	switch {
	case errors.Is(err, scan.ErrNotImage):
		return name + " is not an image: Authdeck reads PNG, JPEG, GIF, BMP and WebP files."
	case errors.Is(err, scan.ErrEmpty):
		return name + " is empty."
	case errors.Is(err, scan.ErrDamaged):
		return name + " is damaged or incomplete: save or download it again."
	case errors.Is(err, scan.ErrTooLarge):
		return name + " is too large to read: crop it around the QR code."
	case errors.Is(err, scan.ErrNoQR):
		return "No QR code found in " + name + ". Try a sharper or larger picture of the code."
	case errors.Is(err, fs.ErrNotExist):
		return name + " is not there any more."
	case errors.Is(err, fs.ErrPermission):
		return "Authdeck may not read " + name + "."
	}
	return name + ": " + err.Error() + "."
}

// codeProblems says why a QR code found in where gives no account, or not
// all of its accounts: one sentence per account left out.
func codeProblems(where string, err error) []string {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range joined.Unwrap() {
			out = append(out, codeProblems(where, e)...)
		}
		return out
	}
	var entry *scan.EntryError
	var uerr *vault.URIError
	var notAccount *transfer.NotAccountError
	switch {
	case errors.As(err, &notAccount):
		return []string{"The QR code in " + where + " is not an account: it holds " + notAccount.Holds + "."}
	case errors.Is(err, scan.ErrBadMigration):
		return []string{"The Google Authenticator transfer code in " + where + " is damaged or incomplete. Scan it again."}
	case errors.As(err, &entry):
		return []string{fmt.Sprintf("Account %d (%s) of the transfer code in %s cannot be used: %s.",
			entry.Index+1, entry.Label, where, inWords(entry.Err))}
	case errors.As(err, &uerr):
		return []string{"The QR code in " + where + " is not a setup link Authdeck can read: " + uerr.Reason + "."}
	}
	return []string{"The QR code in " + where + " cannot be used: " + inWords(err) + "."}
}

// screenProblem says why the screen gave no code, with advice.
func screenProblem(err error) string {
	switch {
	case errors.Is(err, scan.ErrScreenRefused):
		return "The screen was not shared, so nothing was read. Choose Screen again and allow sharing, " +
			"or save the QR code as an image and open it."
	case errors.Is(err, scan.ErrScreenUnavailable):
		return "Authdeck cannot capture the screen here (no X11 screen and no screenshot portal answered). " +
			"Save the QR code as an image and open it or drop it on the window, or use the camera."
	case errors.Is(err, scan.ErrNoQR):
		return "No QR code found on the screen. Make sure the whole code is visible and not covered by another window, " +
			"zoom in if it is small, and try again."
	}
	return "Authdeck cannot capture the screen: " + inWords(err) + "."
}
