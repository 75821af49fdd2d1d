package rst

import (
	"strconv"
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// contents places a table of contents; the renderer builds it from the
// document's sections, so it is always current. sectnum numbers the
// sections, as docutils does, in their titles.

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

func sectnumSpec() directiveSpec {
	return directiveSpec{options: with(options("prefix", "suffix"), optInt, "depth", "start"),
		run: func(p *parser, d *directive, out *[]*markup.Node) {
			if p.sectnum != nil {
				return
			}
			o := &sectnumOpts{depth: 1 << 30, start: 1}
			if v, ok := d.opt("depth"); ok {
				o.depth, _ = strconv.Atoi(strings.TrimSpace(v))
			}
			if v, ok := d.opt("start"); ok {
				o.start, _ = strconv.Atoi(strings.TrimSpace(v))
			}
			o.prefix, o.suffix = d.opts["prefix"], d.opts["suffix"]
			p.sectnum = o
		}}
}
