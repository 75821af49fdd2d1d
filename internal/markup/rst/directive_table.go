package rst

import (
	"strconv"
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// table gives a grid or simple table a title; csv-table reads its rows as
// comma-separated values written in the document (never from a file or
// URL); list-table reads them from a two-level bullet list. A title becomes
// a Caption before the Table; every cell is parsed as body elements.

func tableOptions() map[string]optKind {
	return with(options("class", "name", "align", "width", "widths"), optInt, "header-rows", "stub-columns")
}

// tableTitle adds the Caption of a table directive's title, if any.
func (p *parser) tableTitle(d *directive, out *[]*markup.Node) {
	if len(d.args) > 0 && strings.TrimSpace(d.args[0]) != "" {
		*out = append(*out, p.at(&markup.Node{Kind: markup.Caption, Children: p.inline(textIText(d.args[0], d.at))}, d.at))
	}
}

func tableSpec() directiveSpec {
	return directiveSpec{optional: 1, finalWS: true, options: options("class", "name", "align", "width", "widths"), content: true,
		run: func(p *parser, d *directive, out *[]*markup.Node) {
			if !p.requireContent(d, out) {
				return
			}
			body := p.nested(d.content, d.c)
			var tables []*markup.Node
			for _, n := range body {
				if n.Kind == markup.Table {
					tables = append(tables, n)
				}
			}
			if len(tables) != 1 {
				p.warnHint(d.at, "put exactly one grid or simple table in the directive",
					"error parsing content block for the %q directive: exactly one table expected", d.name)
				*out = append(*out, p.sourceBlock(d.at, d.last))
				return
			}
			p.tableTitle(d, out)
			*out = append(*out, body...)
		}}
}

func csvTableSpec() directiveSpec {
	return directiveSpec{optional: 1, finalWS: true, content: true,
		options: with(with(tableOptions(), optText, "header", "file", "url", "encoding", "delim", "quote", "escape"), optFlag, "keepspace"),
		run:     runCSVTable}
}

func runCSVTable(p *parser, d *directive, out *[]*markup.Node) {
	for _, o := range []string{"file", "url"} {
		if src, ok := d.opt(o); ok {
			p.warnHint(d.at, "write the rows in the document instead", "csv-table :%s: %q is not read: kb never inserts other files", o, src)
			return
		}
	}
	if !p.requireContent(d, out) {
		return
	}
	delim, quote, escape := ',', '"', rune(0)
	for _, o := range []struct {
		name string
		dst  *rune
	}{{"delim", &delim}, {"quote", &quote}, {"escape", &escape}} {
		name, dst := o.name, o.dst
		if v, ok := d.opt(name); ok {
			r, ok := csvChar(v)
			if !ok {
				p.warn(d.at, "error in %q directive: invalid %s %q", d.name, name, v)
				*out = append(*out, p.sourceBlock(d.at, d.last))
				return
			}
			*dst = r
		}
	}
	_, keep := d.opt("keepspace")
	rows, err := parseCSV(d.content, delim, quote, escape, !keep)
	if err != "" {
		p.warn(d.at, "error with CSV data in %q directive: %s", d.name, err)
		*out = append(*out, p.sourceBlock(d.at, d.last))
		return
	}
	var head [][]csvCell
	if h, ok := d.opt("header"); ok {
		head, err = parseCSV(splitOptionLines(h, d.at), delim, quote, escape, !keep)
		// The header is an option's value: place its cells at the
		// directive, not at offsets within the value.
		for _, r := range head {
			for k := range r {
				r[k].at.c = d.at.c
				for j := range r[k].lines {
					r[k].lines[j].c = d.at.c
				}
			}
		}
		if err != "" {
			p.warn(d.at, "error with CSV header in %q directive: %s", d.name, err)
			*out = append(*out, p.sourceBlock(d.at, d.last))
			return
		}
	}
	headerRows := 0
	if v, ok := d.opt("header-rows"); ok {
		headerRows, _ = strconv.Atoi(strings.TrimSpace(v))
	}
	if headerRows > len(rows) {
		p.warn(d.at, "%d header row(s) specified but only %d row(s) of data supplied (%q directive)", headerRows, len(rows), d.name)
		*out = append(*out, p.sourceBlock(d.at, d.last))
		return
	}
	head = append(head, rows[:headerRows]...)
	rows = rows[headerRows:]
	cols := 0
	for _, r := range append(append([][]csvCell(nil), head...), rows...) {
		cols = max(cols, len(r))
	}
	p.tableTitle(d, out)
	t := p.at(&markup.Node{Kind: markup.Table}, d.at)
	add := func(rs [][]csvCell, header bool) {
		for _, r := range rs {
			row := &markup.Node{Kind: markup.TableRow, Header: header}
			for k := 0; k < cols; k++ {
				cell := &markup.Node{Kind: markup.TableCell}
				if k < len(r) {
					cell.Line, cell.Col = p.pos(r[k].at.n, r[k].at.c)
					cell.Children = p.nested(r[k].lines, d.c)
				} else if len(row.Children) > 0 {
					cell.Line, cell.Col = row.Children[0].Line, row.Children[0].Col
				}
				row.Children = append(row.Children, cell)
			}
			row.Line, row.Col = t.Line, t.Col
			if len(row.Children) > 0 && row.Children[0].Line > 0 {
				row.Line, row.Col = row.Children[0].Line, row.Children[0].Col
			}
			t.Children = append(t.Children, row)
		}
	}
	add(head, true)
	add(rows, false)
	*out = append(*out, t)
}

// splitOptionLines makes lines of an option's value, placed at the
// directive's line.
func splitOptionLines(v string, at line) []line {
	var out []line
	for _, s := range strings.Split(v, "\n") {
		out = append(out, line{s: s, n: at.n, c: at.c})
	}
	return out
}

// csvChar reads a delimiter, quote or escape option: one character, or a
// name (tab, space) or a code (U+0009, 0x09).
func csvChar(v string) (rune, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "tab":
		return '\t', true
	case "space":
		return ' ', true
	}
	if v == " " {
		return ' ', true
	}
	v = strings.TrimSpace(v)
	if r := []rune(v); len(r) == 1 {
		return r[0], true
	}
	if s, ok := unicodeCode(v); ok {
		if r := []rune(s); len(r) == 1 {
			return r[0], true
		}
	}
	return 0, false
}

