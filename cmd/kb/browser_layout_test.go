//go:build browser

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// layoutSite writes a site whose incident pages have what crowds a
// page: long titles, a metadata panel with every field, many related
// incidents, and a timeline table whose first column is a date and a
// time beside long events.
func layoutSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	event := "The primary database stopped accepting new connections and every request that needed one waited for the pool until it timed out"
	files := map[string]string{
		"site.toml": "title = \"Layout postmortems\"\n",
		"content/2023-02-14-checkout-timeouts.md": "---\ntitle: Checkout requests timed out while the connection pool of the primary database was exhausted\ndate: 2023-02-14\nseverity: SEV2\nstatus: resolved\nsystems: [checkout, postgres, pgbouncer, payments]\ncauses: [connection-exhaustion, bad-deploy]\nauthors: [Ana Lima, Bo Chen]\n---\n\n" +
			"## Summary\n\nCheckout failed for forty minutes.\n\n## Impact\n\nA third of orders failed.\n\n## Timeline\n\n| Time | Event |\n|---|---|\n" +
			"| 2023-02-14 10:45 | " + event + " |\n| 2023-02-14 10:52 | " + event + " |\n| 2023-02-14 11:30 | " + event + " |\n\n" +
			"## Root cause\n\nThe pool was sized for half the pods.\n\n## Action items\n\n- [ ] Size the pool from the pod count\n",
	}
	// Incidents sharing systems and causes with the first, so that its
	// related list is long.
	for i, name := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		files["content/2022-0"+strconv.Itoa(i%9+1)+"-1"+strconv.Itoa(i)+"-pool-"+name+".md"] = "---\ntitle: Payments and checkout slowed down when the connection pool of the primary database ran out, case " + name +
			"\ndate: 2022-0" + strconv.Itoa(i%9+1) + "-1" + strconv.Itoa(i) + "\nseverity: SEV3\nstatus: resolved\nsystems: [checkout, postgres, pgbouncer]\ncauses: [connection-exhaustion]\n---\n\n## Impact\n\nSlow.\n\n## Root cause\n\nThe pool.\n\n## Action items\n\n- [x] Fix\n"
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

// firstHeading is the page's y of the top and the bottom of the first
// section heading of the incident's text.
const firstHeading = `(() => {
	const r = document.querySelector('.body h2, .body h3').getBoundingClientRect();
	return Math.round(r.top + scrollY) + ' ' + Math.round(r.bottom + scrollY);
})()`

func headingAt(t *testing.T, s string) (top, bottom int) {
	t.Helper()
	if _, err := fmt.Sscanf(s, "%d %d", &top, &bottom); err != nil {
		t.Fatalf("heading position %q: %v", s, err)
	}
	return top, bottom
}

// clipped lists the boxes that scroll or clip their own content, among
// the ancestors of the related incidents and the elements of the
// incident's side panels: what they hide is never seen by a reader who
// scrolls the page.
const clipped = `(() => {
	const out = [];
	const check = (el) => {
		const s = getComputedStyle(el);
		for (const [o, size, box] of [[s.overflowY, el.scrollHeight, el.clientHeight], [s.overflowX, el.scrollWidth, el.clientWidth]]) {
			if (o !== 'visible' && size > box + 1) out.push((el.className || el.tagName) + ' ' + o + ' ' + size + '>' + box);
		}
	};
	const rel = document.querySelector('section.related');
	if (!rel) return 'no related incidents';
	for (let el = rel; el && el !== document.documentElement; el = el.parentElement) check(el);
	for (const el of document.querySelectorAll('.incident-grid > :not(.body), .incident-grid > :not(.body) *')) check(el);
	return out.join('; ');
})()`

// timeCellLines counts the lines of each first cell of the rows of the
// timeline table.
const timeCellLines = `(() => {
	const cells = document.querySelectorAll('#timeline ~ .table-wrap tbody td:first-child');
	return [...cells].map((td) => {
		const r = document.createRange();
		r.selectNodeContents(td);
		return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
	}).join(',');
})()`

