package search

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/klauspost/compress/gzip"
)

// quickChunkRead is a chunk of the quick index read back, as the worker
// reads it.
type quickChunkRead struct {
	terms, keywords []string
	docs            map[string][]int  // term, or "keyword:" and a keyword → places in instant.json
	w               map[string][]byte // the same → weight bytes
	words           map[string]string // word → term
}

func readQuickChunk(gz []byte) (quickChunkRead, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return quickChunkRead{}, err
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return quickChunkRead{}, err
	}
	if !bytes.HasPrefix(data, quickMagic) {
		return quickChunkRead{}, fmt.Errorf("no magic")
	}
	p := len(quickMagic)
	var bad error
	num := func() int {
		v, n := binary.Uvarint(data[p:])
		if n <= 0 {
			bad = fmt.Errorf("bad number at %d", p)
			return 0
		}
		p += n
		return int(v)
	}
	prev := ""
	str := func() string {
		shared, n := num(), num()
		if bad != nil || shared > len(prev) || p+n > len(data) {
			bad = fmt.Errorf("bad string at %d", p)
			return ""
		}
		s := prev[:shared] + string(data[p:p+n])
		p += n
		prev = s
		return s
	}
	c := quickChunkRead{docs: map[string][]int{}, w: map[string][]byte{}, words: map[string]string{}}
	var counts, dlen []int
	table := func() []string {
		prev = ""
		var names []string
		n := num()
		for i := 0; i < n && bad == nil; i++ {
			names = append(names, str())
			counts, dlen = append(counts, num()), append(dlen, num())
		}
		return names
	}
	c.terms = table()
	nt := len(c.terms)
	prev = ""
	nw := num()
	for i := 0; i < nw && bad == nil; i++ {
		w := str()
		t := num()
		if t >= nt {
			return c, fmt.Errorf("word %q: term %d of %d", w, t, nt)
		}
		c.words[w] = c.terms[t]
	}
	c.keywords = table()
	keys := slices.Clone(c.terms)
	for _, k := range c.keywords {
		keys = append(keys, "keyword:"+k)
	}
	for i, t := range keys {
		if bad != nil {
			break
		}
		end := p + dlen[i]
		doc := -1
		for j := 0; j < counts[i]; j++ {
			doc += num()
			c.docs[t] = append(c.docs[t], doc)
		}
		if p != end {
			return c, fmt.Errorf("term %q: deltas end at %d, not %d", t, p, end)
		}
		c.w[t] = data[p : p+counts[i]]
		p += counts[i]
	}
	if bad == nil && p != len(data) {
		bad = fmt.Errorf("%d bytes left over", len(data)-p)
	}
	return c, bad
}

// quickRef is what the quick index should hold, found the slow way: each
// text analyzed on its own with the index's analyzer.
type quickRef struct {
	docs     map[string]map[string]bool // term → ids of the incidents holding it
	keywords map[string][]string        // system or cause → ids, newest first
	words    map[string]string          // lower-case word → its term
	notBody  map[string]bool            // terms of titles, summaries and headings
	termOf   func(word string) string
}

func newQuickRef(t *testing.T, docs []Document) quickRef {
	t.Helper()
	im, err := newMapping(defaultLayout)
	if err != nil {
		t.Fatal(err)
	}
	da, ok := im.AnalyzerNamed(im.DefaultAnalyzer).(*analysis.DefaultAnalyzer)
	if !ok {
		t.Fatal("analyzer is not a tokenizer and filters")
	}
	termOf := func(word string) string {
		ts := analysis.TokenStream{&analysis.Token{Term: []byte(word), Position: 1, End: len(word), Type: analysis.AlphaNumeric}}
		for _, f := range da.TokenFilters {
			ts = f.Filter(ts)
		}
		if len(ts) != 1 {
			return ""
		}
		return string(ts[0].Term)
	}
	ref := quickRef{docs: map[string]map[string]bool{}, keywords: map[string][]string{}, words: map[string]string{}, notBody: map[string]bool{}, termOf: termOf}
	newest := make([]*Document, len(docs))
	for i := range docs {
		newest[i] = &docs[i]
	}
	slices.SortFunc(newest, instantCompare)
	for _, d := range newest {
		for _, v := range append(d.allSystems(), d.allCauses()...) {
			v = strings.ToLower(v)
			if ids := ref.keywords[v]; len(ids) == 0 || ids[len(ids)-1] != d.ID {
				ref.keywords[v] = append(ids, d.ID)
			}
		}
	}
	for _, d := range docs {
		texts := []string{d.Title, d.Summary}
		for _, s := range d.Sections {
			texts = append(texts, s.Title)
		}
		heads := len(texts)
		for _, s := range d.Sections {
			texts = append(texts, s.Text)
		}
		for i, text := range texts {
			for _, tok := range da.Tokenizer.Tokenize([]byte(text)) {
				term := termOf(string(tok.Term))
				if term == "" {
					continue
				}
				if ref.docs[term] == nil {
					ref.docs[term] = map[string]bool{}
				}
				ref.docs[term][d.ID] = true
				if lower := strings.ToLower(string(tok.Term)); lower != term {
					ref.words[lower] = term
				}
				if i < heads {
					ref.notBody[term] = true
				}
			}
		}
	}
	return ref
}

