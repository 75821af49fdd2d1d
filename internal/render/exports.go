package render

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/timeline"
	"github.com/kb-postmortems/kb/internal/when"
)

// exportSchema describes incidents.json; it is published beside it.
//
//go:embed incidents.schema.json
var exportSchema []byte

// exportVersion is the version of the incidents.json format: it changes
// when a field changes meaning or goes away, not when one is added.
const exportVersion = 1

// maxFeedEntries bounds feed.xml: readers want what is new, not the
// archive.
const maxFeedEntries = 50

// Exports are the site's machine-readable files: incidents.json (and its
// JSON Schema, incidents.schema.json), incidents.csv, feed.xml (Atom) and
// timeline.ics, in the same order as the pages (newest first, undated last,
// ties by ID) and with the same fields.
//
// tl may be nil: then the durations, action counts and recurrences are
// left out. Nothing depends on the clock: the feed's and the calendar's
// timestamps are the incidents' own dates, so the same input gives the
// same bytes.
func Exports(site Site, incs []*incident.Incident, tl *timeline.Timeline) (Files, error) {
	out := Files{}
	if err := addExports(collect(out), site, incs, tl); err != nil {
		return nil, err
	}
	return out, nil
}

// collect is a Writer into Files for one goroutine.
type collect Files

func (c collect) WriteFile(p string, b []byte) error {
	c[p] = b
	return nil
}

// addExports writes the exports to w, for Render, each as it is made,
// streamed when w is a [Streamer]: on a site of 100,000 incidents
// incidents.json alone is over 100 MB.
func addExports(w Writer, site Site, incs []*incident.Incident, tl *timeline.Timeline) error {
	views := make([]*IncidentView, len(incs))
	for i, inc := range incs {
		views[i] = &IncidentView{Incident: inc}
	}
	sortNewestFirst(views)
	ordered := make([]*incident.Incident, len(views))
	for i, v := range views {
		ordered[i] = v.Incident
	}
	records := make([]exportIncident, len(ordered))
	for i, inc := range ordered {
		records[i] = newExportIncident(site, inc, tl)
	}

	if err := w.WriteFile("incidents.schema.json", exportSchema); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		fn   func(io.Writer, Site, []*incident.Incident, []exportIncident, *timeline.Timeline) error
	}{
		{"incidents.json", exportJSON},
		{"incidents.csv", exportCSV},
		{"feed.xml", exportAtom},
		{"timeline.ics", exportICS},
	} {
		out, err := create(w, f.name)
		if err != nil {
			return err
		}
		err = f.fn(out, site, ordered, records, tl)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("export %s: %w", f.name, err)
		}
	}
	return nil
}

// exportDoc is incidents.json. Every type below is a struct, not a map,
// so fields come out in one fixed order.
type exportDoc struct {
	Version   int              `json:"version"`
	Generator string           `json:"generator"`
	Site      exportSite       `json:"site"`
	Incidents []exportIncident `json:"incidents"`
}

type exportSite struct {
	Title   string `json:"title"`
	BaseURL string `json:"base_url"`
}

type exportIncident struct {
	ID    string `json:"id"`
	URL   string `json:"url"`
	Title string `json:"title"`
	// Date and DateEnd are as precise as known (see machineDate);
	// omitted when there is none.
	Date          string   `json:"date,omitempty"`
	DatePrecision string   `json:"date_precision"`
	DateEnd       string   `json:"date_end,omitempty"`
	DateFrom      string   `json:"date_from,omitempty"`
	Severity      string   `json:"severity"`
	Status        string   `json:"status"`
	Systems       []string `json:"systems"`
	Causes        []string `json:"causes"`
	Authors       []string `json:"authors"`
	Summary       string   `json:"summary"`
	// Log is the ID of the log this incident is an entry of.
	Log string `json:"log,omitempty"`
	// Durations, Actions and Recurs come from the timeline; nil when
	// there is none, so they are left out rather than shown as zero.
	Durations *exportDurations `json:"durations,omitempty"`
	Actions   *exportActions   `json:"actions,omitempty"`
	Recurs    *[]string        `json:"recurs,omitempty"`
}

