package timeline

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/when"
)

// Options say how to read times the text leaves open.
type Options struct {
	// Location is the zone for times written without one when neither the
	// timeline ("All times in PST") nor the incident's date names one.
	Location *time.Location
}

// The milestones an event can mark (Event.Milestone).
const (
	MilestoneStarted   = "started"
	MilestoneDetected  = "detected"
	MilestoneMitigated = "mitigated"
	MilestoneResolved  = "resolved"
)

// crossGap is how far a time may fall below the previous one before it is
// read as the next day: 00:15 after 23:50 is past midnight, 14:02 after
// 14:10 is a line written out of order.
const crossGap = 6 * time.Hour

// Events reads the timeline section of an incident (the first section, at any depth,
// whose canonical key is incident.Timeline; Walk over inc.Sections) into events, in the
// author's order. Warnings point at lines it could not place (a time it could not read
// is still an event, with a zero At).
//
// # Lines
//
// An event is a line that starts with a time or a date: a list item
// ("- **14:05** text", "- 14:05 UTC: text", "* 10:05: text", "- 18:53 @name
// text", "- Dec 17th 21:43 @name text", "- 12:43 PM text"), a line of a
// paragraph ("2023-01-07 14:05 – text"; lines that follow it without a time
// continue its text), a heading ("### 5:00 PM (BST)", "### 2017-10-17 07:42",
// "### 21:00 - Team alerted": its text is the rest of the heading, else the
// first paragraph under it), a row of a table with a time column ("| Time
// (CET) | Event |", "| Date | Time | Event |") or a term of a definition
// list. A line that is only a date ("### 2023-01-07", "2023-01-07") sets the
// date of the lines under it; a date heading is an event itself only when
// nothing under it is. A row or term whose time cannot be read is still an
// event, with a zero At and a warning.
//
// # Dates and zones
//
// A time without a date takes the date of the line before it, or else the
// incident's day. A time more than six hours earlier than the previous
// event on the same carried date is on the next day (00:15 after 23:50); a
// smaller drop stays on the day and the event is OutOfOrder, as is any
// event earlier than one told before it. When no day is known at all
// (the incident's date is only a month), At stays zero and Clock keeps the
// time. A month and day without a year take the year that puts them
// nearest the incident's date.
//
// The zone is the one written on the line; else a table header's ("Time
// (CET)"); else a statement in the section ("All times in PST", "Times in
// CEST (UTC+2)", "All events are documented in UTC time"); else the zone
// last written on an earlier line; else the zone of the incident's date;
// else Options.Location.
//
// # Milestones
//
// The first event whose text says the incident began ("started", "began",
// "first errors", "start of incident") is marked started; likewise the first
// that says it was noticed ("alert fired", "paged", "first report",
// "noticed", "detected", "alerted"), mitigated ("mitigated", "workaround",
// "rolled back", "reverted", "failover completed", "service restored") and
// resolved ("resolved", "fully recovered", "all clear", "incident closed",
// "back to normal"). Words are matched whole, in any case, and not after a
// negation ("not resolved").
func Events(inc *incident.Incident, opt Options) ([]Event, []markup.Warning) {
	if inc == nil {
		return nil, nil
	}
	var tl *incident.Section
	incident.Walk(inc.Sections, func(s *incident.Section) {
		if tl == nil && s.Canonical && s.Key == incident.Timeline && s.Source != nil {
			tl = s
		}
	})
	if tl == nil {
		return nil, nil
	}
	r := newEvReader(inc, opt)
	r.statement(tl.Source.Title, true)
	r.blocks(tl.Source.Body)
	for _, c := range tl.Source.Sections {
		r.section(c)
	}
	r.finish()
	return r.events, r.warns
}

// evZone is a zone and where it came from.
type evZone struct {
	loc  *time.Location
	name string
	// text marks a zone the author named, which At shows.
	text bool
}

// evDay is a calendar date without a zone: the day carried from line to
// line.
type evDay struct {
	y  int
	m  time.Month
	d  int
	ok bool
}

func dayOf(t time.Time) evDay {
	y, m, d := t.Date()
	return evDay{y, m, d, true}
}

// evStamp is what a line starts with: a date, a time of day, or both.
type evStamp struct {
	date, clock bool
	// bad marks a line that starts with something written as a time
	// ("22:XX", "24:00") that is not one; raw is what was written.
	bad    bool
	raw    string
	noYear bool
	y      int
	mo     time.Month
	d      int
	h, mi  int
	s, ns  int
	loc    *time.Location
	zone   string
	// badClock marks a date followed by a time that cannot be read
	// ("Dec 17th 22:XX"): the event keeps the day.
	badClock bool
}

func (s evStamp) dateOnly() bool { return s.date && !s.clock && !s.bad }

// evLine is one line of a block's text and where it starts.
type evLine struct {
	text string
	pos  markup.Pos
}

// evReader reads one timeline section.
type evReader struct {
	file string
	// flat marks plain text, where a flattened page runs list items
	// together ("First report - Feb 28th 01:54").
	flat bool
	// ref is the incident's date, for years left out.
	ref                            when.Date
	site, incZone                  evZone
	stated, tableZone, writtenZone evZone
	day                            evDay
	// vday numbers the days of times that have no date, so that they are
	// ordered and cross midnight among themselves.
	vday int

	// Ordering, for dated times ([0]) and undated ones ([1]): the
	// previous time for midnight, and the latest time told so far.
	prev, max       [2]time.Time
	hasPrev, hasMax [2]bool

	events []Event
	parts  [][]string
	who    []string
	// open is the event that lines without a time continue; hungry is an
	// event with no text yet, which takes the first lines of the next
	// paragraph. -1 for none.
	open, hungry int
	skipped      map[*markup.Node]bool
	warns        []markup.Warning
	undated      bool
}

