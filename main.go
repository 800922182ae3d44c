// Authdeck is a desktop two-factor authenticator. With no arguments it opens
// the window; with a subcommand it works from the command line.
package main

import (
	"os"

	"authdeck/cli"
	"authdeck/ui"
)

// version is stamped in by the build: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	cli.Version = version
	ui.Version = version
	if len(os.Args) > 1 && !ui.IsLink(os.Args[1]) {
		cli.AttachConsole()
		os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(ui.Main(os.Args[1:]...)) // no arguments, or a link the desktop passes
}
