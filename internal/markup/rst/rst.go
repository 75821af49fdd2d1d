// Package rst reads reStructuredText into the document model of package
// markup, natively: no docutils and no Python at run time. It follows the
// reference parser (docutils) closely, so that a postmortem's title, section
// tree and text come out as docutils would give them, and it records what it
// recovered from as warnings rather than failing.
//
// It does not render (the shared renderer in package markup does), and it
// never reads other files or the network: include and file options of
// directives are refused with a warning.
//
// # How it reads
//
// Like docutils, the reader works line by line over blocks of lines whose
// common indentation has been removed. Each construct family lives in its own
// file: section.go (titles, transitions), paragraph.go, list.go (bullet,
// enumerated, definition, field and option lists), literal.go (literal blocks,
// line blocks, doctest), quote.go, table.go (grid and simple tables),
// inline.go, role.go, target.go (hyperlink targets, footnotes, citations),
// substitution.go and directive.go with one directive_<name>.go per
// directive.
//
// Hostile input costs linear time: nesting deeper than [markup.Limits.Depth]
// is flattened with one warning, inline markup is matched with forward-only
// scans, and the number of warnings kept per document is bounded.
package rst

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark-emoji/definition"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Reader reads reStructuredText. It holds no state between calls and is safe
// for concurrent use.
type Reader struct {
	limits markup.Limits
	emoji  definition.Emojis
}

// New returns a reader bounded by limits. Emoji shortcodes in text become
// emoji, as in Markdown (see [markup.ReplaceEmoji]).
func New(limits markup.Limits) *Reader {
	return &Reader{limits: limits, emoji: markup.EmojiTable()}
}

// Read implements [markup.Reader]. The only error it returns is a
// [*markup.Error] for input that is not UTF-8 text.
func (r *Reader) Read(name string, src []byte) (*markup.Doc, error) {
	d, _, err := r.read(name, src)
	return d, err
}

// read is Read, also returning how many bytes were walked to place the
// nodes, so tests can check the work is linear without timing it.
func (r *Reader) read(name string, src []byte) (*markup.Doc, int, error) {
	src, err := markup.Prepare(name, src)
	if err != nil {
		return nil, 0, err
	}
	p := newParser(name, string(src), r.limits)
	p.emoji = r.emoji
	p.run()
	return p.doc, p.posWork, nil
}

// maxWarnings bounds the warnings kept for one document: a generated file
// can hold millions of problems, and the first ones are the useful ones.
const maxWarnings = 200

// tabWidth is the tab stop docutils uses.
const tabWidth = 8

// line is one source line as a block sees it: s is the text with the
// indentation of every enclosing block removed (and, for the first line of
// a list item or field, the marker), n is the 0-based index of the source
// line and c the byte offset in the tab-expanded line where s starts.
type line struct {
	s string
	n int
	c int
}

// ctx is what a nested parse knows about where it is.
type ctx struct {
	depth int
	// titles is set only at the top level of the document, where section
	// titles are allowed.
	titles bool
	// subst is set inside a substitution definition.
	subst bool
}

// parser holds the state of reading one document.
type parser struct {
	name     string
	doc      *markup.Doc
	src      []string // lines as in the file
	exp      []string // lines with tabs expanded and trailing space removed
	maxDepth int

	warned    int
	flattened bool
	sec       sectionState
	refs      refState
	notes     noteState
	subst     substState
	roles     roleState
	highlight string
	messages  map[*markup.Node]bool // nodes standing for docutils system messages
	lineIndex map[int][]checkpoint  // position checkpoints of long lines
	cursor    posCursor             // the place of the last position asked for
	// plainLines caches plain: 0 not yet known, 1 yes, -1 no.
	plainLines []int8
	posWork    int          // bytes walked by pos, for tests
	sectnum    *sectnumOpts // set by the first sectnum directive
	nodes      markup.NodeAllocator
	// emoji is the table of shortcodes replaced in text; nil replaces none.
	emoji definition.Emojis
}

