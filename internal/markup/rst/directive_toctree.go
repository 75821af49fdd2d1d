package rst

import (
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// toctree (Sphinx) lists other documents. The reader cannot know their
// titles, so each entry links to the document's source name as written
// plus ".rst" (the site resolves it to the page), showing the entry's
// explicit title ("Title <name>") or else its name. A :caption: becomes a
// Caption; a :hidden: tree shows nothing; glob patterns are shown as text.

func toctreeSpec() directiveSpec {
	return directiveSpec{content: true,
		options: with(options("maxdepth", "caption", "name", "class", "numbered"), optFlag,
			"hidden", "glob", "titlesonly", "reversed", "includehidden"),
		run: runToctree}
}

func runToctree(p *parser, d *directive, out *[]*markup.Node) {
	if _, hidden := d.opt("hidden"); hidden {
		return
	}
	_, glob := d.opt("glob")
	if caption, ok := d.opt("caption"); ok && caption != "" {
		*out = append(*out, p.at(&markup.Node{Kind: markup.Caption, Children: p.inline(textIText(caption, d.at))}, d.at))
	}
	var entries []line
	for _, l := range d.content {
		if s := strings.TrimSpace(l.s); s != "" && s != "self" {
			k := leadingSpace(l.s)
			entries = append(entries, line{s: s, n: l.n, c: l.c + k})
		}
	}
	if len(entries) == 0 {
		return
	}
	list := p.at(&markup.Node{Kind: markup.List, Tight: true}, entries[0])
	for _, e := range entries {
		title, target, ok := explicitTitle(e.s)
		if !ok {
			title, target = e.s, e.s
		}
		text := p.at(&markup.Node{Kind: markup.Text, Literal: title}, e)
		var inline *markup.Node
		switch {
		case glob && strings.ContainsAny(target, "*?["):
			inline = text
		case isURIStart(target):
			inline = p.at(&markup.Node{Kind: markup.Link, URL: target, Children: []*markup.Node{text}}, e)
		default:
			inline = p.at(&markup.Node{Kind: markup.Link, URL: docURL(target), Children: []*markup.Node{text}}, e)
		}
		para := p.at(&markup.Node{Kind: markup.Paragraph, Children: []*markup.Node{inline}}, e)
		list.Children = append(list.Children, p.at(&markup.Node{Kind: markup.ListItem, Children: []*markup.Node{para}}, e))
	}
	*out = append(*out, list)
}
