package render

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kb-postmortems/kb/internal/golden"
	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/publish"
	"github.com/kb-postmortems/kb/internal/timeline"
	"github.com/kb-postmortems/kb/internal/when"
)

var exportTestSite = Site{
	Title:       `Acme <Postmortems> & "Co"`,
	Description: "What broke, and why",
	BaseURL:     "https://kb.example.com/kb/",
}

// exportFixture is a small site: a date of each precision, two undated
// incidents, an entry of a log, and text a spreadsheet, a feed reader or
// a calendar could trip on.
func exportFixture() ([]*incident.Incident, *timeline.Timeline) {
	pdt := time.FixedZone("PDT", -7*3600)
	at := func(p when.Precision, y int, m time.Month, d, h, mi int, loc *time.Location) when.Date {
		return when.Date{Time: time.Date(y, m, d, h, mi, 0, 0, loc), Precision: p, Zoned: p == when.Minute}
	}
	api := &incident.Incident{
		ID:       "2023/10-05-api-outage",
		Title:    `API outage: "quotes", commas; and a title long enough to fold — ⚠️🔥 <script>alert(1)</script>`,
		Date:     at(when.Minute, 2023, 10, 5, 14, 5, pdt),
		End:      at(when.Minute, 2023, 10, 5, 16, 35, pdt),
		DateFrom: "metadata",
		Severity: "SEV1",
		Status:   "resolved",
		Systems:  []string{"api", "=cmd()"},
		Causes:   []string{"config; push", "bad, deploy"},
		Authors:  []string{`Ana "A" Li`, "@ben"},
		Summary:  "Line one,\nline two; with \\backslash and \x01control\x7f & <b>bold</b> 🚒",
	}
	dns := &incident.Incident{
		ID:       "history/dns-outage",
		Title:    `=HYPERLINK("http://evil.example/","click")`,
		Date:     at(when.Day, 2023, 10, 5, 0, 0, pdt),
		End:      at(when.Day, 2023, 10, 7, 0, 0, pdt),
		DateFrom: "preamble",
		Summary:  "Resolvers timed out.",
		Log:      &incident.Page{ID: "history", Kind: incident.KindLog},
	}
	tie := &incident.Incident{
		ID:       "2023/10-05-a",
		Title:    "+1 on the same day",
		Date:     at(when.Day, 2023, 10, 5, 0, 0, pdt),
		DateFrom: "path",
		Severity: "SEV3",
		Systems:  []string{"db"},
	}
	cache := &incident.Incident{
		ID:       "2023/09-28-cache",
		Title:    "-cache stampede\r\nsecond line",
		Date:     at(when.Minute, 2023, 9, 28, 9, 0, time.UTC),
		DateFrom: "title",
		Severity: "SEV2",
		Authors:  []string{"Chen"},
		Summary:  "Cold cache after a deploy.",
	}
	queue := &incident.Incident{
		ID:       "2023/09-queue",
		Title:    "@queue backlog",
		Date:     at(when.Month, 2023, 9, 1, 0, 0, pdt),
		DateFrom: "path",
		Causes:   []string{"capacity"},
	}
	legacy := &incident.Incident{
		ID:       "2022-legacy",
		Title:    "Legacy\tthing",
		Date:     at(when.Year, 2022, 1, 1, 0, 0, pdt),
		DateFrom: "text",
		Status:   "closed",
	}
	undatedZ := &incident.Incident{ID: "zzz-undated", Title: "Undated Z", Summary: "No date anywhere."}
	undatedA := &incident.Incident{ID: "aaa-undated", Title: "Undated A"}

	tl := &timeline.Timeline{ByID: map[string]*timeline.Details{
		api.ID: {
			Durations: timeline.Durations{
				Start:    api.Date,
				Detect:   timeline.Span{D: 10 * time.Minute, From: "events"},
				Mitigate: timeline.Span{D: 45*time.Minute + 20*time.Second, From: "table"},
				Resolve:  timeline.Span{D: 150 * time.Minute, From: "metadata"},
			},
			Actions: []timeline.Action{{State: timeline.Open}, {State: timeline.Done}, {State: timeline.Done}, {State: timeline.Unknown}},
			Recurs:  []string{cache.ID},
		},
		cache.ID: {
			Durations: timeline.Durations{Start: cache.Date, Resolve: timeline.Span{D: 90 * time.Minute, From: "range"}},
		},
	}}
	// Deliberately out of order: the exports sort.
	return []*incident.Incident{undatedZ, legacy, dns, api, queue, undatedA, cache, tie}, tl
}

