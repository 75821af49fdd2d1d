package render

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/lint"
	"github.com/kb-postmortems/kb/internal/markup"
)

// pageSite renders postmortems (content path → text) with a missing
// Impact section reported for each, and returns the files written.
func pageSite(t *testing.T, site Site, files map[string]string) map[string]string {
	t.Helper()
	md := markup.NewMarkdown(markup.Limits{})
	html := markup.NewHTMLRenderer()
	in := Input{Site: site, Layouts: kb.Layouts(), Assets: kb.Assets()}
	for _, rel := range sortedKeys(files) {
		d, err := md.Read("content/"+rel, []byte(files[rel]))
		if err != nil {
			t.Fatal(err)
		}
		inc, err := incident.Extract(d, rel, incident.Config{})
		if err != nil {
			t.Fatal(err)
		}
		inc.Render(html)
		in.Incidents = append(in.Incidents, inc)
		in.Diagnostics = append(in.Diagnostics, lint.Diagnostic{Pos: markup.Pos{File: "content/" + rel, Line: 1, Col: 1},
			Severity: lint.Error, Rule: lint.SectionMissing, Subject: "Impact", Message: "no impact section"})
	}
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

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// TestBannerModes: the banner that a postmortem is not finished opens
// only the pages lint.banner asks for; every other page with a missing
// section names it quietly in its metadata, with a link to its row of
// the review page; and the menu counts findings only when every page
// shows its banner.
func TestBannerModes(t *testing.T) {
	files := map[string]string{
		"2024-01-01-draft.md":    "---\ntitle: Draft\nstatus: Draft\n---\n\n## Root cause\n\nA.\n",
		"2024-01-02-wip.md":      "---\ntitle: Wip\nstatus: work-in-progress\n---\n\n## Root cause\n\nA.\n",
		"2024-01-03-done.md":     "---\ntitle: Done\nstatus: resolved\n---\n\n## Root cause\n\nA.\n",
		"2024-01-04-flagged.md":  "---\ntitle: Flagged\ndraft: true\n---\n\n## Root cause\n\nA.\n",
		"2024-01-05-review.md":   "---\ntitle: Review\nstatus: in review\n---\n\n## Root cause\n\nA.\n",
		"2024-01-06-nostatus.md": "# No status\n\n## Root cause\n\nA.\n",
	}
	const bannerText = "This postmortem is not finished."
	for _, tt := range []struct {
		mode   string
		banner []string // ids with the banner; the others have the quiet note
		badge  bool
	}{
		{"", []string{"2024-01-01-draft", "2024-01-02-wip", "2024-01-04-flagged"}, false},
		{"drafts", []string{"2024-01-01-draft", "2024-01-02-wip", "2024-01-04-flagged"}, false},
		{"always", []string{"2024-01-01-draft", "2024-01-02-wip", "2024-01-03-done", "2024-01-04-flagged", "2024-01-05-review", "2024-01-06-nostatus"}, true},
		{"never", nil, false},
	} {
		out := pageSite(t, Site{Title: "T", BaseURL: "/", LintBanner: tt.mode}, files)
		for rel := range files {
			id := strings.TrimSuffix(rel, ".md")
			page := out["incidents/"+id+"/index.html"]
			if page == "" {
				t.Fatalf("%q: no page for %s", tt.mode, id)
			}
			want := false
			for _, b := range tt.banner {
				want = want || b == id
			}
			if got := strings.Contains(page, bannerText); got != want {
				t.Errorf("banner %q: %s has the banner = %v, want %v", tt.mode, id, got, want)
			}
			note := `<dt class="lint">Missing</dt><dd class="lint">Impact · <a href="../../review/#i-` + id + `">review</a></dd>`
			if got := strings.Contains(page, note); got == want {
				t.Errorf("banner %q: %s has the quiet note = %v, want %v", tt.mode, id, got, !want)
			}
			if got := strings.Contains(page, `<span class="badge">6</span>`); got != tt.badge {
				t.Errorf("banner %q: %s: menu counts findings = %v, want %v", tt.mode, id, got, tt.badge)
			}
			if !strings.Contains(page, `href="../../review/">`) {
				t.Errorf("banner %q: %s: no link to the review page in the menu", tt.mode, id)
			}
		}
		if review := out["review/index.html"]; !strings.Contains(review, `<tr id="i-2024-01-03-done">`) {
			t.Errorf("banner %q: the review page has no row to link to:\n%s", tt.mode, review)
		}
	}
}

func TestDraftStatus(t *testing.T) {
	for s, want := range map[string]bool{
		"draft": true, "Draft": true, "DRAFT v2": true, "draft - needs review": true, "WIP": true, "wip: timeline": true,
		"work in progress": true, "in-progress": true, "In Progress": true, "unfinished": true, "to do": true, "TODO": true,
		"resolved": false, "in review": false, "closed": false, "monitoring": false, "": false, "drafted and reviewed": false,
		"redraft": false,
	} {
		if got := draftStatus(s); got != want {
			t.Errorf("draftStatus(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestSourceLinks: an incident links to its file in the repository, to
// edit and to view, with every segment of the branch and path escaped;
// without a repository, or with a content folder outside it, there are
// no links.
func TestSourceLinks(t *testing.T) {
	repo := Site{RepoURL: "https://github.com/acme/kb", RepoBranch: "main", RepoContent: "docs/content"}
	for _, tt := range []struct {
		name       string
		site       Site
		path       string
		line       int
		log        bool
		edit, view string
	}{
		{"plain", repo, "2024/dns.md", 0, false,
			"https://github.com/acme/kb/edit/main/docs/content/2024/dns.md", "https://github.com/acme/kb/blob/main/docs/content/2024/dns.md"},
		{"escaped", Site{RepoURL: "https://github.com/acme/kb/", RepoBranch: "release/2024 q1", RepoContent: "."}, `PM2020-007 - Billing #2 "x"?.md`, 0, false,
			"https://github.com/acme/kb/edit/release/2024%20q1/PM2020-007%20-%20Billing%20%232%20%22x%22%3F.md",
			"https://github.com/acme/kb/blob/release/2024%20q1/PM2020-007%20-%20Billing%20%232%20%22x%22%3F.md"},
		{"log entry", repo, "history.md", 42, true,
			"https://github.com/acme/kb/edit/main/docs/content/history.md", "https://github.com/acme/kb/blob/main/docs/content/history.md?plain=1#L42"},
		{"no repository", Site{RepoBranch: "main", RepoContent: "content"}, "a.md", 0, false, "", ""},
		{"content outside the repository", Site{RepoURL: "https://github.com/acme/kb", RepoBranch: "main"}, "a.md", 0, false, "", ""},
	} {
		inc := &incident.Incident{Path: tt.path, Pos: markup.Pos{Line: tt.line}}
		if tt.log {
			inc.Log = &incident.Page{}
		}
		edit, view := sourceLinks(tt.site, inc)
		if edit != tt.edit || view != tt.view {
			t.Errorf("%s:\n edit %s\n want %s\n view %s\n want %s", tt.name, edit, tt.edit, view, tt.view)
		}
	}
}

// TestSourceLinksOnPage: the links reach the page, escaped once; a site
// without a repository shows the source path alone.
func TestSourceLinksOnPage(t *testing.T) {
	files := map[string]string{"2024-01-01-a b.md": "# A\n\n## Impact\n\nSlow.\n"}
	out := pageSite(t, Site{Title: "T", BaseURL: "/", RepoURL: "https://github.com/acme/kb", RepoBranch: "main", RepoContent: "content"}, files)
	page := out["incidents/2024-01-01-a-b/index.html"]
	for _, want := range []string{
		`<a href="https://github.com/acme/kb/edit/main/content/2024-01-01-a%20b.md">Edit this postmortem</a>`,
		`<a href="https://github.com/acme/kb/blob/main/content/2024-01-01-a%20b.md">View source</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	out = pageSite(t, Site{Title: "T", BaseURL: "/"}, files)
	page = out["incidents/2024-01-01-a-b/index.html"]
	if strings.Contains(page, "Edit this postmortem") || strings.Contains(page, "View source") {
		t.Errorf("links without a repository")
	}
	if !strings.Contains(page, "<code>2024-01-01-a b.md</code>") {
		t.Errorf("no source path")
	}
}

// TestTimedTables: tables in the sections read as the timeline, under
// any of its headings and in its subsections, are marked; tables
// elsewhere are not.
func TestTimedTables(t *testing.T) {
	table := "| Time | Event |\n|---|---|\n| 2023-02-14 10:45 | Alert |\n"
	src := "# Outage\n\n## Impact\n\n" + table + "\n## Chronology\n\n" + table + "\n### Day two\n\n" + table +
		"\n## Action items\n\n" + table
	out := pageSite(t, Site{Title: "T", BaseURL: "/"}, map[string]string{"2024-01-01-a.md": src})
	page := out["incidents/2024-01-01-a/index.html"]
	body := page[strings.Index(page, `<div class="body">`):]
	var got []string
	for _, part := range strings.Split(body, "<table")[1:] {
		got = append(got, strings.SplitN(part, ">", 2)[0])
	}
	if want := []string{"", ` class="timeline"`, ` class="timeline"`, ""}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("tables %q, want %q", got, want)
	}

	// Unit cases on HTML as package markup writes it.
	secs := []*incident.Section{{Key: incident.Timeline, ID: "timeline", Sections: []*incident.Section{{Key: "x", ID: "later"}}}}
	for _, c := range []struct{ in, want string }{
		{`<h2 id="timeline">T</h2><table><tr></tr></table><h2 id="x">X</h2><table>`, `<h2 id="timeline">T</h2><table class="timeline"><tr></tr></table><h2 id="x">X</h2><table>`},
		{`<h2 id="timeline">T</h2><h3 id="later">L</h3><table>`, `<h2 id="timeline">T</h2><h3 id="later">L</h3><table class="timeline">`},
		{`<h3 id="timeline">T</h3><h2 id="x">X</h2><table>`, `<h3 id="timeline">T</h3><h2 id="x">X</h2><table>`},
		{`<p id="timeline">T</p><table>`, `<p id="timeline">T</p><table>`},
		{`<h2 id="timeline">T</h2><pre>&lt;table&gt;</pre><hr><header><table>`, `<h2 id="timeline">T</h2><pre>&lt;table&gt;</pre><hr><header><table class="timeline">`},
		{`no heading <table>`, `no heading <table>`},
	} {
		if got := string(timedTables([]byte(c.in), secs)); got != c.want {
			t.Errorf("timedTables(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
	}
}
