package rst

import "github.com/kb-postmortems/kb/internal/markup"

// include (and Sphinx's literalinclude) would insert another file. The
// reader never reads anything but the document it is given, so the
// directive is refused with a warning saying so.

func includeSpec() directiveSpec {
	return directiveSpec{required: 1, finalWS: true, content: true,
		options: with(options("code", "encoding", "parser", "tab-width", "start-line", "end-line", "start-after",
			"end-before", "number-lines", "class", "name", "language", "lines", "emphasize-lines", "caption",
			"pyobject", "dedent", "prepend", "append", "diff", "lineno-start"),
			optFlag, "literal", "linenos", "lineno-match", "force"),
		run: func(p *parser, d *directive, out *[]*markup.Node) {
			p.warnHint(d.at, "paste the content into the document instead",
				"%s %q is not performed: kb never inserts other files", d.name, d.args[0])
		}}
}
