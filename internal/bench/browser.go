package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
)

// counter is a static file server that records what it sent and when, so
// the bench can tell how many bytes a page fetched before it showed a
// result (the page's own timeline cannot see its worker's fetches).
type counter struct {
	mu    sync.Mutex
	start time.Time // the first request of the current run
	sent  []sentFile
	files http.Handler
}

type sentFile struct {
	path  string
	bytes int64
	done  time.Duration // after start
}

func newCounter(dir string) *counter {
	return &counter{files: http.FileServer(http.Dir(dir))}
}

func (c *counter) reset() {
	c.mu.Lock()
	c.start, c.sent = time.Time{}, nil
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
	c.mu.Unlock()
	cw := &countingWriter{ResponseWriter: w}
	// Like GitHub Pages: no compression on the fly for what is already
	// compressed, and a short cache lifetime.
	w.Header().Set("Cache-Control", "max-age=600")
	c.files.ServeHTTP(cw, r)
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

// measureSearch runs cold and warm searches against the built site in
// dir with both kb's search page and Pagefind's UI.
func measureSearch(ctx context.Context, cfg Config, dir, coldWord string, warmWords []string) (kb, pf SearchTimes, err error) {
	if err := os.WriteFile(filepath.Join(dir, "pagefind-bench.html"), []byte(pagefindPage), 0o644); err != nil {
		return kb, pf, err
	}
	cnt := newCounter(dir)
	srv := httptest.NewServer(cnt)
	defer srv.Close()

	for run := 0; run < cfg.Runs; run++ {
		for _, tool := range []string{"kb", "pagefind"} {
			cnt.reset()
			bctx, stop := browser(ctx, cfg.Chromium, filepath.Join(cfg.Work, fmt.Sprintf("profile-%s-%d-%d", tool, run, time.Now().UnixNano())))
			rctx, cancel := context.WithTimeout(bctx, 90*time.Second)
			var t *SearchTimes
			var url, first string
			if tool == "kb" {
				t, url, first = &kb, srv.URL+"/search/?q="+coldWord, "kb-bleve-result"
			} else {
				t, url, first = &pf, srv.URL+"/pagefind-bench.html?q="+coldWord, "pf-first-result"
			}
			err := chromedp.Do(rctx, chromedp.Navigate(url),
				chromedp.Poll[chromedp.Void](`performance.getEntriesByName(`+jsString(first)+`).length > 0`, chromedp.WithPollingInterval(5*time.Millisecond)))
			if err == nil && tool == "kb" {
				var fr, bl time.Duration
				if fr, err = markTime(rctx, "kb-first-result"); err == nil {
					t.FirstResult = append(t.FirstResult, fr)
					t.BytesFirst = append(t.BytesFirst, cnt.bytesBefore(fr))
				}
				if bl, err = markTime(rctx, "kb-bleve-result"); err == nil {
					t.Bleve = append(t.Bleve, bl)
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
				if fr, err = markTime(rctx, first); err == nil {
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
