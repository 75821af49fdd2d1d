package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// counter is a static file server that records what it sent and when, so
// the bench can tell how many bytes a page fetched before it showed a
// result (the page's own timeline cannot see its worker's fetches).
type counter struct {
	mu    sync.Mutex
	start time.Time // the first request of the current run
	sent  []sentFile
	dir   string
	files http.Handler
	gz    map[string][]byte // compressed text files, by path
	slow  *link             // the link responses go through; nil for none
}

// link emulates a slow connection at the server, as DevTools' network
// throttling does in the browser: every response waits latency before
// its first byte, and all responses share one downstream of rate bytes
// a second, in slices that take turns. (DevTools' throttling, set on
// the page, does not reach the requests of the page's worker: measured,
// the 5 MB search module arrived in 40 ms.)
type link struct {
	latency time.Duration
	rate    float64 // bytes per second

	mu   sync.Mutex
	free time.Time // when the link has sent everything queued so far
}

// slice is how many bytes go out in one turn on the link.
const slice = 8 << 10

// send waits for n bytes' turn on the link.
func (l *link) send(n int) {
	l.mu.Lock()
	now := time.Now()
	if l.free.Before(now) {
		l.free = now
	}
	l.free = l.free.Add(time.Duration(float64(n) / l.rate * float64(time.Second)))
	at := l.free
	l.mu.Unlock()
	time.Sleep(time.Until(at))
}

// pacedWriter sends what is written to it over the link, a slice at a
// time, flushing each so that it leaves when its turn comes.
type pacedWriter struct {
	http.ResponseWriter
	link *link
	rc   *http.ResponseController
}

func (w *pacedWriter) Write(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		k := min(len(b), slice)
		w.link.send(k)
		m, err := w.ResponseWriter.Write(b[:k])
		n += m
		if err != nil {
			return n, err
		}
		w.rc.Flush()
		b = b[k:]
	}
	return n, nil
}

type sentFile struct {
	path  string
	bytes int64
	done  time.Duration // after start
}

func newCounter(dir string) *counter {
	return &counter{dir: dir, files: http.FileServer(http.Dir(dir)), gz: map[string][]byte{}}
}

// compressible are the kinds of files that static hosts such as GitHub
// Pages compress as they send them; everything else (images, and the
// files kb and Pagefind compress themselves) goes as it is.
var compressible = map[string]bool{".html": true, ".css": true, ".js": true, ".json": true, ".svg": true, ".xml": true, ".txt": true}

// gzipped returns the file at the URL path p compressed, or nil when it
// is not a text file to compress.
func (c *counter) gzipped(p string) []byte {
	if strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	p = path.Clean("/" + p)
	if !compressible[path.Ext(p)] {
		return nil
	}
	c.mu.Lock()
	b, ok := c.gz[p]
	c.mu.Unlock()
	if ok {
		return b
	}
	raw, err := os.ReadFile(filepath.Join(c.dir, filepath.FromSlash(p)))
	if err == nil {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		zw.Write(raw)
		zw.Close()
		b = buf.Bytes()
	}
	c.mu.Lock()
	c.gz[p] = b
	c.mu.Unlock()
	return b
}

// reset starts a run: over the given link, or none.
func (c *counter) reset(slow *link) {
	c.mu.Lock()
	c.start, c.sent, c.slow = time.Time{}, nil, slow
	c.mu.Unlock()
}

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n += int64(n)
	return n, err
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	if c.start.IsZero() {
		c.start = time.Now()
	}
	start := c.start
	slow := c.slow
	c.mu.Unlock()
	if slow != nil {
		time.Sleep(slow.latency)
		w = &pacedWriter{ResponseWriter: w, link: slow, rc: http.NewResponseController(w)}
	}
	cw := &countingWriter{ResponseWriter: w}
	// Like GitHub Pages: text compressed on the fly, no compression for
	// what is already compressed, and a short cache lifetime.
	w.Header().Set("Cache-Control", "max-age=600")
	w.Header().Set("Vary", "Accept-Encoding")
	gz := c.gzipped(r.URL.Path)
	if gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") && !strings.HasSuffix(r.URL.Path, "/index.html") {
		ext := path.Ext(r.URL.Path)
		if strings.HasSuffix(r.URL.Path, "/") {
			ext = ".html"
		}
		w.Header().Set("Content-Type", mime.TypeByExtension(ext))
		w.Header().Set("Content-Encoding", "gzip")
		cw.Write(gz)
	} else {
		c.files.ServeHTTP(cw, r)
	}
	c.mu.Lock()
	c.sent = append(c.sent, sentFile{path: r.URL.Path, bytes: cw.n, done: time.Since(start)})
	c.mu.Unlock()
}

