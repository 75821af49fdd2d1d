package search

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/kb-postmortems/kb/internal/search/internal/query"
)

// Request is one query. Its JSON form is what the search worker
// accepts.
type Request struct {
	// Query is in the query language described in the package doc.
	Query string `json:"query"`
	// Size is the number of hits to return: DefaultSize when 0, at
	// most MaxSize.
	Size int `json:"size,omitempty"`
	// From is the number of hits to skip, for paging.
	From int `json:"from,omitempty"`
	// Filters restrict the hits like filters in the query: keys are
	// system, cause, severity, status and year; a hit must match one
	// value of every key given.
	Filters map[string][]string `json:"filters,omitempty"`
	// Highlight asks for fragments and a highlighted title.
	Highlight bool `json:"highlight,omitempty"`
	// Facets asks for counts of systems, causes, severities, statuses
	// and years among all hits.
	Facets bool `json:"facets,omitempty"`
}

// Size limits of a Request.
const (
	DefaultSize = 10
	MaxSize     = 100
)

// Result answers a Request. Its JSON form is what the search worker and
// kb search --json return.
type Result struct {
	// Total is the number of incidents that match.
	Total int `json:"total"`
	// Took is how long the search took.
	Took time.Duration `json:"-"`
	// Hits are the incidents from Request.From on, best first.
	Hits []Hit `json:"hits"`
	// Facets maps system, cause, severity, status and year to the
	// counts of their values among all matching incidents, most
	// frequent first (years newest first).
	Facets map[string][]FacetCount `json:"facets,omitempty"`
	// Shards are the shards searched, newest first; Partial is true
	// when some shards in the manifest were not loaded yet.
	Shards  []string `json:"shards"`
	Partial bool     `json:"partial,omitempty"`
	// Relaxed is true when no incident has every word of the query: the
	// hits are those with the most of them, ranked by how many they
	// have. Missing lists the words (as typed) that no incident has.
	Relaxed bool     `json:"relaxed,omitempty"`
	Missing []string `json:"missing,omitempty"`
}

// MarshalJSON adds took_ms, the search time in milliseconds.
func (r *Result) MarshalJSON() ([]byte, error) {
	type plain Result
	return json.Marshal(struct {
		*plain
		TookMS float64 `json:"took_ms"`
	}{(*plain)(r), float64(r.Took.Microseconds()) / 1000})
}

// Hit is one matching incident.
type Hit struct {
	ID string `json:"id"`
	// Path is the link to the incident page relative to the site
	// root: incidents/<id>/, with #<anchor> when a section matched.
	Path      string   `json:"path"`
	Title     string   `json:"title"`
	TitleHTML string   `json:"title_html,omitempty"` // HTML-escaped, matches in <mark>; only when highlighting
	Date      string   `json:"date,omitempty"`       // YYYY-MM-DD
	Severity  string   `json:"severity,omitempty"`
	Status    string   `json:"status,omitempty"`
	Systems   []string `json:"systems,omitempty"`
	Causes    []string `json:"causes,omitempty"`
	// Section is the section where the query matched best; nil when
	// only the title, summary or filters matched. Only when
	// highlighting.
	Section *SectionRef `json:"section,omitempty"`
	// Fragments are short HTML-escaped excerpts with matches in
	// <mark>, from Section, else from the summary. Only when
	// highlighting.
	Fragments []string `json:"fragments,omitempty"`
	Score     float64  `json:"score"`
}

// SectionRef names a section of an incident page.
type SectionRef struct {
	Key    string `json:"key,omitempty"`
	Title  string `json:"title"`
	Anchor string `json:"anchor,omitempty"`
}

// FacetCount is the number of matching incidents with one value.
type FacetCount struct {
	Value string `json:"value"` // lower case, as filters take it
	Label string `json:"label"` // as written in the incidents
	Count int    `json:"count"`
}

// facetSize is the most values reported per facet.
const facetSize = 50

// ErrNoShard is returned by Search before any shard is loaded (an
// index of no incidents has no shards and answers with no hits).
var ErrNoShard = errors.New("search index: no shard loaded yet")