func newEvReader(inc *incident.Incident, opt Options) *evReader {
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	r := &evReader{file: inc.Path, ref: inc.Date, site: evZone{loc: loc}, open: -1, hungry: -1, vday: 1,
		skipped: map[*markup.Node]bool{}}
	if inc.Doc != nil {
		r.file = inc.Doc.Path
		r.flat = inc.Doc.Format == "text"
	}
	if inc.Date.Zoned && inc.Date.Precision >= when.Minute {
		r.incZone = evZone{loc: inc.Date.Time.Location(), name: inc.Date.Zone, text: true}
	}
	if inc.Date.Precision >= when.Day {
		r.day = dayOf(inc.Date.Time)
	}
	return r
}

func (r *evReader) pos(n *markup.Node) markup.Pos {
	return markup.Pos{File: r.file, Line: n.Line, Col: n.Col}
}

func (r *evReader) warn(pos markup.Pos, msg, hint string) {
	r.warns = append(r.warns, markup.Warning{Pos: pos, Message: msg, Hint: hint})
}

// section reads a subsection of the timeline: its heading, its body, then
// its own subsections.
func (r *evReader) section(s *markup.Section) {
	r.heading(s.Title, s.Pos, s.Body, false)
	for _, c := range s.Sections {
		r.section(c)
	}
}

// blocks reads blocks in order.
func (r *evReader) blocks(bs []*markup.Node) {
	for i := 0; i < len(bs); i++ {
		b := bs[i]
		if b == nil {
			continue
		}
		if r.skipped[b] {
			r.open, r.hungry = -1, -1
			continue
		}
		switch b.Kind {
		case markup.Paragraph:
			r.paragraph(evLines(b, r.file))
		case markup.LineBlock:
			var ls []evLine
			for _, l := range b.Children {
				ls = append(ls, evLines(l, r.file)...)
			}
			r.paragraph(ls)
		case markup.List:
			r.open, r.hungry = -1, -1
			for _, it := range b.Children {
				if it != nil && it.Kind == markup.ListItem {
					r.item(it)
				}
			}
		case markup.Table:
			r.open, r.hungry = -1, -1
			r.table(b)
		case markup.DefinitionList:
			r.open, r.hungry = -1, -1
			r.definitions(b)
		case markup.Heading:
			// A heading inside a list or a quote: what follows it up to
			// the next heading is its body.
			j := i + 1
			for j < len(bs) && (bs[j] == nil || bs[j].Kind != markup.Heading) {
				j++
			}
			r.heading(markup.InlineText(b), r.pos(b), bs[i+1:j], false)
			i = j - 1
		case markup.CodeBlock, markup.HTMLBlock, markup.Comment, markup.Target, markup.Contents,
			markup.ThematicBreak, markup.Figure:
			r.open, r.hungry = -1, -1
		default:
			r.open, r.hungry = -1, -1
			r.blocks(b.Children)
		}
	}
}

// paragraph reads lines: each that starts with a time is an event, and
// the lines after it continue its text.
func (r *evReader) paragraph(ls []evLine) {
	for _, l := range ls {
		r.line(l)
	}
	r.endBlock()
}

// endBlock closes the open event; one that has no text yet, or only a
// name, takes the first lines of the next paragraph ("- 14:05" then
// "Deploy started.").
func (r *evReader) endBlock() {
	r.hungry = -1
	if r.open >= 0 && r.who[r.open] == "" {
		empty := true
		for _, p := range r.parts[r.open] {
			empty = empty && evNameOnly(p)
		}
		if empty {
			r.hungry = r.open
		}
	}
	r.open = -1
}

func (r *evReader) line(l evLine) {
	if r.flat {
		if head, tail, ok := evGlued(l.text); ok {
			if head != "" {
				r.oneLine(evLine{head, l.pos})
			}
			r.oneLine(evLine{tail, l.pos})
			return
		}
	}
	r.oneLine(l)
}

// oneLine reads a line that holds at most one event.
func (r *evReader) oneLine(l evLine) {
	st, rest, ok := evRead(l.text)
	if !ok {
		switch {
		case r.hungry >= 0:
			r.parts[r.hungry] = append(r.parts[r.hungry], l.text)
			if !evNameOnly(l.text) {
				r.hungry = -1
			}
		case r.open >= 0:
			r.parts[r.open] = append(r.parts[r.open], l.text)
		default:
			r.statement(l.text, false)
		}
		return
	}
	r.hungry = -1
	if st.dateOnly() && rest == "" {
		r.open = -1
		r.setDay(st, l.pos)
		return
	}
	r.open = r.add(st, rest, l.pos)
}

