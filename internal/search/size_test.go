package search

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	layouts = flag.Bool("layouts", false, "measure index size for each layout (slow)")
	measure = flag.String("measure", "", "comma-separated corpus sizes to measure Build, Search and the worker at, e.g. 1000,10000 (slow)")
)

// TestLayoutSizes measures what each choice of positions, stored text,
// unstemmed words and document granularity costs on 1,000 synthetic
// incidents of about 4 KB, and what the stored text beside the segment
// costs against the same text gzip'd as it is. Run with
//
//	go test ./internal/search -run TestLayoutSizes -layouts -v
func TestLayoutSizes(t *testing.T) {
	if !*layouts {
		t.Skip("pass -layouts to measure")
	}
	lean := layout{BM25: true}
	variants := []struct {
		name       string
		l          layout
		perSection bool
		lexicon    bool
	}{
		{"incident/lean+lexicon (shipped)", lean, false, true},
		{"incident/lean", lean, false, false},
		{"incident/lean+words", layout{Words: true, BM25: true}, false, false},
		{"incident/positions", layout{Positions: true, BM25: true}, false, false},
		{"incident/stored", layout{Stored: true, BM25: true}, false, false},
		{"incident/positions+stored", layout{Positions: true, Stored: true, BM25: true}, false, false},
		{"section/lean", lean, true, false},
		{"section/positions+stored", layout{Positions: true, Stored: true, BM25: true}, true, false},
	}
	docs := synthetic(1000)
	var text strings.Builder
	for _, d := range docs {
		text.WriteString(d.Title + "\n" + d.Summary + "\n")
		for _, s := range d.Sections {
			text.WriteString(s.Title + "\n" + s.Text + "\n")
		}
	}
	t.Logf("%d incidents, %.1f MB of text, gzip -9 %.2f MB", len(docs), mb(text.Len()), mb(gzipLen([]byte(text.String()))))
	ptrs := make([]*Document, len(docs))
	for i := range docs {
		ptrs[i] = &docs[i]
	}
	slices.SortFunc(ptrs, func(a, b *Document) int { return strings.Compare(a.ID, b.ID) })
	im, err := newMapping(lean)
	if err != nil {
		t.Fatal(err)
	}
	en, _ := analyzer(im, im.DefaultAnalyzer)
	sb, err := newStoreBuilder(en)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	st, err := sb.build(ptrs)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%-36s %5d docs  build %5.1fs  raw %6.2f MB  gzip %5.2f MB", "stored text beside the segment", len(docs), time.Since(start).Seconds(), mb(len(st)), mb(gzipLen(st)))
	for _, v := range variants {
		im, err := newMapping(v.l)
		if err != nil {
			t.Fatal(err)
		}
		var bd []bleveDoc
		for i := range docs {
			if v.perSection {
				bd = append(bd, perSectionDocs(&docs[i], v.l)...)
			} else {
				bd = append(bd, toBleve(&docs[i], v.l))
			}
		}
		if v.lexicon {
			plain, _ := analyzer(im, analyzerPlain)
			lex, err := lexiconDoc(plain, [][]string{sb.words()})
			if err != nil {
				t.Fatal(err)
			}
			bd = append(bd, lex)
		}
		start := time.Now()
		seg, err := buildSegment(t.TempDir(), im, bd, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-36s %5d docs  build %5.1fs  raw %6.2f MB  gzip %5.2f MB",
			v.name, len(bd), time.Since(start).Seconds(), mb(len(seg)), mb(gzipLen(seg)))
	}
}

