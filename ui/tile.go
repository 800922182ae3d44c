package ui

import (
	"hash/fnv"
	"image/color"
	"strconv"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authdeck/vault"
)

// Sizes of a tile.
const (
	tileHeight   = 76
	avatarSize   = 40
	codeTextSize = 26
	barHeight    = 3
	dropHeight   = 6 // the drop marker, thicker than a countdown bar
)

// tile shows one account: its avatar, issuer and name, the code and its
// countdown. A tap or Enter copies the code; dragging it reorders the tiles.
// The list reuses tiles as it scrolls: bind points a tile at another account.
type tile struct {
	widget.BaseWidget
	w *mainWindow

	pos     int // shown position of the account
	id      string
	focused bool

	// What the tile shows now, to change widgets only when it changes.
	code, next, secs string
	frac             float32

	bg, bar, drop *canvas.Rectangle
	avatar        *avatarView
	issuer, name  *widget.Label
	codeText      *canvas.Text
	countText     *canvas.Text
	hotpBtn       *widget.Button
	completeBtn   *widget.Button
	menuBtn       *widget.Button
	starBtn       *widget.Button
}

func (w *mainWindow) newTile() *tile {
	t := &tile{
		w:         w,
		pos:       -1,
		bg:        &canvas.Rectangle{CornerRadius: theme.InputRadiusSize(), StrokeWidth: 2},
		bar:       &canvas.Rectangle{},
		drop:      &canvas.Rectangle{},
		avatar:    newAvatarView(w, avatarSize),
		issuer:    &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		name:      &widget.Label{Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText},
		codeText:  &canvas.Text{TextSize: codeTextSize, Alignment: fyne.TextAlignTrailing},
		countText: &canvas.Text{TextSize: 12, Alignment: fyne.TextAlignTrailing},
	}
	t.hotpBtn = &widget.Button{Text: "Next code", Icon: theme.MediaSkipNextIcon(), OnTapped: func() { w.onNextHOTP(t.pos) }}
	t.completeBtn = &widget.Button{Text: "Complete…", Icon: theme.WarningIcon(), OnTapped: func() { w.onComplete(t.pos) }}
	t.menuBtn = &widget.Button{Icon: theme.MoreVerticalIcon(), Importance: widget.LowImportance, OnTapped: func() { w.onTileMenu(t) }}
	t.starBtn = &widget.Button{Icon: starOffIcon, Importance: widget.LowImportance, OnTapped: func() { w.onFavorite(t.pos) }}
	t.drop.Hide()
	t.ExtendBaseWidget(t)
	w.tiles = append(w.tiles, t)
	return t
}

// bind points the tile at the account at shown position i and redraws it.
func (t *tile) bind(i int) {
	t.pos = i
	a := t.w.account(i)
	if a == nil {
		return
	}
	t.id = a.ID
	th := t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()

	t.avatar.show(a)
	var star fyne.Resource = starOffIcon
	if a.Favorite {
		star = starOnIcon
	}
	if t.starBtn.Icon != star {
		t.starBtn.SetIcon(star)
	}
	title, details := a.Issuer, []string{a.Name}
	if title == "" {
		title, details = a.Name, nil
	}
	if a.Group != "" {
		details = append(details, a.Group)
	}
	if a.Binding == vault.DeviceBound {
		details = append(details, "this device only")
	}
	setText(t.issuer, title)
	setText(t.name, strings.Join(details, " · "))

	// Tiles sit on the window's background: a filled card behind each would
	// cost a full-window blend on every repaint with software rendering.
	t.bg.FillColor = color.Transparent
	t.bg.StrokeColor = color.Transparent
	if t.focused {
		t.bg.FillColor = th.Color(theme.ColorNameHover, v)
		t.bg.StrokeColor = th.Color(theme.ColorNamePrimary, v)
	}
	dragged := t.w.drag.from == i
	if dragged {
		t.bg.FillColor = th.Color(theme.ColorNameSelection, v)
	}
	t.drop.FillColor = th.Color(theme.ColorNamePrimary, v)
	t.drop.Hidden = t.w.drag.to != i || t.w.drag.from == i

	showIf(t.hotpBtn, a.Type == vault.HOTP && !a.NeedsVerification)
	showIf(t.completeBtn, a.NeedsVerification)
	t.code, t.next, t.secs, t.frac = "", "", "", -1
	t.tick(t.w.codeTime(t.w.now()))
	// Only what changed is redrawn: a tile's buttons and labels cost more
	// to refresh than all the rest, and the grid binds tiles as it scrolls.
	t.layout(t.Size())
	t.bg.Refresh()
	t.drop.Refresh()
}

