package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// usageError is a command called the wrong way: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// newFlags returns a flag set that reports errors to the caller, not stderr.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses args with fs, letting flags stand before or after the
// arguments, and returns the arguments. Everything after "--" is an argument.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		dashes := -1
		for i, a := range args {
			if a == "--" {
				dashes = i
				break
			}
		}
		rest := args
		if dashes >= 0 {
			rest = args[:dashes]
		}
		if err := fs.Parse(rest); err != nil {
			msg := err.Error()
			if f, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
				msg = "unknown flag " + f
			}
			return nil, usagef("%s", msg)
		}
		if fs.NArg() == 0 {
			if dashes >= 0 {
				pos = append(pos, args[dashes+1:]...)
			}
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = append(fs.Args()[1:], args[len(rest):]...)
	}
}

// parseN is parse for a command that takes exactly n arguments.
func parseN(fs *flag.FlagSet, args []string, n int, what string) ([]string, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != n {
		return nil, usagef("expected %s", what)
	}
	return pos, nil
}
