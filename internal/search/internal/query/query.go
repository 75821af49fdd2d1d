// Package query is the part of bleve's search/query package that kb's
// search uses: term, prefix and match queries on one field, their
// conjunctions, disjunctions and boolean combinations, match-all and
// match-none. Each query makes exactly the searcher bleve v2.6.3's query
// of the same name makes, with the same boosts, so hits and scores are
// bleve's (a test in internal/search holds them to it).
//
// It exists for the size of the browser module. bleve's query package
// also decodes queries from JSON and parses query strings, and a query
// type that can be decoded keeps its searcher in the module: regular
// expressions, wildcards, geo shapes, numeric and date ranges, with
// their parsers. Importing none of that makes the module smaller by a
// third of what the search engine adds to it.
//
// The constructors and setters have bleve's names, so code written for
// bleve's package reads the same. Every query here is a bleve
// query.Query too (that interface is the Searcher method alone), so a
// bleve index or alias can run it.
package query

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// Query makes the searcher of one query over one index.
type Query interface {
	Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error)
}

// FieldableQuery is a query on one field; ExtractFields reports it.
type FieldableQuery interface {
	Query
	SetField(f string)
	Field() string
}

// boost is a query's weight: 1 unless set, as bleve's Boost.
type boost struct {
	v   float64
	set bool
}

func (b *boost) SetBoost(v float64) { b.v, b.set = v, true }

// Boost returns the weight, 1 when it was never set.
func (b *boost) Boost() float64 {
	if !b.set {
		return 1
	}
	return b.v
}

// field is the field a query searches: the mapping's default search
// field when empty.
type field struct{ name string }

func (f *field) SetField(name string) { f.name = name }
func (f *field) Field() string        { return f.name }

func (f *field) in(m mapping.IndexMapping) string {
	if f.name == "" {
		return m.DefaultSearchField()
	}
	return f.name
}

// TermQuery matches documents holding a term, as it is (not analyzed).
type TermQuery struct {
	Term string
	field
	boost
}

func NewTermQuery(term string) *TermQuery { return &TermQuery{Term: term} }

func (q *TermQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	return searcher.NewTermSearcher(ctx, r, q.Term, q.in(m), q.Boost(), opts)
}

// PrefixQuery matches documents holding a term that begins with Prefix.
type PrefixQuery struct {
	Prefix string
	field
	boost
}

func NewPrefixQuery(prefix string) *PrefixQuery { return &PrefixQuery{Prefix: prefix} }

func (q *PrefixQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	return searcher.NewTermPrefixSearcher(ctx, r, q.Prefix, q.in(m), q.Boost(), opts)
}

// MatchQuery analyzes Match with the field's analyzer and matches
// documents holding any of the terms, each a term query with the
// match query's boost (bleve's match query with the "or" operator and
// no fuzziness).
type MatchQuery struct {
	Match string
	field
	boost
}

func NewMatchQuery(match string) *MatchQuery { return &MatchQuery{Match: match} }

func (q *MatchQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	f := q.in(m)
	name := m.AnalyzerNameForPath(f)
	a := m.AnalyzerNamed(name)
	if a == nil {
		return nil, fmt.Errorf("no analyzer named %q registered", name)
	}
	tokens := a.Analyze([]byte(q.Match))
	if len(tokens) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	terms := make([]Query, len(tokens))
	for i, t := range tokens {
		tq := NewTermQuery(string(t.Term))
		tq.SetField(f)
		tq.SetBoost(q.Boost())
		terms[i] = tq
	}
	or := NewDisjunctionQuery(terms)
	or.SetMin(1)
	return or.Searcher(ctx, r, m, opts)
}

// DisjunctionQuery matches documents matching at least Min (and at
// least one) of its queries. A boost set on it is ignored, as bleve
// ignores it.
type DisjunctionQuery struct {
	Disjuncts []Query
	Min       float64
	boost
}

func NewDisjunctionQuery(qs []Query) *DisjunctionQuery { return &DisjunctionQuery{Disjuncts: qs} }

// SetMin sets the fewest queries a document must match.
func (q *DisjunctionQuery) SetMin(min float64) { q.Min = min }