// setText changes a label's text if it differs.
func setText(l *widget.Label, s string) {
	if l.Text != s {
		l.SetText(s)
	}
}

// showIf shows or hides o, if it is not so already.
func showIf(o fyne.CanvasObject, show bool) {
	switch {
	case show && !o.Visible():
		o.Show()
	case !show && o.Visible():
		o.Hide()
	}
}

// tick updates the code and countdown for time now, touching only the
// objects whose content changed.
func (t *tile) tick(now time.Time) {
	a := t.w.account(t.pos)
	if a == nil || a.ID != t.id {
		return
	}
	th := t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	code, secs, next := "", "", ""
	frac := float32(0)
	warn := false
	switch {
	case a.NeedsVerification:
		code = "needs verification"
	case a.Type == vault.HOTP:
		code = t.w.hotpCodes[a.ID]
		if code == "" {
			code = strings.Repeat("–", a.Digits)
		}
	default:
		c, err := a.Code(now)
		if err != nil {
			code = "error"
			break
		}
		code = c
		left := a.Remaining(now)
		s := int((left + time.Second - 1) / time.Second)
		secs = strconv.Itoa(s) + " s"
		frac = float32(left.Seconds()) / float32(a.Period)
		if left <= nextCodeFrom {
			warn = true
			if n, err := a.NextCode(now); err == nil {
				next = "next " + groupCode(n, t.hidden(a, now))
			}
		}
	}
	if !a.NeedsVerification {
		code = groupCode(code, t.hidden(a, now) && a.Type != vault.HOTP)
	}
	switch {
	case next != "":
		secs = next + " · " + secs
	case secs != "" && t.w.corr.InForce():
		// While Authdeck corrects the clock, every code says so.
		secs = "corrected " + offsetText(t.w.corr.Offset) + " · " + secs
	}
	if code != t.code {
		t.code = code
		t.codeText.Text = code
		t.codeText.TextSize = codeTextSize
		t.codeText.Color = th.Color(theme.ColorNamePrimary, v)
		if a.NeedsVerification {
			t.codeText.TextSize = theme.TextSize()
			t.codeText.Color = th.Color(theme.ColorNameWarning, v)
		}
		t.codeText.Refresh()
	}
	if secs != t.secs {
		t.secs = secs
		t.countText.Text = secs
		t.countText.Color = th.Color(theme.ColorNamePlaceHolder, v)
		if warn {
			t.countText.Color = th.Color(theme.ColorNameError, v)
		}
		t.countText.Refresh()
	}
	if frac != t.frac {
		t.frac = frac
		t.bar.FillColor = th.Color(theme.ColorNamePrimary, v)
		if warn {
			t.bar.FillColor = th.Color(theme.ColorNameError, v)
		}
		t.bar.Hidden = frac <= 0
		t.layoutBar(t.Size())
		t.bar.Refresh()
	}
}

// hidden reports whether a's code is hidden now.
func (t *tile) hidden(a *vault.Account, now time.Time) bool {
	if t.w.v == nil || !t.w.v.Prefs.HideCodes {
		return false
	}
	return !now.Before(t.w.revealed[a.ID])
}

func (t *tile) layoutBar(size fyne.Size) {
	inset := theme.InputRadiusSize()
	full := size.Width - 2*inset
	t.bar.Move(fyne.NewPos(inset, size.Height-barHeight))
	t.bar.Resize(fyne.NewSize(full*max(0, min(1, t.frac)), barHeight))
}

// Tapped copies the code.
func (t *tile) Tapped(*fyne.PointEvent) {
	t.w.onCopy(t.pos)
}

// TappedSecondary opens the tile's menu.
func (t *tile) TappedSecondary(*fyne.PointEvent) {
	t.w.onTileMenu(t)
}

// FocusGained shows the focus ring.
func (t *tile) FocusGained() {
	t.focused = true
	t.bind(t.pos)
}

// FocusLost hides the focus ring.
func (t *tile) FocusLost() {
	t.focused = false
	t.bind(t.pos)
}

// TypedRune sends typing on a tile to the search field.
func (t *tile) TypedRune(r rune) {
	t.w.focusSearch()
	t.w.search.TypedRune(r)
}