// item reads a list item: its first line is the event, the rest of its
// first paragraph continues the text, and lists inside it are read in turn.
func (r *evReader) item(it *markup.Node) {
	r.open, r.hungry = -1, -1
	kids := it.Children
	if len(kids) == 0 || kids[0] == nil {
		r.blocks(kids)
		return
	}
	first := kids[0]
	switch {
	case r.skipped[first]:
		r.blocks(kids[1:])
	case first.Kind == markup.Heading:
		r.heading(markup.InlineText(first), r.pos(first), kids[1:], false)
	case first.Kind == markup.Paragraph:
		ls := evLines(first, r.file)
		if len(ls) == 0 {
			r.blocks(kids[1:])
			return
		}
		st, rest, ok := evRead(ls[0].text)
		switch {
		case ok && !(st.dateOnly() && rest == ""):
			r.open = r.add(st, rest, ls[0].pos)
			for _, l := range ls[1:] {
				if r.flat {
					r.line(l)
				} else {
					r.parts[r.open] = append(r.parts[r.open], l.text)
				}
			}
			r.endBlock()
		case ok:
			r.setDay(st, ls[0].pos)
			r.paragraph(ls[1:])
		default:
			r.paragraph(ls)
		}
		r.blocks(kids[1:])
	default:
		r.blocks(kids)
	}
}

// heading reads a heading and the blocks under it. A heading that starts
// with a time is an event; one that is a date sets the day, and is an
// event only when nothing under it is. must makes a title that does not
// read as a time an event all the same (a term of a timeline's
// definition list), with a zero At.
func (r *evReader) heading(title string, pos markup.Pos, body []*markup.Node, must bool) {
	r.open, r.hungry = -1, -1
	st, rest, ok := evRead(title)
	if !ok && !must {
		r.statement(title, false)
		r.dateIn(title, pos)
		r.blocks(body)
		return
	}
	if !ok {
		st, rest = evStamp{bad: true, raw: title}, ""
	}
	if st.dateOnly() {
		r.setDay(st, pos)
		n := len(r.events)
		r.blocks(body)
		if len(r.events) > n {
			return
		}
		text := rest
		if text == "" {
			if p := evFirstPara(body); p != nil {
				text = evJoin(evLines(p, r.file))
			}
		}
		if text != "" {
			r.add(st, text, pos)
		}
		return
	}
	text := rest
	if !ok {
		text = title
	}
	if rest == "" {
		if p := evFirstPara(body); p != nil {
			ls := evLines(p, r.file)
			if len(ls) > 0 {
				if _, _, timed := evRead(ls[0].text); !timed {
					r.skipped[p] = true
					if text != "" {
						text += ": "
					}
					text += evJoin(ls)
				}
			}
		}
	}
	r.add(st, text, pos)
	r.blocks(body)
}

// definitions reads a definition list: when a term reads as a time, each
// term is an event and its definition the text.
func (r *evReader) definitions(dl *markup.Node) {
	type pair struct{ term, def *markup.Node }
	var ps []pair
	for _, c := range dl.Children {
		switch {
		case c == nil:
		case c.Kind == markup.DefinitionTerm:
			ps = append(ps, pair{term: c})
		case c.Kind == markup.Definition && len(ps) > 0 && ps[len(ps)-1].def == nil:
			ps[len(ps)-1].def = c
		case c.Kind == markup.Definition:
			ps = append(ps, pair{def: c})
		}
	}
	timed := false
	for _, p := range ps {
		if p.term != nil {
			if st, _, ok := evRead(markup.InlineText(p.term)); ok && !st.bad {
				timed = true
				break
			}
		}
	}
	for _, p := range ps {
		var body []*markup.Node
		if p.def != nil {
			body = p.def.Children
		}
		if p.term == nil {
			r.blocks(body)
			continue
		}
		r.heading(markup.InlineText(p.term), r.pos(p.term), body, timed)
	}
}

// evColumn kinds.
const (
	evColOther = iota
	evColTime
	evColDate
	evColText
	evColWho
)

// evColumnKind says what a table header names.
func evColumnKind(h string) int {
	kind := evColOther
	for _, w := range strings.FieldsFunc(strings.ToLower(h), func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch w {
		case "time", "times", "timestamp", "datetime", "when", "hour", "clock":
			return evColTime
		case "date", "day":
			kind = evColDate
		case "who", "owner", "person", "by", "actor", "author", "responder":
			if kind == evColOther {
				kind = evColWho
			}
		case "event", "events", "what", "description", "details", "detail", "action", "actions",
			"activity", "summary", "update", "note", "notes", "happened", "message":
			if kind == evColOther {
				kind = evColText
			}
		}
	}
	return kind
}

