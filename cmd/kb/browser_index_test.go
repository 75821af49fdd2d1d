//go:build browser

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/kb-postmortems/kb/internal/render"
)

// indexSite writes a site with more incidents of 2024 than the home page
// lists, so that 2023 and 2022 are on their year pages alone: 2024 in
// SEV2 on the queue, 2023 in SEV1 and SEV2 on the api and the db, 2022
// undated by month.
func indexSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"site.toml": "title = \"Index fixture\"\nseverities = [\"SEV1\", \"SEV2\"]\n",
	}
	for i := range render.DefaultPerPage + 3 {
		files[fmt.Sprintf("content/2024/q-%03d.md", i)] = fmt.Sprintf("---\ntitle: Queue stall %d\ndate: 2024-%02d-%02d\nseverity: SEV2\nsystems: [queue]\n---\n\n## Impact\n\nSlow.\n", i, 1+i%12, 1+i%28)
	}
	for i, f := range []struct{ sev, systems string }{{"SEV1", "api"}, {"SEV2", "api, db"}, {"SEV1", "db"}, {"SEV2", "api"}} {
		files[fmt.Sprintf("content/2023/a-%d.md", i)] = fmt.Sprintf("---\ntitle: Api outage %d\ndate: 2023-0%d-10\nseverity: %s\nsystems: [%s]\n---\n\n## Impact\n\nErrors.\n", i, i+1, f.sev, f.systems)
	}
	files["content/2022/old.md"] = "---\ntitle: An old one\ndate: 2022\nseverity: SEV1\nsystems: [db]\n---\n\n## Impact\n\nLost writes.\n"
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

// settle waits until expr is true on the page the browser has
// navigated to, asking again while the new page has no context to
// evaluate in yet.
func settle(b *browserSite, t *testing.T, name, expr string) {
	t.Helper()
	for deadline := time.Now().Add(45 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
	}
	t.Fatalf("%s: %s never held; page: %s", name, expr, b.state())
}

// rowsShown counts the rows of the index on screen, and those on screen
// that fail a test of their data attributes (tr => bool).
func rowsShown(b *browserSite, t *testing.T, bad string) (shown, wrong string) {
	t.Helper()
	rows := `[...document.querySelectorAll('section.group tbody tr')].filter((tr) => tr.offsetParent !== null)`
	return b.js(t, `String(`+rows+`.length)`), b.js(t, `String(`+rows+`.filter((tr) => !(`+bad+`)(tr)).length)`)
}

