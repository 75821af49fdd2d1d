package search

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// parityRequests cover every kind of query the language has.
var parityRequests = []Request{
	{Query: "postgres", Highlight: true, Facets: true},
	{Query: "postgress", Highlight: true},
	{Query: `"connection pool"`, Highlight: true},
	{Query: "connection pool", Highlight: true, Size: 20},
	{Query: "inciden", Highlight: true},
	{Query: "certif", Highlight: true},
	{Query: "root cause", Highlight: true, Facets: true},
	{Query: "vault system:vault", Highlight: true},
	{Query: "-postgres", Facets: true, Size: 30},
	{Query: "", Facets: true},
	{Query: "", Size: 50, From: 10},
	{Query: "year:2024 severity:sev2", Highlight: true},
	{Query: "failover -checkout", Highlight: true},
	{Query: "script", Highlight: true},
	{Query: "replica lag", Highlight: true, Facets: true},
	{Query: "latency database timeout", Highlight: true, Facets: true},
	{Query: "kubernetes deploy rollback", Highlight: true},
	{Query: `"root cause" certificate`, Highlight: true},
	{Query: "databse", Highlight: true, Size: 25},
	{Query: "trafic", Highlight: true},
	{Query: "dep", Highlight: true, Facets: true},
	{Query: "service", Size: 100, Facets: true},
	{Query: "cause:capacity", Filters: map[string][]string{"system": {"postgres", "kafka"}}, Facets: true},
	{Query: "the of and"},
	{Query: "no-such-word-anywhere"},
}

// TestParity checks that the WebAssembly module, run by the search
// worker under Node, returns exactly what the native Open and Search
// return (the path kb search takes) on the same index: same totals, the
// same hits in the same order with the same scores, fragments and
// facets. An upgrade of bleve or zapx that breaks the browser fails
// here.
//
// It builds the module with wasm.sh unless KB_SEARCH_WASM names a
// directory holding kbsearch.wasm and wasm_exec.js already.
func TestParity(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		missing(t, "node", "node not found; the WebAssembly parity test needs Node.js 18 or later")
	}
	if testing.Short() {
		t.Skip("builds the WebAssembly module; skipped in -short mode")
	}
	tmp := t.TempDir()
	wasmDir := os.Getenv("KB_SEARCH_WASM")
	if wasmDir == "" {
		wasmDir = filepath.Join(tmp, "wasm")
		cmd := exec.Command("sh", "wasm.sh", wasmDir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("wasm.sh: %v\n%s", err, out)
		}
	}
	site := filepath.Join(tmp, "search")
	copyFile(t, filepath.Join("..", "..", "assets", "search", "worker.js"), filepath.Join(site, "worker.js"))
	copyFile(t, filepath.Join(wasmDir, "kbsearch.wasm"), filepath.Join(site, "kbsearch.wasm.gz"))
	copyFile(t, filepath.Join(wasmDir, "wasm_exec.js"), filepath.Join(site, "wasm_exec.js"))

	docs := append(fixture(), synthetic(400)...)
	man, err := Build(filepath.Join(site, "index"), docs, Options{ShardDocs: 150, TempDir: tmp})
	if err != nil {
		t.Fatal(err)
	}
	if len(man.Shards) < 3 {
		t.Fatalf("want several shards to exercise the alias, got %d", len(man.Shards))
	}

	ix, err := Open(os.DirFS(filepath.Join(site, "index")))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()

	out := runWorker(t, node, site, parityRequests, "")
	var got struct {
		Status []struct {
			State string  `json:"state"`
			AtMS  float64 `json:"at_ms"`
		} `json:"status"`
		Results []struct {
			Result map[string]any `json:"result"`
			Error  string         `json:"error"`
			WallMS float64        `json:"wall_ms"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node output: %v\n%s", err, out)
	}
	if len(got.Results) != len(parityRequests) {
		t.Fatalf("node answered %d of %d requests", len(got.Results), len(parityRequests))
	}
	for i, req := range parityRequests {
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatalf("%q: %v", req.Query, err)
		}
		want := normalized(t, res)
		wasm := got.Results[i]
		if wasm.Error != "" {
			t.Errorf("%q: wasm: %s", req.Query, wasm.Error)
			continue
		}
		delete(wasm.Result, "took_ms")
		if !reflect.DeepEqual(want, wasm.Result) {
			w, _ := json.MarshalIndent(want, "", "  ")
			g, _ := json.MarshalIndent(wasm.Result, "", "  ")
			t.Errorf("%q: native and wasm differ\nnative: %s\nwasm:   %s", req.Query, w, g)
			continue
		}
		t.Logf("%-40q total %4d  native %6.2f ms  node %6.2f ms (wall)", req.Query, res.Total,
			float64(res.Took.Microseconds())/1000, wasm.WallMS)
	}
	for _, s := range got.Status {
		t.Logf("worker %-8s at %6.0f ms", s.State, s.AtMS)
	}

	// The instant tier answers first, then the module answers the
	// same search again.
	out = runWorker(t, node, site, []Request{{Query: "vau", Highlight: true}}, "instant")
	var inst struct {
		Messages []struct {
			ID     int     `json:"id"`
			Tier   string  `json:"tier"`
			Error  string  `json:"error"`
			Result *Result `json:"result"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(out, &inst); err != nil {
		t.Fatalf("node output: %v\n%s", err, out)
	}
	if len(inst.Messages) != 2 || inst.Messages[0].Tier != "instant" || inst.Messages[1].Tier != "full" {
		t.Fatalf("instant mode: got %s", out)
	}
	first, full := inst.Messages[0].Result, inst.Messages[1].Result
	i := slices.IndexFunc(first.Hits, func(h Hit) bool { return h.ID == "2023-09-18-vault-cert" })
	want := 0
	for _, d := range docs {
		text := strings.ToLower(strings.Join(append([]string{d.Title, d.ID}, append(d.Systems, d.Causes...)...), " "))
		if slices.ContainsFunc(strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }),
			func(w string) bool { return strings.HasPrefix(w, "vau") }) {
			want++
		}
	}
	if i < 0 || !first.Partial || first.Hits[i].Path != "incidents/2023-09-18-vault-cert/" || first.Total != want {
		t.Errorf("instant result: %s", toJSON(first))
	}
	for j := 1; j < len(first.Hits); j++ {
		if first.Hits[j-1].Score < first.Hits[j].Score {
			t.Errorf("instant hits not ranked: %s (%v) before %s (%v)", first.Hits[j-1].ID, first.Hits[j-1].Score, first.Hits[j].ID, first.Hits[j].Score)
		}
	}
	if full.Total == 0 || len(full.Hits[0].Fragments) == 0 {
		t.Errorf("full result after instant: %s", toJSON(full))
	}
}

