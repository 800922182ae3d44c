package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"authdeck/assets/brands"
	"authdeck/vault"
)

func init() {
	commands["list"] = command{"list [--json]", "list the accounts in tile order", runList}
	commands["code"] = command{"code QUERY [--at RFC3339-TIME]", "print the code of the account that best matches QUERY", runCode}
	commands["remove"] = command{"remove ID", "remove an account", runRemove}
	commands["move"] = command{"move ID --to POSITION", "move an account's tile to a position (1 is first)", runMove}
}

func runList(e *env, args []string) error {
	fs := newFlags("list")
	asJSON := fs.Bool("json", false, "")
	if _, err := parseN(fs, args, 0, "no arguments"); err != nil {
		return err
	}
	v, err := e.load()
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, v.Accounts)
	}
	if len(v.Accounts) == 0 {
		fmt.Fprintln(e.stdout, "No accounts yet. Add one with: authdeck add 'otpauth://...'")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tISSUER\tNAME\tTYPE\tGROUP\tID\t")
	for i, a := range v.Accounts {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", i+1, orDash(a.Issuer), a.Name, a.Type, orDash(a.Group), a.ID, marks(&a))
	}
	return tw.Flush()
}

// listedAccount is what list --json prints of an account: everything but the secret.
type listedAccount struct {
	ID        string          `json:"id"`
	Issuer    string          `json:"issuer"`
	Name      string          `json:"name"`
	Type      vault.Type      `json:"type"`
	Algorithm vault.Algorithm `json:"algorithm"`
	Digits    int             `json:"digits"`
	Period    int             `json:"period,omitempty"`
	Counter   uint64          `json:"counter"`
	Binding   vault.Binding   `json:"binding"`
	Group     string          `json:"group"`
	Favorite  bool            `json:"favorite"`
	// Icon is the name of the brand icon the tile shows (chosen, or matched
	// from the issuer), "custom" for a custom image, empty for the letter.
	Icon              string `json:"icon"`
	NeedsVerification bool   `json:"needs_verification,omitempty"`
	Position          int    `json:"position"`
}

// customIcon is list --json's icon of an account with a custom image.
const customIcon = "custom"

func writeJSON(w io.Writer, accounts []vault.Account) error {
	out := make([]listedAccount, len(accounts))
	for i, a := range accounts {
		icon, _ := brands.Resolve(a.Icon, a.Issuer, a.Name)
		if a.IconImage != nil {
			icon = customIcon
		}
		out[i] = listedAccount{ID: a.ID, Issuer: a.Issuer, Name: a.Name, Type: a.Type, Algorithm: a.Algorithm,
			Digits: a.Digits, Period: a.Period, Counter: a.Counter, Binding: a.Binding, Group: a.Group,
			Favorite: a.Favorite, Icon: icon, NeedsVerification: a.NeedsVerification, Position: i + 1}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func marks(a *vault.Account) string {
	var m []string
	if a.Favorite {
		m = append(m, "favourite")
	}
	if a.Binding == vault.DeviceBound {
		m = append(m, "device-bound")
	}
	if a.NeedsVerification {
		m = append(m, "needs verification")
	}
	return strings.Join(m, ", ")
}

func runCode(e *env, args []string) error {
	fs := newFlags("code")
	at := fs.String("at", "", "")
	pos, err := parseN(fs, args, 1, "one QUERY (an issuer, a name or an ID)")
	if err != nil {
		return err
	}
	// --at is a time the user names: it is never corrected.
	var t time.Time
	var correction vault.ClockCorrection
	if *at != "" {
		if t, err = time.Parse(time.RFC3339, *at); err != nil {
			return usagef("--at takes a time like 2026-01-02T15:04:05Z")
		}
	}
	v, err := e.load()
	if err != nil {
		return err
	}
	a, err := best(v, pos[0])
	if err != nil {
		return err
	}
	if a.Type != vault.HOTP {
		if *at == "" {
			if t, correction, err = e.codeTime(); err != nil {
				return err
			}
		}
		code, err := a.Code(t)
		if err != nil {
			return fmt.Errorf("%s: %w", a.Label(), err)
		}
		fmt.Fprintln(e.stdout, code)
		if correction.InForce() {
			fmt.Fprintf(e.stderr, "note: the code is for this computer's clock corrected by %s s (see authdeck clock)\n", formatOffset(correction.Offset))
		}
		return nil
	}
	if *at != "" {
		return usagef("--at does not apply to counter-based (HOTP) accounts")
	}
	var code string
	err = e.update(func(v *vault.Vault) error {
		code, err = v.NextHOTP(a.ID, e.now())
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: %w", a.Label(), err)
	}
	fmt.Fprintln(e.stdout, code)
	return nil
}

// errAmbiguous is a query that matches several accounts.
var errAmbiguous = errors.New("matches several accounts")

// best returns the one account that matches query, or an error that lists
// the candidates.
func best(v *vault.Vault, query string) (*vault.Account, error) {
	found := v.Match(query)
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("no account matches %q (see authdeck list)", query)
	case 1:
		return found[0], nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%q %v:", query, errAmbiguous)
	for _, a := range found {
		fmt.Fprintf(&b, "\n  %s  (%s)", a.Label(), a.ID)
	}
	b.WriteString("\nbe more precise, or give an ID")
	return nil, errors.New(b.String())
}

func runRemove(e *env, args []string) error {
	pos, err := parseN(newFlags("remove"), args, 1, "one account ID (see authdeck list)")
	if err != nil {
		return err
	}
	var gone vault.Account
	err = e.update(func(v *vault.Vault) error {
		gone, err = v.Remove(pos[0])
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "removed %s\n", gone.Label())
	return nil
}

func runMove(e *env, args []string) error {
	fs := newFlags("move")
	to := fs.Int("to", 0, "")
	pos, err := parseN(fs, args, 1, "one account ID (see authdeck list)")
	if err != nil {
		return err
	}
	if *to < 1 {
		return usagef("--to takes a position from 1 (the first tile)")
	}
	return e.update(func(v *vault.Vault) error {
		i := v.Index(pos[0])
		if i < 0 {
			return fmt.Errorf("%w with ID %q (see authdeck list)", vault.ErrNoAccount, pos[0])
		}
		if i == min(*to, len(v.Accounts))-1 {
			return errUnchanged
		}
		return v.Move(pos[0], *to-1)
	})
}
