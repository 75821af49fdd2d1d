package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// phraseQuery matches a phrase in one text field without term positions
// in the index: bleve finds the incidents that hold every word of the
// phrase in the field, and each of them is kept only if the stored
// tokens of one of its texts in that field (the title, the summary, one
// heading or one section body) hold the words at the right distances.
// The stored tokens are the index's own, so this is exactly the match a
// phrase query over term positions makes, and it scores the same: the
// conjunction of the words, as bleve's phrase searcher does.
//
// Hits that fail the check never reach the collector, so totals and
// facets count only real matches. The cost is one scan of the field's
// stored words per candidate, paid only by phrase queries.
type phraseQuery struct {
	field string
	// slots are the terms of the phrase by position from its first
	// word; "" where a stop word was (any word matches there), or a
	// literal (see literalSlot) where that stop word must stand.
	slots []string
	boost float64
	ix    *Index
	// matchers are shared by the queries of one phrase in every
	// field, one per shard.
	matchers *phraseMatchers
}

type phraseMatchers struct {
	mu sync.Mutex
	m  map[*store]*phraseMatcher
}

func (pm *phraseMatchers) get(s *store, slots []string) *phraseMatcher {
	pm.mu.Lock()
	defer pm.mu.Unlock()
	if m := pm.m[s]; m != nil {
		return m
	}
	m := s.phraseMatcher(slots)
	if pm.m == nil {
		pm.m = map[*store]*phraseMatcher{}
	}
	pm.m[s] = m
	return m
}

func (q *phraseQuery) SetBoost(b float64) { q.boost = b }
func (q *phraseQuery) Boost() float64     { return q.boost }
func (q *phraseQuery) SetField(f string)  { q.field = f }
func (q *phraseQuery) Field() string      { return q.field }

func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	var terms []bsearch.Searcher
	closeAll := func() {
		for _, s := range terms {
			s.Close()
		}
	}
	literal := false
	for _, t := range q.slots {
		if _, ok := isLiteral(t); ok {
			literal = true
			continue
		}
		if t == "" {
			continue
		}
		s, err := searcher.NewTermSearcher(ctx, r, t, q.field, q.boost, opts)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("phrase: %w", err)
		}
		terms = append(terms, s)
	}
	switch len(terms) {
	case 0:
		return searcher.NewMatchNoneSearcher(r)
	case 1:
		if !literal {
			return terms[0], nil // one word: every occurrence matches
		}
	}
	all := terms[0]
	if len(terms) > 1 {
		var err error
		if all, err = searcher.NewConjunctionSearcher(ctx, r, terms, opts); err != nil {
			closeAll()
			return nil, fmt.Errorf("phrase: %w", err)
		}
	}
	var (
		cur    docCursor
		st     *store
		ph     *phraseMatcher
		bounds []int
	)
	if q.matchers == nil {
		q.matchers = &phraseMatchers{}
	}
	accept := func(_ *bsearch.SearchContext, d *bsearch.DocumentMatch) bool {
		s, doc := q.ix.docOf(&cur, r, d.IndexInternalID)
		if s == nil {
			return false
		}
		if s != st { // every candidate comes from one shard
			st, ph = s, q.matchers.get(s, q.slots)
		}
		var ok bool
		ok, bounds = ph.in(doc, q.field, bounds)
		return ok
	}
	return searcher.NewFilteringSearcher(ctx, all, accept), nil
}

// gapSlot marks a position of a phrase where any word matches.
const gapSlot = -2

// literalSlot marks, in a phrase's slots, a stop word that must stand at
// its position: "\x00out" in the slots of "log out", so that the phrase
// does not match "log in". The analyzer drops stop words, so bleve knows
// nothing of them; the stored words do.
const literalSlot = "\x00"

// isLiteral returns the word of a literal slot.
func isLiteral(slot string) (string, bool) {
	return strings.CutPrefix(slot, literalSlot)
}

// phraseSlots returns the term numbers of a phrase's slots in this
// shard: gapSlot for a gap or a literal, -1 for a term the shard does
// not hold.
func (s *store) phraseSlots(slots []string) []int32 {
	out := make([]int32, len(slots))
	for i, t := range slots {
		if _, ok := isLiteral(t); ok || t == "" {
			out[i] = gapSlot
		} else {
			out[i] = s.termID(t)
		}
	}
	return out
}

// textsOf returns the range of text numbers of a field in a document
// of n sections.
func textsOf(field string, n int) (from, to int) {
	switch field {
	case fieldTitle:
		return textTitle, textTitle + 1
	case fieldSummary:
		return textSummary, textSummary + 1
	case fieldHeading:
		return 2, 2 + n
	case fieldBody:
		return 2 + n, 2 + 2*n
	}
	return 0, 0
}

