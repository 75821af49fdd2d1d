//go:build browser

package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// TestBrowserSameOrigin loads a page of every kind of the example site,
// lets each settle (its service worker installed, the browser idle), types
// into the header's search box, and fails on any request to another
// origin: a knowledge base read during an outage must not depend on, or
// tell, anyone else.
//
// The pages are opened in a browser context of their own whose proxy, for
// every URL, loopback included, is the local server: it sees each request
// of the pages, their workers and their service worker alike, and answers
// those for other hosts itself, without ever forwarding them. What the
// browser asks for itself (its updater, its account service) goes through
// the browser-wide proxy instead, a sink that records nothing.
func TestBrowserSameOrigin(t *testing.T) {
	chrome := chromiumPath(t)
	tmp := t.TempDir()
	out := filepath.Join(tmp, "site")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "--source", "../..", "--dest", out, "--base-url", "/kb/"}, &stdout, &stderr); code != 0 {
		t.Fatalf("kb build: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	useSearchModule(t, out)

	// probe is a host no page names: a request to it shows that the
	// recording sees requests to other origins.
	const probe = "kb-origin-probe.invalid"
	var (
		mu      sync.Mutex
		page    string   // the page being looked at, for messages
		foreign []string // requests to other origins, with the page
		proxied int      // requests of the site that came through the proxy
		probed  bool     // the probe's request came through the proxy
	)
	files := http.StripPrefix("/kb/", http.FileServer(http.Dir(out)))
	srv := httptest.NewUnstartedServer(nil)
	self := srv.Listener.Addr().String()
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.URL.Host
		if host == "" {
			host = r.Host
		}
		if r.Method == http.MethodConnect || host != self {
			name, _, _ := strings.Cut(host, ":")
			mu.Lock()
			switch {
			case name == probe:
				probed = true
			default:
				u := r.URL.String()
				if r.Method == http.MethodConnect {
					u = "https://" + r.Host
				}
				foreign = append(foreign, page+": "+r.Method+" "+u)
			}
			mu.Unlock()
			http.Error(w, "not forwarded", http.StatusForbidden)
			return
		}
		if r.URL.Host != "" {
			mu.Lock()
			proxied++
			mu.Unlock()
		}
		if !strings.HasPrefix(r.URL.Path, "/kb/") {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
	srv.Start()
	t.Cleanup(srv.Close)
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not forwarded", http.StatusForbidden)
	}))
	t.Cleanup(sink.Close)
	base := "http://" + self + "/kb/"

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
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
		chromedp.ProxyServer(sink.URL),
	)
	defer cancelAlloc()
	// The first call starts the browser, on a context without a timeout
	// of its own: the browser lives as long as that context.
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		t.Fatal(err)
	}
	pages, cancelPages := chromedp.NewContext(browser, chromedp.WithNewBrowserContext(func(p *target.CreateBrowserContextParams) {
		p.ProxyServer = "http://" + self
		// Loopback is never proxied unless the bypass list says so.
		p.ProxyBypassList = "<-loopback>"
	}))
	defer cancelPages()
	if err := chromedp.Do(pages); err != nil {
		t.Fatal(err)
	}
	b := &browserSite{t: t, base: base, ctx: pages}
	at := func(name string) {
		mu.Lock()
		page = name
		mu.Unlock()
	}

	// The recording sees a request to another origin: an image of another
	// host, which the pages' policy allows (img-src https:).
	at("probe")
	b.do(t, "probe", chromedp.Navigate(base+"404.html"), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	b.js(t, `(new Image().src = 'https://`+probe+`/pixel.png', 'ok')`)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		ok := probed
		mu.Unlock()
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a request to another host never reached the recording proxy")
		}
	}

	for _, p := range pageTypes() {
		at(p.name)
		b.do(t, p.name, chromedp.Navigate(base+p.path), p.ready)
		if s := b.js(t, settled); s != "settled" {
			t.Fatalf("%s: settle: %s", p.name, s)
		}
	}
	at("search box")
	b.do(t, "search box", chromedp.Navigate(base+"incidents/2021-06-22-tls-certificate-expired/"), chromedp.WaitVisible(chromedp.CSS(`#kb_q`)),
		chromedp.Click(chromedp.CSS(`#kb_q`)), chromedp.SendKeys(chromedp.CSS(`#kb_q`), "certificate"),
		poll(`(() => { const p = document.getElementById('kb_popup'); return !p.hidden && p.dataset.tier === 'full' && document.querySelectorAll('#kb_results [role=option]').length > 0; })()`))
	if s := b.js(t, settled); s != "settled" {
		t.Fatalf("search box: settle: %s", s)
	}

	mu.Lock()
	defer mu.Unlock()
	if proxied == 0 {
		t.Fatal("no request of the site came through the recording proxy: it would not see other origins either")
	}
	for _, f := range foreign {
		t.Errorf("request to another origin: %s", f)
	}
	t.Logf("%d requests of the site seen through the proxy", proxied)
}
