package rst

import (
	"regexp"
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// An indented block that no other construct claims is a block quote. A
// last paragraph starting with "--", "---" or an em dash, after a blank
// line, is its attribution; what follows an attribution starts another
// block quote.

var attributionRE = regexp.MustCompile(`^(---?|\x{2014}) *[^ ]`)

// blockQuote reads the indented block at b[i].
func (p *parser) blockQuote(b []line, i int, c ctx, out *[]*markup.Node) int {
	block, _, end, bf := getIndented(b, i, false, true, -1, -1)
	block = trimLeadingBlank(block)
	p.blockQuotes(block, c, out)
	if !bf {
		p.unindentWarning(b, end, "Block quote")
	}
	return end
}

// blockQuotes adds the block quotes (with their attributions) of lines.
func (p *parser) blockQuotes(lines []line, c ctx, out *[]*markup.Node) {
	for len(lines) > 0 {
		body, attr, rest := splitAttribution(lines)
		q := p.at(&markup.Node{Kind: markup.BlockQuote}, lines[0])
		if c.depth+1 >= p.maxDepth {
			*out = append(*out, p.flat(body)...)
		} else {
			q.Children = p.nested(body, c)
			*out = append(*out, q)
		}
		if attr != nil {
			span := p.at(&markup.Node{Kind: markup.Span, Class: "attribution", Children: p.inline(newIText(attr))}, attr[0])
			para := p.at(&markup.Node{Kind: markup.Paragraph, Children: []*markup.Node{span}}, attr[0])
			if c.depth+1 >= p.maxDepth {
				*out = append(*out, para)
			} else {
				q.Children = append(q.Children, para)
			}
		}
		lines = trimLeadingBlank(rest)
	}
}

// splitAttribution finds an attribution in lines: a line after a blank
// line, after some content, matching the attribution pattern, whose
// following lines (up to a blank line) share one indentation.
func splitAttribution(lines []line) (body, attr, rest []line) {
	blank := -1
	nonblank := false
	for i, l := range lines {
		if l.s == "" {
			blank = i
			continue
		}
		if nonblank && blank == i-1 {
			if loc := attributionRE.FindStringIndex(l.s); loc != nil {
				if end, indent, ok := checkAttribution(lines, i); ok {
					a := make([]line, end-i)
					copy(a, lines[i:end])
					k := loc[1] - 1
					a[0] = line{s: a[0].s[k:], n: a[0].n, c: a[0].c + k}
					for j := 1; j < len(a); j++ {
						kk := min(indent, len(a[j].s))
						a[j] = line{s: a[j].s[kk:], n: a[j].n, c: a[j].c + kk}
					}
					return lines[:i], a, lines[end:]
				}
			}
		}
		nonblank = true
	}
	return lines, nil, nil
}

func checkAttribution(lines []line, start int) (int, int, bool) {
	indent := -1
	i := start + 1
	for ; i < len(lines); i++ {
		s := lines[i].s
		if s == "" {
			break
		}
		k := len(s) - len(strings.TrimLeft(s, " "))
		if indent < 0 {
			indent = k
		} else if k != indent {
			return 0, 0, false
		}
	}
	if indent < 0 {
		indent = 0
	}
	return i, indent, true
}
