// Package graph finds what connects incidents: the systems they affected
// and the causes behind them (declared in metadata, or recognised in the
// text through the site's vocabulary and its aliases), links between
// postmortems, and from these, the related incidents of each. It returns
// values; rendering the pages for systems and causes is left to render.
package graph

import (
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
)

// Vocabulary maps each known name to its aliases ("postgres" →
// ["postgresql", "pg"]). An empty vocabulary recognises nothing in text;
// declared names are still linked.
type Vocabulary map[string][]string

// commonTerm is the most incidents a term may have and still relate them.
const commonTerm = 250

// Config is what the graph needs from the site.
type Config struct {
	Systems, Causes Vocabulary
	// Related is how many related incidents each incident lists.
	Related int
	// Mentions holds what a [Recognizer] found in incidents' texts,
	// read with each file so that the text need not be kept; Build
	// reads Body.Text of the others.
	Mentions map[*incident.Incident]Mentioned
}

// Term is a system or a cause with the incidents it touches.
type Term struct {
	Name string // canonical, as the vocabulary or the first declaration wrote it
	Slug string // its page: systems/<slug>/ or causes/<slug>/
	// Incidents are those that declare or mention it, newest first.
	Incidents []*incident.Incident
	// Declared counts the incidents that name it in their metadata.
	Declared int
}

// Relation is an incident related to another, and why.
type Relation struct {
	Incident *incident.Incident
	Score    int
	// Shared names what the two have in common: systems, causes, a link.
	Shared []string
}

// Links is what an incident has to do with the rest.
type Links struct {
	Systems, Causes []*Term // declared first, then recognised in the text
	Related         []Relation
	LinkedFrom      []*incident.Incident // postmortems that link to this one
	declared        map[*Term]bool
}

// Declared reports whether the incident names t in its metadata (rather
// than only mentioning it).
func (l *Links) Declared(t *Term) bool { return l.declared[t] }

// Graph is the result of Build.
type Graph struct {
	Systems, Causes []*Term // by name
	byID            map[string]*Links
}

// Of returns what connects inc to the rest; never nil.
func (g *Graph) Of(inc *incident.Incident) *Links {
	if l := g.byID[inc.ID]; l != nil {
		return l
	}
	return &Links{}
}

// Build connects incidents. The result depends only on its input, never on
// map order or input order.
func Build(incs []*incident.Incident, cfg Config) *Graph {
	if cfg.Related <= 0 {
		cfg.Related = 5
	}
	incs = append([]*incident.Incident{}, incs...)
	sort.Slice(incs, func(i, j int) bool { return incs[i].ID < incs[j].ID })
	g := &Graph{byID: map[string]*Links{}}
	sys := newIndex(cfg.Systems)
	cau := newIndex(cfg.Causes)
	byPath := map[string]*incident.Incident{}
	for _, inc := range incs {
		g.byID[inc.ID] = &Links{declared: map[*Term]bool{}}
		byPath[inc.Path] = inc
	}
	links := map[string]map[string]bool{} // id → ids it links to
	for _, inc := range incs {
		l := g.byID[inc.ID]
		m, ok := cfg.Mentions[inc]
		if !ok {
			m = Mentioned{Systems: sys.mentions(inc.Body.Text), Causes: cau.mentions(inc.Body.Text)}
		}
		l.Systems = sys.terms(inc, inc.Systems, m.Systems, l.declared)
		l.Causes = cau.terms(inc, inc.Causes, m.Causes, l.declared)
		links[inc.ID] = outgoing(inc, byPath)
	}
	for _, inc := range incs {
		for to := range links[inc.ID] {
			if t := g.byID[to]; t != nil {
				t.LinkedFrom = append(t.LinkedFrom, inc)
			}
		}
	}
	g.Systems, g.Causes = sys.sorted(), cau.sorted()
	for _, l := range g.byID {
		newestFirst(l.LinkedFrom)
	}
	related(incs, g, links, cfg.Related)
	return g
}

// index collects terms of one kind (systems or causes).
type index struct {
	canon   map[string]string // slug of a name or alias → canonical name
	phrases map[string]string // lower-case words of a name or alias → canonical name
	longest int               // the most words in a phrase
	byName  map[string]*Term  // canonical name → term
	seen    map[*Term]map[string]bool
}

