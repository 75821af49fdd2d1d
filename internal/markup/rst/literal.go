package rst

import (
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Literal blocks follow a paragraph ending in "::": either indented (the
// indentation they share is removed) or quoted (every line starts with the
// same punctuation character, which is kept). Line blocks are lines
// starting with "| " whose line breaks and indentation matter. Doctest
// blocks start with ">>> " and run to the next blank line.

// literalBlock reads the literal block expected at b[i] after "::".
func (p *parser) literalBlock(b []line, i int, out *[]*markup.Node) int {
	block, _, end, bf := getIndented(b, i, false, true, -1, -1)
	lines := trimBlank(block)
	if len(lines) == 0 {
		return p.quotedLiteral(b, end, out)
	}
	*out = append(*out, p.at(&markup.Node{Kind: markup.CodeBlock, Lang: p.highlight, Literal: joinLines(lines)}, lines[0]))
	if !bf {
		p.unindentWarning(b, end, "Literal block")
	}
	return end
}

// quotedLiteral reads an unindented literal block whose lines all start
// with the same punctuation character, starting at b[i].
func (p *parser) quotedLiteral(b []line, i int, out *[]*markup.Node) int {
	if i >= len(b) || !isPunct7(b[i].s[0]) {
		l := b[min(i, len(b)-1)]
		if i >= len(b) {
			p.warnAt(markup.Pos{File: p.name, Line: l.n + 1}, "indent the literal block under the paragraph ending in ::",
				"literal block expected; none found")
		} else {
			p.warnHint(l, "indent the literal block under the paragraph ending in ::", "literal block expected; none found")
		}
		return i
	}
	q := b[i].s[0]
	j := i
	for j < len(b) && b[j].s != "" {
		s := b[j].s
		if s[0] == ' ' {
			p.warnHint(b[j], "start every line of a quoted literal block with the same character", "unexpected indentation")
			break
		}
		if s[0] != q {
			p.warnHint(b[j], "start every line of a quoted literal block with the same character", "inconsistent literal block quoting")
			break
		}
		j++
	}
	*out = append(*out, p.at(&markup.Node{Kind: markup.CodeBlock, Literal: joinLines(b[i:j])}, b[i]))
	return j
}

// doctest reads a doctest block: ">>>" and the lines up to a blank line.
func (p *parser) doctest(b []line, i int, out *[]*markup.Node) int {
	end, _ := textBlock(b, i, false)
	*out = append(*out, p.at(&markup.Node{Kind: markup.CodeBlock, Lang: "pycon", Literal: joinLines(b[i:end])}, b[i]))
	return end
}

// lbLine is a line of a line block with its indentation (-1 for an empty
// line, which takes the indentation of the line before it).
type lbLine struct {
	node   *markup.Node
	indent int
}

func (p *parser) lineBlock(b []line, i int, c ctx, out *[]*markup.Node) int {
	var items []lbLine
	j := i
	bf := false
	for j < len(b) && classify(b[j].s) == kLineBlock {
		m := markerEnd(b[j].s, "|")
		block, _, end, f := getIndented(b, j, true, true, -1, m)
		block = trimLeadingBlank(block)
		n := p.at(&markup.Node{Kind: markup.Line}, b[j])
		indent := -1
		if strings.TrimRight(b[j].s, " ") != "|" {
			indent = m - 2
			n.Children = p.inline(newIText(block))
		}
		items = append(items, lbLine{node: n, indent: indent})
		j, bf = end, f
		if bf {
			break
		}
	}
	*out = append(*out, p.nestLines(items, b[i]))
	if !bf && j < len(b) {
		p.warnHint(b[j], "add a blank line after the line block", "line block ends without a blank line")
	}
	return j
}

// nestLines makes a line block of lines, nesting more indented runs of
// lines as line blocks inside it (up to the nesting limit), as docutils'
// nest_line_block_segment does.
func (p *parser) nestLines(items []lbLine, at line) *markup.Node {
	for k := range items {
		if items[k].indent < 0 {
			if k == 0 {
				items[k].indent = 0
			} else {
				items[k].indent = items[k-1].indent
			}
		}
	}
	root := p.at(&markup.Node{Kind: markup.LineBlock}, at)
	type frame struct {
		block  *markup.Node
		indent int
	}
	least := 1 << 30
	for _, it := range items {
		least = min(least, it.indent)
	}
	stack := []frame{{root, least}}
	for _, it := range items {
		for len(stack) > 1 && it.indent < stack[len(stack)-1].indent {
			stack = stack[:len(stack)-1]
		}
		top := stack[len(stack)-1]
		if it.indent > top.indent && len(stack) < p.maxDepth {
			nb := &markup.Node{Kind: markup.LineBlock, Line: it.node.Line, Col: it.node.Col}
			top.block.Children = append(top.block.Children, nb)
			stack = append(stack, frame{nb, it.indent})
			top = stack[len(stack)-1]
		}
		top.block.Children = append(top.block.Children, it.node)
	}
	return root
}
