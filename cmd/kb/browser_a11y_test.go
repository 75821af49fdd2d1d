//go:build browser

package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// axeVersion is the axe-core that cmd/kb/testdata/axe/package.json pins:
// a newer axe brings new rules, and a rule that starts failing should come
// with a change of this line, not with a fresh install.
const axeVersion = "4.14.1"

// axeTags are the rules run: WCAG 2.0, 2.1 and 2.2 at levels A and AA,
// and axe's best practices.
const axeTags = `['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']`

// pageType is one kind of page of the example site: its path under the
// base URL and a condition that holds once it has rendered all it shows.
type pageType struct {
	name, path string
	ready      chromedp.Action[chromedp.Void]
}

// pageTypes lists a page of every kind the example site has. The search
// page is asked a query with hits, so its results and filters are there.
func pageTypes() []pageType {
	vis := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.WaitVisible(chromedp.CSS(sel)) }
	return []pageType{
		{"home", "", vis(`table.incidents`)},
		{"incident (Markdown, task list, events)", "incidents/2021-03-09-pgbouncer-pool-exhaustion/", vis(`article.incident h1`)},
		{"incident (reStructuredText)", "incidents/2023-07-21-dns-zone-delegation/", vis(`article.incident h1`)},
		{"incident log", "incidents/ops-log/", vis(`article.log table.incidents`)},
		{"systems", "systems/", vis(`h1`)},
		{"system", "systems/postgres/", vis(`h1`)},
		{"cause", "causes/capacity/", vis(`h1`)},
		{"timeline", "timeline/", vis(`svg.chart.months`)},
		{"timeline filter", "timeline/severity/sev1/", vis(`h1`)},
		{"actions", "actions/", vis(`table.actions`)},
		{"review", "review/", vis(`h1`)},
		{"search results", "search/?q=postgres", poll(`(() => {
			const s = document.getElementById('kb_search_summary');
			return !!s && /^\d+ incidents?$/.test(s.textContent) && s.textContent !== '0 incidents' && document.documentElement.dataset.search === 'complete';
		})()`)},
		{"404", "404.html", vis(`h1`)},
	}
}

// axeSource reads the pinned axe-core, which make browser installs with
// npm ci. Without it the test skips, unless KB_REQUIRE names axe.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if strings.Contains(","+os.Getenv("KB_REQUIRE")+",", ",axe,") {
			t.Fatalf("axe-core is not installed, and KB_REQUIRE asks for it (npm ci in cmd/kb/testdata/axe): %v", err)
		}
		t.Skipf("axe-core is not installed (make browser runs npm ci in cmd/kb/testdata/axe): %v", err)
	}
	return string(b)
}

// axeResult is what the test keeps of one axe violation.
type axeResult struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// axeRun is the script that runs axe on the page as it is and returns
// its violations. The first call of a page injects axe.min.js through
// Runtime.evaluate: DevTools evaluation is not subject to the page's
// Content Security Policy (script-src 'self' forbids inline scripts), and
// the test's listener would report any violation the injection caused.
const axeRun = `(async () => {
	const r = await axe.run(document, { runOnly: { type: 'tag', values: ` + axeTags + ` }, resultTypes: ['violations'] });
	return JSON.stringify(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })) })));
})()`

// axeCheck runs axe on the page shown and reports each violation as a
// test error naming the rule, its impact, the elements and the scheme.
func (b *browserSite) axeCheck(t *testing.T, axe, page, scheme string) {
	t.Helper()
	if v := b.js(t, `typeof axe === 'undefined' ? '' : axe.version`); v == "" {
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
			t.Fatalf("%s: inject axe-core: %v", page, err)
		}
	}
	if v := b.js(t, `axe.version`); v != axeVersion {
		t.Fatalf("axe-core %s is installed, the test pins %s (npm ci in cmd/kb/testdata/axe)", v, axeVersion)
	}
	var vs []axeResult
	if err := json.Unmarshal([]byte(b.js(t, axeRun)), &vs); err != nil {
		t.Fatalf("%s: axe result: %v", page, err)
	}
	for _, v := range vs {
		for _, n := range v.Nodes {
			t.Errorf("%s, %s: %s [%s] at %v: %s\n\t%s", page, scheme, v.ID, v.Impact, n.Target, v.Help,
				strings.ReplaceAll(strings.TrimSpace(n.Summary), "\n", "\n\t"))
		}
	}
}

