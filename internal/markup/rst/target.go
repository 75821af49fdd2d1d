package rst

import (
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Hyperlink targets give names to places: ".. _name: URL" to an external
// one, ".. _name: other_" to another name, ".. _name:" to the spot where it
// stands (the next element), `text <URL>`_ both links and names. Section
// titles name their sections implicitly. References (name_, `a name`_,
// anonymous name__ matched in order with ".. __: URL" targets) are resolved
// after the whole document is read, since a target may follow its
// references. Footnotes ([1], [#], [#label], [*]) and citations ([label])
// are numbered and matched with their references the same way.

type target struct {
	name    string
	url     string // external target
	refname string // indirect target
	id      string // internal target
	pos     markup.Pos
}

type pendingRef struct {
	node *markup.Node
	name string // normalised target name
	raw  string // the source, shown when the reference cannot be resolved
	anon bool
	pos  markup.Pos
}

type sphinxRef struct {
	node  *markup.Node
	label string
}

type refState struct {
	targets map[string]*target
	anon    []*target
	pending []*pendingRef
	// free is room for more pending references: a paragraph can hold
	// millions, and one allocation each costs more than filling them.
	free   []pendingRef
	sphinx []sphinxRef
	ids    map[string]bool
	next   map[string]int // first suffix not yet tried for an id
	// The headings promoted to title and subtitle: references to their
	// names go to the top of the page.
	title, sub *markup.Node
	// labelTitles maps internal target ids to the title of the section
	// they stand before, for Sphinx's :ref:.
	labelTitles map[string]string
}

func (r *refState) init() {
	r.targets = map[string]*target{}
	r.ids = map[string]bool{}
	r.next = map[string]int{}
}

func (r *refState) pend(link *markup.Node, name, raw string, anon bool, pos markup.Pos) {
	if len(r.free) == 0 {
		r.free = make([]pendingRef, min(max(2*len(r.pending), 16), 1024))
	}
	pr := &r.free[0]
	r.free = r.free[1:]
	*pr = pendingRef{node: link, name: name, raw: raw, anon: anon, pos: pos}
	r.pending = append(r.pending, pr)
}

// uniqueID returns an anchor for name that no other target uses.
func (r *refState) uniqueID(base string) string {
	if base == "" {
		base = "target"
	}
	id := base
	i := max(r.next[base], 1)
	for ; r.ids[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	r.next[base] = i
	r.ids[id] = true
	return id
}

// define registers a named target, warning about a second, different
// target of the same name (the first one stays in force).
func (p *parser) define(t *target) {
	if old, ok := p.refs.targets[t.name]; ok {
		if old.url != "" && old.url == t.url {
			return
		}
		p.warnAt(t.pos, "rename one of the targets", "duplicate explicit target name: %q (first defined at line %d)", t.name, old.pos.Line)
		return
	}
	p.refs.targets[t.name] = t
}

func (r *refState) external(name, uri string, pos markup.Pos) {
	if _, ok := r.targets[name]; !ok {
		r.targets[name] = &target{name: name, url: uri, pos: pos}
	}
}

func (r *refState) indirect(name, refname string, pos markup.Pos) {
	if _, ok := r.targets[name]; !ok {
		r.targets[name] = &target{name: name, refname: refname, pos: pos}
	}
}

// inlineTarget makes t, an inline _`target`, the internal target text.
func (p *parser) inlineTarget(t *markup.Node, text string) {
	name := normalizeName(text)
	t.ID = p.refs.uniqueID(makeID(name))
	p.define(&target{name: name, id: t.ID, pos: markup.Pos{File: p.name, Line: t.Line, Col: t.Col}})
}

// makeID is docutils' make_id: lower-case ASCII letters and digits joined by
// hyphens, starting with a letter. Accented Latin letters lose their
// accents; other characters go.
func makeID(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		r = foldAccent(r)
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		if unicode.IsMark(r) {
			continue
		}
		dash = true
	}
	id := strings.TrimLeft(b.String(), "0123456789-")
	return id
}

// foldAccent maps common accented Latin letters to their base letter, as
// NFKD decomposition followed by dropping non-ASCII does.
func foldAccent(r rune) rune {
	if r < 0xc0 || r > 0x17f {
		return r
	}
	const from = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏőŕŗřśŝşšţťũūŭůűųŵŷźżž"
	const to = "aaaaaaceeeeiiiinooooouuuuyyaaacccccdeeeeegggghiiiijklllnnnooorrrssssttuuuuuuwyzzz"
	i := 0
	for _, f := range from {
		if f == r {
			return rune(to[i])
		}
		i++
	}
	return r
}

// hyperlinkTarget reads ".. _name: destination" (or ".. __: destination")
// starting at b[i]; start is the offset after the underscore.
func (p *parser) hyperlinkTarget(b []line, i, mEnd, start int, out *[]*markup.Node) (int, bool) {
	block, _, end, bf := getIndented(b, i, true, false, -1, start)
	block = trimLeadingBlank(block)
	pos := p.posOf(b[i])
	// Find the end of the name: the first unescaped colon followed by a
	// space or the end of a line, as docutils' target pattern does over
	// the lines joined without separators.
	name, anon, k, rest, ok := targetName(block)
	if !ok {
		p.warnHint(b[i], "write the target as .. _name: URL", "malformed hyperlink target; it is read as a comment")
		n, e, bf := p.comment(b, i, mEnd)
		*out = append(*out, n)
		return e, bf
	}
	lines := []string{rest}
	for _, l := range block[k+1:] {
		lines = append(lines, escape2null(l.s))
	}
	t := &target{pos: pos}
	last := strings.TrimSpace(lines[len(lines)-1])
	if strings.HasSuffix(last, "_") {
		var parts []string
		for _, l := range lines {
			parts = append(parts, strings.TrimSpace(l))
		}
		if ref, ok := isReference(whitespaceNormalize(strings.Join(parts, " "))); ok {
			t.refname = normalizeName(ref)
		}
	}
	if t.refname == "" {
		t.url = unescape(joinURI(strings.Join(lines, " ")))
	}
	if anon {
		p.refs.anon = append(p.refs.anon, t)
		return end, bf
	}
	t.name = normalizeName(unescape(name))
	switch {
	case t.refname != "":
	case t.url != "":
		t.url = adjustURI(t.url)
	default:
		t.id = p.refs.uniqueID(makeID(t.name))
		n := p.at(&markup.Node{Kind: markup.Target, ID: t.id}, b[i])
		*out = append(*out, n)
	}
	p.define(t)
	return end, bf
}

// targetName finds the name of a hyperlink target in its lines (escaped as
// docutils escapes them). It returns the name, whether the target is
// anonymous, the line the name ends on and the rest of that line.
func targetName(block []line) (string, bool, int, string, bool) {
	var joined strings.Builder
	var lineEnds []int
	for _, l := range block {
		joined.WriteString(escape2null(l.s))
		lineEnds = append(lineEnds, joined.Len())
	}
	s := joined.String()
	if s == "" {
		return "", false, 0, "", false
	}
	atLineEnd := func(i int) bool {
		k := sort.SearchInts(lineEnds, i)
		return k < len(lineEnds) && lineEnds[k] == i || i == len(s)
	}
	// tail matches "[ ]?:([ ]+|$)" at i and returns the offset after it.
	tail := func(i int) (int, bool) {
		if i < len(s) && s[i] == ' ' {
			i++
		}
		if i >= len(s) || s[i] != ':' {
			return 0, false
		}
		if atLineEnd(i+1) || s[i+1] == ' ' {
			return i + 1, true
		}
		return 0, false
	}
	// rest returns the line on which the name's colon (just before
	// after) stands, and what follows the colon on it.
	rest := func(after int) (int, string) {
		k := 0
		for k < len(lineEnds)-1 && after-1 >= lineEnds[k] {
			k++
		}
		return k, strings.TrimSpace(s[after:lineEnds[k]])
	}
	if s[0] == '_' {
		if after, ok := tail(1); ok {
			k, r := rest(after)
			return "", true, k, r, true
		}
		return "", false, 0, "", false
	}
	if s[0] == '`' {
		if len(s) > 1 && s[1] != ' ' && s[1] != '`' {
			for i := 2; i < len(s); i++ {
				if s[i] == '`' && !spaceOrNulBefore(s, i) {
					if after, ok := tail(i + 1); ok {
						k, r := rest(after)
						return s[1:i], false, k, r, true
					}
				}
			}
		}
		return "", false, 0, "", false
	}
	if s[0] == ' ' {
		return "", false, 0, "", false
	}
	for i := 1; i <= len(s); i++ {
		if spaceOrNulBefore(s, i) {
			continue
		}
		if s[i-1] == ':' && !(i >= 2 && s[i-2] == 0) {
			continue
		}
		if after, ok := tail(i); ok {
			k, r := rest(after)
			return s[:i], false, k, r, true
		}
	}
	return "", false, 0, "", false
}

// isReference reports whether s is a reference (name_ or `phrase`_) and
// returns the name it refers to.
func isReference(s string) (string, bool) {
	if !strings.HasSuffix(s, "_") {
		return "", false
	}
	if strings.HasSuffix(s, "`_") && strings.HasPrefix(s, "`") && len(s) > 3 && s[1] != ' ' && !spaceOrNulBefore(s, len(s)-2) {
		return unescape(s[1 : len(s)-2]), true
	}
	if e := simplenameEnd(s, 0); e == len(s)-1 {
		return unescape(s[:e]), true
	}
	return "", false
}

// anonymousTarget reads "__ destination".
func (p *parser) anonymousTarget(b []line, i int, c ctx, out *[]*markup.Node) int {
	block, _, end, bf := getIndented(b, i, true, true, -1, markerEnd(b[i].s, "__"))
	block = trimLeadingBlank(block)
	t := &target{pos: p.posOf(b[i])}
	var lines []string
	for _, l := range block {
		lines = append(lines, escape2null(l.s))
	}
	if len(lines) > 0 {
		last := strings.TrimSpace(lines[len(lines)-1])
		if strings.HasSuffix(last, "_") {
			var parts []string
			for _, l := range lines {
				parts = append(parts, strings.TrimSpace(l))
			}
			if ref, ok := isReference(whitespaceNormalize(strings.Join(parts, " "))); ok {
				t.refname = normalizeName(ref)
			}
		}
		if t.refname == "" {
			t.url = unescape(joinURI(strings.Join(lines, " ")))
		}
	}
	p.refs.anon = append(p.refs.anon, t)
	p.explicitEnd(b, end, bf)
	return end
}

func trimLeadingBlank(b []line) []line {
	for len(b) > 0 && b[0].s == "" {
		b = b[1:]
	}
	return b
}

// resolveReferences gives every reference its destination, once the
// headings have their anchors.
func (p *parser) resolveReferences() {
	sections := map[string]*markup.Node{}
	for _, n := range p.doc.Body {
		if n.Kind == markup.Heading {
			name := normalizeName(markup.InlineText(n))
			if _, ok := sections[name]; !ok {
				sections[name] = n
			}
		}
	}
	for _, h := range []*markup.Node{p.refs.title, p.refs.sub} {
		if h != nil {
			name := normalizeName(markup.InlineText(h))
			if _, ok := sections[name]; !ok {
				sections[name] = h
			}
		}
	}
	var resolve func(name string, depth int) (string, bool)
	resolve = func(name string, depth int) (string, bool) {
		if depth > 16 {
			return "", false
		}
		if t, ok := p.refs.targets[name]; ok {
			switch {
			case t.url != "":
				return t.url, true
			case t.id != "":
				return "#" + t.id, true
			case t.refname != "":
				return resolve(t.refname, depth+1)
			}
		}
		if h, ok := sections[name]; ok {
			if h == p.refs.title || h == p.refs.sub {
				return "#", true
			}
			return "#" + h.ID, true
		}
		if id, ok := p.notes.names[name]; ok {
			return "#" + id, true
		}
		return "", false
	}
	var anon []*pendingRef
	for _, r := range p.refs.pending {
		if r.anon {
			anon = append(anon, r)
			continue
		}
		if u, ok := resolve(r.name, 0); ok {
			r.node.URL = u
			continue
		}
		if p.full() {
			p.warned++ // not kept: spare building its hint
		} else {
			p.warnAt(r.pos, "define the target with .. _"+r.name+": URL, or fix the spelling", "unknown target name: %q", r.name)
		}
		p.problematic(r)
	}
	if len(anon) != len(p.refs.anon) {
		if len(anon) > 0 {
			p.warnAt(anon[0].pos, "give each name__ reference one .. __: URL target, in the same order",
				"anonymous hyperlink mismatch: %d references but %d targets", len(anon), len(p.refs.anon))
		} else if len(p.refs.anon) > 0 {
			p.warnAt(p.refs.anon[0].pos, "give each name__ reference one .. __: URL target, in the same order",
				"anonymous hyperlink mismatch: %d references but %d targets", len(anon), len(p.refs.anon))
		}
		for _, r := range anon {
			p.problematic(r)
		}
	} else {
		for i, r := range anon {
			t := p.refs.anon[i]
			if t.url != "" {
				r.node.URL = t.url
				continue
			}
			if u, ok := resolve(t.refname, 0); ok {
				r.node.URL = u
				continue
			}
			p.warnAt(r.pos, "", "unknown target name: %q", t.refname)
			p.problematic(r)
		}
	}
	for _, r := range p.refs.sphinx {
		if t, ok := p.refs.targets[r.label]; ok && t.id != "" {
			r.node.URL = "#" + t.id
			if title, ok := p.refs.labelTitles[t.id]; ok && len(r.node.Children) == 1 {
				r.node.Children[0].Literal = title
			}
		}
	}
}

// noteLabelTitles records, for every internal target that stands right
// before a section title (other targets and comments between), that
// title, so :ref: can show it.
func (p *parser) noteLabelTitles() {
	p.refs.labelTitles = map[string]string{}
	body := p.doc.Body
	next := "" // the title the targets being passed stand before
	for i := len(body) - 1; i >= 0; i-- {
		switch n := body[i]; n.Kind {
		case markup.Heading:
			next = markup.InlineText(n)
		case markup.Target:
			if next != "" && n.ID != "" {
				p.refs.labelTitles[n.ID] = next
			}
		case markup.Comment:
		default:
			next = ""
		}
	}
}

// problematic turns an unresolved reference into its source text.
func (p *parser) problematic(r *pendingRef) {
	n := r.node
	n.Kind = markup.Span
	n.Class = "problematic"
	n.URL = ""
	if len(n.Children) == 1 && n.Children[0].Kind == markup.Text && len(n.Children[0].Children) == 0 {
		// The reference's own text, which nothing else holds, becomes
		// the source: a file of millions of unresolved references then
		// does not hold two texts for each.
		*n.Children[0] = markup.Node{Kind: markup.Text, Literal: r.raw, Line: n.Line, Col: n.Col}
		return
	}
	t := p.nodes.New(markup.Text)
	t.Literal, t.Line, t.Col = r.raw, n.Line, n.Col
	n.Children = []*markup.Node{t}
}

// Footnotes and citations.

type noteKind int

const (
	noteManual noteKind = iota
	noteAuto
	noteAutoLabel
	noteSymbol
	noteCitation
)

type noteDef struct {
	node  *markup.Node
	kind  noteKind
	name  string
	label string
	pos   markup.Pos
}

type noteRef struct {
	node  *markup.Node
	kind  noteKind
	name  string
	label string // as written
	pos   markup.Pos
}

type noteState struct {
	defs  []*noteDef
	refs  []*noteRef
	names map[string]string // footnote and citation names → ids
}

func (n *noteState) init() {
	n.names = map[string]string{}
}

func noteKindOf(label string) (noteKind, string) {
	switch {
	case label == "#":
		return noteAuto, ""
	case strings.HasPrefix(label, "#"):
		return noteAutoLabel, normalizeName(label[1:])
	case label == "*":
		return noteSymbol, ""
	case label[0] >= '0' && label[0] <= '9' && strings.Trim(label, "0123456789") == "":
		return noteManual, normalizeName(label)
	}
	return noteCitation, normalizeName(label)
}

func (n *noteState) ref(node *markup.Node, label string, pos markup.Pos) {
	k, name := noteKindOf(label)
	n.refs = append(n.refs, &noteRef{node: node, kind: k, name: name, label: label, pos: pos})
}

// footnote reads ".. [label] text" (a footnote or a citation); start is
// the offset after the label's "]" and spaces.
func (p *parser) footnote(b []line, i, start int, label string, c ctx, out *[]*markup.Node) (int, bool) {
	block, _, end, bf := getIndented(b, i, false, true, -1, start)
	block = trimLeadingBlank(block)
	k, name := noteKindOf(label)
	n := p.at(&markup.Node{Kind: markup.Footnote}, b[i])
	n.Children = p.nested(block, c)
	d := &noteDef{node: n, kind: k, name: name, label: label, pos: p.posOf(b[i])}
	if k == noteManual || k == noteCitation {
		n.Title = label
	}
	p.notes.defs = append(p.notes.defs, d)
	if len(*out) > 0 {
		if last := (*out)[len(*out)-1]; last.Kind == markup.FootnoteList {
			last.Children = append(last.Children, n)
			return end, bf
		}
	}
	list := p.at(&markup.Node{Kind: markup.FootnoteList, Children: []*markup.Node{n}}, b[i])
	*out = append(*out, list)
	return end, bf
}

// footnoteSymbols are the labels of auto-symbol footnotes, in order.
const footnoteSymbols = "*\u2020\u2021\u00a7\u00b6#\u2660\u2665\u2666\u2663"

// maxSymbolRepeat bounds how many times a symbol is repeated in a label.
// docutils goes on (the 101st footnote is eleven asterisks), so labels
// grow with the number of footnotes and a file of many of them would
// render text quadratic in its size; past the bound the symbol is
// followed by the count instead ("*11").
const maxSymbolRepeat = 10

// resolveFootnotes numbers auto-numbered footnotes, gives symbols to
// auto-symbol ones and matches every reference with its footnote, as
// docutils' Footnotes transform does.
func (p *parser) resolveFootnotes() {
	ns := &p.notes
	if len(ns.defs) == 0 && len(ns.refs) == 0 {
		return
	}
	used := map[string]bool{}
	byName := map[string]*noteDef{}
	for _, d := range ns.defs {
		if d.kind == noteManual || d.kind == noteCitation || d.kind == noteAutoLabel {
			if _, dup := byName[d.name]; dup {
				p.warnAt(d.pos, "give each footnote its own label", "duplicate footnote or citation label: %q", d.label)
				continue
			}
			byName[d.name] = d
		}
		if d.kind == noteManual {
			used[d.label] = true
		}
	}
	num := 1
	syms := []rune(footnoteSymbols)
	var anonLabels []*noteDef
	var symbols []*noteDef
	for _, d := range ns.defs {
		switch d.kind {
		case noteAuto, noteAutoLabel:
			for used[strconv.Itoa(num)] {
				num++
			}
			d.node.Title = strconv.Itoa(num)
			used[d.node.Title] = true
			num++
			if d.kind == noteAuto {
				anonLabels = append(anonLabels, d)
			}
		case noteSymbol:
			k := len(symbols)
			sym, n := string(syms[k%len(syms)]), k/len(syms)+1
			if n <= maxSymbolRepeat {
				d.node.Title = strings.Repeat(sym, n)
			} else {
				d.node.Title = sym + strconv.Itoa(n)
				if n == maxSymbolRepeat+1 && k%len(syms) == 0 {
					p.warnAt(d.pos, "use auto-numbered footnotes ([#]) for this many",
						"more than %d auto-symbol footnotes; the symbols of the rest are numbered, not repeated", maxSymbolRepeat*len(syms))
				}
			}
			symbols = append(symbols, d)
		}
		base := makeID("fn-" + d.node.Title)
		switch {
		case d.kind == noteCitation:
			base = "cite-" + makeID(d.label)
		case d.kind == noteSymbol:
			base = "fn-sym-" + strconv.Itoa(len(symbols))
		}
		d.node.ID = p.refs.uniqueID(base)
		if d.name != "" {
			if _, ok := ns.names[d.name]; !ok {
				ns.names[d.name] = d.node.ID
			}
		}
	}
	autoRefs, symRefs := 0, 0
	for _, r := range ns.refs {
		var d *noteDef
		switch r.kind {
		case noteAuto:
			if autoRefs < len(anonLabels) {
				d = anonLabels[autoRefs]
			} else if autoRefs == len(anonLabels) {
				p.warnAt(r.pos, "add a .. [#] footnote for each [#]_ reference",
					"too many auto-numbered footnote references: only %d corresponding footnotes available", len(anonLabels))
			}
			autoRefs++
		case noteSymbol:
			if symRefs < len(symbols) {
				d = symbols[symRefs]
			} else if symRefs == len(symbols) {
				p.warnAt(r.pos, "add a .. [*] footnote for each [*]_ reference",
					"too many symbol footnote references: only %d corresponding footnotes available", len(symbols))
			}
			symRefs++
		default:
			d = byName[r.name]
			if d == nil {
				what := "footnote"
				if r.kind == noteCitation {
					what = "citation"
				}
				p.warnAt(r.pos, "define it with .. ["+r.label+"] text", "unknown %s: [%s]", what, r.label)
			}
		}
		if d == nil {
			r.node.Kind = markup.Span
			r.node.Class = "problematic"
			r.node.Children = []*markup.Node{{Kind: markup.Text, Literal: "[" + r.label + "]_", Line: r.node.Line, Col: r.node.Col}}
			continue
		}
		r.node.ID = d.node.ID
		r.node.Literal = d.node.Title
	}
}
