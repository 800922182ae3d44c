package cli

import (
	"errors"
	"fmt"

	"authdeck/transfer"
	"authdeck/vault"
)

func init() {
	commands["scan"] = command{"scan IMAGE...", "print the accounts in the QR codes of images, saving nothing", runScan}
}

func runScan(e *env, args []string) error {
	paths, err := parse(newFlags("scan"), args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("give one or more image files")
	}
	entries, err := e.readQR(paths)
	if err != nil {
		return err
	}
	v, err := e.load()
	if err != nil {
		return err
	}
	p := transfer.PlanEntries(v, entries)
	previewPlan(e.stdout, p)
	// A scan saves nothing, so conflicts are no failure; codes that give no
	// usable account at all are.
	return transfer.Outcome(p, vault.SkipConflicts)
}

// readQR returns what the QR codes of the images at paths hold, gathering
// Google Authenticator transfers spread over several codes (see
// transfer.Gatherer): accounts, and the codes that cannot be used as invalid
// entries. It warns of transfers missing codes and of images that gave no
// code, and fails only when nothing at all could be read.
func (e *env) readQR(paths []string) ([]transfer.Entry, error) {
	var g transfer.Gatherer
	for _, path := range paths {
		g.AddImage(path)
	}
	entries := g.Entries()
	problems := g.Problems()
	if len(entries) == 0 {
		if len(problems) == 1 {
			return nil, problems[0]
		}
		for _, p := range problems {
			fmt.Fprintf(e.stderr, "warning: %v\n", p)
		}
		return nil, errors.New("no QR code could be read in any of the images")
	}
	for _, b := range g.Incomplete() {
		fmt.Fprintf(e.stderr, "warning: Google Authenticator transfer: %s; scan the missing codes too\n", b)
	}
	for _, p := range problems {
		fmt.Fprintf(e.stderr, "warning: %v\n", p)
	}
	return entries, nil
}
