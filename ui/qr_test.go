package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"authdeck/scan"
	"authdeck/vault"
)

// readScreen decodes the QR codes the window shows now.
func readScreen(t *testing.T, w *mainWindow) []string {
	t.Helper()
	texts, err := scan.Decode(w.win.Canvas().Capture())
	if err != nil {
		t.Fatalf("no QR code readable on the window: %v", err)
	}
	return texts
}

func TestShowAsQR(t *testing.T) {
	w := newTestWindow(t, append(slices.Clone(testURIs), "otpauth://totp/Work:vpn?secret=OBQXG43XN5ZGI2LT&issuer=Work")...)
	if err := updateNow(w, func(v *vault.Vault) error {
		v.Accounts[4].Binding = vault.DeviceBound
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	item := w.qrMenuItem(w.account(0), 0)
	if item.Disabled || item.Action == nil {
		t.Fatal("a portable account cannot be shown as a QR code")
	}
	d := w.onShowQR(0)
	if d == nil || !slices.Equal(readScreen(t, w), []string{w.v.Accounts[0].URI()}) {
		t.Fatal("the QR code shown does not read back as the account's link")
	}
	pressKey(w, fyne.KeyEscape)
	if w.win.Canvas().Overlays().Top() != nil {
		t.Error("Escape did not close the QR code")
	}

	item = w.qrMenuItem(w.account(4), 4)
	if !item.Disabled || !strings.Contains(item.Label, "this device only") {
		t.Errorf("the menu entry of a device-bound account reads %q, disabled %v", item.Label, item.Disabled)
	}
	if w.onShowQR(4) != nil || w.win.Canvas().Overlays().Top() != nil {
		t.Error("a device-bound account was shown as a QR code")
	}
}

func TestMigrationExportShowsEveryPortableAccount(t *testing.T) {
	var uris []string
	for i := range 21 {
		uris = append(uris, fmt.Sprintf("otpauth://totp/Site%d:user%d@example.com?secret=JBSWY3DPEHPK3P%c%c&issuer=Site%d",
			i, i, 'A'+i%26, 'A'+i/26, i))
	}
	uris = append(uris, "otpauth://steam/Steam:gabe?secret=KRSXG5CTMVRXEZLU&issuer=Steam",
		"otpauth://totp/Bank:me?secret=MFRGGZDFMZTWQ2LK&issuer=Bank")
	w := newTestWindow(t, uris...)
	if err := updateNow(w, func(v *vault.Vault) error {
		v.Accounts[22].Binding = vault.DeviceBound
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	d := showMigrationExport(w)
	if d == nil || len(d.texts) != 3 {
		t.Fatalf("21 portable accounts: %v codes, want 3", d)
	}
	if want := []string{
		"Steam: gabe: a Google Authenticator transfer cannot hold Steam codes",
		"Bank: me: device-bound accounts stay on this device",
	}; !slices.Equal(d.leftOut, want) {
		t.Errorf("left out: %q, want %q", d.leftOut, want)
	}
	var got []vault.Account
	for i := range d.texts {
		if want := fmt.Sprintf("%d of 3", i+1); d.counter.Text != want {
			t.Errorf("the counter reads %q, want %q", d.counter.Text, want)
		}
		texts := readScreen(t, w)
		m, err := scan.ParseMigration(texts[0])
		if err != nil || m.BatchIndex != i || m.BatchSize != 3 {
			t.Fatalf("code %d: %v, %+v", i+1, err, m)
		}
		got = append(got, m.Accounts...)
		pressKey(w, fyne.KeyReturn) // Enter goes on to the next code
	}
	if w.win.Canvas().Overlays().Top() != nil {
		t.Error("Enter on the last code did not close the export")
	}
	if len(got) != 21 {
		t.Fatalf("the codes hold %d accounts, want 21", len(got))
	}
	for i, a := range got {
		want := w.v.Accounts[i]
		if a.Issuer != want.Issuer || a.Name != want.Name || string(a.Secret) != string(want.Secret) {
			t.Errorf("account %d reads back as %s, want %s", i, a.Label(), want.Label())
		}
	}
}
