//go:build browser

package search

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
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
	var chrome string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		t.Skip("no Chromium or Chrome found")
	}
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
	copyFile(t, filepath.Join(wasmDir, "kbsearch.wasm"), filepath.Join(site, "kbsearch.wasm.gz"))
	copyFile(t, filepath.Join(wasmDir, "wasm_exec.js"), filepath.Join(site, "wasm_exec.js"))
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

	done := make(chan []byte, 1)
	files := http.FileServer(http.Dir(root))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/done" {
			b, _ := io.ReadAll(r.Body)
			done <- b
			return
		}
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'")
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chrome, "--headless=new", "--no-sandbox", "--disable-gpu",
		"--user-data-dir="+filepath.Join(tmp, "profile"), srv.URL+"/index.html")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	var out []byte
	select {
	case out = <-done:
	case <-ctx.Done():
		t.Fatal("no answer from the browser")
	}
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
