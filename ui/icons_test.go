package ui

import (
	"errors"
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2/test"

	"authdeck/assets/brands"
	"authdeck/vault"
)

func TestTileShowsBrandIconOrLetter(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	gh := tileAt(t, w, 0).avatar // GitHub
	if !gh.key.dark {
		t.Fatal("the test app's dark theme drew the GitHub icon for a light background")
	}
	w.applyTheme("light") // the icon is drawn again for the new background
	if !gh.image.Visible() || gh.letter.Visible() || gh.key.brand != "github" {
		t.Fatalf("the GitHub tile shows brand %q, image %v", gh.key.brand, gh.image.Visible())
	}
	want, err := brands.Render("github", avatarSize, brands.Light)
	if err != nil {
		t.Fatal(err)
	}
	if !sameImage(gh.image.Image, want) {
		t.Errorf("the GitHub tile's image is not GitHub's icon: %+v %v", gh.key, gh.image.Image.Bounds())
	}
	bank := tileAt(t, w, 3).avatar // an issuer no icon matches
	if bank.image.Visible() || !bank.letter.Visible() || bank.letter.Text != "B" {
		t.Errorf("the Bank tile: image %v, letter %q", bank.image.Visible(), bank.letter.Text)
	}
	// Each icon is drawn once: rebinding and ticking reuse it.
	n := len(w.icons.images)
	w.refreshAll()
	w.tick(testNow)
	if len(w.icons.images) != n || gh.image.Image == nil {
		t.Errorf("%d icons drawn after a refresh, %d before", len(w.icons.images), n)
	}
}

func TestEditDialogChoosesIcon(t *testing.T) {
	w := newTestWindow(t, testURIs...)
	// The picker finds GitLab by a part of its name; Enter takes it.
	w.onEdit(0)
	d := w.editDlg
	p := newIconPicker(w, func(name string) { d.icon.set(name, nil) })
	p.show()
	test.Type(p.search, "gitla")
	if len(p.shown) == 0 || p.shown[0].Name != "gitlab" {
		t.Fatalf("searching the icons for gitla shows %d, first %v", len(p.shown), p.shown)
	}
	w.dialogs.enter()
	if d.icon.icon != "gitlab" || d.icon.label.Text != "GitLab" {
		t.Errorf("the dialog's icon is %q (%q)", d.icon.icon, d.icon.label.Text)
	}
	test.Tap(d.favorite)
	d.onSave(true)
	if a := w.v.Accounts[0]; a.Icon != "gitlab" || !a.Favorite {
		t.Errorf("saved icon %q, favourite %v", a.Icon, a.Favorite)
	}
	if k := tileAt(t, w, 0).avatar.key; k.brand != "gitlab" {
		t.Errorf("the tile shows %q", k.brand)
	}

	// A custom image, drawn in a disc.
	dir := t.TempDir()
	red := squarePNG(t, dir, "red.png", 64, color.RGBA{0xff, 0, 0, 0xff})
	data, err := readIconImage(red)
	if err != nil {
		t.Fatal(err)
	}
	w.onEdit(0)
	d = w.editDlg
	d.icon.set(d.icon.icon, data)
	d.onSave(true)
	av := tileAt(t, w, 0).avatar
	if av.key.image == 0 || !av.image.Visible() {
		t.Fatal("the tile does not show the custom image")
	}
	mid := av.image.Image.At(avatarSize/2, avatarSize/2)
	if r, g, _, _ := mid.RGBA(); r < 0xf000 || g > 0x1000 {
		t.Errorf("the custom image's middle is %v, want red", mid)
	}
	if _, _, _, a := av.image.Image.At(0, 0).RGBA(); a != 0 {
		t.Error("the custom image's corner is not cut round")
	}

	// Too big: refused with the reason, and nothing changes.
	big := squarePNG(t, dir, "big.png", vault.MaxIconImageSide+1, color.RGBA{0, 0, 0xff, 0xff})
	_, err = readIconImage(big)
	var ie *iconImageError
	if !errors.As(err, &ie) || !errors.Is(err, vault.ErrIconImage) {
		t.Errorf("a %d px image: %v", vault.MaxIconImageSide+1, err)
	}

	// Back to the letter.
	w.onEdit(0)
	d = w.editDlg
	d.icon.set(vault.IconLetter, nil)
	d.onSave(true)
	if av := tileAt(t, w, 0).avatar; av.image.Visible() || av.letter.Text != "G" {
		t.Errorf("after choosing the letter the tile shows image %v, letter %q", av.image.Visible(), av.letter.Text)
	}
}

// squarePNG writes a PNG of side x side pixels of colour c into dir and
// returns its path.
func squarePNG(t *testing.T, dir, name string, side int, c color.Color) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	for y := range side {
		for x := range side {
			img.Set(x, y, c)
		}
	}
	return writePNG(t, dir, name, img).Path()
}

func sameImage(a, b image.Image) bool {
	if a == nil || b == nil || a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}

func TestIconCacheKeepsIconsUsedLately(t *testing.T) {
	var c iconCache
	all := brands.All()
	kept := iconKey{brand: all[0].Name, px: avatarSize}
	first := c.get(kept, nil)
	if first == nil {
		t.Fatalf("%s does not draw", kept.brand)
	}
	// Scrolling the icon picker through many icons, while one tile keeps
	// showing its own.
	for i := 1; i <= 5*iconsKept; i++ {
		c.get(iconKey{brand: all[i].Name, px: avatarSize}, nil)
		if got := c.get(kept, nil); got != first {
			t.Fatalf("after %d other icons the icon in use was drawn again", i)
		}
		if n := len(c.images) + len(c.older); n > 2*iconsKept {
			t.Fatalf("after %d icons the cache holds %d", i+1, n)
		}
	}
	// One not used since falls out, and is drawn again when it is needed.
	gone := iconKey{brand: all[1].Name, px: avatarSize}
	if _, ok := c.images[gone]; ok {
		t.Error("an icon not used for many turns is still kept")
	}
	if c.get(gone, nil) == nil {
		t.Error("an icon let go is not drawn again")
	}
}