// bytesBefore sums the bytes of responses finished by d after the first
// request (with a little slack for the clocks of two processes).
func (c *counter) bytesBefore(d time.Duration) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	for _, s := range c.sent {
		if s.done <= d+20*time.Millisecond {
			n += s.bytes
		}
	}
	return n
}

func (c *counter) total(prefix string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	for _, s := range c.sent {
		if strings.HasPrefix(s.path, prefix) {
			n += s.bytes
		}
	}
	return n
}

// SearchTimes is what the browser measured for one site and one tool.
type SearchTimes struct {
	// FirstResult is from navigation to the first result on screen;
	// Bleve (kb only) to bleve's first answer (from the shards loaded so
	// far); Complete (kb only) to the answer over every shard.
	FirstResult, Bleve, Complete []time.Duration
	// BytesFirst is what the page fetched before its first result.
	BytesFirst []int64
	// SlowFirst, SlowBleve and SlowBytes are FirstResult, Bleve and
	// BytesFirst of a cold visit over a slow link (see slowDownload).
	SlowFirst, SlowBleve []time.Duration
	SlowBytes            []int64
	// Warm are the times of queries typed into the box of a loaded page.
	Warm []time.Duration
	// AssetBytes is what the cold runs fetched of the search's own files.
	AssetBytes int64
}

