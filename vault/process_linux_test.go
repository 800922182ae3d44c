package vault

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func init() { testProcesses["protect"] = processProtect }

// processProtect protects the process and prints what it then is.
func processProtect() int {
	if err := ProtectProcess(); err != nil {
		fmt.Println(err)
		return 1
	}
	dumpable, err := unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
	var core unix.Rlimit
	unix.Getrlimit(unix.RLIMIT_CORE, &core)
	fmt.Printf("dumpable=%d core=%d/%d %v\n", dumpable, core.Cur, core.Max, err)
	return 0
}

func TestProtectProcess(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "AUTHDECK_TEST_PROCESS=protect")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "dumpable=0 core=0/0 <nil>" {
		t.Fatalf("a protected process: %v, %s", err, out)
	}
}