// readQuick reads back every chunk of a built quick index.
func readQuick(t *testing.T, files map[string][]byte, man *Manifest) (quickMeta, []quickChunkRead) {
	t.Helper()
	if man.Quick == nil {
		t.Fatal("no quick index in the manifest")
	}
	var meta quickMeta
	if err := json.Unmarshal(files[man.Quick.Meta.Name], &meta); err != nil {
		t.Fatal(err)
	}
	if fileOf(quickMetaName, files[quickMetaName]) != man.Quick.Meta {
		t.Errorf("manifest lists %+v for quick.json", man.Quick.Meta)
	}
	if len(meta.First) != len(man.Quick.Chunks) {
		t.Fatalf("quick.json names %d chunks, the manifest %d", len(meta.First), len(man.Quick.Chunks))
	}
	var chunks []quickChunkRead
	for i, f := range man.Quick.Chunks {
		if fileOf(f.Name, files[f.Name]) != f {
			t.Errorf("manifest lists %+v for %s", f, f.Name)
		}
		c, err := readQuickChunk(files[f.Name])
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		chunks = append(chunks, c)
		_ = i
	}
	return meta, chunks
}

// TestQuickIndex checks the quick index against the documents: every
// term with exactly the incidents that hold it, numbered as instant.json
// lists them; every word with its term; every key in the one chunk the
// meta file sends a lookup to, and each word beside its term.
func TestQuickIndex(t *testing.T) {
	docs := append(fixture(), synthetic(300)...)
	files, man, err := BuildFiles(docs, Options{ShardDocs: 100, TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(man.Shards) < 3 {
		t.Fatalf("want several shards, got %d", len(man.Shards))
	}
	meta, chunks := readQuick(t, files, man)
	if len(chunks) < 2 {
		t.Fatalf("want several chunks, got %d", len(chunks))
	}
	if meta.Docs != len(docs) || meta.Page != quickPageDocs || meta.WeightMax != quickWeightMax || !slices.Contains(meta.Stop, "the") || slices.Contains(meta.Stop, "vault") {
		t.Errorf("quick.json: docs %d, weight_max %v, stop %v", meta.Docs, meta.WeightMax, meta.Stop)
	}
	if meta.First[0] != "" || !slices.IsSorted(meta.First) {
		t.Errorf("chunk keys not sorted from \"\": %q", meta.First)
	}
	var inst instantFile
	if err := json.Unmarshal(files[instantName], &inst); err != nil {
		t.Fatal(err)
	}
	ref := newQuickRef(t, docs)
	chunkOf := func(key string) int {
		i, found := slices.BinarySearch(meta.First, key)
		if !found {
			i--
		}
		return i
	}
	seen := map[string]bool{}
	for i, c := range chunks {
		if !slices.IsSorted(c.terms) {
			t.Errorf("chunk %d: terms not sorted", i)
		}
		for _, term := range c.terms {
			if chunkOf(term) != i {
				t.Errorf("term %q is in chunk %d, a lookup goes to %d", term, i, chunkOf(term))
			}
			seen[term] = true
			docs := c.docs[term]
			if !slices.IsSorted(docs) || len(slices.Compact(slices.Clone(docs))) != len(docs) {
				t.Errorf("term %q: incidents not in order: %v", term, docs)
			}
			var ids []string
			for _, d := range docs {
				ids = append(ids, inst.Docs[d].ID)
			}
			if want := slices.Sorted(maps.Keys(ref.docs[term])); !slices.Equal(slices.Sorted(slices.Values(ids)), want) {
				t.Errorf("term %q: incidents %v, want %v", term, ids, want)
			}
			for _, w := range c.w[term] {
				if w == 0 {
					t.Errorf("term %q: zero weight", term)
				}
			}
		}
		for w, term := range c.words {
			if chunkOf(w) != i || !slices.Contains(c.terms, term) {
				t.Errorf("word %q (term %q) is in chunk %d, a lookup goes to %d", w, term, i, chunkOf(w))
			}
			if ref.words[w] != term {
				t.Errorf("word %q: term %q, want %q", w, term, ref.words[w])
			}
		}
		if !slices.IsSorted(c.keywords) {
			t.Errorf("chunk %d: keywords not sorted", i)
		}
		for _, k := range c.keywords {
			if chunkOf(k) != i {
				t.Errorf("keyword %q is in chunk %d, a lookup goes to %d", k, i, chunkOf(k))
			}
			var ids []string
			for _, d := range c.docs["keyword:"+k] {
				ids = append(ids, inst.Docs[d].ID)
			}
			if want := ref.keywords[k]; !slices.Equal(ids, want) {
				t.Errorf("keyword %q: incidents %v, want %v", k, ids, want)
			}
			delete(ref.keywords, k)
		}
	}
	if len(ref.keywords) > 0 {
		t.Errorf("keywords missing from the quick index: %v", slices.Sorted(maps.Keys(ref.keywords)))
	}
	// The pages show every incident as instant.json does.
	var rows [][]any
	for i, f := range man.Quick.Pages {
		if fileOf(f.Name, files[f.Name]) != f || f.Name != fmt.Sprintf("quick-docs-%04d.gz", i) {
			t.Errorf("manifest lists %+v", f)
		}
		zr, err := gzip.NewReader(bytes.NewReader(files[f.Name]))
		if err != nil {
			t.Fatal(err)
		}
		var page [][]any
		if err := json.NewDecoder(zr).Decode(&page); err != nil {
			t.Fatal(err)
		}
		if len(page) != meta.Page && i < len(man.Quick.Pages)-1 {
			t.Errorf("page %d holds %d incidents", i, len(page))
		}
		rows = append(rows, page...)
	}
	if len(rows) != len(inst.Docs) {
		t.Fatalf("pages hold %d incidents, instant.json %d", len(rows), len(inst.Docs))
	}
	for i, d := range inst.Docs {
		want := fmt.Sprint([]any{d.ID, d.Title, d.Date, d.Severity, d.Status, d.Systems, d.Causes})
		if got := fmt.Sprint(rows[i]); got != want {
			t.Errorf("page row %d: %s, want %s", i, got, want)
		}
	}
	if len(seen) != len(ref.docs) {
		t.Errorf("%d terms in the quick index, %d in the documents", len(seen), len(ref.docs))
	}
	nwords := 0
	for _, c := range chunks {
		nwords += len(c.words)
	}
	if nwords != len(ref.words) {
		t.Errorf("%d words in the quick index, %d in the documents", nwords, len(ref.words))
	}
	// A title weighs more than a body: "vacuum" is in the title and the
	// body of one incident, in another incident's body alone.
	weight := func(term, id string) byte {
		c := chunks[chunkOf(term)]
		for j, d := range c.docs[term] {
			if inst.Docs[d].ID == id {
				return c.w[term][j]
			}
		}
		return 0
	}
	if a, b := weight("vacuum", "2024-11-02-postgres-disk"), weight("failov", "2023-04-05-db-failover"); a == 0 || b == 0 {
		t.Errorf("weights %d, %d", a, b)
	}
	if a, b := weight("rebal", "2024-01-22-kafka-lag"), weight("kafka", "2024-01-22-kafka-lag"); a == 0 || a >= b {
		t.Errorf("body-only word weighs %d, a title word %d", a, b)
	}
}

// TestQuickDeterministic builds the quick index from the same documents
// in another order and with other shards: the same bytes.
func TestQuickDeterministic(t *testing.T) {
	docs := append(fixture(), synthetic(120)...)
	a, man, err := BuildFiles(docs, Options{ShardDocs: 50, TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(docs)
	b, _, err := BuildFiles(docs, Options{ShardDocs: 50, Workers: 1, TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{quickMetaName}
	for _, f := range man.Quick.Chunks {
		names = append(names, f.Name)
	}
	for _, name := range names {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between builds", name)
		}
	}
}

// TestQuickCuts cuts a small index at every place a cut may go and none
// other: a word never in another chunk than its term.
func TestQuickCuts(t *testing.T) {
	q := &quickBuilder{
		chunkBytes: 1,
		post: map[string][]uint32{
			"fail": {1 << 8}, "failov": {2 << 8}, "happi": {3 << 8}, "run": {4 << 8}, "zone": {5 << 8},
		},
		words: map[string]string{
			"failed": "fail", "failing": "fail", "failover": "failov", "happy": "happi", "running": "run", "runs": "run",
		},
	}
	chunks := q.chunks(slices.Sorted(maps.Keys(q.post)))
	var got [][]string
	for _, c := range chunks {
		got = append(got, append(slices.Clone(c.terms), c.words...))
	}
	want := [][]string{{"fail", "failed", "failing"}, {"failov", "failover"}, {"happi", "happy"}, {"run", "running", "runs"}, {"zone"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("chunks %q, want %q", got, want)
	}
	if len(chunks) == len(want) && (chunks[0].first != "" || chunks[1].first != "failov" || chunks[4].first != "zone") {
		t.Errorf("first keys %q %q %q", chunks[0].first, chunks[1].first, chunks[4].first)
	}
}

// nonsense returns n words no incident has.
func nonsense(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "qqz%02d ", i)
	}
	return b.String()
}

func TestQuickByte(t *testing.T) {
	prev := byte(0)
	for _, w := range []float64{1e-9, 0.1, 0.5, 1, 2, 5, 10, quickWeightMax} {
		b := quickByte(w)
		if b <= prev && !(b == 1 && prev == 1) {
			t.Errorf("weight %v: byte %d after %d", w, b, prev)
		}
		prev = b
	}
	if quickByte(quickWeightMax) != 255 || quickByte(100) != 255 || quickByte(0) != 1 {
		t.Errorf("ends: %d %d %d", quickByte(quickWeightMax), quickByte(100), quickByte(0))
	}
}

// TestQuickWorker runs the search worker under Node with a module that
// never arrives, so that its quick tier answers every search, from an
// index built here: a word only bodies hold, a word found through its
// term, a word no incident has, filters and exclusions.
func TestQuickWorker(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		missing(t, "node", "node not found; the quick tier's test needs Node.js 18 or later")
	}
	tmp := t.TempDir()
	site := filepath.Join(tmp, "search")
	copyFile(t, filepath.Join("..", "..", "assets", "search", "worker.js"), filepath.Join(site, "worker.js"))
	copyFile(t, filepath.Join("..", "..", "assets", "search", "wasm_exec.js"), filepath.Join(site, "wasm_exec.js"))
	docs := append(fixture(), synthetic(200)...)
	if _, err := Build(filepath.Join(site, "index"), docs, Options{ShardDocs: 80, TempDir: tmp}); err != nil {
		t.Fatal(err)
	}
	ref := newQuickRef(t, docs)
	byID := map[string]*Document{}
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	has := func(id, word string) bool {
		if ref.docs[ref.termOf(word)][id] {
			return true
		}
		d := byID[id]
		return slices.ContainsFunc(append(slices.Clone(d.Systems), d.Causes...), func(v string) bool { return strings.EqualFold(v, word) })
	}
	// want lists the incidents a query of these words, each of them
	// required, and this test finds.
	want := func(test func(d *Document) bool, words ...string) []string {
		var ids []string
		for _, d := range docs {
			if test != nil && !test(&d) {
				continue
			}
			if !slices.ContainsFunc(words, func(w string) bool { return !has(d.ID, w) }) {
				ids = append(ids, d.ID)
			}
		}
		return ids
	}
	if term := ref.termOf("rebalance"); !ref.docs[term]["2024-01-22-kafka-lag"] || ref.notBody[term] {
		t.Fatalf("the fixture should hold %q in a body only", "rebalance")
	}
	if term := ref.termOf("certificates"); term == "certificates" || ref.words["certificates"] != term {
		t.Fatalf("%q should be a word with a term of its own", "certificates")
	}
	sev2 := func(d *Document) bool { return strings.EqualFold(d.Severity, "sev2") }
	notVault := func(d *Document) bool { return !has(d.ID, "vault") }
	cases := []struct {
		query   string
		want    []string // every incident found, in any order
		first   string   // among the hits
		missing []string
		relaxed bool
	}{
		{query: "rebalance ", want: want(nil, "rebalance"), first: "2024-01-22-kafka-lag"},
		{query: "Certificates ", want: want(nil, "certificates"), first: "2023-09-18-vault-cert"},
		{query: "rebalance Zzqqxx", want: want(nil, "rebalance"), first: "2024-01-22-kafka-lag", missing: []string{"Zzqqxx"}, relaxed: true},
		{query: "certificates severity:sev2 ", want: want(sev2, "certificates"), first: "2023-09-18-vault-cert"},
		{query: "certificates -vault ", want: want(notVault, "certificates")},
		{query: "decommis", first: "undated-legacy-outage"},
		{query: "Rebalance rebalance REBALANCE ", want: want(nil, "rebalance"), first: "2024-01-22-kafka-lag"},
		{query: strings.Repeat("zzq ", 3) + nonsense(40), want: []string{}, missing: append([]string{"zzq"}, strings.Fields(nonsense(31))...)},
	}
	var reqs []Request
	for _, c := range cases {
		reqs = append(reqs, Request{Query: c.query, Size: 100})
	}
	// Seven words, four of them in no incident: a pasted line, ranked by
	// how many of its words each incident holds.
	reqs = append(reqs, Request{Query: "failover pool connection zqxa zqxb zqxc zqxd", Size: 100})
	out := runWorker(t, node, site, reqs, "quick")
	var got struct {
		Results []struct {
			Tier   string `json:"tier"`
			Error  string `json:"error"`
			Result struct {
				Total   int      `json:"total"`
				Hits    []Hit    `json:"hits"`
				Missing []string `json:"missing"`
				Relaxed bool     `json:"relaxed"`
				Partial bool     `json:"partial"`
			} `json:"result"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node output: %v\n%s", err, out)
	}
	if len(got.Results) != len(reqs) {
		t.Fatalf("node answered %d of %d requests: %s", len(got.Results), len(reqs), out)
	}
	for i, c := range cases {
		r := got.Results[i]
		res := r.Result
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
			if d := byID[h.ID]; h.Path != "incidents/"+h.ID+"/" || h.Title != d.Title || h.Date != d.shownDate() || h.Severity != d.Severity {
				t.Errorf("%q: hit %+v", c.query, h)
			}
		}
		switch {
		case r.Tier != "instant" || r.Error != "" || !res.Partial:
			t.Errorf("%q: tier %q, error %q, partial %v", c.query, r.Tier, r.Error, res.Partial)
		case c.want != nil && (res.Total != len(c.want) || len(ids) != min(len(c.want), 100) || slices.ContainsFunc(ids, func(id string) bool { return !slices.Contains(c.want, id) })):
			t.Errorf("%q: %d found, hits %v\nwant %d: %v", c.query, res.Total, ids, len(c.want), c.want)
		case c.first != "" && !slices.Contains(ids, c.first):
			t.Errorf("%q: %s not among the hits %v", c.query, c.first, ids)
		case !slices.Equal(res.Missing, c.missing) || res.Relaxed != c.relaxed:
			t.Errorf("%q: missing %q, relaxed %v; want %q, %v", c.query, res.Missing, res.Relaxed, c.missing, c.relaxed)
		}
	}
	// Incidents with more of the words come first.
	res := got.Results[len(cases)].Result
	words := []string{"failover", "pool", "connection"}
	prev := len(words)
	for _, h := range res.Hits {
		n := 0
		for _, w := range words[:2] {
			if has(h.ID, w) {
				n++
			}
		}
		if has(h.ID, "connections") || has(h.ID, "connection") {
			n++
		}
		if n > prev || n == 0 {
			t.Errorf("%q: %s holds %d of the words, after one with %d", reqs[len(cases)].Query, h.ID, n, prev)
		}
		prev = n
	}
	if len(res.Hits) == 0 || !res.Relaxed {
		t.Errorf("%q: %d hits, relaxed %v", reqs[len(cases)].Query, len(res.Hits), res.Relaxed)
	}
}