// TestCorpusSize compares the index size per byte of text of the real
// postmortems in ../shared/corpus, when present, with that of the
// synthetic corpus, to tell how far the synthetic figures are from real
// text. Each file is indexed as one section of raw text. Run with
//
//	go test ./internal/search -run TestCorpusSize -layouts -v
func TestCorpusSize(t *testing.T) {
	if !*layouts {
		t.Skip("pass -layouts to measure")
	}
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	var real []Document
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".md") || strings.HasSuffix(path, ".rst")) || d.Name() == "README.md" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		real = append(real, Document{ID: fmt.Sprintf("doc-%03d", len(real)), Title: d.Name(),
			Sections: []Section{{Title: "Text", Text: string(b)}}})
		return nil
	})
	if len(real) == 0 {
		t.Skip("no corpus at " + root)
	}
	textOf := func(docs []Document) (n int) {
		for _, d := range docs {
			for _, s := range d.Sections {
				n += len(s.Text)
			}
		}
		return n
	}
	synth := synthetic(textOf(real) / 4000)
	for _, c := range []struct {
		name string
		docs []Document
	}{{"corpus", real}, {"synthetic", synth}} {
		files, man, err := BuildFiles(c.docs, Options{ShardDocs: -1})
		if err != nil {
			t.Fatal(err)
		}
		raw, gz := man.Shards[0].ZapBytes, len(files[man.Shards[0].File.Name])
		text := textOf(c.docs)
		t.Logf("%-9s %3d docs, text %.2f MB (gzip %.2f MB): zap raw %.2f MB (%.2f× text), gzip %.2f MB (%.2f× text)",
			c.name, len(c.docs), mb(text), mb(gzipLen([]byte(joinText(c.docs)))), mb(int(raw)), float64(raw)/float64(text), mb(gz), float64(gz)/float64(text))
	}
}