// table reads a table with a time column: each row is an event.
func (r *evReader) table(t *markup.Node) {
	var rows []*markup.Node
	for _, c := range t.Children {
		if c != nil && c.Kind == markup.TableRow {
			rows = append(rows, c)
		}
	}
	var head []string
	body := rows
	if len(rows) > 0 && rows[0].Header {
		head = evCells(rows[0])
		body = rows[1:]
		for len(body) > 0 && body[0].Header {
			body = body[1:]
		}
	}
	timeCol, dateCol, textCol, whoCol := -1, -1, -1, -1
	var zone evZone
	for j, h := range head {
		k := evColumnKind(h)
		switch {
		case k == evColTime && timeCol < 0:
			timeCol = j
		case k == evColDate && dateCol < 0:
			dateCol = j
		case k == evColText && textCol < 0:
			textCol = j
		case k == evColWho && whoCol < 0:
			whoCol = j
		}
		if (k == evColTime || k == evColDate) && zone.loc == nil {
			if z, ok := evStatedZone(h, true, r.refTime()); ok {
				zone = z
			}
		}
	}
	cells := make([][]string, len(body))
	ncol := 0
	for i, row := range body {
		cells[i] = evCells(row)
		ncol = max(ncol, len(cells[i]))
	}
	if timeCol < 0 && dateCol < 0 {
		// No header names the time: a column whose cells read as times.
		for j := 0; j < ncol && timeCol < 0; j++ {
			n := 0
			for _, cs := range cells {
				if st, _, ok := evRead(evAt(cs, j)); ok && !st.bad {
					n++
				}
			}
			if n > 0 && 2*n >= len(body) {
				timeCol = j
			}
		}
	}
	if timeCol < 0 && dateCol < 0 {
		r.blocksOfCells(body)
		return
	}
	if timeCol < 0 {
		timeCol, dateCol = dateCol, -1
	}
	if textCol < 0 {
		for j := 0; j < max(ncol, len(head)); j++ {
			if j != timeCol && j != dateCol && j != whoCol {
				textCol = j
				break
			}
		}
	}
	saved := r.tableZone
	r.tableZone = zone
	defer func() { r.tableZone = saved }()
	for i, row := range body {
		r.open, r.hungry = -1, -1
		cs := cells[i]
		stamp := evAt(cs, timeCol)
		if dateCol >= 0 {
			stamp = strings.TrimSpace(evAt(cs, dateCol) + " " + stamp)
		}
		text := evAt(cs, textCol)
		if stamp == "" && text == "" {
			continue
		}
		st, rest, ok := evRead(stamp)
		if !ok && stamp != "" {
			st = evStamp{bad: true, raw: stamp}
		}
		if rest != "" {
			text = strings.TrimSpace(rest + " " + text)
		}
		idx := r.add(st, text, r.pos(row))
		if whoCol >= 0 {
			r.who[idx] = evHandle(evAt(cs, whoCol))
		}
	}
}

// blocksOfCells reads the blocks inside the cells of a table that is not
// a timeline: a list of times in a layout table still counts.
func (r *evReader) blocksOfCells(rows []*markup.Node) {
	for _, row := range rows {
		for _, c := range row.Children {
			if c == nil {
				continue
			}
			for _, b := range c.Children {
				if b != nil && !b.Kind.IsInline() && b.Kind != markup.Paragraph {
					r.blocks([]*markup.Node{b})
				}
			}
		}
	}
}

func evCells(row *markup.Node) []string {
	var out []string
	for _, c := range row.Children {
		if c == nil || c.Kind != markup.TableCell {
			continue
		}
		out = append(out, strings.Join(strings.Fields(markup.PlainText(c.Children)), " "))
	}
	return out
}

func evAt(cs []string, j int) string {
	if j < 0 || j >= len(cs) {
		return ""
	}
	return cs[j]
}

// zoneFor is the zone of a time written without one.
func (r *evReader) zoneFor() evZone {
	for _, z := range []evZone{r.tableZone, r.stated, r.writtenZone, r.incZone} {
		if z.loc != nil {
			return z
		}
	}
	return r.site
}

func (r *evReader) refTime() time.Time {
	if r.ref.Precision != when.None {
		return r.ref.Time
	}
	return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
}

// statement takes the zone a line names for the times after it ("All
// times in PST", "Timeline (UTC)"). The section's own title needs no word
// for time ("Events (PDT)").
func (r *evReader) statement(text string, title bool) {
	if z, ok := evStatedZone(text, title, r.refTime()); ok {
		r.stated = z
	}
}

// dateIn takes the day a heading names somewhere in it ("Day two
// (2023-01-08)").
func (r *evReader) dateIn(title string, pos markup.Pos) {
	for _, m := range when.Find(title, when.Options{Location: time.UTC}) {
		if m.Start.Precision < when.Day {
			continue
		}
		t := m.Start.Time
		r.setDay(evStamp{date: true, noYear: m.NoYear, y: t.Year(), mo: t.Month(), d: t.Day()}, pos)
		return
	}
}

// yearFor is the year of a month and day written without one: the one
// that puts it nearest the day carried, or the incident's date.
func (r *evReader) yearFor(mo time.Month, d int) (int, bool) {
	var ref time.Time
	switch {
	case r.day.ok:
		ref = time.Date(r.day.y, r.day.m, r.day.d, 0, 0, 0, 0, time.UTC)
	case r.ref.Precision == when.Year:
		y := r.ref.Time.Year()
		return y, time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Day() == d
	case r.ref.Precision > when.Year:
		t := r.ref.Time
		ref = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	default:
		return 0, false
	}
	best, found := 0, false
	var bestGap time.Duration
	for y := ref.Year() - 1; y <= ref.Year()+1; y++ {
		t := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d {
			continue
		}
		gap := t.Sub(ref)
		if gap < 0 {
			gap = -gap
		}
		if !found || gap < bestGap {
			best, bestGap, found = y, gap, true
		}
	}
	return best, found
}

// stampDay is the day a stamp names, with its year filled in.
func (r *evReader) stampDay(st evStamp) evDay {
	y := st.y
	if st.noYear {
		var ok bool
		if y, ok = r.yearFor(st.mo, st.d); !ok {
			return evDay{}
		}
	}
	return evDay{y, st.mo, st.d, true}
}

func (r *evReader) setDay(st evStamp, pos markup.Pos) {
	if d := r.stampDay(st); d.ok {
		r.day = d
	} else {
		r.noDate(pos)
	}
}

