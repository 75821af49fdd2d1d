package markup

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextReader reads plain text: a blog post flattened to text, an email, a
// postmortem typed into a ticket. Plain text has no markup, so structure is
// guessed from the shape of the lines:
//
//   - Paragraphs are runs of lines between blank lines; line ends are kept
//     as soft breaks, as in Markdown, so a line of a timeline stays a line.
//     Bare http(s) URLs become links.
//   - A line starting with "•", "-", "*", "–", "◦" or "▪" and a space, or
//     with "1." or "1)", is a list item. A line indented more than the
//     marker continues the item; a deeper-indented bullet nests.
//   - A heading is a line underlined (or over- and underlined) with "=",
//     "-", "~" or "*"; a short line standing alone between blank lines in
//     Title Case, or of a few words ending in ":"; or a short line that
//     names a section the site knows ("Impact", "Timeline"), blank lines or
//     not. Only top-level lines are headings, never lines inside a list.
//   - Lines indented by four spaces or a tab after a blank line are a code
//     block.
//   - The first line is the title when it stands alone or is a heading,
//     unless it names a known section or front matter names another title.
//
// The type is not called Text because [Text] is the kind of a text node.
type TextReader struct {
	limits Limits
	known  func(key string) bool
}

// NewText returns the reader for plain text. Headings are lines that look
// like headings (see [TextReader]); known, when non-nil, says whether a
// line's normalised text ([NormalizeHeading]) is a section heading the site
// knows ("impact", "timeline", "action items", ...), which makes a line a
// heading even when it is not followed by a blank line. The reader is safe
// for concurrent use if known is.
func NewText(limits Limits, known func(key string) bool) *TextReader {
	return &TextReader{limits: limits, known: known}
}

// Read implements [Reader]. Doc.Format is "text".
func (t *TextReader) Read(name string, src []byte) (*Doc, error) {
	d, _, err := t.read(name, src)
	return d, err
}

// read is Read, also returning how many line visits the parse took, so
// tests can check the work is linear without timing it.
func (t *TextReader) read(name string, src []byte) (*Doc, int, error) {
	src, err := Prepare(name, src)
	if err != nil {
		return nil, 0, err
	}
	fm, err := SplitFrontMatter(name, src)
	if err != nil {
		return nil, 0, err
	}
	d := &Doc{Path: name, Format: "text", Meta: fm.Fields}
	p := &textParser{
		doc:   d,
		src:   fm.Body,
		pos:   NewLineIndex(fm.Body, fm.BodyLine),
		known: t.known,
		depth: t.limits.Depth(),
	}
	p.index()
	d.Body = p.blocks(scope{to: len(p.lines)}, 0)
	p.title()
	Finish(d, FinishOptions{})
	return d, p.steps, nil
}

// tline is one line of the body.
type tline struct {
	start, end int // byte offsets; end is before the '\n'
	off, tend  int // the content without surrounding white space
	indent     int // columns before off; a tab moves to the next multiple of 4
	blank      bool
	// Cached answers, as several rules ask the same question of a line:
	// 0 not yet known, 1 yes, -1 no.
	brk, known int8
}

// view is a line as a scope sees it: the first line of a list item starts
// after the marker.
type view struct {
	ln       int // index into textParser.lines
	off, end int // content, trimmed
	indent   int // column of off
	blank    bool
	head     bool // the first line of a list item
}

// scope is a run of lines parsed as a sequence of blocks: the whole body,
// or the lines of one list item. It is a range of body lines, optionally
// preceded by the item's first line (head), so nested items share the
// body's line table instead of copying it.
type scope struct {
	head     view
	hasHead  bool
	from, to int // body lines after the head
	base     int // the column content starts at: 0, or the item's text
}

func (s scope) len() int {
	if s.hasHead {
		return s.to - s.from + 1
	}
	return s.to - s.from
}

// line returns the body line index of the scope's k-th line (k ≥ 1 when
// the scope has a head).
func (s scope) line(k int) int {
	if s.hasHead {
		return s.from + k - 1
	}
	return s.from + k
}

type textParser struct {
	doc       *Doc
	src       []byte
	pos       *LineIndex
	lines     []tline
	known     func(string) bool
	depth     int // Limits.Depth()
	flattened bool
	steps     int // line visits, for the complexity test

	// What the first top-level block was, for the title.
	first struct {
		set      bool
		node     *Node
		line     int  // body line of its text
		eligible bool // stands alone, or is a heading that is not a known section
	}
}