func medianD(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration{}, ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func medianN(ns []int64) int64 {
	if len(ns) == 0 {
		return 0
	}
	s := append([]int64{}, ns...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// browser launches a fresh headless Chromium: a cold cache and no service
// worker, as for a first visit.
func browser(ctx context.Context, chrome, profile string) (context.Context, context.CancelFunc) {
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chrome),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	)
	bctx, cancelB := chromedp.NewContext(alloc)
	// Each run starts cold, from a profile of its own, which goes when
	// the browser has.
	return bctx, func() { cancelB(); cancelAlloc(); os.RemoveAll(profile) }
}

func markTime(ctx context.Context, name string) (time.Duration, error) {
	ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => { const e = performance.getEntriesByName(`+jsString(name)+`); return e.length ? e[0].startTime : -1; })()`))
	if err != nil {
		return 0, err
	}
	if ms < 0 {
		return 0, fmt.Errorf("no mark %s", name)
	}
	return time.Duration(ms * float64(time.Millisecond)), nil
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}

// pagefindPage is a search page for Pagefind's default UI: the query comes
// from the URL, as on kb's search page, and a mark records the first
// result on screen. The debounce is off so typing is measured, not the
// UI's wait.
const pagefindPage = `<!doctype html><meta charset="utf-8"><title>Pagefind</title>
<link href="pagefind/pagefind-ui.css" rel="stylesheet"><script src="pagefind/pagefind-ui.js"></script>
<div id="search"></div>
<script>
new MutationObserver(() => {
  if (document.querySelector('.pagefind-ui__result-link') && !performance.getEntriesByName('pf-first-result').length) performance.mark('pf-first-result');
}).observe(document.documentElement, {childList: true, subtree: true});
window.ui = new PagefindUI({element: '#search', showSubResults: true, debounceTimeoutMs: 0});
const q = new URLSearchParams(location.search).get('q');
if (q) window.ui.triggerSearch(q);
</script>
`

// firstHit marks bench-first-hit when the first result is on screen: an
// item in kb's list of results (from any of its tiers), a result link in
// Pagefind's. It runs in the page before the page's own scripts.
const firstHit = `new MutationObserver((_, mo) => {
  if (document.querySelector('#kb_search_results li, .pagefind-ui__result-link')) {
    performance.mark('bench-first-hit');
    mo.disconnect();
  }
}).observe(document, {childList: true, subtree: true});`

// onNewDocument runs script in every document the target loads, before
// the document's own scripts.
func onNewDocument(script string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
		return err
	})
}

// The slow link of the throttled cold visit: what a reader on a modest
// connection gets, where the size of what search downloads first shows.
const (
	slowLatency  = 40 * time.Millisecond
	slowDownload = 10_000_000 / 8 // bytes per second: 10 Mbit/s
)

// coldSlow visits url in a fresh browser, with its cache off, over the
// slow link of the server behind cnt, and returns the time to the first
// result on screen, to bleve's first answer (kb only), and the bytes
// sent before the first result.
func coldSlow(ctx context.Context, cfg Config, cnt *counter, tool, url string) (first, bleve time.Duration, n int64, err error) {
	bctx, stop := browser(ctx, cfg.Chromium, filepath.Join(cfg.Work, fmt.Sprintf("profile-slow-%s-%d", tool, time.Now().UnixNano())))
	defer stop()
	rctx, cancel := context.WithTimeout(bctx, 180*time.Second)
	defer cancel()
	cnt.reset(&link{latency: slowLatency, rate: slowDownload})
	defer cnt.reset(nil)
	noCache := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
		return err
	})
	err = chromedp.Do(rctx, noCache, onNewDocument(firstHit), chromedp.Navigate(url),
		chromedp.Poll[chromedp.Void](`performance.getEntriesByName('bench-first-hit').length > 0`, chromedp.WithPollingInterval(5*time.Millisecond)))
	if err == nil {
		first, err = markTime(rctx, "bench-first-hit")
	}
	if err == nil && tool == "kb" {
		err = chromedp.Do(rctx, chromedp.Poll[chromedp.Void](`performance.getEntriesByName('kb-bleve-result').length > 0`, chromedp.WithPollingInterval(10*time.Millisecond)))
		if err == nil {
			bleve, err = markTime(rctx, "kb-bleve-result")
		}
	}
	if err != nil {
		return 0, 0, 0, fmt.Errorf("%s over a slow link: %w", tool, err)
	}
	return first, bleve, cnt.bytesBefore(first), nil
}

// measureSearch runs cold and warm searches against the built site in
// dir with both kb's search page and Pagefind's UI: a cold visit on
// localhost, one over a slow link, and queries typed into a loaded page.
func measureSearch(ctx context.Context, cfg Config, dir, coldWord string, warmWords []string) (kb, pf SearchTimes, err error) {
	if err := os.WriteFile(filepath.Join(dir, "pagefind-bench.html"), []byte(pagefindPage), 0o644); err != nil {
		return kb, pf, err
	}
	cnt := newCounter(dir)
	srv := httptest.NewServer(cnt)
	defer srv.Close()

	for run := 0; run < cfg.Runs; run++ {
		for _, tool := range []string{"kb", "pagefind"} {
			cnt.reset(nil)
			bctx, stop := browser(ctx, cfg.Chromium, filepath.Join(cfg.Work, fmt.Sprintf("profile-%s-%d-%d", tool, run, time.Now().UnixNano())))
			rctx, cancel := context.WithTimeout(bctx, 90*time.Second)
			var t *SearchTimes
			var url string
			if tool == "kb" {
				t, url = &kb, srv.URL+"/search/?q="+coldWord
			} else {
				t, url = &pf, srv.URL+"/pagefind-bench.html?q="+coldWord
			}
			err := chromedp.Do(rctx, onNewDocument(firstHit), chromedp.Navigate(url),
				chromedp.Poll[chromedp.Void](`performance.getEntriesByName('bench-first-hit').length > 0`, chromedp.WithPollingInterval(5*time.Millisecond)))
			if err == nil && tool == "kb" {
				var fr, bl time.Duration
				if fr, err = markTime(rctx, "bench-first-hit"); err == nil {
					t.FirstResult = append(t.FirstResult, fr)
					t.BytesFirst = append(t.BytesFirst, cnt.bytesBefore(fr))
					err = chromedp.Do(rctx, chromedp.Poll[chromedp.Void](`performance.getEntriesByName('kb-bleve-result').length > 0`, chromedp.WithPollingInterval(5*time.Millisecond)))
				}
				if err == nil {
					if bl, err = markTime(rctx, "kb-bleve-result"); err == nil {
						t.Bleve = append(t.Bleve, bl)
					}
				}
				if err == nil {
					err = chromedp.Do(rctx, chromedp.Poll[chromedp.Void](`performance.getEntriesByName('kb-complete-result').length > 0`, chromedp.WithPollingInterval(10*time.Millisecond)))
				}
				if err == nil {
					var c time.Duration
					if c, err = markTime(rctx, "kb-complete-result"); err == nil {
						t.Complete = append(t.Complete, c)
					}
				}
				t.AssetBytes = max(t.AssetBytes, cnt.total("/search/"))
			} else if err == nil {
				var fr time.Duration
				if fr, err = markTime(rctx, "bench-first-hit"); err == nil {
					t.FirstResult = append(t.FirstResult, fr)
					t.BytesFirst = append(t.BytesFirst, cnt.bytesBefore(fr))
				}
			}
			if err == nil && run == 0 {
				// Warm: queries typed into the box of the loaded page.
				t.Warm, err = warm(rctx, tool, warmWords)
				if tool == "pagefind" {
					t.AssetBytes = cnt.total("/pagefind/")
				}
			}
			cancel()
			stop()
			if err != nil {
				return kb, pf, fmt.Errorf("%s in Chromium: %w", tool, err)
			}

			first, bleve, n, err := coldSlow(ctx, cfg, cnt, tool, url)
			if err != nil {
				return kb, pf, err
			}
			t.SlowFirst = append(t.SlowFirst, first)
			t.SlowBytes = append(t.SlowBytes, n)
			if tool == "kb" {
				t.SlowBleve = append(t.SlowBleve, bleve)
			}
		}
	}
	return kb, pf, nil
}

// warm types each word into the search box of a loaded page and times the
// wait for its results to be on the page.
func warm(ctx context.Context, tool string, words []string) ([]time.Duration, error) {
	var script string
	if tool == "kb" {
		if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`document.documentElement.dataset.search === 'complete'`)); err != nil {
			return nil, err
		}
		script = `(word) => new Promise((resolve) => {
			const box = document.getElementById('kb_search_q');
			const res = document.getElementById('kb_search_results');
			const t0 = performance.now();
			const done = () => res.dataset.query === word && res.dataset.tier === 'full';
			const mo = new MutationObserver(() => { if (done()) { mo.disconnect(); resolve(performance.now() - t0); } });
			mo.observe(res, {attributes: true, childList: true});
			box.value = word;
			box.dispatchEvent(new Event('input'));
		})`
	} else {
		script = `(word) => new Promise((resolve) => {
			const box = document.querySelector('.pagefind-ui__search-input');
			const root = document.getElementById('search');
			const t0 = performance.now();
			const done = () => { const m = document.querySelector('.pagefind-ui__message'); return m && m.textContent.includes(word) && (document.querySelector('.pagefind-ui__result-link') || /^0 /.test(m.textContent)); };
			const mo = new MutationObserver(() => { if (done()) { mo.disconnect(); resolve(performance.now() - t0); } });
			mo.observe(root, {attributes: true, childList: true, subtree: true, characterData: true});
			box.value = word;
			box.dispatchEvent(new Event('input', {bubbles: true}));
		})`
	}
	var out []time.Duration
	for _, w := range words {
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(`+script+`)(`+jsString(w)+`)`, chromedp.EvalAwaitPromise))
		if err != nil {
			return nil, fmt.Errorf("warm query %q: %w", w, err)
		}
		out = append(out, time.Duration(ms*float64(time.Millisecond)))
	}
	return out, nil
}