// exportDurations are whole minutes from the incident's start, each with
// where it came from; a duration not known is left out, never zero.
type exportDurations struct {
	DetectMinutes   *int64 `json:"detect_minutes,omitempty"`
	DetectFrom      string `json:"detect_from,omitempty"`
	MitigateMinutes *int64 `json:"mitigate_minutes,omitempty"`
	MitigateFrom    string `json:"mitigate_from,omitempty"`
	ResolveMinutes  *int64 `json:"resolve_minutes,omitempty"`
	ResolveFrom     string `json:"resolve_from,omitempty"`
}

type exportActions struct {
	Open    int `json:"open"`
	Done    int `json:"done"`
	Unknown int `json:"unknown"`
}

func newExportIncident(site Site, inc *incident.Incident, tl *timeline.Timeline) exportIncident {
	e := exportIncident{
		ID:            inc.ID,
		URL:           exportURL(site, inc.ID),
		Title:         inc.Title,
		Date:          machineDate(inc.Date),
		DatePrecision: inc.Date.Precision.String(),
		Severity:      inc.Severity,
		Status:        inc.Status,
		Systems:       nonNil(inc.Systems),
		Causes:        nonNil(inc.Causes),
		Authors:       nonNil(inc.Authors),
		Summary:       inc.Summary,
	}
	if !inc.Date.IsZero() {
		e.DateEnd = machineDate(inc.End)
		e.DateFrom = inc.DateFrom
	}
	if inc.Log != nil {
		e.Log = inc.Log.ID
	}
	if tl == nil {
		return e
	}
	d := tl.ByID[inc.ID]
	if d == nil {
		d = &timeline.Details{}
	}
	e.Durations = &exportDurations{}
	e.Durations.DetectMinutes, e.Durations.DetectFrom = minutes(d.Durations.Detect)
	e.Durations.MitigateMinutes, e.Durations.MitigateFrom = minutes(d.Durations.Mitigate)
	e.Durations.ResolveMinutes, e.Durations.ResolveFrom = minutes(d.Durations.Resolve)
	e.Actions = &exportActions{}
	for _, a := range d.Actions {
		switch a.State {
		case timeline.Open:
			e.Actions.Open++
		case timeline.Done:
			e.Actions.Done++
		default:
			e.Actions.Unknown++
		}
	}
	recurs := nonNil(d.Recurs)
	e.Recurs = &recurs
	return e
}