func newIndex(v Vocabulary) *index {
	x := &index{canon: map[string]string{}, phrases: map[string]string{}, byName: map[string]*Term{}, seen: map[*Term]map[string]bool{}}
	names := make([]string, 0, len(v))
	for n := range v {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, a := range append([]string{n}, v[n]...) {
			if s := markup.Slug(a); s != "" {
				if _, taken := x.canon[s]; !taken {
					x.canon[s] = n
				}
			}
			ws := words(a)
			if len(ws) == 0 {
				continue
			}
			key := strings.Join(ws, " ")
			if _, taken := x.phrases[key]; !taken {
				x.phrases[key] = n
				x.longest = max(x.longest, len(ws))
			}
		}
	}
	return x
}

func (x *index) term(name string) *Term {
	t := x.byName[name]
	if t == nil {
		t = &Term{Name: name, Slug: markup.Slug(name)}
		if t.Slug == "" {
			t.Slug = "term"
		}
		x.byName[name] = t
		x.seen[t] = map[string]bool{}
	}
	return t
}

// Mentioned is what one incident's text names of each vocabulary, by
// canonical name, sorted.
type Mentioned struct{ Systems, Causes []string }

// Recognizer finds the names of the site's vocabularies in texts. It is
// safe for concurrent use: the build runs it in each read worker, on
// each text while it is in memory.
type Recognizer struct{ sys, cau *index }

// NewRecognizer builds a recognizer for cfg's vocabularies.
func NewRecognizer(cfg Config) *Recognizer {
	return &Recognizer{sys: newIndex(cfg.Systems), cau: newIndex(cfg.Causes)}
}

// Mentions returns the systems and causes text names.
func (r *Recognizer) Mentions(text string) Mentioned {
	return Mentioned{Systems: r.sys.mentions(text), Causes: r.cau.mentions(text)}
}

// mentions returns the canonical names text mentions, sorted, once per
// mention: every run of up to longest words that names a term. It reads
// only what newIndex made, so it may run concurrently.
func (x *index) mentions(text string) []string {
	if x.longest == 0 {
		return nil
	}
	ws := words(text)
	var found []string
	for i := range ws {
		for n := min(x.longest, len(ws)-i); n >= 1; n-- {
			if name, ok := x.phrases[strings.Join(ws[i:i+n], " ")]; ok {
				found = append(found, name)
				break
			}
		}
	}
	sort.Strings(found)
	return found
}

// terms returns the terms of inc: those declared (mapped through the
// vocabulary's aliases), then those its text mentions.
func (x *index) terms(inc *incident.Incident, declared, mentioned []string, decl map[*Term]bool) []*Term {
	var out []*Term
	add := func(name string, isDecl bool) {
		t := x.term(name)
		if x.seen[t][inc.ID] {
			return
		}
		x.seen[t][inc.ID] = true
		t.Incidents = append(t.Incidents, inc)
		if isDecl {
			t.Declared++
			decl[t] = true
		}
		out = append(out, t)
	}
	for _, d := range declared {
		name := d
		slug := markup.Slug(d)
		if c, ok := x.canon[slug]; ok {
			name = c
		} else if slug != "" {
			// Without a vocabulary entry, spellings that slug alike
			// ("Postgres", "postgres") are one term, named as first seen.
			x.canon[slug] = d
		}
		add(name, true)
	}
	for _, name := range mentioned {
		add(name, false)
	}
	return out
}

