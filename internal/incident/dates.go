package incident

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/when"
)

// Where a date was read, in the order they are trusted: what the author
// declared as metadata, a date line at the top of the body, the title, the
// file's path, a date in the opening prose, the first timestamp of the
// timeline.
const (
	FromMetadata = "metadata"
	FromPreamble = "preamble"
	FromTitle    = "title"
	FromPath     = "path"
	FromText     = "text"
	FromTimeline = "timeline"
)

// trust ranks the sources; lower is trusted more.
var trust = map[string]int{FromMetadata: 0, FromPreamble: 1, FromTitle: 2, FromPath: 3, FromText: 4, FromTimeline: 5}

// DateCandidate is one date the author wrote about the incident, and where.
// An incident keeps every candidate so that lint can say when two of them
// disagree and inspect can show why the chosen one won.
type DateCandidate struct {
	From string     `json:"from"`
	Date when.Date  `json:"-"`
	End  when.Date  `json:"-"`
	Pos  markup.Pos `json:"pos"`
	// Ambiguous is set when the date was written in a numeric form with
	// two readings (03-04-2024) that nothing else in the file settles;
	// Alt is the other reading, and Date keeps only what both share.
	Ambiguous bool      `json:"ambiguous,omitempty"`
	Alt       when.Date `json:"-"`
	// Reading is Date as the author's reading was taken, before an
	// ambiguity reduced it: shown in the finding.
	Reading when.Date `json:"-"`
}

// dated collects the candidates of one incident while it is extracted.
type dated struct {
	cands []DateCandidate
	// matches are the numeric matches that may settle each other, with
	// the index of the candidate each one became (-1 for none).
	matches []when.Match
	owners  []int
	// ends are end dates written apart from the start ("End: …").
	ends []when.Date
	// numeric are the numeric dates written anywhere in the file: they
	// show whether the author writes the day or the month first. They
	// are read from doc, with opt, when a candidate is ambiguous.
	numeric []when.Match
	doc     *markup.Doc
	opt     when.Options
}

// maxSettleLines bounds how much of a file is scanned for dates that
// settle an ambiguous one: the order an author writes in shows early.
const maxSettleLines = 2000

// scanNumeric collects the numeric day-month dates of a file's text.
func (dd *dated) scanNumeric(d *markup.Doc, opt when.Options) {
	n := 0
	markup.Walk(d.Body, func(b *markup.Node, entering bool) markup.WalkStatus {
		if !entering || n > maxSettleLines {
			return markup.WalkSkipChildren
		}
		switch b.Kind {
		case markup.Paragraph, markup.Heading, markup.TableRow, markup.DefinitionTerm, markup.Line:
			for _, l := range lines(b) {
				n++
				for _, m := range when.Find(l.text, opt) {
					if m.Order != when.OrderNone {
						dd.numeric = append(dd.numeric, m)
					}
				}
			}
			return markup.WalkSkipChildren
		}
		return markup.WalkContinue
	})
	if m, ok := when.Parse(d.Title, opt); ok && m.Order != when.OrderNone {
		dd.numeric = append(dd.numeric, m)
	}
}

func (dd *dated) add(from string, m when.Match, pos markup.Pos) {
	if m.Start.IsZero() || m.NoYear {
		return
	}
	dd.cands = append(dd.cands, DateCandidate{From: from, Date: m.Start, End: m.End, Pos: pos, Ambiguous: m.Ambiguous, Alt: m.Alt})
	dd.matches = append(dd.matches, m)
	dd.owners = append(dd.owners, len(dd.cands)-1)
}

// addDate records a date that has no ambiguity (metadata, a typed value).
func (dd *dated) addDate(from string, d when.Date, pos markup.Pos) {
	if d.IsZero() {
		return
	}
	dd.cands = append(dd.cands, DateCandidate{From: from, Date: d, Pos: pos})
}