func newParser(name, src string, limits markup.Limits) *parser {
	p := &parser{
		name:     name,
		doc:      &markup.Doc{Path: name, Format: "rst"},
		maxDepth: limits.Depth(),
		messages: map[*markup.Node]bool{},
		cursor:   posCursor{n: -1},
	}
	p.src = strings.Split(src, "\n")
	if n := len(p.src); n > 0 && p.src[n-1] == "" {
		p.src = p.src[:n-1]
	}
	p.exp = make([]string, len(p.src))
	for i, s := range p.src {
		p.exp[i] = expandLine(s)
	}
	p.refs.init()
	p.subst.init()
	p.roles.init()
	p.notes.init()
	return p
}

// expandLine does what docutils does to every input line: vertical tabs and
// form feeds become spaces, tabs are expanded to stops of 8 and trailing
// whitespace goes.
func expandLine(s string) string {
	if strings.ContainsAny(s, "\t\v\f") {
		var b strings.Builder
		col := 0
		for _, r := range s {
			switch r {
			case '\t':
				n := tabWidth - col%tabWidth
				b.WriteString(strings.Repeat(" ", n))
				col += n
				continue
			case '\v', '\f':
				r = ' '
			}
			b.WriteRune(r)
			col++
		}
		s = b.String()
	}
	return strings.TrimRightFunc(s, unicode.IsSpace)
}

