//go:build browser && unix

package search

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var browserDocs = flag.Int("browser.docs", 0, "synthetic incidents for TestBrowser, sharded as Build does by default (0: 400 in small shards)")

// TestBrowser runs the search worker in headless Chromium, served with
// the Content-Security-Policy kb pages use, and requires the same
// results as the native Search for the parity requests. Run with
//
//	go test -tags browser ./internal/search -run TestBrowser -v [-browser.docs 10000]
func TestBrowser(t *testing.T) {
	chrome := findChromium(t)
	tmp := t.TempDir()
	root, site := stageWorker(t, tmp)
	docs := append(fixture(), synthetic(400)...)
	opts := Options{ShardDocs: 150, TempDir: tmp}
	if *browserDocs > 0 {
		docs = append(fixture(), synthetic(*browserDocs)...)
		opts.ShardDocs = 0
	}
	if _, err := Build(filepath.Join(site, "index"), docs, opts); err != nil {
		t.Fatal(err)
	}
	reqJSON, _ := json.Marshal(parityRequests)
	os.WriteFile(filepath.Join(root, "index.html"), []byte(`<!doctype html><title>t</title><script src="test.js"></script>`), 0o644)
	os.WriteFile(filepath.Join(root, "test.js"), []byte(`
const requests = `+string(reqJSON)+`;
const out = {status: [], results: []};
const t0 = performance.now();
const w = new Worker('search/worker.js');
let next = 0, sentAt = 0;
function send() {
  if (next === requests.length) {
    fetch('/done', {method: 'POST', body: JSON.stringify(out)});
    return;
  }
  sentAt = performance.now();
  w.postMessage({type: 'search', id: next, request: requests[next]});
}
w.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'status') {
    out.status.push({state: m.state, at_ms: performance.now() - t0, error: m.error});
    if (m.state === 'error') fetch('/done', {method: 'POST', body: JSON.stringify(out)});
    if (m.state === 'complete') send();
    return;
  }
  if (m.id === next && m.tier !== 'instant') {
    out.results.push({result: m.result, error: m.error, wall_ms: performance.now() - sentAt});
    next++;
    send();
  }
};
`), 0o644)

	out := runChromium(t, chrome, root, filepath.Join(tmp, "profile"), 0)
	var got struct {
		Status []struct {
			State string  `json:"state"`
			AtMS  float64 `json:"at_ms"`
			Error string  `json:"error"`
		} `json:"status"`
		Results []struct {
			Result map[string]any `json:"result"`
			Error  string         `json:"error"`
			WallMS float64        `json:"wall_ms"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("browser output: %v\n%s", err, out)
	}
	var states []string
	for _, s := range got.Status {
		states = append(states, s.State+" "+time.Duration(s.AtMS*float64(time.Millisecond)).Round(time.Millisecond).String()+" "+s.Error)
	}
	t.Logf("worker: %s", strings.Join(states, ", "))
	if len(got.Results) != len(parityRequests) {
		t.Fatalf("browser answered %d of %d requests", len(got.Results), len(parityRequests))
	}
	ix, err := Open(os.DirFS(filepath.Join(site, "index")))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for i, req := range parityRequests {
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		want := normalized(t, res)
		g := got.Results[i]
		if g.Error != "" {
			t.Errorf("%q: browser: %s", req.Query, g.Error)
			continue
		}
		delete(g.Result, "took_ms")
		if !reflect.DeepEqual(want, g.Result) {
			t.Errorf("%q: native and browser differ", req.Query)
			continue
		}
		t.Logf("%-40q total %4d  native %6.2f ms  chromium %6.2f ms (wall)", req.Query, res.Total,
			float64(res.Took.Microseconds())/1000, g.WallMS)
	}
}

// stageWorker lays out a site under tmp/site with the search worker,
// the module and its glue in search/, and returns the site's root and
// its search folder, where the caller builds index/.
func stageWorker(t *testing.T, tmp string) (root, site string) {
	t.Helper()
	wasmDir := os.Getenv("KB_SEARCH_WASM")
	if wasmDir == "" {
		wasmDir = filepath.Join(tmp, "wasm")
		if out, err := exec.Command("sh", "wasm.sh", wasmDir).CombinedOutput(); err != nil {
			t.Fatalf("wasm.sh: %v\n%s", err, out)
		}
	}
	root = filepath.Join(tmp, "site")
	site = filepath.Join(root, "search")
	copyFile(t, filepath.Join("..", "..", "assets", "search", "worker.js"), filepath.Join(site, "worker.js"))
	copyFile(t, filepath.Join(wasmDir, "kbsearch.wasm"), filepath.Join(site, "kbsearch.wasm.gz"))
	copyFile(t, filepath.Join(wasmDir, "wasm_exec.js"), filepath.Join(site, "wasm_exec.js"))
	return root, site
}

// TestBrowserMismatchedShard: a shard that is not the one the manifest
// names (a deploy caught half-way) stops the worker with an error that
// says to reload, and is not kept in the cache for offline use, while
// the files before it that were right are.
func TestBrowserMismatchedShard(t *testing.T) {
	chrome := findChromium(t)
	tmp := t.TempDir()
	root, site := stageWorker(t, tmp)
	index := filepath.Join(site, "index")
	man, err := Build(index, append(fixture(), synthetic(300)...), Options{ShardDocs: 100, TempDir: tmp})
	if err != nil {
		t.Fatal(err)
	}
	if len(man.Shards) < 2 {
		t.Fatalf("want several shards, got %d", len(man.Shards))
	}
	// The second shard becomes a copy of the first: a real gzip'd
	// segment, of another size and digest.
	bad := man.Shards[1].File.Name
	copyFile(t, filepath.Join(index, man.Shards[0].File.Name), filepath.Join(index, bad))
	os.WriteFile(filepath.Join(root, "index.html"), []byte(`<!doctype html><title>t</title><script src="test.js"></script>`), 0o644)
	os.WriteFile(filepath.Join(root, "test.js"), []byte(`
const w = new Worker('search/worker.js');
w.onmessage = async (e) => {
  const m = e.data;
  if (m.type !== 'status' || m.state !== 'error') return;
  const cached = [];
  for (const name of await caches.keys()) {
    for (const req of await (await caches.open(name)).keys()) cached.push(new URL(req.url).pathname);
  }
  fetch('/done', {method: 'POST', body: JSON.stringify({error: m.error, loaded: m.loaded, cached})});
};
`), 0o644)
	out := runChromium(t, chrome, root, filepath.Join(tmp, "profile"), 0)
	var got struct {
		Error  string   `json:"error"`
		Loaded []string `json:"loaded"`
		Cached []string `json:"cached"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("browser output: %v\n%s", err, out)
	}
	if !strings.Contains(got.Error, bad) || !strings.Contains(got.Error, "reload") {
		t.Errorf("error %q, want one naming %s and saying to reload", got.Error, bad)
	}
	if !slices.Equal(got.Loaded, []string{man.Shards[0].Name}) {
		t.Errorf("loaded %q, want only the first shard %q", got.Loaded, man.Shards[0].Name)
	}
	if slices.Contains(got.Cached, "/search/index/"+bad) {
		t.Errorf("the mismatched %s was cached: %q", bad, got.Cached)
	}
	if !slices.Contains(got.Cached, "/search/index/"+man.Shards[0].File.Name) {
		t.Errorf("the first shard was not cached: %q", got.Cached)
	}
}

func findChromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(t, "chromium", "no Chromium or Chrome found")
	return ""
}

