package ui

import (
	"fmt"
	"io"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authdeck/assets/brands"
	"authdeck/vault"
)

// previewSize is the size of the icons in the edit dialog and the picker.
const previewSize = 32

// iconChoice is the icon row of the edit dialog: what the tile will show, and
// buttons that pick a bundled icon, a custom image file, or the letter. The
// account's issuer and name come from the dialog's fields, for the icon that
// matches them.
type iconChoice struct {
	w       *mainWindow
	account func() vault.Account // the account as the dialog's fields say now

	icon  string // vault.Account.Icon: "" matched, "letter", or a brand's name
	image []byte // a custom image, which wins over icon

	preview *avatarView
	label   *widget.Label
	content fyne.CanvasObject
}

func newIconChoice(w *mainWindow, a *vault.Account, account func() vault.Account) *iconChoice {
	c := &iconChoice{w: w, account: account, icon: a.Icon, image: a.IconImage}
	c.preview = newAvatarView(w, previewSize)
	c.label = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	pick := &widget.Button{Text: "Icon…", Icon: theme.SearchIcon(), OnTapped: c.onPick}
	file := &widget.Button{Text: "Image…", Icon: theme.FileImageIcon(), OnTapped: c.onImage}
	letter := &widget.Button{Text: "Letter", OnTapped: func() { c.set(vault.IconLetter, nil) }}
	auto := &widget.Button{Text: "Automatic", OnTapped: func() { c.set("", nil) }}
	c.content = container.NewVBox(
		container.NewBorder(nil, nil, c.preview, nil, c.label),
		container.NewGridWithColumns(2, pick, file, auto, letter))
	c.update()
	return c
}

// set makes icon and image the choice.
func (c *iconChoice) set(icon string, image []byte) {
	c.icon, c.image = icon, image
	c.update()
}

// update shows the icon the tile will have, and says where it comes from.
func (c *iconChoice) update() {
	a := c.account()
	a.Icon, a.IconImage = c.icon, c.image
	c.preview.show(&a)
	name, matched := brands.Resolve(a.Icon, a.Issuer, a.Name)
	title := func() string {
		ic, _ := brands.Lookup(name)
		return ic.Title
	}
	switch {
	case a.IconImage != nil:
		c.label.SetText("Your image")
	case a.Icon == vault.IconLetter:
		c.label.SetText("The letter")
	case a.Icon != "" && matched && name == a.Icon:
		c.label.SetText(title())
	case matched:
		c.label.SetText(title() + " (found from the issuer)")
	default:
		c.label.SetText("The letter (no icon matches the issuer)")
	}
}

// onImage asks for an image file for the tile; one that is too big or not an
// image is refused with the reason, and the choice stays as it was.
func (c *iconChoice) onImage() {
	w := c.w
	w.openFile("Choose an image for the tile", []string{".png", ".jpg", ".jpeg"}, func(path string) {
		var data []byte
		var err error
		w.sess.run(func() { data, err = readIconImage(path) }, func() {
			if err != nil {
				w.showError(err)
				return
			}
			c.set(c.icon, data)
		})
	})
}

// readIconImage reads a custom icon image, reading no more than the vault
// takes, and checks it by the vault's rules.
func readIconImage(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, vault.MaxIconImageBytes+1))
	if err != nil {
		return nil, err
	}
	if err := vault.CheckIconImage(data); err != nil {
		return nil, &iconImageError{err}
	}
	return data, nil
}

// iconImageError is an image the vault does not take as a tile's icon.
type iconImageError struct{ err error }

func (e *iconImageError) Error() string {
	return fmt.Sprintf("%v. Choose a PNG or JPEG image of at most %d KiB and %d×%d pixels", e.err,
		vault.MaxIconImageBytes>>10, vault.MaxIconImageSide, vault.MaxIconImageSide)
}

func (e *iconImageError) Unwrap() error { return e.err }

// onPick opens the icon picker.
func (c *iconChoice) onPick() {
	newIconPicker(c.w, func(name string) { c.set(name, nil) }).show()
}

// iconPicker is a searchable list of every bundled icon.
type iconPicker struct {
	w      *mainWindow
	chosen func(name string)

	all    []brands.Icon
	shown  []brands.Icon
	picked string

	search *entry
	list   *widget.List
	dlg    *dialog.CustomDialog
}

func newIconPicker(w *mainWindow, chosen func(string)) *iconPicker {
	p := &iconPicker{w: w, chosen: chosen, all: brands.All()}
	p.shown = p.all
	return p
}

func (p *iconPicker) show() {
	w := p.w
	p.search = w.newEntry(entryOptions{PlaceHolder: fmt.Sprintf("Search %d icons", len(p.all)), OnChanged: p.filter})
	p.list = &widget.List{
		Length: func() int { return len(p.shown) },
		CreateItem: func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, newAvatarView(w, previewSize), nil, &widget.Label{})
		},
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			ic := p.shown[i]
			row.Objects[0].(*widget.Label).SetText(ic.Title)
			row.Objects[1].(*avatarView).showBrand(ic.Name)
		},
		OnSelected: func(i widget.ListItemID) { p.picked = p.shown[i].Name },
	}
	p.list.ExtendBaseWidget(p.list)
	p.search.OnSubmitted = func(string) { p.use() }
	content := container.NewBorder(p.search, nil, nil, nil, p.list)
	p.dlg = dialog.NewCustom("Choose an icon", "Cancel", content, w.win)
	p.dlg.SetButtons([]fyne.CanvasObject{
		&widget.Button{Text: "Cancel", OnTapped: p.dlg.Hide},
		&widget.Button{Text: "Use this icon", Importance: widget.HighImportance, OnTapped: p.use},
	})
	p.dlg.Resize(fyne.NewSize(min(440, w.win.Canvas().Size().Width), min(560, w.win.Canvas().Size().Height)))
	p.dlg.Show()
	w.dialogs.push(p.dlg, p.use, nil)
	w.win.Canvas().Focus(p.search)
}

// filter shows the icons whose title or name holds the query.
func (p *iconPicker) filter(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	p.shown = p.all
	if q != "" {
		p.shown = nil
		for _, ic := range p.all {
			if strings.Contains(strings.ToLower(ic.Title), q) || strings.Contains(ic.Name, q) {
				p.shown = append(p.shown, ic)
			}
		}
	}
	p.picked = ""
	p.list.UnselectAll()
	p.list.ScrollToTop()
	p.list.Refresh()
}

// use takes the icon picked, or the first one shown, and closes the picker.
func (p *iconPicker) use() {
	name := p.picked
	if name == "" && len(p.shown) > 0 {
		name = p.shown[0].Name
	}
	if name == "" {
		return
	}
	p.w.dialogs.remove(p.dlg)
	p.dlg.Hide()
	p.chosen(name)
}
