package cli

import (
	"bufio"
	"fmt"
	"strings"

	"authdeck/scan"
	"authdeck/transfer"
	"authdeck/vault"
)

func init() {
	commands["add"] = command{
		"add URI | add 'otpauth-migration://...' | add --qr IMAGE... | add --issuer I --name N [--secret S|-] [--type totp|hotp|steam] [--algorithm A] [--digits N] [--period S] [--counter N] [--group G] [--device-bound] [--keep-both]",
		"add an account", runAdd}
}

func runAdd(e *env, args []string) error {
	fs := newFlags("add")
	var a vault.Account
	fs.StringVar(&a.Issuer, "issuer", "", "")
	fs.StringVar(&a.Name, "name", "", "")
	fs.StringVar(&a.Group, "group", "", "")
	secret := fs.String("secret", "", "")
	typ := fs.String("type", "totp", "")
	alg := fs.String("algorithm", "SHA1", "")
	fs.IntVar(&a.Digits, "digits", vault.DefaultDigits, "")
	fs.IntVar(&a.Period, "period", vault.DefaultPeriod, "")
	fs.Uint64Var(&a.Counter, "counter", 0, "")
	deviceBound := fs.Bool("device-bound", false, "")
	keepBoth := fs.Bool("keep-both", false, "")
	qr := fs.Bool("qr", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}

	var incoming []transfer.Entry
	switch {
	case *qr:
		if len(pos) == 0 {
			return usagef("--qr takes one or more image files")
		}
		if incoming, err = e.readQR(pos); err != nil {
			return err
		}
		for i := range incoming {
			incoming[i].Account.Group = vault.CleanLabel(a.Group)
		}
	case len(pos) == 1 && a.Issuer == "" && a.Name == "" && *secret == "" && scan.IsMigration(vault.DecoderText(pos[0])):
		incoming = e.readTransfer(pos[0])
		for i := range incoming {
			incoming[i].Account.Group = vault.CleanLabel(a.Group)
		}
	case len(pos) == 1 && a.Issuer == "" && a.Name == "" && *secret == "":
		acc, err := vault.ParseURI(pos[0])
		if err != nil {
			return err
		}
		acc.Group = vault.CleanLabel(a.Group)
		incoming = append(incoming, transfer.Entry{Account: acc})
	case len(pos) == 0 && (a.Issuer != "" || a.Name != ""):
		s := *secret
		if s == "" || s == "-" {
			if s, err = e.readSecret(); err != nil {
				return err
			}
		}
		if a.Secret, err = vault.ParseSecret(s); err != nil {
			return err
		}
		a.Type, a.Algorithm = vault.Type(*typ), vault.Algorithm(*alg)
		// The flags default to 6 digits and 30 s, so a zero here was typed:
		// keep it invalid rather than let Normalize take it for "unset".
		if a.Digits == 0 {
			a.Digits = -1
		}
		if a.Period == 0 {
			a.Period = -1
		}
		a.Normalize()
		if err := a.Validate(); err != nil {
			return err
		}
		incoming = append(incoming, transfer.Entry{Account: a})
	default:
		return usagef("give one otpauth:// URI, or --issuer/--name with the secret")
	}
	if *deviceBound {
		for i := range incoming {
			incoming[i].Account.Binding = vault.DeviceBound
		}
	}
	merge := vault.RefuseConflicts
	if *keepBoth {
		merge = vault.KeepBoth
	}
	return e.mergePlan(func(v *vault.Vault) vault.Plan { return transfer.PlanEntries(v, incoming) }, merge)
}

// readTransfer reads the accounts of one Google Authenticator transfer
// code given as text, warning when the transfer has more codes than this one.
func (e *env) readTransfer(text string) []transfer.Entry {
	var g transfer.Gatherer
	g.AddTexts("", []string{text})
	for _, b := range g.Incomplete() {
		fmt.Fprintf(e.stderr, "warning: Google Authenticator transfer: %s; add the other codes too\n", b)
	}
	return g.Entries()
}

// readSecret reads a secret from the terminal without echo, or from the first
// line of standard input.
func (e *env) readSecret() (string, error) {
	if s, ok, err := e.readHidden("Secret (base32): "); ok || err != nil {
		return s, err
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if line = strings.TrimSpace(line); line == "" {
		if err != nil {
			return "", fmt.Errorf("no secret given: pass --secret, or the secret on standard input")
		}
	}
	return line, nil
}
