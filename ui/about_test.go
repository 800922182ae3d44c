package ui

import (
	"strings"
	"testing"
)

func TestAboutShowsVersionAndVault(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	defer func(v string) { Version = v }(Version)
	Version = "1.2.3"
	d := w.showAbout()
	if d.version.Text != "Version 1.2.3" {
		t.Errorf("About shows %q, want the version", d.version.Text)
	}
	if !strings.Contains(d.place.Text, w.sess.store.Dir()) || !strings.Contains(d.place.Text, "keychain") {
		t.Errorf("About says of the vault: %q", d.place.Text)
	}
	if w.win.Canvas().Overlays().Top() == nil {
		t.Error("the About dialog is not shown")
	}
	Version = "dev"
	if got := versionText(w.app); !strings.HasPrefix(got, "dev") {
		t.Errorf("a development build says %q", got)
	}
}
