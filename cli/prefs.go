package cli

import (
	"fmt"
	"strconv"
	"strings"

	"authdeck/internal/autostart"
	"authdeck/vault"
)

func init() {
	commands["prefs"] = command{"prefs [KEY [VALUE]]",
		"list the preferences, show one, or set one", runPrefs}
}

// pref is one preference as the command line names and spells it.
type pref struct {
	key    string
	values string // the valid values, in words
	get    func(vault.Prefs) string
	// set puts value into p and reports whether it was valid.
	set func(p *vault.Prefs, value string) bool
}

var prefs = []pref{
	{"theme", "system, light or dark",
		func(p vault.Prefs) string { return orDefault(p.Theme, "system") },
		func(p *vault.Prefs, s string) bool {
			if s != "system" && s != "light" && s != "dark" {
				return false
			}
			p.Theme = s
			return true
		}},
	{"hide-codes", "on or off",
		func(p vault.Prefs) string { return onOff(p.HideCodes) },
		func(p *vault.Prefs, s string) bool { return setOnOff(&p.HideCodes, s) }},
	{"clipboard-clear", "seconds from 1 to 3600, or never",
		func(p vault.Prefs) string {
			return amount(p.ClipboardClearSeconds, 30)
		},
		func(p *vault.Prefs, s string) bool { return setAmount(&p.ClipboardClearSeconds, s, 3600, 30) }},
	{"auto-lock", "minutes from 1 to 1440, or never",
		func(p vault.Prefs) string { return amount(p.AutoLockMinutes, 5) },
		func(p *vault.Prefs, s string) bool { return setAmount(&p.AutoLockMinutes, s, 1440, 5) }},
	{"system-unlock", "on or off (in keychain mode the lock asks for your system password, through polkit on Linux: " +
		"that stops a person at the keyboard, not a program running as you)",
		func(p vault.Prefs) string { return onOff(p.SystemUnlock) },
		func(p *vault.Prefs, s string) bool { return setOnOff(&p.SystemUnlock, s) }},
	{"close-to-tray", "on or off",
		func(p vault.Prefs) string { return onOff(!p.TrayOff) },
		func(p *vault.Prefs, s string) bool { return setOff(&p.TrayOff, s) }},
	{"start-hidden", "on or off",
		func(p vault.Prefs) string { return onOff(p.StartHidden) },
		func(p *vault.Prefs, s string) bool { return setOnOff(&p.StartHidden, s) }},
	{"start-at-login", "on or off",
		func(p vault.Prefs) string { return onOff(p.StartAtLogin) },
		func(p *vault.Prefs, s string) bool { return setOnOff(&p.StartAtLogin, s) }},
	{"screen-capture-protection", "on or off (Windows; X11 and Wayland have no such protection)",
		func(p vault.Prefs) string { return onOff(!p.CaptureProtectionOff) },
		func(p *vault.Prefs, s string) bool { return setOff(&p.CaptureProtectionOff, s) }},
	{"clock-check", "on or off",
		func(p vault.Prefs) string { return onOff(!p.ClockCheckOff) },
		func(p *vault.Prefs, s string) bool { return setOff(&p.ClockCheckOff, s) }},
	{"clock-server", "HOST or HOST:PORT, or default (" + vault.DefaultTimeServer + ")",
		func(p vault.Prefs) string { return p.TimeServer() },
		func(p *vault.Prefs, s string) bool {
			if s == "default" || s == vault.DefaultTimeServer {
				p.ClockServer = ""
				return true
			}
			if s == "" || strings.ContainsAny(s, " /\t") {
				return false
			}
			p.ClockServer = s
			return true
		}},
}

func runPrefs(e *env, args []string) error {
	pos, err := parse(newFlags("prefs"), args)
	if err != nil {
		return err
	}
	if len(pos) > 2 {
		return usagef("expected at most a KEY and a VALUE")
	}
	if len(pos) == 0 {
		v, err := e.load()
		if err != nil {
			return err
		}
		for _, p := range prefs {
			fmt.Fprintf(e.stdout, "%-26s %s\n", p.key, p.get(v.Prefs))
		}
		return nil
	}
	p, ok := findPref(pos[0])
	if !ok {
		var keys []string
		for _, p := range prefs {
			keys = append(keys, p.key)
		}
		return usagef("unknown preference %q; the preferences are %s", pos[0], strings.Join(keys, ", "))
	}
	if len(pos) == 1 {
		v, err := e.load()
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, p.get(v.Prefs))
		return nil
	}
	// The value is checked before the vault is opened: a bad one changes nothing.
	if !p.set(new(vault.Prefs), pos[1]) {
		return usagef("%q is not a value of %s: use %s", pos[1], p.key, p.values)
	}
	s, err := e.open()
	if err != nil {
		return err
	}
	if p.key == "start-at-login" {
		// The autostart entry first: where it cannot be written, nothing changes.
		if err := autostart.Set(pos[1] == "on"); err != nil {
			return err
		}
	}
	_, err = s.Update(func(v *vault.Vault) error {
		p.set(&v.Prefs, pos[1])
		return nil
	})
	return err
}

func findPref(key string) (pref, bool) {
	for _, p := range prefs {
		if p.key == key {
			return p, true
		}
	}
	return pref{}, false
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func setOnOff(b *bool, s string) bool {
	switch s {
	case "on":
		*b = true
	case "off":
		*b = false
	default:
		return false
	}
	return true
}

// setOff sets a preference kept as its opposite ("...Off") from on or off.
func setOff(off *bool, s string) bool {
	on := !*off
	ok := setOnOff(&on, s)
	*off = !on
	return ok
}

// amount spells a number preference where zero is def and a negative
// value is never.
func amount(n, def int) string {
	switch {
	case n < 0:
		return "never"
	case n == 0:
		return strconv.Itoa(def)
	}
	return strconv.Itoa(n)
}

// setAmount reads s as 1 to most, or never; def is kept as zero, the
// default, so that a later default applies.
func setAmount(n *int, s string, most, def int) bool {
	if s == "never" {
		*n = -1
		return true
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 || v > most || strconv.Itoa(v) != s {
		return false
	}
	if v == def {
		v = 0
	}
	*n = v
	return true
}