// exportOrder is the fixture's order on the pages.
var exportOrder = []string{"2023/10-05-api-outage", "2023/10-05-a", "history/dns-outage", "2023/09-28-cache", "2023/09-queue", "2022-legacy", "aaa-undated", "zzz-undated"}

func mustExports(t *testing.T, site Site, incs []*incident.Incident, tl *timeline.Timeline) Files {
	t.Helper()
	files, err := Exports(site, incs, tl)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"feed.xml", "incidents.csv", "incidents.json", "incidents.schema.json", "timeline.ics"}
	if got := slices.Sorted(maps.Keys(files)); !slices.Equal(got, want) {
		t.Fatalf("files = %q, want %q", got, want)
	}
	return files
}

func TestExportsGolden(t *testing.T) {
	incs, tl := exportFixture()
	files := mustExports(t, exportTestSite, incs, tl)
	for _, name := range []string{"incidents.json", "incidents.csv", "feed.xml", "timeline.ics"} {
		golden.File(t, "testdata/exports/"+name, files[name], *update)
	}
	if !bytes.Equal(files["incidents.schema.json"], exportSchema) {
		t.Error("incidents.schema.json is not the embedded schema")
	}
}

func TestExportsOrder(t *testing.T) {
	incs, tl := exportFixture()
	var doc struct {
		Incidents []struct{ ID string }
	}
	if err := json.Unmarshal(mustExports(t, exportTestSite, incs, tl)["incidents.json"], &doc); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, inc := range doc.Incidents {
		ids = append(ids, inc.ID)
	}
	if !slices.Equal(ids, exportOrder) {
		t.Errorf("order = %q, want %q", ids, exportOrder)
	}
}

func TestExportsDeterministic(t *testing.T) {
	incs, tl := exportFixture()
	first := mustExports(t, exportTestSite, incs, tl)
	second := mustExports(t, exportTestSite, incs, tl)
	reversed := slices.Clone(incs)
	slices.Reverse(reversed)
	third := mustExports(t, exportTestSite, reversed, tl)
	for name, b := range first {
		if !bytes.Equal(b, second[name]) {
			t.Errorf("%s differs between two runs", name)
		}
		if !bytes.Equal(b, third[name]) {
			t.Errorf("%s depends on the order of the input", name)
		}
	}
}

