package vault

import (
	"bytes"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/vellum"
	"github.com/blevesearch/vellum/levenshtein"
)

// SearchIndex finds accounts by the words of their issuers, names and groups,
// tolerating typos. It is an FST (github.com/blevesearch/vellum) over the
// lowercased words, searched by prefix and with a Levenshtein automaton: a
// query word matches a word that starts with it, or that is one edit away (two
// for query words of six letters or more; a swap of two neighbouring letters
// counts as one edit). Words with digits match by prefix only, since a
// number one edit away is another number. Every word of a query must match
// for an account to be found. A term "group:NAME" (or group:"two words")
// keeps the accounts of the groups whose name starts with NAME, ignoring case,
// spaces and punctuation.
//
// A SearchIndex is immutable and safe for concurrent use; build a new one when
// the accounts change.
type SearchIndex struct {
	fst      *vellum.FST
	postings [][]int32 // by FST value: the accounts that have the word
	groups   []string  // by account: its group as groupKey folds it
	n        int
}

// Match quality of one query word against one account, best first.
const (
	matchExact uint8 = iota
	matchPrefix
	matchFuzzy
	matchNone
)

// fuzzyMinLen and fuzzyTwoLen are the query word lengths from which one and
// two edits are tolerated; shorter words match by prefix only, since one edit
// on two letters matches nearly everything.
const (
	fuzzyMinLen = 3
	fuzzyTwoLen = 6
)

// NewSearchIndex indexes accounts. [SearchIndex.Search] returns positions in
// this slice.
func NewSearchIndex(accounts []Account) (*SearchIndex, error) {
	words := make(map[string][]int32)
	groups := make([]string, len(accounts))
	for i := range accounts {
		a := &accounts[i]
		groups[i] = groupKey(a.Group)
		seen := make(map[string]bool)
		for _, field := range []string{a.Issuer, a.Name, a.Group} {
			ws := searchWords(field)
			if len(ws) > 1 {
				// "Proton Mail" is also found as "protonmail".
				ws = append(ws, strings.Join(ws, ""))
			}
			for _, w := range ws {
				if !seen[w] {
					seen[w] = true
					words[w] = append(words[w], int32(i))
				}
			}
		}
	}
	keys := make([]string, 0, len(words))
	for w := range words {
		keys = append(keys, w)
	}
	sort.Strings(keys)

	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		return nil, err
	}
	ix := &SearchIndex{postings: make([][]int32, len(keys)), groups: groups, n: len(accounts)}
	for i, k := range keys {
		if err := b.Insert([]byte(k), uint64(i)); err != nil {
			return nil, err
		}
		ix.postings[i] = words[k]
	}
	if err := b.Close(); err != nil {
		return nil, err
	}
	if ix.fst, err = vellum.Load(buf.Bytes()); err != nil {
		return nil, err
	}
	return ix, nil
}

// Search returns the positions of the accounts that match every word of
// query, best matches first (exact words before prefixes before typos), and
// in account order among equals. An empty query matches nothing; callers show
// every account then.
func (ix *SearchIndex) Search(query string) []int {
	query, groups := cutGroupTerms(query)
	qwords := searchWords(query)
	if len(qwords) == 0 && len(groups) == 0 || ix.n == 0 {
		return nil
	}
	total := make([]int, ix.n)
	for i, g := range ix.groups {
		for _, want := range groups {
			if !strings.HasPrefix(g, want) || g == "" {
				total[i] = -1
			}
		}
	}
	best := make([]uint8, ix.n)
	for _, q := range qwords {
		for i := range best {
			best[i] = matchNone
		}
		ix.matchWord(q, best)
		for i, b := range best {
			if b == matchNone || total[i] < 0 {
				total[i] = -1
				continue
			}
			total[i] += int(b)
		}
	}
	// A bucket sort by score keeps account order among equals and stays
	// linear when a short query matches thousands of accounts.
	var buckets [][]int
	for i, t := range total {
		if t < 0 {
			continue
		}
		for len(buckets) <= t {
			buckets = append(buckets, nil)
		}
		buckets[t] = append(buckets[t], i)
	}
	var found []int
	for _, b := range buckets {
		found = append(found, b...)
	}
	return found
}

