package brands

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// issuerAliases are names that 2FA issuers and mail domains use for a brand
// whose icon is called otherwise. Targets missing from the bundle are skipped
// (and caught by the tests). Simple Icons has no icon for some brands that
// asked to be removed (Microsoft, Amazon and AWS, LinkedIn, Slack, Yahoo):
// those accounts keep their letter.
var issuerAliases = map[string]string{
	"Google Account":         "google",
	"Google Workspace":       "google",
	"G Suite":                "google",
	"gmail.com":              "google",
	"googlemail.com":         "google",
	"google.com":             "google",
	"accounts.google.com":    "google",
	"Twitter":                "x",
	"twitter.com":            "x",
	"x.com":                  "x",
	"Facebook":               "facebook",
	"fb":                     "facebook",
	"Meta":                   "meta",
	"Apple ID":               "apple",
	"Apple Account":          "apple",
	"icloud.com":             "icloud",
	"me.com":                 "icloud",
	"mac.com":                "icloud",
	"Proton":                 "proton",
	"ProtonMail":             "protonmail",
	"proton.me":              "protonmail",
	"protonmail.com":         "protonmail",
	"protonmail.ch":          "protonmail",
	"pm.me":                  "protonmail",
	"Battle.net":             "battledotnet",
	"Blizzard":               "battledotnet",
	"Blizzard Entertainment": "battledotnet",
	"Electronic Arts":        "ea",
	"EA Account":             "ea",
	"Epic":                   "epicgames",
	"Epic Games Store":       "epicgames",
	"PSN":                    "playstation",
	"PlayStation Network":    "playstation",
	"Sony Entertainment":     "playstation",
	"Uplay":                  "ubisoft",
	"Ubisoft Connect":        "ubisoft",
	"Steam":                  "steam",
	"Steam Guard":            "steam",
	"steampowered.com":       "steam",
	"Valve":                  "steam",
	"npmjs":                  "npm",
	"npmjs.com":              "npm",
	"Python Package Index":   "pypi",
	"Docker Hub":             "docker",
	"OVHcloud":               "ovh",
	"Intuit Mailchimp":       "mailchimp",
	"TransferWise":           "wise",
	"OKEx":                   "okx",
	"Discordapp":             "discord",
	"Mozilla":                "mozilla",
	"Firefox Accounts":       "firefox",
	"Mozilla Account":        "mozilla",
	"WordPress.com":          "wordpress",
	"Gitea":                  "gitea",
}

// domainLabels are second-level labels too short or generic to name a brand
// on their own ("co" in amazon.co.uk).
var domainLabels = map[string]bool{"co": true, "com": true, "org": true, "net": true, "ac": true, "gov": true, "edu": true, "ne": true, "or": true}

// Match returns the name of the icon for an account with the given issuer and
// account name: the issuer's icon, or where the issuer names none, the icon of
// the account name's mail domain ("me@gmail.com" gives "google"). Names are
// compared ignoring case, accents, spaces and punctuation, through Simple
// Icons' aliases and a table of the names issuers use. It reports false when
// no icon fits, and the tile keeps its letter.
func Match(issuer, account string) (string, bool) {
	s := load()
	if issuer = strings.TrimSpace(issuer); issuer != "" {
		if name, ok := s.matchName(issuer); ok {
			return name, true
		}
	}
	account = strings.TrimSpace(account)
	if i := strings.LastIndexByte(account, '@'); i >= 0 {
		return s.matchDomain(account[i+1:])
	}
	if issuer == "" && looksLikeDomain(account) {
		return s.matchDomain(account)
	}
	return "", false
}

// Resolve returns the icon a tile shows for an account: the icon chosen for
// it when the bundle has one, else the matched one. chosen is the account's
// choice: empty for automatic, "letter" for the letter (vault.IconLetter).
func Resolve(chosen, issuer, account string) (string, bool) {
	switch chosen {
	case "":
	case "letter":
		return "", false
	default:
		if _, ok := load().icons[chosen]; ok {
			return chosen, true
		}
	}
	return Match(issuer, account)
}

// matchName matches an issuer: as a whole, as a domain when it looks like one,
// then by its leading words ("Coinbase Wallet" gives "coinbase").
func (s *set) matchName(issuer string) (string, bool) {
	if name, ok := s.keys[normalize(issuer)]; ok {
		return name, true
	}
	if looksLikeDomain(issuer) {
		if name, ok := s.matchDomain(issuer); ok {
			return name, true
		}
	}
	words := strings.FieldsFunc(issuer, func(r rune) bool {
		return unicode.IsSpace(r) || r == '(' || r == ')' || r == ',' || r == '-' || r == '/' || r == ':' || r == '|'
	})
	for n := len(words) - 1; n >= 1; n-- {
		key := normalize(strings.Join(words[:n], " "))
		if len(key) < 2 {
			continue
		}
		if name, ok := s.keys[key]; ok {
			return name, true
		}
	}
	return "", false
}

// matchDomain matches a domain or URL: the whole host, then the label that
// names the organisation ("accounts.google.com" gives "google").
func (s *set) matchDomain(d string) (string, bool) {
	d = strings.ToLower(strings.TrimSpace(d))
	if _, rest, ok := strings.Cut(d, "://"); ok {
		d = rest
	}
	d, _, _ = strings.Cut(d, "/")
	d = strings.TrimSuffix(strings.TrimPrefix(d, "www."), ".")
	if d == "" {
		return "", false
	}
	if name, ok := s.keys[normalize(d)]; ok {
		return name, true
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return "", false
	}
	org := labels[len(labels)-2]
	if domainLabels[org] && len(labels) >= 3 {
		org = labels[len(labels)-3]
	}
	name, ok := s.keys[normalize(org)]
	return name, ok
}

func looksLikeDomain(s string) bool {
	return strings.Contains(s, ".") && !strings.ContainsAny(s, " \t@")
}

// normalize folds a name for comparison: lower case, accents dropped, "&" and
// "+" spelled out as Simple Icons' slugs do, everything but letters and digits
// dropped.
func normalize(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		switch {
		case r == '&':
			b.WriteString("and")
		case r == '+':
			b.WriteString("plus")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
