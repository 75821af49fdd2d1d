package incident

import (
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb/internal/markup"
)

// TestDateSources: every place a date is written, which one wins, and
// what the title keeps.
func TestDateSources(t *testing.T) {
	tests := []struct {
		name, path, src string
		date, from      string // when.Date's String and DateFrom; "" for none
		title           string // "" to skip
	}{
		{name: "metadata wins over the path", path: "2024-03-12-x.md",
			src: "---\ndate: 2024-03-11 14:05\n---\n# T\n", date: "2024-03-11 14:05", from: "metadata"},
		{name: "metadata year only", path: "x.md", src: "---\ndate: 2023\n---\n# T\n", date: "2023", from: "metadata"},
		{name: "metadata month in words", path: "x.md", src: "---\ndate: October 2024\n---\n# T\n", date: "Oct 2024", from: "metadata"},
		{name: "mkdocs created", path: "x.md", src: "---\ndate:\n  created: 2021-01-12\n---\n# T\n", date: "2021-01-12", from: "metadata"},
		{name: "bold preamble line", path: "x.md", src: "# Cache stampede\n\n**Date:** 2022-06-14\n\n## Impact\n\nSlow.\n", date: "2022-06-14", from: "preamble"},
		{name: "plain preamble line in words", path: "x.md", src: "# T\n\nDate: 14 June 2022\nSeverity: SEV2\n\n## Impact\n\nx\n", date: "2022-06-14", from: "preamble"},
		{name: "table row", path: "x.md", src: "# T\n\n| Date | 2022-06-15 |\n|---|---|\n| Severity | SEV2 |\n\n## Impact\n\nx\n", date: "2022-06-15", from: "preamble"},
		{name: "date section with start and end", path: "x.md", src: "# T\n\n## Date\nStart: Wednesday, 2018-08-22\nEnd: Thursday, 2018-08-23\n\n## Impact\n\nx\n", date: "2018-08-22", from: "preamble"},
		{name: "date-only paragraph under overview", path: "x.md", src: "# T\n\n## Overview\n\nMonday, Nov. 13, 2017\n\nLogins failed for an hour after the migration.\n", date: "2017-11-13", from: "preamble"},
		{name: "title starting with a date", path: "x.md", src: "# 2017-09-27, Hub 403\n\n## Summary\n\nx\n", date: "2017-09-27", from: "title", title: "Hub 403"},
		{name: "title day first", path: "x.md", src: "# 24-10-2024 - All workers stuck\n\nx\n", date: "2024-10-24", from: "title", title: "All workers stuck"},
		{name: "title with time and zone", path: "x.md", src: "# 2019-12-27 15:15 PT: Price lookups failing\n\nx\n", date: "2019-12-27 15:15 PST", from: "title", title: "Price lookups failing"},
		{name: "title with a date inside", path: "x.md", src: "# Incident report August 12 2025 - Slow checkout\n\nx\n", date: "2025-08-12", from: "title", title: "Incident report August 12 2025 - Slow checkout"},
		{name: "title only a date: the next line names it", path: "x.txt", src: "# Saturday, March 10, 2018\n\nDeploy broke the API\n\nWe merged in production.\n", date: "2018-03-10", from: "title", title: "Deploy broke the API"},
		{name: "path", path: "2020-02-29-leap.md", src: "# Leap day\n\nx\n", date: "2020-02-29", from: "path"},
		{name: "year and month folders, day from the timeline", path: "2018/07/broker.md",
			src: "# Broker restart\n\n## Timeline\n\n- 2018-07-16 09:12 UTC alert fired\n- 09:30 restarted\n", date: "2018-07-16 09:12 UTC", from: "path+timeline"},
		{name: "opening prose", path: "x.md", src: "# Queue backlog\n\nOn March 3rd, 2021 at about 14:10 UTC the ingest queue stopped draining for everyone.\n", date: "2021-03-03 14:10 UTC", from: "text"},
		{name: "timeline table", path: "x.md", src: "# Slow API\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 2023-02-14 10:29 | first alert |\n", date: "2023-02-14 10:29", from: "timeline"},
		{name: "timeline heading", path: "x.md", src: "# Cluster full\n\n## Timeline\n\nAll times in UTC\n\n### 2017-10-17 07:42\n\nUsers report failures.\n", date: "2017-10-17 07:42", from: "timeline"},
		{name: "undated", path: "0042-report.md", src: "# Report\n\nNothing says when.\n", date: "", from: "", title: "Report"},
		{name: "ambiguous and unsettled: only the year", path: "x.md", src: "# 03-04-2024 - Queue stuck\n\nx\n", date: "2024", from: "title", title: "Queue stuck"},
		{name: "ambiguous settled by a day-first date", path: "x.md", src: "# 03-04-2024 - Queue stuck\n\n## Timeline\n\n- 25-03-2024 09:00 first alert\n", date: "2024-04-03", from: "title"},
		{name: "numbered file, the title names the date", path: "003-reporting.md", src: "# 2020-09-09, Reporting jobs timing out\n\n## Impact\n\nx\n", date: "2020-09-09", from: "title", title: "Reporting jobs timing out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := readAny(t, tt.path, tt.src)
			inc, err := Extract(d, tt.path, Config{Location: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if !inc.Date.IsZero() {
				got = inc.Date.String()
			}
			if got != tt.date || inc.DateFrom != tt.from {
				t.Errorf("date = %q from %q, want %q from %q (candidates %+v)", got, inc.DateFrom, tt.date, tt.from, inc.Dates)
			}
			if tt.title != "" && inc.Title != tt.title {
				t.Errorf("title = %q, want %q", inc.Title, tt.title)
			}
		})
	}
}

// readAny reads a test source with the reader its name asks for.
func readAny(t *testing.T, name, src string) *markup.Doc {
	t.Helper()
	if strings.HasSuffix(name, ".rst") {
		t.Fatal("use the rst reader in package site tests")
	}
	return read(t, name, src)
}

func TestConflictsAndAmbiguity(t *testing.T) {
	inc, err := Extract(read(t, "2022-01-18-x.md", "---\ndate: 2022-01-10\n---\n# T\n"), "2022-01-18-x.md", Config{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	c := inc.Conflicts()
	if len(c) != 1 || c[0][0].From != FromMetadata || c[0][1].From != FromPath {
		t.Fatalf("conflicts = %+v, want metadata against path", c)
	}
	// A year from the path and a day inside it agree; so do dates a few
	// hours apart across zones.
	for _, tt := range []struct{ path, src string }{
		{"2022/x.md", "---\ndate: 2022-05-01\n---\n# T\n"},
		{"2022-05-02-x.md", "---\ndate: 2022-05-01T23:30:00-07:00\n---\n# T\n"},
	} {
		inc, err := Extract(read(t, tt.path, tt.src), tt.path, Config{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		if c := inc.Conflicts(); len(c) != 0 {
			t.Errorf("%s: conflicts = %+v, want none", tt.path, c)
		}
	}
	inc, err = Extract(read(t, "x.md", "# 03-04-2024 - Stuck\n"), "x.md", Config{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	amb := 0
	for _, d := range inc.Dates {
		if d.Ambiguous {
			amb++
			if d.Reading.String() != "2024-04-03" || d.Alt.String() != "2024-03-04" {
				t.Errorf("readings %s and %s, want 2024-04-03 and 2024-03-04", d.Reading, d.Alt)
			}
		}
	}
	if amb != 1 {
		t.Errorf("%d ambiguous dates, want 1", amb)
	}
}

// TestBodyMetadata: the forms teams write metadata in without front
// matter, each mapped through the site's vocabularies.
func TestBodyMetadata(t *testing.T) {
	cfg := Config{Location: time.UTC, Severities: map[string][]string{"SEV1": {"Critical", "P1"}, "SEV2": nil}}
	tests := []struct {
		name, src                 string
		severity, status, authors string
		systems                   string
	}{
		{name: "bold lines", src: "# T\n\n**Severity:** Critical\n**Status:** Resolved\n**Authors:** Ana Ortiz, Ben Okafor\n**Systems:** postgres, pgbouncer\n\n## Impact\n\nx\n",
			severity: "SEV1", status: "Resolved", authors: "Ana Ortiz|Ben Okafor", systems: "postgres|pgbouncer"},
		{name: "severity section", src: "# T\n\n## Severity\n\n**Critical** - every checkout failed\n\n## Impact\n\nx\n", severity: "SEV1"},
		{name: "owner heading and status section", src: "# T\n\n## Owner: @ana\n\n## Status\n\nMonitoring\n\n## Impact\n\nx\n", status: "Monitoring", authors: "@ana"},
		{name: "two-column table", src: "# T\n\n| Severity | P1 |\n|---|---|\n| Services affected | kafka |\n\n## Impact\n\nx\n", severity: "SEV1", systems: "kafka"},
		{name: "metadata section", src: "# T\n\n# Metadata\n\nOwner: @aron\n\nSeverity: SEV2 (major)\n\n# Impact\n\nx\n", severity: "SEV2", authors: "@aron"},
		{name: "prose is not a status", src: "# T\n\nStatus: we are still looking into what happened on the day.\n\n## Impact\n\nx\n"},
		{name: "front matter wins", src: "---\nseverity: SEV2\n---\n# T\n\n**Severity:** Critical\n", severity: "SEV2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc, err := Extract(read(t, "x.md", tt.src), "x.md", cfg)
			if err != nil {
				t.Fatal(err)
			}
			got := [4]string{inc.Severity, inc.Status, strings.Join(inc.Authors, "|"), strings.Join(inc.Systems, "|")}
			want := [4]string{tt.severity, tt.status, tt.authors, tt.systems}
			if got != want {
				t.Errorf("severity, status, authors, systems = %q, want %q (body %+v)", got, want, inc.BodyMeta)
			}
			for _, f := range inc.BodyMeta {
				if f.Pos.Line == 0 {
					t.Errorf("body field %s has no line", f.Key)
				}
			}
		})
	}
}

func TestExportKeys(t *testing.T) {
	cfg := Config{Location: time.UTC, Systems: map[string][]string{"postgres": {"pg"}}, Causes: map[string][]string{"certificate-expiry": nil}}
	src := "---\ntitle: Down\nlayout: post\ncategories: [pg, Announcements]\ntags: certificate-expiry, outage\npermalink: /x/\nslug: db-down\ndraft: true\n---\n# Down\n"
	inc, err := Extract(read(t, "posts/2010-01-20-x.md", src), "posts/2010-01-20-x.md", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(inc.Systems, "|") != "pg" || strings.Join(inc.Causes, "|") != "certificate-expiry" {
		t.Errorf("systems %q causes %q, want pg and certificate-expiry", inc.Systems, inc.Causes)
	}
	if inc.ID != "posts/db-down" || !inc.Draft {
		t.Errorf("id %q draft %v, want posts/db-down and a draft", inc.ID, inc.Draft)
	}
	cfg.Keys = map[string]string{"tags": "systems"}
	inc, err = Extract(read(t, "x.md", "---\ntags: [edge, cdn]\n---\n# T\n"), "x.md", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(inc.Systems, "|") != "edge|cdn" {
		t.Errorf("systems %q, want every tag", inc.Systems)
	}
}
