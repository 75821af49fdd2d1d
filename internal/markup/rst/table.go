package rst

import (
	"errors"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Grid tables draw every cell with +, - and | (a row of = separates the
// header); cells may span rows and columns and hold any body elements.
// Simple tables are columns of text between rules of =, with - rules
// under cells that span columns. Both are ported from docutils'
// tableparser, working in character columns, East Asian wide characters
// counting two. A table that does not parse is shown as written, with a
// warning.

var (
	gridTopRE   = regexp.MustCompile(`^\+-[-+]+-\+ *$`)
	simpleTopRE = regexp.MustCompile(`^=+( +=+)+ *$`)
)

// padRune stands after a wide character so that it takes two columns, as
// docutils' pad_double_width does.
const padRune = '\x00'

// trow is one line of a table in columns: its characters (wide ones
// followed by padRune) and the byte offset in the source text of each.
type trow struct {
	l    line
	r    []rune
	offs []int
}

func newTRow(l line) trow {
	n := utf8.RuneCountInString(l.s)
	t := trow{l: l, r: make([]rune, 0, n), offs: make([]int, 0, n)}
	for i, r := range l.s {
		t.r = append(t.r, r)
		t.offs = append(t.offs, i)
		if r >= 0x1100 && unicode.Is(wideTable, r) {
			t.r = append(t.r, padRune)
			t.offs = append(t.offs, i)
		}
	}
	return t
}

func (t trow) at(i int) rune {
	if i < 0 || i >= len(t.r) {
		return ' '
	}
	return t.r[i]
}

// slice returns columns [a, b) of the row as a source line.
func (t trow) slice(a, b int) line {
	b = min(b, len(t.r))
	if a >= b {
		return line{n: t.l.n, c: t.l.c + len(t.l.s)}
	}
	if ascii(t.r[a:b]) {
		// One byte a column: the text is a piece of the line.
		s := t.l.s[t.offs[a] : t.offs[a]+b-a]
		return line{s: strings.TrimRightFunc(s, unicode.IsSpace), n: t.l.n, c: t.l.c + t.offs[a]}
	}
	var sb strings.Builder
	for _, r := range t.r[a:b] {
		if r != padRune {
			sb.WriteRune(r)
		}
	}
	return line{s: strings.TrimRightFunc(sb.String(), unicode.IsSpace), n: t.l.n, c: t.l.c + t.offs[a]}
}

// ascii reports whether every rune of r is ASCII other than padRune.
func ascii(r []rune) bool {
	for _, c := range r {
		if c >= utf8.RuneSelf || c == padRune {
			return false
		}
	}
	return true
}

// hasText reports whether r holds a rune that is neither white space nor
// one of skip: whether strings.TrimSpace of its text, without skip, is
// not empty. Tables ask this of every row, so it makes no string.
func hasText(r []rune, skip rune) bool {
	for _, c := range r {
		if c != skip && !unicode.IsSpace(c) {
			return true
		}
	}
	return false
}

// isRule reports whether r is c followed by any number of c and spaces:
// a simple table's border or span line (^=+[ =]*$, ^-[ -]*$).
func isRule(r []rune, c rune) bool {
	if len(r) == 0 || r[0] != c {
		return false
	}
	for _, x := range r[1:] {
		if x != c && x != ' ' {
			return false
		}
	}
	return true
}

// isRuleString is isRule for a line's text.
func isRuleString(s string, c byte) bool {
	if len(s) == 0 || s[0] != c {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] != c && s[i] != ' ' {
			return false
		}
	}
	return true
}

// isGridHead reports whether r is a grid table's head separator:
// ^\+=[=+]+=\+ *$.
func isGridHead(r []rune) bool {
	for len(r) > 0 && r[len(r)-1] == ' ' {
		r = r[:len(r)-1]
	}
	n := len(r)
	if n < 5 || r[0] != '+' || r[1] != '=' || r[n-2] != '=' || r[n-1] != '+' {
		return false
	}
	for _, x := range r[2 : n-2] {
		if x != '=' && x != '+' {
			return false
		}
	}
	return true
}

// tcell is one cell of a parsed table.
type tcell struct {
	morerows, morecols int
	lines              []line
	at                 line // where the cell starts, for its position
}

type tableData struct {
	head, body [][]*tcell // nil entries are covered by a span
}

var errBudget = errors.New("table too complex")

// block2D cuts the text of a cell out of rows, columns [left, right), and
// removes the indentation its lines share.
func block2D(rows []trow, left, right int) []line {
	out := make([]line, len(rows))
	indent := right
	for i, r := range rows {
		l := r.slice(left, right)
		out[i] = l
		if l.s != "" {
			indent = min(indent, leadingSpace(l.s))
		}
	}
	if indent > 0 && indent < right {
		for i, l := range out {
			k := min(indent, len(l.s))
			out[i] = line{s: l.s[k:], n: l.n, c: l.c + k}
		}
	}
	return out
}

// gridTable reads a grid table whose top border is b[i].
func (p *parser) gridTable(b []line, i int, c ctx, out *[]*markup.Node) int {
	end, indented := textBlock(b, i, true)
	blankFinish := !indented
	if indented {
		p.warnHint(b[end], "add a blank line after the table", "unexpected indentation")
	}
	block := b[i:end]
	for k, l := range block {
		if l.s[0] != '+' && l.s[0] != '|' {
			blankFinish = false
			block = block[:k]
			break
		}
	}
	if !gridTopRE.MatchString(block[len(block)-1].s) {
		blankFinish = false
		found := false
		for k := len(block) - 2; k > 1; k-- {
			if gridTopRE.MatchString(block[k].s) {
				block = block[:k+1]
				found = true
				break
			}
		}
		if !found {
			p.malformedTable(block, "", out)
			return i + len(block)
		}
	}
	rows := make([]trow, len(block))
	for k, l := range block {
		rows[k] = newTRow(l)
	}
	width := len(rows[0].r)
	for _, r := range rows {
		if len(r.r) != width || (r.r[width-1] != '+' && r.r[width-1] != '|') {
			p.malformedTable(block, "", out)
			return i + len(block)
		}
	}
	data, err := parseGrid(rows)
	if err != nil {
		p.malformedTable(block, err.Error(), out)
		return i + len(block)
	}
	*out = append(*out, p.buildTable(data, block[0], c))
	if !blankFinish && i+len(block) < len(b) {
		p.warnHint(b[i+len(block)], "add a blank line after the table", "blank line required after table")
	}
	return i + len(block)
}

func (p *parser) malformedTable(block []line, detail string, out *[]*markup.Node) {
	msg := "malformed table"
	if detail != "" {
		msg += ": " + detail
	}
	p.warnHint(block[0], "check that every row has the same length and every cell border lines up", "%s", msg)
	*out = append(*out, p.sourceBlock(block[0], block[len(block)-1].n))
}

// parseGrid traces the cells of a grid table, as docutils'
// GridTableParser does: from a queue of upper-left corners, follow each
// cell's top, right, bottom and left edges. Work is bounded so that a
// hostile table cannot take quadratic time.
func parseGrid(rows []trow) (tableData, error) {
	bottom := len(rows) - 1
	right := len(rows[0].r) - 1
	headSep := -1
	for i, r := range rows {
		if isGridHead(r.r) {
			if headSep >= 0 {
				return tableData{}, errors.New("multiple head/body row separators; only one allowed")
			}
			headSep = i
			rr := make([]rune, len(r.r))
			for k, ch := range r.r {
				if ch == '=' {
					ch = '-'
				}
				rr[k] = ch
			}
			rows[i].r = rr
		}
	}
	if headSep == 0 || headSep == bottom {
		return tableData{}, errors.New("the head/body row separator may not be the first or last line of the table")
	}
	budget := 16*len(rows)*(right+1) + 10000
	done := make([]int, right+1)
	for i := range done {
		done[i] = -1
	}
	type gcell struct{ top, left, bottom, right int }
	var cells []gcell
	rowseps := map[int]bool{0: true}
	colseps := map[int]bool{0: true}
	at := func(r, c int) rune { return rows[r].at(c) }
	// scanCell follows the cell whose upper-left corner is (top, left).
	scanCell := func(top, left int) (int, int, []int, []int, bool) {
		var cs, rs []int
		for i := left + 1; i <= right; i++ {
			budget--
			if at(top, i) == '+' {
				cs = append(cs, i)
				// scan down the right edge
				var rsDown []int
				for j := top + 1; j <= bottom; j++ {
					budget--
					if budget < 0 {
						return 0, 0, nil, nil, false
					}
					if at(j, i) == '+' {
						rsDown = append(rsDown, j)
						// scan left along the bottom
						var csLeft []int
						ok := true
						for k := i - 1; k > left; k-- {
							budget--
							if at(j, k) == '+' {
								csLeft = append(csLeft, k)
							} else if at(j, k) != '-' {
								ok = false
								break
							}
						}
						if ok && at(j, left) == '+' {
							// scan up the left edge
							var rsUp []int
							for k := j - 1; k > top; k-- {
								budget--
								if at(k, left) == '+' {
									rsUp = append(rsUp, k)
								} else if at(k, left) != '|' {
									ok = false
									break
								}
							}
							if ok {
								rs = append(append(rs, rsDown...), rsUp...)
								cs = append(cs, csLeft...)
								return j, i, rs, cs, true
							}
						}
					} else if at(j, i) != '|' {
						break
					}
				}
			} else if at(top, i) != '-' {
				return 0, 0, nil, nil, false
			}
		}
		return 0, 0, nil, nil, false
	}
	type corner struct{ top, left int }
	queue := []corner{{0, 0}}
	seen := map[corner]bool{}
	for len(queue) > 0 {
		if budget < 0 {
			return tableData{}, errBudget
		}
		cn := queue[0]
		queue = queue[1:]
		if cn.top == bottom || cn.left == right || cn.top <= done[cn.left] {
			continue
		}
		bt, rt, rs, cs, ok := scanCell(cn.top, cn.left)
		if !ok {
			continue
		}
		for _, r := range rs {
			rowseps[r] = true
		}
		for _, c := range cs {
			colseps[c] = true
		}
		rowseps[bt], colseps[rt] = true, true
		for col := cn.left; col < rt; col++ {
			if done[col] != cn.top-1 {
				return tableData{}, errors.New("parse incomplete")
			}
			done[col] = bt - 1
		}
		cells = append(cells, gcell{cn.top, cn.left, bt, rt})
		for _, nc := range []corner{{cn.top, rt}, {bt, cn.left}} {
			if !seen[nc] {
				seen[nc] = true
				k := sort.Search(len(queue), func(i int) bool {
					q := queue[i]
					return q.top > nc.top || q.top == nc.top && q.left >= nc.left
				})
				queue = append(queue, corner{})
				copy(queue[k+1:], queue[k:])
				queue[k] = nc
			}
		}
	}
	for col := 0; col < right; col++ {
		if done[col] != bottom-1 {
			return tableData{}, errors.New("parse incomplete")
		}
	}
	rsl := sortedKeys(rowseps)
	csl := sortedKeys(colseps)
	rowIndex := map[int]int{}
	for i, r := range rsl {
		rowIndex[r] = i
	}
	colIndex := map[int]int{}
	for i, c := range csl {
		colIndex[c] = i
	}
	grid := make([][]*tcell, len(rsl)-1)
	for i := range grid {
		grid[i] = make([]*tcell, len(csl)-1)
	}
	remaining := (len(rsl) - 1) * (len(csl) - 1)
	for _, gc := range cells {
		r, c := rowIndex[gc.top], colIndex[gc.left]
		if grid[r][c] != nil {
			return tableData{}, errors.New("cell used twice")
		}
		mr := rowIndex[gc.bottom] - r - 1
		mc := colIndex[gc.right] - c - 1
		remaining -= (mr + 1) * (mc + 1)
		grid[r][c] = &tcell{morerows: mr, morecols: mc, lines: block2D(rows[gc.top+1:gc.bottom], gc.left+1, gc.right),
			at: rows[gc.top].slice(gc.left+1, gc.right)}
	}
	if remaining != 0 {
		return tableData{}, errors.New("unused cells remaining")
	}
	if headSep > 0 {
		n := rowIndex[headSep]
		return tableData{head: grid[:n], body: grid[n:]}, nil
	}
	return tableData{body: grid}, nil
}

func sortedKeys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// simpleTable reads a simple table whose top border is b[i].
func (p *parser) simpleTable(b []line, i int, c ctx, out *[]*markup.Node) int {
	topLen := len(strings.TrimSpace(b[i].s))
	found, foundAt, end := 0, -1, -1
	k := i + 1
	for ; k < len(b); k++ {
		s := b[k].s
		if !isRuleString(s, '=') {
			continue
		}
		if len(strings.TrimSpace(s)) != topLen {
			p.malformedTable(b[i:k+1], "bottom/header table border does not match top border", out)
			return k + 1
		}
		found++
		foundAt = k
		if found == 2 || k == len(b)-1 || b[k+1].s == "" {
			end = k
			break
		}
	}
	if end < 0 {
		if found > 0 {
			p.malformedTable(b[i:foundAt+1], "no bottom table border found or no blank line after table bottom", out)
			return foundAt + 1
		}
		p.malformedTable(b[i:], "no bottom table border found", out)
		return len(b)
	}
	block := b[i : end+1]
	data, err := parseSimple(block)
	if err != nil {
		p.malformedTable(block, err.Error(), out)
		return end + 1
	}
	*out = append(*out, p.buildTable(data, block[0], c))
	if end+1 < len(b) && b[end+1].s != "" {
		p.warnHint(b[end+1], "add a blank line after the table", "blank line required after table")
	}
	return end + 1
}

type span struct{ start, end int }

// parseSimple is docutils' SimpleTableParser.
func parseSimple(block []line) (tableData, error) {
	rows := make([]trow, len(block))
	for k, l := range block {
		rows[k] = newTRow(l)
	}
	toDash := func(r []rune) []rune {
		out := make([]rune, len(r))
		for i, c := range r {
			if c == '=' {
				c = '-'
			}
			out[i] = c
		}
		return out
	}
	headSep := -1
	for i := 1; i < len(rows)-1; i++ {
		if isRule(rows[i].r, '=') {
			if headSep >= 0 {
				return tableData{}, errors.New("multiple head/body row separators; only one allowed")
			}
			headSep = i
			rows[i].r = toDash(rows[i].r)
		}
	}
	rows[0].r = toDash(rows[0].r)
	rows[len(rows)-1].r = toDash(rows[len(rows)-1].r)
	var columns []span
	borderEnd := -1
	parseColumns := func(r []rune) ([]span, error) {
		var cols []span
		end := 0
		for {
			begin := indexRune(r, '-', end)
			if begin < 0 {
				break
			}
			end = indexRune(r, ' ', begin)
			if end < 0 {
				end = len(r)
			}
			cols = append(cols, span{begin, end})
		}
		if columns != nil {
			if len(cols) == 0 || cols[len(cols)-1].end != borderEnd {
				return nil, errors.New("column span incomplete")
			}
			cols[len(cols)-1].end = columns[len(columns)-1].end
		}
		return cols, nil
	}
	var err error
	columns, err = parseColumns(rows[0].r)
	if err != nil || len(columns) == 0 {
		return tableData{}, errors.New("no columns")
	}
	borderEnd = columns[len(columns)-1].end
	var table [][]*tcell
	var rowStarts []int
	parseRow := func(lines []trow, start int, spanline []rune) error {
		if len(lines) == 0 && spanline == nil {
			return nil
		}
		cols := append([]span(nil), columns...)
		if spanline != nil {
			var err error
			if cols, err = parseColumns(spanline); err != nil {
				return err
			}
		}
		// check_columns: text in the margins is an error; text past the
		// last column widens it.
		for ci := range cols {
			next := 1 << 30
			if ci+1 < len(cols) {
				next = cols[ci+1].start
			}
			for li, l := range lines {
				if ci == len(cols)-1 && hasText(sliceRunes(l.r, cols[ci].end, len(l.r)), ' ') {
					text := strings.TrimRightFunc(string(sliceRunes(l.r, cols[ci].start, len(l.r))), unicode.IsSpace)
					newEnd := cols[ci].start + utf8.RuneCountInString(text)
					cols[ci].end = max(columns[len(columns)-1].end, newEnd)
					if newEnd > columns[len(columns)-1].end {
						columns[len(columns)-1].end = newEnd
					}
				} else if hasText(sliceRunes(l.r, cols[ci].end, next), padRune) {
					_ = li
					return errors.New("text in column margin")
				}
			}
		}
		row := make([]*tcell, 0, len(cols))
		ci := 0
		for _, col := range cols {
			more := 0
			if ci >= len(columns) || col.start != columns[ci].start {
				return errors.New("column span alignment problem")
			}
			for ci < len(columns) && col.end != columns[ci].end {
				ci++
				more++
			}
			if ci >= len(columns) {
				return errors.New("column span alignment problem")
			}
			ci++
			at := block[0]
			if len(lines) > 0 {
				at = lines[0].slice(col.start, col.end)
			}
			row = append(row, &tcell{morecols: more, lines: block2D(lines, col.start, col.end), at: at})
		}
		table = append(table, row)
		rowStarts = append(rowStarts, start)
		return nil
	}
	firstStart, firstEnd := columns[0].start, columns[0].end
	start := 1
	textFound := false
	for off := 1; off < len(rows); off++ {
		r := rows[off].r
		if isRule(r, '-') {
			if err := parseRow(rows[start:off], start, r); err != nil {
				return tableData{}, err
			}
			start = off + 1
			textFound = false
		} else if hasText(sliceRunes(r, firstStart, firstEnd), ' ') {
			if textFound && off != start {
				if err := parseRow(rows[start:off], start, nil); err != nil {
					return tableData{}, err
				}
			}
			start = off
			textFound = true
		} else if !textFound {
			start = off + 1
		}
	}
	firstBody := 0
	if headSep > 0 {
		for i, s := range rowStarts {
			if s > headSep {
				firstBody = i
				break
			}
		}
	}
	return tableData{head: table[:firstBody], body: table[firstBody:]}, nil
}

func indexRune(r []rune, c rune, from int) int {
	for i := from; i < len(r); i++ {
		if r[i] == c {
			return i
		}
	}
	return -1
}

func sliceRunes(r []rune, a, b int) []rune {
	b = min(b, len(r))
	if a >= b {
		return nil
	}
	return r[a:b]
}

// buildTable turns parsed table data into a Table node whose cells hold
// the body elements their text makes.
func (p *parser) buildTable(data tableData, at line, c ctx) *markup.Node {
	t := p.at(&markup.Node{Kind: markup.Table}, at)
	add := func(rows [][]*tcell, header bool) {
		for _, r := range rows {
			row := p.nodes.New(markup.TableRow)
			row.Header = header
			row.Children = make([]*markup.Node, 0, len(r))
			for _, cl := range r {
				if cl == nil {
					continue
				}
				cell := p.nodes.New(markup.TableCell)
				cell.ColSpan, cell.RowSpan = cl.morecols+1, cl.morerows+1
				at := cl.at
				if len(cl.lines) > 0 {
					at = cl.lines[0]
				}
				cell.Line, cell.Col = p.pos(at.n, at.c)
				if anyText(cl.lines) {
					cell.Children = p.nested(cl.lines, c)
				}
				row.Children = append(row.Children, cell)
			}
			if len(row.Children) > 0 {
				row.Line, row.Col = row.Children[0].Line, row.Children[0].Col
			} else if len(r) > 0 {
				row.Line, row.Col = t.Line, t.Col
			}
			t.Children = append(t.Children, row)
		}
	}
	t.Children = make([]*markup.Node, 0, len(data.head)+len(data.body))
	add(data.head, true)
	add(data.body, false)
	for _, row := range t.Children {
		if row.Line == 0 {
			row.Line, row.Col = t.Line, t.Col
		}
	}
	return t
}

func anyText(lines []line) bool {
	for _, l := range lines {
		if l.s != "" {
			return true
		}
	}
	return false
}
