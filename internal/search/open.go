package search

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// Index answers queries over the shards of a built index that have
// been loaded so far. It is safe for concurrent use.
type Index struct {
	man   Manifest
	im    *mapping.IndexMappingImpl
	en    analysis.Analyzer // the text fields' analyzer
	plain analysis.Analyzer // the lexicon's analyzer
	// keywords are the sorted values of each keyword field that a
	// word can match (systems and causes), from the manifest.
	keywords map[string][]string

	mu     sync.RWMutex
	lex    *segIndex         // the lexicon, once loaded
	shards []*shard          // loaded, in manifest order
	docs   map[string]docRef // every loaded incident's stored text

	// facetValues are the values of each filter field, sorted, from
	// the manifest; facetIndex maps them back.
	facetValues [][]string
	facetIndex  []map[string]int
}

type shard struct {
	name string
	idx  *segIndex
	st   *store
	recs *records
}

// recordsOf returns the records of a loaded shard's stored text.
// The caller holds ix.mu.
func (ix *Index) recordsOf(st *store) *records {
	for _, s := range ix.shards {
		if s.st == st {
			return s.recs
		}
	}
	return nil
}

// docRef locates an incident in the stored text of its shard.
type docRef struct {
	st  *store
	doc int
}

// stored returns the stored text of the incident with the given id and
// its number there; nil when it is not loaded. The caller holds ix.mu.
func (ix *Index) stored(id string) (*store, int) {
	r, ok := ix.docs[id]
	if !ok {
		return nil, -1
	}
	return r.st, r.doc
}

// Open opens the index Build wrote, reading every file from fsys:
// manifest.json at its root and the files it names.
func Open(fsys fs.FS) (*Index, error) {
	manJSON, err := fs.ReadFile(fsys, ManifestName)
	if err != nil {
		return nil, fmt.Errorf("open search index: %w", err)
	}
	man, err := decodeManifest(manJSON)
	if err != nil {
		return nil, err
	}
	mappingJSON, err := fs.ReadFile(fsys, man.Mapping.Name)
	if err != nil {
		return nil, fmt.Errorf("open search index: %w", err)
	}
	ix, err := NewIndex(manJSON, mappingJSON)
	if err != nil {
		return nil, err
	}
	all := man.Shards
	if man.Lexicon != nil {
		all = append([]Shard{*man.Lexicon}, all...)
	}
	for _, sh := range all {
		gz, err := fs.ReadFile(fsys, sh.File.Name)
		if err == nil {
			var data []byte
			data, err = gunzip(gz, sh.ZapBytes+sh.TextBytes)
			if err == nil {
				err = ix.Load(sh.Name, data)
			}
		}
		if err != nil {
			ix.Close()
			return nil, fmt.Errorf("open search index: shard %s: %w", sh.Name, err)
		}
	}
	return ix, nil
}

func gunzip(gz []byte, size int64) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	if _, err := io.Copy(buf, r); err != nil {
		return nil, err
	}
	if err := r.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeManifest reads manifest.json and checks that this build reads
// the index it describes, before anything else of it is read.
func decodeManifest(b []byte) (Manifest, error) {
	var man Manifest
	if err := json.Unmarshal(b, &man); err != nil {
		return man, fmt.Errorf("open search index: %s: %w", ManifestName, err)
	}
	switch {
	case man.Format != Format:
		return man, fmt.Errorf("open search index: format %d, this build reads format %d: %w", man.Format, Format, ErrOtherVersion)
	case man.Zap != zap.Version:
		return man, fmt.Errorf("open search index: zap segment version %d, this build reads version %d: %w", man.Zap, zap.Version, ErrOtherVersion)
	}
	return man, nil
}

// ErrOtherVersion is the error, wrapped, of an index written by another
// version of kb: a site built before an upgrade, or a module shipped
// with another build. Rebuilding the site with this kb fixes it.
var ErrOtherVersion = errors.New("written by another version of kb: rebuild the site and the search module together")

// NewIndex prepares an index with no shard loaded from the contents of
// manifest.json and the mapping file it names. Load then adds shards;
// a search covers the shards loaded when it starts.
func NewIndex(manifest, mappingJSON []byte) (*Index, error) {
	man, err := decodeManifest(manifest)
	if err != nil {
		return nil, err
	}
	im, err := decodeMapping(mappingJSON)
	if err != nil {
		return nil, fmt.Errorf("open search index: %w", err)
	}
	en, err := analyzer(im, im.DefaultAnalyzer)
	if err != nil {
		return nil, err
	}
	plain, err := analyzer(im, analyzerPlain)
	if err != nil {
		return nil, err
	}
	keywords := map[string][]string{}
	for _, f := range keywordFields {
		keywords[f.name] = slices.Sorted(maps.Keys(man.Labels[f.name]))
	}
	ix := &Index{man: man, im: im, en: en, plain: plain, keywords: keywords, docs: map[string]docRef{}}
	for _, f := range filterFields {
		values := slices.Sorted(maps.Keys(man.Labels[f]))
		index := make(map[string]int, len(values))
		for i, v := range values {
			index[v] = i
		}
		ix.facetValues = append(ix.facetValues, values)
		ix.facetIndex = append(ix.facetIndex, index)
	}
	return ix, nil
}

// Manifest returns the manifest the index was opened with.
func (ix *Index) Manifest() Manifest { return ix.man }

// Loaded returns the names of the shards loaded so far, in manifest
// order.
func (ix *Index) Loaded() []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	names := make([]string, len(ix.shards))
	for i, s := range ix.shards {
		names[i] = s.name
	}
	return names
}