func (p *textParser) at(n *Node, off int) *Node {
	n.Line, n.Col = p.pos.Pos(off)
	return n
}

func (p *textParser) index() {
	b := p.src
	for s := 0; s < len(b); {
		e := bytes.IndexByte(b[s:], '\n')
		next := len(b)
		if e < 0 {
			e = len(b)
		} else {
			e += s
			next = e + 1
		}
		l := tline{start: s, end: e}
		i, col := s, 0
		for i < e {
			if b[i] == ' ' {
				col++
				i++
				continue
			}
			if b[i] == '\t' {
				col += 4 - col%4
				i++
				continue
			}
			r, size := utf8.DecodeRune(b[i:e])
			if !unicode.IsSpace(r) {
				break
			}
			col++
			i += size
		}
		l.off, l.indent = i, col
		l.tend = l.off + len(bytes.TrimRightFunc(b[l.off:e], unicode.IsSpace))
		l.blank = l.tend == l.off
		p.lines = append(p.lines, l)
		s = next
	}
}

func (s scope) at(p *textParser, k int) view {
	p.steps++
	if s.hasHead && k == 0 {
		return s.head
	}
	i := s.line(k)
	l := &p.lines[i]
	return view{ln: i, off: l.off, end: l.tend, indent: l.indent, blank: l.blank}
}

func (p *textParser) content(v view) []byte { return p.src[v.off:v.end] }

// blocks parses the lines of sc. depth counts the lists around them;
// headings are only recognised at the top level.
func (p *textParser) blocks(sc scope, depth int) []*Node {
	var out []*Node
	n := sc.len()
	prevBlank := !sc.hasHead // the start of the file counts as a blank line
	for i := 0; i < n; {
		v := sc.at(p, i)
		if v.blank {
			prevBlank = true
			i++
			continue
		}
		start := i
		var node *Node
		rule := byte(0) // which heading rule made node, if any
		switch {
		case depth == 0 && p.overlined(sc, i):
			node = p.heading(sc.at(p, i+1), adornLevel(p.content(v)[0]))
			rule = 'a'
			i += 3
		case depth == 0 && p.underlined(sc, i):
			node = p.heading(v, adornLevel(p.content(sc.at(p, i+1))[0]))
			rule = 'a'
			i += 2
		case prevBlank && v.indent >= sc.base+4 && !p.bullet(v, depth).ok:
			node, i = p.code(sc, i)
		case p.isBreak(v):
			node = p.at(&Node{Kind: ThematicBreak}, v.off)
			i++
		case p.bullet(v, depth).ok:
			node, i = p.list(sc, i, depth)
		case depth == 0 && p.standalone(sc, i, prevBlank):
			node = p.heading(v, 2)
			rule = 'b'
			i++
		case depth == 0 && p.knownHeading(sc, i, prevBlank):
			node = p.heading(v, 2)
			rule = 'c'
			i++
		default:
			node, i = p.paragraph(sc, i, depth)
		}
		prevBlank = false
		if depth == 0 && !p.first.set {
			p.first.set = true
			p.first.node = node
			p.first.line = sc.line(start)
			switch {
			case rule == 'a' || rule == 'b':
				p.first.eligible = !p.isKnown(InlineText(node))
				if i == start+3 {
					p.first.line = sc.line(start + 1) // overlined: the text is the second line
				}
			case node.Kind == Paragraph:
				// One line, then a blank line or (in text flattened from
				// HTML) straight away a heading.
				p.first.eligible = i == start+1 && i < n &&
					(sc.at(p, i).blank || p.underlined(sc, i) || p.knownHeading(sc, i, false))
			}
		}
		out = append(out, node)
	}
	return out
}

// title moves the first block into Doc.Title when it is a title: the first
// line of the file, standing alone or a heading, and not too long.
func (p *textParser) title() {
	d := p.doc
	f := p.first
	if !f.set || !f.eligible || len(d.Body) == 0 || d.Body[0] != f.node {
		return
	}
	l := p.lines[f.line]
	if utf8.RuneCount(p.src[l.off:l.tend]) > 120 {
		return
	}
	text := strings.TrimSpace(strings.TrimRight(InlineText(f.node), ":"))
	if text == "" || strings.HasSuffix(text, ",") || strings.HasSuffix(text, ";") {
		return // "Hi all," opens a letter; it is no title
	}
	if fld, ok := d.Lookup("title"); ok {
		// Front matter names the title; the first line is it only when it
		// says the same.
		if s, _ := fld.Value.(string); strings.TrimSpace(s) != "" && !strings.EqualFold(strings.TrimSpace(s), text) {
			return
		}
	}
	d.Title = strings.Clone(text) // the title outlives the source
	d.TitlePos = Pos{File: d.Path, Line: f.node.Line, Col: f.node.Col}
	d.Body = d.Body[1:]
}

