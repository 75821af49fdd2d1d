package lint

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
)

// site reads files (name → Markdown) into incidents, as the site does.
func site(t *testing.T, files map[string]string) []*incident.Incident {
	t.Helper()
	md := markup.NewMarkdown(markup.Limits{})
	var out []*incident.Incident
	for _, name := range sortedNames(files) {
		d, err := md.Read("content/"+name, []byte(files[name]))
		if err != nil {
			t.Fatal(err)
		}
		inc, err := incident.Extract(d, name, incident.Config{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, inc)
	}
	return out
}

func sortedNames(m map[string]string) []string {
	var names []string
	for k := range m {
		names = append(names, k)
	}
	for i := range names {
		for j := i + 1; j < len(names); j++ {
			if names[j] < names[i] {
				names[i], names[j] = names[j], names[i]
			}
		}
	}
	return names
}

// complete is a postmortem that passes the default rules.
const complete = `---
title: Complete
date: 2024-01-02
---
## Summary

Short.

## Impact

Some.

## Timeline

- 10:00 start

## Detection

Alert.

## Root cause

Because.

## Resolution

Fixed.

## Lessons learned

Many.

## Action items

- [ ] One
`

func format(ds []Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s:%d %s %s", d.Pos.File, d.Pos.Line, d.Severity, d.Rule))
	}
	return out
}