// choose settles ambiguous readings against the other dates of the file,
// then picks the most trusted candidate, takes a finer date from a less
// trusted one that falls inside it ("2023" from the path, "2023-05-12"
// from the timeline), and fills in the incident.
func (dd *dated) choose(inc *Incident) {
	if len(dd.cands) == 0 {
		return
	}
	var settled []when.Date
	ambiguous := false
	for _, c := range dd.cands {
		if !c.Ambiguous {
			settled = append(settled, c.Date)
		}
		ambiguous = ambiguous || c.Ambiguous
	}
	if ambiguous && dd.doc != nil {
		// Only a date with two readings needs the file's other numeric
		// dates: scanning every line costs time most files do not need.
		dd.scanNumeric(dd.doc, dd.opt)
	}
	// The file's other numeric dates settle the order; they are matched
	// after the candidates, whose results are read back.
	all := append(append([]when.Match{}, dd.matches...), dd.numeric...)
	when.Settle(all, settled)
	for i, m := range all[:len(dd.matches)] {
		c := &dd.cands[dd.owners[i]]
		c.Date, c.End, c.Ambiguous, c.Alt = m.Start, m.End, m.Ambiguous, m.Alt
		if c.Ambiguous {
			c.Reading = c.Date
			c.Date = common(c.Date, c.Alt)
			c.End = when.Date{}
		}
	}
	best := -1
	for i, c := range dd.cands {
		if c.Date.IsZero() {
			continue
		}
		if best < 0 || trust[c.From] < trust[dd.cands[best].From] {
			best = i
		}
	}
	if best < 0 {
		inc.Dates = dd.cands
		return
	}
	b := dd.cands[best]
	inc.Date, inc.End, inc.DatePos, inc.DateFrom = b.Date, b.End, b.Pos, b.From
	if b.Date.Precision < when.Day {
		// A finer date inside the same period gives the day, and the
		// most trusted of those wins.
		fine := -1
		for i, c := range dd.cands {
			if i == best || c.Ambiguous || c.Date.Precision <= b.Date.Precision || !b.Date.Contains(c.Date.Time) {
				continue
			}
			if fine < 0 || trust[c.From] < trust[dd.cands[fine].From] {
				fine = i
			}
		}
		if fine >= 0 {
			f := dd.cands[fine]
			inc.Date, inc.End = f.Date, f.End
			inc.DateFrom = b.From + "+" + f.From
		}
	}
	inc.Dates = dd.cands
}

// common is what two readings of a date agree on: the month, or the year.
func common(a, b when.Date) when.Date {
	t := a.Time
	switch {
	case a.Time.Year() == b.Time.Year() && a.Time.Month() == b.Time.Month():
		return when.Date{Time: time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location()), Precision: when.Month}
	case a.Time.Year() == b.Time.Year():
		return when.Date{Time: time.Date(t.Year(), 1, 1, 0, 0, 0, 0, t.Location()), Precision: when.Year}
	}
	return when.Date{}
}

// Conflicts returns the pairs of dates that disagree by more than a day:
// the chosen date against every other candidate. Both periods are widened
// by a day, so "2023" and "2023-05-12" agree, and so do a date written in
// Pacific time and the same evening's UTC date.
func (inc *Incident) Conflicts() [][2]DateCandidate {
	var chosen *DateCandidate
	for i := range inc.Dates {
		c := &inc.Dates[i]
		if c.From == strings.SplitN(inc.DateFrom, "+", 2)[0] && !c.Date.IsZero() {
			chosen = c
			break
		}
	}
	if chosen == nil {
		return nil
	}
	var out [][2]DateCandidate
	seen := map[string]bool{}
	for _, c := range inc.Dates {
		if c.From == chosen.From || c.Date.IsZero() || seen[c.From] {
			continue
		}
		if !overlap(chosen.Date, c.Date) {
			seen[c.From] = true
			out = append(out, [2]DateCandidate{*chosen, c})
		}
	}
	return out
}