func (x *index) sorted() []*Term {
	out := make([]*Term, 0, len(x.byName))
	for _, t := range x.byName {
		newestFirst(t.Incidents)
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	// Two names may still slug alike ("C++" and "c" in a vocabulary):
	// keep their pages apart, with a suffix no other name has taken.
	used := map[string]bool{}
	for _, t := range out {
		slug := t.Slug
		for i := 2; used[slug]; i++ {
			slug = t.Slug + "-" + strconv.Itoa(i)
		}
		used[slug] = true
		t.Slug = slug
	}
	return out
}

// words splits text into lower-case words of letters and digits; a hyphen
// or a dot inside a word keeps it whole ("api-gateway", "node.js").
func words(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, strings.Trim(b.String(), "-."))
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case (r == '-' || r == '.' || r == '_') && b.Len() > 0:
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// outgoing lists the incidents a postmortem links to.
func outgoing(inc *incident.Incident, byPath map[string]*incident.Incident) map[string]bool {
	out := map[string]bool{}
	for _, l := range inc.Body.Links {
		if t, ok := incident.ResolveLink(inc, l.Dest, byPath); ok {
			out[t.ID] = true
		}
	}
	return out
}

// related scores every pair of incidents that share a term or a link:
// a shared declared system or cause counts 3, a shared mention 1, a link
// either way 4. Terms held by more than commonTerm incidents are left out:
// like stop words they relate everything to everything, and their pairs
// would grow with the square of the archive. Each incident keeps its best
// few; ties go to the nearer date, then to the id.
func related(incs []*incident.Incident, g *Graph, links map[string]map[string]bool, keep int) {
	// incs is sorted by ID; pairs are keyed by their two positions.
	pos := make(map[string]int, len(incs))
	for i, inc := range incs {
		pos[inc.ID] = i
	}
	key := func(a, b int) uint64 {
		if a > b {
			a, b = b, a
		}
		return uint64(a)<<32 | uint64(b)
	}
	score := map[uint64]int32{}
	for _, terms := range [][]*Term{g.Systems, g.Causes} {
		for _, t := range terms {
			if len(t.Incidents) > commonTerm {
				continue
			}
			for i, a := range t.Incidents {
				la := g.byID[a.ID]
				for _, b := range t.Incidents[i+1:] {
					w := int32(1)
					if la.declared[t] && g.byID[b.ID].declared[t] {
						w = 3
					}
					score[key(pos[a.ID], pos[b.ID])] += w
				}
			}
		}
	}
	linked := map[uint64]bool{}
	for from, tos := range links {
		for to := range tos {
			k := key(pos[from], pos[to])
			if !linked[k] {
				linked[k] = true
				score[k] += 4
			}
		}
	}
	type cand struct {
		other int
		score int32
	}
	cands := make([][]cand, len(incs))
	for k, s := range score {
		a, b := int(k>>32), int(k&0xffffffff)
		cands[a] = append(cands[a], cand{b, s})
		cands[b] = append(cands[b], cand{a, s})
	}
	for i, cs := range cands {
		me := incs[i]
		sort.Slice(cs, func(x, y int) bool {
			if cs[x].score != cs[y].score {
				return cs[x].score > cs[y].score
			}
			dx, dy := gap(me, incs[cs[x].other]), gap(me, incs[cs[y].other])
			if dx != dy {
				return dx < dy
			}
			return cs[x].other < cs[y].other
		})
		if len(cs) > keep {
			cs = cs[:keep]
		}
		l := g.byID[me.ID]
		for _, c := range cs {
			other := incs[c.other]
			l.Related = append(l.Related, Relation{Incident: other, Score: int(c.score), Shared: sharedTerms(l, g.byID[other.ID], linked[key(i, c.other)])})
		}
	}
}

// sharedTerms names what two incidents have in common, for display.
func sharedTerms(a, b *Links, linked bool) []string {
	var out []string
	for _, ts := range [][2][]*Term{{a.Systems, b.Systems}, {a.Causes, b.Causes}} {
		for _, t := range ts[0] {
			if len(t.Incidents) > commonTerm {
				continue
			}
			for _, u := range ts[1] {
				if t == u {
					out = append(out, t.Name)
				}
			}
		}
	}
	if linked {
		out = append(out, "linked")
	}
	sort.Strings(out)
	return uniq(out)
}

// gap is how far apart two incidents happened, in days (large when a date
// is missing).
func gap(a, b *incident.Incident) int64 {
	if a.Date.IsZero() || b.Date.IsZero() {
		return 1 << 40
	}
	d := a.Date.Time.Sub(b.Date.Time).Hours() / 24
	if d < 0 {
		d = -d
	}
	return int64(d)
}

func newestFirst(incs []*incident.Incident) {
	sort.SliceStable(incs, func(i, j int) bool {
		a, b := incs[i], incs[j]
		if a.Date.IsZero() != b.Date.IsZero() {
			return !a.Date.IsZero()
		}
		if !a.Date.Time.Equal(b.Date.Time) {
			return a.Date.Time.After(b.Date.Time)
		}
		if a.Date.Precision != b.Date.Precision {
			return a.Date.Precision > b.Date.Precision
		}
		return a.ID < b.ID
	})
}

func uniq(ss []string) []string {
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}
