package render

import (
	"bytes"
	"html/template"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/kb-postmortems/kb/internal/incident"
)

// banner reports whether an incident's page opens with the note that the
// postmortem is not finished. On an archive written to its own template,
// every page would, and a warning on every page is read as none; so by
// default only a postmortem that says it is a draft gets one, and the
// others name what is missing quietly in their metadata. An entry of a
// log is a note, not a postmortem: it never gets one.
func banner(mode string, v *IncidentView) bool {
	if v.Log != nil || len(v.Missing)+len(v.Empty) == 0 {
		return false
	}
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	return v.Draft || draftStatus(v.Status)
}

// draftStatus reports whether a status says the postmortem is still being
// written: "draft", "Draft v2", "WIP", "work in progress", "in-progress",
// "unfinished", "to do". The status arrives as the site's vocabulary
// names it, so a site whose [statuses] table maps "Entwurf" to draft
// gets drafts of that name too. "In review" is not a draft: it is
// written, and waits for readers.
func draftStatus(status string) bool {
	s := strings.Join(strings.FieldsFunc(strings.ToLower(status), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
	switch s {
	case "wip", "work in progress", "in progress", "inprogress", "incomplete", "unfinished", "not finished",
		"todo", "to do", "not started", "writing", "being written", "in writing", "drafting":
		return true
	}
	return s == "draft" || strings.HasPrefix(s, "draft ") || strings.HasPrefix(s, "wip ")
}

// sourceLinks are the incident's file in the site's repository, to edit
// and to view, as GitHub spells them; each segment of the branch and the
// path is escaped, so a file named "PM-7 #2 (db).md" links to itself and
// nothing else. An entry of a log links to its line of the log.
func sourceLinks(s Site, inc *incident.Incident) (edit, view string) {
	if s.RepoURL == "" || s.RepoContent == "" || inc.Path == "" {
		return "", ""
	}
	p := escapeSegments(path.Join(s.RepoContent, inc.Path))
	branch := escapeSegments(s.RepoBranch)
	if branch == "" {
		branch = "main"
	}
	base := strings.TrimRight(s.RepoURL, "/")
	edit = base + "/edit/" + branch + "/" + p
	view = base + "/blob/" + branch + "/" + p
	if inc.Log != nil && inc.Pos.Line > 0 {
		// GitHub shows Markdown rendered, where a line has no anchor.
		view += "?plain=1#L" + strconv.Itoa(inc.Pos.Line)
	}
	return edit, view
}

func escapeSegments(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// timedTables marks the tables in an incident's timeline sections
// (class "timeline"), whose first column is the time of each event: the
// stylesheet keeps those times on one line, which a narrow screen would
// otherwise break "2023-02-14 10:45" into three. Only the sections lint
// reads as the timeline count, under whatever heading the archive gives
// them.
func timedTables(body []byte, secs []*incident.Section) []byte {
	type span struct{ from, to int }
	var spans []span
	var walk func([]*incident.Section)
	walk = func(ss []*incident.Section) {
		for _, s := range ss {
			if s.Key == incident.Timeline && s.ID != "" {
				if from, to, ok := sectionSpan(body, s.ID); ok {
					spans = append(spans, span{from, to})
				}
			}
			walk(s.Sections)
		}
	}
	walk(secs)
	if len(spans) == 0 {
		return body
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].from < spans[j].from })
	plain, marked := []byte("<table>"), []byte(`<table class="timeline">`)
	var out []byte
	at := 0
	for _, sp := range spans {
		sp.from = max(sp.from, at)
		for sp.from < sp.to {
			i := bytes.Index(body[sp.from:sp.to], plain)
			if i < 0 {
				break
			}
			if out == nil {
				out = make([]byte, 0, len(body)+64)
			}
			out = append(out, body[at:sp.from+i]...)
			out = append(out, marked...)
			at = sp.from + i + len(plain)
			sp.from = at
		}
	}
	if out == nil {
		return body
	}
	return append(out, body[at:]...)
}

// sectionSpan finds the section whose heading has the id in HTML that
// package markup wrote: from its heading to the next heading of its level
// or above.
func sectionSpan(body []byte, id string) (from, to int, ok bool) {
	attr := []byte(` id="` + template.HTMLEscapeString(id) + `">`)
	i := bytes.Index(body, attr)
	if i < 3 || body[i-3] != '<' || body[i-2] != 'h' || body[i-1] < '1' || body[i-1] > '6' {
		return 0, 0, false
	}
	level := body[i-1]
	from = i + len(attr)
	for k := from; ; {
		j := bytes.Index(body[k:], []byte("<h"))
		if j < 0 {
			return from, len(body), true
		}
		k += j + 2
		if k+1 < len(body) && body[k] >= '1' && body[k] <= level && (body[k+1] == ' ' || body[k+1] == '>') {
			return from, k - 2, true
		}
	}
}