// Load adds the named shard, or the lexicon, from the uncompressed
// bytes of its file: the zap segment, then for a shard its stored text.
// The index uses data in place: it must not change afterwards. Until
// the lexicon is loaded, words match only as written.
func (ix *Index) Load(name string, data []byte) error {
	var want *Shard
	if ix.man.Lexicon != nil && name == ix.man.Lexicon.Name {
		want = ix.man.Lexicon
	} else if i := slices.IndexFunc(ix.man.Shards, func(s Shard) bool { return s.Name == name }); i >= 0 {
		want = &ix.man.Shards[i]
	} else {
		return fmt.Errorf("load search shard %q: not in the manifest", name)
	}
	if int64(len(data)) != want.ZapBytes+want.TextBytes {
		return fmt.Errorf("load search shard %q: %d bytes, the manifest says %d", name, len(data), want.ZapBytes+want.TextBytes)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if want == ix.man.Lexicon && ix.lex != nil || slices.ContainsFunc(ix.shards, func(s *shard) bool { return s.name == name }) {
		return fmt.Errorf("load search shard %q: already loaded", name)
	}
	var st *store
	var ft *records
	if want != ix.man.Lexicon {
		var err error
		if st, err = openStore(data[want.ZapBytes:]); err != nil {
			return fmt.Errorf("load search shard %q: %w", name, err)
		}
		if len(st.ids) != want.Docs {
			return fmt.Errorf("load search shard %q: stored text of %d documents, the manifest says %d", name, len(st.ids), want.Docs)
		}
		if ft, err = ix.readRecords(st); err != nil {
			return fmt.Errorf("load search shard %q: %w", name, err)
		}
	}
	idx, err := openSegment(name, data[:want.ZapBytes])
	if err != nil {
		return fmt.Errorf("load search shard %q: %w", name, err)
	}
	if n, err := docCount(idx); err != nil || n != uint64(want.Docs) {
		idx.Close()
		return fmt.Errorf("load search shard %q: holds %d documents, the manifest says %d", name, n, want.Docs)
	}
	if want == ix.man.Lexicon {
		ix.lex = idx
		return nil
	}
	if err := checkOrder(idx, st); err != nil {
		idx.Close()
		return fmt.Errorf("load search shard %q: %w", name, err)
	}
	ix.shards = append(ix.shards, &shard{name: name, idx: idx, st: st, recs: ft})
	for i, id := range st.ids {
		ix.docs[id] = docRef{st, i}
	}
	order := func(s *shard) int {
		return slices.IndexFunc(ix.man.Shards, func(m Shard) bool { return m.Name == s.name })
	}
	slices.SortFunc(ix.shards, func(a, b *shard) int { return order(a) - order(b) })
	return nil
}

// segIndex is one shard's segment, or the lexicon's, decoded in place
// from its bytes. Queries run on it directly (run.go) through a reader
// of our own (reader.go), not through a bleve index: bleve's root
// package and scorch would bring into the browser module what only a
// server needs (a metrics endpoint over HTTP, indexing, persisting and
// merging segments, another index type): two thirds of its size.
type segIndex struct {
	name string
	zap  []byte // the segment's bytes, in use in place
	seg  segment.Segment
	r    index.IndexReader // a *segReader; tests put scorch's in its place
}

// Reader returns a reader of the segment. Closing it is not needed.
func (s *segIndex) Reader() (index.IndexReader, error) { return s.r, nil }

// Advanced returns s, whose Reader reads the segment, for code written
// against bleve.Index.Advanced.
func (s *segIndex) Advanced() (*segIndex, error) { return s, nil }

// Close releases the segment.
func (s *segIndex) Close() error { return s.seg.Close() }

// openSegment decodes one shard's segment in place (see the comment at
// the top of segment.go).
func openSegment(name string, data []byte) (*segIndex, error) {
	seg, err := decodeSegment(data)
	if err != nil {
		return nil, err
	}
	return &segIndex{name: name, zap: data, seg: seg, r: newSegReader(seg)}, nil
}

// docCount returns the number of documents of a shard's segment.
func docCount(idx *segIndex) (uint64, error) {
	r, err := idx.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	return r.DocCount()
}

// Close releases the loaded shards.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var errs []error
	for _, s := range ix.shards {
		errs = append(errs, s.idx.Close())
	}
	if ix.lex != nil {
		errs = append(errs, ix.lex.Close())
	}
	ix.shards, ix.lex = nil, nil
	clear(ix.docs)
	return errors.Join(errs...)
}

// checkOrder checks that the documents of the shard's segment are those
// of its stored text in the same order, so that bleve's internal number
// of a hit is its number in the stored text (see docOf).
func checkOrder(idx *segIndex, st *store) error {
	r, err := idx.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	var num [8]byte
	for i, id := range st.ids {
		binary.BigEndian.PutUint64(num[:], uint64(i))
		got, err := r.ExternalID(num[:])
		if err != nil || got != id {
			return fmt.Errorf("document %d of the segment is %q, of the stored text %q", i, got, id)
		}
	}
	return nil
}

// docCursor finds the stored text of the hits of one shard's search:
// the first hit's by its id, every other by its internal number.
type docCursor struct {
	st *store
}

// docOf returns the stored text and document number of a hit that r,
// a reader of one loaded shard, found. The caller holds ix.mu.
func (ix *Index) docOf(c *docCursor, r index.IndexReader, id index.IndexInternalID) (*store, int) {
	if c.st == nil {
		ext, err := r.ExternalID(id)
		if err != nil {
			return nil, -1
		}
		st, doc := ix.stored(ext)
		c.st = st
		return st, doc
	}
	if len(id) != 8 {
		return nil, -1
	}
	doc := binary.BigEndian.Uint64(id)
	if doc >= uint64(len(c.st.ids)) {
		return nil, -1
	}
	return c.st, int(doc)
}