func TestRules(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		cfg   func(*Config)
		want  []string
	}{
		{
			name:  "complete postmortem is clean",
			files: map[string]string{"2024-01-02-ok.md": complete},
		},
		{
			name:  "required missing is an error, recommended a warning",
			files: map[string]string{"2024-01-02-a.md": "---\ntitle: A\n---\n## Summary\n\nx\n\n## Impact\n\ny\n"},
			want: []string{
				"content/2024-01-02-a.md:1 error section-missing",
				"content/2024-01-02-a.md:1 error section-missing",
				"content/2024-01-02-a.md:1 warning section-missing",
				"content/2024-01-02-a.md:1 warning section-missing",
				"content/2024-01-02-a.md:1 warning section-missing",
				"content/2024-01-02-a.md:1 warning section-missing",
			},
		},
		{
			name:  "aliases satisfy the rule",
			files: map[string]string{"2024-01-02-a.md": "# A\n\nIntro paragraph.\n\n## 🥏 Customer impact\n\nx\n\n## :seedling: Five Why’s\n\ny\n\n## ☑️ Follow-up tasks\n\n- z\n"},
			cfg:   func(c *Config) { c.Recommended = nil },
		},
		{
			name:  "prompt, placeholder and comment are empty",
			files: map[string]string{"2024-01-02-a.md": "# A\n\n## Impact\n\n*Who was affected?*\n\n## Root cause\n\nTBD\n\n## Action items\n\n<!-- fill in -->\n"},
			cfg:   func(c *Config) { c.Recommended = nil },
			want: []string{
				"content/2024-01-02-a.md:3 error section-empty",
				"content/2024-01-02-a.md:7 error section-empty",
				"content/2024-01-02-a.md:11 error section-empty",
			},
		},
		{
			name:  "quoted prompt is empty, a quote with text after it is not",
			files: map[string]string{"2024-01-02-a.md": "# A\n\n## Impact\n\n> Describe the impact.\n\n## Root cause\n\n> Template prompt.\n\nA real answer.\n\n## Action items\n\n- [ ] TODO\n"},
			cfg:   func(c *Config) { c.Recommended = nil },
			want: []string{
				"content/2024-01-02-a.md:3 error section-empty",
				"content/2024-01-02-a.md:13 error section-empty",
			},
		},
		{
			name:  "a section with filled subsections is not empty",
			files: map[string]string{"2024-01-02-a.md": "# A\n\n## Impact\n\n### Customers\n\nMany.\n\n## Root cause\n\nx\n\n## Action items\n\n- y\n"},
			cfg:   func(c *Config) { c.Recommended = nil },
		},
		{
			name:  "disabled rules are silent",
			files: map[string]string{"a.md": "x\n"},
			cfg:   func(c *Config) { c.Disabled = []string{"section-missing", "date-missing", "title-missing"} },
		},
		{
			name:  "same heading twice",
			files: map[string]string{"2024-01-02-a.md": complete + "\n## Impact\n\nagain\n"},
			want:  []string{"content/2024-01-02-a.md:37 warning section-duplicate"},
		},
		{
			name:  "siblings that map to one key are not duplicates",
			files: map[string]string{"2024-01-02-a.md": complete + "\n### What went well\n\na\n\n### What went poorly\n\nb\n"},
		},
		{
			name:  "no date, no title",
			files: map[string]string{"notes.md": "just text\n"},
			cfg:   func(c *Config) { c.Required, c.Recommended = nil, nil },
			want:  []string{"content/notes.md:1 error date-missing", "content/notes.md:1 warning title-missing"},
		},
		{
			name:  "dates that disagree",
			files: map[string]string{"2024-01-02-a.md": strings.Replace(complete, "date: 2024-01-02", "date: 2024-01-05", 1)},
			want:  []string{"content/2024-01-02-a.md:3 warning date-conflict"},
		},
		{
			name:  "vocabularies",
			files: map[string]string{"2024-01-02-a.md": strings.Replace(complete, "date: 2024-01-02\n", "date: 2024-01-02\nseverity: sev-1\nstatus: done\nsystems: [postgress, PG, redis]\ncauses: [cosmic-rays]\n", 1)},
			cfg: func(c *Config) {
				c.Severities = []string{"SEV1", "SEV2"}
				c.Statuses = []string{"resolved", "draft"}
				c.Systems = map[string][]string{"postgres": {"pg"}, "redis": nil}
				c.Causes = map[string][]string{"capacity": nil}
			},
			want: []string{
				"content/2024-01-02-a.md:4 warning unknown-severity",
				"content/2024-01-02-a.md:5 warning unknown-status",
				"content/2024-01-02-a.md:6 warning unknown-system",
				"content/2024-01-02-a.md:7 warning unknown-cause",
			},
		},
		{
			name: "links between postmortems",
			files: map[string]string{
				"2024-01-02-a.md":     complete + "\nSee [b](b/index.md), [b again](b), [c](2023-c.md), [doc](https://x.org/y.md), [page](#impact), [gone](gone.md).\n",
				"b/index.md":          complete,
				"2023-c.md":           strings.Replace(complete, "2024-01-02", "2023-05-05", 1),
				"2024-01-02-other.md": complete + "\n[up](../outside.md)\n",
			},
			want: []string{
				"content/2024-01-02-a.md:37 error broken-link",
				"content/2024-01-02-other.md:37 error broken-link",
			},
		},
		{
			name: "per-folder overrides",
			files: map[string]string{
				"drafts/2024-01-02-a.md":    "# A\n\n## Impact\n\nx\n",
				"archive/old/2010-01-01.md": "# Old\n\nnothing\n",
			},
			cfg: func(c *Config) {
				c.Overrides = []Override{
					{Path: "drafts/**", Required: []string{}, Recommended: []string{"root-cause"}},
					{Path: "archive/", Required: []string{}, Recommended: []string{}, Disabled: []string{"title-missing"}},
				}
			},
			want: []string{"content/drafts/2024-01-02-a.md:1 warning section-missing"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Default()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			ds, err := Check(Input{Incidents: site(t, tt.files)}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			got := format(ds)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s\n(messages: %v)", strings.Join(got, "\n"), strings.Join(tt.want, "\n"), ds)
			}
			for _, d := range ds {
				if d.Message == "" || d.Hint == "" {
					t.Errorf("%s: a finding needs a message and a hint: %+v", d.Rule, d)
				}
				if !KnownRule(d.Rule) {
					t.Errorf("rule %q is not in Rules()", d.Rule)
				}
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		v    string
		cand []string
		want string
	}{
		{"postgress", []string{"postgres", "pgbouncer"}, "postgres"},
		{"sev-1", []string{"SEV1", "SEV2"}, "SEV1"},
		{"Sev 2", []string{"SEV1", "SEV2"}, "SEV2"},
		{"kafak", []string{"kafka", "vault"}, "kafka"},
		{"dns", []string{"cdn", "dnsmasq"}, ""}, // too short for two edits
		{"zzz", []string{"postgres"}, ""},
		{"resolvd", []string{"resolved", "draft"}, "resolved"},
	}
	for _, tt := range tests {
		if got := Suggest(tt.v, tt.cand); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		glob, path string
		match      bool
	}{
		{"drafts/**", "drafts/a.md", true},
		{"drafts/**", "drafts/x/y/a.md", true},
		{"drafts/**", "a/drafts/a.md", false},
		{"**/drafts/*", "team/drafts/a.md", true},
		{"**/drafts/*", "drafts/a.md", true},
		{"*.rst", "a.rst", true},
		{"*.rst", "x/a.rst", false},
		{"archive/", "archive/2010/a.md", true},
		{"2023-??-*.md", "2023-04-x.md", true},
	}
	for _, tt := range tests {
		re, err := globRE(tt.glob)
		if err != nil {
			t.Fatal(err)
		}
		if re.MatchString(tt.path) != tt.match {
			t.Errorf("glob %q on %q: match = %v, want %v", tt.glob, tt.path, !tt.match, tt.match)
		}
	}
}

func TestDiagnosticsAreSorted(t *testing.T) {
	incs := site(t, map[string]string{"b.md": "x\n", "a.md": "y\n"})
	ds, err := Check(Input{Incidents: incs}, Default())
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(ds); i++ {
		if ds[i-1].Pos.File > ds[i].Pos.File {
			t.Fatalf("not sorted: %v before %v", ds[i-1].Pos, ds[i].Pos)
		}
	}
	ds, _ = Check(Input{Incidents: incs, Report: func(i *incident.Incident) bool { return i.Path == "b.md" }}, Default())
	for _, d := range ds {
		if d.Pos.File != "content/b.md" {
			t.Errorf("reported on %s outside the selection", d.Pos.File)
		}
	}
}