// bulletInfo describes a list marker at the start of a line's content.
type bulletInfo struct {
	ok, ordered bool
	num         int
	after       int // body offset just past the marker
	col         int // the column an item's text starts at
}

// bulletAt recognises a list marker. It reads a bounded number of bytes,
// so rules may ask it of a line as often as they like.
func (p *textParser) bulletAt(v view) bulletInfo {
	s := p.content(v)
	if len(s) < 3 {
		return bulletInfo{}
	}
	var b bulletInfo
	mlen := 0
	switch c := s[0]; {
	case c == '-' || c == '*':
		mlen = 1
	case '0' <= c && c <= '9':
		k := 0
		for k < len(s) && k < 10 && '0' <= s[k] && s[k] <= '9' {
			k++
		}
		if k > 9 || k >= len(s) || (s[k] != '.' && s[k] != ')') {
			return bulletInfo{}
		}
		b.num, _ = strconv.Atoi(string(s[:k]))
		b.ordered = true
		mlen = k + 1
	default:
		switch r, size := utf8.DecodeRune(s); r {
		case '•', '–', '◦', '▪':
			mlen = size
		default:
			return bulletInfo{}
		}
	}
	col := v.indent + utf8.RuneCount(s[:mlen])
	// A space after the marker, then the text (the content is trimmed, so
	// there is some).
	k, w := mlen, 0
	for k < len(s) && w < 5 {
		r, size := utf8.DecodeRune(s[k:])
		if r == '\t' {
			w += 4 - (col+w)%4
		} else if unicode.IsSpace(r) {
			w++
		} else {
			break
		}
		k += size
	}
	if w == 0 {
		return bulletInfo{}
	}
	if w >= 5 {
		w = 1 // text far from its marker starts one column after it
	}
	b.ok = true
	b.after = v.off + mlen
	b.col = col + w
	return b
}

// bullet is bulletAt in context: there are no lists past the depth limit,
// and at the top level a numbered line naming a known section ("2.
// Impact") is a heading.
func (p *textParser) bullet(v view, depth int) bulletInfo {
	if depth >= p.depth {
		return bulletInfo{}
	}
	b := p.bulletAt(v)
	if b.ok && b.ordered && depth == 0 && !v.head {
		if ok, lower := p.knownLine(v); ok && !lower {
			return bulletInfo{}
		}
	}
	return b
}

// list parses the list whose first item is sc's line i.
func (p *textParser) list(sc scope, i, depth int) (*Node, int) {
	n := sc.len()
	v := sc.at(p, i)
	first := p.bullet(v, depth)
	l := p.at(&Node{Kind: List, Ordered: first.ordered, Tight: true}, v.off)
	if first.ordered {
		l.Start = first.num
	}
	canNest := depth+1 < p.depth
	for {
		v := sc.at(p, i)
		b := p.bullet(v, depth)
		last := i
		for j := i + 1; j < n; j++ {
			w := sc.at(p, j)
			if w.blank {
				continue
			}
			gap := j > last+1
			if p.bullet(w, depth).ok {
				if w.indent <= v.indent {
					break
				}
				if !canNest {
					p.flatten(w)
					break
				}
			} else if gap && w.indent < b.col || !gap && w.indent <= v.indent {
				break
			}
			if gap {
				l.Tight = false // a blank line inside an item
			}
			last = j
		}
		item := p.at(&Node{Kind: ListItem}, v.off)
		item.Children = p.blocks(p.itemScope(sc, i, last, v, b), depth+1)
		l.Children = append(l.Children, item)

		k := last + 1
		for k < n && sc.at(p, k).blank {
			k++
		}
		if k >= n {
			return l, k
		}
		nb := p.bullet(sc.at(p, k), depth)
		if !nb.ok || nb.ordered != first.ordered {
			return l, last + 1
		}
		if k > last+1 {
			l.Tight = false
		}
		i = k
	}
}