// Search runs one query over the loaded shards.
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	size := req.Size
	switch {
	case size == 0:
		size = DefaultSize
	case size < 0 || req.From < 0:
		return nil, errors.New("search: size and from must not be negative")
	case size > MaxSize:
		size = MaxSize
	}
	pq := parseQuery(req.Query)
	keys := slices.Sorted(maps.Keys(req.Filters))
	taken := 0
	for _, k := range keys {
		f, ok := filterAliases[strings.ToLower(k)]
		if !ok {
			return nil, fmt.Errorf("search: unknown filter %q (want system, cause, severity, status or year)", k)
		}
		for _, v := range req.Filters[k] {
			if v = strings.ToLower(strings.TrimSpace(v)); v != "" && taken < MaxQueryWords {
				addFilter(&pq, false, f, cutQuery(v))
				taken++
			}
		}
	}

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if len(ix.man.Shards) == 0 {
		return &Result{Hits: []Hit{}, Shards: []string{}, Took: time.Since(start)}, nil // no incidents
	}
	if len(ix.shards) == 0 {
		return nil, ErrNoShard
	}
	pl := ix.compile(pq)
	mk := pl.mk
	if !req.Highlight {
		mk = nil
	}
	// The facets of everything are in the manifest.
	browse := req.Facets && len(pq.Terms)+len(pq.Not)+len(pq.Filters)+len(pq.NotFilters) == 0 &&
		len(ix.shards) == len(ix.man.Shards)
	run := func(q query.Query, scored bool) (int, []*bsearch.DocumentMatch, *facetTally, error) {
		var tally *facetTally
		rctx := ctx
		if req.Facets && !browse {
			tally = &facetTally{ix: ix}
			rctx = context.WithValue(ctx, bsearch.MakeDocumentMatchHandlerKey, bsearch.MakeDocumentMatchHandler(tally.handler))
		}
		total, hits, err := ix.searchShards(rctx, q, scored, req.From, size)
		return total, hits, tally, err
	}
	if !pl.scored {
		// Unscored under a filter of systems or causes: the incidents
		// that declare a value come before those that only mention it.
		var codes []uint32
		for _, f := range []string{fieldSystem, fieldCause} {
			for _, v := range pq.Filters[f] {
				if c, ok := ix.code(f, v); ok {
					codes = append(codes, c)
				}
			}
		}
		if len(codes) > 0 {
			ctx = context.WithValue(ctx, declaredKey{}, codes)
		}
	}
	total, hits, tally, err := run(pl.strict, pl.scored)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	// No dead ends: when no incident has every word, or the query is
	// long (a pasted error or alert), rank the incidents by how many of
	// the words they have.
	relaxed := false
	var missing []string
	if len(pl.words) > 0 && (total == 0 || len(pl.words) > longQuery) {
		if len(pl.words) > 1 {
			if total, hits, tally, err = run(pl.relaxed(), true); err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			relaxed = total > 0
		}
		if missing, err = ix.missing(ctx, pl.words); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	out := &Result{
		Total:   total,
		Hits:    make([]Hit, 0, len(hits)),
		Shards:  make([]string, len(ix.shards)),
		Partial: len(ix.shards) < len(ix.man.Shards),
		Relaxed: relaxed,
		Missing: missing,
	}
	for i, s := range ix.shards {
		out.Shards[i] = s.name
	}
	for _, dm := range hits {
		h, err := ix.hit(dm, mk)
		if err != nil {
			return nil, err
		}
		out.Hits = append(out.Hits, h)
	}
	if browse {
		out.Facets = ix.facets(nil)
	} else if req.Facets {
		out.Facets = ix.facets(tally.counts())
	}
	out.Took = time.Since(start)
	return out, nil
}

// Field boosts: a word in a title counts three times a word in a
// section body.
var textFields = []struct {
	name  string
	boost float64
}{
	{fieldTitle, 3},
	{fieldHeading, 2},
	{fieldSummary, 1.5},
	{fieldBody, 1},
}

// keywordFields are the filter fields a word of the query also matches
// as a whole: "vault" finds incidents of the system Vault that never
// name it in their text.
var keywordFields = []struct {
	name  string
	boost float64
}{
	{fieldSystem, 2},
	{fieldCause, 2},
}

// Weights of the forms of a word relative to the word itself.
const (
	prefixWeight = 0.6
	fuzzyWeight  = 0.4
)

// minPrefix is the fewest letters of a word being typed that match as
// a prefix of words in the text: one or two letters begin too many
// words (over 10,000 incidents, "s" took 115 ms natively, "dat" 7 ms).
// Systems and causes match a prefix of any length.
const minPrefix = 3

// Limits on the words a typo or an unfinished word expands to.
const (
	maxFuzzyExpansions  = 16
	maxPrefixExpansions = 48
)

// plan is a query compiled for bleve.
type plan struct {
	// strict requires every word; scored is false when no words or
	// phrases rank the hits (only filters, or nothing), which then come
	// newest first.
	strict query.Query
	scored bool
	// mk marks the words the query matches, for highlighting.
	mk *marks
	// words are the required words and phrases, one clause each, and
	// what else a relaxed query keeps: the filters and exclusions.
	words   []wordClause
	filters []query.Query
	should  []query.Query
	mustNot []query.Query
}