func TestExportsSchema(t *testing.T) {
	schema := decodeJSON(t, exportSchema)
	if s, _ := schema.(map[string]any)["$schema"].(string); s != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %q", s)
	}
	incs, tl := exportFixture()
	for _, tc := range []struct {
		name string
		site Site
		tl   *timeline.Timeline
	}{
		{"absolute", exportTestSite, tl},
		{"relative-no-timeline", Site{Title: "Ops", BaseURL: "/kb/"}, nil},
		{"empty", Site{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := incs
			if tc.name == "empty" {
				in = nil
			}
			doc := decodeJSON(t, mustExports(t, tc.site, in, tc.tl)["incidents.json"])
			for _, e := range validateSchema(schema, doc, "$") {
				t.Error(e)
			}
		})
	}

	// The validator must catch what the schema forbids, or the test
	// above proves nothing.
	b := mustExports(t, exportTestSite, incs, tl)["incidents.json"]
	for _, tc := range []struct {
		name   string
		mutate func(inc map[string]any)
		want   string
	}{
		{"missing id", func(inc map[string]any) { delete(inc, "id") }, `missing "id"`},
		{"extra field", func(inc map[string]any) { inc["color"] = "red" }, `unexpected "color"`},
		{"null list", func(inc map[string]any) { inc["systems"] = nil }, "want array"},
		{"bad date", func(inc map[string]any) { inc["date"] = "10/05/2023" }, "does not match"},
		{"bad precision", func(inc map[string]any) { inc["date_precision"] = "second" }, "not one of"},
		{"fractional minutes", func(inc map[string]any) {
			inc["durations"].(map[string]any)["resolve_minutes"] = json.Number("1.5")
		}, "want integer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := decodeJSON(t, b).(map[string]any)
			tc.mutate(doc["incidents"].([]any)[0].(map[string]any))
			errs := validateSchema(schema, doc, "$")
			if len(errs) == 0 || !strings.Contains(strings.Join(errs, "\n"), tc.want) {
				t.Errorf("errors = %q, want one containing %q", errs, tc.want)
			}
		})
	}
}

func TestExportsWithoutTimeline(t *testing.T) {
	incs, _ := exportFixture()
	b := mustExports(t, exportTestSite, incs, nil)["incidents.json"]
	for _, key := range []string{`"durations"`, `"actions"`, `"recurs"`} {
		if bytes.Contains(b, []byte(key)) {
			t.Errorf("incidents.json has %s without a timeline", key)
		}
	}
	if !bytes.Contains(b, []byte(`"systems": []`)) {
		t.Error("an empty list is not written as []")
	}
}

func TestExportsRelativeBase(t *testing.T) {
	incs, _ := exportFixture()
	site := Site{Title: "Acme Ops!", BaseURL: "/kb/"}
	files := mustExports(t, site, incs, nil)
	if !bytes.Contains(files["incidents.json"], []byte(`"url": "incidents/2023/10-05-api-outage/"`)) {
		t.Error("a relative base URL does not give the site path")
	}
	var feed atomParsed
	if err := xml.Unmarshal(files["feed.xml"], &feed); err != nil {
		t.Fatal(err)
	}
	if feed.ID != "urn:kb:acme-ops" {
		t.Errorf("feed id = %q", feed.ID)
	}
	if got := feed.Entries[0].ID; got != "urn:kb:acme-ops:2023/10-05-api-outage" {
		t.Errorf("entry id = %q", got)
	}
	if got := feed.Entries[0].Link.Href; got != "incidents/2023/10-05-api-outage/" {
		t.Errorf("entry link = %q", got)
	}
	if bytes.Contains(files["timeline.ics"], []byte("\r\nURL:")) {
		t.Error("timeline.ics has a relative URL")
	}
}

func TestExportsCSV(t *testing.T) {
	incs, tl := exportFixture()
	b := mustExports(t, exportTestSite, incs, tl)["incidents.csv"]
	if !bytes.HasSuffix(b, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(b, []byte("\r\n"), nil), []byte("\r")) {
		// Line ends inside quoted values are "\n": only rows end in CRLF.
		t.Error("rows do not end in CRLF")
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], csvHeader) {
		t.Fatalf("header = %q", rows[0])
	}
	byID := map[string]*incident.Incident{}
	for _, inc := range incs {
		byID[inc.ID] = inc
	}
	resolve := map[string]string{"2023/10-05-api-outage": "150", "2023/09-28-cache": "90"}
	if len(rows)-1 != len(exportOrder) {
		t.Fatalf("%d rows, want %d", len(rows)-1, len(exportOrder))
	}
	for i, row := range rows[1:] {
		inc := byID[exportOrder[i]]
		want := []string{inc.ID, "https://kb.example.com/kb/incidents/" + inc.ID + "/", inc.Title,
			machineDate(inc.Date), inc.Date.Precision.String(), inc.Severity, inc.Status,
			strings.Join(inc.Systems, "; "), strings.Join(inc.Causes, "; "), strings.Join(inc.Authors, "; "), resolve[inc.ID]}
		for j := range want {
			want[j] = strings.ReplaceAll(want[j], "\r\n", "\n")
		}
		got := slices.Clone(row)
		for j, cell := range got {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("row %d, %s: %q would run as a formula", i+1, csvHeader[j], cell)
			}
			if rest, ok := strings.CutPrefix(cell, "'"); ok && rest != "" && strings.ContainsRune("=+-@\t\r", rune(rest[0])) {
				got[j] = rest
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("row %d:\n got %q\nwant %q", i+1, got, want)
		}
	}
}

