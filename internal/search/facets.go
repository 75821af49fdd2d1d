package search

import (
	"slices"
	"strings"
	"sync"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
)

// Facets are counted from the stored records of the hits, not from
// bleve's doc values: bleve would decode every hit's five keyword
// fields from compressed chunks, half the time of a faceted search.
// Every document the collector takes passes through a handler that
// adds its values, so the counts are of exactly the hits the total
// counts.

// records are what Load takes from the stored records of a shard's
// documents: their filter values, for facets, as numbers (field index
// in filterFields << 24 | value index in Index.facetValues), and their
// dates, for sorting.
type records struct {
	at    []int32 // document i's values are vals[at[i]:at[i+1]]
	vals  []uint32
	dates []string // sortable, "" when unknown (see meta.when)
}

// mentionedBit marks, in records.vals, a system or cause the document's
// text mentions and its metadata does not: facets count it, and a filter
// ranks it after those that declare the value.
const mentionedBit = 1 << 31

// valueMask takes the field and value of a records.vals entry.
const valueMask = 1<<31 - 1

// declares reports whether document doc declares one of the values
// (records.vals codes without mentionedBit).
func (ft *records) declares(doc int, codes []uint32) bool {
	for _, v := range ft.vals[ft.at[doc]:ft.at[doc+1]] {
		if v&mentionedBit == 0 && slices.Contains(codes, v) {
			return true
		}
	}
	return false
}

// code returns the records.vals code of a filter value, or false when
// no incident has it.
func (ix *Index) code(field, value string) (uint32, bool) {
	f := slices.Index(filterFields, field)
	if f < 0 {
		return 0, false
	}
	n, ok := ix.facetIndex[f][value]
	return uint32(f)<<24 | uint32(n), ok
}

// readRecords reads the records of a shard's documents; values the
// manifest does not list are left out (the manifest lists them all).
func (ix *Index) readRecords(st *store) (*records, error) {
	ft := &records{at: make([]int32, len(st.ids)+1), dates: make([]string, len(st.ids))}
	for i := range st.ids {
		m, err := decodeMeta(st.metas[i])
		if err != nil {
			return nil, err
		}
		start := len(ft.vals)
		add := func(f int, flag uint32, vs ...string) {
			for _, v := range vs {
				n, ok := ix.facetIndex[f][strings.ToLower(v)]
				code := uint32(f)<<24 | uint32(n)
				if ok && !slices.Contains(ft.vals[start:], code) && !slices.Contains(ft.vals[start:], code|mentionedBit) {
					ft.vals = append(ft.vals, code|flag)
				}
			}
		}
		add(0, 0, m.Systems...)
		add(1, 0, m.Causes...)
		add(0, mentionedBit, m.MentionedSystems...)
		add(1, mentionedBit, m.MentionedCauses...)
		add(2, 0, m.Severity)
		add(3, 0, m.Status)
		if len(m.Date) >= 4 {
			add(4, 0, m.Date[:4])
		}
		ft.dates[i] = m.when
		ft.at[i+1] = int32(len(ft.vals))
	}
	return ft, nil
}

// facetTally counts the filter values of the hits of one search.
type facetTally struct {
	ix *Index
	mu sync.Mutex
	// parts are the counts of each shard searched, by field index in
	// filterFields, then value index in Index.facetValues.
	parts [][][]int
}

// handler returns a document match handler for bleve's collector that
// counts each hit, then hands it on.
func (t *facetTally) handler(sctx *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
	next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
	if err != nil {
		return nil, false, err
	}
	counts := make([][]int, len(filterFields))
	for f := range counts {
		counts[f] = make([]int, len(t.ix.facetValues[f]))
	}
	var (
		cur docCursor
		st  *store
		ft  *records
	)
	r := sctx.IndexReader
	return func(d *bsearch.DocumentMatch) error {
		if d == nil {
			t.mu.Lock()
			t.parts = append(t.parts, counts)
			t.mu.Unlock()
			return next(nil)
		}
		if s, doc := t.ix.docOf(&cur, r, d.IndexInternalID); s != nil {
			if s != st {
				st, ft = s, t.ix.recordsOf(s)
			}
			if ft != nil {
				for _, v := range ft.vals[ft.at[doc]:ft.at[doc+1]] {
					v &= valueMask
					counts[v>>24][v&(1<<24-1)]++
				}
			}
		}
		return next(d)
	}, loadID, nil
}

// counts returns the tallies by field and value.
func (t *facetTally) counts() map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, f := range filterFields {
		out[f] = map[string]int{}
	}
	for _, part := range t.parts {
		for f, counts := range part {
			for v, n := range counts {
				if n > 0 {
					out[filterFields[f]][t.ix.facetValues[f][v]] += n
				}
			}
		}
	}
	return out
}