type csvCell struct {
	at    line
	lines []line
}

// parseCSV reads CSV as docutils' dialect does (Python's csv module with
// a double quote, doubled quotes, and spaces after a delimiter skipped).
// Quoted fields may span lines. It returns an error message on bad input.
func parseCSV(lines []line, delim, quote, escape rune, skipSpace bool) ([][]csvCell, string) {
	var rows [][]csvCell
	var row []csvCell
	var field []rune
	var fieldLines []line
	var fieldAt line
	inQuote, quoted, started := false, false, false
	finishField := func() {
		text := string(field)
		var fl []line
		for _, s := range strings.Split(text, "\n") {
			fl = append(fl, line{s: strings.TrimRight(s, " "), n: fieldAt.n, c: fieldAt.c})
		}
		if len(fieldLines) > 0 {
			for i := range fl {
				if i < len(fieldLines) {
					fl[i].n, fl[i].c = fieldLines[i].n, fieldLines[i].c
				}
			}
		}
		row = append(row, csvCell{at: fieldAt, lines: fl})
		field, fieldLines, quoted, started = nil, nil, false, false
	}
	for _, l := range lines {
		rs := []rune(l.s)
		if !inQuote && len(strings.TrimSpace(l.s)) == 0 {
			continue
		}
		if !inQuote {
			fieldAt = l
			fieldLines = []line{l}
		} else {
			field = append(field, '\n')
			fieldLines = append(fieldLines, l)
		}
		for i := 0; i < len(rs); i++ {
			r := rs[i]
			switch {
			case inQuote:
				switch {
				case escape != 0 && r == escape && i+1 < len(rs):
					i++
					field = append(field, rs[i])
				case r == quote && i+1 < len(rs) && rs[i+1] == quote:
					field = append(field, quote)
					i++
				case r == quote:
					inQuote = false
				default:
					field = append(field, r)
				}
			case r == delim:
				finishField()
				fieldAt = l
				fieldAt.c = l.c + len(string(rs[:i+1]))
				fieldLines = []line{fieldAt}
				if skipSpace {
					for i+1 < len(rs) && rs[i+1] == ' ' {
						i++
					}
				}
			case r == quote && !started:
				inQuote, quoted, started = true, true, true
			case escape != 0 && r == escape && i+1 < len(rs):
				i++
				field = append(field, rs[i])
				started = true
			default:
				if quoted {
					return nil, "'" + string(delim) + "' expected after '" + string(quote) + "' (line " + strconv.Itoa(l.n+1) + ")"
				}
				if !(skipSpace && r == ' ' && !started) {
					field = append(field, r)
					started = true
				}
			}
		}
		if !inQuote {
			finishField()
			rows = append(rows, row)
			row = nil
		}
	}
	if inQuote {
		return nil, "unexpected end of data"
	}
	return rows, ""
}

func listTableSpec() directiveSpec {
	return directiveSpec{optional: 1, finalWS: true, options: tableOptions(), content: true,
		run: func(p *parser, d *directive, out *[]*markup.Node) {
			if !p.requireContent(d, out) {
				return
			}
			body := p.nested(d.content, d.c)
			fail := func(msg string) {
				p.warnHint(d.at, "write the table as a bullet list of rows, each a bullet list of cells",
					"error parsing content block for the %q directive: %s", d.name, msg)
				*out = append(*out, p.sourceBlock(d.at, d.last))
			}
			if len(body) != 1 || body[0].Kind != markup.List || body[0].Ordered {
				fail("exactly one bullet list expected")
				return
			}
			cols := -1
			for _, it := range body[0].Children {
				if len(it.Children) != 1 || it.Children[0].Kind != markup.List || it.Children[0].Ordered {
					fail("two-level bullet list expected")
					return
				}
				n := len(it.Children[0].Children)
				if cols >= 0 && n != cols {
					fail("uneven table rows")
					return
				}
				cols = n
			}
			headerRows := 0
			if v, ok := d.opt("header-rows"); ok {
				headerRows, _ = strconv.Atoi(strings.TrimSpace(v))
			}
			if headerRows > len(body[0].Children) {
				fail("more header rows than rows")
				return
			}
			p.tableTitle(d, out)
			t := p.at(&markup.Node{Kind: markup.Table}, d.at)
			for i, it := range body[0].Children {
				row := &markup.Node{Kind: markup.TableRow, Header: i < headerRows, Line: it.Line, Col: it.Col}
				for _, c := range it.Children[0].Children {
					row.Children = append(row.Children, &markup.Node{Kind: markup.TableCell, Line: c.Line, Col: c.Col, Children: c.Children})
				}
				t.Children = append(t.Children, row)
			}
			*out = append(*out, t)
		}}
}
