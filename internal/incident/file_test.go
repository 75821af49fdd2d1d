package incident

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kb-postmortems/kb/internal/markup"
)

const opsLog = `---
kind: log
---
# Ops log

## How to add an entry

Write the date first.

## History

We kept notes in a wiki before 2019-01-01.

## Search returned nothing

2021-05-02 10:05 - 10:50 UTC: search returned no results
       * **10:05**: paged
       * **10:50**: index restored

## 2020-11-19 Certificate expired on the API

The certificate ran out at midnight.

## Older history

   * ### 2019-06-03 9:00pm PT Disk full on build host
      * Situation: builds failed
   * ### 2019-02-11 11:30am ET
      * Situation: the cover service was down for everyone
      * Resolution: restarted it
   * A note without a heading stays on the log's page

## Printer on fire

Nobody wrote down when.
`

func TestLog(t *testing.T) {
	f, err := ExtractFile(read(t, "content/ops/log.md", opsLog), "ops/log.md", Config{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != KindLog || f.Page == nil {
		t.Fatalf("kind %q, page %v; want a log", f.Kind, f.Page)
	}
	want := []struct{ id, title, date, end string }{
		{"ops/log/search-returned-nothing", "Search returned nothing", "2021-05-02 10:05 UTC", "2021-05-02 10:50 UTC"},
		{"ops/log/certificate-expired-on-the-api", "Certificate expired on the API", "2020-11-19", ""},
		{"ops/log/disk-full-on-build-host", "Disk full on build host", "2019-06-03 21:00 PDT", ""},
		{"ops/log/the-cover-service-was-down-for-everyone", "the cover service was down for everyone", "2019-02-11 11:30 EST", ""},
		{"ops/log/printer-on-fire", "Printer on fire", "", ""},
	}
	if len(f.Incidents) != len(want) {
		var got []string
		for _, inc := range f.Incidents {
			got = append(got, inc.ID)
		}
		t.Fatalf("%d entries %q, want %d", len(f.Incidents), got, len(want))
	}
	for i, w := range want {
		inc := f.Incidents[i]
		date, end := "", ""
		if !inc.Date.IsZero() {
			date = inc.Date.String()
		}
		if !inc.End.IsZero() {
			end = inc.End.String()
		}
		if inc.ID != w.id || inc.Title != w.title || date != w.date || end != w.end {
			t.Errorf("entry %d = %q %q %q–%q, want %q %q %q–%q", i, inc.ID, inc.Title, date, end, w.id, w.title, w.date, w.end)
		}
		if inc.Log != f.Page || inc.Pos.Line == 0 || inc.Path != "ops/log.md" {
			t.Errorf("entry %d: log %v, pos %v, path %q", i, inc.Log, inc.Pos, inc.Path)
		}
	}
	rest := markup.PlainText(f.Page.Doc.Body)
	for _, s := range []string{"How to add an entry", "We kept notes", "A note without a heading"} {
		if !strings.Contains(rest, s) {
			t.Errorf("log page lacks %q:\n%s", s, rest)
		}
	}
	for _, s := range []string{"Certificate expired", "Disk full", "cover service", "Printer"} {
		if strings.Contains(rest, s) {
			t.Errorf("log page still holds entry %q", s)
		}
	}
}

func TestPages(t *testing.T) {
	tests := []struct {
		path, src, kind string
	}{
		{"notes/README.md", "# Postmortems\n\n- [DNS](2021-dns.md)\n- [Disk](2022-disk.md)\n", KindPage},
		{"notes/README.md", "# Our process\n\nWrite one within a week.\n\n## Impact\n\nx\n", KindIncident},
		{"section/_index.md", "---\ntitle: Incidents\n---\n", KindPage},
		{"template.md", "# Title\n\n## Impact\n\n*Who was affected?*\n", KindPage},
		{"postmortem-template.md", "# Title\n", KindPage},
		{"about.md", "---\nkind: page\n---\n# About\n\nx\n", KindPage},
		{"2021-01-01-dns.md", "---\nkind: incident\n---\n- [a](b.md)\n", KindIncident},
		{"bundle/index.md", "# Disk full\n\n## Impact\n\nx\n", KindIncident},
	}
	for _, tt := range tests {
		f, err := ExtractFile(read(t, tt.path, tt.src), tt.path, Config{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		if f.Kind != tt.kind {
			t.Errorf("%s %q: kind %q, want %q", tt.path, tt.src, f.Kind, tt.kind)
		}
		if (f.Kind == KindPage) != (f.Page != nil && len(f.Incidents) == 0) {
			t.Errorf("%s: page %v with %d incidents", tt.path, f.Page, len(f.Incidents))
		}
	}
	// The site's configuration decides too, and an unknown kind is a
	// warning, read as a postmortem.
	cfg := Config{Location: time.UTC, KindOf: func(rel string) string {
		if rel == "history.md" {
			return KindLog
		}
		return ""
	}}
	f, err := ExtractFile(read(t, "history.md", "# H\n\n## 2020-01-02 Outage\n\nx\n"), "history.md", cfg)
	if err != nil || f.Kind != KindLog || len(f.Incidents) != 1 {
		t.Errorf("configured log: kind %q, %d entries, %v", f.Kind, len(f.Incidents), err)
	}
	f, err = ExtractFile(read(t, "x.md", "---\nkind: diary\n---\n# X\n"), "x.md", Config{Location: time.UTC})
	if err != nil || f.Kind != KindIncident || len(f.Warnings) != 1 {
		t.Errorf("unknown kind: %q, warnings %v, %v", f.Kind, f.Warnings, err)
	}
}

// FuzzExtractFile reads untrusted text as a postmortem, a log and a page:
// whatever it holds, extraction does not panic, every incident has an ID
// and a title, and every date it keeps names its source.
func FuzzExtractFile(f *testing.F) {
	f.Add(opsLog)
	f.Add("# 03-04-2024 - x\n\n**Severity:** Critical\n\n| Date | 2022-06-15 |\n|---|---|\n\n## Timeline\n\n- 25-03-2024 09:00 y\n")
	f.Add("---\ndate: {created: 2021-01-12}\ntags: [a]\nslug: s\n---\n# Title:\n### 2019-02-20, z\n")
	f.Add("- [a](b.md)\n- [c](d.rst)\n")
	f.Fuzz(func(t *testing.T, src string) {
		md := markup.NewMarkdown(markup.Limits{})
		d, err := md.Read("x.md", []byte(src))
		if err != nil {
			return
		}
		for _, kind := range []string{"", KindLog} {
			cfg := Config{Location: time.UTC, Severities: map[string][]string{"SEV1": {"Critical"}}, KindOf: func(string) string { return kind }}
			file, _ := ExtractFile(d, "2020/01/x.md", cfg)
			if file == nil {
				continue
			}
			for _, inc := range file.Incidents {
				if inc.ID == "" || inc.Title == "" {
					t.Fatalf("incident without id or title: %+v", inc)
				}
				if !inc.Date.IsZero() && inc.DateFrom == "" {
					t.Fatalf("date %s without a source", inc.Date)
				}
			}
		}
	})
}

// TestLogEntryIDs: entries sharing a title are numbered in order, a long
// title is cut at a character's start, and every ID is valid UTF-8.
func TestLogEntryIDs(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\nkind: log\n---\n# Log\n\n")
	for range 500 {
		b.WriteString("## 2020-01-01 same\n\nx\n\n")
	}
	b.WriteString("## 2020-01-02 a" + strings.Repeat("ж", 40) + "\n\nx\n")
	f, err := ExtractFile(read(t, "log.md", b.String()), "log.md", Config{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, inc := range f.Incidents {
		if seen[inc.ID] || !utf8.ValidString(inc.ID) {
			t.Fatalf("entry %d: id %q repeated or not UTF-8", i, inc.ID)
		}
		seen[inc.ID] = true
	}
	if got := f.Incidents[499].ID; got != "log/same-500" {
		t.Errorf("the 500th entry titled alike is %q, want log/same-500", got)
	}
}
