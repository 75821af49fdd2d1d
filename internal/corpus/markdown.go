package corpus

import (
	"strconv"
	"strings"
	"time"
)

// renderMarkdown writes d as Markdown: front matter (YAML, TOML or none),
// then the body. Everything it writes is also valid for Hugo: dates are RFC
// 3339 or YYYY-MM-DD, and strings that YAML would read as something else
// are quoted.
func renderMarkdown(d *doc) []byte {
	var b strings.Builder
	b.Grow(8 << 10)
	inc := d.inc
	st := &d.style
	r := newRNG(d.seed, 1)
	switch inc.format {
	case fmtYAML:
		writeYAML(&b, d, r)
	case fmtTOML:
		writeTOML(&b, d, r)
	}
	level := st.mdLevel
	if st.h1 {
		// With front matter, the heading repeats the title exactly: kb
		// (like most generators) takes a different first heading for
		// content, not for the page's title.
		title := inc.title
		if inc.format == fmtBare && (st.dateTitle || r.chance(0.4)) {
			title = inc.local.Format("2006-01-02") + pick(r, []string{": ", ", ", " – "}) + title
		}
		b.WriteString("# " + mdInline(title) + "\n\n")
		level = 2
		if inc.format == fmtBare && r.chance(0.5) {
			// Metadata as a line of text, the way people write it
			// without front matter.
			parts := []string{bold("Severity:") + " " + inc.severity, bold("Status:") + " " + inc.status}
			if r.chance(0.5) {
				parts = append(parts, bold("Authors:")+" "+strings.Join(inc.authors, ", "))
			}
			b.WriteString(mdInline(strings.Join(parts, " · ")) + "\n\n")
		}
	}
	m := mdWriter{b: &b, st: st, wrapCache: d.wraps()}
	for _, bl := range d.intro {
		m.block(bl, level)
	}
	for _, s := range d.secs {
		m.section(s, level)
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n")
}

// mdBlockSize is the number of bytes b adds to d written as Markdown.
func mdBlockSize(d *doc, b block) int {
	var sb strings.Builder
	mdWriter{b: &sb, st: &d.style, wrapCache: d.wraps()}.block(b, 2)
	return sb.Len()
}

type mdWriter struct {
	b  *strings.Builder
	st *style
	wrapCache
}

func (m mdWriter) section(s section, level int) {
	m.b.WriteString(strings.Repeat("#", min(level, 6)) + " " + mdInline(s.title) + "\n\n")
	for _, bl := range s.blocks {
		m.block(bl, level)
	}
	for _, sub := range s.subs {
		m.section(sub, level+1)
	}
}

// lines writes text wrapped at the style's width, the first line after
// first and the others after rest.
func (m mdWriter) lines(text, first, rest string) {
	width := m.st.wrap
	if width > 0 {
		width -= len(rest)
	}
	for i, l := range m.wrap(text, width) {
		if i == 0 {
			m.b.WriteString(first)
		} else {
			m.b.WriteString(rest)
		}
		m.b.WriteString(mdInline(l))
		m.b.WriteByte('\n')
	}
}

func (m mdWriter) block(bl block, level int) {
	b := m.b
	switch bl.kind {
	case bPara:
		m.lines(bl.text, "", "")
	case bPrompt:
		switch m.st.promptKind {
		case 0:
			m.lines("*"+bl.text+"*", "", "")
		case 1:
			m.lines("_"+bl.text+"_", "", "")
		case 2:
			m.lines(bl.text, "> ", "> ")
		default:
			b.WriteString("<!-- " + bl.text + " -->\n")
		}
	case bPlaceholder:
		b.WriteString(bl.text + "\n")
	case bList:
		for _, it := range bl.items {
			m.lines(it, m.st.bullet+" ", "  ")
		}
	case bOrdered:
		for i, it := range bl.items {
			n := strconv.Itoa(i+1) + ". "
			m.lines(it, n, strings.Repeat(" ", len(n)))
		}
	case bChecklist:
		for i, it := range bl.items {
			box := "[ ] "
			if bl.checked[i] {
				box = "[x] "
			}
			m.lines(it, m.st.bullet+" "+box, "  ")
		}
	case bCode:
		lang := bl.lang
		if lang == "shell" {
			lang = []string{"shell", "sh", "bash", "console"}[bl.variant%4]
		}
		if lang == "text" && bl.variant%3 == 0 {
			lang = ""
		}
		b.WriteString(m.st.fence + lang + "\n" + bl.text + "\n" + m.st.fence + "\n")
	case bTable:
		mdTable(b, bl.header, bl.rows)
	case bTimeline:
		m.timeline(bl, level)
		return
	case bImage:
		b.WriteString("![" + bl.text + "](" + bl.lang + ")\n")
	case bDetails:
		b.WriteString("<details>\n<summary>Full log</summary>\n\n" + m.st.fence + "text\n" + bl.text + "\n" + m.st.fence + "\n\n</details>\n")
	}
	b.WriteByte('\n')
}

func (m mdWriter) timeline(bl block, level int) {
	b := m.b
	st := m.st
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
		mdTable(b, []string{head, "Event"}, rows)
	case tlHeadings:
		h := strings.Repeat("#", min(level+1, 6)) + " "
		for _, e := range bl.events {
			b.WriteString(h + e.time + utc + "\n\n")
			m.lines(e.text+".", "", "")
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
				b.WriteString(mdInline(bold(day)) + "\n\n")
			}
			m.lines(bold(e.time)+" "+e.text, st.bullet+" ", "  ")
		}
	case tlHandles:
		for _, e := range bl.events {
			m.lines(e.time+" "+e.who+" "+e.text, st.bullet+" ", "  ")
		}
	case tlPlain:
		sep := []string{": ", " — ", " - "}[bl.variant%3]
		for _, e := range bl.events {
			m.lines(e.time+utc+sep+e.text, st.bullet+" ", "  ")
		}
	default:
		sep := []string{" ", ": ", " — "}[bl.variant%3]
		for _, e := range bl.events {
			m.lines(bold(e.time)+sep+e.text, st.bullet+" ", "  ")
		}
	}
	b.WriteByte('\n')
}

