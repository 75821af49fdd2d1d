package search

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/kb-postmortems/kb/internal/search/internal/query"
	"golang.org/x/sync/errgroup"
)

// searchShards runs q over every loaded shard and merges the hits:
// from, size of them, best first, or with scored false newest first;
// ties go by id. The shards score with statistics over all of them, as
// one index would. This does what a bleve index alias does, without
// loading the id of every hit to break ties the same way on every
// run: each shard breaks ties by its documents' order, which is the
// order of their ids (see checkOrder), and the merge by id.
func (ix *Index) searchShards(ctx context.Context, q query.Query, scored bool, from, size int) (int, []*bsearch.DocumentMatch, error) {
	var stats *bsearch.BM25Stats
	if scored {
		var err error
		if stats, err = ix.bm25Stats(q); err != nil {
			return 0, nil, err
		}
	}
	results := make([]shardResult, len(ix.shards))
	var g errgroup.Group
	for i, s := range ix.shards {
		g.Go(func() error {
			var err error
			if results[i], err = ix.searchShard(ctx, s, q, stats, from+size); err != nil {
				return fmt.Errorf("shard %s: %w", s.name, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, nil, err
	}
	total := 0
	var hits []*bsearch.DocumentMatch
	for _, r := range results {
		total += int(r.total)
		hits = append(hits, r.hits...)
	}
	slices.SortFunc(hits, func(a, b *bsearch.DocumentMatch) int {
		if scored {
			if c := cmp.Compare(b.Score, a.Score); c != 0 {
				return c
			}
		} else if c := strings.Compare(b.Sort[0], a.Sort[0]); c != 0 {
			return c // newest first; undated sort lowest
		}
		return strings.Compare(a.ID, b.ID)
	})
	hits = hits[min(from, len(hits)):]
	return total, hits[:min(size, len(hits))], nil
}

// shardResult is what one shard found: how many hits in all, and the
// best of them.
type shardResult struct {
	total uint64
	hits  []*bsearch.DocumentMatch
}

// searchShard runs q over one shard and returns its best n hits, with
// scored statistics over all shards (stats), or with stats nil newest
// first and unscored. It does what bleve's Index.SearchInContext does
// for such a request, on the shard's scorch index directly: the same
// searcher, given the same scoring model and statistics through the
// context, feeds the same collector, so hits, order and scores are
// those bleve returns (a test compares them).
func (ix *Index) searchShard(ctx context.Context, s *shard, q query.Query, stats *bsearch.BM25Stats, n int) (res shardResult, err error) {
	r, err := s.idx.Reader()
	if err != nil {
		return res, err
	}
	defer func() {
		if cerr := r.Close(); err == nil {
			err = cerr
		}
	}()
	model := index.DefaultScoringModel
	if ix.im.ScoringModel == index.BM25Scoring {
		model = index.BM25Scoring
	}
	ctx = context.WithValue(ctx, bsearch.GetScoringModelCallbackKey,
		bsearch.GetScoringModelCallbackFn(func() string { return model }))
	var opts bsearch.SearcherOptions
	sort := bsearch.SortOrder{&bsearch.SortScore{Desc: true}}
	if stats != nil {
		ctx = context.WithValue(ctx, bsearch.BM25StatsKey, stats)
	} else {
		ds := &dateSort{dates: s.recs.dates, desc: true}
		if codes, _ := ctx.Value(declaredKey{}).([]uint32); len(codes) > 0 {
			ds.first = func(doc int) bool { return s.recs.declares(doc, codes) }
		}
		sort = bsearch.SortOrder{ds}
		opts.Score = "none" // every score is 0
	}
	sr, err := q.Searcher(ctx, r, ix.im, opts)
	if err != nil {
		return res, err
	}
	defer func() {
		if cerr := sr.Close(); err == nil {
			err = cerr
		}
	}()
	coll := collector.NewTopNCollector(n, 0, sort)
	if err := coll.Collect(ctx, sr, r); err != nil {
		return res, err
	}
	res.total, res.hits = coll.Total(), coll.Results()
	for _, h := range res.hits {
		h.Index = s.name
	}
	return res, nil
}

// dateSort orders a shard's hits by date, undated last when descending,
// by the dates of its stored records: as the date field's doc values
// would, without decoding them for every hit.
//
// With first set, the documents it holds come before the others: under
// a filter of systems or causes, those that declare the value come
// before those that only mention it, as on the term's page.
type dateSort struct {
	dates []string // by document number, as checkOrder ensures
	desc  bool
	first func(doc int) bool
}

// declaredKey is the context key of the records.vals codes of the system
// and cause filters of an unscored search, whose hits that declare one
// come first.
type declaredKey struct{}

func (s *dateSort) Value(d *bsearch.DocumentMatch) string {
	if len(d.IndexInternalID) == 8 {
		if n := binary.BigEndian.Uint64(d.IndexInternalID); n < uint64(len(s.dates)) {
			if s.first == nil {
				return s.dates[n]
			}
			// Dates never begin with a control character.
			if s.first(int(n)) {
				return "\x01" + s.dates[n]
			}
			return "\x00" + s.dates[n]
		}
	}
	return ""
}

func (s *dateSort) UpdateVisitor(string, []byte) {}
func (s *dateSort) DecodeValue(v string) string  { return v }
func (s *dateSort) Descending() bool             { return s.desc }
func (s *dateSort) RequiresDocID() bool          { return false }
func (s *dateSort) RequiresScoring() bool        { return false }
func (s *dateSort) RequiresFields() []string     { return nil }
func (s *dateSort) Reverse()                     { s.desc = !s.desc }
func (s *dateSort) Copy() bsearch.SearchSort     { c := *s; return &c }

// bm25Stats returns the statistics BM25 scores with, over all loaded
// shards: the number of documents and, for each field q searches, the
// number of terms.
func (ix *Index) bm25Stats(q query.Query) (*bsearch.BM25Stats, error) {
	fields, err := query.ExtractFields(q, ix.im, bsearch.NewFieldSet())
	if err != nil {
		return nil, err
	}
	// ExtractFields does not look inside queries of ours (a relaxed
	// query's coverQuery): count every field a word can match.
	for _, f := range textFields {
		fields.AddField(f.name)
	}
	for _, f := range keywordFields {
		fields.AddField(f.name)
	}
	stats := &bsearch.BM25Stats{FieldCardinality: map[string]int{}}
	for _, s := range ix.shards {
		r, err := s.idx.Reader()
		if err != nil {
			return nil, err
		}
		n, err := r.DocCount()
		if err == nil {
			stats.DocCount += float64(n)
			if br, ok := r.(index.BM25Reader); ok {
				for f := range fields {
					var c int
					if c, err = br.FieldCardinality(f); err != nil {
						break
					}
					stats.FieldCardinality[f] += c
				}
			}
		}
		r.Close()
		if err != nil {
			return nil, err
		}
	}
	return stats, nil
}
