package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	zap "github.com/blevesearch/zapx/v17"
	"github.com/klauspost/compress/gzip"
	"golang.org/x/sync/errgroup"
)

// buildSegment indexes docs into one zap segment and returns its bytes.
// Documents reach the segment sorted by id whatever order docs is in,
// and the segment is canonicalized, so the bytes depend on the
// documents alone. Up to batch documents are made into a segment in
// memory; more go through bleve's offline builder in a temporary
// directory under tmp, one segment per batch, merged into one.
func buildSegment(tmp string, im *mapping.IndexMappingImpl, docs []bleveDoc, batch int) ([]byte, error) {
	if batch <= 0 {
		batch = builderBatch
	}
	registerPlugin()
	sorted := slices.Clone(docs)
	slices.SortFunc(sorted, func(a, b bleveDoc) int { return strings.Compare(a.id, b.id) })
	var data []byte
	var err error
	if len(sorted) <= batch {
		data, err = memorySegment(im, sorted)
	} else {
		data, err = mergedSegment(tmp, im, sorted, batch)
	}
	if err != nil {
		return nil, fmt.Errorf("build search index: %w", err)
	}
	if len(data) == 0 {
		return nil, errors.New("build search index: empty segment")
	}
	if err := canonicalize(data); err != nil {
		return nil, fmt.Errorf("build search index: %w", err)
	}
	return data, nil
}

// mapDoc makes d into the document bleve indexes, with its text fields
// already analyzed when d carries their analysis.
func mapDoc(im *mapping.IndexMappingImpl, d bleveDoc) (*document.Document, error) {
	doc := document.NewDocument(d.id)
	if err := im.MapDocument(doc, d.fields); err != nil {
		return nil, fmt.Errorf("index %s: %w", d.id, err)
	}
	if d.pre != nil {
		if err := usePre(doc, d.pre); err != nil {
			return nil, fmt.Errorf("index %s: %w", d.id, err)
		}
	}
	return doc, nil
}

