package search

import (
	"cmp"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// hit builds the Hit of a match from the shard's stored text.
func (ix *Index) hit(dm *bsearch.DocumentMatch, mk *marks) (Hit, error) {
	st, n := ix.stored(dm.ID)
	if st == nil {
		return Hit{}, fmt.Errorf("search: hit %q has no stored text", dm.ID)
	}
	d, err := st.load(n, mk == nil)
	if err != nil {
		return Hit{}, fmt.Errorf("search: %w", err)
	}
	title, start, end := d.text(textTitle, mk != nil)
	h := Hit{
		ID:       dm.ID,
		Path:     "incidents/" + escapeID(dm.ID) + "/",
		Title:    title,
		Date:     d.meta.Date,
		Severity: d.meta.Severity,
		Status:   d.meta.Status,
		Systems:  d.meta.Systems,
		Causes:   d.meta.Causes,
		Score:    dm.Score,
	}
	if mk == nil {
		return h, nil
	}
	sm := mk.in(st)
	h.TitleHTML = markup(title, 0, len(title), spans(sm.marks(d, textTitle), start, end))
	headings := make([][]mark, d.n)
	bodies := make([][]mark, d.n)
	for i := range d.n {
		headings[i] = sm.marks(d, 2+i)
		bodies[i] = sm.marks(d, 2+d.n+i)
	}
	if sec := bestSection(headings, bodies); sec >= 0 {
		m := d.meta.Sections[sec]
		heading, _, _ := d.text(2+sec, false)
		h.Section = &SectionRef{Key: m.Key, Title: heading, Anchor: m.Anchor}
		if m.Anchor != "" {
			h.Path += "#" + url.PathEscape(m.Anchor)
		}
		body, start, end := d.text(2+d.n+sec, true)
		h.Fragments = fragments(body, spans(bodies[sec], start, end))
	}
	if len(h.Fragments) == 0 {
		summary, start, end := d.text(textSummary, true)
		h.Fragments = fragments(summary, spans(sm.marks(d, textSummary), start, end))
	}
	return h, nil
}

// bestSection returns the index of the section with the most distinct
// matching terms, a heading match counting double, then the most
// matches; -1 when no section matched.
func bestSection(headings, bodies [][]mark) int {
	best, bestTerms, bestHits := -1, 0, 0
	for i := range headings {
		terms := 2*distinctTerms(headings[i]) + distinctTerms(bodies[i])
		hits := len(headings[i]) + len(bodies[i])
		if terms > 0 && (best < 0 || terms > bestTerms || terms == bestTerms && hits > bestHits) {
			best, bestTerms, bestHits = i, terms, hits
		}
	}
	return best
}

func distinctTerms(marks []mark) int {
	seen := map[int32]bool{}
	for _, m := range marks {
		seen[m.term] = true
	}
	return len(seen)
}

// marks says which words of a hit to highlight: those whose term is
// one of terms or begins with one of prefixes, and the words of every
// occurrence of one of phrases. These are the words the query matched,
// as bleve would locate them with term positions.
type marks struct {
	terms    map[string]bool
	prefixes []string
	phrases  [][]string // slots, as in phraseQuery

	mu    sync.Mutex
	cache map[*store]*shardMarks
}

func (m *marks) addTerms(ts ...string) {
	if m.terms == nil {
		m.terms = map[string]bool{}
	}
	for _, t := range ts {
		m.terms[t] = true
	}
}

// shardMarks are marks resolved to the term numbers of one shard.
type shardMarks struct {
	terms   map[int32]bool
	ranges  [][2]int32
	phrases [][]int32
	// lits are, for each phrase, the word numbers a literal slot takes
	// (see literalSlot), by slot; nil for a phrase without one.
	lits []map[int][]int32
}

func (m *marks) in(st *store) *shardMarks {
	m.mu.Lock()
	defer m.mu.Unlock()
	if sm := m.cache[st]; sm != nil {
		return sm
	}
	sm := &shardMarks{terms: map[int32]bool{}}
	for t := range m.terms {
		if id := st.termID(t); id >= 0 {
			sm.terms[id] = true
		}
	}
	for _, p := range m.prefixes {
		if lo, hi := st.termRange(p); lo < hi {
			sm.ranges = append(sm.ranges, [2]int32{lo, hi})
		}
	}
	for _, p := range m.phrases {
		sm.phrases = append(sm.phrases, st.phraseSlots(p))
		var lits map[int][]int32
		for k, slot := range p {
			if w, ok := isLiteral(slot); ok {
				if lits == nil {
					lits = map[int][]int32{}
				}
				lits[k] = st.wordsFold(w)
			}
		}
		sm.lits = append(sm.lits, lits)
	}
	if m.cache == nil {
		m.cache = map[*store]*shardMarks{}
	}
	m.cache[st] = sm
	return sm
}

// mark is a token to highlight: its number in its text and its term.
type mark struct {
	tok  int
	term int32
}

// marks returns the tokens to highlight in text i of d, in text order.
func (sm *shardMarks) marks(d *doc, i int) []mark {
	terms := d.termsOf(i)
	base := d.bounds[i]
	var out []mark
	for j, term := range terms {
		if term < 0 {
			continue
		}
		ok := sm.terms[term]
		for _, r := range sm.ranges {
			ok = ok || term >= r[0] && term < r[1]
		}
		if ok {
			out = append(out, mark{j, term})
		}
	}
	for p, slots := range sm.phrases {
	next:
		for i := phraseAt(terms, slots, 0); i >= 0; i = phraseAt(terms, slots, i+1) {
			// A literal slot takes only its word: "log out", not "logs are".
			for k, ws := range sm.lits[p] {
				if !slices.Contains(ws, int32(d.s.word(base+i+k))) {
					continue next
				}
			}
			for k, want := range slots {
				if _, lit := sm.lits[p][k]; want != gapSlot || lit {
					out = append(out, mark{i + k, terms[i+k]})
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b mark) int { return cmp.Compare(a.tok, b.tok) })
	return slices.CompactFunc(out, func(a, b mark) bool { return a.tok == b.tok })
}

// spans returns the byte spans of marks in a text whose tokens start
// and end at the given offsets.
func spans(marks []mark, start, end []int) []span {
	out := make([]span, len(marks))
	for i, m := range marks {
		out[i] = span{start[m.tok], end[m.tok], m.term}
	}
	return out
}

// span is a match in a stored text, in bytes.
type span struct {
	start, end int
	term       int32 // in the shard's terms
}

// Fragment shape: about fragmentLen bytes, starting up to fragmentLead
// bytes before the first match in it.
const (
	fragmentLen   = 180
	fragmentLead  = 50
	fragmentCount = 2
)

// fragments returns up to fragmentCount excerpts of text around the
// densest matches, in text order; with no match, the start of text.
func fragments(text string, spans []span) []string {
	if text == "" {
		return nil
	}
	if len(spans) == 0 {
		start, end := window(text, 0)
		return []string{markup(text, start, end, nil)}
	}
	type win struct{ start, end, terms, hits int }
	var picked []win
	var seen []int32 // the distinct terms of one window; few, as a window is short
	for range fragmentCount {
		var best *win
		for i, sp := range spans {
			start, end := window(text, sp.start-fragmentLead)
			if slices.ContainsFunc(picked, func(w win) bool { return start < w.end && w.start < end }) {
				continue
			}
			// spans are in text order and do not overlap, so the ones in
			// the window are a run found by a binary search: linear in
			// the matches of the section times the few of one window,
			// not quadratic in a section that matches everywhere.
			lo, _ := slices.BinarySearchFunc(spans[:i+1], start, func(o span, at int) int { return cmp.Compare(o.start, at) })
			seen = seen[:0]
			hits := 0
			for _, o := range spans[lo:] {
				if o.start >= end {
					break
				}
				if o.end <= end {
					if !slices.Contains(seen, o.term) {
						seen = append(seen, o.term)
					}
					hits++
				}
			}
			w := win{start, end, len(seen), hits}
			if best == nil || w.terms > best.terms || w.terms == best.terms && w.hits > best.hits {
				best = &w
			}
		}
		if best == nil || best.hits == 0 {
			break
		}
		picked = append(picked, *best)
	}
	slices.SortFunc(picked, func(a, b win) int { return cmp.Compare(a.start, b.start) })
	var out []string
	for _, w := range picked {
		out = append(out, markup(text, w.start, w.end, spans))
	}
	return out
}

// window returns the bounds of a fragment beginning near from, moved
// to word boundaries.
func window(text string, from int) (start, end int) {
	start = max(from, 0)
	end = min(start+fragmentLen, len(text))
	if end == len(text) {
		start = max(end-fragmentLen, 0)
	}
	if start > 0 {
		// Begin after a space, unless the word is very long.
		if i := strings.IndexFunc(text[start:min(start+20, end)], unicode.IsSpace); i >= 0 {
			start += i + 1
		}
		for start < end && !utf8.RuneStart(text[start]) {
			start++
		}
	}
	if end < len(text) {
		if i := strings.LastIndexFunc(text[start:end], unicode.IsSpace); i > 0 && end-(start+i) < 20 {
			end = start + i
		}
		for end > start && !utf8.RuneStart(text[end]) {
			end--
		}
	}
	return start, end
}

// markup returns text[start:end] HTML-escaped with the spans inside it
// wrapped in <mark>; adjacent spans separated only by white space share
// one mark. An ellipsis marks text cut at either end.
func markup(text string, start, end int, spans []span) string {
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	at := start
	for i := 0; i < len(spans); i++ {
		sp := spans[i]
		if sp.start < at || sp.end > end || sp.start >= sp.end {
			continue
		}
		stop := sp.end
		for i+1 < len(spans) && spans[i+1].start >= stop && spans[i+1].end <= end &&
			strings.TrimSpace(text[stop:spans[i+1].start]) == "" {
			i++
			stop = spans[i].end
		}
		b.WriteString(html.EscapeString(text[at:sp.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[sp.start:stop]))
		b.WriteString("</mark>")
		at = stop
	}
	b.WriteString(html.EscapeString(text[at:end]))
	if end < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// escapeID escapes an incident id for a URL path segment by segment: ids
// of postmortems in subfolders hold slashes, which stay path separators.
func escapeID(id string) string {
	segs := strings.Split(id, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}