// TypedKey handles the keys of a focused tile: Enter copies, the arrows move
// the focus through the grid, Delete deletes, F2 edits, Escape goes back to
// the search.
func (t *tile) TypedKey(ev *fyne.KeyEvent) {
	cols := t.w.grid.cols
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		t.w.onCopy(t.pos)
	case fyne.KeyDown:
		t.w.focusTile(t.pos + cols)
	case fyne.KeyUp:
		if t.pos < cols {
			t.w.focusSearch()
		} else {
			t.w.focusTile(t.pos - cols)
		}
	case fyne.KeyRight:
		t.w.focusTile(t.pos + 1)
	case fyne.KeyLeft:
		t.w.focusTile(t.pos - 1)
	case fyne.KeyHome:
		t.w.focusTile(0)
	case fyne.KeyEnd:
		t.w.focusTile(len(t.w.shown) - 1)
	case fyne.KeyDelete:
		t.w.onDelete(t.pos)
	case fyne.KeyF2:
		t.w.onEdit(t.pos)
	case fyne.KeyEscape:
		t.w.search.SetText("")
		t.w.focusSearch()
	}
}

// TypedShortcut handles Alt and an arrow, which move the tile where the
// arrow points, and Ctrl+D, which pins it as a favourite or unpins it; the
// window's own shortcuts pass on to the window.
func (t *tile) TypedShortcut(s fyne.Shortcut) {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok {
		return
	}
	if t.w.hasShortcut(cs) {
		t.w.keys.TypedShortcut(s)
		return
	}
	if cs.KeyName == fyne.KeyD && cs.Modifier == fyne.KeyModifierShortcutDefault {
		t.w.onFavorite(t.pos)
		return
	}
	if cs.Modifier != fyne.KeyModifierAlt {
		return
	}
	cols := t.w.grid.cols
	switch cs.KeyName {
	case fyne.KeyUp:
		t.w.onMove(t.pos, t.pos-cols)
	case fyne.KeyDown:
		t.w.onMove(t.pos, min(t.pos+cols, len(t.w.shown)-1))
	case fyne.KeyLeft:
		t.w.onMove(t.pos, t.pos-1)
	case fyne.KeyRight:
		t.w.onMove(t.pos, t.pos+1)
	}
}

// Dragged moves the drop marker with the pointer.
func (t *tile) Dragged(ev *fyne.DragEvent) {
	t.w.onDragged(t, ev)
}

// DragEnd drops the tile where the marker is.
func (t *tile) DragEnd() {
	t.w.onDragEnd()
}

// MinSize is the height of a tile and a width that fits a code.
func (t *tile) MinSize() fyne.Size {
	return fyne.NewSize(tileMinWidth(), tileHeight)
}

// tileMinWidth is the narrowest a tile gets: an avatar, a code of eight
// digits, the star and the menu button, and a little of the issuer.
func tileMinWidth() float32 {
	return avatarSize + theme.Padding()*6 + codeWidth(8) + theme.IconInlineSize()*5
}

// codeWidth is the width of a grouped code of n digits.
func codeWidth(n int) float32 {
	return fyne.MeasureText(strings.Repeat("0", n+1), codeTextSize, fyne.TextStyle{}).Width
}

func (t *tile) CreateRenderer() fyne.WidgetRenderer {
	objects := []fyne.CanvasObject{t.bg, t.bar, t.avatar, t.issuer, t.name, t.codeText, t.countText,
		t.hotpBtn, t.completeBtn, t.starBtn, t.menuBtn, t.drop}
	return &tileRenderer{t: t, objects: objects}
}

type tileRenderer struct {
	t       *tile
	objects []fyne.CanvasObject
}

func (r *tileRenderer) Layout(size fyne.Size) { r.t.layout(size) }

