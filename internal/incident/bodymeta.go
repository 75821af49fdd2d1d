package incident

import (
	"regexp"
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Metadata written in the body. Teams that never used front matter still
// state the facts at the top of the page, in the forms templates taught
// them: bold lines ("**Severity:** SEV2"), plain "Date: …" lines, a
// two-column table, an RST field list, or a short section ("## Status"
// holding "Resolved"). They are read as metadata, each with its line, and
// declared metadata always wins over them.

// bodyKeys maps what a label says, normalised, to the metadata key it
// means.
var bodyKeys = map[string]string{
	"date": "date", "incident date": "date", "date of incident": "date", "date of the incident": "date",
	"when": "date", "start": "date", "started": "date", "start time": "date", "start date": "date",
	"date and time": "date", "occurred": "date", "occurred on": "date", "incident start": "date",
	"end": "end", "ended": "end", "end time": "end", "end date": "end", "incident end": "end",
	"severity": "severity", "sev": "severity", "severity level": "severity", "incident severity": "severity",
	"status": "status", "incident status": "status", "postmortem status": "status", "document status": "status",
	"author": "authors", "authors": "authors", "owner": "authors", "owners": "authors", "written by": "authors",
	"postmortem owner": "authors", "report author": "authors", "report authors": "authors",
	"system": "systems", "systems": "systems", "affected systems": "systems", "affected system": "systems",
	"service": "systems", "services": "systems", "affected services": "systems", "affected service": "systems",
	"service s affected": "systems", "services affected": "systems", "systems affected": "systems",
	"component": "systems", "components": "systems", "affected components": "systems",
	"cause": "causes", "causes": "causes", "cause category": "causes",
	"detected": "detected", "detected at": "detected", "mitigated": "mitigated", "mitigated at": "mitigated",
	"resolved at": "resolved", "resolution time": "resolved",
	"duration": "duration", "incident duration": "duration", "total duration": "duration", "outage duration": "duration",
	"time to resolve": "time to resolve", "time to resolution": "time to resolve", "ttr": "time to resolve",
	"time to detect": "time to detect", "time to detection": "time to detect", "ttd": "time to detect",
	"time to mitigate": "time to mitigate", "time to mitigation": "time to mitigate", "ttm": "time to mitigate",
}

// containers are sections whose short "Label: value" lines are metadata.
var containers = map[string]bool{
	"metadata": true, "meta": true, "details": true, "incident details": true, "info": true,
	"information": true, "incident information": true, "at a glance": true, "key facts": true,
	"overview": true, "summary": true, "incident summary": true, "document info": true,
}

var labelRE = regexp.MustCompile(`^\s*[-*•]?\s*([A-Za-z][A-Za-z ()/'_-]{0,40}?)\s*:\s*(.*)$`)

// bodyKey returns the metadata key a label means.
func bodyKey(label string) (string, bool) {
	k, ok := bodyKeys[markup.NormalizeHeading(label)]
	return k, ok
}

// bodyMeta finds the metadata written in the body: before the first
// heading, in container sections, and in sections named after a key.
func (x *extractor) bodyMeta(d *markup.Doc) []markup.Field {
	var out []markup.Field
	add := func(key, value string, pos markup.Pos) {
		value = strings.TrimSpace(strings.Trim(strings.TrimSpace(value), "*_`"))
		if key == "severity" || key == "status" {
			value = leadingValue(value)
		}
		if value == "" || !plausible(key, value) {
			return
		}
		out = append(out, markup.Field{Key: key, Value: value, Pos: pos})
	}
	scan := func(blocks []*markup.Node, limit int) {
		n := 0
		for _, b := range blocks {
			if b.Kind == markup.Heading {
				break
			}
			switch b.Kind {
			case markup.Table:
				x.tableMeta(b, add)
				continue
			case markup.FieldList:
				for _, f := range b.Children {
					if k, ok := bodyKey(f.Title); ok {
						add(k, markup.PlainText(f.Children), markup.Pos{File: d.Path, Line: f.Line, Col: f.Col})
					}
				}
				continue
			}
			for _, l := range lines(b) {
				if n++; n > limit {
					return
				}
				if m := labelRE.FindStringSubmatch(l.text); m != nil {
					if k, ok := bodyKey(m[1]); ok {
						add(k, m[2], markup.Pos{File: d.Path, Line: l.line})
					}
				}
			}
		}
	}
	scan(d.Body, 40)
	var walk func(ss []*markup.Section, depth int)
	walk = func(ss []*markup.Section, depth int) {
		for _, s := range ss {
			pos := s.Pos
			// "## Owner: @someone": the heading is the field.
			if m := labelRE.FindStringSubmatch(s.Title); m != nil && m[2] != "" {
				if k, ok := bodyKey(m[1]); ok {
					add(k, m[2], pos)
					continue
				}
			}
			if k, ok := bodyKey(s.Title); ok {
				x.sectionMeta(k, s, add)
				continue
			}
			if containers[s.Key] {
				scan(s.Body, 40)
			}
			if depth < 2 {
				walk(s.Sections, depth+1)
			}
		}
	}
	walk(d.Sections, 1)
	return out
}

// sectionMeta reads a short section named after a key: "## Severity"
// holding "**Critical** - customers could not pay" gives Critical; "## Date"
// holding "Start: …" and "End: …" lines gives both.
func (x *extractor) sectionMeta(key string, s *markup.Section, add func(key, value string, pos markup.Pos)) {
	for _, b := range s.Body {
		if b.Kind == markup.Comment {
			continue
		}
		ls := lines(b)
		if len(ls) == 0 {
			continue
		}
		labelled := false
		for _, l := range ls {
			if m := labelRE.FindStringSubmatch(l.text); m != nil {
				if k, ok := bodyKey(m[1]); ok && (k == key || key == "date" && k == "end") {
					add(k, m[2], markup.Pos{File: x.doc.Path, Line: l.line})
					labelled = true
				}
			}
		}
		if labelled {
			return
		}
		first := ls[0]
		v := first.text
		if b.Kind == markup.Paragraph && len(b.Children) > 0 && b.Children[0].Kind == markup.Strong {
			v = markup.InlineText(b.Children[0])
		} else if key == "severity" || key == "status" {
			v = leadingValue(v)
		}
		if key == "authors" || key == "systems" || key == "causes" {
			var vs []string
			for _, l := range ls {
				vs = append(vs, l.text)
			}
			v = strings.Join(vs, ", ")
		}
		add(key, v, markup.Pos{File: x.doc.Path, Line: first.line})
		return
	}
}

// tableMeta reads a two-column table of labels and values (the head row
// too: a Markdown table's first row is always its head).
func (x *extractor) tableMeta(t *markup.Node, add func(key, value string, pos markup.Pos)) {
	for _, r := range t.Children {
		if r.Kind != markup.TableRow || len(r.Children) != 2 {
			continue
		}
		label := strings.TrimSuffix(strings.TrimSpace(markup.PlainText(r.Children[0].Children)), ":")
		if k, ok := bodyKey(label); ok {
			add(k, markup.PlainText(r.Children[1].Children), markup.Pos{File: x.doc.Path, Line: r.Line, Col: r.Col})
		}
	}
}

// leadingValue cuts a description off a one-word value: "Critical - all
// customers" and "SEV2 (major)" give Critical and SEV2.
func leadingValue(s string) string {
	for _, sep := range []string{" - ", " – ", " — ", " (", ": ", ", ", ". "} {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	return strings.TrimSpace(s)
}

// plausible rejects sentences caught by a label: "Status: we are still
// looking into it" is prose, not a status.
func plausible(key, v string) bool {
	words := len(strings.Fields(v))
	switch key {
	case "severity":
		return len(v) <= 24 && words <= 3
	case "status":
		return len(v) <= 30 && words <= 4
	case "authors", "systems", "causes":
		return len(v) <= 200 && !strings.HasSuffix(v, ".")
	}
	return len(v) <= 120
}
