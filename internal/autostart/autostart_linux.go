package autostart

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Set writes or removes the autostart entry, which runs the executable of
// this process.
func Set(on bool) error {
	path, err := entryPath()
	if err != nil {
		return err
	}
	if !on {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(entry(exe)), 0o644)
}

// On reports whether the autostart entry is there.
func On() bool {
	path, err := entryPath()
	if err != nil {
		return false
	}
	_, err = os.Stat(path)
	return err == nil
}

func entryPath() (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "autostart", fileName), nil
}

// entry is the autostart .desktop file for the executable exe.
func entry(exe string) string {
	// The Exec key quotes an argument with double quotes, escaping ", `, $
	// and \ in it; then, as in every string value, each \ is doubled.
	quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", "$", `\$`).Replace(exe)
	quoted = strings.ReplaceAll(quoted, `\`, `\\`)
	return fmt.Sprintf(`[Desktop Entry]
Type=Application
Name=Authdeck
Comment=Two-factor codes for your accounts, kept in your keychain
Exec="%s"
Icon=dev.authdeck.Authdeck
Terminal=false
X-GNOME-Autostart-enabled=true
`, quoted)
}
