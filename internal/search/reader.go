package search

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum"
	"github.com/blevesearch/vellum/levenshtein"
)

// segReader is the index reader bleve's searchers and collector run
// over: one zap segment, read in place, with no deleted documents.
//
// It stands where a scorch index snapshot of that one segment would
// stand, and answers every question as such a snapshot does: the same
// internal ids (the document number, big-endian), postings, counts,
// dictionaries and field cardinalities, so that searches return the
// same hits with the same scores. What it leaves out is what kb never
// asks: stored documents, regular expressions, geo shapes and vectors,
// and scorch's optimizations of conjunctions and disjunctions, which
// change how fast a search runs, not what it finds. Without scorch the
// browser module carries neither its indexing, persisting and merging
// nor zap's segment writer and merger, which scorch registers: a
// quarter of the module.
//
// A segReader is immutable and safe for concurrent use; every method
// makes its own dictionaries and iterators.
type segReader struct {
	seg  segment.Segment
	docs uint64
}

func newSegReader(seg segment.Segment) *segReader {
	r := &segReader{seg: seg, docs: seg.Count()}
	if ns, ok := seg.(segment.NestedSegment); ok {
		r.docs = ns.CountRoot(nil) // what scorch counts
	}
	return r
}

var (
	_ index.IndexReader      = (*segReader)(nil)
	_ index.BM25Reader       = (*segReader)(nil)
	_ index.IndexReaderFuzzy = (*segReader)(nil)
)

// errNotInSegment answers what kb's segments do not hold.
var errNotInSegment = errors.New("search index: not available in kb's segments")

