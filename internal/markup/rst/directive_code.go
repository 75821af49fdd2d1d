package rst

import (
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// code, code-block and sourcecode show their content verbatim as a
// CodeBlock in the language of their argument (or the one a highlight
// directive set). A caption becomes a Caption before the block. The options
// that number or emphasise lines are accepted and left to the stylesheet.
// parsed-literal keeps its text but not its markup; math is shown as TeX.

func codeSpec() directiveSpec {
	return directiveSpec{optional: 1, options: with(options("class", "name", "number-lines", "lineno-start",
		"emphasize-lines", "caption", "dedent", "language"), optFlag, "linenos", "force"),
		content: true, run: runCode}
}

func runCode(p *parser, d *directive, out *[]*markup.Node) {
	if !p.requireContent(d, out) {
		return
	}
	lang := p.highlight
	if len(d.args) > 0 {
		lang = d.args[0]
	}
	if caption, ok := d.opt("caption"); ok && caption != "" {
		c := p.at(&markup.Node{Kind: markup.Caption, Children: p.inline(textIText(caption, d.at))}, d.at)
		*out = append(*out, c)
	}
	n := p.at(&markup.Node{Kind: markup.CodeBlock, Lang: lang, Literal: joinLines(d.content)}, d.at)
	*out = append(*out, n)
}

// joinLines returns the text of lines, each ending in a newline.
func joinLines(lines []line) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.s)
		b.WriteByte('\n')
	}
	return b.String()
}

func highlightSpec() directiveSpec {
	return directiveSpec{required: 1, options: with(options("linenothreshold"), optFlag, "force"),
		run: func(p *parser, d *directive, out *[]*markup.Node) {
			p.highlight = d.args[0]
		}}
}

func parsedLiteralSpec() directiveSpec {
	return directiveSpec{options: options("class", "name"), content: true, run: func(p *parser, d *directive, out *[]*markup.Node) {
		if !p.requireContent(d, out) {
			return
		}
		text := inlinePlain(p.inline(newIText(d.content)))
		*out = append(*out, p.at(&markup.Node{Kind: markup.CodeBlock, Literal: text + "\n"}, d.content[0]))
	}}
}

// inlinePlain returns the text of inline nodes with line breaks kept.
func inlinePlain(ns []*markup.Node) string {
	var b strings.Builder
	markup.Walk(ns, func(n *markup.Node, entering bool) markup.WalkStatus {
		if entering && (n.Kind == markup.Text || n.Kind == markup.Code) {
			b.WriteString(n.Literal)
		}
		return markup.WalkContinue
	})
	return b.String()
}

func mathSpec() directiveSpec {
	return directiveSpec{optional: 1, finalWS: true, options: options("class", "name", "label", "nowrap"), content: true,
		run: func(p *parser, d *directive, out *[]*markup.Node) {
			text := joinLines(d.content)
			if len(d.args) > 0 {
				text = d.args[0] + "\n" + text
			}
			if strings.TrimSpace(text) == "" {
				p.requireContent(d, out)
				return
			}
			*out = append(*out, p.at(&markup.Node{Kind: markup.CodeBlock, Lang: "tex", Literal: text}, d.at))
		}}
}