func (r *evReader) noDate(pos markup.Pos) {
	if r.undated {
		return
	}
	r.undated = true
	r.warn(pos, "the timeline's times have no date: the incident's date is not known to the day",
		"give the incident its date (date: 2024-03-11 in the metadata) or write it on the timeline's first line")
}

// add appends an event for a stamp and the text after it, and returns its
// index.
func (r *evReader) add(st evStamp, text string, pos markup.Pos) int {
	ev := Event{Pos: pos}
	switch {
	case st.bad:
		r.warn(pos, fmt.Sprintf("could not read the time %q", st.raw),
			"write times as 14:05 or 2:05 PM, after the date when it changes: 2024-03-11 14:05")
	case st.date || st.clock:
		if st.badClock {
			r.warn(pos, fmt.Sprintf("could not read the time %q; the event keeps only its day", st.raw),
				"write times as 14:05 or 2:05 PM")
		}
		z := r.zoneFor()
		if st.loc != nil {
			z = evZone{loc: st.loc, name: st.zone, text: true}
			r.writtenZone = z
		}
		day := r.day
		if st.date {
			if day = r.stampDay(st); day.ok {
				r.day = day
			}
		}
		switch {
		case !day.ok && st.clock:
			r.noDate(pos)
			ev.Clock = evClock(st, z)
			vt := time.Date(2000, 1, r.vday, st.h, st.mi, st.s, st.ns, time.UTC)
			if r.hasPrev[1] && vt.Before(r.prev[1]) && r.prev[1].Sub(vt) > crossGap &&
				!r.prev[1].Before(time.Date(2000, 1, r.vday, 0, 0, 0, 0, time.UTC)) {
				r.vday++
				vt = vt.AddDate(0, 0, 1)
			}
			r.order(&ev, vt, vt, 1)
			r.prev[1], r.hasPrev[1] = vt, true
		case !day.ok:
			r.noDate(pos)
		case !st.clock:
			t := time.Date(day.y, day.m, day.d, 0, 0, 0, 0, z.loc)
			ev.At = when.Date{Time: t, Precision: when.Day, Zoned: st.loc != nil, Zone: st.zone}
			r.order(&ev, t, time.Date(day.y, day.m, day.d+1, 0, 0, 0, 0, z.loc), 0)
		default:
			t := time.Date(day.y, day.m, day.d, st.h, st.mi, st.s, st.ns, z.loc)
			if !st.date && r.hasPrev[0] && t.Before(r.prev[0]) && r.prev[0].Sub(t) > crossGap &&
				dayOf(r.prev[0].In(z.loc)) == day {
				// Past midnight: 00:15 after 23:50.
				t = time.Date(day.y, day.m, day.d+1, st.h, st.mi, st.s, st.ns, z.loc)
				r.day = dayOf(t)
			}
			ev.At = when.Date{Time: t, Precision: when.Minute, Zoned: z.text, Zone: z.name}
			r.order(&ev, t, t, 0)
			r.prev[0], r.hasPrev[0] = t, true
		}
	}
	r.events = append(r.events, ev)
	var parts []string
	if text = strings.TrimSpace(text); text != "" {
		parts = append(parts, text)
	}
	r.parts = append(r.parts, parts)
	r.who = append(r.who, "")
	return len(r.events) - 1
}

// order flags an event told after a later one. start is where its period
// begins; end is its time for a time of day, the next day for a day.
func (r *evReader) order(ev *Event, start, end time.Time, k int) {
	if r.hasMax[k] {
		if ev.At.Precision == when.Day {
			ev.OutOfOrder = !end.After(r.max[k])
		} else {
			ev.OutOfOrder = end.Before(r.max[k])
		}
	}
	if !r.hasMax[k] || start.After(r.max[k]) {
		r.max[k], r.hasMax[k] = start, true
	}
}

func evClock(st evStamp, z evZone) string {
	s := fmt.Sprintf("%02d:%02d", st.h, st.mi)
	if st.s != 0 {
		s += fmt.Sprintf(":%02d", st.s)
	}
	if z.text && z.name != "" {
		s += " " + z.name
	}
	return s
}

// finish assembles the texts, then sets offsets and milestones.
func (r *evReader) finish() {
	for i := range r.events {
		ev := &r.events[i]
		text := strings.Join(strings.Fields(strings.Join(r.parts[i], " ")), " ")
		text, who := evWho(text)
		if r.who[i] != "" {
			who = r.who[i]
		}
		ev.Text, ev.Who = text, who
	}
	first := -1
	for i := range r.events {
		ev := &r.events[i]
		if ev.At.Precision != when.Minute {
			continue
		}
		if first < 0 {
			first = i
		}
		ev.Offset, ev.HasOffset = ev.At.Time.Sub(r.events[first].At.Time), true
	}
	taken := map[string]bool{}
	for i := range r.events {
		if len(taken) == len(evMilestones) {
			break
		}
		if m := evMilestone(r.events[i].Text, taken); m != "" {
			r.events[i].Milestone = m
			taken[m] = true
		}
	}
}

