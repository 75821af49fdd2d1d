//go:build browser

package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowser builds the example knowledge base under the base path /kb/,
// serves it from a local server and drives it in headless Chromium: the
// search box and page, fuzzy and phrase queries, facets, links to
// sections, offline use after a first visit, and no console error or
// Content Security Policy violation anywhere. Run by make test when
// Chromium is installed:
//
//	go test -tags browser -run Browser ./cmd/kb
//
// KB_SEARCH_WASM=DIR tests the search module that internal/search/wasm.sh
// wrote into DIR instead of the shipped one.
func TestBrowser(t *testing.T) {
	chrome := chromiumPath(t)

	tmp := t.TempDir()
	out := filepath.Join(tmp, "site")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "--source", "../..", "--dest", out, "--base-url", "/kb/"}, &stdout, &stderr); code != 0 {
		t.Fatalf("kb build: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	useSearchModule(t, out)

	// The server can be switched off: connections are then cut, as when
	// the network or the host is down.
	var offline atomic.Bool
	files := http.StripPrefix("/kb/", http.FileServer(http.Dir(out)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if offline.Load() {
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
			http.Error(w, "offline", http.StatusServiceUnavailable)
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/kb/") {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()
	base := srv.URL + "/kb/"

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(filepath.Join(tmp, "profile")),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	)
	defer cancelAlloc()

	// Every console error, uncaught exception and CSP violation fails
	// the test at the end.
	var mu sync.Mutex
	var problems []string
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				problems = append(problems, "console "+string(ev.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			desc := d.Text
			if d.Exception != nil {
				desc += " " + d.Exception.Description
			}
			problems = append(problems, "exception: "+desc)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || strings.Contains(ev.Entry.Text, "Content Security Policy") {
				if offline.Load() && ev.Entry.Source == log.EntrySourceNetwork {
					return // requests failing while the server is off are the point
				}
				problems = append(problems, "log "+string(ev.Entry.Source)+": "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		}
	}
	bctx, cancelBrowser := chromedp.NewContext(alloc, chromedp.WithListener(listen))
	defer cancelBrowser()
	if _, err := chromedp.Call(bctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}

	// state describes the page, for failure messages.
	state := func() string {
		sctx, cancel := context.WithTimeout(bctx, 5*time.Second)
		defer cancel()
		v, _ := chromedp.Run(sctx, chromedp.Evaluate[string](`JSON.stringify({url: location.href, search: document.documentElement.dataset.search || null,
			status: (document.getElementById('kb_status') || {}).textContent, summary: (document.getElementById('kb_search_summary') || {}).textContent,
			results: document.querySelectorAll('#kb_results li, #kb_search_results li').length})`))
		return v
	}
	do := func(t *testing.T, name string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, 45*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			t.Fatalf("%s: %v; page: %s", name, err, state())
		}
	}
	str := func(t *testing.T, a chromedp.Action[string]) string {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		v, err := chromedp.Run(sctx, a)
		if err != nil {
			t.Fatalf("%v; page: %s", err, state())
		}
		return v
	}
	js := func(t *testing.T, expr string) string {
		t.Helper()
		return str(t, chromedp.Evaluate[string](expr))
	}
	wait := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond))
	}
	// searchDone waits for the search page to show bleve's full answer.
	searchDone := wait(`(() => {
		const s = document.getElementById('kb_search_summary');
		return !!s && /^\d+ incidents?$/.test(s.textContent) && document.documentElement.dataset.search === 'complete';
	})()`)
	first := func(t *testing.T) string {
		return js(t, `(() => { const a = document.querySelector('#kb_search_results li a'); return a ? a.getAttribute('href') : ''; })()`)
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	t.Run("home", func(t *testing.T) {
		do(t, "home", chromedp.Navigate(base), chromedp.WaitVisible(css(`table.incidents`)))
		if title := str(t, chromedp.Title()); title != "Example Corp postmortems" {
			t.Errorf("title = %q", title)
		}
	})

	t.Run("archive: every incident dated, a log and its entries", func(t *testing.T) {
		do(t, "home", chromedp.Navigate(base), chromedp.WaitVisible(css(`table.incidents`)))
		if n := js(t, `String(document.querySelectorAll('table.incidents td.date .none').length)`); n != "0" {
			t.Errorf("%s undated incidents on the home page", n)
		}
		do(t, "log", chromedp.Navigate(base+"incidents/ops-log/"), chromedp.WaitVisible(css(`article.log table.incidents`)))
		if n := js(t, `String(document.querySelectorAll('article.log table.incidents tbody tr').length)`); n != "6" {
			t.Errorf("the log page lists %s entries, want 6", n)
		}
		do(t, "entry", chromedp.Click(css(`article.log table.incidents tbody tr a`)), chromedp.WaitVisible(css(`article.incident h1`)))
		if back := js(t, `(() => { const a = document.querySelectorAll('.crumbs a')[1]; return a ? a.getAttribute('href') : ''; })()`); !strings.HasSuffix(back, "incidents/ops-log/") {
			t.Errorf("an entry's crumbs lead back to %q, want the log", back)
		}
		do(t, "search an entry", chromedp.Navigate(base+"search/?q=maintenance+page+storefront"), searchDone)
		if href := first(t); !strings.Contains(href, "incidents/ops-log/") {
			t.Errorf("first result %q, want an entry of the log", href)
		}
	})

	t.Run("timeline and actions pages", func(t *testing.T) {
		do(t, "timeline", chromedp.Navigate(base+"timeline/"), chromedp.WaitVisible(css(`svg.chart.months`)))
		if n := js(t, `String(document.querySelectorAll('section.year ol.axis li').length)`); n == "0" {
			t.Errorf("no incidents on the timeline")
		}
		// Every chart says its numbers in a table too.
		if n := js(t, `String([...document.querySelectorAll('figure.chart')].filter(f => !f.querySelector('details table tbody tr')).length)`); n != "0" {
			t.Errorf("%s charts without a table of their numbers", n)
		}
		// With the script, a filter hides what does not match in place;
		// without it, the filter is a page of its own.
		total := js(t, `String(document.querySelectorAll('section.year ol.axis li').length)`)
		do(t, "filter in place", chromedp.Click(css(`nav.filters a[href*="timeline/severity/sev1/"]`)), chromedp.WaitVisible(css(`.filter-note a`)))
		shown := js(t, `String(document.querySelectorAll('section.year ol.axis li:not([hidden])').length)`)
		if shown == total || shown == "0" {
			t.Errorf("filtering by SEV1 shows %s of %s incidents", shown, total)
		}
		if bad := js(t, `String(document.querySelectorAll('section.year ol.axis li:not([hidden]):not([data-sev="sev1"])').length)`); bad != "0" {
			t.Errorf("%s incidents of another severity still shown", bad)
		}
		do(t, "filter page", chromedp.Navigate(base+"timeline/severity/sev1/"), chromedp.WaitVisible(css(`h1`)))
		if h := js(t, `document.querySelector('h1').textContent`); h != "Timeline: SEV1" {
			t.Errorf("the SEV1 page is titled %q", h)
		}
		do(t, "actions", chromedp.Navigate(base+"actions/"), chromedp.WaitVisible(css(`table.actions`)))
		if n := js(t, `String(document.querySelectorAll('table.actions tbody tr').length)`); n == "0" {
			t.Errorf("no open action items")
		}
		do(t, "events", chromedp.Navigate(base+"incidents/2024-01-11-postgres-max-connections/"), chromedp.WaitVisible(css(`ol.events`)))
		if first := js(t, `document.querySelector('ol.events .offset').textContent`); first != "T+0:00" {
			t.Errorf("first event offset %q, want T+0:00", first)
		}
	})

	t.Run("slash focuses the search box", func(t *testing.T) {
		do(t, "slash", chromedp.Navigate(base+"incidents/2021-06-22-tls-certificate-expired/"), chromedp.WaitVisible(css(`#kb_q`)),
			chromedp.KeyEvent("/"))
		if active := js(t, `document.activeElement.id`); active != "kb_q" {
			t.Errorf("after /, the focus is on %q", active)
		}
	})

	t.Run("search box: type, arrow, enter", func(t *testing.T) {
		do(t, "box", chromedp.Navigate(base), chromedp.WaitVisible(css(`#kb_q`)),
			chromedp.Click(css(`#kb_q`)), chromedp.SendKeys(css(`#kb_q`), "ORM leaked connections"),
			// Wait for bleve's answer to the whole query, not the instant
			// one or an answer to the first letters.
			wait(`(() => { const p = document.getElementById('kb_popup'); return p.dataset.tier === 'full' && p.dataset.query === 'ORM leaked connections' && document.querySelectorAll('#kb_results [role=option]').length > 0; })()`),
			chromedp.KeyEvent(kb.ArrowDown))
		if sel := js(t, `document.getElementById('kb_q').getAttribute('aria-activedescendant') || 'none'`); sel != "kb_hit_0" {
			t.Errorf("after ArrowDown the active option is %s; page %s; focus %s", sel, state(), js(t, `document.activeElement.id`))
		}
		do(t, "enter", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(css(`article.incident`)))
		if loc := str(t, chromedp.Location()); !strings.Contains(loc, "2024-01-11-postgres-max-connections") {
			t.Errorf("Enter on the first result opened %s", loc)
		}
	})

	t.Run("query: expected incident first", func(t *testing.T) {
		do(t, "query", chromedp.Navigate(base+"search/?q=ORM+leaked+connections"), searchDone)
		if f := first(t); !strings.Contains(f, "2024-01-11-postgres-max-connections") {
			t.Errorf("first result %q", f)
		}
	})

	t.Run("fuzzy", func(t *testing.T) {
		do(t, "fuzzy", chromedp.Navigate(base+"search/?q=postgress+replica"), searchDone)
		if f := first(t); !strings.Contains(f, "2023-02-14-postgres-replica-lag") {
			t.Errorf("postgress replica: first result %q", f)
		}
	})

	t.Run("phrase", func(t *testing.T) {
		do(t, "phrase", chromedp.Navigate(base+`search/?q="cached+container+layers"`), searchDone)
		if f := first(t); !strings.Contains(f, "2022-08-30-ci-runner-disk-full") {
			t.Errorf("phrase: first result %q", f)
		}
		do(t, "phrase out of order", chromedp.Navigate(base+`search/?q="layers+container+cached"`), searchDone)
		if summary := str(t, chromedp.Text(css(`#kb_search_summary`))); summary != "0 incidents" {
			t.Errorf("words out of order matched as a phrase: %q", summary)
		}
	})

	t.Run("facet narrows and counts", func(t *testing.T) {
		facet := `#kb_facets a[href*="system=pgbouncer"]`
		do(t, "facet", chromedp.Navigate(base+"search/?q=postgres"), searchDone, chromedp.WaitVisible(css(facet)))
		label := str(t, chromedp.Text(css(facet+` .facet-label`)))
		count := str(t, chromedp.Text(css(facet+` .facet-count`)))
		do(t, "choose", chromedp.Click(css(facet)), wait(`location.search.includes('system=pgbouncer')`), searchDone)
		summary := str(t, chromedp.Text(css(`#kb_search_summary`)))
		want := count + " incident"
		if count != "1" {
			want += "s"
		}
		if label != "pgbouncer" || summary != want {
			t.Errorf("facet %q said %s; after choosing it: %q", label, count, summary)
		}
		if n := js(t, `String(document.querySelectorAll('#kb_search_results > li').length)`); n != count {
			t.Errorf("facet count %s, %s results shown", count, n)
		}
	})

	t.Run("result links to its section", func(t *testing.T) {
		do(t, "section", chromedp.Navigate(base+"search/?q=TXT+records+permission"), searchDone)
		href := js(t, `document.querySelector('#kb_search_results li a.hit-section').getAttribute('href')`)
		do(t, "follow", chromedp.Click(css(`#kb_search_results li a.hit-section`)), chromedp.WaitVisible(css(`article.incident`)))
		hash := js(t, `location.hash`)
		inView := js(t, `(() => { const e = document.getElementById(location.hash.slice(1)); if (!e) return 'missing'; const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight ? 'yes' : 'no'; })()`)
		if !strings.Contains(href, "2021-06-22-tls-certificate-expired/#root-cause") || hash != "#root-cause" || inView != "yes" {
			t.Errorf("section link %q landed on %q (heading in view: %s)", href, hash, inView)
		}
	})

	t.Run("offline after a first visit", func(t *testing.T) {
		// The first visit: the service worker takes charge and search
		// loads (and caches) the index.
		do(t, "first visit", chromedp.Navigate(base+"search/?q=vault"), searchDone,
			wait(`navigator.serviceWorker.controller !== null`))
		offline.Store(true)
		defer offline.Store(false)
		do(t, "offline search", chromedp.Navigate(base+"search/?q=sealed+kms"), searchDone)
		if f := first(t); !strings.Contains(f, "2022-04-18-vault-sealed-after-upgrade") {
			t.Errorf("offline: first result %q", f)
		}
		do(t, "offline page", chromedp.Navigate(base+"incidents/2021-06-22-tls-certificate-expired/"), chromedp.WaitVisible(css(`article.incident h1`)))
		if h1 := str(t, chromedp.Text(css(`article.incident h1`))); h1 != "Wildcard TLS certificate expired on the public API" {
			t.Errorf("offline page h1 = %q", h1)
		}
		// The server really is unreachable.
		if c, err := net.DialTimeout("tcp", strings.TrimPrefix(srv.URL, "http://"), time.Second); err == nil {
			fmt.Fprintf(c, "GET /kb/ HTTP/1.0\r\n\r\n")
			b := make([]byte, 16)
			if n, _ := c.Read(b); n > 0 {
				t.Errorf("server answered while offline: %q", b[:n])
			}
			c.Close()
		}
	})

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("%s", p)
	}
}
