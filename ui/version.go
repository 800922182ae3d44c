package ui

// Version is Authdeck's version, shown in the About dialog. main sets it from
// the version stamped into the binary (-ldflags "-X main.version=1.2.3").
var Version = "dev"
