package rst

import (
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Directives that group body elements: topic and sidebar become titled
// Admonitions of those classes; rubric is an informal heading (a paragraph
// holding a rubric span); epigraph, highlights and pull-quote are block
// quotes; container, compound, class, Sphinx's only, glossary, hlist and
// centered keep their content in place; line-block is a line block.

func topicSpec() directiveSpec {
	return directiveSpec{required: 1, finalWS: true, options: options("class", "name"), content: true,
		run: func(p *parser, d *directive, out *[]*markup.Node) {
			if !p.requireContent(d, out) || !p.sectionLevel(d, out) {
				return
			}
			n := p.at(&markup.Node{Kind: markup.Admonition, Class: "topic", Title: p.inlineString(d.args[0], d.at)}, d.at)
			n.Children = p.nested(d.content, d.c)
			*out = append(*out, n)
		}}
}

func sidebarSpec() directiveSpec {
	return directiveSpec{optional: 1, finalWS: true, options: options("class", "name", "subtitle"), content: true,
		run: func(p *parser, d *directive, out *[]*markup.Node) {
			if !p.requireContent(d, out) || !p.sectionLevel(d, out) {
				return
			}
			n := p.at(&markup.Node{Kind: markup.Admonition, Class: "sidebar"}, d.at)
			if len(d.args) > 0 {
				n.Title = p.inlineString(d.args[0], d.at)
			}
			if sub, ok := d.opt("subtitle"); ok && sub != "" {
				n.Children = append(n.Children, p.at(&markup.Node{Kind: markup.Paragraph, Children: []*markup.Node{
					p.at(&markup.Node{Kind: markup.Span, Class: "subtitle", Children: p.inline(textIText(sub, d.at))}, d.at)}}, d.at))
			}
			n.Children = append(n.Children, p.nested(d.content, d.c)...)
			*out = append(*out, n)
		}}
}

// sectionLevel reports a topic or sidebar used inside a list, quote or
// other body element, where docutils does not allow them.
func (p *parser) sectionLevel(d *directive, out *[]*markup.Node) bool {
	if d.c.titles {
		return true
	}
	p.warnHint(d.at, "move it out to the level of the section", "the %q directive may not be used within topics or body elements", d.name)
	*out = append(*out, p.sourceBlock(d.at, d.last))
	return false
}

func rubricSpec() directiveSpec {
	return directiveSpec{required: 1, finalWS: true, options: options("class", "name"),
		run: func(p *parser, d *directive, out *[]*markup.Node) {
			span := p.at(&markup.Node{Kind: markup.Span, Class: "rubric", Children: p.inline(textIText(d.args[0], d.at))}, d.at)
			*out = append(*out, p.at(&markup.Node{Kind: markup.Paragraph, Children: []*markup.Node{span}}, d.at))
		}}
}

func quoteSpec() directiveSpec {
	return directiveSpec{content: true, run: func(p *parser, d *directive, out *[]*markup.Node) {
		if !p.requireContent(d, out) {
			return
		}
		p.blockQuotes(d.content, d.c, out)
	}}
}

func containerSpec(name string) directiveSpec {
	s := directiveSpec{optional: 1, finalWS: true, options: options("class", "name"), content: true,
		run: func(p *parser, d *directive, out *[]*markup.Node) {
			if name == "class" && len(d.content) == 0 {
				return // it styles the next element: nothing to show
			}
			if !p.requireContent(d, out) {
				return
			}
			*out = append(*out, p.nested(d.content, d.c)...)
		}}
	switch name {
	case "compound":
		s.optional = 0
	case "class", "only":
		s.required, s.optional, s.options = 1, 0, nil
	case "glossary", "hlist", "centered":
		s.optional = 0
		s.options = with(options("columns"), optFlag, "sorted")
		if name == "centered" {
			s.optional, s.options, s.content = 1, nil, false
			s.run = func(p *parser, d *directive, out *[]*markup.Node) {
				if len(d.args) > 0 {
					*out = append(*out, p.at(&markup.Node{Kind: markup.Paragraph, Children: p.inline(textIText(d.args[0], d.at))}, d.at))
				}
			}
		}
	}
	return s
}

func lineBlockSpec() directiveSpec {
	return directiveSpec{options: options("class", "name"), content: true, run: func(p *parser, d *directive, out *[]*markup.Node) {
		if !p.requireContent(d, out) {
			return
		}
		var items []lbLine
		for _, l := range d.content {
			k := leadingSpace(l.s)
			t := line{s: strings.TrimSpace(l.s), n: l.n, c: l.c + k}
			n := p.at(&markup.Node{Kind: markup.Line}, l)
			if t.s != "" {
				n.Children = p.inline(newIText([]line{t}))
			}
			items = append(items, lbLine{node: n, indent: k})
		}
		*out = append(*out, p.nestLines(items, d.at))
	}}
}
