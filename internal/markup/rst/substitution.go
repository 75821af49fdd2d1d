package rst

import (
	"strconv"
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// A substitution definition ".. |name| directive:: ..." gives a name to
// inline content made by a directive: replace (text), image, unicode.
// References |name| are replaced by a copy of that content once the whole
// document is read; |name|_ also links it to the target "name". The date
// directive is refused: a build must not depend on the clock.

type substDef struct {
	nodes []*markup.Node
	pos   markup.Pos
	// nested says whether nodes hold references to other substitutions
	// (0 not yet known, 1 yes, -1 no): most do not, and looking through
	// a copy for them at each use would cost a walk per reference.
	nested int8
}

type substState struct {
	defs   map[string]*substDef // by exact name
	folded map[string]string    // normalised name → exact name
	refs   []*markup.Node       // kindSubst nodes
	meta   []string             // replace definitions named like metadata, in source order
}

// substMetaKeys are the metadata keys a replace substitution may define, as
// Sphinx and Pelican postmortems do with ".. |date| replace:: 2026-01-28".
var substMetaKeys = map[string]bool{
	"date": true, "severity": true, "sev": true, "status": true, "system": true, "systems": true,
	"cause": true, "causes": true, "author": true, "authors": true, "summary": true, "title": true,
}

func (s *substState) init() {
	s.defs = map[string]*substDef{}
	s.folded = map[string]string{}
}

// maxSubstDepth bounds substitutions inside substitutions, and
// maxSubstNodes the nodes substitution may create in one document, so
// that definitions that refer to each other cannot blow up.
const (
	maxSubstDepth = 8
	maxSubstNodes = 1 << 20
)

// substitutionDef reads ".. |name| directive:: ..." at b[i]; start is the
// offset of the name.
func (p *parser) substitutionDef(b []line, i, mEnd, start int, c ctx, out *[]*markup.Node) (int, bool) {
	block, _, end, bf := getIndented(b, i, false, false, -1, start)
	// The name ends at the first "|" that follows a non-space and is
	// followed by a space or the end of a line; it may run over lines.
	var name string
	k, at := -1, 0
	var joined strings.Builder
	for li, l := range block {
		s := l.s
		if li > 0 {
			s = strings.TrimSpace(s)
			joined.WriteByte(' ')
		}
		base := joined.Len()
		e := escape2null(s)
		joined.WriteString(e)
		all := joined.String()
		for j := 0; j < len(e); j++ {
			pos := base + j
			if e[j] != '|' || pos == 0 || spaceOrNulBefore(all, pos) {
				continue
			}
			if j+1 == len(e) || e[j+1] == ' ' {
				name, k, at = all[:pos], li, j+1
				break
			}
		}
		if k >= 0 {
			break
		}
	}
	if k < 0 || name == "" || name[0] == ' ' {
		p.warnHint(b[i], "write the definition as .. |name| replace:: text", "malformed substitution definition; it is read as a comment")
		n, e, bf := p.comment(b, i, mEnd)
		*out = append(*out, n)
		return e, bf
	}
	name = whitespaceNormalize(unescape(name))
	// What follows the name: a directive, on the same line or the next.
	first := block[k]
	if k > 0 {
		ks := leadingSpace(first.s)
		first = line{s: first.s[ks:], n: first.n, c: first.c + ks}
	}
	rest := first.s[at:]
	ks := leadingSpace(rest)
	body := append([]line{{s: rest[ks:], n: first.n, c: first.c + at + ks}}, block[k+1:]...)
	if body[0].s == "" {
		body = body[1:]
	}
	for len(body) > 0 && body[len(body)-1].s == "" {
		body = body[:len(body)-1]
	}
	pos := p.posOf(b[i])
	if len(body) == 0 {
		p.warnAt(pos, "give the substitution a directive, such as replace:: text", "substitution definition %q missing contents", name)
		return end, bf
	}
	// docutils strips the first line; the others keep their indentation
	// so that the directive's block is found relative to it.
	ks = leadingSpace(body[0].s)
	body[0] = line{s: body[0].s[ks:], n: body[0].n, c: body[0].c + ks}
	dname, dstart, ok := directiveName(body[0].s)
	if !ok {
		p.warnAt(pos, "give the substitution a directive, such as replace:: text", "substitution definition %q empty or invalid", name)
		return end, bf
	}
	nodes, _, _ := p.runDirective(body, 0, dname, dstart, ctx{depth: c.depth, subst: true}, map[string]string{"alt": name})
	var inline []*markup.Node
	for _, n := range nodes {
		if n.Kind.IsInline() || n.Kind == kindSubst {
			inline = append(inline, n)
			continue
		}
		if n.Kind == markup.Paragraph && len(n.Children) == 1 && n.Children[0].Kind.IsInline() && dname == "image" {
			inline = append(inline, n.Children[0])
			continue
		}
		*out = append(*out, n)
	}
	if len(inline) == 0 {
		if strings.EqualFold(dname, "date") {
			return end, bf // the directive said why
		}
		p.warnAt(pos, "", "substitution definition %q empty or invalid", name)
		return end, bf
	}
	if old, dup := p.subst.defs[name]; dup {
		p.warnAt(pos, "rename one of the definitions", "duplicate substitution definition name: %q (first defined at line %d)", name, old.pos.Line)
		return end, bf
	}
	p.subst.defs[name] = &substDef{nodes: inline, pos: pos}
	if strings.EqualFold(dname, "replace") && substMetaKeys[strings.ToLower(name)] {
		p.subst.meta = append(p.subst.meta, name)
	}
	if _, ok := p.subst.folded[strings.ToLower(name)]; !ok {
		p.subst.folded[strings.ToLower(name)] = name
	}
	return end, bf
}

// substitutionMeta adds to the metadata the replace definitions named like
// a metadata key the document's field list does not set, after the fields,
// with the text of the replacement. The substitutions still work.
func (p *parser) substitutionMeta() {
	for _, name := range p.subst.meta {
		key := strings.ToLower(name)
		if _, ok := p.doc.Lookup(key); ok {
			continue
		}
		def := p.subst.defs[name]
		p.doc.Meta = append(p.doc.Meta, markup.Field{Key: strings.Clone(key), Value: strings.Clone(markup.InlineText(&markup.Node{Children: def.nodes})), Pos: def.pos})
	}
}

// substContext reports a directive used outside a substitution
// definition that belongs in one.
func (p *parser) substOnly(d *directive, out *[]*markup.Node) bool {
	if d.c.subst {
		return true
	}
	p.warn(d.at, "invalid context: the %q directive can only be used within a substitution definition", d.name)
	*out = append(*out, p.sourceBlock(d.at, d.last))
	return false
}

func replaceSpec() directiveSpec {
	return directiveSpec{content: true, run: func(p *parser, d *directive, out *[]*markup.Node) {
		if !p.substOnly(d, out) || !p.requireContent(d, out) {
			return
		}
		var body []*markup.Node
		if d.c.depth+1 >= p.maxDepth {
			body = p.flat(d.content)
		} else {
			body = p.parse(d.content, ctx{depth: d.c.depth + 1, subst: true})
		}
		var para *markup.Node
		for _, n := range body {
			if para == nil && n.Kind == markup.Paragraph {
				para = n
				continue
			}
			p.warn(d.at, "error in %q directive: may contain a single paragraph only", d.name)
			return
		}
		if para != nil {
			*out = append(*out, para.Children...)
		}
	}}
}

func unicodeSpec() directiveSpec {
	return directiveSpec{required: 1, finalWS: true, options: with(map[string]optKind{}, optFlag, "trim", "ltrim", "rtrim"),
		run: func(p *parser, d *directive, out *[]*markup.Node) {
			if !p.substOnly(d, out) {
				return
			}
			arg := d.args[0]
			if i := strings.Index(arg, ".. "); i >= 0 {
				arg = arg[:i] // a comment ends the codes
			}
			var b strings.Builder
			for _, code := range strings.Fields(arg) {
				s, ok := unicodeCode(code)
				if !ok {
					s = code
				}
				b.WriteString(s)
			}
			*out = append(*out, p.at(&markup.Node{Kind: markup.Text, Literal: b.String()}, d.at))
		}}
}

// unicodeCode reads a character code: 0x2014, x2014, U+2014, u2014,
// \u2014, &#x2014; or a decimal number.
func unicodeCode(code string) (string, bool) {
	c := strings.ToLower(code)
	base := 16
	switch {
	case strings.HasPrefix(c, "0x"):
		c = c[2:]
	case strings.HasPrefix(c, "\\x"), strings.HasPrefix(c, "\\u"):
		c = c[2:]
	case strings.HasPrefix(c, "u+"):
		c = c[2:]
	case strings.HasPrefix(c, "&#x") && strings.HasSuffix(c, ";"):
		c = c[3 : len(c)-1]
	case strings.HasPrefix(c, "x"), strings.HasPrefix(c, "u"):
		c = c[1:]
	default:
		base = 10
	}
	n, err := strconv.ParseUint(c, base, 32)
	if err != nil || n > 0x10ffff {
		return "", false
	}
	// A code can name a control character, which a page must not carry.
	return markup.StripControls(string(rune(n))), true
}

func dateSpec() directiveSpec {
	return directiveSpec{optional: 1, finalWS: true, content: true, run: func(p *parser, d *directive, out *[]*markup.Node) {
		p.warnHint(d.at, "write the date itself", "the date directive is not supported: pages must not depend on when they were built")
	}}
}

// resolveSubstitutions replaces every substitution reference with a copy
// of what its definition holds.
func (p *parser) resolveSubstitutions() {
	budget := maxSubstNodes
	var resolve func(n *markup.Node, depth int, seen []string)
	resolve = func(n *markup.Node, depth int, seen []string) {
		name := n.Literal
		key := name
		def, ok := p.subst.defs[key]
		if !ok {
			if exact, ok2 := p.subst.folded[strings.ToLower(name)]; ok2 {
				def, ok = p.subst.defs[exact], true
				key = exact
			}
		}
		pos := markup.Pos{File: p.name, Line: n.Line, Col: n.Col}
		fail := func() {
			n.Kind = markup.Span
			n.Class = "problematic"
			n.Literal = ""
			n.Children = []*markup.Node{{Kind: markup.Text, Literal: "|" + name + "|", Line: n.Line, Col: n.Col}}
		}
		if !ok {
			p.warnAt(pos, "define it with .. |"+name+"| replace:: text", "undefined substitution referenced: %q", name)
			fail()
			return
		}
		for _, s := range seen {
			if s == key {
				p.warnAt(pos, "", "circular substitution definition referenced: %q", name)
				fail()
				return
			}
		}
		if depth >= maxSubstDepth {
			p.warnAt(pos, "", "substitutions nested too deeply: %q", name)
			fail()
			return
		}
		n.Kind = kindSplice
		n.Literal = ""
		n.Children = cloneNodes(&p.nodes, def.nodes, n.Line, n.Col, &budget)
		if budget < 0 {
			return
		}
		if def.nested == 0 {
			def.nested = -1
			markup.Walk(def.nodes, func(c *markup.Node, entering bool) markup.WalkStatus {
				if entering && c.Kind == kindSubst {
					def.nested = 1
					return markup.WalkStop
				}
				return markup.WalkContinue
			})
		}
		if def.nested < 0 {
			return
		}
		var inner []*markup.Node
		markup.Walk(n.Children, func(c *markup.Node, entering bool) markup.WalkStatus {
			if entering && c.Kind == kindSubst {
				inner = append(inner, c)
			}
			return markup.WalkContinue
		})
		for _, c := range inner {
			resolve(c, depth+1, append(seen, key))
		}
	}
	for _, n := range p.subst.refs {
		if budget < 0 {
			n.Kind = markup.Text
			n.Literal = "|" + n.Literal + "|"
			continue
		}
		resolve(n, 0, nil)
	}
	if budget < 0 {
		p.warnAt(markup.Pos{File: p.name}, "", "substitutions expand to too much content; the rest are shown as written")
	}
}

// cloneNodes copies nodes for one use of a substitution, placing them at
// the reference.
func cloneNodes(a *markup.NodeAllocator, ns []*markup.Node, line, col int, budget *int) []*markup.Node {
	out := make([]*markup.Node, 0, len(ns))
	for _, n := range ns {
		*budget--
		if *budget < 0 {
			return out
		}
		c := a.New(n.Kind)
		*c = *n
		c.Line, c.Col = line, col
		if len(n.Children) > 0 {
			c.Children = cloneNodes(a, n.Children, line, col, budget)
		}
		out = append(out, c)
	}
	return out
}

// spliceAll replaces every kindSplice node by its children, everywhere.
func spliceAll(body []*markup.Node) []*markup.Node {
	var fix func(ns []*markup.Node) []*markup.Node
	has := func(ns []*markup.Node) bool {
		for _, n := range ns {
			if n.Kind == kindSplice || n.Kind == kindSubst {
				return true
			}
		}
		return false
	}
	fix = func(ns []*markup.Node) []*markup.Node {
		if !has(ns) {
			return ns
		}
		out := make([]*markup.Node, 0, len(ns))
		for _, n := range ns {
			switch n.Kind {
			case kindSplice:
				out = append(out, fix(n.Children)...)
			case kindSubst:
				out = append(out, &markup.Node{Kind: markup.Text, Literal: "|" + n.Literal + "|", Line: n.Line, Col: n.Col})
			default:
				out = append(out, n)
			}
		}
		return mergeText(out)
	}
	body = fix(body)
	markup.Walk(body, func(n *markup.Node, entering bool) markup.WalkStatus {
		if entering {
			n.Children = fix(n.Children)
		}
		return markup.WalkContinue
	})
	return body
}