// itemScope returns the scope of the item on sc's lines i..last whose
// marker b is on line v.
func (p *textParser) itemScope(sc scope, i, last int, v view, b bulletInfo) scope {
	off := b.after
	for off < v.end {
		r, size := utf8.DecodeRune(p.src[off:v.end])
		if !unicode.IsSpace(r) {
			break
		}
		off += size
	}
	head := view{ln: v.ln, off: off, end: v.end, indent: b.col, blank: off >= v.end, head: true}
	from := sc.line(i + 1)
	return scope{head: head, hasHead: true, from: from, to: from + last - i, base: b.col}
}

func (p *textParser) flatten(v view) {
	if p.flattened {
		return
	}
	p.flattened = true
	line, col := p.pos.Pos(v.off)
	p.doc.Warnings = append(p.doc.Warnings, Warning{
		Pos:     Pos{File: p.doc.Path, Line: line, Col: col},
		Message: fmt.Sprintf("lists nested deeper than %d levels; deeper levels are shown flat", p.depth),
		Hint:    "reduce the nesting",
	})
}

// code parses an indented block starting at sc's line i.
func (p *textParser) code(sc scope, i int) (*Node, int) {
	n := sc.len()
	last := i
	common := -1
	for j := i; j < n; j++ {
		w := sc.at(p, j)
		if w.blank {
			continue
		}
		if w.indent < sc.base+4 {
			break
		}
		last = j
		if common < 0 || w.indent < common {
			common = w.indent
		}
	}
	var b strings.Builder
	for j := i; j <= last; j++ {
		l := p.lines[sc.line(j)]
		if !l.blank {
			b.Write(stripCols(p.src[l.start:l.tend], common))
		}
		b.WriteByte('\n')
	}
	return p.at(&Node{Kind: CodeBlock, Literal: b.String()}, sc.at(p, i).off), last + 1
}

// stripCols removes n columns of leading white space from line.
func stripCols(line []byte, n int) []byte {
	col, i := 0, 0
	for i < len(line) && col < n {
		switch line[i] {
		case ' ':
			col++
		case '\t':
			next := col + 4 - col%4
			if next > n {
				// A tab that reaches past the cut leaves the rest as spaces.
				return append(bytes.Repeat([]byte{' '}, next-n), line[i+1:]...)
			}
			col = next
		default:
			r, size := utf8.DecodeRune(line[i:])
			if !unicode.IsSpace(r) {
				return line[i:]
			}
			col++
			i += size
			continue
		}
		i++
	}
	return line[i:]
}

// paragraph parses the paragraph starting at sc's line i.
func (p *textParser) paragraph(sc scope, i, depth int) (*Node, int) {
	n := sc.len()
	j := i + 1
	for j < n {
		w := sc.at(p, j)
		if w.blank || p.isBreak(w) {
			break
		}
		if b := p.bullet(w, depth); b.ok && (!b.ordered || b.num == 1) {
			break // a numbered line only interrupts prose when it counts from 1
		}
		if depth == 0 && (p.underlined(sc, j) || p.knownHeading(sc, j, false)) {
			break
		}
		j++
	}
	segs := make([]seg, 0, j-i)
	for k := i; k < j; k++ {
		v := sc.at(p, k)
		segs = append(segs, seg{v.off, v.end})
	}
	para := p.at(&Node{Kind: Paragraph}, segs[0].off)
	para.Children = p.inlines(segs)
	return para, j
}

// heading makes a heading of line v. A trailing colon is not part of it.
func (p *textParser) heading(v view, level int) *Node {
	end := v.end
	for end > v.off && p.src[end-1] == ':' {
		end--
	}
	end = v.off + len(bytes.TrimRightFunc(p.src[v.off:end], unicode.IsSpace))
	h := p.at(&Node{Kind: Heading, Level: level}, v.off)
	h.Children = p.inlines([]seg{{v.off, end}})
	return h
}

// headingText is a line's text as a heading would hold it.
func headingText(s []byte) string {
	return strings.TrimSpace(strings.TrimRight(string(s), ":"))
}

func adornLevel(c byte) int {
	if c == '=' {
		return 1
	}
	return 2
}

// adornment returns the character of an underline: a run of at least three
// of one of "=-~*" and nothing else; 0 when s is not one.
func adornment(s []byte) byte {
	if len(s) < 3 || !strings.ContainsRune("=-~*", rune(s[0])) {
		return 0
	}
	for _, c := range s {
		if c != s[0] {
			return 0
		}
	}
	return s[0]
}