func mdTable(b *strings.Builder, header []string, rows [][]string) {
	cell := func(s string) string { return strings.ReplaceAll(mdInline(s), "|", `\|`) }
	b.WriteString("|")
	for _, h := range header {
		b.WriteString(" " + cell(h) + " |")
	}
	b.WriteString("\n|")
	for range header {
		b.WriteString(" --- |")
	}
	b.WriteByte('\n')
	for _, row := range rows {
		b.WriteString("|")
		for _, c := range row {
			b.WriteString(" " + cell(c) + " |")
		}
		b.WriteByte('\n')
	}
}

// mdInline turns the inline markers into Markdown.
func mdInline(s string) string {
	if !strings.ContainsAny(s, mCode+mBold+mLink) {
		return s
	}
	var b strings.Builder
	inLink := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case mCode[0]:
			b.WriteByte('`')
		case mBold[0]:
			b.WriteString("**")
		case mLink[0]:
			if !inLink {
				b.WriteByte('[')
			} else {
				b.WriteByte(')')
			}
			inLink = !inLink
		case mSep[0]:
			b.WriteString("](")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// plain drops the inline markers, for metadata values.
func plain(s string) string {
	var b strings.Builder
	skip := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case mCode[0], mBold[0]:
		case mLink[0]:
			skip = false
		case mSep[0]:
			skip = true
		default:
			if !skip {
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// metaDate writes the incident's start in its date form. Markdown forms
// are the ones Hugo reads too: RFC 3339 with or without a zone, or a date.
func metaDate(inc *planned, rst bool) string {
	t := inc.local
	switch inc.dateForm {
	case dfDate:
		return t.Format("2006-01-02")
	case dfLocal:
		if rst {
			return t.Format("2006-01-02 15:04")
		}
		return t.Format("2006-01-02T15:04:05")
	case dfString:
		if rst {
			if inc.offset == 0 {
				return t.Format("2006-01-02 15:04") + " UTC"
			}
			return t.Format("2006-01-02 15:04:05 ") + zone(inc.offset, false)
		}
	}
	return t.Format("2006-01-02T15:04:05") + zone(inc.offset, true)
}

// zone writes an offset in minutes as Z, +01:00 (colon) or +0100.
func zone(off int, colon bool) string {
	if off == 0 && colon {
		return "Z"
	}
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	sep := ""
	if colon {
		sep = ":"
	}
	return sign + twoDigits(off/60) + sep + twoDigits(off%60)
}

// summaryLine is the one-sentence summary for the metadata.
func (d *doc) summaryLine(r *rng) string {
	w := d.w
	s := plain(w.fill(pick(r, w.cause.symptoms)))
	if r.chance(0.5) {
		s += " " + plain(w.fill(pick(r, w.cause.fixes)))
	}
	return s
}

func writeYAML(b *strings.Builder, d *doc, r *rng) {
	inc := d.inc
	b.WriteString("---\n")
	b.WriteString("title: " + yamlString(inc.title, r.chance(0.3)) + "\n")
	if r.chance(0.96) {
		v := metaDate(inc, false)
		if inc.dateForm == dfString {
			v = `"` + v + `"`
		}
		b.WriteString("date: " + v + "\n")
	}
	if r.chance(0.05) {
		b.WriteString("lastmod: " + inc.local.Add(time.Duration(24*r.between(2, 60))*time.Hour).Format("2006-01-02") + "\n")
	}
	if r.chance(0.88) {
		b.WriteString("severity: " + inc.severity + "\n")
	}
	if r.chance(0.8) {
		b.WriteString("status: " + yamlString(inc.status, false) + "\n")
	}
	sys := make([]string, len(inc.sys))
	for i, s := range inc.sys {
		sys[i] = systems[s].id
	}
	cs := make([]string, len(inc.causes))
	for i, c := range inc.causes {
		cs[i] = causes[c].id
	}
	if r.chance(0.92) {
		yamlList(b, "systems", sys, r)
	}
	if r.chance(0.8) {
		yamlList(b, "causes", cs, r)
	}
	if r.chance(0.85) {
		if len(inc.authors) == 1 && r.chance(0.4) {
			b.WriteString("author: " + yamlString(inc.authors[0], false) + "\n")
		} else {
			yamlList(b, "authors", inc.authors, r)
		}
	}
	if r.chance(0.5) {
		key := pick(r, []string{"summary", "summary", "description"})
		s := d.summaryLine(r)
		if r.chance(0.3) {
			b.WriteString(key + ": >-\n")
			for _, l := range wrap(s, 70) {
				b.WriteString("  " + l + "\n")
			}
		} else {
			b.WriteString(key + ": " + yamlString(s, true) + "\n")
		}
	}
	if r.chance(0.2) {
		yamlList(b, "tags", []string{"postmortem", systems[inc.sys[0]].kind}, r)
	}
	if r.chance(0.1) {
		b.WriteString("incident_id: " + yamlString("INC-"+inc.local.Format("2006")+"-"+strconv.Itoa(100+inc.index), false) + "\n")
	}
	if r.chance(0.08) {
		b.WriteString("duration_minutes: " + strconv.Itoa(inc.minutes) + "\n")
	}
	b.WriteString("---\n\n")
}

// yamlList writes a list as a flow sequence, a block sequence or a
// comma-separated string: all three are in use.
func yamlList(b *strings.Builder, key string, xs []string, r *rng) {
	switch r.weighted([]float64{60, 25, 15}) {
	case 0:
		q := make([]string, len(xs))
		for i, x := range xs {
			q[i] = yamlString(x, false)
		}
		b.WriteString(key + ": [" + strings.Join(q, ", ") + "]\n")
	case 1:
		b.WriteString(key + ":\n")
		for _, x := range xs {
			b.WriteString("  - " + yamlString(x, false) + "\n")
		}
	default:
		b.WriteString(key + ": " + yamlString(strings.Join(xs, ", "), true) + "\n")
	}
}

// yamlString writes s as a plain scalar when YAML (1.1 or 1.2) reads that
// back as the same string, else double-quoted.
func yamlString(s string, quote bool) string {
	if quote || !yamlPlainSafe(s) {
		return quoted(s)
	}
	return s
}

func yamlPlainSafe(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
		return false // numbers, dates, indicators: quote them
	}
	switch strings.ToLower(s) {
	case "yes", "no", "on", "off", "true", "false", "null", "y", "n", "~":
		return false
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ':', '#', ',', '[', ']', '{', '}', '"', '\'', '&', '*', '!', '|', '>', '%', '@', '`', '\\':
			return false
		}
	}
	return !strings.HasSuffix(s, " ")
}

func writeTOML(b *strings.Builder, d *doc, r *rng) {
	inc := d.inc
	b.WriteString("+++\n")
	b.WriteString("title = " + tomlString(inc.title) + "\n")
	if r.chance(0.96) {
		v := metaDate(inc, false)
		if inc.dateForm == dfString {
			v = tomlString(v)
		}
		b.WriteString("date = " + v + "\n")
	}
	if r.chance(0.88) {
		b.WriteString("severity = " + tomlString(inc.severity) + "\n")
	}
	if r.chance(0.8) {
		b.WriteString("status = " + tomlString(inc.status) + "\n")
	}
	list := func(key string, xs []string) {
		if r.chance(0.15) {
			b.WriteString(key + " = " + tomlString(strings.Join(xs, ", ")) + "\n")
			return
		}
		q := make([]string, len(xs))
		for i, x := range xs {
			q[i] = tomlString(x)
		}
		b.WriteString(key + " = [" + strings.Join(q, ", ") + "]\n")
	}
	sys := make([]string, len(inc.sys))
	for i, s := range inc.sys {
		sys[i] = systems[s].id
	}
	if r.chance(0.92) {
		list("systems", sys)
	}
	cs := make([]string, len(inc.causes))
	for i, c := range inc.causes {
		cs[i] = causes[c].id
	}
	if r.chance(0.8) {
		list("causes", cs)
	}
	if r.chance(0.85) {
		list("authors", inc.authors)
	}
	if r.chance(0.45) {
		b.WriteString(pick(r, []string{"summary", "description"}) + " = " + tomlString(d.summaryLine(r)) + "\n")
	}
	if r.chance(0.15) {
		b.WriteString("[params]\nteam = " + tomlString(pick(r, teams)) + "\n")
	}
	b.WriteString("+++\n\n")
}

// tomlString writes a TOML basic string.
func tomlString(s string) string { return quoted(s) }

// quoted writes s between double quotes with backslash escapes, a form
// that TOML basic strings and YAML double-quoted scalars share.
func quoted(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
