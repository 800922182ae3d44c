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
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver"

	"authdeck/assets"
	"authdeck/vault"
)

// AppID is Authdeck's application ID, also used for its desktop entry.
const AppID = "dev.authdeck.Authdeck"

// Main opens the window and returns the process exit status when it closes;
// given an otpauth:// or otpauth-migration:// link (see [IsLink]), the window
// shows what it holds. A second start while the window is open brings that
// window to the front, hands it the link, and returns at once; without a
// display it says so in one line.
func Main(args ...string) int {
	link := ""
	if len(args) > 0 {
		link = args[0]
	}
	// Nothing of the vault is in memory yet; from now on no other process of
	// this user may read it there, and no core file takes it to disk.
	vault.ProtectProcess()
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
		if err := notifyRunning(dir, link); err != nil {
			fmt.Fprintln(os.Stderr, "authdeck: Authdeck is already running (its window could not be raised:", err.Error()+")")
			return 1
		}
		if link != "" {
			fmt.Fprintln(os.Stderr, "authdeck: Authdeck is already running; its window shows what the link holds")
			return 0
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
	stop, err := listenForShow(dir, func(link string) {
		fyne.Do(func() {
			if link != "" {
				w.openLink(link)
			} else {
				w.raise()
			}
		})
	})
	if err == nil {
		defer stop()
	}
	w.buildUI()
	w.start()
	w.link = link // shown once the vault is open
	defer watchSessionLock(func() { fyne.Do(w.lockNow) })()
	defer watchResume(func() { fyne.Do(w.clockw.resumed) })()
	started := make(chan struct{})
	a.Lifecycle().SetOnStarted(func() {
		if !madeWindow(w.win) {
			// Fyne logs the driver's error and would wait for ever.
			fmt.Fprintln(os.Stderr, "authdeck: cannot open the window: the graphics driver made none (is OpenGL missing?); use the command line instead: authdeck --help")
			os.Exit(1)
		}
		close(started)
		w.watchVisibility()
	})
	go watchStart(started, startLimit)
	quit := make(chan os.Signal, 1)
	signal.Notify(quit, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-quit
		fyne.Do(w.quit) // clears the clipboard on the way out
	}()
	return run(w, trayHost(a))
}

// startLimit is how long the graphics driver may take to start before
// Authdeck gives up on it.
const startLimit = 30 * time.Second

// watchStart ends the process with one line if the app has not started
// within limit: when the graphics driver fails to start, Fyne logs it and
// then waits for ever.
func watchStart(started <-chan struct{}, limit time.Duration) {
	select {
	case <-started:
	case <-time.After(limit):
		fmt.Fprintf(os.Stderr, "authdeck: cannot open the window: the graphics driver did not start in %v; use the command line instead: authdeck --help\n", limit)
		os.Exit(1)
	}
}

// run puts the icon in the tray and shows the window until it closes. Where
// the graphics driver cannot start after all (a display that refuses GLFW
// although it answered X11, or went away), Fyne panics, making the tray's
// window or the main one; Authdeck says so in its one line instead of a
// stack trace.
func run(w *mainWindow, host trayApp) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "authdeck: cannot open the window (%v); use the command line instead: authdeck --help\n", r)
			status = 1
		}
	}()
	w.tray.start(host)
	w.win.ShowAndRun()
	w.lock.sys.withdraw() // closes the system's password dialog, if open
	w.sess.close()
	return 0
}

// madeWindow reports whether the driver made win a window of the desktop's
// by the time the app starts, as it does for a window shown before: without
// OpenGL (an X server without GLX, say) it logs an error and goes on with
// none. A driver that does not say counts as having made one.
func madeWindow(win fyne.Window) bool {
	nw, ok := win.(driver.NativeWindow)
	if !ok {
		return true
	}
	made := true
	nw.RunNative(func(ctx any) {
		switch c := ctx.(type) {
		case driver.X11WindowContext:
			made = c.WindowHandle != 0
		case driver.WaylandWindowContext:
			made = c.WaylandSurface != 0
		case driver.WindowsWindowContext:
			made = c.HWND != 0
		case driver.MacWindowContext:
			made = c.NSWindow != 0
		}
	})
	return made
}

// noDisplay says in one line why no window can open here, pointing to the
// command line, or returns "".
func noDisplay() string {
	if msg := displayProblem(); msg != "" {
		return msg + "; use the command line instead: authdeck --help"
	}
	return ""
}
