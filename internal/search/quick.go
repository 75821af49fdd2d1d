package search

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
)

// The quick index answers a full-text query on a cold visit before the
// search module has downloaded: a word's incidents are one small file
// away. It is an inverted index of the same terms the segments hold
// (stemmed English, stop words dropped), split by word into chunks that
// the browser fetches as a query needs them, with a precomputed weight
// per incident and term in place of BM25 at query time. Systems and
// causes (declared and mentioned, lower case) are keys too, as the
// segments' keyword fields match a word that is one of them.
//
// The browser has no stemmer, so every chunk also maps the words of the
// text, lower case, to their terms. A word and its term sort close
// together (the term is mostly a prefix of the word), and chunks are cut
// only where no word and its term would fall on two sides of the cut:
// one chunk answers for a word. A word that is its own term is left out
// of the table; the browser looks a word up as a term when the table
// does not have it.
//
// Incidents are numbered by their place in instant.json, newest first.
// What a hit shows of them comes in small pages too, so that a first
// answer needs the pages of its ten hits rather than all of instant.json
// (270 KB gzip'd at 10,000 incidents, a fifth of a second at 10 Mbit/s).
//
// Files, all listed in the manifest (Manifest.Quick):
//
//	quick.json          format, number of incidents, the weight scale,
//	                    the stop words, incidents per page, and the first
//	                    key of every chunk
//	quick-NNNN.gz       the chunks, gzip-compressed, in key order
//	quick-docs-NNNN.gz  the pages, gzip-compressed JSON: per incident, in
//	                    instant.json's order, [id, title, date, severity,
//	                    status, systems, causes]
//
// A chunk (numbers are uvarints; strings are front-coded against the
// previous one of their table: bytes shared, then the length and bytes
// of the rest):
//
//	magic "kbquick\x01"
//	terms:    count, then per term: string, number of incidents, byte
//	          length of its incident numbers
//	words:    count, then per word: string, index of its term in this
//	          chunk
//	keywords: count, then per system or cause: as a term
//	postings: per term, then per keyword, in order: its incidents'
//	          numbers as deltas (the first from -1), then one weight
//	          byte each
//
// A weight byte q stands for the sum over the fields holding the term of
// the field's boost times BM25's saturated term frequency (with the
// field lengths of the incident's shard), quantised on a log scale:
// w = exp(q/255·ln(1+WeightMax))−1; a keyword's weight is its boost.
// The browser multiplies it by the term's idf, from its number of
// incidents.

// quickMagic starts every chunk.
var quickMagic = []byte("kbquick\x01")

const (
	quickMetaName = "quick.json"
	// quickChunkBytes is the most encoded bytes a chunk collects before
	// it is cut at the next place a cut may go. On the generated corpus
	// of 10,000 incidents this makes 172 chunks of 24 KB gzip'd (the
	// median; 28 KB at the 90th percentile, 56 KB for the chunk of the
	// commonest terms), 4.3 MB in all.
	quickChunkBytes = 32 << 10
	// quickPageDocs is how many incidents a page of what hits show
	// holds: about 5 KB gzip'd. The first hits of an answer fetch at
	// most one page each, at once.
	quickPageDocs = 128
	// quickK1 and quickB are BM25's parameters, as bleve's.
	quickK1 = 1.2
	quickB  = 0.75
)

// quickWeightMax is the largest weight: every text field saturated.
var quickWeightMax = func() float64 {
	var s float64
	for _, f := range textFields {
		s += f.boost
	}
	return s * (quickK1 + 1)
}()

// QuickIndex lists the files of the quick index in the manifest.
type QuickIndex struct {
	Meta   File   `json:"meta"`
	Chunks []File `json:"chunks"`
	Pages  []File `json:"pages"`
}