func minutes(s timeline.Span) (*int64, string) {
	if !s.Known() {
		return nil, ""
	}
	m := int64(s.D.Round(time.Minute) / time.Minute)
	return &m, s.From
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// exportURL is the address of an incident's page: joined with the base
// URL when that is absolute (http or https), else the site path. Each
// segment of the ID is escaped, so the result is a valid URL whatever the
// ID holds.
func exportURL(site Site, id string) string {
	segs := strings.Split(id, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	p := "incidents/" + strings.Join(segs, "/") + "/"
	if base, ok := absoluteBase(site.BaseURL); ok {
		return base + p
	}
	return p
}

// absoluteBase returns the base URL ending in "/" when it is an absolute
// http or https URL.
func absoluteBase(base string) (string, bool) {
	lower := strings.ToLower(base)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		return "", false
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base, true
}

func exportJSON(w io.Writer, site Site, _ []*incident.Incident, recs []exportIncident, _ *timeline.Timeline) error {
	// The document is written a record at a time, in the bytes
	// json.MarshalIndent gives for the whole: marshalled at once, the
	// 120 MB of 100,000 incidents took three copies in memory.
	head, err := json.MarshalIndent(exportDoc{
		Version:   exportVersion,
		Generator: "kb",
		Site:      exportSite{Title: site.Title, BaseURL: site.BaseURL},
		Incidents: []exportIncident{},
	}, "", "  ")
	if err != nil {
		return err
	}
	const empty = "[]\n}"
	if !bytes.HasSuffix(head, []byte(empty)) {
		return fmt.Errorf("incidents.json: unexpected layout %q", head[max(0, len(head)-16):])
	}
	if len(recs) == 0 {
		_, err := w.Write(append(head, '\n'))
		return err
	}
	if _, err := w.Write(append(head[:len(head)-len(empty)], '[')); err != nil {
		return err
	}
	for i, r := range recs {
		b, err := json.MarshalIndent(r, "    ", "  ")
		if err != nil {
			return err
		}
		sep := ",\n    "
		if i == 0 {
			sep = "\n    "
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	_, err = io.WriteString(w, "\n  ]\n}\n")
	return err
}

// csvHeader are the columns of incidents.csv.
var csvHeader = []string{"id", "url", "title", "date", "date_precision", "severity", "status", "systems", "causes", "authors", "resolve_minutes"}

func exportCSV(out io.Writer, _ Site, _ []*incident.Incident, recs []exportIncident, _ *timeline.Timeline) error {
	w := csv.NewWriter(out)
	w.UseCRLF = true
	if err := w.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range recs {
		resolve := ""
		if r.Durations != nil && r.Durations.ResolveMinutes != nil {
			resolve = strconv.FormatInt(*r.Durations.ResolveMinutes, 10)
		}
		row := []string{r.ID, r.URL, r.Title, r.Date, r.DatePrecision, r.Severity, r.Status,
			strings.Join(r.Systems, "; "), strings.Join(r.Causes, "; "), strings.Join(r.Authors, "; ")}
		for i, s := range row {
			row[i] = csvCell(s)
		}
		// resolve_minutes is a number kb wrote, not content.
		if err := w.Write(append(row, resolve)); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// csvCell makes untrusted text safe to open in a spreadsheet: a value
// that a spreadsheet would read as a formula (starting with =, +, -, @,
// or a tab or carriage return, which some strip first) gets a leading '.
// A CRLF inside a value becomes "\n" (which the csv package writes as
// CRLF and reads back as "\n"), so values survive the round trip.
func csvCell(s string) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\r\n", "\n"), "\uFFFD")
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// Atom 1.0 (RFC 4287). encoding/xml does all escaping; it also replaces
// characters XML cannot hold with U+FFFD.
type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Generator string      `xml:"generator"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID        string       `xml:"id"`
	Title     string       `xml:"title"`
	Updated   string       `xml:"updated"`
	Published string       `xml:"published"`
	Authors   []atomPerson `xml:"author"`
	Link      atomLink     `xml:"link"`
	Summary   string       `xml:"summary,omitempty"`
}

// feedID is the feed's id: the base URL when it is absolute, else a URN
// named after the site, since an Atom id must be an absolute IRI.
func feedID(site Site) string {
	if base, ok := absoluteBase(site.BaseURL); ok {
		return base
	}
	slug := markup.Slug(site.Title)
	if slug == "" {
		slug = "site"
	}
	return "urn:kb:" + slug
}

func exportAtom(w io.Writer, site Site, incs []*incident.Incident, recs []exportIncident, _ *timeline.Timeline) error {
	_, absolute := absoluteBase(site.BaseURL)
	home := site.BaseURL
	if home == "" {
		home = "/"
	}
	author := site.Title
	if author == "" {
		author = "kb"
	}
	f := atomFeed{
		ID:        feedID(site),
		Title:     site.Title,
		Subtitle:  site.Description,
		Generator: "kb",
		// With no dated incident there is no date to give: the epoch,
		// never the build time, keeps the file the same from build to
		// build.
		Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
		Links:   []atomLink{{Rel: "alternate", Href: home}},
		Author:  atomPerson{Name: author},
	}
	if absolute {
		f.Links = append(f.Links, atomLink{Rel: "self", Href: home + "feed.xml"})
	}
	for i, inc := range incs {
		if inc.Date.IsZero() {
			continue
		}
		at := inc.Date.Time.Format(time.RFC3339)
		if len(f.Entries) == 0 {
			f.Updated = at
		}
		if len(f.Entries) == maxFeedEntries {
			break
		}
		id := recs[i].URL
		if !absolute {
			id = f.ID + ":" + inc.ID
		}
		e := atomEntry{
			ID:        id,
			Title:     inc.Title,
			Updated:   at,
			Published: at,
			Link:      atomLink{Rel: "alternate", Href: recs[i].URL},
			Summary:   inc.Summary,
		}
		for _, a := range inc.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: a})
		}
		f.Entries = append(f.Entries, e)
	}
	b, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(append([]byte(xml.Header), b...), '\n'))
	return err
}

// exportICS writes an iCalendar file (RFC 5545) with one event per
// incident dated to the day or the minute; a calendar cannot place an
// incident known only to the month or year.
func exportICS(out io.Writer, site Site, incs []*incident.Incident, recs []exportIncident, tl *timeline.Timeline) error {
	w := &icsWriter{w: out}
	w.line("BEGIN", "VCALENDAR")
	w.line("VERSION", "2.0")
	w.line("PRODID", "-//kb//postmortems//EN")
	w.line("CALSCALE", "GREGORIAN")
	if site.Title != "" {
		w.line("X-WR-CALNAME", icsText(site.Title))
	}
	_, absolute := absoluteBase(site.BaseURL)
	for i, inc := range incs {
		p := inc.Date.Precision
		if p != when.Day && p != when.Minute {
			continue
		}
		start := inc.Date.Time
		w.line("BEGIN", "VEVENT")
		w.line("UID", icsText(inc.ID+"@kb"))
		w.line("DTSTAMP", icsUTC(start))
		if p == when.Minute {
			w.line("DTSTART", icsUTC(start))
			if end, ok := icsEnd(inc, tl); ok {
				w.line("DTEND", icsUTC(end))
			}
		} else {
			w.line("DTSTART;VALUE=DATE", start.Format("20060102"))
			end := nextDay(start)
			if inc.End.Precision >= when.Day && inc.End.Time.After(start) {
				end = max(end, nextDay(inc.End.Time)) // YYYYMMDD sorts as text
			}
			w.line("DTEND;VALUE=DATE", end)
		}
		summary := inc.Title
		if inc.Severity != "" {
			summary = "[" + inc.Severity + "] " + summary
		}
		w.line("SUMMARY", icsText(summary))
		// A relative URL means nothing to a calendar, which has no page
		// to resolve it against.
		if absolute {
			w.line("URL", recs[i].URL)
		}
		if inc.Summary != "" {
			w.line("DESCRIPTION", icsText(inc.Summary))
		}
		w.line("END", "VEVENT")
	}
	w.line("END", "VCALENDAR")
	return w.err
}

// icsEnd is when an incident dated to the minute ended: its end time when
// known to the minute, else its start plus the resolve duration.
func icsEnd(inc *incident.Incident, tl *timeline.Timeline) (time.Time, bool) {
	start := inc.Date.Time
	if inc.End.Precision == when.Minute && inc.End.Time.After(start) {
		return inc.End.Time, true
	}
	if tl == nil {
		return time.Time{}, false
	}
	d := tl.ByID[inc.ID]
	if d == nil || !d.Durations.Resolve.Known() {
		return time.Time{}, false
	}
	from := start
	if d.Durations.Start.Precision == when.Minute {
		from = d.Durations.Start.Time
	}
	end := from.Add(d.Durations.Resolve.D)
	return end, end.After(start)
}

func icsUTC(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// nextDay is the day after t's calendar day (in t's zone), as an
// iCalendar DATE.
func nextDay(t time.Time) string {
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, time.UTC).Format("20060102")
}

// icsWriter keeps the first error of its writer, so a calendar is written
// line by line and checked once.
type icsWriter struct {
	w   io.Writer
	err error
}

func (w *icsWriter) put(s string) {
	if w.err == nil {
		_, w.err = io.WriteString(w.w, s)
	}
}

// line writes one content line, folded so that no line is longer than
// 75 octets without its CRLF; a fold never splits a UTF-8 sequence.
func (w *icsWriter) line(name, value string) {
	s := name + ":" + value
	limit := 75
	for len(s) > limit {
		cut := limit
		for !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.put(s[:cut])
		w.put("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	w.put(s)
	w.put("\r\n")
}

// icsText escapes a TEXT value (RFC 5545, 3.3.11): backslash, semicolon,
// comma and line ends; other control characters, which TEXT cannot hold,
// are dropped.
func icsText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