func joinText(docs []Document) string {
	var b strings.Builder
	for _, d := range docs {
		for _, s := range d.Sections {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// perSectionDocs splits an incident into one document per section,
// each carrying the incident's keyword fields, for comparison only.
func perSectionDocs(d *Document, l layout) []bleveDoc {
	whole := toBleve(d, l).fields.(*incidentFields)
	var out []bleveDoc
	for i, s := range d.Sections {
		f := *whole
		f.Heading = []string{s.Title}
		f.Body = []string{s.Text}
		if l.Words {
			f.Word = []string{d.Title, s.Title, s.Text}
		}
		if i > 0 {
			f.Summary = ""
		}
		out = append(out, bleveDoc{id: fmt.Sprintf("%s/%02d", d.ID, i), fields: &f})
	}
	return out
}

func mb(n int) float64 { return float64(n) / 1e6 }

func gzipLen(b []byte) int {
	gz, err := gzipBytes(b)
	if err != nil {
		panic(err)
	}
	return len(gz)
}

// measureRequests are the queries timed by TestMeasure, one of each kind.
var measureRequests = []Request{
	{Query: "database "},
	{Query: "connection timeout "},
	{Query: `"connection pool" `},
	{Query: "certif"},
	{Query: "certifcate "},
	{Query: "latency system:postgres "},
	{Query: "system:kafka year:2020", Facets: true},
	{Query: "replica failover rollback ", Highlight: true, Facets: true},
	{Query: "", Facets: true},
}

// TestMeasure builds synthetic corpora of the given sizes as kb ships
// them, reports sizes and build time, then times each kind of query
// natively and in the WebAssembly module under Node (when node is
// installed and the module is in KB_SEARCH_WASM or can be built). Run
// with
//
//	go test ./internal/search -run TestMeasure -measure 1000,10000 -v -timeout 30m
func TestMeasure(t *testing.T) {
	if *measure == "" {
		t.Skip("pass -measure 1000,10000 to measure")
	}
	tmp := t.TempDir()
	site := ""
	if node, err := exec.LookPath("node"); err == nil {
		wasmDir := os.Getenv("KB_SEARCH_WASM")
		if wasmDir == "" {
			wasmDir = filepath.Join(tmp, "wasm")
			if out, err := exec.Command("sh", "wasm.sh", wasmDir).CombinedOutput(); err != nil {
				t.Fatalf("wasm.sh: %v\n%s", err, out)
			}
		}
		site = filepath.Join(tmp, "search")
		copyFile(t, filepath.Join("..", "..", "assets", "search", "worker.js"), filepath.Join(site, "worker.js"))
		copyFile(t, filepath.Join(wasmDir, "kbsearch.wasm"), filepath.Join(site, "kbsearch.wasm.gz"))
		copyFile(t, filepath.Join(wasmDir, "wasm_exec.js"), filepath.Join(site, "wasm_exec.js"))
		wasm, _ := os.ReadFile(filepath.Join(site, "kbsearch.wasm.gz"))
		t.Logf("kbsearch.wasm: raw %.2f MB, gzip -9 %.2f MB (%s)", mb(len(wasm)), mb(gzipLen(wasm)), node)
	}
	for _, field := range strings.Split(*measure, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil {
			t.Fatal(err)
		}
		docs := synthetic(n)
		var text int
		for _, d := range docs {
			for _, s := range d.Sections {
				text += len(s.Text)
			}
		}
		for _, shardDocs := range []int{0, -1} {
			dir := filepath.Join(tmp, fmt.Sprintf("idx-%d-%d", n, shardDocs))
			start := time.Now()
			man, err := Build(dir, docs, Options{ShardDocs: shardDocs, TempDir: tmp})
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			var raw, gz int64
			var shards []string
			for _, s := range man.Shards {
				raw += s.ZapBytes
				gz += s.Bytes
				shards = append(shards, fmt.Sprintf("%s %.1f/%.1f", s.Name, mb(int(s.ZapBytes)), mb(int(s.Bytes))))
			}
			t.Logf("%d incidents (%.1f MB text), ShardDocs %d: build %.1fs (%.0f docs/s); zap raw %.2f MB, gzip %.2f MB; instant.json %.2f MB; shards (raw/gz MB): %s",
				n, mb(text), shardDocs, took.Seconds(), float64(n)/took.Seconds(), mb(int(raw)), mb(int(gz)),
				mb(int(man.Instant.Bytes)), strings.Join(shards, ", "))
			if shardDocs != 0 {
				continue
			}
			measureQueries(t, dir, site, n)
		}
	}
}

func measureQueries(t *testing.T, dir, site string, n int) {
	ix, err := Open(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	const reps = 5
	native := make([][]float64, len(measureRequests))
	for range reps {
		for i, req := range measureRequests {
			res, err := ix.Search(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			native[i] = append(native[i], float64(res.Took.Microseconds())/1000)
		}
	}
	wasm := make([][]float64, len(measureRequests))
	if site != "" {
		idx := filepath.Join(site, "index")
		os.RemoveAll(idx)
		if err := os.CopyFS(idx, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		var reqs []Request
		for range reps {
			reqs = append(reqs, measureRequests...)
		}
		node, _ := exec.LookPath("node")
		out := runWorker(t, node, site, reqs, "")
		var got struct {
			Status []struct {
				State  string   `json:"state"`
				Loaded []string `json:"loaded"`
				AtMS   float64  `json:"at_ms"`
			} `json:"status"`
			Results []struct {
				Result struct {
					TookMS float64 `json:"took_ms"`
				} `json:"result"`
				WallMS float64 `json:"wall_ms"`
			} `json:"results"`
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		var st []string
		for _, s := range got.Status {
			st = append(st, fmt.Sprintf("%s(%d) %.0fms", s.State, len(s.Loaded), s.AtMS))
		}
		t.Logf("%d incidents: worker under Node: %s", n, strings.Join(st, ", "))
		for i, r := range got.Results {
			wasm[i%len(measureRequests)] = append(wasm[i%len(measureRequests)], r.WallMS)
		}
	}
	for i, req := range measureRequests {
		q := req.Query
		if req.Highlight {
			q += " +highlight"
		}
		if req.Facets {
			q += " +facets"
		}
		t.Logf("%d incidents: %-45q native median %6.2f ms (min %6.2f)   node median %7.2f ms (min %7.2f)",
			n, q, median(native[i]), slices.Min(native[i]), median(wasm[i]), minOr(wasm[i]))
	}
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func minOr(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	return slices.Min(xs)
}