// runWorker runs the search worker of site under Node with the given
// requests (see testdata/nodeworker.js) and returns its output.
func runWorker(t *testing.T, node, site string, reqs []Request, mode string) []byte {
	t.Helper()
	reqJSON, err := json.Marshal(reqs)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{filepath.Join("testdata", "nodeworker.js"), filepath.Join(site, "worker.js")}
	if mode != "" {
		args = append(args, mode)
	}
	cmd := exec.Command(node, args...)
	cmd.Stdin = bytes.NewReader(reqJSON)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.Bytes())
	}
	return out
}

// normalized returns the JSON form of a result as generic values,
// without the timing.
func normalized(t *testing.T, res *Result) map[string]any {
	t.Helper()
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "took_ms")
	return m
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// missing skips a test whose tool is absent, unless KB_REQUIRE (a comma
// list such as "node,chromium", set by CI) asks for that tool: in CI a
// skipped parity or browser test would hide a broken install.
func missing(t *testing.T, tool, msg string) {
	t.Helper()
	if strings.Contains(","+os.Getenv("KB_REQUIRE")+",", ","+tool+",") {
		t.Fatalf("%s, and KB_REQUIRE asks for it", msg)
	}
	t.Skip(msg)
}

// bleveIndex opens a loaded segment again as a bleve.Index: an
// in-memory scorch index whose segment plugin, asked to build a segment
// for one placeholder document, returns the shipped one instead. Tests
// compare what the package's own reader returns with what bleve's
// search returns on the same segment.
func bleveIndex(t testing.TB, im mapping.IndexMapping, seg *segIndex) bleve.Index {
	t.Helper()
	registerRefPlugin()
	dec, err := decodeSegment(seg.zap)
	if err != nil {
		t.Fatal(err)
	}
	pre := &prebuilt{seg: dec}
	idx, err := bleve.NewUsing("", im, scorch.Name, scorch.Name, map[string]any{
		"forceSegmentType":    refPluginType,
		"forceSegmentVersion": int(zap.Version),
		"segmentConfig":       map[string]any{prebuiltKey: pre},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if err := idx.Index(placeholderID, map[string]any{}); err != nil {
		t.Fatal(err)
	}
	if pre.seg != nil {
		t.Fatal("the index did not take the shipped segment")
	}
	idx.SetName(seg.name)
	return idx
}

const (
	refPluginType = "kb-zap-ref"
	// prebuiltKey is the segment config key that carries the shipped
	// segment to the plugin.
	prebuiltKey = "kb-prebuilt-segment"
	// placeholderID is the document indexed to make scorch call the
	// plugin.
	placeholderID = ".kb-placeholder"
)

// refPlugin hands a prebuilt segment to scorch in place of the
// placeholder document's.
type refPlugin struct{ plugin }

func (p *refPlugin) Type() string { return refPluginType }

func (p *refPlugin) NewUsing(results []index.Document, config map[string]any) (segment.Segment, uint64, error) {
	pre, ok := config[prebuiltKey].(*prebuilt)
	if !ok {
		return nil, 0, errors.New("no prebuilt segment in the config")
	}
	return pre.take(results)
}

var registerRefPlugin = sync.OnceFunc(func() {
	scorch.RegisterSegmentPlugin(&refPlugin{}, false)
})

// prebuilt hands one decoded segment to the first NewUsing call.
type prebuilt struct {
	mu  sync.Mutex
	seg segment.Segment
}

func (pre *prebuilt) take(results []index.Document) (segment.Segment, uint64, error) {
	pre.mu.Lock()
	defer pre.mu.Unlock()
	if pre.seg == nil {
		return nil, 0, errors.New("search index is read-only")
	}
	if len(results) != 1 || results[0].ID() != placeholderID {
		return nil, 0, errors.New("unexpected documents in place of the shipped segment")
	}
	seg := pre.seg
	pre.seg = nil
	return seg, 0, nil
}