// matchWord records in best how well the query word q matches each account.
func (ix *SearchIndex) matchWord(q string, best []uint8) {
	mark := func(key []byte, val uint64) {
		m := matchFuzzy
		switch {
		case string(key) == q:
			m = matchExact
		case bytes.HasPrefix(key, []byte(q)):
			m = matchPrefix
		}
		for _, i := range ix.postings[val] {
			if m < best[i] {
				best[i] = m
			}
		}
	}
	it, err := ix.fst.Iterator([]byte(q), prefixEnd([]byte(q)))
	each(it, err, mark)

	n := len([]rune(q))
	if n < fuzzyMinLen || strings.ContainsFunc(q, unicode.IsDigit) {
		// Numbers are not misspelt: "acct12" must not find "acct13".
		return
	}
	dist := uint8(1)
	if n >= fuzzyTwoLen {
		dist = 2
	}
	dfa, err := levenshteinDFA(q, dist)
	if err != nil {
		return
	}
	it, err = ix.fst.Search(dfa, nil, nil)
	each(it, err, mark)
}

// each calls fn for every key and value of an iterator as vellum returns it:
// an error at the start (vellum.ErrIteratorDone when nothing matches) means
// there is nothing to visit.
func each(it *vellum.FSTIterator, err error, fn func([]byte, uint64)) {
	for err == nil {
		fn(it.Current())
		err = it.Next()
	}
}

// prefixEnd returns the smallest key greater than every key that starts with
// p, or nil if there is none.
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// groupTerm is how a query names a group.
const groupTerm = "group:"

// cutGroupTerms takes the "group:NAME" terms out of a query: it returns the
// rest of the query and the names, folded by groupKey. A name in double
// quotes may hold spaces; an empty name is dropped.
func cutGroupTerms(query string) (rest string, groups []string) {
	var words []string
	for {
		query = strings.TrimLeftFunc(query, unicode.IsSpace)
		if query == "" {
			return strings.Join(words, " "), groups
		}
		n := len(groupTerm)
		if len(query) < n || !strings.EqualFold(query[:n], groupTerm) {
			end := strings.IndexFunc(query, unicode.IsSpace)
			if end < 0 {
				end = len(query)
			}
			words = append(words, query[:end])
			query = query[end:]
			continue
		}
		name := query[n:]
		var end, next int
		if strings.HasPrefix(name, `"`) {
			name = name[1:]
			if end = strings.IndexByte(name, '"'); end < 0 {
				end = len(name)
			}
			next = min(len(name), end+1)
		} else {
			if end = strings.IndexFunc(name, unicode.IsSpace); end < 0 {
				end = len(name)
			}
			next = end
		}
		if k := groupKey(name[:end]); k != "" {
			groups = append(groups, k)
		}
		query = name[next:]
	}
}

// groupKey folds a group's name for comparison: lower case, letters and
// digits only.
func groupKey(s string) string {
	return strings.Join(searchWords(s), "")
}

// searchWords splits s into lowercase words of letters and digits.
func searchWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Building a Levenshtein automaton builder is costly (it precomputes the
// parametric automaton), so there is one per distance for the process.
var (
	levOnce     [3]sync.Once
	levBuilders [3]*levenshtein.LevenshteinAutomatonBuilder
	levErrs     [3]error
)

func levenshteinBuilder(dist uint8) (*levenshtein.LevenshteinAutomatonBuilder, error) {
	levOnce[dist].Do(func() {
		levBuilders[dist], levErrs[dist] = levenshtein.NewLevenshteinAutomatonBuilder(dist, true)
	})
	return levBuilders[dist], levErrs[dist]
}

// dfaCache keeps the automata of recent query words. Building one is most of
// the cost of a search, and the window searches the same words again and
// again: each word of "proton mail" at every key typed after it, and the
// whole query whenever the accounts change.
var dfaCache struct {
	sync.Mutex
	m map[dfaKey]*levenshtein.DFA
}

type dfaKey struct {
	word string
	dist uint8
}

const dfaCacheSize = 64

// levenshteinDFA returns the automaton that accepts the words within dist
// edits of word.
func levenshteinDFA(word string, dist uint8) (*levenshtein.DFA, error) {
	key := dfaKey{word, dist}
	dfaCache.Lock()
	dfa := dfaCache.m[key]
	dfaCache.Unlock()
	if dfa != nil {
		return dfa, nil
	}
	lb, err := levenshteinBuilder(dist)
	if err != nil {
		return nil, err
	}
	if dfa, err = lb.BuildDfa(word, dist); err != nil {
		return nil, err
	}
	dfaCache.Lock()
	if len(dfaCache.m) >= dfaCacheSize || dfaCache.m == nil {
		dfaCache.m = make(map[dfaKey]*levenshtein.DFA)
	}
	dfaCache.m[key] = dfa
	dfaCache.Unlock()
	return dfa, nil
}