// layout places the tile's parts for a tile of the given size.
func (t *tile) layout(size fyne.Size) {
	p := theme.Padding()
	inner := size.Height - barHeight
	t.bg.Move(fyne.NewPos(0, 0))
	t.bg.Resize(size)
	t.layoutBar(size)
	if t.w.drag.from >= 0 && t.w.drag.to > t.w.drag.from {
		t.drop.Move(fyne.NewPos(0, size.Height-dropHeight))
	} else {
		t.drop.Move(fyne.NewPos(0, 0))
	}
	t.drop.Resize(fyne.NewSize(size.Width, dropHeight))
	if t.w.grid.cols > 1 {
		// Across columns the marker stands at the side the tile goes to.
		t.drop.Move(fyne.NewPos(0, 0))
		if t.w.drag.from >= 0 && t.w.drag.to > t.w.drag.from {
			t.drop.Move(fyne.NewPos(size.Width-dropHeight, 0))
		}
		t.drop.Resize(fyne.NewSize(dropHeight, size.Height))
	}

	x := p * 2
	t.avatar.Move(fyne.NewPos(x, (inner-avatarSize)/2))
	t.avatar.Resize(fyne.NewSize(avatarSize, avatarSize))
	x += avatarSize + p

	menu := t.menuBtn.MinSize()
	right := size.Width - p
	t.menuBtn.Move(fyne.NewPos(right-menu.Width, (inner-menu.Height)/2))
	t.menuBtn.Resize(menu)
	right -= menu.Width
	star := t.starBtn.MinSize()
	t.starBtn.Move(fyne.NewPos(right-star.Width, (inner-star.Height)/2))
	t.starBtn.Resize(star)
	right -= star.Width

	// The code and the line under it are right-aligned, before the menu.
	codeH := t.codeText.MinSize().Height
	countH := t.countText.MinSize().Height
	codeW := max(t.codeText.MinSize().Width, t.countText.MinSize().Width)
	var action *widget.Button
	switch {
	case !t.hotpBtn.Hidden:
		action = t.hotpBtn
	case !t.completeBtn.Hidden:
		action = t.completeBtn
	}
	top := (inner - codeH - countH) / 2
	if action != nil {
		bs := action.MinSize()
		codeW = max(codeW, bs.Width)
		top = (inner - codeH - bs.Height) / 2
		action.Move(fyne.NewPos(right-bs.Width, top+codeH))
		action.Resize(bs)
	}
	t.codeText.Move(fyne.NewPos(right-codeW, top))
	t.codeText.Resize(fyne.NewSize(codeW, codeH))
	t.countText.Move(fyne.NewPos(right-codeW, top+codeH))
	t.countText.Resize(fyne.NewSize(codeW, countH))

	// Issuer and name take what is left.
	textW := max(0, right-codeW-p-x)
	ih, nh := t.issuer.MinSize().Height, t.name.MinSize().Height
	ty := (inner - ih - nh + 2*p) / 2
	t.issuer.Move(fyne.NewPos(x-p, ty))
	t.issuer.Resize(fyne.NewSize(textW+p, ih))
	t.name.Move(fyne.NewPos(x-p, ty+ih-2*p))
	t.name.Resize(fyne.NewSize(textW+p, nh))
}

func (r *tileRenderer) MinSize() fyne.Size           { return r.t.MinSize() }
func (r *tileRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *tileRenderer) Destroy()                     {}

func (r *tileRenderer) Refresh() {
	r.Layout(r.t.Size())
	for _, o := range r.objects {
		o.Refresh()
	}
}

// groupCode writes a code in groups for reading: "123 456", "1234 5678",
// "12345". Hidden codes are dots.
func groupCode(code string, hidden bool) string {
	if strings.IndexFunc(code, func(r rune) bool { return !unicode.IsDigit(r) && !unicode.IsLetter(r) && r != '–' }) >= 0 {
		return code
	}
	runes := []rune(code)
	if hidden {
		runes = []rune(strings.Repeat("•", len(runes)))
	}
	n := len(runes)
	var g int
	switch n {
	case 6, 9:
		g = 3
	case 7:
		return string(runes[:3]) + " " + string(runes[3:])
	case 8:
		g = 4
	case 10:
		g = 5
	default:
		return string(runes)
	}
	var b strings.Builder
	for i, r := range runes {
		if i > 0 && i%g == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// avatarLetter is the first letter of the issuer, or of the name.
func avatarLetter(a *vault.Account) string {
	for _, s := range []string{a.Issuer, a.Name} {
		for _, r := range s {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return string(unicode.ToUpper(r))
			}
		}
	}
	return "?"
}

// avatarPalette are colours that carry white text in light and dark themes.
var avatarPalette = []color.NRGBA{
	{0xd3, 0x2f, 0x2f, 0xff}, {0xc2, 0x18, 0x5b, 0xff}, {0x7b, 0x1f, 0xa2, 0xff}, {0x51, 0x2d, 0xa8, 0xff},
	{0x30, 0x3f, 0x9f, 0xff}, {0x19, 0x76, 0xd2, 0xff}, {0x02, 0x77, 0xbd, 0xff}, {0x00, 0x83, 0x8f, 0xff},
	{0x00, 0x79, 0x6b, 0xff}, {0x38, 0x8e, 0x3c, 0xff}, {0xef, 0x6c, 0x00, 0xff}, {0x5d, 0x40, 0x37, 0xff},
}

// avatarColor picks an avatar colour from the issuer, the same every time.
func avatarColor(key string) color.Color {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(strings.TrimSpace(key))))
	return avatarPalette[h.Sum32()%uint32(len(avatarPalette))]
}