// canHead reports whether v may be the text of an underlined heading.
func (p *textParser) canHead(v view) bool {
	return !v.blank && v.indent < 4 && !p.isBreak(v) && !p.bullet(v, 0).ok && headingText(p.content(v)) != ""
}

// underlined reports rule (a): sc's line i is followed by an underline of
// at least 3 characters and at least half its length.
func (p *textParser) underlined(sc scope, i int) bool {
	if i+1 >= sc.len() {
		return false
	}
	v := sc.at(p, i)
	if !p.canHead(v) {
		return false
	}
	u := p.content(sc.at(p, i+1))
	if adornment(u) == 0 {
		return false
	}
	return runesAtMost(p.content(v), 2*len(u))
}

// overlined reports an underlined heading with a matching line above it.
func (p *textParser) overlined(sc scope, i int) bool {
	if i+2 >= sc.len() {
		return false
	}
	o := p.content(sc.at(p, i))
	c := adornment(o)
	if c == 0 || !p.underlined(sc, i+1) {
		return false
	}
	return p.content(sc.at(p, i+2))[0] == c
}

// runesAtMost reports whether s has at most n characters, reading no more
// of s than it needs to.
func runesAtMost(s []byte, n int) bool {
	if len(s) <= n {
		return true
	}
	for i := 0; i < len(s); n-- {
		if n == 0 {
			return false
		}
		_, size := utf8.DecodeRune(s[i:])
		i += size
	}
	return true
}

// isBreak reports a line of three or more of one of "-*_=~", spaces
// allowed between them: a separator.
func (p *textParser) isBreak(v view) bool {
	var l *tline
	if !v.head {
		l = &p.lines[v.ln]
		if l.brk != 0 {
			return l.brk > 0
		}
	}
	s := p.content(v)
	ok := len(s) >= 3 && strings.ContainsRune("-*_=~", rune(s[0]))
	count := 0
	for i := 0; ok && i < len(s); i++ {
		switch s[i] {
		case s[0]:
			count++
		case ' ', '\t':
		default:
			ok = false
		}
	}
	ok = ok && count >= 3
	if l != nil {
		l.brk = -1
		if ok {
			l.brk = 1
		}
	}
	return ok
}

// standalone reports rule (b): a short line between blank lines (or at the
// start of the file) in Title Case, or of a few words ending with a colon.
func (p *textParser) standalone(sc scope, i int, prevBlank bool) bool {
	if !prevBlank || i+1 >= sc.len() || !sc.at(p, i+1).blank {
		return false
	}
	s := p.content(sc.at(p, i))
	if !runesAtMost(s, 80) || terminalPunct(s) {
		return false
	}
	if titleCase(s) {
		return true
	}
	// "What we changed:" is a heading; "We confirmed it from a bastion
	// host with this command:" leads into what follows.
	return s[len(s)-1] == ':' && headingText(s) != "" && len(bytes.Fields(s)) <= maxColonWords
}

// maxColonWords is the most words a heading that is only known by its
// trailing colon may have.
const maxColonWords = 8

// knownHeading reports rule (c): a short line naming a section the site
// knows. A line starting with a lower-case letter could be a wrapped line
// of prose that happens to hold only "impact"; it counts only when it ends
// with a colon or stands between blank lines.
func (p *textParser) knownHeading(sc scope, i int, prevBlank bool) bool {
	v := sc.at(p, i)
	ok, lower := p.knownLine(v)
	if !ok {
		return false
	}
	if !lower {
		return true
	}
	s := p.content(v)
	return s[len(s)-1] == ':' || (prevBlank && i+1 < sc.len() && sc.at(p, i+1).blank)
}

// knownLine reports whether line v names a known section, and whether it
// starts with a lower-case letter.
func (p *textParser) knownLine(v view) (ok, lower bool) {
	if p.known == nil || v.blank {
		return false, false
	}
	s := p.content(v)
	lower = startsLower(s)
	var l *tline
	if !v.head {
		l = &p.lines[v.ln]
		if l.known != 0 {
			return l.known > 0, lower
		}
	}
	ok = runesAtMost(s, 60) && !terminalPunct(s) && p.isKnown(headingText(s))
	if l != nil {
		l.known = -1
		if ok {
			l.known = 1
		}
	}
	return ok, lower
}

func (p *textParser) isKnown(text string) bool {
	if p.known == nil {
		return false
	}
	key := NormalizeHeading(text)
	return key != "" && p.known(key)
}