// runChromium serves root with kb's Content-Security-Policy, opens
// index.html in headless Chromium with a fresh profile and returns what
// the page posts to /done. With mbps > 0, everything served shares a
// link of that many megabits per second.
func runChromium(t *testing.T, chrome, root, profile string, mbps float64) []byte {
	t.Helper()
	done := make(chan []byte, 1)
	files := http.FileServer(http.Dir(root))
	link := &link{bytesPerSec: mbps * 1e6 / 8}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/done" {
			b, _ := io.ReadAll(r.Body)
			done <- b
			return
		}
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'")
		if mbps > 0 {
			w = &slowWriter{ResponseWriter: w, link: link}
		}
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chrome, "--headless=new", "--no-sandbox", "--disable-gpu",
		"--user-data-dir="+profile, srv.URL+"/index.html")
	// Chromium's helper processes go down with it, in its own process
	// group, so that none still writes to the profile when the test
	// removes it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	}()
	select {
	case out := <-done:
		return out
	case <-ctx.Done():
		t.Fatal("no answer from the browser")
	}
	return nil
}

// link is a network link shared by all responses: each write waits for
// its turn to go through at the link's rate.
type link struct {
	mu          sync.Mutex
	bytesPerSec float64
	free        time.Time // when the link is next idle
}

func (l *link) send(n int) {
	l.mu.Lock()
	now := time.Now()
	if l.free.Before(now) {
		l.free = now
	}
	l.free = l.free.Add(time.Duration(float64(n) / l.bytesPerSec * float64(time.Second)))
	until := l.free
	l.mu.Unlock()
	time.Sleep(time.Until(until))
}

