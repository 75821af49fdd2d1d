package render

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
)

// headSite renders a site of two incidents, one whose summary needs
// escaping, under base.
func headSite(t *testing.T, base string) map[string][]byte {
	t.Helper()
	md := markup.NewMarkdown(markup.Limits{})
	var incs []*incident.Incident
	for _, f := range []struct{ rel, src string }{
		{"2024-03-01-dns.md", "# DNS outage\n\nResolvers in one region stopped answering for forty minutes.\n\n## Impact\n\nSlow.\n"},
		{"2024-03-02-quote.md", "---\ndescription: 'A \"quoted\" summary & <script>alert(1)</script>'\n---\n# Quote \"outage\" & 'co'\n\n## Impact\n\nSlow.\n"},
	} {
		d, err := md.Read("content/"+f.rel, []byte(f.src))
		if err != nil {
			t.Fatal(err)
		}
		inc, err := incident.Extract(d, f.rel, incident.Config{})
		if err != nil {
			t.Fatal(err)
		}
		inc.Render(markup.NewHTMLRenderer())
		incs = append(incs, inc)
	}
	in := Input{
		Site:      Site{Title: "Example KB", Description: "Postmortems of the example team", BaseURL: base},
		Incidents: incs, Layouts: kb.Layouts(), Assets: kb.Assets(), Workers: 2,
	}
	var w mapWriter
	if err := Render(context.Background(), in, &w); err != nil {
		t.Fatal(err)
	}
	return w.files
}

var headRE = regexp.MustCompile(`(?s)<head>.*</head>`)

// head returns the <head> of a page.
func head(t *testing.T, files map[string][]byte, p string) string {
	t.Helper()
	b, ok := files[p]
	if !ok {
		t.Fatalf("no %s", p)
	}
	return headRE.FindString(string(b))
}

func TestHeadMeta(t *testing.T) {
	files := headSite(t, "https://kb.example.com/kb/")
	for _, c := range []struct {
		page      string
		want, not []string
	}{
		{
			page: "incidents/2024-03-01-dns/index.html",
			want: []string{
				`<meta name="description" content="Resolvers in one region stopped answering for forty minutes.">`,
				`<meta property="og:title" content="DNS outage">`,
				`<meta property="og:type" content="article">`,
				`<meta property="og:description" content="Resolvers in one region stopped answering for forty minutes.">`,
				`<meta property="og:site_name" content="Example KB">`,
				`<meta property="og:url" content="https://kb.example.com/kb/incidents/2024-03-01-dns/">`,
				`<link rel="canonical" href="https://kb.example.com/kb/incidents/2024-03-01-dns/">`,
			},
			not: []string{"Postmortems of the example team"},
		},
		{
			page: "index.html",
			want: []string{
				`<meta name="description" content="Postmortems of the example team">`,
				`<meta property="og:title" content="Example KB">`,
				`<meta property="og:type" content="website">`,
				`<meta property="og:url" content="https://kb.example.com/kb/">`,
				`<link rel="canonical" href="https://kb.example.com/kb/">`,
			},
			not: []string{`content="article"`},
		},
		{
			page: "review/index.html",
			want: []string{
				`<meta property="og:type" content="website">`,
				`<link rel="canonical" href="https://kb.example.com/kb/review/">`,
			},
		},
		{
			// Everything the author wrote is escaped, in every attribute.
			page: "incidents/2024-03-02-quote/index.html",
			want: []string{
				`<meta name="description" content="A &#34;quoted&#34; summary &amp; &lt;script&gt;alert(1)&lt;/script&gt;">`,
				`<meta property="og:title" content="Quote &#34;outage&#34; &amp; &#39;co&#39;">`,
			},
			not: []string{"<script>alert", `"quoted"`, `"outage"`},
		},
		{
			// GitHub Pages serves it at any address: it has none of its own.
			page: "404.html",
			want: []string{`<meta property="og:type" content="website">`},
			not:  []string{"og:url", "canonical"},
		},
	} {
		h := head(t, files, c.page)
		for _, s := range c.want {
			if !strings.Contains(h, s) {
				t.Errorf("%s: no %s in\n%s", c.page, s, h)
			}
		}
		for _, s := range c.not {
			if strings.Contains(h, s) {
				t.Errorf("%s: %s in\n%s", c.page, s, h)
			}
		}
	}
	for p, b := range files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		h := headRE.FindString(string(b))
		if n := strings.Count(h, `<meta name="description"`); n != 1 {
			t.Errorf("%s: %d descriptions", p, n)
		}
		if n := strings.Count(h, `<meta property="og:title"`); n != 1 {
			t.Errorf("%s: %d og:title", p, n)
		}
		// Nothing from another origin but the page's own address.
		for _, u := range regexp.MustCompile(`(?:href|src)="(https?:[^"]*)"`).FindAllStringSubmatch(h, -1) {
			if !strings.HasPrefix(u[1], "https://kb.example.com/kb/") {
				t.Errorf("%s: %s is of another origin", p, u[1])
			}
		}
	}
}

// A canonical address must be absolute: with a base URL that is a path,
// or none, a page names none.
func TestHeadMetaRelativeBase(t *testing.T) {
	for _, base := range []string{"/kb/", "/", ""} {
		files := headSite(t, base)
		for _, p := range []string{"index.html", "incidents/2024-03-01-dns/index.html"} {
			h := head(t, files, p)
			if strings.Contains(h, "canonical") || strings.Contains(h, "og:url") {
				t.Errorf("base %q, %s: an address in\n%s", base, p, h)
			}
			if !strings.Contains(h, `<meta property="og:title"`) || !strings.Contains(h, `<meta name="description"`) {
				t.Errorf("base %q, %s: no title or description in\n%s", base, p, h)
			}
		}
	}
}

func TestCutText(t *testing.T) {
	long := strings.Repeat("word ", 60) // 300 characters
	for _, c := range []struct {
		in, want string
		limit    int
	}{
		{"short text", "short text", 200},
		{"  spread\n over\tlines  ", "spread over lines", 200},
		{"one two three four", "one two…", 10},
		{"one two, three", "one two…", 12},
		{strings.Repeat("x", 30), strings.Repeat("x", 9) + "…", 10},
		{"éé éé éé éé", "éé éé…", 8},
		{long, strings.TrimSpace(strings.Repeat("word ", 40)) + "…", 200},
	} {
		got := cutText(c.in, c.limit)
		if got != c.want {
			t.Errorf("cutText(%q, %d) = %q, want %q", c.in, c.limit, got, c.want)
		}
		if n := utf8.RuneCountInString(got); n > c.limit {
			t.Errorf("cutText(%q, %d) is %d characters", c.in, c.limit, n)
		}
	}
}