// evRead reads the time or date a line starts with, and returns the text
// after it and its separator. ok is false when the line does not start
// with one; bad is set when it starts with something written as a time
// that is not one ("22:XX").
func evRead(text string) (st evStamp, rest string, ok bool) {
	s := evTrimLead(text)
	if s == "" || !isASCIIAlnum(s[0]) {
		return st, "", false
	}
	s = evDotDay(s)
	if m, after, found := when.Leading(s, when.Options{Location: time.UTC}); found && m.Start.Precision >= when.Day {
		t := m.Start.Time
		st = evStamp{date: true, noYear: m.NoYear, y: t.Year(), mo: t.Month(), d: t.Day()}
		if m.Start.Precision == when.Minute {
			st.clock = true
			st.h, st.mi, st.s, st.ns = t.Hour(), t.Minute(), t.Second(), t.Nanosecond()
		}
		if m.Start.Zoned {
			st.loc, st.zone = t.Location(), m.Start.Zone
		}
		rest = evTrimSep(after)
		if !st.clock {
			if tok, ok := evBadTime(rest); ok {
				st.badClock, st.raw = true, tok
			}
		}
		return st, rest, true
	}
	if h, mi, sec, loc, zone, n, found := when.TimeOfDay(s); found {
		st = evStamp{clock: true, h: h, mi: mi, s: sec, loc: loc, zone: zone}
		return st, evTrimSep(evSkipRangeEnd(s[n:])), true
	}
	if tok, found := evBadTime(s); found {
		return evStamp{bad: true, raw: tok}, evTrimSep(s[len(tok):]), true
	}
	return st, "", false
}

func isASCIIAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z'
}

// evTrimLead skips what may come before a time: spaces, a bullet of
// flattened text, "~", "(", "[", and a word for "about" ("ca. 18:30").
func evTrimLead(s string) string {
	for {
		t := strings.TrimLeft(s, " \t\u00a0")
		switch {
		case t == "":
			return t
		case strings.HasPrefix(t, "~"), strings.HasPrefix(t, "("), strings.HasPrefix(t, "["):
			t = t[1:]
		case strings.HasPrefix(t, "≈"):
			t = t[len("≈"):]
		default:
			if n := evBullet(t); n > 0 {
				t = t[n:]
				break
			}
			if n := evApprox(t); n > 0 {
				t = t[n:]
				break
			}
			return t
		}
		s = t
	}
}

// evBullet is the length of a bullet and its space at the start of s.
func evBullet(s string) int {
	for _, b := range []string{"- ", "* ", "• ", "– ", "◦ ", "▪ ", "‣ "} {
		if strings.HasPrefix(s, b) {
			return len(b)
		}
	}
	return 0
}

// evApprox is the length of "ca. ", "approximately " and the like, when a
// digit follows.
func evApprox(s string) int {
	for _, w := range []string{"ca. ", "ca ", "approx. ", "approx ", "approximately ", "around ", "about ", "circa ", "roughly "} {
		if len(s) > len(w) && strings.EqualFold(s[:len(w)], w) && '0' <= s[len(w)] && s[len(w)] <= '9' {
			return len(w)
		}
	}
	return 0
}

var evDotDayRE = regexp.MustCompile(`^\d{1,2}\.\s+[A-Za-z]`)

// evDotDay drops the period of a day written "19. April", as German
// writers do.
func evDotDay(s string) string {
	if evDotDayRE.MatchString(s) {
		i := strings.IndexByte(s, '.')
		return s[:i] + s[i+1:]
	}
	return s
}

// evTrimSep skips the separator between a time and its text.
func evTrimSep(s string) string {
	return strings.TrimLeft(s, " \t\u00a0:-–—|,;.)]")
}

// evSkipRangeEnd skips the end of a range after a time: "- 14:30",
// "–14:30", "to 14:30".
func evSkipRangeEnd(s string) string {
	t := strings.TrimLeft(s, " \t")
	n := 0
	switch {
	case strings.HasPrefix(t, "-"):
		n = 1
	case strings.HasPrefix(t, "–"), strings.HasPrefix(t, "—"):
		n = len("–")
	default:
		for _, w := range []string{"to ", "until ", "till "} {
			if strings.HasPrefix(strings.ToLower(t), w) {
				n = len(w)
			}
		}
	}
	if n == 0 {
		return s
	}
	u := strings.TrimLeft(t[n:], " \t~")
	if _, _, _, _, _, m, ok := when.TimeOfDay(u); ok {
		return u[m:]
	}
	return s
}

// evBadTime reads something written as a time that is not one: "22:XX",
// "24:00", "9:7?".
func evBadTime(s string) (string, bool) {
	i := 0
	for i < len(s) && i < 2 && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i == 0 || i+3 > len(s) || s[i] != ':' {
		return "", false
	}
	for _, c := range []byte(s[i+1 : i+3]) {
		if !('0' <= c && c <= '9' || c == 'x' || c == 'X' || c == '?') {
			return "", false
		}
	}
	j := i + 3
	if j < len(s) {
		if r, _ := utf8.DecodeRuneInString(s[j:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			return "", false
		}
	}
	return s[:j], true
}

// evGlued splits a line of flattened text whose end is the next item's
// time: "First report of media outages - Feb 28th 01:54".
func evGlued(s string) (head, tail string, ok bool) {
	i := strings.LastIndex(s, " - ")
	if i < 0 {
		return "", "", false
	}
	tail = strings.TrimSpace(s[i+3:])
	st, rest, found := evRead(tail)
	if !found || st.bad || rest != "" {
		return "", "", false
	}
	return strings.TrimSpace(s[:i]), tail, true
}

// evNameOnly reports whether a line is only a handle ("@nova"), as
// flattened pages put the person on a line of their own.
func evNameOnly(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) > 1 && s[0] == '@' && !strings.ContainsAny(s, " \t")
}

