package search

import (
	"cmp"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// stored is what a shard keeps of one incident.
type stored struct {
	title, summary string
	meta           meta
	bodies         []string // by section index
}

func (ix *Index) load(dm *bsearch.DocumentMatch) (*stored, error) {
	i := slices.IndexFunc(ix.shards, func(s *shard) bool { return s.name == dm.Index })
	if i < 0 {
		return nil, fmt.Errorf("search: hit %q from unknown shard %q", dm.ID, dm.Index)
	}
	doc, err := ix.shards[i].idx.Document(dm.ID)
	if err != nil || doc == nil {
		return nil, fmt.Errorf("search: load %q: %v", dm.ID, err)
	}
	var s stored
	var metaJSON []byte
	doc.VisitFields(func(f index.Field) {
		switch f.Name() {
		case fieldTitle:
			s.title = string(f.Value())
		case fieldSummary:
			s.summary = string(f.Value())
		case fieldMeta:
			metaJSON = f.Value()
		case fieldBody:
			if ap := f.ArrayPositions(); len(ap) == 1 && ap[0] < 1<<16 {
				for uint64(len(s.bodies)) <= ap[0] {
					s.bodies = append(s.bodies, "")
				}
				s.bodies[ap[0]] = string(f.Value())
			}
		}
	})
	if err := json.Unmarshal(metaJSON, &s.meta); err != nil {
		return nil, fmt.Errorf("search: load %q: %w", dm.ID, err)
	}
	return &s, nil
}

func (ix *Index) hit(dm *bsearch.DocumentMatch, highlight bool) (Hit, error) {
	s, err := ix.load(dm)
	if err != nil {
		return Hit{}, err
	}
	h := Hit{
		ID:       dm.ID,
		Path:     "incidents/" + escapeID(dm.ID) + "/",
		Title:    s.title,
		Date:     s.meta.Date,
		Severity: s.meta.Severity,
		Status:   s.meta.Status,
		Systems:  s.meta.Systems,
		Causes:   s.meta.Causes,
		Score:    dm.Score,
	}
	if !highlight {
		return h, nil
	}
	h.TitleHTML = markup(s.title, 0, len(s.title), spansOf(dm.Locations[fieldTitle], -1))
	sec := bestSection(dm.Locations, len(s.meta.Sections))
	if sec >= 0 {
		m := s.meta.Sections[sec]
		h.Section = &SectionRef{Key: m.Key, Title: m.Title, Anchor: m.Anchor}
		if m.Anchor != "" {
			h.Path += "#" + url.PathEscape(m.Anchor)
		}
		if sec < len(s.bodies) {
			h.Fragments = fragments(s.bodies[sec], spansOf(dm.Locations[fieldBody], sec))
		}
	}
	if len(h.Fragments) == 0 {
		h.Fragments = fragments(s.summary, spansOf(dm.Locations[fieldSummary], -1))
	}
	return h, nil
}

// bestSection returns the index of the section with the most distinct
// matching terms, a heading match counting double; -1 when no section
// matched.
func bestSection(locs bsearch.FieldTermLocationMap, n int) int {
	type tally struct{ terms, hits int }
	t := make([]tally, n)
	count := func(field string, weight int) {
		for _, ls := range locs[field] {
			seen := map[int]bool{}
			for _, l := range ls {
				if len(l.ArrayPositions) != 1 || l.ArrayPositions[0] >= uint64(n) {
					continue
				}
				i := int(l.ArrayPositions[0])
				t[i].hits++
				if !seen[i] {
					seen[i] = true
					t[i].terms += weight
				}
			}
		}
	}
	count(fieldBody, 1)
	count(fieldHeading, 2)
	best := -1
	for i := range t {
		if t[i].terms == 0 {
			continue
		}
		if best < 0 || t[i].terms > t[best].terms || t[i].terms == t[best].terms && t[i].hits > t[best].hits {
			best = i
		}
	}
	return best
}

// span is a match in a stored text, in bytes.
type span struct {
	start, end int
	term       string
}

// spansOf returns the matches of a field, sorted; for an array field
// only those in element elem.
func spansOf(tl bsearch.TermLocationMap, elem int) []span {
	var out []span
	for term, ls := range tl {
		for _, l := range ls {
			if elem >= 0 && (len(l.ArrayPositions) != 1 || l.ArrayPositions[0] != uint64(elem)) {
				continue
			}
			out = append(out, span{int(l.Start), int(l.End), term})
		}
	}
	slices.SortFunc(out, func(a, b span) int {
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		return cmp.Compare(a.end, b.end)
	})
	return out
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
	for range fragmentCount {
		var best *win
		for _, sp := range spans {
			start, end := window(text, sp.start-fragmentLead)
			if slices.ContainsFunc(picked, func(w win) bool { return start < w.end && w.start < end }) {
				continue
			}
			terms := map[string]bool{}
			hits := 0
			for _, o := range spans {
				if o.start >= start && o.end <= end {
					terms[o.term] = true
					hits++
				}
			}
			w := win{start, end, len(terms), hits}
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
