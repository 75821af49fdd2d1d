package markup

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// PlainText returns the visible text of nodes: what a reader of the rendered
// page sees, one block per line, without markup. Search indexes it and lint
// looks at it to decide whether a section says anything.
func PlainText(nodes []*Node) string {
	var b strings.Builder
	writeText(&b, nodes)
	return strings.TrimSpace(b.String())
}

// InlineText returns the text of one node's inline content on one line, as
// used for headings and titles.
func InlineText(n *Node) string {
	if len(n.Children) == 1 {
		// Most headings are one run of text that is already on one line
		// with single spaces: that text is the answer, with no copy.
		if c := n.Children[0]; (c.Kind == Text || c.Kind == Code) && singleSpaced(c.Literal) {
			return c.Literal
		}
	}
	var b strings.Builder
	writeText(&b, n.Children)
	return strings.Join(strings.Fields(b.String()), " ")
}

// singleSpaced reports whether s is ASCII whose words are separated by
// single spaces, with none around them: what joining its fields gives.
func singleSpaced(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' {
			return false
		}
		if c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			return false
		}
	}
	return true
}

func writeText(b *strings.Builder, nodes []*Node) {
	Walk(nodes, func(n *Node, entering bool) WalkStatus {
		if !entering {
			if !n.Kind.IsInline() && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte('\n')
			}
			return WalkContinue
		}
		switch n.Kind {
		case Text, Code:
			b.WriteString(n.Literal)
		case CodeBlock:
			b.WriteString(n.Literal)
		case Image:
			b.WriteString(n.Literal)
		case FootnoteRef:
			// The label of a reference is noise in running text.
		case LineBreak:
			b.WriteByte('\n')
		case RawHTML, HTMLBlock:
			b.WriteString(htmlText(n.Literal))
		case Comment, Contents, Target:
			return WalkSkipChildren
		case TableCell:
			b.WriteByte(' ')
		}
		return WalkContinue
	})
}

// htmlText returns the text of an HTML fragment, without its tags. Script and
// style contents are not text.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			case "br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6":
				b.WriteByte('\n')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				if skip > 0 {
					skip--
				}
			}
		}
	}
}