func (q *DisjunctionQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	ss, err := searchers(ctx, r, m, opts, q.Disjuncts)
	if err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	// bleve's disjunction query says it wants no score breakdown.
	ctx = context.WithValue(ctx, search.IncludeScoreBreakdownKey, false)
	return searcher.NewDisjunctionSearcher(ctx, r, ss, q.Min, opts)
}

// ConjunctionQuery matches documents matching all of its queries. A
// boost set on it is ignored, as bleve ignores it.
type ConjunctionQuery struct {
	Conjuncts []Query
	boost
}

func NewConjunctionQuery(qs []Query) *ConjunctionQuery { return &ConjunctionQuery{Conjuncts: qs} }

func (q *ConjunctionQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	ss, err := searchers(ctx, r, m, opts, q.Conjuncts)
	if err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	return searcher.NewConjunctionSearcher(ctx, r, ss, opts)
}

// searchers makes the searchers of qs, closing those made when one
// fails.
func searchers(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions, qs []Query) ([]search.Searcher, error) {
	ss := make([]search.Searcher, 0, len(qs))
	for _, q := range qs {
		s, err := q.Searcher(ctx, r, m, opts)
		if err != nil {
			for _, s := range ss {
				s.Close()
			}
			return nil, err
		}
		if s != nil {
			ss = append(ss, s)
		}
	}
	return ss, nil
}

// BooleanQuery matches documents matching Must (all documents when
// only MustNot is set), not matching MustNot; Should adds to the score
// of a document that matches it, and is required when it is the only
// query set. Any of the three may be nil.
type BooleanQuery struct {
	Must, Should, MustNot Query
	boost
}

func (q *BooleanQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	// bleve makes them in this order and treats a part that matches
	// nothing as absent.
	var parts [3]search.Searcher
	for i, sub := range []Query{q.MustNot, q.Must, q.Should} {
		if sub == nil {
			continue
		}
		s, err := sub.Searcher(ctx, r, m, opts)
		if err != nil {
			return nil, err
		}
		if _, none := s.(*searcher.MatchNoneSearcher); !none {
			parts[i] = s
		}
	}
	mustNot, must, should := parts[0], parts[1], parts[2]
	switch {
	case must == nil && should == nil && mustNot == nil:
		return searcher.NewMatchNoneSearcher(r)
	case should == nil && mustNot == nil:
		return must, nil
	case must == nil && mustNot == nil:
		return should, nil
	case must == nil && should == nil:
		var err error
		if must, err = searcher.NewMatchAllSearcher(ctx, r, 1, opts); err != nil {
			return nil, err
		}
	}
	return searcher.NewBooleanSearcher(ctx, r, must, should, mustNot, opts)
}

// MatchAllQuery matches every document.
type MatchAllQuery struct{ boost }

func NewMatchAllQuery() *MatchAllQuery { return &MatchAllQuery{} }

func (q *MatchAllQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	return searcher.NewMatchAllSearcher(ctx, r, q.Boost(), opts)
}

// MatchNoneQuery matches no document.
type MatchNoneQuery struct{ boost }

func NewMatchNoneQuery() *MatchNoneQuery { return &MatchNoneQuery{} }

func (q *MatchNoneQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	return searcher.NewMatchNoneSearcher(r)
}

// ExtractFields adds to fs the fields q searches, as bleve's function
// of the name does: the field of every query on one field, and "_id"
// for a match-all query.
func ExtractFields(q Query, m mapping.IndexMapping, fs search.FieldSet) (search.FieldSet, error) {
	if q == nil || m == nil {
		return fs, nil
	}
	add := func(f string) {
		if f == "" {
			return
		}
		if fs == nil {
			fs = search.NewFieldSet()
		}
		fs.AddField(f)
	}
	var err error
	walk := func(qs ...Query) {
		for _, sub := range qs {
			if fs, err = ExtractFields(sub, m, fs); err != nil {
				return
			}
		}
	}
	switch q := q.(type) {
	case FieldableQuery:
		f := q.Field()
		if f == "" {
			f = m.DefaultSearchField()
		}
		add(f)
	case *BooleanQuery:
		walk(q.Must, q.Should, q.MustNot)
	case *ConjunctionQuery:
		walk(q.Conjuncts...)
	case *DisjunctionQuery:
		walk(q.Disjuncts...)
	case *MatchAllQuery:
		add("_id")
	}
	return fs, err
}