// quickMeta is quick.json.
type quickMeta struct {
	Format    int      `json:"format"`
	Docs      int      `json:"docs"`
	WeightMax float64  `json:"weight_max"`
	Stop      []string `json:"stop"`
	Page      int      `json:"page"`  // incidents per page
	First     []string `json:"first"` // first key of each chunk
}

// quickKeywordWeight is the weight of a system or cause: its boost, as
// BM25 weighs a one-word field of average length.
var quickKeywordWeight = keywordFields[0].boost

// quickBuilder collects the postings of the quick index shard by shard,
// as the shards are built, and writes the chunks once all are in.
type quickBuilder struct {
	docs    []*Document      // as instant.json lists them
	order   map[string]int32 // incident id → place in instant.json
	filters []analysis.TokenFilter
	// chunkBytes is quickChunkBytes but in tests.
	chunkBytes int

	keywords map[string][]uint32 // system or cause → incident<<8 | weight, in order

	mu    sync.Mutex
	post  map[string][]uint32 // term → incident<<8 | weight, any order
	words map[string]string   // lower-case word → its term, when not itself
}

func newQuickBuilder(docs []Document, en analysis.Analyzer) (*quickBuilder, error) {
	da, ok := en.(*analysis.DefaultAnalyzer)
	if !ok || len(da.CharFilters) > 0 {
		return nil, fmt.Errorf("quick index: analyzer %T is not a tokenizer followed by token filters", en)
	}
	if len(docs) >= 1<<24 {
		return nil, fmt.Errorf("quick index: %d documents, at most %d", len(docs), 1<<24-1)
	}
	sorted := make([]*Document, len(docs))
	for i := range docs {
		sorted[i] = &docs[i]
	}
	slices.SortFunc(sorted, instantCompare)
	order := make(map[string]int32, len(docs))
	keywords := map[string][]uint32{}
	kw := uint32(quickByte(quickKeywordWeight))
	for i, d := range sorted {
		order[d.ID] = int32(i)
		for _, v := range append(lowerAll(d.allSystems()), lowerAll(d.allCauses())...) {
			if ps := keywords[v]; v != "" && (len(ps) == 0 || ps[len(ps)-1]>>8 != uint32(i)) {
				keywords[v] = append(ps, uint32(i)<<8|kw)
			}
		}
	}
	return &quickBuilder{
		docs: sorted, order: order, filters: da.TokenFilters, chunkBytes: quickChunkBytes,
		keywords: keywords, post: map[string][]uint32{}, words: map[string]string{},
	}, nil
}