// evHandle is a name from a Who column, without its "@".
func evHandle(s string) string {
	s = strings.TrimSpace(s)
	if _, who := evWho(s); who != "" {
		return who
	}
	return strings.TrimPrefix(s, "@")
}

// evWho finds the first @name of a text. A name that starts the text is
// taken out of it ("@nova First report" is by nova, and says "First
// report").
func evWho(text string) (string, string) {
	for i := 0; i < len(text); i++ {
		if text[i] != '@' {
			continue
		}
		if i > 0 && !strings.ContainsRune(" \t([{,;", rune(text[i-1])) {
			continue
		}
		j := i + 1
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.') {
				break
			}
			j += n
		}
		name := strings.TrimRight(text[i+1:j], ".-")
		if name == "" {
			continue
		}
		if i == 0 {
			return strings.TrimLeft(text[i+1+len(name):], " \t:-–—,.;"), name
		}
		return text, name
	}
	return text, ""
}

// evJoin joins lines into one text.
func evJoin(ls []evLine) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = l.text
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// evFirstPara is the first paragraph in blocks, outside code and tables.
func evFirstPara(bs []*markup.Node) *markup.Node {
	var p *markup.Node
	markup.Walk(bs, func(n *markup.Node, entering bool) markup.WalkStatus {
		if !entering {
			return markup.WalkContinue
		}
		switch n.Kind {
		case markup.Paragraph:
			p = n
			return markup.WalkStop
		case markup.Table, markup.CodeBlock, markup.HTMLBlock, markup.Comment, markup.Heading:
			return markup.WalkSkipChildren
		}
		if n.Kind.IsInline() {
			return markup.WalkSkipChildren
		}
		return markup.WalkContinue
	})
	return p
}

// evLines splits a paragraph (or a line of a line block) into its lines:
// soft and hard breaks, and the line breaks plain text and flattened HTML
// keep in their text. Each line starts where its first node does.
func evLines(n *markup.Node, file string) []evLine {
	var out []evLine
	var b strings.Builder
	line, col := n.Line, n.Col
	fresh := true
	flush := func() {
		if t := strings.TrimSpace(b.String()); t != "" {
			out = append(out, evLine{t, markup.Pos{File: file, Line: line, Col: col}})
		}
		b.Reset()
		fresh = true
	}
	next := func(at int) {
		flush()
		switch {
		case at > line:
			line = at
		case line > 0:
			line++
		}
		col = 0
	}
	markup.Walk(n.Children, func(c *markup.Node, entering bool) markup.WalkStatus {
		if !entering {
			return markup.WalkContinue
		}
		if fresh && c.Line > 0 {
			switch {
			case c.Line > line:
				line, col = c.Line, c.Col
			case c.Line == line && col == 0:
				col = c.Col
			}
		}
		switch c.Kind {
		case markup.Text, markup.Code:
			for i, part := range strings.Split(c.Literal, "\n") {
				if i > 0 {
					at := 0
					if c.Line > 0 {
						at = c.Line + i
					}
					next(at)
				}
				b.WriteString(part)
				if strings.TrimSpace(part) != "" {
					fresh = false
				}
			}
		case markup.LineBreak:
			next(0)
		case markup.RawHTML:
			if strings.HasPrefix(strings.ToLower(c.Literal), "<br") {
				next(0)
			}
		case markup.Image, markup.FootnoteRef, markup.Comment, markup.Target, markup.Contents:
			return markup.WalkSkipChildren
		}
		return markup.WalkContinue
	})
	flush()
	return out
}

// evStatedZone reads the zone a statement names: "All times in PST",
// "Times in CEST (UTC+2)", "All events are documented in UTC time",
// "All times in Central European Time (CET)", "Time (CET)". Unless
// header is set the text must speak of times. An abbreviation wins over a
// generic name; an offset written beside an abbreviation it contradicts
// ("PST (UTC-7)") wins over it.
func evStatedZone(text string, header bool, ref time.Time) (evZone, bool) {
	if len(text) > 160 || (!header && !evTimesRE.MatchString(text)) {
		return evZone{}, false
	}
	var abbr, offset, utc, generic evZone
	for _, tk := range strings.FieldsFunc(text, func(r rune) bool {
		return !(r < utf8.RuneSelf && (isASCIIAlnum(byte(r)) || r == '+' || r == '-' || r == ':'))
	}) {
		tk = strings.Trim(tk, ":-")
		if tk == "" {
			continue
		}
		up := strings.ToUpper(tk)
		letters := strings.IndexFunc(tk, func(r rune) bool { return !unicode.IsLetter(r) }) < 0
		switch {
		case letters && (up == "UTC" || up == "GMT"):
			if utc.loc == nil {
				utc = evZone{loc: time.UTC, name: up, text: true}
			}
		case letters && tk == up && len(tk) >= 2 && len(tk) <= 5:
			if loc, ok := when.LookupZone(tk); ok && abbr.loc == nil {
				abbr = evZone{loc: loc, name: tk, text: true}
			}
		case letters && len(tk) > 2 && unicode.IsUpper(rune(tk[0])):
			if loc, ok := when.LookupZone(tk); ok && generic.loc == nil {
				generic = evZone{loc: loc, name: tk, text: true}
			}
		case !letters && (strings.HasPrefix(up, "UTC") || strings.HasPrefix(up, "GMT") ||
			((tk[0] == '+' || tk[0] == '-') && (strings.Contains(tk, ":") || len(tk) == 5))):
			if loc, ok := when.LookupZone(tk); ok && offset.loc == nil {
				offset = evZone{loc: loc, name: tk, text: true}
			}
		}
	}
	switch {
	case abbr.loc != nil && offset.loc != nil:
		_, a := ref.In(abbr.loc).Zone()
		_, o := ref.In(offset.loc).Zone()
		if a != o {
			return offset, true
		}
		return abbr, true
	case abbr.loc != nil:
		return abbr, true
	case offset.loc != nil:
		return offset, true
	case utc.loc != nil:
		return utc, true
	case generic.loc != nil:
		return generic, true
	}
	return evZone{}, false
}

