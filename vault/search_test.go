package vault

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func searchFixture() []Account {
	return []Account{
		{Issuer: "GitHub", Name: "alice@example.com"},
		{Issuer: "GitLab", Name: "alice"},
		{Issuer: "Google", Name: "alice.smith@gmail.com", Group: "Personal"},
		{Issuer: "Amazon Web Services", Name: "root", Group: "Work"},
		{Issuer: "Proton Mail", Name: "bob"},
		{Issuer: "Dropbox", Name: "carol", Group: "Work"},
		{Issuer: "Steam", Name: "gamer42"},
		{Issuer: "", Name: "bank-of-nowhere"},
	}
}

func issuersOf(accounts []Account, found []int) []string {
	var out []string
	for _, i := range found {
		if accounts[i].Issuer != "" {
			out = append(out, accounts[i].Issuer)
		} else {
			out = append(out, accounts[i].Name)
		}
	}
	return out
}

// searchCase is a query and the accounts it finds, by issuer, best first.
type searchCase struct {
	query string
	want  []string
}

// checkSearch runs queries over the fixture.
func checkSearch(t *testing.T, tests []searchCase) {
	t.Helper()
	accounts := searchFixture()
	ix, err := NewSearchIndex(accounts)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		got := issuersOf(accounts, ix.Search(tt.query))
		if !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}

func TestSearchTypos(t *testing.T) {
	checkSearch(t, []searchCase{
		{"githbu", []string{"GitHub"}},    // swap: one edit
		{"gthub", []string{"GitHub"}},     // deletion
		{"gihtub", []string{"GitHub"}},    // swap in a longer word
		{"gitlba", []string{"GitLab"}},    // swap
		{"googel", []string{"Google"}},    // swap
		{"gogle", []string{"Google"}},     // deletion
		{"dropboks", []string{"Dropbox"}}, // two edits in a long word
		{"amazno", []string{"Amazon Web Services"}},
		{"stem", []string{"Steam"}},        // one edit in a short word
		{"protn", []string{"Proton Mail"}}, // deletion
		{"protonmial", []string{"Proton Mail"}},
		{"wrok", []string{"Amazon Web Services", "Dropbox"}}, // group, with a swap
		{"xyzzy", nil},
		{"dropqqqq", nil}, // four edits: too many
		{"gamer43", nil},  // numbers are not misspelt
		{"gamer4", []string{"Steam"}},
	})
}

func TestSearchPrefixes(t *testing.T) {
	checkSearch(t, []searchCase{
		{"g", []string{"GitHub", "GitLab", "Google", "Steam"}}, // gamer42, gmail
		{"git", []string{"GitHub", "GitLab"}},
		{"GitH", []string{"GitHub"}},
		{"ali", []string{"GitHub", "GitLab", "Google"}},
		{"alice", []string{"GitHub", "GitLab", "Google"}},
		{"git alice", []string{"GitHub", "GitLab"}},
		{"alice gitl", []string{"GitLab"}},
		{"alice lab", nil}, // words match from their start
		{"bank", []string{"bank-of-nowhere"}},
		{"  ", nil},
		{"", nil},
	})
}

func TestSearchRanksExactFirst(t *testing.T) {
	accounts := []Account{
		{Issuer: "Gitea", Name: "x"},
		{Issuer: "Git", Name: "y"},
	}
	ix, err := NewSearchIndex(accounts)
	if err != nil {
		t.Fatal(err)
	}
	if got := ix.Search("git"); !slices.Equal(got, []int{1, 0}) {
		t.Errorf("Search(git) = %v, want the exact word first: [1 0]", got)
	}
}

func TestSearchGroupTerms(t *testing.T) {
	checkSearch(t, []searchCase{
		{"group:work", []string{"Amazon Web Services", "Dropbox"}},
		{"GROUP:Work", []string{"Amazon Web Services", "Dropbox"}},
		{"group:wo", []string{"Amazon Web Services", "Dropbox"}}, // as one types
		{"group:work drop", []string{"Dropbox"}},
		{"drop group:work", []string{"Dropbox"}},
		{"group:personal group:work", nil},
		{`group:"per sonal"`, []string{"Google"}},
		{"group:nowhere", nil},
		{"group:", nil}, // nothing asked: the caller shows every account
		{"subgroup:work", nil},
	})
	rest, groups := cutGroupTerms(`a group:"two words" b group:x`)
	if rest != "a b" || !slices.Equal(groups, []string{"twowords", "x"}) {
		t.Errorf("cutGroupTerms = %q, %q", rest, groups)
	}
}

