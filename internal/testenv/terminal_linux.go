package testenv

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// RunInTerminal runs script with sh -e in dir, with a new pseudo-terminal as
// its controlling terminal, standard input, output and error, and types
// input into it, as a person would at a terminal: tools such as age read
// passphrases from the terminal only. It returns what the terminal showed.
func RunInTerminal(t testing.TB, dir, script, input string) (string, error) {
	t.Helper()
	master, slave, err := openPTY()
	if err != nil {
		Missing(t, "a pseudo-terminal (%v)", err)
	}
	defer master.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-e", "-c", script)
	cmd.Dir = dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		slave.Close()
		return "", err
	}
	slave.Close()
	shown := make(chan string)
	go func() {
		b, _ := io.ReadAll(master) // ends with EIO when the last process lets go of the terminal
		shown <- string(b)
	}()
	io.WriteString(master, input)
	err = cmd.Wait()
	master.Close()
	select {
	case s := <-shown:
		return s, err
	case <-time.After(5 * time.Second):
		return "", err
	}
}

// openPTY opens a new pseudo-terminal pair with /dev/ptmx.
func openPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		master.Close()
		return nil, nil, e
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		master.Close()
		return nil, nil, e
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	return master, slave, nil
}
