//go:build browser

package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds the browser for the browser tests, or skips the
// test (fails it when KB_REQUIRE asks for Chromium).
func chromiumPath(t *testing.T) string {
	t.Helper()
	chrome := os.Getenv("KB_CHROMIUM")
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if chrome != "" {
			break
		}
		if p, err := exec.LookPath(name); err == nil {
			chrome = p
		}
	}
	if chrome == "" {
		if strings.Contains(","+os.Getenv("KB_REQUIRE")+",", ",chromium,") {
			t.Fatal("no Chromium found, and KB_REQUIRE asks for it (apt-get install chromium)")
		}
		t.Skip("no Chromium found (apt-get install chromium)")
	}
	return chrome
}

// useSearchModule puts the search module of KB_SEARCH_WASM (a folder
// written by internal/search/wasm.sh), when set, into a built site in
// place of the shipped one: the index is written by the Go code under
// test, and a change to its format is tested before make wasm ships a
// module that reads it.
func useSearchModule(t *testing.T, site string) {
	t.Helper()
	dir := os.Getenv("KB_SEARCH_WASM")
	if dir == "" {
		return
	}
	wasm, err := os.ReadFile(filepath.Join(dir, "kbsearch.wasm"))
	if err != nil {
		t.Fatalf("KB_SEARCH_WASM: %v", err)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	zw.Write(wasm)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	glue, err := os.ReadFile(filepath.Join(dir, "wasm_exec.js"))
	if err != nil {
		t.Fatalf("KB_SEARCH_WASM: %v", err)
	}
	for name, b := range map[string][]byte{"kbsearch.wasm.gz": gz.Bytes(), "wasm_exec.js": glue} {
		if err := os.WriteFile(filepath.Join(site, "search", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// browserSite is a built site served under /kb/ and one fresh headless
// Chromium (its own profile, so no service worker or cache of another
// test) looking at it. The server records every path it is asked for,
// which sees what a service worker fetches as well as the page.
type browserSite struct {
	t    *testing.T
	base string
	ctx  context.Context

	mu       sync.Mutex
	paths    []string
	problems []string
}

// newBrowserSite builds the site in source with kb build --base-url /kb/
// and opens a browser on it. serve, when not nil, answers the paths it
// has (relative to the site) instead of the built files.
func newBrowserSite(t *testing.T, source string, serve map[string]string) *browserSite {
	t.Helper()
	chrome := chromiumPath(t)
	tmp := t.TempDir()
	out := filepath.Join(tmp, "site")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "--source", source, "--dest", out, "--base-url", "/kb/"}, &stdout, &stderr); code != 0 {
		t.Fatalf("kb build: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	useSearchModule(t, out)

	b := &browserSite{t: t}
	files := http.StripPrefix("/kb/", http.FileServer(http.Dir(out)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		b.paths = append(b.paths, r.URL.Path)
		b.mu.Unlock()
		if js, ok := serve[strings.TrimPrefix(r.URL.Path, "/kb/")]; ok {
			w.Header().Set("Content-Type", "text/javascript")
			w.Write([]byte(js))
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/kb/") {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	b.base = srv.URL + "/kb/"

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
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
	t.Cleanup(cancelAlloc)
	listen := func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				b.problems = append(b.problems, "console "+string(ev.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			desc := d.Text
			if d.Exception != nil {
				desc += " " + d.Exception.Description
			}
			b.problems = append(b.problems, "exception: "+desc)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || strings.Contains(ev.Entry.Text, "Content Security Policy") {
				b.problems = append(b.problems, "log "+string(ev.Entry.Source)+": "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		}
	}
	bctx, cancelBrowser := chromedp.NewContext(alloc, chromedp.WithListener(listen))
	t.Cleanup(cancelBrowser)
	if _, err := chromedp.Call(bctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	// A headless tab is not always the focused one: without this, focus
	// events of the page may never fire.
	if _, err := chromedp.Call(bctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	b.ctx = bctx
	// Every console error, uncaught exception and CSP violation fails
	// the test (registered last, so it runs before the browser stops).
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, p := range b.problems {
			t.Errorf("%s", p)
		}
	})
	return b
}

// state describes the page, for failure messages.
func (b *browserSite) state() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({url: location.href, search: document.documentElement.dataset.search || null,
		expanded: (document.getElementById('kb_q') || {getAttribute() {}}).getAttribute('aria-expanded'),
		status: (document.getElementById('kb_status') || {}).textContent, summary: (document.getElementById('kb_search_summary') || {}).textContent,
		results: document.querySelectorAll('#kb_results li, #kb_search_results li').length})`))
	return v
}

func (b *browserSite) do(t *testing.T, name string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 45*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v; page: %s", name, err, b.state())
	}
}

func (b *browserSite) js(t *testing.T, expr string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v; page: %s", expr, err, b.state())
	}
	return v
}

// fetched lists the paths the server was asked for that contain s.
func (b *browserSite) fetched(s string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, p := range b.paths {
		if strings.Contains(p, s) {
			out = append(out, p)
		}
	}
	return out
}

// waitFetched waits until the server has been asked for path.
func (b *browserSite) waitFetched(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(45 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if len(b.fetched(path)) > 0 {
			return
		}
	}
	t.Fatalf("%s was never fetched; page: %s", path, b.state())
}

// press presses one key as a keyboard does: one keyDown that carries the
// text it types, so that a handler cancelling the keydown also cancels
// the typing (chromedp.KeyEvent sends the text as a separate char event,
// which no handler can cancel), then keyUp.
func press(key, code string, keyCode int64, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: key, Code: code,
			WindowsVirtualKeyCode: keyCode, NativeVirtualKeyCode: keyCode, Text: text, UnmodifiedText: text}
		if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, down); err != nil {
			return err
		}
		up := down
		up.Type, up.Text, up.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
		_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, up)
		return err
	})
}

var (
	pressSlash  = press("/", "Slash", 191, "/")
	pressEscape = press("Escape", "Escape", 27, "")
	pressDown   = press("ArrowDown", "ArrowDown", 40, "")
)

func poll(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond))
}

// settled is a promise that resolves once the page has loaded, its
// service worker is installed and active (its install fetched all it
// precaches), and the browser has been idle twice since: whatever the
// page starts in the background has started by then.
const settled = `(async () => {
	if (document.readyState !== 'complete') await new Promise((r) => addEventListener('load', r, { once: true }));
	await navigator.serviceWorker.ready;
	for (let i = 0; i < 2; i++) await new Promise((r) => requestIdleCallback(r, { timeout: 5000 }));
	await new Promise((r) => setTimeout(r, 500));
	return 'settled';
})()`

// searchEntries lists the resources the page itself fetched whose URL
// contains /search/ (the Resource Timing API).
const searchEntries = `performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/search/')).join(' ')`

// keptSearch reports whether the service worker's cache of this build
// holds the search page, which only a page that searched asks it to keep.
const keptSearch = `(async () => {
	const root = new URL(document.querySelector('meta[name="kb-root"]').content || './', location.href);
	const page = new URL('search/', root).href;
	for (const n of await caches.keys()) {
		if (n.startsWith('kb-') && !n.startsWith('kb-index-') && await (await caches.open(n)).match(page, { ignoreSearch: true })) return 'yes';
	}
	return 'no';
})()`

// waitJS waits until expr, which may be a promise, gives want.
func (b *browserSite) waitJS(t *testing.T, name, expr, want string) {
	t.Helper()
	got := ""
	for deadline := time.Now().Add(45 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got = b.js(t, expr); got == want {
			return
		}
	}
	t.Fatalf("%s: %q, want %q; page: %s", name, got, want, b.state())
}

// TestBrowserSearchOnIntent: an incident page left alone fetches nothing
// of search, neither itself nor through its service worker; focusing the
// box, pressing "/" or opening the search page starts it, and the
// service worker then keeps the search files.
func TestBrowserSearchOnIntent(t *testing.T) {
	b := newBrowserSite(t, "../..", nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	b.do(t, "incident page", chromedp.Navigate(b.base+"incidents/2021-06-22-tls-certificate-expired/"), chromedp.WaitVisible(css(`article.incident h1`)))
	if s := b.js(t, settled); s != "settled" {
		t.Fatalf("settle: %s", s)
	}
	if got := b.fetched("/search/"); len(got) > 0 {
		t.Errorf("an idle incident page fetched %v", got)
	}
	if got := b.js(t, searchEntries); got != "" {
		t.Errorf("an idle incident page lists search resources: %s", got)
	}
	if got := b.js(t, `document.documentElement.dataset.search || 'none'`); got != "none" {
		t.Errorf("search state %q on an idle page, want none", got)
	}
	if got := b.js(t, keptSearch); got != "no" {
		t.Errorf("the service worker keeps the search page before any search: %s", got)
	}

	b.do(t, "focus", chromedp.Focus(css(`#kb_q`)))
	b.waitFetched(t, "/kb/search/worker.js")
	b.do(t, "search starts", poll(`!!document.documentElement.dataset.search`))
	b.waitJS(t, "service worker keeps search", keptSearch, "yes")

	// Another page, and "/" instead of a click: the worker is served
	// from the service worker's cache now, so the page's own state tells.
	b.do(t, "second page", chromedp.Navigate(b.base+"incidents/2022-04-18-vault-sealed-after-upgrade/"), chromedp.WaitVisible(css(`article.incident h1`)))
	if s := b.js(t, settled); s != "settled" {
		t.Fatalf("settle: %s", s)
	}
	if got := b.js(t, `document.documentElement.dataset.search || 'none'`); got != "none" {
		t.Errorf("search state %q before intent on the second page, want none", got)
	}
	b.do(t, "slash", pressSlash, poll(`!!document.documentElement.dataset.search`))
	if got := b.js(t, `document.activeElement.id + ' ' + JSON.stringify(document.getElementById('kb_q').value)`); got != `kb_q ""` {
		t.Errorf("after /: focus and value %s, want the empty box", got)
	}

	// The search page loads search at once.
	b.do(t, "search page", chromedp.Navigate(b.base+"search/"), chromedp.WaitVisible(css(`#kb_search_q`)),
		poll(`!!document.documentElement.dataset.search`))
}

// fixtureSite writes a small site: three incidents of the same title
// (told apart by date and id, one dated by its year alone, one by its
// month), and one other.
func fixtureSite(t *testing.T, prefetch string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"site.toml":                  "title = \"Fixture postmortems\"\n\n[search]\nprefetch = \"" + prefetch + "\"\n",
		"content/queue-backlog-a.md": "---\ntitle: Queue backlog after failover\ndate: 2023\nseverity: SEV2\nsystems: [queue]\n---\n\n## Impact\n\nOrders waited in the queue for an hour.\n\n## Root cause\n\nThe standby broker started without consumers.\n",
		"content/queue-backlog-b.md": "---\ntitle: Queue backlog after failover\ndate: 2023-10\nseverity: SEV3\nsystems: [queue]\n---\n\n## Impact\n\nInvoices waited in the queue overnight.\n\n## Root cause\n\nConsumers pinned to the old broker address.\n",
		"content/queue-backlog-c.md": "---\ntitle: Queue backlog after failover\ndate: 2024-02-19\nseverity: SEV2\nsystems: [queue]\n---\n\n## Impact\n\nEmails waited in the queue for twenty minutes.\n\n## Root cause\n\nA health check that never failed over back.\n",
		"content/disk-full.md":       "---\ntitle: Build disk filled with caches\ndate: 2022-05-03\nseverity: SEV4\nsystems: [ci]\n---\n\n## Impact\n\nBuilds failed for two hours.\n\n## Root cause\n\nCaches were never pruned.\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestBrowserSearchPrefetchIdle: with search.prefetch = "idle" a page
// loads search without any interaction, unless the browser asks to save
// data.
func TestBrowserSearchPrefetchIdle(t *testing.T) {
	b := newBrowserSite(t, fixtureSite(t, "idle"), nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	b.do(t, "incident page", chromedp.Navigate(b.base+"incidents/disk-full/"), chromedp.WaitVisible(css(`article.incident h1`)))
	b.waitFetched(t, "/kb/search/worker.js")
	b.do(t, "search loads", poll(`!!document.documentElement.dataset.search`))
	if got := b.js(t, `document.activeElement === document.getElementById('kb_q') ? 'focused' : 'not focused'`); got != "not focused" {
		t.Errorf("the box is %s: search should have loaded without it", got)
	}

	// Save-Data: intent only.
	if _, err := chromedp.Call(b.ctx, emulation.SetDataSaverOverride, emulation.SetDataSaverOverrideParams{DataSaverEnabled: ptrTo(true)}); err != nil {
		t.Fatalf("emulate save-data: %v", err)
	}
	b.do(t, "save-data page", chromedp.Navigate(b.base+"incidents/queue-backlog-a/"), chromedp.WaitVisible(css(`article.incident h1`)))
	if got := b.js(t, `String(!!(navigator.connection && navigator.connection.saveData))`); got != "true" {
		t.Fatalf("navigator.connection.saveData = %s under emulation", got)
	}
	if s := b.js(t, settled); s != "settled" {
		t.Fatalf("settle: %s", s)
	}
	if got := b.js(t, `document.documentElement.dataset.search || 'none'`); got != "none" {
		t.Errorf("with save-data, search state %q before intent, want none", got)
	}
	b.do(t, "save-data focus", chromedp.Focus(css(`#kb_q`)), poll(`!!document.documentElement.dataset.search`))
}

func ptrTo[T any](v T) *T { return &v }

// TestBrowserSearchCombobox: the header box is a WAI-ARIA 1.2 combobox
// over a listbox of plain options, driven from the keyboard; each result
// names itself by date and id, in the popup and on the search page.
func TestBrowserSearchCombobox(t *testing.T) {
	b := newBrowserSite(t, fixtureSite(t, "intent"), nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	const query = "queue backlog failover"

	b.do(t, "home", chromedp.Navigate(b.base), chromedp.WaitVisible(css(`#kb_q`)))
	if got := b.js(t, `(() => { const q = document.getElementById('kb_q'), l = document.getElementById(q.getAttribute('aria-controls'));
		return [q.getAttribute('role'), q.getAttribute('aria-expanded'), l && l.getAttribute('role')].join(' '); })()`); got != "combobox false listbox" {
		t.Errorf("box role, aria-expanded, controlled role = %q, want combobox false listbox", got)
	}
	b.do(t, "type", chromedp.Click(css(`#kb_q`)), chromedp.SendKeys(css(`#kb_q`), query),
		poll(`(() => { const p = document.getElementById('kb_popup'); return p.dataset.tier === 'full' && p.dataset.query === '`+query+`' && document.documentElement.dataset.search === 'complete' && document.querySelectorAll('#kb_results [role=option]').length === 3; })()`))
	if got := b.js(t, `document.getElementById('kb_q').getAttribute('aria-expanded')`); got != "true" {
		t.Errorf("aria-expanded %q with options shown, want true", got)
	}
	if got := b.js(t, `String([...document.getElementById('kb_results').children].filter((li) => li.getAttribute('role') !== 'option').length)`); got != "0" {
		t.Errorf("%s children of the listbox are not options", got)
	}
	if got := b.js(t, `String(document.querySelectorAll('#kb_results [role=option] :is(a, button, input, select, textarea, [tabindex], [href])').length)`); got != "0" {
		t.Errorf("%s interactive elements inside options", got)
	}
	if got := b.js(t, `(() => { const a = document.querySelector('#kb_popup a[href*="search/"]'); return a && !a.closest('[role=listbox]') ? new URL(a.href).search : 'none'; })()`); got != "?q=queue+backlog+failover" {
		t.Errorf("link to every result outside the listbox: %q", got)
	}

	// (d) Three results of one title, each with its date as given and its id.
	names := b.js(t, `[...document.querySelectorAll('#kb_results [role=option]')].map((o) => o.textContent).join('\n')`)
	for _, want := range []string{"2023 · queue-backlog-a", "2023-10 · queue-backlog-b", "2024-02-19 · queue-backlog-c"} {
		if !strings.Contains(names, want) {
			t.Errorf("popup options do not show %q:\n%s", want, names)
		}
	}

	// Keyboard: the arrows select, aria-activedescendant follows.
	b.do(t, "down", pressDown)
	first := b.js(t, `(() => { const id = document.getElementById('kb_q').getAttribute('aria-activedescendant'); const o = id && document.getElementById(id);
		return o && o.getAttribute('role') === 'option' && o.getAttribute('aria-selected') === 'true' ? id : 'none: ' + id; })()`)
	if strings.HasPrefix(first, "none") {
		t.Fatalf("after ArrowDown, aria-activedescendant names %s, want a selected option", first)
	}
	b.do(t, "down again", pressDown)
	second := b.js(t, `document.getElementById('kb_q').getAttribute('aria-activedescendant') || 'none'`)
	if second == first || second == "none" {
		t.Errorf("a second ArrowDown left aria-activedescendant at %q", second)
	}
	if got := b.js(t, `String(document.querySelectorAll('#kb_results [aria-selected=true]').length)`); got != "1" {
		t.Errorf("%s options selected, want 1", got)
	}
	if got := b.js(t, `document.activeElement.id`); got != "kb_q" {
		t.Errorf("the focus moved to %q while choosing", got)
	}

	// Esc closes the popup and leaves the box; "/" comes back to it
	// without typing a slash.
	b.do(t, "escape", pressEscape)
	if got := b.js(t, `[document.getElementById('kb_popup').hidden, document.getElementById('kb_q').getAttribute('aria-expanded'),
		document.getElementById('kb_q').hasAttribute('aria-activedescendant'), document.activeElement === document.getElementById('kb_q')].join(' ')`); got != "true false false false" {
		t.Errorf("after Esc: popup hidden, aria-expanded, has activedescendant, box focused = %s; want true false false false", got)
	}
	b.do(t, "slash", pressSlash)
	if got := b.js(t, `document.activeElement.id + ' ' + document.getElementById('kb_q').value`); got != "kb_q "+query {
		t.Errorf("after Esc and /: %q", got)
	}

	// A click outside (at the left edge of the window, which the popup
	// does not cover) closes the popup.
	b.do(t, "reopen", pressDown, poll(`document.getElementById('kb_q').getAttribute('aria-expanded') === 'true'`))
	if got := b.js(t, `String(document.elementFromPoint(2, innerHeight - 2).closest('#kb_popup, a, button, input') === null)`); got != "true" {
		t.Fatalf("the point to click outside is on the popup or a control")
	}
	b.do(t, "click outside", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		h, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`innerHeight`))
		if err != nil {
			return err
		}
		_, err = chromedp.MouseClickXY(2, h-2)(ctx, tg)
		return err
	}), poll(`document.getElementById('kb_popup').hidden`))
	if got := b.js(t, `document.getElementById('kb_q').getAttribute('aria-expanded')`); got != "false" {
		t.Errorf("aria-expanded %q after a click outside", got)
	}

	// A click on an option opens its incident.
	b.do(t, "click option", chromedp.Click(css(`#kb_q`)), poll(`document.querySelectorAll('#kb_results [role=option]').length === 3 && !document.getElementById('kb_popup').hidden`),
		chromedp.Click(css(`#kb_results [role=option]:nth-child(2)`)), chromedp.WaitVisible(css(`article.incident h1`)))
	if got := b.js(t, `location.pathname`); !strings.HasPrefix(got, "/kb/incidents/queue-backlog-") {
		t.Errorf("clicking an option opened %s", got)
	}

	// The search page names its results the same way.
	b.do(t, "search page", chromedp.Navigate(b.base+"search/?q=queue+backlog+failover"),
		poll(`document.documentElement.dataset.search === 'complete' && /^3 incidents$/.test(document.getElementById('kb_search_summary').textContent)`))
	page := b.js(t, `[...document.querySelectorAll('#kb_search_results > li h2')].map((h) => h.textContent).join('\n')`)
	for _, want := range []string{"2023 · queue-backlog-a", "2023-10 · queue-backlog-b", "2024-02-19 · queue-backlog-c"} {
		if !strings.Contains(page, want) {
			t.Errorf("search page results do not show %q:\n%s", want, page)
		}
	}
}

// notesWorker stands in for search/worker.js: it answers every search
// with one hit, relaxed, naming two words no incident contains (one of
// them markup, which must show as text).
const notesWorker = `'use strict';
self.postMessage({ type: 'status', state: 'complete', loaded: ['s'], shards: ['s'] });
self.onmessage = (ev) => {
  const m = ev.data;
  if (!m || m.type !== 'search') return;
  self.postMessage({ type: 'result', id: m.id, tier: 'full', result: {
    total: 1, partial: false, relaxed: true, missing: ['logout', '<b>sso</b>'],
    hits: [{ id: 'disk-full', path: 'incidents/disk-full/', title: 'Build disk filled with caches', date: '2022-05-03', severity: 'SEV4', systems: ['ci'] }],
  } });
};
`

// TestBrowserSearchNotes: when the results hold only some of the words,
// the popup and the search page say so, and name the words no incident
// mentions, as text.
func TestBrowserSearchNotes(t *testing.T) {
	b := newBrowserSite(t, fixtureSite(t, "intent"), map[string]string{"search/worker.js": notesWorker})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	const relaxed = "No incident has every word; showing those with most of them."
	const missing = "No incident mentions logout or <b>sso</b>."

	b.do(t, "popup", chromedp.Navigate(b.base), chromedp.WaitVisible(css(`#kb_q`)),
		chromedp.Click(css(`#kb_q`)), chromedp.SendKeys(css(`#kb_q`), "disk logout sso"),
		poll(`document.querySelectorAll('#kb_results [role=option]').length === 1`))
	popup := b.js(t, `document.getElementById('kb_notes').textContent`)
	if !strings.Contains(popup, missing) || !strings.Contains(popup, relaxed) {
		t.Errorf("popup notes %q, want %q and %q", popup, missing, relaxed)
	}
	if got := b.js(t, `[...document.querySelectorAll('#kb_notes em')].map((e) => e.textContent).join('|') + ' ' + document.querySelectorAll('#kb_notes b').length`); got != "logout|<b>sso</b> 0" {
		t.Errorf("popup: the missing words as <em> text, and no markup from them: %q", got)
	}
	if got := b.js(t, `String(document.getElementById('kb_notes').compareDocumentPosition(document.getElementById('kb_results')) & Node.DOCUMENT_POSITION_FOLLOWING)`); got == "0" {
		t.Errorf("popup notes are not above the results")
	}

	b.do(t, "search page", chromedp.Navigate(b.base+"search/?q=disk+logout+sso"),
		poll(`document.querySelectorAll('#kb_search_results > li').length === 1`))
	page := b.js(t, `document.getElementById('kb_search_notes').textContent`)
	if !strings.Contains(page, missing) || !strings.Contains(page, relaxed) {
		t.Errorf("search page notes %q, want %q and %q", page, missing, relaxed)
	}
	if got := b.js(t, `[...document.querySelectorAll('#kb_search_notes em')].map((e) => e.textContent).join('|') + ' ' + document.querySelectorAll('#kb_search_notes b').length`); got != "logout|<b>sso</b> 0" {
		t.Errorf("search page: the missing words as <em> text: %q", got)
	}
	if got := b.js(t, `String(document.getElementById('kb_search_notes').compareDocumentPosition(document.getElementById('kb_search_results')) & Node.DOCUMENT_POSITION_FOLLOWING)`); got == "0" {
		t.Errorf("search page notes are not above the results")
	}

	// The real worker, through the quick index and then the module.
	real := newBrowserSite(t, fixtureSite(t, "intent"), nil)
	for _, tier := range []string{"instant", "full"} {
		want := "No incident mentions kerberos."
		wait := `document.querySelectorAll('#kb_search_results > li').length === 1`
		if tier == "full" {
			wait += ` && document.getElementById('kb_search_results').dataset.tier === 'full'`
		}
		real.do(t, "real worker, "+tier, chromedp.Navigate(real.base+"search/?q=disk+kerberos"), poll(wait))
		notes := real.js(t, `document.getElementById('kb_search_notes').textContent`)
		if !strings.Contains(notes, want) || !strings.Contains(notes, relaxed) {
			t.Errorf("real worker, %s: notes %q, want %q and %q", tier, notes, want, relaxed)
		}
	}
}
