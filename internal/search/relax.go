package search

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/kb-postmortems/kb/internal/search/internal/query"
)

// compounds are words that postmortems write both closed and open: a
// query for one finds the other. The stemmer cannot see that "rollback"
// and "rolled back" are one act; this table can. The open form is
// matched as a phrase, so "roll" and "back" far apart do not count.
var compounds = map[string]string{
	"backup":     "back up",
	"breakdown":  "break down",
	"cleanup":    "clean up",
	"crashloop":  "crash loop",
	"cutover":    "cut over",
	"failback":   "fail back",
	"failover":   "fail over",
	"hotfix":     "hot fix",
	"lockout":    "lock out",
	"login":      "log in",
	"logon":      "log on",
	"logout":     "log out",
	"rollback":   "roll back",
	"rollout":    "roll out",
	"setup":      "set up",
	"shutdown":   "shut down",
	"signin":     "sign in",
	"slowdown":   "slow down",
	"spinup":     "spin up",
	"startup":    "start up",
	"timeout":    "time out",
	"workaround": "work around",
}

// mergeCompounds joins two words of a query that are the open form of a
// compound ("roll back") into the compound, which then matches both
// forms.
func mergeCompounds(terms []term) []term {
	var out []term
	for i := 0; i < len(terms); i++ {
		t := terms[i]
		if i+1 < len(terms) && !t.Phrase && !t.Prefix && !terms[i+1].Phrase {
			joined := strings.ToLower(t.Text + terms[i+1].Text)
			if _, ok := compounds[joined]; ok {
				out = append(out, term{Text: joined, Prefix: terms[i+1].Prefix})
				i++
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// openCompound matches the open form of a compound as a phrase in any
// text field: each word by its stem, or, for a stop word such as "out",
// as that very word.
func (ix *Index) openCompound(open string, mk *marks) query.Query {
	var slots []string
	for _, w := range strings.Fields(open) {
		if ts := ix.analyze(w); len(ts) == 1 {
			slots = append(slots, ts[0])
		} else {
			slots = append(slots, literalSlot+w)
		}
	}
	if mk != nil {
		mk.phrases = append(mk.phrases, slots)
	}
	var alts []query.Query
	matchers := &phraseMatchers{}
	for _, f := range textFields {
		alts = append(alts, &phraseQuery{field: f.name, slots: slots, boost: f.boost, ix: ix, matchers: matchers})
	}
	return query.NewDisjunctionQuery(alts)
}

// Limits on a query, the same in kb search and in the browser: a query
// is cut to MaxQueryBytes (at a character boundary) and to its first
// MaxQueryWords words, phrases and filters; a word repeated counts once.
// Longer input is a paste of a whole log, whose every extra word makes
// the search slower and the ranking no better.
const (
	MaxQueryBytes = 512
	MaxQueryWords = 32
)

// coverQuery matches what q matches, with bonus added to every score:
// in a disjunction of such queries, an incident's score grows with the
// number of them it matches by more than any one of them can give.
type coverQuery struct {
	q     query.Query
	bonus float64
}

func (c *coverQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s, err := c.q.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	return &coverSearcher{Searcher: s, bonus: c.bonus}, nil
}

type coverSearcher struct {
	bsearch.Searcher
	bonus float64
}

func (s *coverSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	return s.add(s.Searcher.Next(ctx))
}

func (s *coverSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	return s.add(s.Searcher.Advance(ctx, id))
}

func (s *coverSearcher) add(dm *bsearch.DocumentMatch, err error) (*bsearch.DocumentMatch, error) {
	if dm != nil {
		dm.Score += s.bonus
	}
	return dm, err
}
