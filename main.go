// Authdeck is a desktop two-factor authenticator. With no arguments it opens
// the window; with a subcommand it works from the command line.
package main

import (
	"os"

	"authdeck/cli"
)

// version is stamped in by the build: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	cli.Version = version
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