// wordClause is one word or phrase of a query and what matches it.
type wordClause struct {
	text string
	q    query.Query
}

// longQuery is the most words a query may have and still require every
// one: longer, it is a pasted error message or alert, and incidents
// rank by how many of its words they have.
const longQuery = 6

// coverBonus is added to an incident's score for each word of a relaxed
// query it has. It is larger than any score one word can earn, so that
// an incident with more of the words always ranks first.
const coverBonus = 1e4

// relaxed is the plan's query with every word optional: an incident
// needs one of them, and one with more of them ranks above one with
// fewer, then by score.
func (p *plan) relaxed() query.Query {
	alts := make([]query.Query, len(p.words))
	for i, w := range p.words {
		alts[i] = &coverQuery{q: w.q, bonus: coverBonus}
	}
	any := query.NewDisjunctionQuery(alts)
	must := append(p.filters[:len(p.filters):len(p.filters)], any)
	return p.boolean(must)
}

func (p *plan) boolean(must []query.Query) query.Query {
	b := &query.BooleanQuery{}
	if len(p.should) > 0 {
		b.Should = query.NewDisjunctionQuery(p.should)
	}
	if len(p.mustNot) > 0 {
		b.MustNot = query.NewDisjunctionQuery(p.mustNot)
	}
	if len(must) > 0 {
		b.Must = query.NewConjunctionQuery(must)
	} else {
		b.Must = query.NewMatchAllQuery()
	}
	return b
}

// missing returns the words that no loaded incident has, as typed.
func (ix *Index) missing(ctx context.Context, words []wordClause) ([]string, error) {
	var out []string
	for _, w := range words {
		n, _, err := ix.searchShards(ctx, w.q, false, 0, 0)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			out = append(out, w.text)
		}
	}
	return out, nil
}

// compile turns a parsed query into bleve queries and the marks of the
// words it matches.
func (ix *Index) compile(pq parsedQuery) *plan {
	p := &plan{mk: &marks{}}
	for _, t := range mergeCompounds(pq.Terms) {
		c := ix.termQuery(t, p.mk)
		switch {
		case c == nil:
		case t.Prefix && utf8.RuneCountInString(t.Text) < minPrefix && len(pq.Terms) > 1:
			// A word of one or two letters still being typed ranks
			// the hits but does not filter them yet.
			p.should = append(p.should, c)
		default:
			p.words = append(p.words, wordClause{text: t.Text, q: c})
		}
	}
	if len(pq.Terms) > 0 && len(p.words) == 0 {
		// Only stop words: nothing can match.
		p.strict, p.scored = query.NewMatchNoneQuery(), true
		return p
	}
	p.scored = len(p.words) > 0
	for _, t := range pq.Not {
		if c := ix.exactQuery(t.Text, t.Phrase, nil); c != nil {
			p.mustNot = append(p.mustNot, c)
		}
	}
	// Filters are required clauses that add nothing to the score.
	// (BooleanQuery.Filter would say so directly, but in bleve v2.6.3
	// an alias searched with global scoring returns no hits for it.)
	for _, f := range filterFields {
		if vs := pq.Filters[f]; len(vs) > 0 {
			p.filters = append(p.filters, keywordQuery(f, vs, 0))
		}
		if vs := pq.NotFilters[f]; len(vs) > 0 {
			p.mustNot = append(p.mustNot, keywordQuery(f, vs, 1))
		}
	}
	must := slices.Clone(p.filters)
	for _, w := range p.words {
		must = append(must, w.q)
	}
	p.strict = p.boolean(must)
	return p
}

func keywordQuery(field string, values []string, boost float64) query.Query {
	var qs []query.Query
	for _, v := range values {
		t := query.NewTermQuery(v)
		t.SetField(field)
		t.SetBoost(boost)
		qs = append(qs, t)
	}
	return query.NewDisjunctionQuery(qs)
}

