package render

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/graph"
	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/timeline"
)

// fixtureIncident is one postmortem of an index fixture: its date, as
// front matter writes it ("" for none), severity, declared systems and
// body.
type fixtureIncident struct {
	date, severity, systems, text string
}

// indexInput renders incidents with their graph (a vocabulary that knows
// kubernetes and postgres, so bodies can mention them) and timeline, the
// home page and each year page listing perPage rows at most.
func indexInput(t *testing.T, perPage int, fs []fixtureIncident) Input {
	t.Helper()
	md := markup.NewMarkdown(markup.Limits{})
	var incs []*incident.Incident
	for i, f := range fs {
		rel := fmt.Sprintf("incident-%03d.md", i)
		src := "---\n"
		if f.date != "" {
			src += "date: " + f.date + "\n"
		}
		if f.severity != "" {
			src += "severity: " + f.severity + "\n"
		}
		if f.systems != "" {
			src += "systems: [" + f.systems + "]\n"
		}
		text := f.text
		if text == "" {
			text = "Slow."
		}
		src += fmt.Sprintf("---\n# Incident %03d\n\n## Impact\n\n%s\n", i, text)
		d, err := md.Read("content/"+rel, []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		inc, err := incident.Extract(d, rel, incident.Config{})
		if err != nil {
			t.Fatal(err)
		}
		incs = append(incs, inc)
	}
	tl, _ := timeline.Build(incs, timeline.Config{})
	g := graph.Build(incs, graph.Config{Systems: graph.Vocabulary{"kubernetes": {"k8s"}, "postgres": nil}})
	return Input{
		Site: Site{Title: "Fixture KB", BaseURL: "/"}, Incidents: incs, Layouts: kb.Layouts(), Assets: kb.Assets(),
		Graph: g, Timeline: tl, Severities: []string{"SEV1", "SEV2", "SEV3"}, Workers: 2, PerPage: perPage,
	}
}

var (
	rowRE   = regexp.MustCompile(`<tr data-sev="([^"]*)" data-year="([^"]*)" data-systems="([^"]*)">\s*<td class="date">.*?</td>\s*<td class="title"><a href="([^"]*)">`)
	groupRE = regexp.MustCompile(`<section class="group" id="([^"]*)"[^>]*>\s*<h2[^>]*>(.*?)</h2>`)
)

// row is one row of a rendered incident list.
type row struct{ sev, year, systems, href string }

func rowsOf(page string) []row {
	var out []row
	for _, m := range rowRE.FindAllStringSubmatch(page, -1) {
		out = append(out, row{m[1], m[2], m[3], m[4]})
	}
	return out
}

// incidentOf is the id of the incident a row's link leads to.
func incidentOf(href string) string {
	i := strings.Index(href, "incidents/")
	return strings.TrimSuffix(href[i+len("incidents/"):], "/")
}

func renderIndex(t *testing.T, in Input) map[string]string {
	t.Helper()
	var w mapWriter
	if err := Render(context.Background(), in, &w); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for p, b := range w.files {
		out[p] = string(b)
	}
	return out
}

// yearFixture is 12 incidents of 2023 (by month, two known only to the
// year), 3 of 2022 and 2 undated, in the severities and systems the
// tests count.
func yearFixture() []fixtureIncident {
	var fs []fixtureIncident
	for i := range 10 {
		sev := "SEV2"
		if i%3 == 0 {
			sev = "SEV1"
		}
		fs = append(fs, fixtureIncident{date: fmt.Sprintf("2023-%02d-%02d", 12-i, 10), severity: sev, systems: "api"})
	}
	fs = append(fs,
		fixtureIncident{date: "2023", severity: "SEV3", systems: "db"},
		fixtureIncident{date: "2023", severity: "SEV3"},
		fixtureIncident{date: "2022-06-01", severity: "SEV1", systems: "db"},
		fixtureIncident{date: "2022-03", severity: "SEV2", text: "The k8s nodes were drained."},
		fixtureIncident{date: "2022-01-02", systems: "api, db"},
		fixtureIncident{severity: "SEV3"},
		fixtureIncident{text: "Postgres ran out of connections."},
	)
	return fs
}

// The home page lists the newest PerPage incidents by year, counts the
// whole site by severity, year and system, and links each count to a
// page that lists only those incidents.
func TestHomeIndex(t *testing.T) {
	files := renderIndex(t, indexInput(t, 5, yearFixture()))
	home := files["index.html"]
	rows := rowsOf(home)
	if len(rows) != 5 {
		t.Fatalf("home lists %d rows, want the newest 5", len(rows))
	}
	for i, want := range []string{"2023-12-10", "2023-08-10"} {
		if id := incidentOf(rows[i*4].href); !strings.Contains(home, `<time datetime="`+want+`">`) || id == "" {
			t.Errorf("row %d: %v", i*4, rows[i*4])
		}
	}
	groups := groupRE.FindAllStringSubmatch(home, -1)
	if len(groups) != 1 || groups[0][1] != "y2023" || !strings.Contains(groups[0][2], `<a href="years/2023/">2023</a>`) || !strings.Contains(groups[0][2], "12 incidents, 5 here") {
		t.Errorf("home groups %q, want one for 2023 linking its page and counting 12, 5 here", groups)
	}
	if strings.Contains(home, "<h1>Fixture KB</h1>") {
		t.Error("the home page repeats the site title as its heading")
	}
	if !strings.Contains(home, `<h1>Incidents <span class="n">17</span></h1>`) {
		t.Error("the home page does not count 17 incidents in its heading")
	}
	for _, want := range []string{
		`href="timeline/severity/sev1/" data-filter="severity" data-value="sev1" data-count="5">SEV1 <span class="n">5</span>`,
		`href="timeline/severity/sev2/" data-filter="severity" data-value="sev2" data-count="7">SEV2`,
		`href="timeline/severity/sev3/" data-filter="severity" data-value="sev3" data-count="3">SEV3`,
		`href="years/2023/" data-filter="year" data-value="2023" data-count="12">2023`,
		`href="years/2022/" data-filter="year" data-value="2022" data-count="3">2022`,
		`href="years/undated/" data-filter="year" data-value="undated" data-count="2">Undated`,
		`href="systems/api/" data-filter="system" data-value="api" data-count="11">api`,
		`href="systems/db/" data-filter="system" data-value="db" data-count="3">db`,
		`href="systems/kubernetes/" data-filter="system" data-value="kubernetes" data-count="1">kubernetes`,
		`href="systems/postgres/" data-filter="system" data-value="postgres" data-count="1">postgres`,
	} {
		if !strings.Contains(home, want) {
			t.Errorf("home lacks %s", want)
		}
	}
	// Severities in the site's order, years newest first.
	order := regexp.MustCompile(`data-value="(sev\d|20\d\d|undated)"`).FindAllStringSubmatch(home, -1)
	var got []string
	for _, m := range order {
		got = append(got, m[1])
	}
	if want := "sev1 sev2 sev3 2023 2022 undated"; strings.Join(got, " ") != want {
		t.Errorf("facets in the order %v, want %s", got, want)
	}
	if !strings.Contains(home, `<nav class="older"`) {
		t.Error("no links to older incidents on a home page that lists only some")
	}
	// Each filter page lists only matching incidents, and all of them.
	for _, c := range []struct {
		page  string
		match func(row) bool
		want  int
	}{
		{"years/2022/index.html", func(r row) bool { return r.year == "2022" }, 3},
		{"years/undated/index.html", func(r row) bool { return r.year == "undated" }, 2},
		{"systems/db/index.html", func(r row) bool { return strings.Contains(" "+r.systems+" ", " db ") }, 3},
		{"systems/kubernetes/index.html", func(r row) bool { return r.systems == "kubernetes" }, 1},
	} {
		rows := rowsOf(files[c.page])
		if len(rows) != c.want {
			t.Errorf("%s lists %d rows, want %d", c.page, len(rows), c.want)
		}
		for _, r := range rows {
			if !c.match(r) {
				t.Errorf("%s lists %v", c.page, r)
			}
		}
	}
	if n := strings.Count(files["timeline/severity/sev1/index.html"], `<li data-sev="sev1"`); n != 5 || strings.Contains(files["timeline/severity/sev1/index.html"], `<li data-sev="sev2"`) {
		t.Errorf("timeline/severity/sev1/ lists %d SEV1 incidents (want 5) or others", n)
	}
}

// A year of more incidents than PerPage is paginated; together, the
// pages of every year list each incident once, grouped by month.
func TestYearPages(t *testing.T) {
	in := indexInput(t, 5, yearFixture())
	files := renderIndex(t, in)
	var pages []string
	for p := range files {
		if strings.HasPrefix(p, "years/") {
			pages = append(pages, p)
		}
	}
	sort.Strings(pages)
	want := []string{"years/2022/index.html", "years/2023/index.html", "years/2023/page/2/index.html", "years/2023/page/3/index.html", "years/undated/index.html"}
	if strings.Join(pages, " ") != strings.Join(want, " ") {
		t.Fatalf("year pages %v, want %v", pages, want)
	}
	for p, n := range map[string]int{"years/2023/index.html": 5, "years/2023/page/2/index.html": 5, "years/2023/page/3/index.html": 2, "years/2022/index.html": 3, "years/undated/index.html": 2} {
		if got := len(rowsOf(files[p])); got != n {
			t.Errorf("%s lists %d rows, want %d", p, got, n)
		}
	}
	listed := map[string]int{}
	for _, p := range pages {
		for _, r := range rowsOf(files[p]) {
			listed[incidentOf(r.href)]++
		}
	}
	for _, inc := range in.Incidents {
		if listed[inc.ID] != 1 {
			t.Errorf("%s is on %d year pages, want 1", inc.ID, listed[inc.ID])
		}
	}
	if len(listed) != len(in.Incidents) {
		t.Errorf("year pages list %d incidents, want %d", len(listed), len(in.Incidents))
	}

	second := files["years/2023/page/2/index.html"]
	for _, want := range []string{
		`<a rel="prev" href="../../../../years/2023/">`,
		`<span aria-current="page">2</span>`,
		`<a rel="next" href="../../../../years/2023/page/3/">`,
		`<title>Incidents of 2023, page 2 of 3 · Fixture KB</title>`,
		// Counts are of the year, on every page of it; the filters open
		// the all-years pages at the year.
		`href="../../../../timeline/severity/sev1/#y2023" data-filter="severity" data-value="sev1" data-count="4">`,
		`href="../../../../systems/api/#y2023" data-filter="system" data-value="api" data-count="10">`,
		`href="../../../../years/2023/" data-filter="year" data-value="2023" data-count="12" aria-current="page">`,
	} {
		if !strings.Contains(second, want) {
			t.Errorf("years/2023/page/2/ lacks %s", want)
		}
	}
	if strings.Contains(files["years/2023/page/3/index.html"], `rel="next"`) || strings.Contains(files["years/2023/index.html"], `rel="prev"`) {
		t.Error("a link past the first or the last page of a year")
	}
	if strings.Contains(files["years/2022/index.html"], `class="pager"`) {
		t.Error("a pager on a year of one page")
	}
	// Months head the rows, counting the month's incidents; those known
	// only to the year come last.
	var heads []string
	for _, p := range []string{"years/2023/index.html", "years/2023/page/2/index.html", "years/2023/page/3/index.html"} {
		for _, m := range groupRE.FindAllStringSubmatch(files[p], -1) {
			heads = append(heads, m[1])
		}
	}
	if got, want := strings.Join(heads, " "), "y2023-12 y2023-11 y2023-10 y2023-09 y2023-08 y2023-07 y2023-06 y2023-05 y2023-04 y2023-03 y2023-year"; got != want {
		t.Errorf("month headings %s, want %s", got, want)
	}
	if !strings.Contains(files["years/2023/page/3/index.html"], `Date known only to the year <span class="n">2 incidents</span>`) {
		t.Error("the incidents known only to their year are not under their own heading")
	}
	// The timeline and the term pages have the anchors the filters of
	// a year page open them at.
	if !strings.Contains(files["timeline/severity/sev1/index.html"], `id="y2023"`) || !strings.Contains(files["systems/api/index.html"], `<section class="group" id="y2023"`) {
		t.Error("a page of every year has no #y2023 to open at")
	}
}

// Every incident is linked from the home page or from a year page; with
// no more incidents than PerPage, the home page lists them all.
func TestEveryIncidentLinkedFromIndex(t *testing.T) {
	for _, perPage := range []int{3, 100} {
		in := indexInput(t, perPage, yearFixture())
		files := renderIndex(t, in)
		linked := map[string]bool{}
		home := rowsOf(files["index.html"])
		for _, r := range home {
			linked[incidentOf(r.href)] = true
		}
		if want := min(perPage, len(in.Incidents)); len(home) != want {
			t.Errorf("PerPage %d: home lists %d, want %d", perPage, len(home), want)
		}
		for p, b := range files {
			if strings.HasPrefix(p, "years/") {
				for _, r := range rowsOf(b) {
					linked[incidentOf(r.href)] = true
				}
			}
		}
		for _, inc := range in.Incidents {
			if !linked[inc.ID] {
				t.Errorf("PerPage %d: %s linked from neither the home page nor a year page", perPage, inc.ID)
			}
		}
		if perPage == 100 && strings.Contains(files["index.html"], `<nav class="older"`) {
			t.Error("links to older incidents on a home page that lists them all")
		}
	}
}

// A row names the declared systems, or those recognised in the text when
// none are declared; its data-systems hold every one, as the systems'
// pages list them.
func TestRowSystems(t *testing.T) {
	in := indexInput(t, 0, []fixtureIncident{
		{date: "2024-01-02", systems: "api", text: "Postgres was slow."},
		{date: "2024-01-01", text: "The k8s nodes were drained and postgres failed over."},
	})
	home := renderIndex(t, in)["index.html"]
	rows := rowsOf(home)
	if len(rows) != 2 || rows[0].systems != "api postgres" || rows[1].systems != "kubernetes postgres" {
		t.Fatalf("rows %v", rows)
	}
	cells := regexp.MustCompile(`<td class="systems">(.*?)</td>`).FindAllStringSubmatch(home, -1)
	if len(cells) != 2 {
		t.Fatalf("%d systems cells", len(cells))
	}
	if c := cells[0][1]; c != `<a href="systems/api/">api</a>` {
		t.Errorf("declared systems cell %s, want api alone", c)
	}
	if c := cells[1][1]; !strings.Contains(c, `class="mentioned"`) || !strings.Contains(c, ">kubernetes</a>") || !strings.Contains(c, ">postgres</a>") {
		t.Errorf("mentioned systems cell %s, want kubernetes and postgres as mentioned", c)
	}
}

// A related incident without a date says so, rather than showing a date
// that is blank.
func TestRelatedUndated(t *testing.T) {
	in := indexInput(t, 0, []fixtureIncident{
		{date: "2024-03", systems: "api, db"},
		{systems: "api, db"},
		{date: "2021", systems: "api, db"},
	})
	files := renderIndex(t, in)
	var page string
	for p, b := range files {
		if strings.HasPrefix(p, "incidents/") && strings.Contains(b, "<h1>Incident 000</h1>") {
			page = b
		}
	}
	i := strings.Index(page, `aria-label="Related incidents"`)
	if i < 0 {
		t.Fatal("no related incidents on the page of incident 000")
	}
	related := page[i:]
	related = related[:strings.Index(related, "</section>")]
	for _, want := range []string{`<span class="date"><span class="none">undated</span> · `, `<span class="date"><time datetime="2021">2021</time> · `} {
		if !strings.Contains(related, want) {
			t.Errorf("related incidents lack %s:\n%s", want, related)
		}
	}
	if strings.Contains(related, `<span class="date"> · `) {
		t.Errorf("a related incident with a blank date:\n%s", related)
	}
}

// The home page stays the same size however many incidents are older
// than its rows: it grows with the years and the systems, not with the
// incidents.
func TestHomeBounded(t *testing.T) {
	size := func(n int) (int, int) {
		var fs []fixtureIncident
		for i := range n {
			fs = append(fs, fixtureIncident{date: fmt.Sprintf("2023-%02d-%02d", 12-i%12, 28-i%28), severity: "SEV2", systems: "api"})
		}
		files := renderIndex(t, indexInput(t, 10, fs))
		return len(rowsOf(files["index.html"])), len(files["index.html"])
	}
	rows1, small := size(40)
	rows2, large := size(400)
	if rows1 != 10 || rows2 != 10 {
		t.Errorf("home lists %d and %d rows, want 10", rows1, rows2)
	}
	// Only the digits of the counts differ.
	if large-small > 64 {
		t.Errorf("home of 400 incidents is %d bytes, of 40 %d", large, small)
	}
}