// overlap reports whether two dates' periods, each widened by a day on
// both sides, meet.
func overlap(a, b when.Date) bool {
	as, ae := period(a)
	bs, be := period(b)
	const day = 24 * time.Hour
	return !as.Add(-day).After(be) && !bs.Add(-day).After(ae)
}

func period(d when.Date) (time.Time, time.Time) {
	t := d.Time
	switch d.Precision {
	case when.Year:
		return t, t.AddDate(1, 0, 0)
	case when.Month:
		return t, t.AddDate(0, 1, 0)
	case when.Day:
		return t, t.AddDate(0, 0, 1)
	}
	return t, t
}

// fromValue turns a metadata value into a date: a typed date or time from
// YAML or TOML, a year as a number, or text in any form package when reads.
func (x *extractor) fromValue(v any) (when.Date, bool) {
	switch v := v.(type) {
	case time.Time:
		return when.Date{Time: v, Precision: when.Minute, Zoned: true}, true
	case markup.LocalDate:
		t := v.Time
		d := when.Date{Time: time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), x.cfg.Location), Precision: when.Day}
		if v.HasTime {
			d.Precision = when.Minute
		}
		return d, true
	case int64:
		if v >= 1900 && v <= 2200 {
			return when.Date{Time: time.Date(int(v), 1, 1, 0, 0, 0, 0, x.cfg.Location), Precision: when.Year}, true
		}
	case string:
		if p, ok := markup.ParseDate(v); ok {
			return x.fromValue(p)
		}
		if m, ok := when.Parse(v, when.Options{Location: x.cfg.Location}); ok && !m.NoYear {
			return m.Start, true
		}
	case map[string]any:
		// mkdocs-material's blog: date: {created: 2023-01-31, updated: …}
		for _, k := range []string{"created", "published", "date"} {
			if c, ok := v[k]; ok {
				return x.fromValue(c)
			}
		}
	}
	return when.Date{}, false
}

// titleDate reads a date that a title starts with ("2017-09-27, Hub 403",
// "24-10-2024 - All down") and returns the title without it; or a date
// anywhere in it ("Incident report August 12 2025 - …"), leaving the
// title as written. A title that is only a date gives an empty rest.
func (x *extractor) titleDate(title string, pos markup.Pos) (when.Match, string, bool) {
	opt := when.Options{Location: x.cfg.Location}
	if m, ok := when.Parse(title, opt); ok && m.Start.Precision >= when.Day {
		return m, "", true
	}
	if m, rest, ok := when.Leading(title, opt); ok {
		return m, strings.TrimSpace(rest), true
	}
	// "incident date: 2019-02-20, logs unavailable"
	if l := labelRE.FindStringSubmatch(title); l != nil {
		if k, _ := bodyKey(l[1]); k == "date" {
			if m, rest, ok := when.Leading(l[2], opt); ok && strings.TrimSpace(rest) != "" {
				return m, strings.TrimSpace(rest), true
			}
		}
	}
	for _, m := range when.Find(title, opt) {
		if !m.NoYear {
			return m, title, true
		}
	}
	return when.Match{}, title, false
}