func TestExportsICS(t *testing.T) {
	incs, tl := exportFixture()
	b := mustExports(t, exportTestSite, incs, tl)["timeline.ics"]
	s := string(b)
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatal("timeline.ics does not end in CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(line), line)
		}
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare line end: %q", i+1, line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, line)
		}
	}
	if !strings.Contains(s, "\r\n ") {
		t.Fatal("the fixture has no line long enough to fold")
	}
	events := parseICS(t, strings.ReplaceAll(s, "\r\n ", ""))
	var ids []string
	for _, ev := range events {
		ids = append(ids, strings.TrimSuffix(ev["UID"], "@kb"))
	}
	// Year and month dates are left out: a calendar needs a day.
	if want := []string{"2023/10-05-api-outage", "2023/10-05-a", "history/dns-outage", "2023/09-28-cache"}; !slices.Equal(ids, want) {
		t.Fatalf("events = %q, want %q", ids, want)
	}
	byID := map[string]*incident.Incident{}
	for _, inc := range incs {
		byID[inc.ID] = inc
	}
	for i, ev := range events {
		inc := byID[ids[i]]
		summary := inc.Title
		if inc.Severity != "" {
			summary = "[" + inc.Severity + "] " + summary
		}
		if got, want := ev["SUMMARY"], icsClean(summary); got != want {
			t.Errorf("%s: SUMMARY = %q, want %q", inc.ID, got, want)
		}
		if got, want := ev["DESCRIPTION"], icsClean(inc.Summary); got != want {
			t.Errorf("%s: DESCRIPTION = %q, want %q", inc.ID, got, want)
		}
		if got, want := ev["URL"], "https://kb.example.com/kb/incidents/"+inc.ID+"/"; got != want {
			t.Errorf("%s: URL = %q, want %q", inc.ID, got, want)
		}
	}
	for _, c := range []struct{ id, key, want string }{
		{"2023/10-05-api-outage", "DTSTART", "20231005T210500Z"},
		{"2023/10-05-api-outage", "DTEND", "20231005T233500Z"}, // the end time
		{"2023/10-05-api-outage", "DTSTAMP", "20231005T210500Z"},
		{"2023/09-28-cache", "DTEND", "20230928T103000Z"}, // start + resolve
		{"history/dns-outage", "DTSTART;VALUE=DATE", "20231005"},
		{"history/dns-outage", "DTEND;VALUE=DATE", "20231008"}, // through the end day
		{"2023/10-05-a", "DTEND;VALUE=DATE", "20231006"},
	} {
		if got := events[slices.Index(ids, c.id)][c.key]; got != c.want {
			t.Errorf("%s: %s = %q, want %q", c.id, c.key, got, c.want)
		}
	}
}

// parseICS reads the unfolded events of a calendar into maps of property
// (with its parameters) to unescaped value.
func parseICS(t *testing.T, s string) []map[string]string {
	t.Helper()
	var out []map[string]string
	var ev map[string]string
	for _, line := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("line without a colon: %q", line)
		}
		switch {
		case line == "BEGIN:VEVENT":
			ev = map[string]string{}
		case line == "END:VEVENT":
			out = append(out, ev)
			ev = nil
		case ev != nil:
			ev[name] = icsUnescape(value)
		}
	}
	return out
}

func icsUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// icsClean is what a calendar can show of s: line ends as "\n", other
// control characters but tab gone.
func icsClean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\r' {
			return '\n'
		}
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

type atomParsed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Summary   string `xml:"summary"`
		Authors   []struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Link struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func TestExportsAtom(t *testing.T) {
	incs, tl := exportFixture()
	b := mustExports(t, exportTestSite, incs, tl)["feed.xml"]
	var feed atomParsed
	if err := xml.Unmarshal(b, &feed); err != nil {
		t.Fatal(err)
	}
	if feed.ID != "https://kb.example.com/kb/" || feed.Title != exportTestSite.Title {
		t.Errorf("feed id, title = %q, %q", feed.ID, feed.Title)
	}
	if feed.Updated != "2023-10-05T14:05:00-07:00" {
		t.Errorf("feed updated = %q, want the newest incident's date", feed.Updated)
	}
	byID := map[string]*incident.Incident{}
	for _, inc := range incs {
		byID[inc.ID] = inc
	}
	dated := exportOrder[:6]
	if len(feed.Entries) != len(dated) {
		t.Fatalf("%d entries, want %d", len(feed.Entries), len(dated))
	}
	for i, e := range feed.Entries {
		inc := byID[dated[i]]
		url := "https://kb.example.com/kb/incidents/" + inc.ID + "/"
		if e.ID != url || e.Link.Href != url || e.Link.Rel != "alternate" {
			t.Errorf("%s: id %q, link %q %q", inc.ID, e.ID, e.Link.Rel, e.Link.Href)
		}
		// XML cannot hold most control characters; encoding/xml writes
		// U+FFFD for them, and XML reads a CRLF back as LF.
		if want := xmlClean(inc.Title); e.Title != want {
			t.Errorf("%s: title %q, want %q", inc.ID, e.Title, want)
		}
		if want := xmlClean(inc.Summary); e.Summary != want {
			t.Errorf("%s: summary %q, want %q", inc.ID, e.Summary, want)
		}
		if want := inc.Date.Time.Format(time.RFC3339); e.Updated != want || e.Published != want {
			t.Errorf("%s: updated %q, published %q, want %q", inc.ID, e.Updated, e.Published, want)
		}
		var authors []string
		for _, a := range e.Authors {
			authors = append(authors, a.Name)
		}
		if !slices.Equal(authors, inc.Authors) {
			t.Errorf("%s: authors %q, want %q", inc.ID, authors, inc.Authors)
		}
	}
}

func xmlClean(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return '\uFFFD'
		}
		return r
	}, s)
}

