package corpus

import (
	"strconv"
	"strings"
)

// renderRST writes d as reStructuredText the way Sphinx and docutils users
// write postmortems: a field list of metadata (above the title, as Sphinx
// reads file-wide metadata, or right below it, where docutils makes it the
// docinfo), an adorned title, emoji in section titles, italic prompts,
// ".. code-block::" directives, simple and grid tables, and ☒/☐ follow-ups.
// docutils reads every file it writes without errors.
func renderRST(d *doc) []byte {
	var b strings.Builder
	b.Grow(8 << 10)
	inc := d.inc
	st := &d.style
	r := newRNG(d.seed, 2)
	fields := rstFields(d, r)
	if st.fieldsTop {
		b.WriteString(fields + "\n")
	}
	title := inc.title
	if st.dateTitle {
		title = inc.local.Format("2006-01-02") + ": " + title
	}
	line := strings.Repeat("=", rstWidth(title)+r.intn(3))
	if st.overline {
		b.WriteString(line + "\n")
	}
	b.WriteString(title + "\n" + line + "\n\n")
	if !st.fieldsTop {
		b.WriteString(fields + "\n")
	}
	w := rstWriter{b: &b, st: st, wrapCache: d.wraps()}
	for _, bl := range d.intro {
		w.block(bl, 1)
	}
	for _, s := range d.secs {
		w.section(s, 1)
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n")
}

// rstAdornments are the underline characters of section levels 1, 2, 3;
// the title uses "=".
var rstAdornments = []string{"-", "~", "^"}

func rstFields(d *doc, r *rng) string {
	inc := d.inc
	var b strings.Builder
	field := func(k, v string) { b.WriteString(":" + k + ": " + v + "\n") }
	if r.chance(0.97) {
		field("date", metaDate(inc, true))
	}
	if r.chance(0.9) {
		field("severity", inc.severity)
	}
	if r.chance(0.8) {
		field("status", inc.status)
	}
	var sys, cs []string
	for _, s := range inc.sys {
		sys = append(sys, systems[s].id)
	}
	for _, c := range inc.causes {
		cs = append(cs, causes[c].id)
	}
	if r.chance(0.92) {
		field("systems", strings.Join(sys, ", "))
	}
	if r.chance(0.8) {
		field("causes", strings.Join(cs, ", "))
	}
	if r.chance(0.85) {
		if len(inc.authors) == 1 && r.chance(0.5) {
			field("author", inc.authors[0])
		} else {
			field("authors", strings.Join(inc.authors, ", "))
		}
	}
	if r.chance(0.4) {
		lines := wrap(d.summaryLine(r), 72)
		b.WriteString(":summary: " + lines[0] + "\n")
		for _, l := range lines[1:] {
			b.WriteString("   " + l + "\n")
		}
	}
	return b.String()
}

// rstBlockSize is the number of bytes b adds to d written as RST.
func rstBlockSize(d *doc, b block) int {
	var sb strings.Builder
	rstWriter{b: &sb, st: &d.style, wrapCache: d.wraps()}.block(b, 1)
	return sb.Len()
}

type rstWriter struct {
	b  *strings.Builder
	st *style
	wrapCache
}

func (w rstWriter) heading(title string, level int) {
	ch := rstAdornments[min(level, len(rstAdornments))-1]
	w.b.WriteString(title + "\n" + strings.Repeat(ch, rstWidth(title)) + "\n\n")
}

func (w rstWriter) section(s section, level int) {
	w.heading(s.title, level)
	for _, bl := range s.blocks {
		w.block(bl, level)
	}
	for _, sub := range s.subs {
		w.section(sub, level+1)
	}
}

func (w rstWriter) lines(text, first, rest string) {
	width := w.st.wrap
	if width > 0 {
		width -= len(rest)
	}
	for i, l := range w.wrap(text, width) {
		if i == 0 {
			w.b.WriteString(first)
		} else {
			w.b.WriteString(rest)
		}
		w.b.WriteString(rstInline(l))
		w.b.WriteByte('\n')
	}
}

func (w rstWriter) block(bl block, level int) {
	b := w.b
	switch bl.kind {
	case bPara:
		w.lines(bl.text, "", "")
	case bPrompt:
		switch w.st.promptKind {
		case 2:
			w.lines(bl.text, "   ", "   ")
		case 3:
			w.lines(bl.text, ".. ", "   ")
		default:
			w.lines("*"+bl.text+"*", "", "")
		}
	case bPlaceholder:
		b.WriteString(bl.text + "\n")
	case bList:
		for _, it := range bl.items {
			w.lines(it, w.st.bullet+" ", "  ")
		}
	case bOrdered:
		for i, it := range bl.items {
			n := "#. "
			if bl.variant%2 == 0 {
				n = strconv.Itoa(i+1) + ". "
			}
			w.lines(it, n, strings.Repeat(" ", len(n)))
		}
	case bChecklist:
		for i, it := range bl.items {
			box := "☐ "
			if bl.checked[i] {
				box = "☒ "
			}
			w.lines(it, w.st.bullet+" "+box, "  ")
		}
	case bCode, bDetails:
		lang := bl.lang
		if bl.kind == bDetails {
			lang = "text"
		}
		if lang == "text" && bl.variant%2 == 0 {
			b.WriteString("::\n\n")
		} else {
			b.WriteString(".. " + w.st.codeDir + ":: " + lang + "\n\n")
		}
		indent := "   "
		if bl.variant%3 == 0 {
			indent = "    "
		}
		for _, l := range strings.Split(bl.text, "\n") {
			if strings.TrimSpace(l) == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString(indent + l + "\n")
		}
	case bTable:
		if bl.variant < 50 {
			rstSimpleTable(b, bl.header, bl.rows)
		} else {
			rstGridTable(b, bl.header, bl.rows)
		}
	case bTimeline:
		w.timeline(bl, level)
		return
	case bImage:
		b.WriteString(".. image:: " + bl.lang + "\n   :alt: " + bl.text + "\n")
	}
	b.WriteByte('\n')
}

func (w rstWriter) timeline(bl block, level int) {
	b := w.b
	st := w.st
	utc := ""
	if st.timeUTC {
		utc = " UTC"
	}
	switch st.timeline {
	case tlTable:
		head := "Time"
		if st.timeUTC {
			head = "Time (UTC)"
		}
		rows := make([][]string, len(bl.events))
		for i, e := range bl.events {
			rows[i] = []string{e.time, e.text}
		}
		if bl.variant < 70 {
			rstSimpleTable(b, []string{head, "Event"}, rows)
		} else {
			rstGridTable(b, []string{head, "Event"}, rows)
		}
	case tlHeadings:
		for _, e := range bl.events {
			w.heading(e.time+utc, level+1)
			w.lines(e.text+".", "", "")
			b.WriteByte('\n')
		}
		return
	case tlDays:
		day := ""
		for _, e := range bl.events {
			if e.day != day {
				if day != "" {
					b.WriteByte('\n')
				}
				day = e.day
				b.WriteString(rstInline(bold(day)) + "\n\n")
			}
			w.lines(bold(e.time)+" "+e.text, st.bullet+" ", "  ")
		}
	case tlDefs:
		for i, e := range bl.events {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(e.time + utc + "\n")
			w.lines(e.text, "   ", "   ")
		}
	case tlHandles:
		for _, e := range bl.events {
			w.lines(e.time+" "+e.who+" "+e.text, st.bullet+" ", "  ")
		}
	case tlPlain:
		sep := []string{": ", " — ", " - "}[bl.variant%3]
		for _, e := range bl.events {
			w.lines(e.time+utc+sep+e.text, st.bullet+" ", "  ")
		}
	default:
		for _, e := range bl.events {
			w.lines(bold(e.time)+" "+e.text, st.bullet+" ", "  ")
		}
	}
	b.WriteByte('\n')
}

// rstSimpleTable writes a simple table; the last column may run past its
// border, as simple tables allow.
func rstSimpleTable(b *strings.Builder, header []string, rows [][]string) {
	cells := rstCells(header, rows)
	widths := colWidths(cells)
	last := len(widths) - 1
	widths[last] = min(widths[last], 40)
	border := make([]string, len(widths))
	for i, n := range widths {
		border[i] = strings.Repeat("=", n)
	}
	rule := strings.Join(border, "  ") + "\n"
	row := func(cs []string) {
		var l strings.Builder
		for i, c := range cs {
			l.WriteString(c)
			if i < last {
				l.WriteString(strings.Repeat(" ", widths[i]-rstWidth(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	b.WriteString(rule)
	row(cells[0])
	b.WriteString(rule)
	for _, cs := range cells[1:] {
		row(cs)
	}
	b.WriteString(rule)
}

func rstGridTable(b *strings.Builder, header []string, rows [][]string) {
	cells := rstCells(header, rows)
	widths := colWidths(cells)
	rule := func(ch string) {
		b.WriteString("+")
		for _, n := range widths {
			b.WriteString(strings.Repeat(ch, n+2) + "+")
		}
		b.WriteString("\n")
	}
	row := func(cs []string) {
		b.WriteString("|")
		for i, c := range cs {
			b.WriteString(" " + c + strings.Repeat(" ", widths[i]-rstWidth(c)) + " |")
		}
		b.WriteString("\n")
	}
	rule("-")
	row(cells[0])
	rule("=")
	for _, cs := range cells[1:] {
		row(cs)
		rule("-")
	}
}

func rstCells(header []string, rows [][]string) [][]string {
	out := [][]string{make([]string, len(header))}
	for i, h := range header {
		out[0][i] = rstInline(h)
	}
	for _, r := range rows {
		cs := make([]string, len(r))
		for i, c := range r {
			cs[i] = rstInline(c)
		}
		out = append(out, cs)
	}
	return out
}

func colWidths(cells [][]string) []int {
	widths := make([]int, len(cells[0]))
	for _, cs := range cells {
		for i, c := range cs {
			widths[i] = max(widths[i], rstWidth(c))
		}
	}
	return widths
}

// rstWidth is the width docutils gives text, erring on the wide side for
// anything outside ASCII (emoji are two columns, joiners and variation
// selectors one): a title underline may be longer than its title but
// never shorter. Tables hold ASCII and Latin letters only, which count one.
func rstWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r < 0x2000:
			n++
		case r >= 0x2010 && r <= 0x2027: // dashes, quotes, bullets
			n++
		default:
			n += 2
		}
	}
	return n
}

// rstInline turns the inline markers into reStructuredText.
func rstInline(s string) string {
	if !strings.ContainsAny(s, mCode+mBold+mLink) {
		return s
	}
	var b strings.Builder
	inLink := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case mCode[0]:
			b.WriteString("``")
		case mBold[0]:
			b.WriteString("**")
		case mLink[0]:
			if !inLink {
				b.WriteByte('`')
			} else {
				b.WriteString(">`__")
			}
			inLink = !inLink
		case mSep[0]:
			b.WriteString(" <")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
