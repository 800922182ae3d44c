// Package ui is Authdeck's window: account tiles with live codes, copy,
// reordering, search, and the dialogs that add, edit and delete accounts. It is
// the only package besides main and assets that uses Fyne.
package ui

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"authdeck/assets"
	"authdeck/vault"
)

// AppID is Authdeck's application ID, also used for its desktop entry.
const AppID = "dev.authdeck.Authdeck"

// Main opens the window and returns the process exit status when it closes.
// A second start while the window is open brings that window to the front and
// returns at once; without a display it says so in one line.
func Main() int {
	if msg := noDisplay(); msg != "" {
		fmt.Fprintln(os.Stderr, "authdeck: "+msg)
		return 1
	}
	dir, err := vault.DefaultDir()
	if err != nil {
		fmt.Fprintln(os.Stderr, "authdeck:", err)
		return 1
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		fmt.Fprintln(os.Stderr, "authdeck: cannot create the vault folder:", err)
		return 1
	}
	release, err := vault.Lock(filepath.Join(dir, "app.lock"), 0)
	if errors.Is(err, vault.ErrBusy) {
		if err := notifyRunning(dir); err != nil {
			fmt.Fprintln(os.Stderr, "authdeck: Authdeck is already running (its window could not be raised:", err.Error()+")")
			return 1
		}
		fmt.Fprintln(os.Stderr, "authdeck: Authdeck is already running; its window was brought to the front")
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "authdeck:", err)
		return 1
	}
	defer release()

	a := app.NewWithID(AppID)
	a.SetIcon(assets.Icon)
	w := newMainWindow(a, dir)
	stop, err := listenForShow(dir, func() { fyne.Do(w.raise) })
	if err == nil {
		defer stop()
	}
	w.buildUI()
	w.start()
	a.Lifecycle().SetOnStarted(w.watchVisibility)
	quit := make(chan os.Signal, 1)
	signal.Notify(quit, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-quit
		fyne.Do(w.quit) // clears the clipboard on the way out
	}()
	w.win.ShowAndRun()
	return 0
}

// noDisplay says in one line why no window can open here, pointing to the
// command line, or returns "".
func noDisplay() string {
	if msg := displayProblem(); msg != "" {
		return msg + "; use the command line instead: authdeck --help"
	}
	return ""
}