type slowWriter struct {
	http.ResponseWriter
	link *link
}

func (w *slowWriter) Write(b []byte) (int, error) {
	written := 0
	for len(b) > 0 {
		n := min(len(b), 16<<10)
		w.link.send(n)
		m, err := w.ResponseWriter.Write(b[:n])
		written += m
		if err != nil {
			return written, err
		}
		if f, ok := w.ResponseWriter.(http.Flusher); ok {
			f.Flush()
		}
		b = b[n:]
	}
	return written, nil
}

var (
	coldMbps  = flag.Float64("browser.mbps", 0, "TestBrowserCold: the megabits per second of the link to the server (0: unlimited)")
	coldRuns  = flag.Int("browser.runs", 3, "cold starts TestBrowserCold measures")
	coldFirst = flag.Int("browser.first", 0, "Options.FirstShardDocs for TestBrowserCold (0: the default)")
)

// TestBrowserCold measures, in headless Chromium with an empty cache,
// how long after the worker starts a search typed at once is answered
// by the instant tier and then fully (typo tolerance, facets and
// fragments), and when every shard is in; then, warm, how long each
// kind of query takes and how long each keystroke of a query typed
// into the box takes. The module is served gzip'd, as kb ships it; the
// server may share a link of limited speed among its responses. Run
// with
//
//	go test -tags browser ./internal/search -run TestBrowserCold -v -browser.docs 10000 [-browser.runs 5] [-browser.mbps 50]
func TestBrowserCold(t *testing.T) {
	if *browserDocs == 0 {
		t.Skip("pass -browser.docs N to measure")
	}
	chrome := findChromium(t)
	tmp := t.TempDir()
	wasmDir := os.Getenv("KB_SEARCH_WASM")
	if wasmDir == "" {
		wasmDir = filepath.Join(tmp, "wasm")
		if out, err := exec.Command("sh", "wasm.sh", wasmDir).CombinedOutput(); err != nil {
			t.Fatalf("wasm.sh: %v\n%s", err, out)
		}
	}
	root := filepath.Join(tmp, "site")
	site := filepath.Join(root, "search")
	copyFile(t, filepath.Join("..", "..", "assets", "search", "worker.js"), filepath.Join(site, "worker.js"))
	copyFile(t, filepath.Join(wasmDir, "wasm_exec.js"), filepath.Join(site, "wasm_exec.js"))
	wasm, err := os.ReadFile(filepath.Join(wasmDir, "kbsearch.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	gz, err := gzipBytes(wasm)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(site, "kbsearch.wasm.gz"), gz, 0o644)
	man, err := Build(filepath.Join(site, "index"), synthetic(*browserDocs), Options{TempDir: tmp, FirstShardDocs: *coldFirst})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, s := range append(man.Shards, *man.Lexicon) {
		total += s.Bytes
	}
	var first []string
	for _, s := range man.Shards[:min(3, len(man.Shards))] {
		first = append(first, fmt.Sprintf("%s %d docs %.2f MB", s.Name, s.Docs, mb(int(s.Bytes))))
	}
	t.Logf("%d incidents: %d shards, %.2f MB gzip (%s, …), lexicon %.2f MB, instant.json %.2f MB, module %.2f MB gzip",
		*browserDocs, len(man.Shards), mb(int(total)), strings.Join(first, ", "), mb(int(man.Lexicon.Bytes)), mb(int(man.Instant.Bytes)), mb(len(gz)))

	cold := Request{Query: "databse failover", Size: 50, Highlight: true, Facets: true}
	typed := "database failover"
	coldJSON, _ := json.Marshal(cold)
	warmJSON, _ := json.Marshal(measureRequests)
	os.WriteFile(filepath.Join(root, "index.html"), []byte(`<!doctype html><title>t</title><script src="test.js"></script>`), 0o644)
	os.WriteFile(filepath.Join(root, "test.js"), []byte(`
const cold = `+string(coldJSON)+`;
const warm = `+string(warmJSON)+`;
const typed = `+strconv.Quote(typed)+`;
const out = {status: [], cold: [], warm: [], typed: []};
const t0 = performance.now();
const w = new Worker('search/worker.js');
w.postMessage({type: 'search', id: 0, request: cold});
let queue = [], pending = null;
function done() { fetch('/done', {method: 'POST', body: JSON.stringify(out)}); }
function next() {
  if (queue.length === 0) { done(); return; }
  pending = queue.shift();
  pending.sent = performance.now();
  w.postMessage({type: 'search', id: pending.id, request: pending.request});
}
w.onmessage = (e) => {
  const m = e.data;
  const at = performance.now() - t0;
  if (m.type === 'status') {
    out.status.push({state: m.state, loaded: m.loaded.length, at_ms: at, error: m.error});
    if (m.state === 'error') done();
    if (m.state === 'complete') {
      let id = 1;
      for (let r = 0; r < 5; r++) {
        warm.forEach((req, i) => queue.push({id: id++, kind: 'warm', i, request: req}));
        for (let n = 1; n <= typed.length; n++) {
          queue.push({id: id++, kind: 'typed', i: n, request: {query: typed.slice(0, n), size: 8, highlight: true}});
        }
      }
      next();
    }
    return;
  }
  if (m.id === 0) {
    out.cold.push({tier: m.tier || 'error', at_ms: at, total: m.result ? m.result.total : -1,
      shards: m.result ? m.result.shards.length : 0, frags: m.result && m.result.hits.length ? (m.result.hits[0].fragments || []).length : 0});
    return;
  }
  if (pending && m.id === pending.id && m.tier !== 'instant') {
    out[pending.kind].push({i: pending.i, wall_ms: performance.now() - pending.sent, error: m.error});
    next();
  }
};
`), 0o644)

	type run struct {
		Status []struct {
			State  string  `json:"state"`
			Loaded int     `json:"loaded"`
			AtMS   float64 `json:"at_ms"`
			Error  string  `json:"error"`
		} `json:"status"`
		Cold []struct {
			Tier   string  `json:"tier"`
			AtMS   float64 `json:"at_ms"`
			Total  int     `json:"total"`
			Shards int     `json:"shards"`
			Frags  int     `json:"frags"`
		} `json:"cold"`
		Warm, Typed []struct {
			I      int     `json:"i"`
			WallMS float64 `json:"wall_ms"`
			Error  string  `json:"error"`
		}
	}
	var instantAt, fullAt, readyAt, completeAt, typedAll []float64
	warm := make([][]float64, len(measureRequests))
	for r := range *coldRuns {
		var got run
		out := runChromium(t, chrome, root, filepath.Join(tmp, fmt.Sprintf("profile-%d", r)), *coldMbps)
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("browser output: %v\n%s", err, out)
		}
		var line []string
		for _, s := range got.Status {
			if s.Error != "" {
				t.Fatalf("worker: %s", s.Error)
			}
			line = append(line, fmt.Sprintf("%s(%d) %.0f", s.State, s.Loaded, s.AtMS))
			switch s.State {
			case "ready":
				if s.Loaded == 1 {
					readyAt = append(readyAt, s.AtMS)
				}
			case "complete":
				completeAt = append(completeAt, s.AtMS)
				if s.Loaded == 1 {
					readyAt = append(readyAt, s.AtMS)
				}
			}
		}
		for _, c := range got.Cold {
			line = append(line, fmt.Sprintf("answer %s %.0f (total %d, %d shards, %d fragments)", c.Tier, c.AtMS, c.Total, c.Shards, c.Frags))
			switch c.Tier {
			case "instant":
				instantAt = append(instantAt, c.AtMS)
			case "full":
				if c.Frags == 0 {
					t.Errorf("full answer without fragments")
				}
				fullAt = append(fullAt, c.AtMS)
			default:
				t.Errorf("cold search failed")
			}
		}
		t.Logf("run %d (ms): %s", r, strings.Join(line, ", "))
		for _, w := range got.Warm {
			warm[w.I] = append(warm[w.I], w.WallMS)
		}
		for _, w := range got.Typed {
			typedAll = append(typedAll, w.WallMS)
		}
	}
	span := func(xs []float64) string {
		if len(xs) == 0 {
			return "-"
		}
		return fmt.Sprintf("median %4.0f ms (%.0f–%.0f)", median(xs), slices.Min(xs), slices.Max(xs))
	}
	t.Logf("cold, %d runs: instant answer %s; first shard in %s; full answer %s; all shards %s",
		*coldRuns, span(instantAt), span(readyAt), span(fullAt), span(completeAt))
	for i, req := range measureRequests {
		q := req.Query
		if req.Highlight {
			q += " +highlight"
		}
		if req.Facets {
			q += " +facets"
		}
		t.Logf("warm %-47q chromium median %6.2f ms (min %6.2f, max %6.2f)", q, median(warm[i]), minOr(warm[i]), slices.Max(warm[i]))
	}
	t.Logf("typing %q, size 8 +highlight, %d keystrokes: chromium median %.2f ms (min %.2f, max %.2f)",
		typed, len(typedAll), median(typedAll), minOr(typedAll), slices.Max(typedAll))
}
