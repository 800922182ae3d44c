package scan

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/godbus/dbus/v5"
)

// The desktop portal's names, as xdg-desktop-portal documents them.
const (
	portalName       = "org.freedesktop.portal.Desktop"
	portalPath       = "/org/freedesktop/portal/desktop"
	portalScreenshot = "org.freedesktop.portal.Screenshot.Screenshot"
	portalRequest    = "org.freedesktop.portal.Request"
)

// portalFirst reports whether the screen is to be asked of the portal rather
// than captured through X11: in a Flatpak sandbox, and on Wayland without
// X11.
func portalFirst() bool {
	if os.Getenv("WAYLAND_DISPLAY") != "" && os.Getenv("DISPLAY") == "" || os.Getenv("FLATPAK_ID") != "" {
		return true
	}
	_, err := os.Stat("/.flatpak-info")
	return err == nil
}

// portalCapture asks the desktop portal for a screenshot, which the desktop
// takes after asking the user (who may pick an area), and returns the path of
// the PNG file the portal wrote. The request is made on its own connection
// to the session bus, and the answer is listened for before the request is
// sent, so that it cannot be missed.
func portalCapture(ctx context.Context) (string, error) {
	conn, err := dbus.ConnectSessionBus(dbus.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("no session bus for the screenshot portal: %w", ErrScreenUnavailable)
	}
	defer conn.Close()

	var b [8]byte
	rand.Read(b[:])
	token := "authdeck_" + hex.EncodeToString(b[:])
	sender := strings.ReplaceAll(strings.TrimPrefix(conn.Names()[0], ":"), ".", "_")
	want := dbus.ObjectPath(portalPath + "/request/" + sender + "/" + token)
	signals := make(chan *dbus.Signal, 8)
	conn.Signal(signals)
	listen := func(path dbus.ObjectPath) error {
		return conn.AddMatchSignal(dbus.WithMatchObjectPath(path), dbus.WithMatchInterface(portalRequest), dbus.WithMatchMember("Response"))
	}
	if err := listen(want); err != nil {
		return "", fmt.Errorf("%v: %w", err, ErrScreenUnavailable)
	}

	options := map[string]dbus.Variant{
		"handle_token": dbus.MakeVariant(token),
		"modal":        dbus.MakeVariant(true),
		"interactive":  dbus.MakeVariant(true),
	}
	var handle dbus.ObjectPath
	call := conn.Object(portalName, portalPath).CallWithContext(ctx, portalScreenshot, 0, "", options)
	if err := call.Store(&handle); err != nil {
		return "", fmt.Errorf("no screenshot portal answers: %w", ErrScreenUnavailable)
	}
	if handle != want { // portals before version 0.9 choose their own path
		if err := listen(handle); err != nil {
			return "", fmt.Errorf("%v: %w", err, ErrScreenUnavailable)
		}
	}
	for {
		select {
		case <-ctx.Done():
			conn.Object(portalName, handle).Call(portalRequest+".Close", 0)
			return "", ctx.Err()
		case sig := <-signals:
			if sig.Path != handle || sig.Name != portalRequest+".Response" {
				continue
			}
			return portalResult(sig.Body)
		}
	}
}

// portalResult reads the body of a Request's Response signal: the path of
// the screenshot, or why there is none.
func portalResult(body []any) (string, error) {
	if len(body) != 2 {
		return "", fmt.Errorf("the screenshot portal answered oddly: %w", ErrScreenUnavailable)
	}
	status, _ := body[0].(uint32)
	results, _ := body[1].(map[string]dbus.Variant)
	if status != 0 {
		return "", ErrScreenRefused
	}
	uri, _ := results["uri"].Value().(string)
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return "", fmt.Errorf("the screenshot portal gave no file (%q): %w", uri, ErrScreenUnavailable)
	}
	return u.Path, nil
}
