package ui

import (
	"fmt"
	"image"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"authdeck/scan"
	"authdeck/vault"
)

// qrSize is the smallest side of a QR code on screen; phones read codes of
// this size from a laptop display at arm's length.
const qrSize = 280

// qrDialog shows QR codes that hold secrets, one at a time: an account's
// setup link, or the codes of a Google Authenticator transfer with Previous
// and Next. It says that the codes hold secrets; Escape closes it.
type qrDialog struct {
	f     *frame
	texts []string // what the codes hold, in order
	index int      // the code shown
	shown image.Image
	// leftOut names the accounts an export leaves out, with the reason.
	leftOut []string

	image    *canvas.Image
	counter  *widget.Label // "1 of 3"
	prevBtn  *widget.Button
	nextBtn  *widget.Button
	closeBtn *widget.Button
	dlg      *dialog.CustomDialog
}

// showQR shows texts as QR codes in a dialog titled title, under the
// warning and over an optional footer, and returns it.
func (f *frame) showQR(title, warning string, texts []string, footer fyne.CanvasObject) *qrDialog {
	d := &qrDialog{f: f, texts: texts}
	d.image = &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScalePixels}
	d.image.SetMinSize(fyne.NewSize(qrSize, qrSize))
	d.counter = &widget.Label{Alignment: fyne.TextAlignCenter}
	d.prevBtn = &widget.Button{Text: "Previous", Icon: theme.NavigateBackIcon(), OnTapped: func() { d.show(d.index - 1) }}
	d.nextBtn = &widget.Button{Text: "Next", Icon: theme.NavigateNextIcon(), IconPlacement: widget.ButtonIconTrailingText,
		Importance: widget.HighImportance, OnTapped: func() { d.show(d.index + 1) }}
	d.closeBtn = &widget.Button{Text: "Close", Icon: theme.CancelIcon(), OnTapped: func() { d.dlg.Hide() }}
	buttons := container.NewHBox(d.closeBtn)
	if len(texts) > 1 {
		buttons = container.NewHBox(d.prevBtn, d.closeBtn, d.nextBtn)
	} else {
		d.counter.Hide()
	}
	top := container.NewVBox(&widget.Label{Text: warning, Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
	bottom := container.NewVBox(d.counter)
	if footer != nil {
		bottom.Add(footer)
	}
	bottom.Add(container.NewCenter(buttons))
	// The code grows with the dialog; its quiet zone is white in the dark
	// theme too, as phones expect.
	content := container.NewBorder(top, bottom, nil, nil, d.image)

	d.dlg = dialog.NewCustomWithoutButtons(title, content, f.win)
	d.show(0)
	size := f.win.Canvas().Size()
	d.dlg.Resize(fyne.NewSize(min(460, size.Width), min(600, size.Height)))
	d.dlg.Show()
	f.dialogs.push(d.dlg, func() {
		// Enter goes on to the next code, and closes after the last.
		if d.index < len(d.texts)-1 {
			d.show(d.index + 1)
		} else {
			d.dlg.Hide()
		}
	}, nil)
	return d
}

// show shows the code at index i.
func (d *qrDialog) show(i int) {
	if i < 0 || i >= len(d.texts) {
		return
	}
	img, err := qrImage(d.texts[i], 1)
	if err != nil {
		d.f.showError(err)
		return
	}
	d.index, d.shown = i, img
	d.image.Image = img
	d.image.Refresh()
	d.counter.SetText(fmt.Sprintf("%d of %d", i+1, len(d.texts)))
	if i == 0 {
		d.prevBtn.Disable()
	} else {
		d.prevBtn.Enable()
	}
	if i == len(d.texts)-1 {
		d.nextBtn.Disable()
	} else {
		d.nextBtn.Enable()
	}
}

// qrImage draws text as a QR code with its quiet zone, scale pixels a module.
func qrImage(text string, scale int) (*image.Gray, error) {
	hints := map[gozxing.EncodeHintType]any{gozxing.EncodeHintType_ERROR_CORRECTION: "M"}
	m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, 0, 0, hints)
	if err != nil {
		return nil, fmt.Errorf("cannot draw the QR code: %w", err)
	}
	img := image.NewGray(image.Rect(0, 0, m.GetWidth()*scale, m.GetHeight()*scale))
	for y := range img.Rect.Dy() {
		for x := range img.Rect.Dx() {
			if !m.Get(x/scale, y/scale) {
				img.Pix[y*img.Stride+x] = 0xff
			}
		}
	}
	return img, nil
}

// qrMenuItem is the tile menu's entry that shows the account at shown
// position i as a QR code, or says why it cannot be shown.
func (w *mainWindow) qrMenuItem(a *vault.Account, i int) *fyne.MenuItem {
	switch {
	case a.Binding == vault.DeviceBound && a.NeedsVerification:
		return &fyne.MenuItem{Label: "No QR code: needs verification", Disabled: true}
	case a.Binding == vault.DeviceBound:
		return &fyne.MenuItem{Label: "No QR code: this device only", Disabled: true}
	case len(a.Secret) == 0:
		return &fyne.MenuItem{Label: "No QR code: no secret key", Disabled: true}
	}
	return &fyne.MenuItem{Label: "Show as QR code…", Action: func() { w.onShowQR(i) }}
}

// onShowQR shows the setup link of the portable account at shown position i
// as a QR code, for a phone or another computer to scan.
func (w *mainWindow) onShowQR(i int) *qrDialog {
	a := w.account(i)
	if a == nil || a.Binding == vault.DeviceBound || len(a.Secret) == 0 {
		return nil
	}
	return w.showQR("QR code of "+a.Label(),
		"This code holds the secret key of "+a.Label()+". Anyone who sees or photographs it can make your codes: "+
			"show it only to the device you are adding the account to.",
		[]string{a.URI()}, nil)
}

// showMigrationExport shows every portable account as Google Authenticator
// transfer codes, one at a time, for a phone to scan, and lists the accounts
// left out with the reason.
func showMigrationExport(w *mainWindow) *qrDialog {
	if w.v == nil {
		return nil
	}
	texts := scan.EncodeMigration(w.v.Accounts, 10)
	var left []string
	for i := range w.v.Accounts {
		a := &w.v.Accounts[i]
		if err := scan.Migratable(a); err != nil {
			left = append(left, a.Label()+": "+err.Error())
		}
	}
	if len(texts) == 0 {
		msg := "No account can go to Google Authenticator."
		if len(left) > 0 {
			msg += "\n" + strings.Join(left, "\n")
		}
		info := dialog.NewCustom("Export to Google Authenticator", "OK", &widget.Label{Text: msg, Wrapping: fyne.TextWrapWord}, w.win)
		info.Resize(fyne.NewSize(min(400, w.win.Canvas().Size().Width), 0))
		info.Show()
		w.dialogs.push(info, info.Hide, nil)
		return nil
	}
	var footer fyne.CanvasObject
	if len(left) > 0 {
		footer = widget.NewAccordion(widget.NewAccordionItem(
			count(len(left), "account left out", "accounts left out"),
			&widget.Label{Text: strings.Join(left, "\n"), Wrapping: fyne.TextWrapWord}))
	}
	n := len(w.v.Accounts) - len(left)
	d := w.showQR("Export to Google Authenticator",
		fmt.Sprintf("These codes hold the secret keys of %s. In Google Authenticator on your phone choose "+
			"Transfer accounts, Import accounts, and scan them one after the other. Let nobody else see them.",
			count(n, "account", "accounts")),
		texts, footer)
	d.leftOut = left
	return d
}
