package cli

import (
	"fmt"

	"authdeck/vault"
)

func init() {
	commands["edit"] = command{"edit ID [--issuer I] [--name N] [--group G]", "change an account's issuer, name or group", runEdit}
}

func runEdit(e *env, args []string) error {
	fs := newFlags("edit")
	var issuer, name, group optString
	fs.Var(&issuer, "issuer", "")
	fs.Var(&name, "name", "")
	fs.Var(&group, "group", "")
	pos, err := parseN(fs, args, 1, "one account ID (see authdeck list)")
	if err != nil {
		return err
	}
	if !issuer.set && !name.set && !group.set {
		return usagef("say what to change: --issuer, --name or --group")
	}
	var label string
	err = e.update(func(v *vault.Vault) error {
		a, err := v.Account(pos[0])
		if err != nil {
			return err
		}
		b := *a
		if issuer.set {
			b.Issuer = issuer.value
		}
		if name.set {
			b.Name = name.value
		}
		if group.set {
			b.Group = group.value
		}
		b.Normalize()
		if err := b.Validate(); err != nil {
			return err
		}
		if b.Issuer == a.Issuer && b.Name == a.Name && b.Group == a.Group {
			label = a.Label()
			return errUnchanged
		}
		b.Updated = e.now()
		*a, label = b, b.Label()
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "edited %s\n", label)
	return nil
}

// optString is a string flag that knows whether it was given, so that an
// empty value clears the field.
type optString struct {
	value string
	set   bool
}

func (o *optString) String() string { return o.value }

func (o *optString) Set(s string) error {
	o.value, o.set = s, true
	return nil
}
