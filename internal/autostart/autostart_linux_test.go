package autostart

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"authdeck/internal/testenv"
)

func TestSet(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	if On() {
		t.Fatal("on before it was set")
	}
	if err := Set(true); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(cfg, "autostart", fileName)
	data, err := os.ReadFile(path)
	if err != nil || !On() {
		t.Fatalf("no autostart entry: %v", err)
	}
	exe, _ := os.Executable()
	if !strings.Contains(string(data), `Exec="`+exe+`"`) {
		t.Errorf("the entry does not run this program:\n%s", data)
	}
	validate := testenv.Tool(t, "desktop-file-validate", "desktop-file-utils")
	if out, err := exec.Command(validate, path).CombinedOutput(); err != nil {
		t.Errorf("the entry does not validate: %v\n%s", err, out)
	}
	if err := Set(false); err != nil || On() {
		t.Fatalf("off: %v, still on %v", err, On())
	}
	if err := Set(false); err != nil {
		t.Errorf("off twice: %v", err)
	}
}

func TestEntryQuotesThePath(t *testing.T) {
	got := entry(`/opt/my "apps"/$HOME/authdeck`)
	if !strings.Contains(got, `Exec="/opt/my \\"apps\\"/\\$HOME/authdeck"`) {
		t.Errorf("entry:\n%s", got)
	}
}
