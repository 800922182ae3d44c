package ui

import (
	"bytes"
	"cmp"
	"hash/fnv"
	"image"
	"image/color"
	_ "image/jpeg" // custom icon images are PNG or JPEG
	_ "image/png"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/image/draw"

	"authdeck/assets/brands"
	"authdeck/vault"
)

// iconKey names one drawn icon: a brand icon or a custom image (by a hash of
// its bytes), at a size in pixels, for a light or dark window.
type iconKey struct {
	brand string
	image uint64
	px    int
	dark  bool
}

// iconCache keeps the icons drawn lately, so that each is drawn once per size
// and theme, not as tiles scroll, rebind or tick. It holds at most twice
// iconsKept of them: the icon picker alone can show thousands, which would
// otherwise stay in memory, 6 KB each at 40 px and four times that on a
// high-density screen. It is used on the UI goroutine only.
type iconCache struct {
	images map[iconKey]image.Image // drawn or used since the last turn
	older  map[iconKey]image.Image // those of the turn before
}

// iconsKept is how many icons the cache holds before it starts forgetting
// those not used lately: more than a large screen shows at once.
const iconsKept = 128

// get returns the image for k, drawing it the first time; nil when it cannot
// be drawn (the tile shows its letter then).
func (c *iconCache) get(k iconKey, custom []byte) image.Image {
	if img, ok := c.images[k]; ok {
		return img
	}
	if len(c.images) >= iconsKept {
		// A new turn: what was not used during the last one is let go.
		c.older, c.images = c.images, nil
	}
	if c.images == nil {
		c.images = make(map[iconKey]image.Image)
	}
	if img, ok := c.older[k]; ok {
		c.images[k] = img
		return img
	}
	var img image.Image
	if custom != nil {
		img = roundImage(custom, k.px)
	} else {
		th := brands.Light
		if k.dark {
			th = brands.Dark
		}
		if r, err := brands.Render(k.brand, k.px, th); err == nil {
			img = r
		}
	}
	c.images[k] = img
	return img
}

// iconFor returns what icon a tile of a shows at px pixels: its custom image,
// else its chosen or matched brand icon; ok is false for the letter.
func iconFor(a *vault.Account, px int, dark bool) (k iconKey, ok bool) {
	k = iconKey{px: px, dark: dark}
	if a.IconImage != nil {
		h := fnv.New64a()
		h.Write(a.IconImage)
		k.image = h.Sum64()
		return k, true
	}
	k.brand, ok = brands.Resolve(a.Icon, a.Issuer, a.Name)
	return k, ok
}

// roundImage decodes a custom icon image and scales it into a disc of px
// pixels; nil if it does not decode. The vault took the image only within
// its size limits, so decoding costs little.
func roundImage(data []byte, px int) image.Image {
	if vault.CheckIconImage(data) != nil {
		return nil
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	// Crop the middle square, so that a wide image is not squeezed.
	b := src.Bounds()
	side := min(b.Dx(), b.Dy())
	corner := b.Min.Add(image.Pt((b.Dx()-side)/2, (b.Dy()-side)/2))
	sq := image.Rectangle{Min: corner, Max: corner.Add(image.Pt(side, side))}
	scaled := image.NewRGBA(image.Rect(0, 0, px, px))
	draw.CatmullRom.Scale(scaled, scaled.Bounds(), src, sq, draw.Src, nil)
	out := image.NewRGBA(scaled.Bounds())
	draw.DrawMask(out, out.Bounds(), scaled, image.Point{}, &disc{px}, image.Point{}, draw.Over)
	return out
}

// disc is a round, anti-aliased mask of n x n pixels.
type disc struct{ n int }

func (d *disc) ColorModel() color.Model { return color.AlphaModel }
func (d *disc) Bounds() image.Rectangle { return image.Rect(0, 0, d.n, d.n) }
func (d *disc) At(x, y int) color.Color {
	r := float64(d.n) / 2
	dx, dy := float64(x)+0.5-r, float64(y)+0.5-r
	// Coverage falls from 1 to 0 over the last pixel of the radius.
	cov := min(1, max(0, r-math.Hypot(dx, dy)+0.5))
	return color.Alpha{uint8(cov * 255)}
}

// scale is the window's pixels per Fyne unit.
func (w *mainWindow) scale() float32 {
	if s := w.win.Canvas().Scale(); s > 0 {
		return s
	}
	return 1
}

// isDark reports whether th draws variant v on a dark background.
func isDark(th fyne.Theme, v fyne.ThemeVariant) bool {
	r, g, b, _ := th.Color(theme.ColorNameBackground, v).RGBA()
	return 299*r+587*g+114*b < 500*0xffff
}

// The favourite star, filled and outlined (Material Design's star icons).
var (
	starOnIcon = theme.NewPrimaryThemedResource(fyne.NewStaticResource("star.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#000" d="M12 17.27L18.18 21l-1.64-7.03L22 9.24l-7.19-.61L12 2 9.19 8.63 2 9.24l5.46 4.73L5.82 21z"/></svg>`)))
	starOffIcon = theme.NewDisabledResource(fyne.NewStaticResource("star-outline.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#000" d="M22 9.24l-7.19-.62L12 2 9.19 8.63 2 9.24l5.46 4.73L5.82 21 12 17.27 18.18 21l-1.63-7.03L22 9.24zM12 15.4l-3.76 2.27 1-4.28-3.32-2.88 4.38-.38L12 6.1l1.71 4.04 4.38.38-3.32 2.88 1 4.28L12 15.4z"/></svg>`)))
)

