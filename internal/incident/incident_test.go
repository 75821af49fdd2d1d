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
			title: "Images missing", date: "2023-05-02T00:00:00+02:00", dateFrom: "path",
		},
		{
			name: "page bundle", path: "2022/2022-12-07-dns/index.md",
			src:   "Some text.\n",
			title: "Dns", date: "2022-12-07T00:00:00+01:00", dateFrom: "path",
		},
		{
			name: "first heading names a section: title from file name", path: "003-migrations-not-included.md",
			src:   "# Overview\n\nx\n\n# Root causes\n\ny\n",
			title: "Migrations not included",
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
				gotDate = inc.Date.Time.Format(time.RFC3339)
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

func TestPathDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // when.Date's String, "" for none
	}{
		{"2024-03-11-dns.md", "2024-03-11"},
		{"2024-03-11.md", "2024-03-11"},
		{"x/2022-12-07-dns/index.md", "2022-12-07"},
		{"2024-13-11-bad.md", ""},
		{"dns-2024-03-11.md", "2024-03-11"},
		{"20240311-dns.md", "2024-03-11"},
		{"24-10-2024-all-down.md", "2024-10-24"},
		{"2023-05-moderation/index.md", "May 2023"},
		{"jan-2019-dns.md", "Jan 2019"},
		{"2019-jan-dns.md", "Jan 2019"},
		{"PM2023-001 - Bad node image", "2023"},
		{"INC-2022-017 notes", "2022"},
		{"2023-cache.md", "2023"},
		{"2019/03/outage.md", "Mar 2019"},
		{"2019/03/04-outage.md", "2019-03-04"},
		{"archive/2019/outage.md", "2019"},
		{"2019/03/2019-03-07-outage.md", "2019-03-07"},
		{"001-build-failing.md", ""},
		{"v2/notes.md", ""},
		{"1999/13/x.md", "1999"},
	}
	for _, tt := range tests {
		got := ""
		if m, ok := PathDate(tt.in, time.UTC); ok {
			got = m.Start.String()
		}
		if got != tt.want {
			t.Errorf("PathDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTitleFromPath(t *testing.T) {
	for in, want := range map[string]string{
		"2023-04-05-db-failover.md":           "Db failover",
		"PM2022-009 - Bad AWS EKS AMI":        "Bad AWS EKS AMI",
		"001-build-failing.md":                "Build failing",
		"jan-2019-dns.md":                     "Dns",
		"notes.md":                            "Notes",
		"2024-01-02.md":                       "Untitled incident",
		"x/2022-12-07-dns/index.md":           "Dns",
		"INC-12_queue_stuck.md":               "Queue stuck",
		"24-10-2024 - All instances down.txt": "All instances down",
	} {
		if got := TitleFromPath(in); got != want {
			t.Errorf("TitleFromPath(%q) = %q, want %q", in, got, want)
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