func TestExportsAtomLimit(t *testing.T) {
	var incs []*incident.Incident
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 60 {
		incs = append(incs, &incident.Incident{
			ID:    fmt.Sprintf("i%02d", i),
			Title: fmt.Sprintf("Incident %d", i),
			Date:  when.Date{Time: start.AddDate(0, 0, i), Precision: when.Day},
		})
	}
	var feed atomParsed
	if err := xml.Unmarshal(mustExports(t, Site{Title: "T", BaseURL: "/"}, incs, nil)["feed.xml"], &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != maxFeedEntries {
		t.Fatalf("%d entries, want %d", len(feed.Entries), maxFeedEntries)
	}
	if feed.Entries[0].Title != "Incident 59" || feed.Entries[49].Title != "Incident 10" {
		t.Errorf("entries run from %q to %q, want the newest 50", feed.Entries[0].Title, feed.Entries[49].Title)
	}
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// validateSchema checks v against the subset of JSON Schema that
// incidents.schema.json uses: type, properties, required, items, enum,
// pattern and additionalProperties: false, with $schema, title and
// description as annotations. Any other keyword is reported, so the
// schema cannot grow past what this checks. Numbers must be decoded as
// json.Number.
func validateSchema(schema, v any, at string) []string {
	s, ok := schema.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("%s: schema is %T, not an object", at, schema)}
	}
	var errs []string
	for _, k := range slices.Sorted(maps.Keys(s)) {
		switch k {
		case "$schema", "title", "description", "type", "properties", "required", "items", "enum", "pattern":
		case "additionalProperties":
			if s[k] != false {
				errs = append(errs, fmt.Sprintf("%s: schema: additionalProperties other than false is not supported", at))
			}
		default:
			errs = append(errs, fmt.Sprintf("%s: schema: unsupported keyword %q", at, k))
		}
	}
	if typ, ok := s["type"]; ok {
		name, _ := typ.(string)
		if !jsonHasType(v, name) {
			return append(errs, fmt.Sprintf("%s: want %s, got %s", at, name, jsonTypeOf(v)))
		}
	}
	if enum, ok := s["enum"].([]any); ok {
		if !slices.ContainsFunc(enum, func(e any) bool { return reflect.DeepEqual(e, v) }) {
			errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
		}
	}
	if p, ok := s["pattern"].(string); ok {
		if str, ok := v.(string); ok && !regexp.MustCompile(p).MatchString(str) {
			errs = append(errs, fmt.Sprintf("%s: %q does not match %s", at, str, p))
		}
	}
	switch v := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		req, _ := s["required"].([]any)
		for _, r := range req {
			if _, ok := v[r.(string)]; !ok {
				errs = append(errs, fmt.Sprintf("%s: missing %q", at, r))
			}
		}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			sub, ok := props[k]
			if !ok {
				if s["additionalProperties"] == false {
					errs = append(errs, fmt.Sprintf("%s: unexpected %q", at, k))
				}
				continue
			}
			errs = append(errs, validateSchema(sub, v[k], at+"."+k)...)
		}
	case []any:
		if items, ok := s["items"]; ok {
			for i, e := range v {
				errs = append(errs, validateSchema(items, e, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return errs
}

func jsonHasType(v any, name string) bool {
	switch name {
	case "integer":
		n, ok := v.(json.Number)
		return ok && !strings.ContainsAny(string(n), ".eE")
	case "number":
		_, ok := v.(json.Number)
		return ok
	}
	return jsonTypeOf(v) == name
}

func jsonTypeOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// incidents.json is written a record at a time; its bytes are those of
// the whole document marshalled at once, with no incident, one and many.
func TestExportJSONStreamed(t *testing.T) {
	incs, tl := exportFixture()
	all := mustExports(t, exportTestSite, incs, tl)["incidents.json"]
	var doc exportDoc
	if err := json.Unmarshal(all, &doc); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, len(doc.Incidents)} {
		d := doc
		d.Incidents = doc.Incidents[:n]
		want, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, '\n')
		var got bytes.Buffer
		if err := exportJSON(&got, exportTestSite, nil, d.Incidents, nil); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%d incidents: streamed JSON differs from the document marshalled whole:\n%s\nwant\n%s", n, got.Bytes(), want)
		}
	}
}

// A file streamed to a Streamer is the file a Writer gets whole.
func TestRenderStreams(t *testing.T) {
	whole := &mapWriter{} // a Writer, not a Streamer
	if err := Render(context.Background(), renderInputOf(t, 3, ""), whole); err != nil {
		t.Fatal(err)
	}
	var m publish.Memory
	if err := Render(context.Background(), renderInputOf(t, 3, ""), &m); err != nil {
		t.Fatal(err)
	}
	streamed := m.Files()
	if len(streamed) != len(whole.files) || len(streamed) < 10 {
		t.Errorf("%d files streamed, %d whole", len(streamed), len(whole.files))
	}
	for p, b := range whole.files {
		if !bytes.Equal(streamed[p], b) {
			t.Errorf("%s differs when streamed", p)
		}
	}
}
