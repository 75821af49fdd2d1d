package rst

import (
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// raw passes content through to one output format. Only HTML is kept, as an
// HTMLBlock that the shared renderer sanitises; other formats are dropped
// with a warning, and the :file: and :url: options are never followed.

func rawSpec() directiveSpec {
	return directiveSpec{required: 1, finalWS: true, options: options("file", "url", "encoding", "class"), content: true,
		run: func(p *parser, d *directive, out *[]*markup.Node) {
			if src, ok := d.opt("file"); ok {
				p.warnHint(d.at, "paste the content into the document", "raw :file: %q is not read: kb never inserts other files", src)
				return
			}
			if src, ok := d.opt("url"); ok {
				p.warnHint(d.at, "paste the content into the document", "raw :url: %q is not fetched: kb never inserts other files", src)
				return
			}
			formats := strings.Fields(strings.ToLower(d.args[0]))
			html := false
			for _, f := range formats {
				if f == "html" {
					html = true
				}
			}
			if !html {
				p.warnHint(d.at, "only raw HTML is shown", "raw %s content is dropped", strings.Join(formats, " "))
				return
			}
			if !p.requireContent(d, out) {
				return
			}
			var lines []string
			for _, l := range d.content {
				lines = append(lines, l.s)
			}
			*out = append(*out, p.at(&markup.Node{Kind: markup.HTMLBlock, Literal: strings.Join(lines, "\n")}, d.content[0]))
		}}
}