// termQuery matches one word or phrase of the query in any text field
// or as a system or cause. A word also matches words one or two typos
// away and, when it is still being typed, words it begins. It returns
// nil for a word that can match nothing, such as a stop word.
func (ix *Index) termQuery(t term, mk *marks) query.Query {
	tokens := ix.analyze(t.Text)
	word := strings.ToLower(strings.TrimSpace(t.Text))
	single := !t.Phrase && len(tokens) == 1
	var alts []query.Query
	if len(tokens) > 0 {
		alts = append(alts, ix.exactQuery(t.Text, !single, mk))
	}
	if t.Prefix {
		alts = append(alts, ix.keywordQueries(word, 0, prefixWeight)...)
	}
	if t.Prefix && !t.Phrase && len(tokens) <= 1 && utf8.RuneCountInString(word) >= minPrefix {
		for _, f := range textFields {
			p := query.NewPrefixQuery(word)
			p.SetField(f.name)
			p.SetBoost(f.boost * prefixWeight)
			alts = append(alts, p)
		}
		mk.prefixes = append(mk.prefixes, word)
		// Stemming cuts words short: "inciden" begins "incident" but
		// not its stem "incid". Look the prefix up in the lexicon.
		stems := ix.stems(ix.lexicon(word, 0, maxPrefixExpansions), tokens, word)
		mk.addTerms(stems...)
		alts = append(alts, termsQuery(stems, prefixWeight)...)
	}
	if parts, ok := compounds[word]; ok && single {
		// "rollback" finds "rolled back", "logout" "logging out".
		alts = append(alts, ix.openCompound(parts, mk))
	}
	// A word is matched fuzzily only when no incident has it: a typo
	// in one title must not outrank the incidents that spell it right.
	if single && !ix.known(tokens, word) {
		if fz := fuzziness(word); fz > 0 {
			stems := ix.stems(ix.lexicon(word, fz, maxFuzzyExpansions), tokens, "")
			mk.addTerms(stems...)
			alts = append(alts, termsQuery(stems, fuzzyWeight)...)
			alts = append(alts, ix.keywordQueries(word, fz, fuzzyWeight)...)
		}
	}
	if len(alts) == 0 {
		return nil
	}
	return query.NewDisjunctionQuery(alts)
}

// known reports whether a loaded incident has one of the terms in its
// text, or word as a system or cause.
func (ix *Index) known(terms []string, word string) bool {
	for _, f := range keywordFields {
		if _, ok := slices.BinarySearch(ix.keywords[f.name], word); ok {
			return true
		}
	}
	for _, s := range ix.shards {
		for _, t := range terms {
			if s.st.termID(t) >= 0 {
				return true
			}
		}
	}
	return false
}

// keywordQueries matches the systems and causes that begin with word
// (fuzz 0) or are within fuzz typos of it, other than word itself. The
// values come from the manifest, which lists them all; comparing here
// is cheaper than building an automaton per shard and field.
func (ix *Index) keywordQueries(word string, fuzz int, weight float64) []query.Query {
	var alts []query.Query
	for _, f := range keywordFields {
		for _, v := range ix.keywords[f.name] {
			if v == word {
				continue
			}
			if fuzz == 0 && !strings.HasPrefix(v, word) || fuzz > 0 && !withinEdits(word, v, fuzz) {
				continue
			}
			q := query.NewTermQuery(v)
			q.SetField(f.name)
			q.SetBoost(f.boost * weight)
			alts = append(alts, q)
		}
	}
	return alts
}

// withinEdits reports whether a and b are at most max insertions,
// deletions or substitutions of a rune apart.
func withinEdits(a, b string, max int) bool {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return false
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > max {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)] <= max
}

