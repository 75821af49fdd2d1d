package incident

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb/internal/markup"
)

func read(t *testing.T, name, src string) *markup.Doc {
	t.Helper()
	d, err := markup.NewMarkdown(markup.Limits{}).Read(name, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestExtractMetadata(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	tests := []struct {
		name, path, src string
		title, date     string // date in RFC 3339
		dateFrom        string
		severity        string
		systems         string
		authors         string
	}{
		{
			name: "yaml", path: "x.md",
			src:   "---\ntitle: DB down\ndate: 2024-03-11\nseverity: SEV1\nsystems: [postgres, PgBouncer, postgres]\nauthor: Ana\n---\n## Impact\n\nx\n",
			title: "DB down", date: "2024-03-11T00:00:00+01:00", dateFrom: "metadata", severity: "SEV1", systems: "postgres|PgBouncer", authors: "Ana",
		},
		{
			name: "toml with zone", path: "x.md",
			src:   "+++\ntitle = \"T\"\ndate = 2024-03-11T10:00:00Z\nsystems = \"dns, cdn\"\nseverity = 2\n+++\n",
			title: "T", date: "2024-03-11T10:00:00Z", dateFrom: "metadata", severity: "2", systems: "dns|cdn",
		},
		{
			name: "date string with time", path: "x.md",
			src:   "---\ndate: \"2024-03-11 14:05\"\n---\n# Title here\n",
			title: "Title here", date: "2024-03-11T14:05:00+01:00", dateFrom: "metadata",
		},
		{
			name: "no front matter: title from heading, date from file name", path: "2023-05-02-bucket-policy.md",
			src:   "# Images missing\n\nText.\n\n## Impact\n\nAll of them.\n",
			title: "Images missing", date: "2023-05-02T00:00:00+02:00", dateFrom: "file name",
		},
		{
			name: "page bundle", path: "2022/2022-12-07-dns/index.md",
			src:   "Some text.\n",
			title: "Dns", date: "2022-12-07T00:00:00+01:00", dateFrom: "file name",
		},
		{
			name: "first heading names a section: title from file name", path: "003-migrations-not-included.md",
			src:   "# Overview\n\nx\n\n# Root causes\n\ny\n",
			title: "003 migrations not included",
		},
		{
			name: "no title anywhere", path: "notes.md", src: "just text\n", title: "Notes",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc, err := Extract(read(t, "content/"+tt.path, tt.src), tt.path, Config{Location: berlin})
			if err != nil {
				t.Fatal(err)
			}
			if inc.Title != tt.title {
				t.Errorf("title = %q, want %q", inc.Title, tt.title)
			}
			gotDate := ""
			if !inc.Date.IsZero() {
				gotDate = inc.Date.Format(time.RFC3339)
			}
			if gotDate != tt.date || inc.DateFrom != tt.dateFrom {
				t.Errorf("date = %q from %q, want %q from %q", gotDate, inc.DateFrom, tt.date, tt.dateFrom)
			}
			if inc.Severity != tt.severity {
				t.Errorf("severity = %q, want %q", inc.Severity, tt.severity)
			}
			if got := strings.Join(inc.Systems, "|"); got != tt.systems {
				t.Errorf("systems = %q, want %q", got, tt.systems)
			}
			if got := strings.Join(inc.Authors, "|"); got != tt.authors {
				t.Errorf("authors = %q, want %q", got, tt.authors)
			}
		})
	}
}

func TestExtractErrors(t *testing.T) {
	tests := []struct {
		name, src string
		lines     []int
		want      string
	}{
		{"date not a date", "---\ntitle: T\ndate: yesterday\n---\n", []int{3}, `date "yesterday" is not a date`},
		{"impossible date", "---\ndate: 2024-02-30\n---\n", []int{2}, "is not a date"},
		{"title is a list", "---\ntitle: [a, b]\n---\n", []int{2}, "title must be text, not a list"},
		{"systems is a mapping", "---\nsystems: {a: 1}\n---\n", []int{2}, "systems must be a list of names, not a mapping"},
		{"nested list item", "---\ncauses: [a, [b]]\n---\n", []int{2}, "one item is a list"},
		{"severity is a list", "---\nseverity: [1, 2]\n---\n", []int{2}, "severity must be one value"},
		{"all problems reported", "---\ntitle: {a: 1}\ndate: soon\nstatus: [x]\n---\n", []int{2, 3, 4}, "status must be one value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Extract(read(t, "content/x.md", tt.src), "x.md", Config{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			var lines []int
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var me *markup.Error
				if !errors.As(e, &me) {
					t.Fatalf("%v is not a *markup.Error", e)
				}
				if me.Hint == "" || me.Pos.File != "content/x.md" {
					t.Errorf("%v: hint %q, file %q", e, me.Hint, me.Pos.File)
				}
				lines = append(lines, me.Pos.Line)
			}
			if len(lines) != len(tt.lines) {
				t.Fatalf("error lines = %v, want %v", lines, tt.lines)
			}
			for i := range lines {
				if lines[i] != tt.lines[i] {
					t.Errorf("error lines = %v, want %v", lines, tt.lines)
				}
			}
		})
	}
}

func TestIDFromPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-03-11-dns.md", "2024-03-11-dns"},
		{"2024/03 DNS Outage.rst", "2024/03-dns-outage"},
		{"team/2022-12-07-dns/index.md", "team/2022-12-07-dns"},
		{"index.md", "index"},
		{"Ünïcode.md", "ünïcode"},
		{"🔥.md", "incident"},
	}
	for _, tt := range tests {
		if got := IDFromPath(tt.in); got != tt.want {
			t.Errorf("IDFromPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDateFromPath(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"2024-03-11-dns.md", "2024-03-11"},
		{"2024-03-11.md", "2024-03-11"},
		{"x/2022-12-07-dns/index.md", "2022-12-07"},
		{"2024-13-11-bad.md", ""},
		{"dns-2024-03-11.md", ""},
		{"20240311-dns.md", ""},
	}
	for _, tt := range tests {
		got := ""
		if d, ok := DateFromPath(tt.in, time.UTC); ok {
			got = d.Format("2006-01-02")
		}
		if got != tt.want {
			t.Errorf("DateFromPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSections(t *testing.T) {
	src := `# Title

## ⚠️ Leadup

*List the events that led to the incident*

## Customer impact

Real words.

## Five Whys

TODO

## Lessons learned

### What went well

- Things

## Follow-up tasks

- [ ] TBD

## Appendix

<!-- nothing yet -->
`
	inc, err := Extract(read(t, "x.md", src), "x.md", Config{})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		key       string
		canonical bool
		empty     bool
	}
	want := []row{
		{Timeline, true, true},
		{Impact, true, false},
		{RootCause, true, true},
		{LessonsLearned, true, false},
		{ActionItems, true, true},
		{"appendix", false, true},
	}
	if len(inc.Sections) != len(want) {
		t.Fatalf("%d sections, want %d", len(inc.Sections), len(want))
	}
	for i, w := range want {
		s := inc.Sections[i]
		if s.Key != w.key || s.Canonical != w.canonical || s.Empty != w.empty {
			t.Errorf("section %q = {%s %v empty=%v}, want {%s %v empty=%v}", s.Title, s.Key, s.Canonical, s.Empty, w.key, w.canonical, w.empty)
		}
	}
}

func TestMatcherIsDeterministic(t *testing.T) {
	m := NewMatcher(map[string][]string{"b": {"Shared"}, "a": {"Shared"}})
	for i := 0; i < 20; i++ {
		if k, _ := m.Canonical("shared"); k != "a" {
			t.Fatalf("shared alias went to %q, want the alphabetically first key", k)
		}
	}
}

func TestMatcherRecognisesPhrasesInsideHeadings(t *testing.T) {
	m := NewMatcher(DefaultAliases())
	tests := []struct {
		heading string
		want    string
	}{
		{"Working theory (root cause)", RootCause},
		{"A short, confusing timeline", Timeline},
		{"What went well & where did we get lucky", LessonsLearned},
		{"Impact on customers in the EU", Impact},
		{"Response times", ""},    // "response" alone means resolution only when it is the heading
		{"Context switching", ""}, // likewise "context"
		{"Debug why we did not get alerts", ""},
		{"Timeline and impact", Timeline}, // the earlier phrase wins
	}
	for _, tt := range tests {
		got, _ := m.Canonical(markup.NormalizeHeading(tt.heading))
		if got != tt.want {
			t.Errorf("%q → %q, want %q", tt.heading, got, tt.want)
		}
	}
}

func TestResolveLink(t *testing.T) {
	byPath := map[string]*Incident{}
	for _, p := range []string{"a.md", "b.rst", "team/c.md", "team/bundle/index.md"} {
		byPath[p] = &Incident{Path: p, ID: IDFromPath(p)}
	}
	from := byPath["team/c.md"]
	tests := []struct{ dest, want string }{
		{"../a.md", "a"},
		{"../a", "a"},
		{"../a.rst", "a"}, // a :doc: reference guessed the wrong extension
		{"../b", "b"},
		{"../b.md#why", "b"},
		{"bundle", "team/bundle"},
		{"bundle/index.md", "team/bundle"},
		{"c.md", ""}, // itself
		{"../../etc/passwd", ""},
		{"https://example.org/a.md", ""},
		{"/a.md", ""},
		{"#frag", ""},
		{"missing.md", ""},
		{"../a%2Emd", "a"}, // percent-encoded as written in a link
	}
	for _, tt := range tests {
		got := ""
		if inc, ok := ResolveLink(from, tt.dest, byPath); ok {
			got = inc.ID
		}
		if got != tt.want {
			t.Errorf("ResolveLink(%q) = %q, want %q", tt.dest, got, tt.want)
		}
	}
}

func TestTermsAreCapped(t *testing.T) {
	var names []string
	for i := range MaxTerms + 25 {
		names = append(names, fmt.Sprintf("s%d", i))
	}
	inc, err := Extract(read(t, "content/x.md", "---\nsystems: \""+strings.Join(names, ",")+"\"\n---\n"), "x.md", Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inc.Systems) != MaxTerms || len(inc.Warnings) != 1 || inc.Warnings[0].Pos.Line != 2 {
		t.Errorf("%d systems, warnings %v", len(inc.Systems), inc.Warnings)
	}
}

func TestImageIsContent(t *testing.T) {
	inc, err := Extract(read(t, "x.md", "# T\n\n## Impact\n\n![](graph.png)\n\n## Root cause\n\n![TODO](x.png)\n"), "x.md", Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range inc.Sections {
		if s.Empty {
			t.Errorf("section %q with an image is empty", s.Title)
		}
	}
}