func (r *segReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (index.TermFieldReader, error) {
	dict, err := r.seg.Dictionary(field)
	if err != nil {
		return nil, err
	}
	pl, err := dict.PostingsList(term, nil, nil)
	if err != nil {
		return nil, err
	}
	t := &termReader{pl: pl, freq: freq, norm: norm, vectors: vectors}
	t.it = pl.Iterator(freq, norm, vectors, nil)
	return t, nil
}

func (r *segReader) DocIDReaderAll() (index.DocIDReader, error) {
	return &allDocsReader{n: r.docs}, nil
}

func (r *segReader) DocIDReaderOnly(ids []string) (index.DocIDReader, error) {
	bm, err := r.seg.DocNumbers(ids)
	if err != nil {
		return nil, err
	}
	return &someDocsReader{it: bm.Iterator()}, nil
}

func (r *segReader) FieldDict(field string) (index.FieldDict, error) {
	return r.fieldDict(field, nil, nil, nil, false)
}

func (r *segReader) FieldDictRange(field string, start, end []byte) (index.FieldDict, error) {
	return r.fieldDict(field, nil, start, afterTerm(end), false)
}

func (r *segReader) FieldDictPrefix(field string, prefix []byte) (index.FieldDict, error) {
	return r.fieldDict(field, nil, prefix, afterPrefix(prefix), false)
}

func (r *segReader) FieldDictFuzzy(field, term string, fuzziness int, prefix string) (index.FieldDict, error) {
	d, _, err := r.FieldDictFuzzyAutomaton(field, term, fuzziness, prefix)
	return d, err
}

func (r *segReader) FieldDictFuzzyAutomaton(field, term string, fuzziness int, prefix string) (index.FieldDict, index.FuzzyAutomaton, error) {
	b, err := levBuilder(fuzziness)
	if err != nil {
		return nil, nil, err
	}
	a, err := b.BuildDfa(term, uint8(fuzziness))
	if err != nil {
		return nil, nil, err
	}
	var start, end []byte
	if prefix != "" {
		start = []byte(prefix)
		end = afterPrefix(start)
	}
	// Candidates are collected for their terms: their counts are not
	// read, as scorch does not read them.
	d, err := r.fieldDict(field, a, start, end, true)
	if err != nil {
		return nil, nil, err
	}
	var fa index.FuzzyAutomaton
	if v, ok := any(a).(vellum.FuzzyAutomaton); ok {
		fa = v
	}
	return d, fa, nil
}

// omitCounter is the dictionary iterator of zap that skips counts.
type omitCounter interface {
	AutomatonIteratorOmitCount(a segment.Automaton, start, end []byte) segment.DictionaryIterator
}

func (r *segReader) fieldDict(field string, a segment.Automaton, start, end []byte, omitCount bool) (index.FieldDict, error) {
	dict, err := r.seg.Dictionary(field)
	if err != nil {
		return nil, err
	}
	d := &fieldDict{card: dict.Cardinality()}
	if oc, ok := dict.(omitCounter); ok && omitCount {
		d.it = oc.AutomatonIteratorOmitCount(a, start, end)
	} else {
		d.it = dict.AutomatonIterator(a, start, end)
	}
	return d, nil
}

// FieldCardinality is the number of distinct terms of a field, which
// BM25 takes for the field's average length, as scorch counts it.
func (r *segReader) FieldCardinality(field string) (int, error) {
	dict, err := r.seg.Dictionary(field)
	if err != nil {
		return 0, err
	}
	return dict.Cardinality(), nil
}

func (r *segReader) Document(string) (index.Document, error) { return nil, errNotInSegment }

func (r *segReader) DocValueReader(fields []string) (index.DocValueReader, error) {
	return &docValueReader{seg: r.seg, fields: fields}, nil
}

func (r *segReader) Fields() ([]string, error)          { return r.seg.Fields(), nil }
func (r *segReader) GetInternal([]byte) ([]byte, error) { return nil, nil }
func (r *segReader) DocCount() (uint64, error)          { return r.docs, nil }

func (r *segReader) ExternalID(id index.IndexInternalID) (string, error) {
	if len(id) != 8 {
		return "", fmt.Errorf("bad internal id %x", []byte(id))
	}
	num := id.Value()
	v, err := r.seg.DocID(num)
	if err != nil {
		return "", err
	}
	if v == nil {
		return "", fmt.Errorf("document number %d not found", num)
	}
	return string(v), nil
}

func (r *segReader) InternalID(id string) (index.IndexInternalID, error) {
	bm, err := r.seg.DocNumbers([]string{id})
	if err != nil || bm.IsEmpty() {
		return nil, err
	}
	return index.NewIndexInternalID(nil, uint64(bm.Minimum())), nil
}

// Close does nothing: the segment outlives its readers.
func (r *segReader) Close() error { return nil }

// levBuilders make the automata of words one or two edits away from a
// term. Building them takes milliseconds, so it is done once, when the
// first typo is looked up; they are safe for concurrent use.
var levBuilders = sync.OnceValues(func() ([2]*levenshtein.LevenshteinAutomatonBuilder, error) {
	var bs [2]*levenshtein.LevenshteinAutomatonBuilder
	for i := range bs {
		b, err := levenshtein.NewLevenshteinAutomatonBuilder(uint8(i+1), true)
		if err != nil {
			return bs, err
		}
		bs[i] = b
	}
	return bs, nil
})

func levBuilder(fuzziness int) (*levenshtein.LevenshteinAutomatonBuilder, error) {
	if fuzziness < 1 || fuzziness > 2 {
		return nil, fmt.Errorf("fuzziness %d: at most 2 edits are supported", fuzziness)
	}
	bs, err := levBuilders()
	if err != nil {
		return nil, err
	}
	return bs[fuzziness-1], nil
}

// afterTerm returns the first key after every key up to and including
// end, for an iterator that stops before its end key.
func afterTerm(end []byte) []byte {
	if len(end) == 0 {
		return end
	}
	out := append([]byte(nil), end...)
	if out[len(out)-1] < 0xff {
		out[len(out)-1]++
		return out
	}
	return append(out, 0)
}

// afterPrefix returns the first key that does not begin with prefix;
// nil when there is none (or no prefix).
func afterPrefix(prefix []byte) []byte {
	out := append([]byte(nil), prefix...)
	for i := len(out) - 1; i >= 0; i-- {
		out[i]++
		if out[i] != 0 {
			return out[:i+1]
		}
	}
	return nil
}

// termReader iterates over the documents holding one term.
type termReader struct {
	pl                  segment.PostingsList
	it                  segment.PostingsIterator
	freq, norm, vectors bool
	cur                 index.IndexInternalID // last returned; nil before the first
}

func (t *termReader) Next(pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	p, err := t.it.Next()
	if err != nil || p == nil {
		return nil, err
	}
	return t.doc(p, pre), nil
}

func (t *termReader) Advance(id index.IndexInternalID, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	if t.cur != nil && t.cur.Compare(id) >= 0 {
		// Backwards or in place: start over, as scorch does.
		t.it = t.pl.Iterator(t.freq, t.norm, t.vectors, nil)
	}
	p, err := t.it.Advance(id.Value())
	if err != nil || p == nil {
		return nil, err
	}
	return t.doc(p, pre), nil
}

// doc fills the term's document at p into pre (or a new one).
func (t *termReader) doc(p segment.Posting, pre *index.TermFieldDoc) *index.TermFieldDoc {
	d := pre
	if d == nil {
		d = &index.TermFieldDoc{}
	}
	d.ID = index.NewIndexInternalID(d.ID, p.Number())
	t.cur = d.ID
	if t.freq {
		d.Freq = p.Frequency()
	}
	if t.norm {
		d.Norm = p.Norm()
	}
	if t.vectors {
		locs := p.Locations()
		d.Vectors = d.Vectors[:0]
		for _, l := range locs {
			d.Vectors = append(d.Vectors, &index.TermFieldVector{
				Field:          l.Field(),
				ArrayPositions: l.ArrayPositions(),
				Pos:            l.Pos(),
				Start:          l.Start(),
				End:            l.End(),
			})
		}
	}
	return d
}

func (t *termReader) Count() uint64 { return t.pl.Count() }
func (t *termReader) Close() error  { return nil }
func (t *termReader) Size() int     { return 64 + t.pl.Size() + t.it.Size() }

// allDocsReader iterates over documents 0 to n-1.
type allDocsReader struct {
	next, n uint64
}

func (a *allDocsReader) Next() (index.IndexInternalID, error) {
	if a.next >= a.n {
		return nil, nil
	}
	a.next++
	return index.NewIndexInternalID(nil, a.next-1), nil
}

func (a *allDocsReader) Advance(id index.IndexInternalID) (index.IndexInternalID, error) {
	a.next = max(a.next, id.Value())
	return a.Next()
}

func (a *allDocsReader) Size() int    { return 16 }
func (a *allDocsReader) Close() error { return nil }

// someDocsReader iterates over the documents of a bitmap.
type someDocsReader struct {
	it roaring.IntPeekable
}

func (s *someDocsReader) Next() (index.IndexInternalID, error) {
	if !s.it.HasNext() {
		return nil, nil
	}
	return index.NewIndexInternalID(nil, uint64(s.it.Next())), nil
}

func (s *someDocsReader) Advance(id index.IndexInternalID) (index.IndexInternalID, error) {
	if num := id.Value(); num <= 0xffffffff {
		s.it.AdvanceIfNeeded(uint32(num))
	} else {
		for s.it.HasNext() {
			s.it.Next()
		}
	}
	return s.Next()
}

func (s *someDocsReader) Size() int    { return 16 }
func (s *someDocsReader) Close() error { return nil }

// fieldDict iterates over terms of a field's dictionary.
type fieldDict struct {
	it   segment.DictionaryIterator
	card int
	e    index.DictEntry
}

func (d *fieldDict) Next() (*index.DictEntry, error) {
	e, err := d.it.Next()
	if err != nil || e == nil {
		return nil, err
	}
	d.e = *e
	return &d.e, nil
}

func (d *fieldDict) Close() error      { return nil }
func (d *fieldDict) Cardinality() int  { return d.card }
func (d *fieldDict) BytesRead() uint64 { return 0 }

// docValueReader visits the doc values of fields of documents.
type docValueReader struct {
	seg    segment.Segment
	fields []string
	state  segment.DocVisitState
}

func (r *docValueReader) VisitDocValues(id index.IndexInternalID, visit index.DocValueVisitor) error {
	if len(r.fields) == 0 {
		return nil
	}
	dv, ok := r.seg.(segment.DocValueVisitable)
	if !ok {
		return errNotInSegment
	}
	var err error
	r.state, err = dv.VisitDocValues(id.Value(), r.fields, visit, r.state)
	return err
}

func (r *docValueReader) BytesRead() uint64 { return 0 }