var (
	pathISO      = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:[^0-9]|$)`)
	pathISOAny   = regexp.MustCompile(`(?:^|[^0-9])(\d{4})-(\d{2})-(\d{2})(?:[^0-9]|$)`)
	pathCompact  = regexp.MustCompile(`^((?:19|20)\d{2})(\d{2})(\d{2})(?:[-_ .]|$)`)
	pathNumeric  = regexp.MustCompile(`^(\d{1,2})[-_.](\d{1,2})[-_.](\d{4})(?:[^0-9]|$)`)
	pathMonth    = regexp.MustCompile(`^(\d{4})-(\d{2})(?:[-_ ]|$)`)
	pathNamed    = regexp.MustCompile(`^(?i)([a-z]{3,9})[-_ ]?(\d{4})(?:[^0-9]|$)`)
	pathNamedRev = regexp.MustCompile(`^(?i)(\d{4})[-_ ]?([a-z]{3,9})(?:[^a-z]|$)`)
	pathCode     = regexp.MustCompile(`^[A-Za-z]{1,5}[-_ ]?((?:19|20)\d{2})[-_ ]\d{1,4}(?:[^0-9]|$)`)
	pathYear     = regexp.MustCompile(`^((?:19|20)\d{2})(?:[-_ ]|$)`)
	dayPrefix    = regexp.MustCompile(`^(\d{2})(?:[-_ ]|$)`)
	digitsOnly   = regexp.MustCompile(`^\d+$`)
)

// PathDate reads the date that a file's path gives: a date starting the
// file's (or its bundle's) name in any of the forms archives use
// (2023-04-05-…, 20230405-…, 05-04-2023-…, 2023-04-…, apr-2023-…,
// PM2023-001 …, 2023-…), or year and month folders (2023/04/).
func PathDate(p string, loc *time.Location) (when.Match, bool) {
	dir, name := stem(p)
	opt := when.Options{Location: loc}
	m, ok := nameDate(name, opt)
	var y, mo int
	segs := strings.Split(dir, "/")
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if !digitsOnly.MatchString(s) {
			if fm, ok := nameDate(s, opt); ok && fm.Start.Precision >= when.Month && y == 0 {
				y, mo = fm.Start.Time.Year(), int(fm.Start.Time.Month())
				if fm.Start.Precision == when.Year {
					mo = 0
				}
			}
			continue
		}
		n, _ := strconv.Atoi(s)
		switch {
		case len(s) == 4 && n >= 1900 && n <= 2200:
			y = n
			if i+1 < len(segs) && len(segs[i+1]) <= 2 && digitsOnly.MatchString(segs[i+1]) {
				mo, _ = strconv.Atoi(segs[i+1])
				if mo < 1 || mo > 12 {
					mo = 0
				}
			}
			i = -1 // the innermost year folder decides
		}
	}
	if ok && (y == 0 || m.Start.Precision >= when.Day) {
		return m, true
	}
	if y == 0 {
		return m, ok
	}
	folder := when.Match{Start: when.Date{Time: time.Date(y, 1, 1, 0, 0, 0, 0, loc), Precision: when.Year}}
	if mo > 0 {
		folder.Start = when.Date{Time: time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, loc), Precision: when.Month}
		if d := dayPrefix.FindStringSubmatch(name); d != nil {
			day, _ := strconv.Atoi(d[1])
			t := time.Date(y, time.Month(mo), day, 0, 0, 0, 0, loc)
			if day >= 1 && t.Day() == day {
				folder.Start = when.Date{Time: t, Precision: when.Day}
			}
		}
	}
	if ok && folder.Start.Contains(m.Start.Time) {
		return m, true // the name is finer and agrees
	}
	return folder, true
}

func nameDate(name string, opt when.Options) (when.Match, bool) {
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	day := func(y, m, d string) (when.Match, bool) {
		yy, _ := strconv.Atoi(y)
		mm, _ := strconv.Atoi(m)
		dd, _ := strconv.Atoi(d)
		t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, loc)
		if mm < 1 || mm > 12 || dd < 1 || t.Day() != dd {
			return when.Match{}, false
		}
		return when.Match{Start: when.Date{Time: t, Precision: when.Day}}, true
	}
	if s := pathISO.FindStringSubmatch(name); s != nil {
		return day(s[1], s[2], s[3])
	}
	if s := pathCompact.FindStringSubmatch(name); s != nil {
		return day(s[1], s[2], s[3])
	}
	if s := pathISOAny.FindStringSubmatch(name); s != nil {
		return day(s[1], s[2], s[3])
	}
	if s := pathNumeric.FindStringSubmatch(name); s != nil {
		return when.Parse(fmt.Sprintf("%s-%s-%s", s[1], s[2], s[3]), opt)
	}
	if s := pathMonth.FindStringSubmatch(name); s != nil {
		if mm, _ := strconv.Atoi(s[2]); mm >= 1 && mm <= 12 {
			yy, _ := strconv.Atoi(s[1])
			return when.Match{Start: when.Date{Time: time.Date(yy, time.Month(mm), 1, 0, 0, 0, 0, loc), Precision: when.Month}}, true
		}
	}
	if s := pathNamed.FindStringSubmatch(name); s != nil {
		if m, ok := when.Parse(s[1]+" "+s[2], opt); ok && m.Start.Precision == when.Month {
			return m, true
		}
	}
	if s := pathNamedRev.FindStringSubmatch(name); s != nil {
		if m, ok := when.Parse(s[2]+" "+s[1], opt); ok && m.Start.Precision == when.Month {
			return m, true
		}
	}
	if s := pathCode.FindStringSubmatch(name); s != nil {
		yy, _ := strconv.Atoi(s[1])
		return when.Match{Start: when.Date{Time: time.Date(yy, 1, 1, 0, 0, 0, 0, loc), Precision: when.Year}}, true
	}
	if s := pathYear.FindStringSubmatch(name); s != nil {
		yy, _ := strconv.Atoi(s[1])
		return when.Match{Start: when.Date{Time: time.Date(yy, 1, 1, 0, 0, 0, 0, loc), Precision: when.Year}}, true
	}
	return when.Match{}, false
}

// timelineDate is the first full date in the timeline section: in its
// headings ("### 2017-10-17 07:42") or its text, tables and lists.
func (x *extractor) timelineDate(secs []*Section, dd *dated) {
	var tl *Section
	Walk(secs, func(s *Section) {
		if tl == nil && s.Canonical && s.Key == Timeline {
			tl = s
		}
	})
	if tl == nil {
		return
	}
	opt := when.Options{Location: x.cfg.Location}
	found := false
	var visit func(s *markup.Section)
	visit = func(s *markup.Section) {
		if found {
			return
		}
		if s != tl.Source {
			for _, m := range when.Find(s.Title, opt) {
				if !m.NoYear && m.Start.Precision >= when.Day {
					dd.add(FromTimeline, m, s.Pos)
					found = true
					return
				}
			}
		}
		for _, b := range s.Body {
			for _, l := range lines(b) {
				for _, m := range when.Find(l.text, opt) {
					if !m.NoYear && m.Start.Precision >= when.Day {
						dd.add(FromTimeline, m, markup.Pos{File: x.doc.Path, Line: l.line})
						found = true
						return
					}
				}
			}
		}
		for _, c := range s.Sections {
			visit(c)
		}
	}
	visit(tl.Source)
}

// line is one line of a block's text with its line in the file.
type line struct {
	text string
	line int
}

// lines splits a block into its lines of text: a paragraph by its line
// breaks, a list by items, a table by rows (cells joined by " | ").
func lines(b *markup.Node) []line {
	var out []line
	switch b.Kind {
	case markup.Paragraph, markup.Heading, markup.Line, markup.DefinitionTerm:
		for i, l := range strings.Split(markup.PlainText([]*markup.Node{b}), "\n") {
			if t := strings.TrimSpace(l); t != "" {
				out = append(out, line{t, b.Line + i})
			}
		}
	case markup.TableRow:
		var cells []string
		for _, c := range b.Children {
			cells = append(cells, strings.TrimSpace(markup.PlainText(c.Children)))
		}
		out = append(out, line{strings.Join(cells, " | "), b.Line})
	case markup.CodeBlock, markup.Comment, markup.HTMLBlock:
	default:
		for _, c := range b.Children {
			out = append(out, lines(c)...)
		}
	}
	return out
}
