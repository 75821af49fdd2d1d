package rst

import (
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// A line of plain text starts a paragraph, a definition list item (when the
// next line is indented) or a section title (when the next line is an
// underline): docutils' Text state, which looks at the second line to
// decide.

// text reads the construct whose first line b[i] is ordinary text.
func (p *parser) text(b []line, i int, c ctx, out *[]*markup.Node) int {
	if i+1 >= len(b) || b[i+1].s == "" {
		return p.paragraph(b, i, i+1, false, c, out)
	}
	next := b[i+1].s
	switch {
	case next[0] == ' ':
		return p.definitionList(b, i, c, out)
	case isLineMarker(next):
		if j, ok := p.underlinedTitle(b, i, c, out); ok {
			return j
		}
	}
	end, indented := textBlock(b, i+1, true)
	return p.paragraph(b, i, end, indented, c, out)
}

// paragraph adds the paragraph made of b[start:end]. A paragraph ending in
// "::" introduces a literal block: "text::" keeps one colon, "text ::" none,
// and a lone "::" leaves no paragraph at all. indented says the paragraph
// was cut short by an indented line.
func (p *parser) paragraph(b []line, start, end int, indented bool, c ctx, out *[]*markup.Node) int {
	lines := b[start:end]
	last := lines[len(lines)-1].s
	literal := strings.HasSuffix(last, "::") && evenBackslashes(last[:len(last)-2])
	text := lines
	if literal {
		cut := make([]line, len(lines))
		copy(cut, lines)
		l := cut[len(cut)-1]
		switch {
		case len(cut) == 1 && l.s == "::":
			cut = nil
		case len(l.s) == 2:
			// "::" alone on the last line: the colons go with the
			// line break before them.
			cut = cut[:len(cut)-1]
			prev := cut[len(cut)-1]
			prev.s = strings.TrimRight(prev.s, " ")
			cut[len(cut)-1] = prev
		case l.s[len(l.s)-3] == ' ':
			l.s = strings.TrimRight(l.s[:len(l.s)-3], " ")
			cut[len(cut)-1] = l
		default:
			l.s = l.s[:len(l.s)-1]
			cut[len(cut)-1] = l
		}
		text = cut
	}
	if len(text) > 0 {
		*out = append(*out, p.paragraphNode(lines, text))
	}
	if indented {
		p.warnHint(b[end], "add a blank line before the indented text, or indent the paragraph's lines alike",
			"unexpected indentation")
	}
	if literal {
		return p.literalBlock(b, end, out)
	}
	return end
}

// evenBackslashes reports whether s ends in an even number of backslashes,
// so that a "::" after it is not escaped.
func evenBackslashes(s string) bool {
	n := 0
	for n < len(s) && s[len(s)-1-n] == '\\' {
		n++
	}
	return n%2 == 0
}

// paragraphNode builds a paragraph at the position of lines[0] whose
// inline content is text (lines, or lines shortened by a trailing "::").
func (p *parser) paragraphNode(lines, text []line) *markup.Node {
	n := p.node(markup.Paragraph, lines[0])
	n.Children = p.inline(newIText(text))
	return n
}

// itext is inline source: lines joined by newlines, with the offset in s
// where each line starts, so inline nodes can be given positions.
type itext struct {
	s     string
	lines []line
	offs  []int
}

func newIText(lines []line) itext {
	if len(lines) == 1 {
		// One line is most paragraphs, titles and terms: its text
		// needs no copy, and its offset is 0.
		return itext{s: lines[0].s, lines: lines}
	}
	t := itext{lines: lines, offs: make([]int, len(lines))}
	n := 0
	for _, l := range lines {
		n += len(l.s) + 1
	}
	var b strings.Builder
	b.Grow(n)
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		t.offs[i] = b.Len()
		b.WriteString(l.s)
	}
	t.s = b.String()
	return t
}

// textIText is inline source that is not made of source lines (a
// directive option or argument), placed at l.
func textIText(s string, l line) itext {
	return itext{s: s, lines: []line{l}}
}

// off returns the offset in s where line k starts.
func (t itext) off(k int) int {
	if t.offs == nil {
		return 0
	}
	return t.offs[k]
}

// lineAt returns the index of the line holding offset off.
func (t itext) lineAt(off int) int {
	if t.offs == nil {
		return 0
	}
	lo, hi := 0, len(t.offs)
	for lo+1 < hi {
		m := (lo + hi) / 2
		if t.offs[m] <= off {
			lo = m
		} else {
			hi = m
		}
	}
	return lo
}
