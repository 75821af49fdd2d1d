// Command kbshots writes full-page screenshots of a built kb site: the
// pages a reader sees most, at phone and desktop width, in the light and
// the dark scheme, so a change to the layouts or the stylesheet can be
// looked at before it ships. It serves the site itself under its base
// path and drives headless Chromium; it does not build the site (make
// screenshots does, with kb build).
//
//	kbshots -site bin/shots-site -base /kb/ -out screenshots
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// shot is one page to take: its file name and its path under the base.
type shot struct {
	name, path string
}

// shots are the pages taken. The search page is given a query with hits,
// so its results and filters show.
var shots = []shot{
	{"home", ""},
	{"incident", "incidents/2024-01-11-postgres-max-connections/"},
	{"timeline", "timeline/"},
	{"system", "systems/postgres/"},
	{"actions", "actions/"},
	{"search", "search/?q=postgres"},
}

// viewport is a screen the pages are taken at.
type viewport struct {
	name          string
	width, height int64
	scale         float64
	mobile        bool
}

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kbshots", flag.ContinueOnError)
	fs.SetOutput(stderr)
	site := fs.String("site", "", "the built site to serve (kb build --dest DIR --base-url BASE)")
	base := fs.String("base", "/", "the base path the site was built for")
	out := fs.String("out", "screenshots", "the folder the PNGs are written to")
	chrome := fs.String("chromium", "", "the Chromium to run (default: chromium, chromium-browser or google-chrome on PATH)")
	phoneScale := fs.Float64("phone-scale", 2, "device pixels per CSS pixel at phone width")
	schemes := fs.String("schemes", "light,dark", "colour schemes to take, comma-separated")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: kbshots -site DIR [-base /kb/] [-out screenshots]\n\nWrites NAME-{phone,desktop}-SCHEME.png of the home page, an incident, the\ntimeline, a system, the actions and a search with results.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *site == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if *chrome == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				*chrome = p
				break
			}
		}
		if *chrome == "" {
			fmt.Fprintln(stderr, "kbshots: error: no Chromium found (apt-get install chromium), or pass -chromium PATH")
			return 2
		}
	}
	views := []viewport{
		{"phone", 390, 844, *phoneScale, true},
		{"desktop", 1280, 900, 1, false},
	}
	err := take(ctx, *site, *base, *out, *chrome, views, strings.Split(*schemes, ","), stdout)
	if err != nil {
		fmt.Fprintf(stderr, "kbshots: error: %v\n", err)
		return 1
	}
	return 0
}

// take serves site under base on a loopback port and writes a PNG of each
// shot at each viewport and scheme into out.
func take(ctx context.Context, site, base, out, chrome string, views []viewport, schemes []string, stdout io.Writer) error {
	if _, err := os.Stat(filepath.Join(site, "index.html")); err != nil {
		return fmt.Errorf("no built site in %s (kb build --dest %s --base-url %s): %w", site, site, base, err)
	}
	base = "/" + strings.Trim(base, "/") + "/"
	if base == "//" {
		base = "/"
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("make the output folder: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen on loopback: %w", err)
	}
	files := http.StripPrefix(strings.TrimSuffix(base, "/"), http.FileServer(http.Dir(site)))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, base) {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	root := "http://" + ln.Addr().String() + base

	profile, err := os.MkdirTemp("", "kbshots-profile-")
	if err != nil {
		return fmt.Errorf("make a browser profile: %w", err)
	}
	defer os.RemoveAll(profile)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("font-render-hinting", "none"),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()

	for _, scheme := range schemes {
		for _, v := range views {
			for _, s := range shots {
				png, err := chromedp.Run(bctx, capture(root+s.path, v, strings.TrimSpace(scheme)))
				if err != nil {
					return fmt.Errorf("%s at %s width, %s: %w", s.name, v.name, scheme, err)
				}
				name := filepath.Join(out, s.name+"-"+v.name+"-"+strings.TrimSpace(scheme)+".png")
				if err := os.WriteFile(name, png, 0o644); err != nil {
					return fmt.Errorf("write %s: %w", name, err)
				}
				fmt.Fprintln(stdout, name)
			}
		}
	}
	return nil
}

// ready holds once the page has loaded, its fonts are in, and a search
// page has bleve's full answer.
const ready = `(async () => {
	if (document.readyState !== 'complete') await new Promise((r) => addEventListener('load', r, { once: true }));
	await document.fonts.ready;
	if (document.body.classList.contains('search') && new URLSearchParams(location.search).get('q')) {
		for (let i = 0; i < 600 && document.documentElement.dataset.search !== 'complete'; i++) await new Promise((r) => setTimeout(r, 50));
		await new Promise((r) => setTimeout(r, 200));
	}
	await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
	return 'ready';
})()`

// capture takes one full-page PNG of url at viewport v in scheme.
func capture(url string, v viewport, scheme string) chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		if _, err := chromedp.Steps(
			chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateScale(v.scale), func(p *emulation.SetDeviceMetricsOverrideParams, _ *emulation.SetTouchEmulationEnabledParams) {
				p.Mobile = v.mobile
			}),
			chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
				})
				return err
			}),
			chromedp.Navigate(url),
		)(ctx, t); err != nil {
			return nil, err
		}
		if _, err := chromedp.Evaluate[string](ready, chromedp.EvalAwaitPromise)(ctx, t); err != nil {
			return nil, fmt.Errorf("wait for the page: %w", err)
		}
		return chromedp.FullScreenshot(100)(ctx, t)
	}
}
