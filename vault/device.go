package vault

import "strings"

// FileName returns the device's name as it can stand in a file name on every
// file system: letters, digits, '-' and '_', at most 40 bytes, "computer"
// for a name with none of them. Files that each device writes into a shared
// folder (automatic backups, sync) are named with it.
func (d Device) FileName() string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, d.Name)
	name = strings.Trim(name, "-")
	if len(name) > 40 {
		name = name[:40]
	}
	if name == "" {
		name = "computer"
	}
	return name
}