// memorySegment builds the segment of docs, sorted by id, as bleve's
// offline builder does with a single batch, without its files: the
// same analysis, then zap's segment bytes as the builder would write
// them.
func memorySegment(im *mapping.IndexMappingImpl, docs []bleveDoc) ([]byte, error) {
	results := make([]index.Document, len(docs))
	for i, d := range docs {
		doc, err := mapDoc(im, d)
		if err != nil {
			return nil, err
		}
		if doc.HasComposite() {
			return nil, fmt.Errorf("index %s: the mapping has a composite field", d.id)
		}
		doc.AddIDField()
		doc.VisitFields(func(f index.Field) {
			if f.Options().IsIndexed() {
				f.Analyze()
			}
		})
		results[i] = doc
	}
	seg, _, err := (&plugin{}).New(results)
	if err != nil {
		return nil, err
	}
	defer seg.Close()
	sb, ok := seg.(*zap.SegmentBase)
	if !ok {
		return nil, fmt.Errorf("zap made a %T, not a segment in memory", seg)
	}
	var buf bytes.Buffer
	if _, err := sb.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// builderBatch is the most documents made into one segment at once;
// past it, a segment is built per batch and the segments are merged.
// Shards hold up to Options.ShardDocs incidents: twice the default keeps
// merging (which decodes and re-encodes every posting, through files)
// for a site that asks for much larger shards, where it bounds memory.
const builderBatch = 2 * DefaultShardDocs

// Versions of the index format; Open refuses files written with others.
const (
	// Format is the version of the files Build writes: their names,
	// the manifest and the field layout.
	Format = 3
	// BleveVersion and ZapxVersion are the pinned modules that write
	// and read the segments; a test checks them against the build.
	BleveVersion = "v2.6.3"
	ZapxVersion  = "v17.2.5"
)

// Options tune Build.
type Options struct {
	// TempDir is where the indexer keeps its scratch files; the
	// system default when empty.
	TempDir string
	// Workers bounds how many shards are built at once; 0 means one
	// per CPU.
	Workers int
	// ShardDocs is the most incidents a shard holds: past it, the
	// index is split by year, and a year of more into parts. 0 means
	// DefaultShardDocs, a negative number never splits.
	ShardDocs int
	// FirstShardDocs is how many of the newest incidents the first
	// shard holds when the index is split, so that the browser can
	// answer from them while the rest downloads: 0 means
	// DefaultFirstShardDocs, a negative number makes no such shard.
	FirstShardDocs int

	// Sections, when set, gives each document's sections, which then
	// come without them: they are asked for one shard at a time, as the
	// shard is built, so that the text of a whole archive is never in
	// memory at once.
	Sections func(*Document) ([]Section, error)

	batchSize int // documents per builder batch; builderBatch when 0
}

// DefaultShardDocs is the shard size when Options.ShardDocs is 0.
const DefaultShardDocs = 1000

// DefaultFirstShardDocs is the size of the first shard when
// Options.FirstShardDocs is 0.
const DefaultFirstShardDocs = 250

// newestShard is the name of the first shard of a split index.
const newestShard = "newest"

// Manifest describes the files Build wrote. It is written as
// manifest.json beside them.
type Manifest struct {
	Format  int    `json:"format"`
	Bleve   string `json:"bleve"`
	Zapx    string `json:"zapx"`
	Zap     uint32 `json:"zap"` // segment format version
	Docs    int    `json:"docs"`
	Mapping File   `json:"mapping"`
	Instant File   `json:"instant"`
	// Lexicon is a one-document segment holding every word of every
	// incident, for typos and unfinished words; load it first. It is
	// absent when there are no documents.
	Lexicon *Shard `json:"lexicon,omitempty"`
	// Shards hold the incidents newest first; load them in order.
	Shards []Shard `json:"shards"`
	// Quick lists the files of the quick index (quick.go); absent when
	// there are no documents.
	Quick *QuickIndex `json:"quick,omitempty"`
	// Labels maps each filter field and lower-case value to the
	// value as written in the incidents, for showing facets.
	Labels map[string]map[string]string `json:"labels"`
	// Counts maps each filter field and lower-case value to the
	// number of incidents with it: the facets of the empty query.
	Counts map[string]map[string]int `json:"counts"`
}

// File is one file in the index directory.
type File struct {
	Name   string `json:"file"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Shard is one gzip-compressed file: a zap segment followed, except in
// the lexicon, by the stored text of its incidents.
type Shard struct {
	Name string `json:"name"` // "all", "2024", "2019-2021", "undated"
	File
	ZapBytes  int64 `json:"zap_bytes"`            // size of the segment
	TextBytes int64 `json:"text_bytes,omitempty"` // size of the stored text after it
	Docs      int   `json:"docs"`
}

// ManifestName is the file name of the manifest in the index directory.
const ManifestName = "manifest.json"

// Build writes the search index of docs into dir, creating dir if
// needed: manifest.json, mapping.json, instant.json, lexicon.zap.gz and
// one <shard>.zap.gz per shard. The same docs, in any order, give
// byte-identical files.
func Build(dir string, docs []Document, opts Options) (*Manifest, error) {
	files, man, err := BuildFiles(docs, opts)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("build search index: %w", err)
	}
	names := slices.Sorted(maps.Keys(files))
	for _, name := range names {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return nil, fmt.Errorf("build search index: %w", err)
		}
	}
	return man, nil
}

// BuildFiles is Build without the writing: it returns the files by name.
func BuildFiles(docs []Document, opts Options) (map[string][]byte, *Manifest, error) {
	files := map[string][]byte{}
	var mu sync.Mutex
	man, err := BuildTo(func(name string, b []byte) error {
		mu.Lock()
		defer mu.Unlock()
		files[name] = b
		return nil
	}, docs, opts)
	if err != nil {
		return nil, nil, err
	}
	return files, man, nil
}

// BuildTo builds the index as Build does and hands each file to write as
// soon as it is made, the manifest last: a large site's shards are never
// all in memory. write is called from several goroutines at once.
func BuildTo(write func(name string, b []byte) error, docs []Document, opts Options) (*Manifest, error) {
	seen := make(map[string]bool, len(docs))
	docs = slices.Clone(docs)
	for i := range docs {
		docs[i].Sections = foldSections(docs[i].Sections, MaxSections)
		if err := docs[i].check(); err != nil {
			return nil, fmt.Errorf("build search index: %w", err)
		}
		if seen[docs[i].ID] {
			return nil, fmt.Errorf("build search index: duplicate document id %q", docs[i].ID)
		}
		seen[docs[i].ID] = true
	}
	im, err := newMapping(defaultLayout)
	if err != nil {
		return nil, err
	}
	mappingJSON, err := json.Marshal(im)
	if err != nil {
		return nil, fmt.Errorf("encode index mapping: %w", err)
	}
	instantJSON, err := instant(docs)
	if err != nil {
		return nil, err
	}
	if err := write(mappingName, mappingJSON); err != nil {
		return nil, err
	}
	if err := write(instantName, instantJSON); err != nil {
		return nil, err
	}
	man := &Manifest{
		Format:  Format,
		Bleve:   BleveVersion,
		Zapx:    ZapxVersion,
		Zap:     zap.Version,
		Docs:    len(docs),
		Mapping: fileOf(mappingName, mappingJSON),
		Instant: fileOf(instantName, instantJSON),
		Shards:  []Shard{},
		Labels:  labels(docs),
		Counts:  counts(docs),
	}
	plain, err := analyzer(im, analyzerPlain)
	if err != nil {
		return nil, err
	}
	en, err := analyzer(im, im.DefaultAnalyzer)
	if err != nil {
		return nil, err
	}
	qb, err := newQuickBuilder(docs, en)
	if err != nil {
		return nil, err
	}
	// Each shard is one file: its segment, then its stored text. The
	// stored text is made first: its tokens feed the segment (see
	// pretok.go) and the lexicon.
	plans := planShards(docs, opts.ShardDocs, opts.FirstShardDocs)
	built := make([]Shard, len(plans))
	words := make([][]string, len(plans))
	var g errgroup.Group
	g.SetLimit(workerCount(opts.Workers))
	for i, sh := range plans {
		g.Go(func() error {
			var gz []byte
			var err error
			built[i], gz, words[i], err = buildShard(opts, im, en, sh, qb)
			if err != nil {
				return err
			}
			return write(built[i].File.Name, gz)
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	man.Shards = built
	if len(docs) > 0 {
		if man.Quick, err = qb.files(write); err != nil {
			return nil, err
		}
		lex, err := lexiconDoc(plain, words)
		if err != nil {
			return nil, err
		}
		seg, err := buildSegment(opts.TempDir, im, []bleveDoc{lex}, opts.batchSize)
		if err != nil {
			return nil, fmt.Errorf("lexicon: %w", err)
		}
		gz, err := gzipLevel(lexiconLevel, seg)
		if err != nil {
			return nil, err
		}
		if err := write(lexiconName+".zap.gz", gz); err != nil {
			return nil, err
		}
		man.Lexicon = &Shard{Name: lexiconName, File: fileOf(lexiconName+".zap.gz", gz), ZapBytes: int64(len(seg)), Docs: 1}
	}
	manJSON, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	if err := write(ManifestName, append(manJSON, '\n')); err != nil {
		return nil, err
	}
	return man, nil
}

// buildShard makes one shard's file: the segment of its documents
// followed by their stored text, gzip-compressed. It also returns every
// distinct word of the shard, for the lexicon. Everything it builds is
// garbage once it returns, so no more than Workers shards are ever held
// in memory.
func buildShard(opts Options, im *mapping.IndexMappingImpl, en analysis.Analyzer, sh shardPlan, qb *quickBuilder) (Shard, []byte, []string, error) {
	sb, err := newStoreBuilder(en)
	if err != nil {
		return Shard{}, nil, nil, err
	}
	sorted := slices.Clone(sh.docs)
	slices.SortFunc(sorted, func(a, b *Document) int { return strings.Compare(a.ID, b.ID) })
	if opts.Sections != nil {
		// The shard's documents are its own: no other shard touches
		// them, and their sections are dropped once it is built.
		for _, d := range sorted {
			ss, err := opts.Sections(d)
			if err != nil {
				return Shard{}, nil, nil, fmt.Errorf("shard %s: %w", sh.name, err)
			}
			d.Sections = foldSections(ss, MaxSections)
		}
		defer func() {
			for _, d := range sorted {
				d.Sections = nil
			}
		}()
	}
	text, err := sb.build(sorted)
	if err != nil {
		return Shard{}, nil, nil, fmt.Errorf("shard %s: %w", sh.name, err)
	}
	bd := make([]bleveDoc, len(sorted))
	for i, d := range sorted {
		bd[i] = toBleve(d, defaultLayout)
		bd[i].pre = sb.preAnalyze(i)
	}
	qb.add(sorted, bd, sb)
	seg, err := buildSegment(opts.TempDir, im, bd, opts.batchSize)
	if err != nil {
		return Shard{}, nil, nil, fmt.Errorf("shard %s: %w", sh.name, err)
	}
	words := sb.words()
	sb, bd = nil, nil // garbage while the shard is compressed
	gz, err := gzipBytes(seg, text)
	if err != nil {
		return Shard{}, nil, nil, err
	}
	file := sh.name + ".shard.gz"
	return Shard{Name: sh.name, File: fileOf(file, gz), ZapBytes: int64(len(seg)), TextBytes: int64(len(text)), Docs: len(sorted)}, gz, words, nil
}

// workerCount is how many shards are built at once: n, or one per CPU.
func workerCount(n int) int {
	if n <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return n
}

// MaxSections is the most sections of one incident the index keeps apart.
// A file of hundreds of thousands of headings (a log pasted as Markdown)
// would otherwise cost a field value, a stored text and a record entry
// per heading; past this many, the rest are searched as one section.
const MaxSections = 1000

// foldSections returns ss with everything from the max-th section on
// folded into one: their headings and texts, in order, as its text. Hits
// in it link to its first heading.
func foldSections(ss []Section, max int) []Section {
	if len(ss) <= max {
		return ss
	}
	last := ss[max-1]
	var b strings.Builder
	b.WriteString(last.Text)
	for _, s := range ss[max:] {
		for _, t := range []string{s.Title, s.Text} {
			if t == "" {
				continue
			}
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(t)
		}
	}
	last.Text = b.String()
	out := slices.Clone(ss[:max])
	out[max-1] = last
	return out
}

const (
	mappingName = "mapping.json"
	instantName = "instant.json"
)

func fileOf(name string, b []byte) File {
	sum := sha256.Sum256(b)
	return File{Name: name, Bytes: int64(len(b)), SHA256: hex.EncodeToString(sum[:])}
}

// gzipBytes compresses parts, one after the other, as a shard is.
func gzipBytes(parts ...[]byte) ([]byte, error) {
	return gzipLevel(shardLevel, parts...)
}

// gzipLevel compresses parts, one after the other, into one gzip file.
func gzipLevel(level int, parts ...[]byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		return nil, err
	}
	for _, b := range parts {
		if _, err := w.Write(b); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Compression levels (klauspost/compress) per kind of file, measured on
// the shards of the generated 10,000-incident corpus. A shard is what a
// reader waits for, but level 8 took 1.7 times as long as level 7 to
// make them 0.9% smaller (the stored text's word numbers are slow to
// search for matches); level 7 leaves them 0.5% larger than the
// standard library's default, at twice its speed. The lexicon is small
// and loaded first by every search, so it gets level 8 (level 9 gains
// 0.5% more at four times the cost).
const (
	shardLevel   = 7
	lexiconLevel = 8
)

type shardPlan struct {
	name string
	docs []*Document
}

// planShards groups docs into shards, newest first. With no more than
// max docs in all, there is one shard, "all". Otherwise the first
// shard, "newest", holds the first newest docs; the rest go into
// shards of whole years, each holding at most max docs; a year of more
// is split into parts ("2024.1", "2024.2"), and undated docs go last,
// into shards of their own.
func planShards(docs []Document, max, first int) []shardPlan {
	if max == 0 {
		max = DefaultShardDocs
	}
	if first == 0 {
		first = DefaultFirstShardDocs
	}
	all := make([]*Document, len(docs))
	for i := range docs {
		all[i] = &docs[i]
	}
	if len(docs) == 0 {
		return nil
	}
	if max < 0 || len(docs) <= max {
		return []shardPlan{{name: "all", docs: all}}
	}
	// Newest first, undated last, then by id.
	slices.SortFunc(all, func(a, b *Document) int {
		if a.Date.IsZero() != b.Date.IsZero() {
			if a.Date.IsZero() {
				return 1
			}
			return -1
		}
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	var out []shardPlan
	dated := slices.IndexFunc(all, func(d *Document) bool { return d.Date.IsZero() })
	if dated < 0 {
		dated = len(all)
	}
	if first > 0 && first < dated {
		out = append(out, shardPlan{name: newestShard, docs: all[:first]})
		all = all[first:]
	}
	byYear := map[string][]*Document{}
	for _, d := range all {
		byYear[d.Year()] = append(byYear[d.Year()], d)
	}
	years := slices.Sorted(maps.Keys(byYear))
	slices.Reverse(years) // newest first, "" (undated) last
	var cur []*Document
	var newest, oldest string
	flush := func() {
		if len(cur) == 0 {
			return
		}
		name := newest
		if oldest != newest {
			name = oldest + "-" + newest
		}
		out = append(out, shardPlan{name: name, docs: cur})
		cur = nil
	}
	for _, y := range years {
		ds := byYear[y]
		name := y
		if y == "" {
			name = "undated"
		}
		if y == "" || len(ds) > max {
			// A year too big for one shard is split into parts of
			// max, newest first: "2024.1", "2024.2"; the time and
			// memory of building a shard, and of loading it in the
			// browser, stay those of max incidents.
			flush()
			if len(ds) <= max {
				out = append(out, shardPlan{name: name, docs: ds})
				continue
			}
			for i := 0; i < len(ds); i += max {
				out = append(out, shardPlan{name: fmt.Sprintf("%s.%d", name, i/max+1), docs: ds[i:min(i+max, len(ds))]})
			}
			continue
		}
		if len(cur) > 0 && len(cur)+len(ds) > max {
			flush()
		}
		if len(cur) == 0 {
			newest = y
		}
		oldest = y
		cur = append(cur, ds...)
	}
	flush()
	return out
}

// lexiconName is the name of the lexicon segment: one document, id
// lexiconID, whose word field holds every word of every incident,
// unstemmed. Its dictionary is what typos and unfinished words are
// looked up in; it is never searched for hits.
const (
	lexiconName = "lexicon"
	lexiconID   = ".kb-lexicon"
)

func lexiconDoc(plain analysis.Analyzer, shards [][]string) (bleveDoc, error) {
	da, ok := plain.(*analysis.DefaultAnalyzer)
	if !ok || len(da.CharFilters) > 0 {
		return bleveDoc{}, fmt.Errorf("lexicon: analyzer %T is not a tokenizer followed by token filters", plain)
	}
	// The shards' words are the tokenizer's, so only the plain
	// analyzer's filters are left to apply, one word at a time.
	seen := map[string]bool{}
	set := map[string]bool{}
	for _, ws := range shards {
		for _, w := range ws {
			if seen[w] {
				continue
			}
			seen[w] = true
			ts := analysis.TokenStream{&analysis.Token{Term: []byte(w), Position: 1, End: len(w), Type: analysis.AlphaNumeric}}
			for _, f := range da.TokenFilters {
				ts = f.Filter(ts)
			}
			for _, t := range ts {
				set[string(t.Term)] = true
			}
		}
	}
	list := slices.Sorted(maps.Keys(set))
	return bleveDoc{id: lexiconID, fields: &lexiconFields{Word: strings.Join(list, " ")}}, nil
}

func analyzer(im *mapping.IndexMappingImpl, name string) (analysis.Analyzer, error) {
	a := im.AnalyzerNamed(name)
	if a == nil {
		return nil, fmt.Errorf("index mapping: no analyzer %q", name)
	}
	return a, nil
}

// counts maps each filter field's lower-case values to the number of
// docs that have them.
func counts(docs []Document) map[string]map[string]int {
	out := map[string]map[string]int{}
	add := func(field string, vs ...string) {
		seen := map[string]bool{}
		for _, v := range vs {
			k := strings.ToLower(v)
			if v == "" || seen[k] {
				continue
			}
			seen[k] = true
			if out[field] == nil {
				out[field] = map[string]int{}
			}
			out[field][k]++
		}
	}
	for _, d := range docs {
		add(fieldSystem, d.allSystems()...)
		add(fieldCause, d.allCauses()...)
		add(fieldSeverity, d.Severity)
		add(fieldStatus, d.Status)
		add(fieldYear, d.Year())
	}
	return out
}

// labels maps each filter field's lower-case values to the spelling
// used in the incidents; the first spelling in id order wins.
func labels(docs []Document) map[string]map[string]string {
	sorted := make([]*Document, len(docs))
	for i := range docs {
		sorted[i] = &docs[i]
	}
	slices.SortFunc(sorted, func(a, b *Document) int { return strings.Compare(a.ID, b.ID) })
	out := map[string]map[string]string{}
	add := func(field, v string) {
		if v == "" {
			return
		}
		if out[field] == nil {
			out[field] = map[string]string{}
		}
		k := strings.ToLower(v)
		if _, ok := out[field][k]; !ok {
			out[field][k] = v
		}
	}
	for _, d := range sorted {
		for _, s := range d.allSystems() {
			add(fieldSystem, s)
		}
		for _, c := range d.allCauses() {
			add(fieldCause, c)
		}
		add(fieldSeverity, d.Severity)
		add(fieldStatus, d.Status)
		add(fieldYear, d.Year())
	}
	return out
}
