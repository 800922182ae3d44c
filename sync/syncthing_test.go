package sync

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"authdeck/internal/testenv"
	"authdeck/vault"
)

// syncthingNode is one Syncthing daemon of the test, on 127.0.0.1 only.
type syncthingNode struct {
	home, dir, id string
	port, guiPort int
	apiKey        string
	cmd           *exec.Cmd
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

var deviceIDLine = regexp.MustCompile(`Device ID: ([A-Z0-9-]{63})`)

func newSyncthingNode(t *testing.T, bin, name string) *syncthingNode {
	t.Helper()
	root := t.TempDir()
	n := &syncthingNode{home: filepath.Join(root, "st"), dir: filepath.Join(root, "Sync"),
		port: freePort(t), guiPort: freePort(t), apiKey: "authdeck-test-" + name}
	if err := os.MkdirAll(filepath.Join(n.dir, ".stfolder"), 0o700); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "generate", "--home="+n.home, "--no-default-folder", "--skip-port-probing").CombinedOutput()
	m := deviceIDLine.FindSubmatch(out)
	if err != nil || m == nil {
		testenv.Missing(t, "a Syncthing that generates its keys (%v): %s", err, out)
	}
	n.id = string(m[1])
	return n
}

// writeConfig writes the daemon's config.xml before it starts: one folder
// shared with the other node, and nothing that talks beyond 127.0.0.1 (no
// global or local discovery, relays, NAT traversal, usage reports, crash
// reports or upgrades).
func (n *syncthingNode) writeConfig(t *testing.T, other *syncthingNode) {
	t.Helper()
	device := func(d *syncthingNode) string {
		return fmt.Sprintf(`<device id="%s" name="%s" compression="metadata" introducer="false"><address>tcp://127.0.0.1:%d</address><autoAcceptFolders>false</autoAcceptFolders></device>`,
			d.id, d.id[:7], d.port)
	}
	config := fmt.Sprintf(`<configuration version="36">
<folder id="authdeck" label="authdeck" path="%s" type="sendreceive" rescanIntervalS="1" fsWatcherEnabled="true" fsWatcherDelayS="1" autoNormalize="true">
  <filesystemType>basic</filesystemType>
  <device id="%s"></device>
  <device id="%s"></device>
  <minDiskFree unit="%%">0</minDiskFree>
  <versioning></versioning>
</folder>
%s
%s
<gui enabled="true" tls="false"><address>127.0.0.1:%d</address><apikey>%s</apikey></gui>
<options>
  <listenAddress>tcp://127.0.0.1:%d</listenAddress>
  <globalAnnounceEnabled>false</globalAnnounceEnabled>
  <localAnnounceEnabled>false</localAnnounceEnabled>
  <relaysEnabled>false</relaysEnabled>
  <natEnabled>false</natEnabled>
  <urAccepted>-1</urAccepted>
  <urSeen>3</urSeen>
  <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
  <crashReportingEnabled>false</crashReportingEnabled>
  <startBrowser>false</startBrowser>
  <announceLANAddresses>false</announceLANAddresses>
  <minHomeDiskFree unit="%%">0</minHomeDiskFree>
  <setLowPriority>false</setLowPriority>
</options>
</configuration>
`, n.dir, n.id, other.id, device(n), device(other), n.guiPort, n.apiKey, n.port)
	if err := os.WriteFile(filepath.Join(n.home, "config.xml"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (n *syncthingNode) start(t *testing.T, bin string) {
	t.Helper()
	log, err := os.Create(filepath.Join(n.home, "log.txt"))
	if err != nil {
		t.Fatal(err)
	}
	n.cmd = exec.Command(bin, "serve", "--home="+n.home, "--no-browser", "--no-restart", "--no-upgrade", "--no-default-folder")
	n.cmd.Env = append(os.Environ(), "STNOUPGRADE=1", "STNORESTART=1", "STNODEFAULTFOLDER=1", "STMONITORED=1")
	n.cmd.Stdout, n.cmd.Stderr = log, log
	if err := n.cmd.Start(); err != nil {
		testenv.Missing(t, "a Syncthing that starts: %v", err)
	}
	t.Cleanup(func() {
		n.cmd.Process.Kill()
		n.cmd.Wait()
		log.Close()
		if t.Failed() {
			data, _ := os.ReadFile(log.Name())
			t.Logf("syncthing %s log:\n%s", n.id[:7], data)
		}
	})
}

// connected reports whether the daemon's REST API says it is connected to
// the other node.
func (n *syncthingNode) connected(other *syncthingNode) bool {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("http://127.0.0.1:%d/rest/system/connections", n.guiPort), nil)
	req.Header.Set("X-API-Key", n.apiKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	body := string(data)
	i := strings.Index(body, other.id)
	return i >= 0 && strings.Contains(body[i:min(len(body), i+400)], `"connected": true`)
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, deadline time.Time, cond func() bool) {
	t.Helper()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestSyncthing syncs two vaults through two real Syncthing daemons on
// 127.0.0.1: setup on one, join on the other, then changes both ways,
// including a deletion and a concurrent edit, converge.
func TestSyncthing(t *testing.T) {
	bin := testenv.Tool(t, "syncthing", "syncthing")
	deadline := time.Now().Add(time.Minute)
	a, b := newSyncthingNode(t, bin, "a"), newSyncthingNode(t, bin, "b")
	a.writeConfig(t, b)
	b.writeConfig(t, a)
	a.start(t, bin)
	b.start(t, bin)
	eventually(t, "the two Syncthing daemons connect", deadline, func() bool { return a.connected(b) && b.connected(a) })

	sa := realStore(t, "laptop", "GitHub", "secret-a")
	sb := realStore(t, "desktop", "GitLab", "secret-b")
	if err := Setup(sa, a.dir, "pass", testWork, time.Now()); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the key file reaches the second computer", deadline, func() bool {
		_, err := os.Stat(filepath.Join(b.dir, KeyFileName))
		_, err2 := os.Stat(filepath.Join(b.dir, FileName(load(t, sa).Device)))
		return err == nil && err2 == nil
	})
	if _, err := Join(sb, b.dir, "pass", time.Now()); err != nil {
		t.Fatal(err)
	}
	has := func(s *vault.Store, issuer string) func() bool {
		return func() bool {
			if _, err := Now(s, time.Now()); err != nil {
				t.Fatal(err)
			}
			return find(load(t, s), issuer) != nil
		}
	}
	eventually(t, "the second computer's account reaches the first", deadline, has(sa, "GitLab"))
	if find(load(t, sb), "GitHub") == nil {
		t.Fatal("the join did not bring the first computer's account")
	}

	// A deletion on the second computer: the account goes to Recently
	// deleted on the first.
	gh := find(load(t, sb), "GitHub").ID
	if _, err := sb.Update(func(v *vault.Vault) error { _, err := v.Remove(gh); return err }); err != nil {
		t.Fatal(err)
	}
	if err := Write(sb, load(t, sb), time.Now()); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the deletion reaches the first computer", deadline, func() bool {
		Now(sa, time.Now())
		return load(t, sa).TrashIndex(gh) >= 0
	})

	// Concurrent edits of one account on both computers: both fields win.
	gl := find(load(t, sa), "GitLab").ID
	edit := func(s *vault.Store, fn func(*vault.Account)) {
		v, err := s.Update(func(v *vault.Vault) error {
			a, err := v.Account(gl)
			if err == nil {
				fn(a)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := Write(s, v, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	edit(sa, func(a *vault.Account) { a.Name = "renamed on the laptop" })
	edit(sb, func(a *vault.Account) { a.Group = "Work" })
	for _, s := range []*vault.Store{sa, sb} {
		eventually(t, "both edits reach both computers", deadline, func() bool {
			Now(s, time.Now())
			a, err := load(t, s).Account(gl)
			return err == nil && a.Name == "renamed on the laptop" && a.Group == "Work"
		})
	}
	if syncedState(load(t, sa)) != syncedState(load(t, sb)) {
		t.Errorf("the two computers differ:\n%s\n%s", syncedState(load(t, sa)), syncedState(load(t, sb)))
	}
}
