package rst

import "github.com/kb-postmortems/kb/internal/markup"

// contents places a table of contents; the renderer builds it from the
// document's sections, so it is always current.

func contentsSpec() directiveSpec {
	return directiveSpec{optional: 1, finalWS: true,
		options: with(with(options("backlinks", "class"), optInt, "depth"), optFlag, "local"),
		run: func(p *parser, d *directive, out *[]*markup.Node) {
			n := p.at(&markup.Node{Kind: markup.Contents}, d.at)
			switch {
			case len(d.args) > 0:
				n.Title = p.inlineString(d.args[0], d.at)
			default:
				if _, local := d.opt("local"); !local {
					n.Title = "Contents"
				}
			}
			*out = append(*out, n)
		}}
}
