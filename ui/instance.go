package ui

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"authdeck/vault"
)

// instanceFile holds the loopback address and a random token of the running
// window, so that a second start can ask it to come to the front. It lives in
// the vault folder, which only the user can read.
const instanceFile = "app.instance"

// listenForShow accepts "show" requests from later starts on a loopback port
// and calls show for each. stop closes the listener and removes the file.
func listenForShow(dir string, show func()) (stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		ln.Close()
		return nil, err
	}
	token := hex.EncodeToString(b[:])
	path := filepath.Join(dir, instanceFile)
	if err := vault.WriteFileAtomic(path, []byte(ln.Addr().String()+" "+token+"\n")); err != nil {
		ln.Close()
		return nil, err
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(2 * time.Second))
				line, _ := bufio.NewReader(c).ReadString('\n')
				if strings.TrimSpace(line) == "show "+token {
					show()
					fmt.Fprintln(c, "ok")
				}
			}()
		}
	}()
	return func() {
		ln.Close()
		os.Remove(path)
	}, nil
}

// notifyRunning asks the running window to come to the front.
func notifyRunning(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, instanceFile))
	if err != nil {
		return err
	}
	addr, token, ok := strings.Cut(strings.TrimSpace(string(data)), " ")
	if !ok {
		return errors.New("the instance file is damaged")
	}
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := fmt.Fprintln(c, "show "+token); err != nil {
		return err
	}
	reply, _ := bufio.NewReader(c).ReadString('\n')
	if strings.TrimSpace(reply) != "ok" {
		return errors.New("no answer")
	}
	return nil
}
