package ui

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"authdeck/vault"
)

// instanceFile holds the loopback address and a random token of the running
// window, so that a second start can ask it to come to the front, and hand
// it a link to add. It lives in the vault folder, which only the user can
// read.
const instanceFile = "app.instance"

// maxRequest bounds one request to the running window: a link with a long
// Google Authenticator transfer fits many times over.
const maxRequest = 64 << 10

// listenForShow accepts "show" requests from later starts on a loopback port
// and calls show for each, with the link the request carries or "". stop
// closes the listener and removes the file.
func listenForShow(dir string, show func(link string)) (stop func(), err error) {
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
				line, _ := bufio.NewReader(io.LimitReader(c, maxRequest)).ReadString('\n')
				req, link, found := strings.Cut(strings.TrimSpace(line), " "+token)
				if found && req == "show" && (link == "" || strings.HasPrefix(link, " ")) {
					show(strings.TrimSpace(link))
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

// notifyRunning asks the running window to come to the front and, if link
// is not "", to show what the link holds.
func notifyRunning(dir, link string) error {
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
	req := "show " + token
	if link != "" {
		req += " " + link
	}
	if len(req) >= maxRequest || strings.ContainsAny(link, "\r\n") {
		return errors.New("the link is too long or spans lines")
	}
	if _, err := fmt.Fprintln(c, req); err != nil {
		return err
	}
	reply, _ := bufio.NewReader(c).ReadString('\n')
	if strings.TrimSpace(reply) != "ok" {
		return errors.New("no answer")
	}
	return nil
}