func startsLower(s []byte) bool {
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		if unicode.IsLetter(r) {
			return unicode.IsLower(r)
		}
		s = s[size:]
	}
	return false
}

// terminalPunct reports whether s ends like a sentence or a clause.
func terminalPunct(s []byte) bool {
	r, _ := utf8.DecodeLastRune(s)
	switch r {
	case '.', '!', '?', ',', ';', '…', '。', '！', '？', '，', '；':
		return true
	}
	return false
}

// titleCase reports whether more than half of the words of four or more
// letters in s start with a capital (or a letter without case).
func titleCase(s []byte) bool {
	counted, caps := 0, 0
	for _, w := range bytes.Fields(s) {
		letters, first := 0, rune(-1)
		for _, r := range string(w) {
			if unicode.IsLetter(r) {
				if first < 0 {
					first = r
				}
				letters++
			}
		}
		if letters < 4 {
			continue
		}
		counted++
		if !unicode.IsLower(first) {
			caps++
		}
	}
	return counted > 0 && 2*caps > counted
}

// seg is the trimmed content of one line of a paragraph or heading.
type seg struct{ off, end int }

// inlines turns lines of text into Text nodes joined by soft breaks, with bare
// http(s) URLs as Link nodes.
func (p *textParser) inlines(segs []seg) []*Node {
	var out []*Node
	var run strings.Builder
	var head *Node
	text := func(off int, s []byte) {
		if len(s) == 0 {
			return
		}
		if head == nil {
			head = p.at(&Node{Kind: Text}, off)
			out = append(out, head)
		}
		run.Write(s)
	}
	flush := func() {
		if head != nil {
			head.Literal = run.String()
			run.Reset()
			head = nil
		}
	}
	for k, sg := range segs {
		s := p.src[sg.off:sg.end]
		if k > 0 && len(out) > 0 {
			text(sg.off, []byte{'\n'})
		}
		for i := 0; i < len(s); {
			start, end := findURL(s, i)
			if start < 0 {
				text(sg.off+i, s[i:])
				break
			}
			text(sg.off+i, s[i:start])
			flush()
			u := string(s[start:end])
			l := p.at(&Node{Kind: Link, URL: u}, sg.off+start)
			l.Children = []*Node{{Kind: Text, Literal: u, Line: l.Line, Col: l.Col}}
			out = append(out, l)
			i = end
		}
	}
	flush()
	return out
}

// findURL finds the next bare http(s) URL in s at or after from, and
// returns its bounds, or -1. Trailing punctuation that ends the sentence
// around the URL is not part of it, nor is a closing bracket it did not
// open.
func findURL(s []byte, from int) (int, int) {
	for from < len(s) {
		k := bytes.Index(s[from:], []byte("http"))
		if k < 0 {
			return -1, -1
		}
		start := from + k
		from = start + 4
		if start > 0 && isWordByte(s[start-1]) {
			continue
		}
		rest := s[start:]
		n := 0
		switch {
		case bytes.HasPrefix(rest, []byte("https://")):
			n = 8
		case bytes.HasPrefix(rest, []byte("http://")):
			n = 7
		default:
			continue
		}
		if len(rest) <= n || !(isWordByte(rest[n]) || rest[n] == '[' || rest[n] >= 0x80) {
			continue
		}
		end := start + n
		for end < len(s) {
			c := s[end]
			if c < 0x80 {
				if c <= ' ' || c == '<' || c == '>' || c == '"' || c == '`' || c == 0x7f {
					break
				}
				end++
				continue
			}
			r, size := utf8.DecodeRune(s[end:])
			if unicode.IsSpace(r) || unicode.IsPunct(r) || r == utf8.RuneError {
				break
			}
			end += size
		}
		end = trimURL(s[start:end]) + start
		if end-start <= n {
			continue
		}
		return start, end
	}
	return -1, -1
}

// trimURL returns the length of u without trailing punctuation.
func trimURL(u []byte) int {
	parens := bytes.Count(u, []byte("(")) - bytes.Count(u, []byte(")"))
	brackets := bytes.Count(u, []byte("[")) - bytes.Count(u, []byte("]"))
	end := len(u)
	for ; end > 0; end-- {
		switch u[end-1] {
		case '.', ',', ';', ':', '!', '?', '\'', '"', '*', '_':
		case ')':
			if parens >= 0 {
				return end
			}
			parens++
		case ']':
			if brackets >= 0 {
				return end
			}
			brackets++
		default:
			return end
		}
	}
	return end
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
