package search

import (
	"context"
	"os"
	"reflect"
	"testing"

	bquery "github.com/blevesearch/bleve/v2/search/query"

	"github.com/kb-postmortems/kb/internal/search/internal/query"
)

// The package searches segments through its own reader (reader.go)
// where it used to search them through scorch. Searching through a
// scorch snapshot of the same segments must give exactly the same
// results: totals, hits in order, scores, fragments, facets.
func TestReaderAsScorch(t *testing.T) {
	dir := t.TempDir()
	docs := append(fixture(), synthetic(400)...)
	if _, err := Build(dir, docs, Options{ShardDocs: 150, FirstShardDocs: 60, TempDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	ours, err := Open(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer ours.Close()
	theirs, err := Open(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer theirs.Close()
	if len(theirs.shards) < 3 {
		t.Fatalf("want several shards, got %d", len(theirs.shards))
	}
	for _, s := range append(theirs.shards, &shard{idx: theirs.lex}) {
		adv, err := bleveIndex(t, theirs.im, s.idx).Advanced()
		if err != nil {
			t.Fatal(err)
		}
		r, err := adv.Reader()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		s.idx.r = r
	}

	reqs := append([]Request{}, parityRequests...)
	for _, q := range []string{"database", `"connection pool"`, "certif -postgres", "system:kafka",
		"root cause year:2020", "postgress", "vau", "s", "dat", "incident", "-status:resolved",
		`cause:"config change"`, "deploy rollback canary", "timeout -dns -kafka", `"the root"`, "replicaton lagg"} {
		reqs = append(reqs, Request{Query: q, Highlight: true, Facets: true, Size: 100}, Request{Query: q, From: 5, Size: 7})
	}
	hits := 0
	for _, req := range reqs {
		want, err := theirs.Search(context.Background(), req)
		if err != nil {
			t.Fatalf("%q through scorch: %v", req.Query, err)
		}
		got, err := ours.Search(context.Background(), req)
		if err != nil {
			t.Fatalf("%q: %v", req.Query, err)
		}
		if w, g := normalized(t, want), normalized(t, got); !reflect.DeepEqual(w, g) {
			t.Errorf("%q: results differ\nscorch: %s\nours:   %s", req.Query, toJSON(want), toJSON(got))
		}
		hits += len(got.Hits)
	}
	if hits < 500 {
		t.Errorf("only %d hits in all: the requests test too little", hits)
	}
}

// bleveQuery returns q made of bleve's own query types, so that a test
// can run what the package searches with through bleve's query package
// (and a bleve alias, whose global scoring knows only bleve's types).
// kb's own queries, such as phrases, stay as they are.
func bleveQuery(q query.Query) bquery.Query {
	all := func(qs []query.Query) []bquery.Query {
		out := make([]bquery.Query, len(qs))
		for i, q := range qs {
			out[i] = bleveQuery(q)
		}
		return out
	}
	switch q := q.(type) {
	case nil:
		return nil
	case *query.TermQuery:
		b := bquery.NewTermQuery(q.Term)
		b.SetField(q.Field())
		b.SetBoost(q.Boost())
		return b
	case *query.PrefixQuery:
		b := bquery.NewPrefixQuery(q.Prefix)
		b.SetField(q.Field())
		b.SetBoost(q.Boost())
		return b
	case *query.MatchQuery:
		b := bquery.NewMatchQuery(q.Match)
		b.SetField(q.Field())
		b.SetBoost(q.Boost())
		return b
	case *query.DisjunctionQuery:
		b := bquery.NewDisjunctionQuery(all(q.Disjuncts))
		b.SetMin(q.Min)
		return b
	case *query.ConjunctionQuery:
		return bquery.NewConjunctionQuery(all(q.Conjuncts))
	case *query.BooleanQuery:
		b := &bquery.BooleanQuery{}
		if q.Must != nil {
			b.Must = bleveQuery(q.Must)
		}
		if q.Should != nil {
			b.Should = bleveQuery(q.Should)
		}
		if q.MustNot != nil {
			b.MustNot = bleveQuery(q.MustNot)
		}
		return b
	case *query.MatchAllQuery:
		b := bquery.NewMatchAllQuery()
		b.SetBoost(q.Boost())
		return b
	case *query.MatchNoneQuery:
		return bquery.NewMatchNoneQuery()
	}
	return q
}
