package cli

import (
	"errors"
	"fmt"
	"strings"

	"authdeck/scan"
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
	found, err := e.readQR(paths)
	if err != nil {
		return err
	}
	v, err := e.load()
	if err != nil {
		return err
	}
	previewPlan(e.stdout, v.Plan(found))
	return nil
}

// readQR returns the accounts in the QR codes of the images at paths. It
// gathers Google Authenticator transfers spread over several codes and warns
// of missing ones, and reports every image or code it cannot use on stderr.
// It fails only when nothing at all could be read.
func (e *env) readQR(paths []string) ([]vault.Account, error) {
	var found []vault.Account
	var batches []*scan.Batch
	var problems []error
	for _, path := range paths {
		texts, err := scan.DecodeFile(path)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", path, err))
			continue
		}
		for _, text := range texts {
			if !scan.IsMigration(text) {
				accounts, err := scan.Accounts(text)
				found = append(found, accounts...)
				if err != nil {
					problems = append(problems, fmt.Errorf("%s: %w", path, err))
				}
				continue
			}
			m, err := scan.ParseMigration(text)
			if err != nil {
				problems = append(problems, fmt.Errorf("%s: %w", path, err))
			}
			if m != nil {
				addToBatch(&batches, m)
			}
		}
	}
	for _, b := range batches {
		found = append(found, b.Accounts()...)
		if !b.Complete() {
			fmt.Fprintf(e.stderr, "warning: Google Authenticator transfer: %s; scan the missing codes too\n", b)
		}
	}
	for _, p := range problems {
		fmt.Fprintf(e.stderr, "warning: %v\n", p)
	}
	if len(found) == 0 {
		if len(problems) == 1 {
			return nil, problems[0]
		}
		return nil, errors.New("no account found in " + strings.Join(paths, ", "))
	}
	return found, nil
}

func addToBatch(batches *[]*scan.Batch, m *scan.Migration) {
	for _, b := range *batches {
		if err := b.Add(m); !errors.Is(err, scan.ErrOtherBatch) {
			return
		}
	}
	b := new(scan.Batch)
	b.Add(m)
	*batches = append(*batches, b)
}
