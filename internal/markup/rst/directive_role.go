package rst

import (
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// role defines a custom interpreted text role ("name" or "name(base)"),
// which wraps what its base role makes in a span of its class; a role
// based on raw with :format: html passes HTML through, sanitised when
// rendered. default-role sets the role of interpreted text without one.

func roleSpec() directiveSpec {
	return directiveSpec{content: true, run: func(p *parser, d *directive, out *[]*markup.Node) {
		if len(d.content) == 0 || d.content[0].n != d.at.n {
			p.warn(d.at, "%q directive requires arguments on the first line", d.name)
			*out = append(*out, p.sourceBlock(d.at, d.last))
			return
		}
		spec := strings.TrimSpace(d.content[0].s)
		name, base := spec, ""
		if i := strings.IndexByte(spec, '('); i > 0 && strings.HasSuffix(spec, ")") {
			name, base = strings.TrimSpace(spec[:i]), strings.TrimSpace(spec[i+1:len(spec)-1])
		}
		name, base = strings.ToLower(name), strings.ToLower(base)
		if simplenameEnd(name, 0) != len(name) || (base != "" && simplenameEnd(base, 0) != len(base)) {
			p.warn(d.at, "invalid argument for %q directive: %q", d.name, spec)
			*out = append(*out, p.sourceBlock(d.at, d.last))
			return
		}
		cr := customRole{kind: "span", class: name}
		if base != "" {
			k, baseRole, ok := p.roleKind(base)
			if !ok {
				p.warn(d.at, "unknown interpreted text role %q", base)
				*out = append(*out, p.sourceBlock(d.at, d.last))
				return
			}
			// Resolved now, so that roles defined on each other cannot
			// loop.
			cr.kind, cr.format = k, baseRole.format
		}
		opts := &directive{name: d.name, at: d.at}
		known := options("class", "format", "language")
		var optLines []line
		for _, l := range d.content[1:] {
			if l.s != "" {
				optLines = append(optLines, l)
			}
		}
		if len(optLines) > 0 {
			opts.opts = map[string]string{}
			if msg := p.parseOptions(opts, directiveSpec{options: known}, optLines); msg != "" {
				p.warn(d.at, "error in %q directive: %s", d.name, msg)
				*out = append(*out, p.sourceBlock(d.at, d.last))
				return
			}
			if v, ok := opts.opts["class"]; ok {
				cr.class = strings.TrimSpace(v)
			}
			if f, ok := opts.opts["format"]; ok {
				cr.format = strings.ToLower(strings.TrimSpace(f))
			}
		}
		if base == "raw" {
			cr.class = ""
			if cr.format == "" {
				p.warn(d.at, "role based on raw needs a :format: option")
			}
		}
		p.roles.custom[name] = cr
	}}
}

func defaultRoleSpec() directiveSpec {
	return directiveSpec{optional: 1, run: func(p *parser, d *directive, out *[]*markup.Node) {
		if len(d.args) == 0 {
			p.roles.def = ""
			return
		}
		name := strings.ToLower(d.args[0])
		if _, _, ok := p.roleKind(name); !ok {
			p.warn(d.at, "unknown interpreted text role %q", name)
			return
		}
		p.roles.def = name
	}}
}
