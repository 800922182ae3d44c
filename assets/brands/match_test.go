package brands

import (
	"image/color"
	"testing"
)

// TestMatch is the matching table: common 2FA services, as their issuers and
// account names really come, including issuers that differ from the icon's
// name, domains in account names, and brands the set has no icon for.
func TestMatch(t *testing.T) {
	tests := []struct {
		issuer, account string
		want            string // "" means no icon: the letter
	}{
		{"Google", "me@gmail.com", "google"},
		{"", "me@gmail.com", "google"},
		{"", "someone@googlemail.com", "google"},
		{"Google Workspace", "me@example.org", "google"},
		{"accounts.google.com", "me", "google"},
		{"GitHub", "octocat", "github"},
		{"github.com", "octocat", "github"},
		{"GitLab", "me", "gitlab"},
		{"gitlab.com", "me", "gitlab"},
		{"Twitter", "@jack", "x"},
		{"X", "@jack", "x"},
		{"Facebook", "me", "facebook"},
		{"Meta", "me", "meta"},
		{"Instagram", "me", "instagram"},
		{"WhatsApp", "me", "whatsapp"},
		{"Discord", "me#1234", "discord"},
		{"Reddit", "u/me", "reddit"},
		{"Twitch", "me", "twitch"},
		{"Steam", "me", "steam"},
		{"Valve", "me", "steam"},
		{"Epic Games", "me", "epicgames"},
		{"EPIC GAMES", "me", "epicgames"},
		{"Electronic Arts", "me", "ea"},
		{"Battle.net", "me#1234", "battledotnet"},
		{"Blizzard", "me", "battledotnet"},
		{"PlayStation Network", "me", "playstation"},
		{"Ubisoft Connect", "me", "ubisoft"},
		{"PayPal", "me@example.com", "paypal"},
		{"Coinbase", "me", "coinbase"},
		{"Coinbase Wallet", "me", "coinbase"},
		{"Binance.com", "me", "binance"},
		{"KuCoin", "me", "kucoin"},
		{"Cloudflare", "me", "cloudflare"},
		{"DigitalOcean", "me", "digitalocean"},
		{"Digital Ocean", "me", "digitalocean"},
		{"npm", "me", "npm"},
		{"npmjs.com", "me", "npm"},
		{"PyPI", "me", "pypi"},
		{"Docker Hub", "me", "docker"},
		{"Atlassian", "me", "atlassian"},
		{"Bitbucket", "me", "bitbucket"},
		{"Apple ID", "me@icloud.com", "apple"},
		{"", "me@icloud.com", "icloud"},
		{"Proton", "me@proton.me", "proton"},
		{"ProtonMail", "me", "protonmail"},
		{"", "me@pm.me", "protonmail"},
		{"Bitwarden", "me", "bitwarden"},
		{"1Password", "me", "1password"},
		{"LastPass", "me", "lastpass"},
		{"Nextcloud", "me", "nextcloud"},
		{"mastodon.social", "@me", "mastodon"},
		{"Stripe", "me", "stripe"},
		{"Shopify", "me", "shopify"},
		{"Zoom", "me", "zoom"},
		{"Okta", "me", "okta"},
		{"Tailscale", "me", "tailscale"},
		{"Dropbox", "me", "dropbox"},
		{"Dropbox, Inc.", "me", "dropbox"},
		{"MEGA", "me", "mega"},
		{"Hetzner Online", "me", "hetzner"},
		{"OVHcloud", "me", "ovh"},
		{"Namecheap", "me", "namecheap"},
		{"TransferWise", "me", "wise"},
		{"Revolut", "me", "revolut"},
		{"OKEx", "me", "okx"},
		{"Mozilla", "me", "mozilla"},
		{"Firefox Accounts", "me", "firefox"},
		{"WordPress.com", "me", "wordpress"},
		{"Nvidia", "me", "nvidia"},
		{"Samsung Account", "me", "samsung"},
		{"Notion", "me", "notion"},
		{"Figma", "me", "figma"},
		{"Kickstarter", "me", "kickstarter"},
		{"eBay", "me", "ebay"},
		{"Microsoft Azure", "me", ""},
		{"Telegram", "+44", "telegram"},
		{"Gandi", "me", "gandi"},
		{"  github  ", "", "github"},
		{"", "me@github.com", "github"},
		{"", "https://github.com/login", "github"},
		// Brands without an icon in Simple Icons keep their letter.
		{"Microsoft", "me@outlook.com", ""},
		{"", "me@outlook.com", ""},
		{"", "me@live.com", ""},
		{"Amazon Web Services", "root", ""},
		{"AWS", "root", ""},
		{"Amazon", "me", ""},
		{"LinkedIn", "me", ""},
		{"Slack", "me", ""},
		{"Yahoo", "me@yahoo.com", ""},
		// Nothing to go on.
		{"", "", ""},
		{"", "alice", ""},
		{"My Company VPN", "alice", ""},
	}
	for _, tt := range tests {
		got, ok := Match(tt.issuer, tt.account)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Match(%q, %q) = %q, %v; want %q", tt.issuer, tt.account, got, ok, tt.want)
		}
	}
}

// TestIssuerAliasesExist fails when an alias names an icon the bundle does not
// hold, so that a new Simple Icons version cannot silently lose a match.
func TestIssuerAliasesExist(t *testing.T) {
	for alias, name := range issuerAliases {
		if _, ok := Lookup(name); !ok {
			t.Errorf("alias %q names icon %q, which is not in the bundle", alias, name)
		}
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		chosen, issuer, account string
		want                    string
	}{
		{"", "GitHub", "me", "github"},
		{"gitlab", "GitHub", "me", "gitlab"},
		{"letter", "GitHub", "me", ""},
		{"no-such-icon", "GitHub", "me", "github"},
		{"", "Example", "me", ""},
	}
	for _, tt := range tests {
		got, ok := Resolve(tt.chosen, tt.issuer, tt.account)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Resolve(%q, %q, %q) = %q, %v; want %q", tt.chosen, tt.issuer, tt.account, got, ok, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"Battle.net": "battlenet",
		"AT&T":       "atandt",
		"Google+":    "googleplus",
		"Société":    "societe",
		" Git-Hub ":  "github",
		"...":        "",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLookupAndAll(t *testing.T) {
	ic, ok := Lookup("github")
	if !ok || ic.Title != "GitHub" || ic.Color != (color.RGBA{0x18, 0x17, 0x17, 0xff}) {
		t.Fatalf("Lookup(github) = %+v, %v", ic, ok)
	}
	if _, ok := Lookup("index.tsv"); ok {
		t.Error("the bundle's index is not an icon")
	}
	all := All()
	if len(all) < 3000 {
		t.Errorf("All() has %d icons, want the whole bundle (over 3000)", len(all))
	}
	if Version() == "" {
		t.Error("the bundle names no Simple Icons version")
	}
}

// FuzzMatch feeds issuers and names as imports bring them: Match never
// panics, and what it finds is an icon of the bundle.
func FuzzMatch(f *testing.F) {
	f.Add("Amazon Web Services", "root")
	f.Add("", "me@gmail.com")
	f.Add("https://accounts.google.com/x", "a@b.co.uk")
	f.Add("Société Générale (pro)", "")
	f.Fuzz(func(t *testing.T, issuer, account string) {
		name, ok := Match(issuer, account)
		if _, known := Lookup(name); ok != known || ok == (name == "") {
			t.Fatalf("Match(%q, %q) = %q, %v", issuer, account, name, ok)
		}
	})
}
