package render

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/graph"
	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/spool"
	"github.com/kb-postmortems/kb/internal/timeline"
)

// The default head, header and footer read only what Shared keys them by.
func TestDefaultPartialsShared(t *testing.T) {
	set, err := parseLayouts(kb.Layouts())
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range pageKinds() {
		l := set[kind]
		for _, name := range []string{"head.html", "header.html", "footer.html"} {
			if !l.shared[name] {
				t.Errorf("%s: %s is not shared", kind, name)
			}
		}
		for _, name := range []string{"base.html", "head-meta.html", "meta.html", "incident-list.html", "related.html"} {
			if l.shared[name] {
				t.Errorf("%s: %s is shared", kind, name)
			}
		}
	}
}

func TestPageShared(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      bool
	}{
		{"only shared fields", `{{.Site.Title}}{{.Link "x/"}}{{.Kind}}{{if .Review}}{{.Review}}{{end}}`, true},
		{"dot moved into the site", `{{with .Site}}{{.Title}}{{end}}{{range $i, $x := .Site.Title}}{{$x}}{{end}}`, true},
		{"a part of the site to a template", `{{template "sub" .Site}}{{define "sub"}}{{.Title}}{{end}}`, true},
		{"the page to a template reading shared fields", `{{template "sub" .}}{{define "sub"}}{{.Kind}}{{end}}`, true},
		{"a template calling itself", `{{define "r"}}{{if .Review}}{{template "r" .}}{{end}}{{end}}{{template "r" .}}`, true},
		{"the title", `{{.Site.Title}}{{.Title}}`, false},
		{"the incident in a branch", `{{if .Review}}{{.Incident.Title}}{{end}}`, false},
		{"the page to a template reading more", `{{template "sub" .}}{{define "sub"}}{{.Path}}{{end}}`, false},
		{"$ inside with", `{{with .Site}}{{$.Title}}{{end}}`, false},
		{"$ to a template inside with", `{{with .Site}}{{template "sub" $}}{{end}}{{define "sub"}}{{.Incidents}}{{end}}`, false},
		{"the page in a variable", `{{$p := .}}{{$p.Site.Title}}`, false},
		{"the page to a function", `{{printf "%v" .}}`, false},
		{"the page as a pipeline", `{{with .}}{{.Kind}}{{end}}`, false},
		{"a method that reads more", `{{.Row "incident-row.html" nil}}`, false},
		{"a missing template", `{{template "nowhere" .}}`, false},
	} {
		tt, err := template.New("p").Funcs(funcs()).Parse(c.src)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := pageShared(tt)["p"]; got != c.want {
			t.Errorf("%s: shared = %v, want %v", c.name, got, c.want)
		}
	}
}

// A header that reads what differs between pages is made for each page,
// not taken from the first.
func TestSharedFallsBack(t *testing.T) {
	in := renderInput(t, 3)
	in.Layouts = Overlay(fstest.MapFS{"partials/header.html": {Data: []byte(`<p class="h">{{.Title}}</p>`)}}, kb.Layouts())
	var w mapWriter
	if err := Render(context.Background(), in, &w); err != nil {
		t.Fatal(err)
	}
	for _, inc := range in.Incidents {
		page := string(w.files["incidents/"+inc.ID+"/index.html"])
		if want := `<p class="h">` + inc.Title + `</p>`; !strings.Contains(page, want) {
			t.Errorf("%s: no %s in its page", inc.ID, want)
		}
	}
}

// listedInput is a site of n incidents, each in three systems, with its
// graph and timeline: each incident is listed on the home page, its
// year's page, the timeline, three system pages and four filtered
// timeline pages.
func listedInput(t *testing.T, n int) Input {
	t.Helper()
	md := markup.NewMarkdown(markup.Limits{})
	var incs []*incident.Incident
	for i := range n {
		rel := fmt.Sprintf("2024-01-%02d-outage-%d.md", i%28+1, i)
		src := fmt.Sprintf("---\nseverity: SEV2\nsystems: [api, db, cache]\n---\n# Outage %d\n\n## Impact\n\nSlow.\n", i)
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
	return Input{
		Site: Site{Title: "T", BaseURL: "/"}, Incidents: incs, Layouts: kb.Layouts(), Assets: kb.Assets(),
		Graph: graph.Build(incs, graph.Config{}), Timeline: tl, Workers: 1,
	}
}

// Each row is made once per depth of the pages that list it, however
// many pages list it; the head, header and footer once per kind and
// depth of page.
func TestMadeOnce(t *testing.T) {
	const n = 20
	in := listedInput(t, n)
	in.made = newMade()
	var w mapWriter
	if err := Render(context.Background(), in, &w); err != nil {
		t.Fatal(err)
	}
	listed := 0
	for p, b := range w.files {
		if strings.HasSuffix(p, ".html") {
			listed += strings.Count(string(b), `<td class="date">`) + strings.Count(string(b), `<li data-sev=`)
		}
	}
	// incident-row.html on the system pages (depth 2); timeline-row.html
	// on the timeline (1) and its filtered pages (3). The home page and
	// the year pages make theirs for themselves: no other page lists
	// them.
	if got, want := in.made.rowRuns, 3*n; got != want {
		t.Errorf("%d rows made for %d listed, want %d", got, listed, want)
	}
	if got, want := in.made.singleRuns, 2*n; got != want {
		t.Errorf("%d rows made for the home and year pages, want %d", got, want)
	}
	if listed < 10*n { // so that making each row once is tested
		t.Errorf("%d rows listed, want at least %d", listed, 10*n)
	}
	pages := 0
	for p := range w.files {
		if strings.HasSuffix(p, ".html") {
			pages++
		}
	}
	// The n incident pages, of one kind and depth, share one copy.
	if got, most := in.made.sharedRuns, 3*(pages-n+1); got > most {
		t.Errorf("shared partials made %d times for %d pages", got, pages)
	}
	t.Logf("%d rows listed, %d made; %d pages, shared partials made %d times", listed, in.made.rowRuns, pages, in.made.sharedRuns)
}

// With a Keeper, rows wait there instead of in memory: the pages are the
// same, each row is still made once, and the memo holds none of them.
func TestRowsKept(t *testing.T) {
	const n = 12
	var plain mapWriter
	if err := Render(context.Background(), listedInput(t, n), &plain); err != nil {
		t.Fatal(err)
	}
	in := listedInput(t, n)
	in.made = newMade()
	sp := spool.Memory()
	in.Keep = sp
	var kept mapWriter
	if err := Render(context.Background(), in, &kept); err != nil {
		t.Fatal(err)
	}
	if len(kept.files) != len(plain.files) {
		t.Fatalf("%d files with a Keeper, %d without", len(kept.files), len(plain.files))
	}
	for p, b := range plain.files {
		if !bytes.Equal(kept.files[p], b) {
			t.Errorf("%s differs when rows are kept", p)
		}
	}
	if got, want := in.made.rowRuns, 3*n; got != want {
		t.Errorf("%d rows made, want %d", got, want)
	}
	if len(in.made.kept) != in.made.rowRuns {
		t.Errorf("%d rows kept for %d made", len(in.made.kept), in.made.rowRuns)
	}
	for k := range in.made.copies {
		if _, ok := k.(rowKey); ok {
			t.Fatal("a row is held in memory beside the Keeper")
		}
	}
}
