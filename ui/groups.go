package ui

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"authdeck/vault"
)

// groupChips is the row of chips above the tiles, one per group and "All":
// a chip shows only the accounts of its group. The row shows only when some
// account has a group.
type groupChips struct {
	w *mainWindow

	selected string   // the group shown, "" for all
	names    []string // the groups, sorted, each with its count
	counts   map[string]int

	content *container.Scroll
	row     *fyne.Container
	chips   []*widget.Button
}

func newGroupChips(w *mainWindow) *groupChips {
	g := &groupChips{w: w, row: container.NewHBox()}
	g.content = container.NewHScroll(g.row)
	g.content.Hide()
	return g
}

// keep returns the positions in shown whose account is in the selected
// group; it brings the chips up to date with the vault's groups first.
func (g *groupChips) keep(shown []int) []int {
	g.sync()
	if g.selected == "" {
		return shown
	}
	accounts := g.w.v.Accounts
	return slices.DeleteFunc(shown, func(i int) bool { return !strings.EqualFold(accounts[i].Group, g.selected) })
}

// sync remakes the chips when the vault's groups changed.
func (g *groupChips) sync() {
	counts := make(map[string]int)
	var names []string
	for _, a := range g.w.v.Accounts {
		if a.Group == "" {
			continue
		}
		key := groupOf(names, a.Group)
		if key == "" {
			key = a.Group
			names = append(names, key)
		}
		counts[key]++
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	if g.selected != "" && groupOf(names, g.selected) == "" {
		g.selected = "" // its last account left the group
	}
	if slices.Equal(names, g.names) && maps.Equal(counts, g.counts) {
		return
	}
	g.names, g.counts = names, counts
	g.row.RemoveAll()
	g.chips = g.chips[:0]
	g.add("All", "", len(g.w.v.Accounts))
	for _, n := range names {
		g.add(n, n, counts[n])
	}
	if len(names) == 0 {
		g.content.Hide()
	} else {
		g.content.Show()
	}
	g.style()
	g.row.Refresh()
}

// add adds the chip of a group (or of all accounts, for group "").
func (g *groupChips) add(label, group string, n int) {
	c := &widget.Button{Text: label + "  " + strconv.Itoa(n)}
	c.OnTapped = func() { g.pick(group) }
	g.chips = append(g.chips, c)
	g.row.Add(c)
}

// pick shows the accounts of group, or all of them.
func (g *groupChips) pick(group string) {
	g.selected = group
	g.style()
	g.w.filter()
}

// style marks the chip of the selected group.
func (g *groupChips) style() {
	for i, c := range g.chips {
		sel := i == 0 && g.selected == "" || i > 0 && strings.EqualFold(g.names[i-1], g.selected)
		imp := widget.LowImportance
		if sel {
			imp = widget.HighImportance
		}
		if c.Importance != imp {
			c.Importance = imp
			c.Refresh()
		}
	}
}

// groupOf returns the name in names that is group, ignoring case, or "".
func groupOf(names []string, group string) string {
	for _, n := range names {
		if strings.EqualFold(n, group) {
			return n
		}
	}
	return ""
}

// pinFavorites puts the favourites among shown first, each part in its own
// order. Favourites are always pinned, as in the phone apps: a star says
// "keep this at hand".
func pinFavorites(accounts []vault.Account, shown []int) []int {
	fav := func(i int) bool { return accounts[i].Favorite }
	if !slices.ContainsFunc(shown, fav) {
		return shown
	}
	out := make([]int, 0, len(shown))
	for _, i := range shown {
		if fav(i) {
			out = append(out, i)
		}
	}
	for _, i := range shown {
		if !fav(i) {
			out = append(out, i)
		}
	}
	return out
}

// keepPinned returns where a tile moved from shown position from to shown
// position to lands: among the favourites if it is one, after them if not.
func (w *mainWindow) keepPinned(from, to int) int {
	a := w.account(from)
	if a == nil || w.search.Text != "" {
		return to
	}
	favs := 0
	for _, i := range w.shown {
		if w.v.Accounts[i].Favorite {
			favs++
		}
	}
	if a.Favorite {
		return min(to, favs-1)
	}
	return max(to, favs)
}

// onFavorite pins the account of the tile at shown position i as a
// favourite, or unpins it.
func (w *mainWindow) onFavorite(i int) {
	a := w.account(i)
	if a == nil {
		return
	}
	id, label, fav := a.ID, a.Label(), !a.Favorite
	w.update(func(v *vault.Vault) error {
		a, err := v.Account(id)
		if err != nil {
			return err
		}
		a.Favorite = fav
		return nil
	}, func(err error) {
		if err != nil {
			return
		}
		w.focusAccount(id)
		if fav {
			w.setNote("Pinned " + label + " to the top")
		} else {
			w.setNote("Unpinned " + label)
		}
	})
}

// favoriteLabel is the menu entry that pins a's tile, or unpins it.
func favoriteLabel(a *vault.Account) string {
	if a.Favorite {
		return "Unpin from the top"
	}
	return "Pin to the top"
}