// phraseMatcher finds one phrase in the texts of a shard's documents.
// Every candidate of a phrase query comes through it, so it runs the
// shift-and algorithm over the stored word numbers in place: the masks
// say for each word the positions of the phrase where it may stand.
type phraseMatcher struct {
	s     *store
	short []uint8  // masks by word, for phrases of up to 8 positions
	masks []uint64 // masks by word, for longer ones
	last  uint64   // bit of the phrase's last position
	none  bool     // some word of the phrase is not in the shard
	long  []int32  // the slots, when the phrase is longer than 64 words
}

func (s *store) phraseMatcher(slots []string) *phraseMatcher {
	ids := s.phraseSlots(slots)
	lits := map[int][]int32{} // slot → the words it takes
	for k, t := range slots {
		if w, ok := isLiteral(t); ok {
			lits[k] = s.wordsFold(w)
			if len(lits[k]) == 0 {
				ids[k] = -1
			}
		}
	}
	m := &phraseMatcher{s: s, none: slices.Contains(ids, -1)}
	switch {
	case m.none:
	case len(ids) > 64:
		m.long = ids // literals are gaps here: no compound is this long
	case len(ids) > 8:
		m.masks = masksOf[uint64](s, ids, lits)
	default:
		m.short = masksOf[uint8](s, ids, lits)
	}
	m.last = 1 << (len(ids) - 1)
	return m
}

// wordsFold returns the numbers of the shard's words that are w in any
// case.
func (s *store) wordsFold(w string) []int32 {
	var out []int32
	for i, x := range s.words {
		if len(x) == len(w) && strings.EqualFold(x, w) {
			out = append(out, int32(i))
		}
	}
	return out
}

func masksOf[T uint8 | uint64](s *store, ids []int32, lits map[int][]int32) []T {
	var gaps T
	for k, t := range ids {
		if _, lit := lits[k]; t == gapSlot && !lit {
			gaps |= 1 << k
		}
	}
	masks := make([]T, len(s.words))
	if gaps != 0 {
		for w := range masks {
			masks[w] = gaps
		}
	}
	for k, t := range ids {
		if ws, lit := lits[k]; lit {
			for _, w := range ws {
				masks[w] |= 1 << k
			}
		} else if t != gapSlot {
			for _, w := range s.termWords[s.termAt[t]:s.termAt[t+1]] {
				masks[w] |= 1 << k
			}
		}
	}
	return masks
}

// in reports whether one text of the field in doc holds the phrase.
// It is safe for concurrent use; buf is scratch space, returned for
// reuse.
func (m *phraseMatcher) in(doc int, field string, buf []int) (bool, []int) {
	if m.none {
		return false, buf
	}
	n, bounds, err := m.s.texts(doc, buf[:0])
	if err != nil {
		return false, bounds
	}
	from, to := textsOf(field, n)
	for i := from; i < to; i++ {
		var found bool
		switch {
		case m.long != nil:
			found = m.s.phraseIn(bounds[i], bounds[i+1], m.long)
		case m.short != nil:
			found = scan(m.s, m.short, uint8(m.last), bounds[i], bounds[i+1])
		default:
			found = scan(m.s, m.masks, m.last, bounds[i], bounds[i+1])
		}
		if found {
			return true, bounds
		}
	}
	return false, bounds
}

// scan runs shift-and over the shard's tokens from:to.
func scan[T uint8 | uint64](s *store, masks []T, last T, from, to int) bool {
	var state T
	p0 := s.planes[0][from:to]
	switch s.width {
	case 1:
		for _, w := range p0 {
			state = (state<<1 | 1) & masks[w]
			if state&last != 0 {
				return true
			}
		}
	case 2:
		p1 := s.planes[1][from:to]
		p1 = p1[:len(p0)]
		for i, lo := range p0 {
			state = (state<<1 | 1) & masks[int(lo)|int(p1[i])<<8]
			if state&last != 0 {
				return true
			}
		}
	default:
		for i := from; i < to; i++ {
			state = (state<<1 | 1) & masks[s.word(i)]
			if state&last != 0 {
				return true
			}
		}
	}
	return false
}

// phraseIn reports whether tokens from:to hold the phrase, for phrases
// too long for scan.
func (s *store) phraseIn(from, to int, slots []int32) bool {
	terms := make([]int32, to-from)
	for i := range terms {
		terms[i] = s.wordTerm[s.word(from+i)]
	}
	return phraseAt(terms, slots, 0) >= 0
}

// phraseAt returns the first position at or after from where the
// phrase starts in terms, or -1.
func phraseAt(terms, slots []int32, from int) int {
	if len(slots) == 0 {
		return -1
	}
next:
	for i := from; i+len(slots) <= len(terms); i++ {
		for k, want := range slots {
			if want != gapSlot && terms[i+k] != want {
				continue next
			}
		}
		return i
	}
	return -1
}