// TestBrowserIncidentLayout: on a phone (390×844) an incident's text
// starts within the first screen, with the contents closed and the
// related incidents after the text; on a desktop (1280×800) no box of the
// side panel scrolls or clips what it holds, so the related incidents
// are reached by scrolling the page; at both, a timeline's times stay on
// one line and a wide table scrolls in its own box instead of the page.
func TestBrowserIncidentLayout(t *testing.T) {
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	phone := chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(3))
	desktop := chromedp.EmulateViewport(1280, 800)

	example := newBrowserSite(t, "../..", nil)
	for _, id := range []string{"2021-03-09-pgbouncer-pool-exhaustion", "2023-02-14-postgres-replica-lag", "2021-06-22-tls-certificate-expired"} {
		example.do(t, id, phone, chromedp.Navigate(example.base+"incidents/"+id+"/"), chromedp.WaitVisible(css(`article.incident h1`)))
		top, bottom := headingAt(t, example.js(t, firstHeading))
		t.Logf("390×844 %s: first section heading at y=%d–%d", id, top, bottom)
		if bottom > 844 {
			t.Errorf("390×844 %s: the first section heading is at y=%d–%d, not within the first screen", id, top, bottom)
		}
	}

	b := newBrowserSite(t, layoutSite(t), nil)
	page := b.base + "incidents/2023-02-14-checkout-timeouts/"

	b.do(t, "phone", phone, chromedp.Navigate(page), chromedp.WaitVisible(css(`article.incident h1`)))
	top, bottom := headingAt(t, b.js(t, firstHeading))
	t.Logf("390×844 fixture: first section heading at y=%d–%d", top, bottom)
	if bottom > 844 {
		t.Errorf("390×844: the first section heading is at y=%d–%d, not within the first screen", top, bottom)
	}
	if got := b.js(t, `String((document.querySelector('details.toc') || {}).open)`); got != "false" {
		t.Errorf("390×844: the contents are open=%s, want a closed <details>", got)
	}
	if got := b.js(t, `String(document.querySelector('section.related').getBoundingClientRect().top >= document.querySelector('.body').getBoundingClientRect().bottom)`); got != "true" {
		t.Errorf("390×844: the related incidents come before the end of the text")
	}
	if got := b.js(t, timeCellLines); got == "" || strings.Trim(got, "1,") != "" {
		t.Errorf("390×844: the timeline's time cells take %q lines, want one each", got)
	}
	if got := b.js(t, `String(document.documentElement.scrollWidth <= innerWidth)`); got != "true" {
		t.Errorf("390×844: the page scrolls sideways: %s", b.js(t, `document.documentElement.scrollWidth + ' > ' + innerWidth`))
	}

	b.do(t, "desktop", desktop, chromedp.Navigate(page), chromedp.WaitVisible(css(`article.incident h1`)))
	if got := b.js(t, clipped); got != "" {
		t.Errorf("1280×800: boxes that hide what they hold: %s", got)
	}
	if got := b.js(t, `String((document.querySelector('details.toc') || {}).open)`); got != "true" {
		t.Errorf("1280×800: the contents are open=%s, want open", got)
	}
	// Scrolling the page, not a box inside it, brings them into view.
	if got := b.js(t, `(() => {
		const rel = document.querySelector('section.related');
		scrollTo(0, rel.getBoundingClientRect().top + scrollY - 10);
		const r = rel.getBoundingClientRect();
		return String(r.top >= 0 && r.top < innerHeight && r.height > 0);
	})()`); got != "true" {
		t.Errorf("1280×800: scrolling the page does not bring the related incidents into view")
	}
	if got := b.js(t, timeCellLines); got == "" || strings.Trim(got, "1,") != "" {
		t.Errorf("1280×800: the timeline's time cells take %q lines, want one each", got)
	}
}