func (p *parser) run() {
	b := make([]line, len(p.exp))
	for i, s := range p.exp {
		b[i] = line{s: s, n: i}
	}
	body := p.parse(b, ctx{titles: true})
	p.doc.Body = body
	p.noteLabelTitles()
	p.resolveSubstitutions()
	p.resolveFootnotes()
	p.frontMatter()
	p.substitutionMeta()
	markup.Finish(p.doc, markup.FinishOptions{})
	if p.sectnum != nil {
		unnumberKeys(p.doc.Sections)
	}
	p.resolveReferences()
	p.doc.Body = spliceAll(p.doc.Body)
	sort.SliceStable(p.doc.Warnings, func(i, j int) bool {
		a, b := p.doc.Warnings[i].Pos, p.doc.Warnings[j].Pos
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	if p.warned > maxWarnings {
		p.doc.Warnings = append(p.doc.Warnings, markup.Warning{
			Pos:     markup.Pos{File: p.name},
			Message: fmt.Sprintf("%d more problems not shown", p.warned-maxWarnings),
		})
	}
}

// pos returns the file position of byte offset off in the expanded text of
// source line n, counting columns in characters of the line as written.
func (p *parser) pos(n, off int) (int, int) {
	if n < 0 || n >= len(p.src) {
		return n + 1, 0
	}
	e := p.exp[n]
	off = max(0, min(off, len(e)))
	orig := p.src[n]
	plain := p.plain(n)
	// Count from the nearest place before off whose column is known: the
	// last answer (positions are mostly asked for in order), a
	// checkpoint of a long line (they are not always), or the line start.
	// Each answer then costs no more than the distance from there.
	from := checkpoint{col: 1}
	if len(e) >= longLine {
		cp := p.checkpoints(n)
		k := sort.Search(len(cp), func(i int) bool { return cp[i].exp > off }) - 1
		from = cp[max(k, 0)]
	}
	if c := p.cursor; c.n == n && c.exp <= off && c.exp >= from.exp {
		from = c.checkpoint
	}
	at := from
	if plain {
		// No tabs before the end of the text: offsets agree.
		at.exp, at.orig = off, off
		at.col += utf8.RuneCountInString(e[from.exp:off])
		p.posWork += off - from.exp
		if off < len(e) && !utf8.RuneStart(e[off]) {
			// Not a place to count on from.
			return n + 1, at.col
		}
	} else {
		for at.orig < len(orig) && at.exp < off {
			r, size := utf8.DecodeRuneInString(orig[at.orig:])
			if r == '\t' {
				w := tabWidth - at.width%tabWidth
				at.width += w
				at.exp += w
			} else {
				at.width++
				at.exp += utf8.RuneLen(r)
			}
			at.col++
			at.orig += size
		}
		p.posWork += at.orig - from.orig
	}
	p.cursor = posCursor{n: n, checkpoint: at}
	return n + 1, at.col
}

// plain reports whether source line n has no tab before the end of its
// text, so that offsets in it as written and as expanded agree.
func (p *parser) plain(n int) bool {
	if p.plainLines == nil {
		p.plainLines = make([]int8, len(p.src))
	}
	switch p.plainLines[n] {
	case 1:
		return true
	case -1:
		return false
	}
	orig, e := p.src[n], p.exp[n]
	plain := len(orig) >= len(e) && orig[:len(e)] == e
	p.plainLines[n] = -1
	if plain {
		p.plainLines[n] = 1
	}
	return plain
}

// longLine is the length from which a line gets position checkpoints.
const longLine = 2048

// checkpoint is a place on a line: byte offsets in the line as written and
// as expanded, the 1-based column there and the width in columns of the
// line before it (which places the next tab stop).
type checkpoint struct{ orig, exp, col, width int }

// posCursor is the place of the last position asked for, on line n.
type posCursor struct {
	n int
	checkpoint
}

// checkpointEvery is how many columns apart a long line's checkpoints are:
// the most an answer counts when it cannot go on from the last one (the
// text before a reference is placed after the reference).
const checkpointEvery = 64

// checkpoints returns a long line's checkpoints.
func (p *parser) checkpoints(n int) []checkpoint {
	if cp, ok := p.lineIndex[n]; ok {
		return cp
	}
	orig := p.src[n]
	cp := []checkpoint{{0, 0, 1, 0}}
	exp, col, width := 0, 1, 0
	for i, r := range orig {
		if (col-1)%checkpointEvery == 0 && col > 1 {
			cp = append(cp, checkpoint{i, exp, col, width})
		}
		if r == '\t' {
			w := tabWidth - width%tabWidth
			width += w
			exp += w
		} else {
			width++
			exp += utf8.RuneLen(r)
		}
		col++
	}
	if p.lineIndex == nil {
		p.lineIndex = map[int][]checkpoint{}
	}
	p.lineIndex[n] = cp
	return cp
}

// node returns a new node of kind k at the start of l's text.
func (p *parser) node(k markup.Kind, l line) *markup.Node {
	return p.at(p.nodes.New(k), l)
}

func (p *parser) at(n *markup.Node, l line) *markup.Node {
	n.Line, n.Col = p.pos(l.n, l.c+leadingSpace(l.s))
	return n
}

func (p *parser) posOf(l line) markup.Pos {
	ln, col := p.pos(l.n, l.c+leadingSpace(l.s))
	return markup.Pos{File: p.name, Line: ln, Col: col}
}

// warn records a problem the reader recovered from, at line l.
func (p *parser) warn(l line, format string, args ...any) {
	p.warnHint(l, "", format, args...)
}

func (p *parser) warnHint(l line, hint, format string, args ...any) {
	if p.full() {
		p.warned++
		return
	}
	p.warnAt(p.posOf(l), hint, format, args...)
}

func (p *parser) warnAt(pos markup.Pos, hint, format string, args ...any) {
	p.warned++
	if p.warned > maxWarnings {
		return
	}
	p.addWarning(pos, hint, format, args...)
}

// full reports whether no more warnings are kept, so that callers can
// skip working out where a dropped warning would be.
func (p *parser) full() bool { return p.warned >= maxWarnings }

func (p *parser) addWarning(pos markup.Pos, hint, format string, args ...any) {
	p.doc.Warnings = append(p.doc.Warnings, markup.Warning{Pos: pos, Message: fmt.Sprintf(format, args...), Hint: hint})
}

// message marks n as standing in for a docutils system message: content
// shown because of an error. Like a system message it does not keep a
// heading from becoming the document title.
func (p *parser) message(n *markup.Node) *markup.Node {
	p.messages[n] = true
	return n
}

// sourceBlock shows a construct's source verbatim, from its first line
// (as the enclosing block sees it) to source line last, the way docutils
// shows the source of a construct it could not read. Indentation is
// kept relative to the first line.
func (p *parser) sourceBlock(first line, last int) *markup.Node {
	last = min(last, len(p.exp)-1)
	lines := []string{first.s}
	for i := first.n + 1; i <= last; i++ {
		l := p.exp[i]
		lines = append(lines, l[min(first.c, leadingSpace(l)):])
	}
	for len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	n := p.at(&markup.Node{Kind: markup.CodeBlock, Literal: strings.Join(lines, "\n") + "\n"}, first)
	return p.message(n)
}

// parse reads the body elements of a block. It is docutils' Body state:
// the first line of each construct decides what the construct is.
func (p *parser) parse(b []line, c ctx) []*markup.Node {
	var out []*markup.Node
	for i := 0; i < len(b); {
		i = p.body(b, i, c, &out)
	}
	return out
}

// nested parses the content of a container one level deeper, or flat when
// the nesting limit is reached.
func (p *parser) nested(b []line, c ctx) []*markup.Node {
	if c.depth+1 >= p.maxDepth {
		return p.flat(b)
	}
	return p.parse(b, ctx{depth: c.depth + 1})
}

// flat reads a block past the nesting limit as plain paragraphs, without
// looking for any further structure, so that no input can make the reader
// recurse deeper.
func (p *parser) flat(b []line) []*markup.Node {
	if !p.flattened && len(b) > 0 {
		p.flattened = true
		p.warnHint(b[0], "reduce the nesting", "lists, quotes or directives nested deeper than %d levels; deeper levels are shown flat", p.maxDepth)
	}
	var out []*markup.Node
	for i := 0; i < len(b); {
		if b[i].s == "" {
			i++
			continue
		}
		j := i
		var lines []line
		for j < len(b) && b[j].s != "" {
			l := b[j]
			k := leadingSpace(l.s)
			lines = append(lines, line{s: l.s[k:], n: l.n, c: l.c + k})
			j++
		}
		out = append(out, p.paragraphNode(lines, lines))
		i = j
	}
	return out
}

// kind names the transition docutils' Body state would take on a line.
type kind int

const (
	kBlank kind = iota
	kIndent
	kBullet
	kEnum
	kField
	kOption
	kDoctest
	kLineBlock
	kGridTop
	kSimpleTop
	kExplicit
	kAnonymous
	kLine
	kText
)

// classify returns the first Body transition whose pattern matches s.
func classify(s string) kind {
	switch {
	case s == "":
		return kBlank
	case s[0] == ' ':
		return kIndent
	case bulletEnd(s) > 0:
		return kBullet
	}
	if _, ok := matchEnum(s); ok {
		return kEnum
	}
	if _, _, ok := matchField(s); ok {
		return kField
	}
	if (s[0] == '-' || s[0] == '+' || s[0] == '/') && optionRE.MatchString(s) {
		return kOption
	}
	switch {
	case markerEnd(s, ">>>") > 0:
		return kDoctest
	case markerEnd(s, "|") > 0:
		return kLineBlock
	case s[0] == '+' && gridTopRE.MatchString(s):
		return kGridTop
	case s[0] == '=' && simpleTopRE.MatchString(s):
		return kSimpleTop
	case markerEnd(s, "..") > 0:
		return kExplicit
	case markerEnd(s, "__") > 0:
		return kAnonymous
	case isLineMarker(s):
		return kLine
	}
	return kText
}

// markerEnd matches `marker( +|$)` at the start of s and returns the end of
// the match, or -1.
func markerEnd(s, marker string) int {
	if !strings.HasPrefix(s, marker) {
		return -1
	}
	i := len(marker)
	if i == len(s) {
		return i
	}
	if s[i] != ' ' {
		return -1
	}
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// body reads the construct starting at b[i] and returns the index of the
// first line after it.
func (p *parser) body(b []line, i int, c ctx, out *[]*markup.Node) int {
	s := b[i].s
	switch classify(s) {
	case kBlank:
		return i + 1
	case kIndent:
		return p.blockQuote(b, i, c, out)
	case kBullet:
		return p.bulletList(b, i, c, out)
	case kEnum:
		if j, ok := p.enumList(b, i, c, out); ok {
			return j
		}
	case kField:
		return p.fieldList(b, i, c, out)
	case kOption:
		if j, ok := p.optionList(b, i, c, out); ok {
			return j
		}
	case kDoctest:
		return p.doctest(b, i, out)
	case kLineBlock:
		return p.lineBlock(b, i, c, out)
	case kGridTop:
		return p.gridTable(b, i, c, out)
	case kSimpleTop:
		return p.simpleTable(b, i, c, out)
	case kExplicit:
		return p.explicit(b, i, c, out)
	case kAnonymous:
		return p.anonymousTarget(b, i, c, out)
	case kLine:
		if j, ok := p.lineMarker(b, i, c, out); ok {
			return j
		}
	}
	return p.text(b, i, c, out)
}

// getIndented collects the block of lines starting at b[start] that are
// blank or indented, as docutils' StringList.get_indented does.
//
// blockIndent >= 0 requires every line after the first to be indented by
// at least that many columns and strips exactly that much; otherwise the
// smallest indentation of the lines after the first is stripped.
// firstIndent >= 0 takes the first line whatever its indentation, from that
// byte offset on. It returns the block, the indentation stripped, the index
// after the block and whether the block ended with a blank line or the end
// of the input.
func getIndented(b []line, start int, untilBlank, strip bool, blockIndent, firstIndent int) ([]line, int, int, bool) {
	indent := blockIndent
	end := start
	if blockIndent >= 0 && firstIndent < 0 {
		firstIndent = blockIndent
	}
	if firstIndent >= 0 {
		end++
	}
	blankFinish := true
	for end < len(b) {
		s := b[end].s
		if s != "" && (s[0] != ' ' || (blockIndent >= 0 && leadingSpace(s) < blockIndent)) {
			blankFinish = end > start && b[end-1].s == ""
			break
		}
		if s == "" {
			if untilBlank {
				blankFinish = true
				break
			}
		} else if blockIndent < 0 {
			k := leadingSpace(s)
			if indent < 0 || k < indent {
				indent = k
			}
		}
		end++
	}
	out := make([]line, end-start)
	copy(out, b[start:end])
	from := 0
	if firstIndent >= 0 && len(out) > 0 {
		l := out[0]
		k := min(firstIndent, len(l.s))
		out[0] = line{s: l.s[k:], n: l.n, c: l.c + k}
		from = 1
	}
	if indent > 0 && strip {
		for i := from; i < len(out); i++ {
			l := out[i]
			k := min(indent, len(l.s))
			out[i] = line{s: l.s[k:], n: l.n, c: l.c + k}
		}
	}
	if indent < 0 {
		indent = 0
	}
	return out, indent, end, blankFinish
}

// trimBlank removes blank lines at the start and end of a block.
func trimBlank(b []line) []line {
	for len(b) > 0 && b[0].s == "" {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1].s == "" {
		b = b[:len(b)-1]
	}
	return b
}

// textBlock returns the end of the run of non-blank lines starting at
// start. With flushLeft, an indented line also ends it, and indented
// reports that it did.
func textBlock(b []line, start int, flushLeft bool) (end int, indented bool) {
	end = start
	for end < len(b) {
		s := b[end].s
		if s == "" {
			break
		}
		if flushLeft && s[0] == ' ' {
			return end, true
		}
		end++
	}
	return end, false
}

func leadingSpace(s string) int {
	i := 0
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// unindentWarning is docutils' "<construct> ends without a blank line;
// unexpected unindent", reported at the line that follows the construct.
func (p *parser) unindentWarning(b []line, end int, what string) {
	l := b[min(end, len(b)-1)]
	if end >= len(b) {
		return
	}
	what = strings.ToLower(what)
	p.warnHint(l, "add a blank line before this line, or indent it to continue the "+what,
		"%s ends without a blank line; unexpected unindent", what)
}

// Width is the width of s in columns, as docutils counts it when it checks
// that a title's underline is long enough: East Asian wide characters take
// two, combining characters none.
func Width(s string) int { return columnWidth(s) }

// columnWidth is the width of s in columns, as docutils counts it: East
// Asian wide characters take two, combining characters none.
func columnWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r < 0x300:
			w++
		case unicode.Is(combiningTable, r):
		case unicode.Is(wideTable, r):
			w += 2
		default:
			w++
		}
	}
	return w
}