// TestBrowserIndexFilters: on the home page, a severity, a system and a
// year filter the rows in place and the URL names them, so that the view
// can be linked; a year the home page lists none of opens its page, with
// the other filters. Without JavaScript, the same links open pages that
// list only the matching incidents.
func TestBrowserIndexFilters(t *testing.T) {
	b := newBrowserSite(t, indexSite(t), nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	search := `location.search`

	b.do(t, "home", chromedp.Navigate(b.base), chromedp.WaitVisible(css(`#kb_filters`)))
	if n, _ := rowsShown(b, t, `() => true`); n != fmt.Sprint(render.DefaultPerPage) {
		t.Fatalf("home shows %s rows, want %d", n, render.DefaultPerPage)
	}

	// A system of the page: the rows of other systems hide, the URL
	// says which.
	b.do(t, "system", chromedp.Click(css(`#kb_filters a[data-filter="system"][data-value="queue"]`)),
		poll(`location.search === '?system=queue'`))
	if n, wrong := rowsShown(b, t, `(tr) => (' ' + tr.dataset.systems + ' ').includes(' queue ')`); n != fmt.Sprint(render.DefaultPerPage) || wrong != "0" {
		t.Errorf("system=queue shows %s rows, %s of another system", n, wrong)
	}

	// A severity and the system together; the linked view opens as it
	// was left.
	b.do(t, "severity", chromedp.Click(css(`#kb_filters a[data-filter="severity"][data-value="sev1"]`)),
		poll(`location.search === '?severity=sev1&system=queue'`))
	if n, _ := rowsShown(b, t, `() => true`); n != "0" {
		t.Errorf("SEV1 on the queue shows %s rows, want none", n)
	}
	if got := b.js(t, `document.getElementById('kb_filter_status').textContent`); !strings.Contains(got, "All 3 SEV1 incidents") || !strings.Contains(got, "All 203 incidents of queue") {
		t.Errorf("the note %q does not lead to all SEV1 incidents and all of the queue", got)
	}
	b.do(t, "clear severity", chromedp.Click(css(`#kb_filters a[data-filter="severity"][data-value="sev1"]`)),
		poll(`location.search === '?system=queue'`))
	b.do(t, "linked view", chromedp.Navigate(b.base+"?severity=sev2"), chromedp.WaitVisible(css(`#kb_filters`)))
	if n, wrong := rowsShown(b, t, `(tr) => tr.dataset.sev === 'sev2'`); n != fmt.Sprint(render.DefaultPerPage) || wrong != "0" {
		t.Errorf("?severity=sev2 shows %s rows, %s of another severity", n, wrong)
	}
	if got := b.js(t, `document.querySelector('#kb_filters a[data-value="sev2"]').getAttribute('aria-current') || 'none'`); got != "true" {
		t.Errorf("the SEV2 filter is not marked as chosen: %s", got)
	}
	b.do(t, "show all", chromedp.Click(css(`#kb_filter_status a.filter-clear`)), poll(`location.search === ''`))
	if n, _ := rowsShown(b, t, `() => true`); n != fmt.Sprint(render.DefaultPerPage) {
		t.Errorf("after Show all, %s rows", n)
	}

	// A year the home page holds none of: its page, with the severity.
	b.do(t, "severity again", chromedp.Click(css(`#kb_filters a[data-filter="severity"][data-value="sev1"]`)), poll(search+` === '?severity=sev1'`))
	b.do(t, "year", chromedp.Click(css(`#kb_filters a[data-filter="year"][data-value="2023"]`)))
	settle(b, t, "the year page", `document.readyState === 'complete' && location.pathname.endsWith('/years/2023/') && location.search === '?severity=sev1' && !!document.getElementById('kb_filter_status')`)
	if n, wrong := rowsShown(b, t, `(tr) => tr.dataset.sev === 'sev1' && tr.dataset.year === '2023'`); n != "2" || wrong != "0" {
		t.Errorf("years/2023/?severity=sev1 shows %s rows, %s not SEV1 of 2023", n, wrong)
	}
	// On the year page, a system filters in place too.
	b.do(t, "system on the year page", chromedp.Click(css(`#kb_filters a[data-filter="system"][data-value="db"]`)),
		poll(`location.search === '?severity=sev1&system=db'`))
	if n, _ := rowsShown(b, t, `(tr) => tr.dataset.sev === 'sev1' && tr.dataset.systems.split(' ').includes('db')`); n != "1" {
		t.Errorf("SEV1 of the db in 2023: %s rows, want 1", n)
	}
	b.do(t, "back", chromedp.NavigateBack(), poll(`location.search === '?severity=sev1'`))
	if n, _ := rowsShown(b, t, `() => true`); n != "2" {
		t.Errorf("back to ?severity=sev1 on the year page: %s rows, want 2", n)
	}

	// Without JavaScript, each filter is a page of its own that lists
	// only the matching incidents.
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		link, path, rows, match string
		want                    int
	}{
		{`a[data-filter="severity"][data-value="sev1"]`, "/kb/timeline/severity/sev1/", `section.year ol.axis li`, `(li) => li.dataset.sev === 'sev1'`, 3},
		{`a[data-filter="system"][data-value="db"]`, "/kb/systems/db/", `section.group tbody tr`, `(tr) => tr.dataset.systems.split(' ').includes('db')`, 3},
		{`a[data-filter="year"][data-value="2023"]`, "/kb/years/2023/", `section.group tbody tr`, `(tr) => tr.dataset.year === '2023'`, 4},
		{`a[data-filter="year"][data-value="2022"]`, "/kb/years/2022/", `section.group tbody tr`, `(tr) => tr.dataset.year === '2022'`, 1},
	} {
		b.do(t, "home without script", chromedp.Navigate(b.base), chromedp.WaitVisible(css(`#kb_filters`)))
		if got := b.js(t, `document.getElementById('kb_filter_status') ? 'script ran' : 'no script'`); got != "no script" {
			t.Fatalf("the page script ran: %s", got)
		}
		b.do(t, c.link, chromedp.Click(css(`#kb_filters `+c.link)), chromedp.WaitVisible(css(`h1`)))
		if got := b.js(t, `location.pathname + location.search`); got != c.path {
			t.Errorf("%s leads to %s, want %s", c.link, got, c.path)
		}
		rows := `[...document.querySelectorAll('` + c.rows + `')]`
		if n := b.js(t, `String(`+rows+`.length)`); n != fmt.Sprint(c.want) {
			t.Errorf("%s lists %s incidents, want %d", c.path, n, c.want)
		}
		if wrong := b.js(t, `String(`+rows+`.filter((x) => !(`+c.match+`)(x)).length)`); wrong != "0" {
			t.Errorf("%s lists %s incidents that do not match", c.path, wrong)
		}
	}
}