var evTimesRE = regexp.MustCompile(`(?i)\b(times?|timestamps?|timezone|zone|timeline|clock)\b`)

var evMilestones = []struct {
	name string
	re   *regexp.Regexp
	// words are lower-case strings one of which every match holds: a
	// text without any is not searched, as most lines name no milestone
	// and case-insensitive alternations are slow to rule out.
	words []string
}{
	{MilestoneStarted, regexp.MustCompile(`(?i)\b(began|started|first errors?|outage (?:begins|began|starts)|(?:incident|outage|problem|impact) (?:starts|begins)|start of (?:the )?(?:incident|outage|impact))\b`),
		[]string{"began", "start", "first error", "begins"}},
	{MilestoneDetected, regexp.MustCompile(`(?i)\b(alerts? (?:fired|triggered)|first alerts?|alerted|paged|first reports?|first reported|noticed|notices|noticing|detected)\b`),
		[]string{"alert", "paged", "first report", "notic", "detected"}},
	{MilestoneMitigated, regexp.MustCompile(`(?i)\b(mitigated|workaround|rolled back|reverted|failover (?:completed|complete|done|finished)|services? (?:(?:is|was|are|were) )?restored)\b`),
		[]string{"mitigated", "workaround", "rolled back", "reverted", "failover", "restored"}},
	{MilestoneResolved, regexp.MustCompile(`(?i)\b(resolved|fully recovered|all[- ]clear|incident (?:is |was )?closed|back to normal|returned to normal)\b`),
		[]string{"resolved", "fully recovered", "all-clear", "all clear", "closed", "to normal"}},
}

// evMilestone is the milestone not yet taken that the text names first.
func evMilestone(text string, taken map[string]bool) string {
	return evMilestoneIn(text, taken, true)
}

// evMilestoneIn is evMilestone, passing over the milestones whose words
// the text lacks when filter is set. Case-insensitive matching also folds
// the Kelvin sign to k and the long s to s, which lower-casing does not:
// a text holding either is searched in full.
func evMilestoneIn(text string, taken map[string]bool, filter bool) string {
	lower := ""
	if filter = filter && !strings.ContainsAny(text, "\u212a\u017f"); filter {
		lower = strings.ToLower(text)
	}
	best, at := "", len(text)+1
	for _, m := range evMilestones {
		if taken[m.name] || filter && !containsAny(lower, m.words) {
			continue
		}
		for _, loc := range m.re.FindAllStringIndex(text, -1) {
			if loc[0] >= at {
				break
			}
			if evNegated(text[:loc[0]]) || (m.name == MilestoneStarted && !evIncidentStarted(text, loc)) {
				continue
			}
			best, at = m.name, loc[0]
			break
		}
	}
	return best
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// evNegated reports whether the words before a match deny it ("not
// resolved", "wasn't detected").
func evNegated(before string) bool {
	f := strings.Fields(strings.ToLower(before[max(0, len(before)-16):]))
	if len(f) == 0 {
		return false
	}
	switch strings.Trim(f[len(f)-1], ".,;:!?()") {
	case "not", "never", "no", "yet", "isn't", "wasn't", "weren't", "hasn't", "haven't", "hadn't",
		"didn't", "don't", "doesn't", "aren't", "isn’t", "wasn’t", "didn’t", "hasn’t":
		return true
	}
	return false
}

// evIncidentStarted reports whether "started" or "began" speaks of the
// incident, not of the responders' work ("investigation started", "we
// began investigating"), and whether "start of the outage" opens a
// sentence rather than being looked back on.
func evIncidentStarted(text string, loc []int) bool {
	if strings.HasPrefix(strings.ToLower(text[loc[0]:]), "start of") {
		before := strings.TrimRight(text[:loc[0]], " \t")
		return before == "" || strings.HasSuffix(before, ".") || strings.HasSuffix(before, ":")
	}
	// Only the words around the match matter: a window keeps a text
	// with many matches linear.
	before := strings.Fields(strings.ToLower(text[max(0, loc[0]-48):loc[0]]))
	after := strings.Fields(strings.ToLower(text[loc[1]:min(len(text), loc[1]+24)]))
	for _, w := range before[max(0, len(before)-3):] {
		if strings.HasPrefix(w, "investigat") || strings.HasPrefix(w, "debug") || w == "work" || w == "drafting" {
			return false
		}
	}
	if len(after) > 0 {
		w := strings.Trim(after[0], ".,;:")
		for _, p := range []string{"investigat", "debug", "looking", "working", "receiving", "drafting", "digging"} {
			if strings.HasPrefix(w, p) {
				return false
			}
		}
	}
	return true
}