// avatarView is an account's icon on its own, as the tile draws it: the
// brand icon or image, or the letter on its colour.
type avatarView struct {
	widget.BaseWidget
	w      *mainWindow
	size   float32
	circle *canvas.Circle
	letter *canvas.Text
	image  *canvas.Image
	key    iconKey       // the icon shown, zero for the letter
	shown  vault.Account // what of the account the icon comes from
}

func newAvatarView(w *mainWindow, size float32) *avatarView {
	v := &avatarView{w: w, size: size,
		circle: &canvas.Circle{},
		letter: &canvas.Text{TextSize: size / 2, Alignment: fyne.TextAlignCenter, Color: color.White},
		image:  &canvas.Image{FillMode: canvas.ImageFillContain},
	}
	v.ExtendBaseWidget(v)
	return v
}

// show draws a's icon: drawn once per icon, size and theme, and kept in the
// window's cache.
func (v *avatarView) show(a *vault.Account) {
	v.shown = vault.Account{Issuer: a.Issuer, Name: a.Name, Icon: a.Icon, IconImage: a.IconImage}
	v.circle.FillColor = avatarColor(cmp.Or(a.Issuer, a.Name))
	v.letter.Text = avatarLetter(a)
	px := int(v.size*v.w.scale() + 0.5)
	k, ok := iconFor(a, px, isDark(v.Theme(), fyne.CurrentApp().Settings().ThemeVariant()))
	var img image.Image
	if ok {
		img = v.w.icons.get(k, a.IconImage)
	}
	if img == nil {
		k = iconKey{}
	}
	v.image.Hidden = img == nil
	v.circle.Hidden, v.letter.Hidden = img != nil, img != nil
	if k != v.key || img == nil {
		v.key = k
		v.image.Image = img
		v.Refresh()
	}
}

// showBrand draws the bundled icon with the given name.
func (v *avatarView) showBrand(name string) {
	v.show(&vault.Account{Icon: name, Issuer: name})
}

func (v *avatarView) MinSize() fyne.Size { return fyne.NewSize(v.size, v.size) }

func (v *avatarView) CreateRenderer() fyne.WidgetRenderer {
	return &avatarRenderer{v: v, objects: []fyne.CanvasObject{v.circle, v.letter, v.image}}
}

type avatarRenderer struct {
	v       *avatarView
	objects []fyne.CanvasObject
}

func (r *avatarRenderer) Layout(size fyne.Size) {
	s := fyne.NewSize(r.v.size, r.v.size)
	pos := fyne.NewPos(0, (size.Height-s.Height)/2)
	r.v.circle.Move(pos)
	r.v.circle.Resize(s)
	r.v.image.Move(pos)
	r.v.image.Resize(s)
	lh := r.v.letter.MinSize().Height
	r.v.letter.Move(fyne.NewPos(0, pos.Y+(s.Height-lh)/2))
	r.v.letter.Resize(fyne.NewSize(s.Width, lh))
}

func (r *avatarRenderer) MinSize() fyne.Size           { return r.v.MinSize() }
func (r *avatarRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *avatarRenderer) Destroy()                     {}
func (r *avatarRenderer) Refresh() {
	v := r.v
	if v.key != (iconKey{}) && v.key.dark != isDark(v.Theme(), fyne.CurrentApp().Settings().ThemeVariant()) {
		v.show(&v.shown) // the theme changed: the icon for the other background
		return
	}
	r.Layout(r.v.Size())
	for _, o := range r.objects {
		o.Refresh()
	}
}