func TestSearchEmptyIndex(t *testing.T) {
	ix, err := NewSearchIndex(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := ix.Search("anything"); got != nil {
		t.Errorf("Search on an empty index = %v, want nil", got)
	}
}

func FuzzSearch(f *testing.F) {
	accounts := searchFixture()
	ix, err := NewSearchIndex(accounts)
	if err != nil {
		f.Fatal(err)
	}
	for _, q := range []string{"git", "githbu", "alice lab", "", "\xff\xfe", "ǅemal", "a b c d e f", "group:work", `group:"w x`, "GROUP:İ"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		found := ix.Search(q)
		seen := make(map[int]bool)
		for _, i := range found {
			if i < 0 || i >= len(accounts) || seen[i] {
				t.Fatalf("Search(%q) = %v: bad or repeated position", q, found)
			}
			seen[i] = true
		}
		// Every account that has a word starting with each query word, in
		// the groups asked for, is found.
		rest, groups := cutGroupTerms(q)
		words := searchWords(rest)
		if len(words) == 0 && len(groups) == 0 {
			return
		}
		for i := range accounts {
			a := &accounts[i]
			all := searchWords(a.Issuer + " " + a.Name + " " + a.Group)
			ok := groupKey(a.Group) != "" || len(groups) == 0
			for _, g := range groups {
				if !strings.HasPrefix(groupKey(a.Group), g) {
					ok = false
				}
			}
			for _, w := range words {
				if !slices.ContainsFunc(all, func(x string) bool { return strings.HasPrefix(x, w) }) {
					ok = false
				}
			}
			if ok && !seen[i] {
				t.Fatalf("Search(%q) = %v misses account %d (%s)", q, found, i, a.Label())
			}
		}
	})
}

// manyAccounts returns n accounts with realistic issuers and names.
func manyAccounts(n int) []Account {
	issuers := []string{"GitHub", "GitLab", "Google", "Microsoft", "Amazon Web Services", "Dropbox",
		"Proton Mail", "Fastmail", "Cloudflare", "DigitalOcean", "Hetzner", "Linode", "Slack",
		"Discord", "Twitter", "Facebook", "Instagram", "Reddit", "Steam", "Epic Games", "Nintendo",
		"PayPal", "Stripe", "Coinbase", "Kraken", "Binance", "Bitwarden", "1Password", "npm", "PyPI"}
	groups := []string{"", "Work", "Personal", "Family", "Servers"}
	accounts := make([]Account, n)
	for i := range accounts {
		accounts[i] = Account{
			Issuer: fmt.Sprintf("%s %d", issuers[i%len(issuers)], i/len(issuers)),
			Name:   fmt.Sprintf("user%d@example%d.com", i, i%97),
			Group:  groups[i%len(groups)],
		}
	}
	return accounts
}

// BenchmarkSearch measures queries over 10,000 accounts: "cold" as the first
// time a word is typed (its Levenshtein automaton is built), "warm" as the
// window repeats a search (the automaton is cached).
func BenchmarkSearch(b *testing.B) {
	accounts := manyAccounts(10000)
	ix, err := NewSearchIndex(accounts)
	if err != nil {
		b.Fatal(err)
	}
	queries := []string{"githbu", "cloudflare", "user4242", "proton mial", "wrok", "s", "digitalocaen 12"}
	for _, q := range queries {
		if len(ix.Search(q)) == 0 {
			b.Fatalf("Search(%q) found nothing", q)
		}
	}
	for _, q := range queries {
		b.Run("cold/"+q, func(b *testing.B) {
			for b.Loop() {
				resetDFACache()
				ix.Search(q)
			}
		})
	}
	for _, q := range queries {
		b.Run("warm/"+q, func(b *testing.B) {
			for b.Loop() {
				ix.Search(q)
			}
		})
	}
}

func resetDFACache() {
	dfaCache.Lock()
	dfaCache.m = nil
	dfaCache.Unlock()
}

func BenchmarkNewSearchIndex(b *testing.B) {
	accounts := manyAccounts(10000)
	for b.Loop() {
		if _, err := NewSearchIndex(accounts); err != nil {
			b.Fatal(err)
		}
	}
}