// stems returns the distinct stems of words that are not among have
// and, when prefix is set, do not begin with it (a prefix query finds
// those already).
func (ix *Index) stems(words, have []string, prefix string) []string {
	seen := map[string]bool{}
	for _, s := range have {
		seen[s] = true
	}
	var out []string
	for _, w := range words {
		for _, s := range ix.analyze(w) {
			if !seen[s] && (prefix == "" || !strings.HasPrefix(s, prefix)) {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// exactQuery matches a word or phrase as written, stemmed, in any text
// field, or as a whole system or cause; nil when it analyzes to nothing.
// The words it matches are added to mk, unless mk is nil.
func (ix *Index) exactQuery(text string, phrase bool, mk *marks) query.Query {
	tokens := ix.en.Analyze([]byte(text))
	if len(tokens) == 0 {
		return nil
	}
	var slots []string
	if phrase {
		slots = phraseSlots(tokens)
		if mk != nil {
			mk.phrases = append(mk.phrases, slots)
		}
	} else if mk != nil {
		for _, t := range tokens {
			mk.addTerms(string(t.Term))
		}
	}
	var alts []query.Query
	matchers := &phraseMatchers{}
	for _, f := range textFields {
		if phrase {
			alts = append(alts, &phraseQuery{field: f.name, slots: slots, boost: f.boost, ix: ix, matchers: matchers})
		} else {
			q := query.NewMatchQuery(text)
			q.SetField(f.name)
			q.SetBoost(f.boost)
			alts = append(alts, q)
		}
	}
	for _, f := range keywordFields {
		q := query.NewTermQuery(strings.ToLower(strings.TrimSpace(text)))
		q.SetField(f.name)
		q.SetBoost(f.boost)
		alts = append(alts, q)
	}
	return query.NewDisjunctionQuery(alts)
}

// phraseSlots lays out the terms of an analyzed phrase by position from
// its first word, with "" where the analyzer dropped a stop word, as
// bleve's match phrase query does.
func phraseSlots(tokens analysis.TokenStream) []string {
	first, last := tokens[0].Position, tokens[0].Position
	for _, t := range tokens {
		first = min(first, t.Position)
		last = max(last, t.Position)
	}
	slots := make([]string, last-first+1)
	for _, t := range tokens {
		slots[t.Position-first] = string(t.Term)
	}
	return slots
}

// termsQuery matches any of the given stemmed terms in any text field.
func termsQuery(stems []string, weight float64) []query.Query {
	var alts []query.Query
	for _, s := range stems {
		for _, f := range textFields {
			q := query.NewTermQuery(s)
			q.SetField(f.name)
			q.SetBoost(f.boost * weight)
			alts = append(alts, q)
		}
	}
	return alts
}

// fuzziness is the number of typos tolerated in a word: none up to
// four letters, one up to eight, two beyond.
func fuzziness(word string) int {
	switch n := utf8.RuneCountInString(word); {
	case n < 5:
		return 0
	case n < 9:
		return 1
	}
	return 2
}

// analyze returns the terms the text fields' analyzer makes of s.
func (ix *Index) analyze(s string) []string {
	var out []string
	for _, tok := range ix.en.Analyze([]byte(s)) {
		out = append(out, string(tok.Term))
	}
	return out
}

// lexicon returns up to limit words of the lexicon: those within fuzz
// edits of word, or when fuzz is 0 those that begin with word. Closer
// words come first, then shorter, then in alphabetical order. Before the
// lexicon is loaded it returns nothing.
func (ix *Index) lexicon(word string, fuzz, limit int) []string {
	if ix.lex == nil {
		return nil
	}
	adv, err := ix.lex.Advanced()
	if err != nil {
		return nil
	}
	r, err := adv.Reader()
	if err != nil {
		return nil
	}
	defer r.Close()
	var dict index.FieldDict
	if fuzz > 0 {
		if fr, ok := r.(index.IndexReaderFuzzy); ok {
			dict, err = fr.FieldDictFuzzy(fieldWord, word, fuzz, "")
		}
	} else {
		dict, err = r.FieldDictPrefix(fieldWord, []byte(word))
	}
	if err != nil || dict == nil {
		return nil
	}
	defer dict.Close()
	type cand struct {
		word string
		dist uint8
	}
	var cands []cand
	for e, err := dict.Next(); err == nil && e != nil; e, err = dict.Next() {
		if e.Term != word {
			cands = append(cands, cand{e.Term, e.EditDistance})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if c := cmp.Compare(a.dist, b.dist); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.word), len(b.word)); c != 0 {
			return c
		}
		return strings.Compare(a.word, b.word)
	})
	var out []string
	for _, c := range cands[:min(len(cands), limit)] {
		out = append(out, c.word)
	}
	return out
}

// facets converts counts by field and value, or with nil the counts of
// all incidents from the manifest, into Result.Facets: most frequent
// first (then by value), years newest first, at most facetSize values
// each.
func (ix *Index) facets(fc map[string]map[string]int) map[string][]FacetCount {
	out := map[string][]FacetCount{}
	for _, f := range filterFields {
		counts := []FacetCount{}
		add := func(v string, n int) {
			label := ix.man.Labels[f][v]
			if label == "" {
				label = v
			}
			counts = append(counts, FacetCount{Value: v, Label: label, Count: n})
		}
		if fc == nil {
			fc = ix.man.Counts
		}
		for v, n := range fc[f] {
			add(v, n)
		}
		slices.SortFunc(counts, func(a, b FacetCount) int {
			if c := cmp.Compare(b.Count, a.Count); c != 0 {
				return c
			}
			return strings.Compare(a.Value, b.Value)
		})
		counts = counts[:min(len(counts), facetSize)]
		if f == fieldYear {
			slices.SortFunc(counts, func(a, b FacetCount) int { return strings.Compare(b.Value, a.Value) })
		}
		out[f] = counts
	}
	return out
}