// scheme emulates prefers-color-scheme for the pages that follow.
func scheme(s string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: s}},
		})
		return err
	})
}

// TestBrowserAccessibility runs axe-core (WCAG 2.x A and AA, and best
// practices) on a page of every kind of the example site, in the light
// and the dark scheme, and with the header's search popup open on its
// results; then checks that every element the keyboard reaches shows
// where the focus is.
func TestBrowserAccessibility(t *testing.T) {
	axe := axeSource(t)
	b := newBrowserSite(t, "../..", nil)
	for _, sch := range []string{"light", "dark"} {
		t.Run(sch, func(t *testing.T) {
			b.do(t, "scheme", scheme(sch))
			for _, p := range pageTypes() {
				b.do(t, p.name, chromedp.Navigate(b.base+p.path), p.ready)
				if got := b.js(t, `matchMedia('(prefers-color-scheme: `+sch+`)').matches ? 'yes' : 'no'`); got != "yes" {
					t.Fatalf("%s: the page does not see the %s scheme", p.name, sch)
				}
				b.axeCheck(t, axe, p.name, sch)
			}
			b.do(t, "search popup", chromedp.Navigate(b.base+"incidents/2024-01-11-postgres-max-connections/"), chromedp.WaitVisible(chromedp.CSS(`#kb_q`)),
				chromedp.Click(chromedp.CSS(`#kb_q`)), chromedp.SendKeys(chromedp.CSS(`#kb_q`), "postgres"),
				poll(`(() => { const p = document.getElementById('kb_popup'); return !p.hidden && p.dataset.tier === 'full' && p.dataset.query === 'postgres' && document.querySelectorAll('#kb_results [role=option]').length > 0; })()`),
				pressDown)
			b.axeCheck(t, axe, "search popup", sch)
		})
	}

	// axe does not see focus: walk each page with Tab and ask of every
	// element that takes the focus whether it shows a ring (an outline or
	// a box shadow) and is not transparent.
	t.Run("focus visible", func(t *testing.T) {
		b.do(t, "scheme", scheme("light"))
		for _, p := range pageTypes() {
			b.do(t, p.name, chromedp.Navigate(b.base+p.path), p.ready)
			b.js(t, `(document.activeElement && document.activeElement.blur(), 'ok')`)
			seen := 0
			for i := 0; i < 60; i++ {
				b.do(t, "tab", chromedp.KeyEvent(kb.Tab))
				got := b.js(t, focusRing)
				var f struct {
					Where, Ring string
					Again       bool
				}
				if err := json.Unmarshal([]byte(got), &f); err != nil {
					t.Fatalf("%s: %v", got, err)
				}
				if f.Where == "" || f.Again {
					break // the focus left the page or came round again
				}
				seen++
				if f.Ring == "" {
					t.Errorf("%s: the focus on %s is not visible", p.name, f.Where)
				}
			}
			if seen < 3 {
				t.Errorf("%s: Tab reached only %d elements", p.name, seen)
			}
		}
	})
}

// focusRing describes the focused element (a selector-like path), the
// ring it shows (its outline or box shadow, empty when it shows neither
// or is invisible), and whether the focus was on it before.
const focusRing = `(() => {
	const e = document.activeElement;
	if (!e || e === document.body) return JSON.stringify({ where: '', ring: '' });
	const seen = (window.kbTestFocused ||= new WeakSet());
	if (seen.has(e)) return JSON.stringify({ where: 'again', again: true });
	seen.add(e);
	let where = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
	const h = e.getAttribute('href');
	if (h) where += '[href="' + h + '"]';
	const s = getComputedStyle(e);
	let ring = '';
	if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && s.outlineColor !== 'rgba(0, 0, 0, 0)') ring = 'outline ' + s.outlineWidth + ' ' + s.outlineStyle + ' ' + s.outlineColor;
	else if (s.boxShadow && s.boxShadow !== 'none') ring = 'box-shadow ' + s.boxShadow;
	if (parseFloat(s.opacity) === 0 || s.visibility === 'hidden') ring = '';
	return JSON.stringify({ where, ring });
})()`