// instantCompare orders documents as instant.json lists them: newest
// first by the date shown, undated last, then by id.
func instantCompare(a, b *Document) int {
	da, db := a.shownDate(), b.shownDate()
	if (da == "") != (db == "") {
		return cmp.Compare(len(db), len(da))
	}
	if c := strings.Compare(db, da); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// add takes the postings of one shard: its documents, what bleve will
// index of them with the analysis of their text fields (preAnalyze), and
// the words the shard's texts hold. It is called from several shards'
// goroutines at once.
func (q *quickBuilder) add(docs []*Document, bd []bleveDoc, sb *storeBuilder) {
	pre := make([]map[string]preText, len(bd))
	for i := range bd {
		pre[i] = bd[i].pre
	}
	// BM25's field lengths are those of the shard: every shard holds
	// hundreds of incidents, whose average is close to the archive's,
	// and the postings are final as soon as the shard is done.
	avg := map[string]float64{}
	for _, p := range pre {
		for _, f := range textFields {
			avg[f.name] += float64(p[f.name].length)
		}
	}
	for k := range avg {
		avg[k] /= float64(max(len(pre), 1))
	}
	post := map[string][]uint32{}
	w := map[string]float64{}
	for i, d := range docs {
		clear(w)
		for _, f := range textFields {
			p, ok := pre[i][f.name]
			if !ok || p.length == 0 {
				continue
			}
			norm := quickK1 * (1 - quickB + quickB*float64(p.length)/max(avg[f.name], 1))
			for term, tf := range p.freqs {
				n := float64(tf.Frequency())
				w[term] += f.boost * float64(n*(quickK1+1)/(n+norm))
			}
		}
		doc := uint32(q.order[d.ID]) << 8
		for term, x := range w {
			post[term] = append(post[term], doc|uint32(quickByte(x)))
		}
	}
	words := map[string]string{}
	for i, word := range sb.wordStr {
		t := sb.storedTerm(int32(i))
		if t < 0 {
			continue
		}
		lower := strings.ToLower(word)
		if term := sb.termStr[t]; lower != term {
			words[lower] = term
		}
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for term, ps := range post {
		q.post[term] = append(q.post[term], ps...)
	}
	maps.Copy(q.words, words)
}

// quickByte quantises a weight on a log scale.
func quickByte(w float64) byte {
	x := math.Round(math.Log1p(w) / math.Log1p(quickWeightMax) * 255)
	return byte(min(max(x, 1), 255))
}

// files encodes the chunks, the pages and the meta file and hands each
// to write.
func (q *quickBuilder) files(write func(string, []byte) error) (*QuickIndex, error) {
	terms := slices.Sorted(maps.Keys(q.post))
	for _, t := range terms {
		slices.Sort(q.post[t]) // by incident: each incident once per term
	}
	chunks := q.chunks(terms)
	out := &QuickIndex{Chunks: make([]File, len(chunks))}
	meta := quickMeta{Format: Format, Docs: len(q.order), WeightMax: quickWeightMax, Stop: q.stopWords(), Page: quickPageDocs, First: make([]string, len(chunks))}
	put := func(name string, b []byte) (File, error) {
		gz, err := gzipLevel(lexiconLevel, b)
		if err != nil {
			return File{}, fmt.Errorf("quick index: %w", err)
		}
		if err := write(name, gz); err != nil {
			return File{}, err
		}
		return fileOf(name, gz), nil
	}
	for i, c := range chunks {
		meta.First[i] = c.first
		f, err := put(fmt.Sprintf("quick-%04d.gz", i), c.encode(q))
		if err != nil {
			return nil, err
		}
		out.Chunks[i] = f
	}
	for i := 0; i < len(q.docs); i += quickPageDocs {
		b, err := quickPage(q.docs[i:min(i+quickPageDocs, len(q.docs))])
		if err != nil {
			return nil, err
		}
		f, err := put(fmt.Sprintf("quick-docs-%04d.gz", i/quickPageDocs), b)
		if err != nil {
			return nil, err
		}
		out.Pages = append(out.Pages, f)
	}
	b, err := json.Marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("encode quick index: %w", err)
	}
	b = append(b, '\n')
	if err := write(quickMetaName, b); err != nil {
		return nil, err
	}
	out.Meta = fileOf(quickMetaName, b)
	return out, nil
}

// quickPage encodes what the hits of docs show, as instant.json has it.
func quickPage(docs []*Document) ([]byte, error) {
	rows := make([][]any, len(docs))
	for i, d := range docs {
		rows[i] = []any{d.ID, d.Title, d.shownDate(), d.Severity, d.Status, orEmpty(d.Systems), orEmpty(d.Causes)}
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return nil, fmt.Errorf("encode quick index: %w", err)
	}
	return b, nil
}

func orEmpty(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// quickChunk is the keys of one chunk: its terms, words and keywords.
type quickChunk struct {
	first                  string
	terms, words, keywords []string
}

// Kinds of key, in the order a term, a keyword and a word of the same
// spelling sort.
const (
	keyTerm = iota
	keyKeyword
	keyWord
)

// chunks cuts the sorted terms, the words and the keywords into chunks
// of about chunkBytes each. A chunk holds the keys from its first up to
// the next chunk's first. A cut never falls between a word and its term.
func (q *quickBuilder) chunks(terms []string) []quickChunk {
	type key struct {
		s    string
		kind int
		size int
	}
	keys := make([]key, 0, len(terms)+len(q.words)+len(q.keywords))
	for _, t := range terms {
		keys = append(keys, key{t, keyTerm, len(t) + 4 + 2*len(q.post[t])})
	}
	for k, ps := range q.keywords {
		keys = append(keys, key{k, keyKeyword, len(k) + 4 + 2*len(ps)})
	}
	for w := range q.words {
		keys = append(keys, key{w, keyWord, len(w) + 2})
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := strings.Compare(a.s, b.s); c != 0 {
			return c
		}
		return cmp.Compare(a.kind, b.kind)
	})
	// blocked[i] counts the word–term pairs a cut before key i would
	// separate.
	at := func(s string) int {
		i, _ := slices.BinarySearchFunc(keys, s, func(k key, s string) int { return strings.Compare(k.s, s) })
		return i
	}
	blocked := make([]int, len(keys)+1)
	for w, t := range q.words {
		lo, hi := at(w), at(t)
		if lo > hi {
			lo, hi = hi, lo
		}
		blocked[lo+1]++
		blocked[hi+1]--
	}
	var out []quickChunk
	var cur quickChunk
	size, open := 0, 0
	for i, k := range keys {
		open += blocked[i]
		if size >= q.chunkBytes && open == 0 && k.s != keys[i-1].s {
			out = append(out, cur)
			cur, size = quickChunk{first: k.s}, 0
		}
		switch k.kind {
		case keyTerm:
			cur.terms = append(cur.terms, k.s)
		case keyKeyword:
			cur.keywords = append(cur.keywords, k.s)
		default:
			cur.words = append(cur.words, k.s)
		}
		size += k.size
	}
	if len(cur.terms)+len(cur.words)+len(cur.keywords) > 0 {
		out = append(out, cur)
	}
	return out
}

func (c quickChunk) encode(q *quickBuilder) []byte {
	var b bytes.Buffer
	num := func(n int) { b.Write(binary.AppendUvarint(nil, uint64(n))) }
	prev := ""
	str := func(s string) {
		n := 0
		for n < len(s) && n < len(prev) && s[n] == prev[n] {
			n++
		}
		num(n)
		num(len(s) - n)
		b.WriteString(s[n:])
		prev = s
	}
	var postings [][]uint32
	table := func(keys []string, post map[string][]uint32) {
		prev = ""
		num(len(keys))
		for _, k := range keys {
			ps := post[k]
			n, last := 0, -1
			for _, p := range ps {
				doc := int(p >> 8)
				n += uvarintLen(uint64(doc - last))
				last = doc
			}
			str(k)
			num(len(ps))
			num(n)
			postings = append(postings, ps)
		}
	}
	b.Write(quickMagic)
	table(c.terms, q.post)
	index := make(map[string]int, len(c.terms))
	for i, t := range c.terms {
		index[t] = i
	}
	prev = ""
	num(len(c.words))
	for _, w := range c.words {
		str(w)
		num(index[q.words[w]])
	}
	table(c.keywords, q.keywords)
	for _, ps := range postings {
		last := -1
		for _, p := range ps {
			doc := int(p >> 8)
			num(doc - last)
			last = doc
		}
		for _, p := range ps {
			b.WriteByte(byte(p))
		}
	}
	return b.Bytes()
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// stopWords lists the words the analyzer drops, so that the browser
// ignores them in a query as bleve does.
func (q *quickBuilder) stopWords() []string {
	tm := analysis.NewTokenMap()
	if err := tm.LoadBytes(en.EnglishStopWords); err != nil {
		return nil
	}
	var out []string
	for w := range tm {
		ts := analysis.TokenStream{&analysis.Token{Term: []byte(w), Position: 1, End: len(w), Type: analysis.AlphaNumeric}}
		for _, f := range q.filters {
			ts = f.Filter(ts)
		}
		if len(ts) == 0 || len(ts[0].Term) == 0 {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return out
}
