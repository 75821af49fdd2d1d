package rst

import (
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Admonitions (note, warning, tip, important, danger, caution, attention,
// hint, error, and Sphinx's seealso and todo) become Admonition nodes whose
// Class is the kind; the generic "admonition" takes its title from its
// argument. Sphinx's versionadded, versionchanged and deprecated are shown
// the same way, titled with the version.

func admonitionSpec(generic bool) directiveSpec {
	s := directiveSpec{finalWS: true, options: options("class", "name"), content: true, run: runAdmonition}
	if generic {
		s.required = 1
	}
	return s
}

// requireContent reports a directive without the content it needs, as
// docutils' assert_has_content does.
func (p *parser) requireContent(d *directive, out *[]*markup.Node) bool {
	if len(d.content) > 0 {
		return true
	}
	p.warnHint(d.at, "indent the directive's content under it, after a blank line",
		"content block expected for the %q directive; none found", d.name)
	*out = append(*out, p.sourceBlock(d.at, d.last))
	return false
}

func runAdmonition(p *parser, d *directive, out *[]*markup.Node) {
	if !p.requireContent(d, out) {
		return
	}
	n := p.at(&markup.Node{Kind: markup.Admonition, Class: d.name}, d.at)
	switch d.name {
	case "admonition":
		n.Class = ""
		n.Title = p.inlineString(d.args[0], d.at)
	case "seealso":
		n.Title = "See also"
	}
	n.Children = p.nested(d.content, d.c)
	*out = append(*out, n)
}

func versionSpec() directiveSpec {
	return directiveSpec{required: 1, optional: 1, finalWS: true, content: true, run: func(p *parser, d *directive, out *[]*markup.Node) {
		label := map[string]string{
			"versionadded": "New in version", "versionchanged": "Changed in version",
			"deprecated": "Deprecated since version", "versionremoved": "Removed in version",
		}[d.name]
		n := p.at(&markup.Node{Kind: markup.Admonition, Class: d.name, Title: label + " " + d.args[0]}, d.at)
		if len(d.args) > 1 {
			n.Children = append(n.Children, p.at(&markup.Node{Kind: markup.Paragraph,
				Children: p.inline(textIText(d.args[1], d.at))}, d.at))
		}
		n.Children = append(n.Children, p.nested(d.content, d.c)...)
		*out = append(*out, n)
	}}
}

// inlineString parses s as inline markup and returns its plain text, for
// titles the model keeps as strings.
func (p *parser) inlineString(s string, at line) string {
	n := &markup.Node{Children: p.inline(textIText(s, at))}
	return strings.TrimSpace(markup.InlineText(n))
}
