package markup

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark"
	emast "github.com/yuin/goldmark-emoji/ast"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Markdown reads CommonMark with the GitHub extensions (tables,
// strikethrough, task lists, autolinks), footnotes and emoji shortcodes
// (see [ReplaceEmoji]), after YAML or TOML front matter. goldmark parses;
// this file converts goldmark's tree into the shared model, so nothing
// downstream depends on goldmark.
type Markdown struct {
	parser parser.Parser
	limits Limits
}

// NewMarkdown returns a Markdown reader. It is safe for concurrent use.
func NewMarkdown(limits Limits) *Markdown {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		// goldmark-emoji's parser, wrapped to agree with the RST reader
		// on where a shortcode may stand; its HTML renderer is not used,
		// since the model holds the emoji as text.
		goldmark.WithParserOptions(parser.WithInlineParsers(
			util.Prioritized(newEmojiParser(EmojiTable()), 999),
		)),
	)
	return &Markdown{parser: md.Parser(), limits: limits}
}

// Read implements [Reader].
func (m *Markdown) Read(name string, src []byte) (*Doc, error) {
	d, _, err := m.read(name, src)
	return d, err
}

// read is Read, also returning how many bytes were counted to place the
// nodes, so tests can check the work is linear without timing it.
func (m *Markdown) read(name string, src []byte) (*Doc, int, error) {
	src, err := Prepare(name, src)
	if err != nil {
		return nil, 0, err
	}
	fm, err := SplitFrontMatter(name, src)
	if err != nil {
		return nil, 0, err
	}
	d := &Doc{Path: name, Format: "markdown", Meta: fm.Fields}
	fm.Body = stripTemplateTags(d, fm.Body, fm.BodyLine)
	if body, line := tameNesting(fm.Body, m.limits.Depth()); line > 0 {
		d.Warnings = append(d.Warnings, Warning{
			Pos:     Pos{File: name, Line: fm.BodyLine + line - 1, Col: 1},
			Message: fmt.Sprintf("lists or quotes nested deeper than %d levels; deeper levels are shown flat", m.limits.Depth()),
			Hint:    "reduce the nesting",
		})
		fm.Body = body
	}
	c := &mdConverter{
		doc:    d,
		src:    fm.Body,
		str:    string(fm.Body),
		lines:  NewLineIndex(fm.Body, fm.BodyLine),
		limits: m.limits,
	}
	root := m.parser.Parse(text.NewReader(fm.Body))
	d.Body = c.blocks(root, 0)
	titleMeta := ""
	if f, ok := d.Lookup("title"); ok {
		titleMeta, _ = f.Value.(string)
	}
	promote := true
	if titleMeta != "" {
		// A heading that repeats the front matter's title is the title;
		// any other first heading is content and stays.
		promote = false
		for _, n := range d.Body {
			if n.Kind == Heading {
				promote = strings.EqualFold(strings.TrimSpace(InlineText(n)), strings.TrimSpace(titleMeta))
				break
			}
			if n.Kind != Comment {
				break
			}
		}
	}
	Finish(d, FinishOptions{PromoteTitle: promote})
	return d, c.lines.counted, nil
}

// tameNesting rewrites lines that nest deeper than depth: indentation past
// 4×depth columns is cut back to it, and container markers ("> ", "- ",
// "1. ") past the depth-th on one line are dropped. Nesting that deep is
// flattened anyway, and goldmark's cost per line grows with indentation
// times nesting, so a hostile file of deep lists would otherwise take
// minutes. It returns the first line it changed (1-based within src), or 0.
func tameNesting(src []byte, depth int) ([]byte, int) {
	maxIndent := 4 * depth
	first := 0
	var out []byte
	line := 1
	for off := 0; off < len(src); line++ {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off + 1
		}
		l := src[off:end]
		fixed, changed := tameLine(l, depth, maxIndent)
		if changed && first == 0 {
			first = line
			out = append(make([]byte, 0, len(src)), src[:off]...)
		}
		if first != 0 {
			out = append(out, fixed...)
		}
		off = end
	}
	if first == 0 {
		return src, 0
	}
	return out, first
}

// tameLine applies tameNesting's rules to one line.
func tameLine(l []byte, depth, maxIndent int) ([]byte, bool) {
	w, i := 0, 0
	for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
		if l[i] == '\t' {
			w += 4 - w%4
		} else {
			w++
		}
		i++
	}
	if w > maxIndent {
		return append(bytes.Repeat([]byte{' '}, maxIndent), l[i:]...), true
	}
	// Count container markers at the start of the line.
	j, markers, keep := 0, 0, -1
	for {
		k := j
		for n := 0; n < 4 && k < len(l) && l[k] == ' '; n++ {
			k++
		}
		m := markerLen(l[k:])
		if m == 0 {
			break
		}
		markers++
		if markers == depth {
			keep = k + m
		}
		j = k + m
	}
	if markers <= depth {
		return l, false
	}
	return append(append([]byte{}, l[:keep]...), l[j:]...), true
}

// markerLen returns the length of a block quote or list marker (with the
// space after it) at the start of b, or 0.
func markerLen(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	space := func(i int) bool { return i < len(b) && (b[i] == ' ' || b[i] == '\t') }
	switch b[0] {
	case '>':
		if space(1) {
			return 2
		}
		return 1
	case '-', '+', '*':
		if space(1) {
			return 2
		}
		return 0
	}
	n := 0
	for n < len(b) && n < 9 && b[n] >= '0' && b[n] <= '9' {
		n++
	}
	if n > 0 && n < len(b) && (b[n] == '.' || b[n] == ')') && space(n+1) {
		return n + 2
	}
	return 0
}

type mdConverter struct {
	doc *Doc
	src []byte
	// str is src as one string: text that needs no unescaping is a
	// substring of it, so a document of many small texts does not hold a
	// copy of each.
	str       string
	lines     *LineIndex
	limits    Limits
	flattened bool
	nodes     NodeAllocator
}

// node returns a new node of kind k at source offset off.
func (c *mdConverter) node(k Kind, off int) *Node {
	n := c.nodes.New(k)
	n.Line, n.Col = c.lines.Pos(off)
	return n
}

// blockPos finds the source offset of a block: its own position when
// goldmark kept one, else the first line of it or of a descendant.
func blockPos(n gast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	if n.Type() == gast.TypeBlock {
		if l := n.Lines(); l != nil && l.Len() > 0 {
			return l.At(0).Start
		}
	}
	if t, ok := n.(*gast.Text); ok {
		return t.Segment.Start
	}
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if p := blockPos(ch); p >= 0 {
			return p
		}
	}
	return -1
}

func (c *mdConverter) lineStart(off int) int {
	if off < 0 {
		return off
	}
	i := bytes.LastIndexByte(c.src[:min(off, len(c.src))], '\n')
	return i + 1
}

// children calls fn on each child of parent, detaching it from goldmark's
// tree once fn has converted it: the converted part of goldmark's tree is
// then garbage, and the two trees are not both whole at once.
func children(parent gast.Node, fn func(n gast.Node)) {
	for n := parent.FirstChild(); n != nil; {
		next := n.NextSibling()
		fn(n)
		parent.RemoveChild(parent, n)
		n = next
	}
}

// blocks converts the block children of parent. depth counts the
// containers (lists, quotes) around them.
func (c *mdConverter) blocks(parent gast.Node, depth int) []*Node {
	var out []*Node
	c.appendBlocks(&out, parent, depth)
	return out
}

func (c *mdConverter) appendBlocks(out *[]*Node, parent gast.Node, depth int) {
	children(parent, func(n gast.Node) { c.block(out, n, depth) })
}

// block appends the conversion of n to out.
func (c *mdConverter) block(out *[]*Node, n gast.Node, depth int) {
	off := blockPos(n)
	switch n := n.(type) {
	case *gast.Paragraph, *gast.TextBlock:
		p := c.node(Paragraph, off)
		p.Children = c.inlines(n)
		if len(p.Children) == 0 {
			return
		}
		*out = append(*out, p)
		return
	case *gast.Heading:
		h := c.node(Heading, c.lineStart(off))
		h.Level = n.Level
		h.Children = c.inlines(n)
		*out = append(*out, h)
		return
	case *gast.ThematicBreak:
		*out = append(*out, c.node(ThematicBreak, off))
		return
	case *gast.FencedCodeBlock:
		b := c.node(CodeBlock, c.lineStart(off))
		if n.Info != nil {
			b.Lang = string(n.Language(c.src))
		}
		b.Literal = c.linesText(n)
		*out = append(*out, b)
		return
	case *gast.CodeBlock:
		b := c.node(CodeBlock, c.lineStart(off))
		b.Literal = c.linesText(n)
		*out = append(*out, b)
		return
	case *gast.HTMLBlock:
		raw := c.linesText(n)
		if n.HasClosure() {
			raw += string(n.ClosureLine.Value(c.src))
		}
		kind := HTMLBlock
		if isOnlyComments(raw) {
			kind = Comment
		}
		b := c.node(kind, off)
		b.Literal = raw
		*out = append(*out, b)
		return
	case *gast.Blockquote:
		if depth >= c.limits.Depth() {
			c.flatten(off)
			c.appendBlocks(out, n, depth)
			return
		}
		q := c.node(BlockQuote, off)
		q.Children = c.blocks(n, depth+1)
		*out = append(*out, q)
		return
	case *gast.List:
		if depth >= c.limits.Depth() {
			c.flatten(off)
			children(n, func(it gast.Node) { c.appendBlocks(out, it, depth) })
			return
		}
		l := c.node(List, off)
		l.Ordered, l.Start, l.Tight = n.IsOrdered(), n.Start, n.IsTight
		children(n, func(it gast.Node) {
			item := c.node(ListItem, blockPos(it))
			item.Children = c.blocks(it, depth+1)
			if len(item.Children) > 0 && item.Children[0].Kind == Paragraph {
				p := item.Children[0]
				if len(p.Children) > 0 && p.Children[0].Kind == kindTaskMarker {
					item.Task = TaskOpen
					if p.Children[0].Literal == "x" {
						item.Task = TaskDone
					}
					p.Children = trimLeadingSpace(p.Children[1:])
				}
			}
			l.Children = append(l.Children, item)
		})
		if l.Line == 0 && len(l.Children) > 0 {
			l.Line, l.Col = l.Children[0].Line, l.Children[0].Col
		}
		*out = append(*out, l)
		return
	case *east.Table:
		t := c.node(Table, off)
		children(n, func(r gast.Node) {
			_, header := r.(*east.TableHeader)
			row := c.node(TableRow, blockPos(r))
			row.Header = header
			children(r, func(cell gast.Node) {
				tc := c.node(TableCell, blockPos(cell))
				tc.Children = c.inlines(cell)
				if cc, ok := cell.(*east.TableCell); ok {
					switch cc.Alignment {
					case east.AlignLeft:
						tc.Align = AlignLeft
					case east.AlignCenter:
						tc.Align = AlignCenter
					case east.AlignRight:
						tc.Align = AlignRight
					}
				}
				row.Children = append(row.Children, tc)
			})
			t.Children = append(t.Children, row)
		})
		*out = append(*out, t)
		return
	case *east.FootnoteList:
		fl := c.node(FootnoteList, off)
		children(n, func(f gast.Node) {
			fn, ok := f.(*east.Footnote)
			if !ok {
				return
			}
			x := c.node(Footnote, blockPos(fn))
			x.ID, x.Title = fmt.Sprintf("fn-%d", fn.Index), fmt.Sprint(fn.Index)
			x.Children = c.blocks(fn, depth+1)
			fl.Children = append(fl.Children, x)
		})
		*out = append(*out, fl)
		return
	case *east.DefinitionList:
		dl := c.node(DefinitionList, off)
		children(n, func(ch gast.Node) {
			switch ch.(type) {
			case *east.DefinitionTerm:
				t := c.node(DefinitionTerm, blockPos(ch))
				t.Children = c.inlines(ch)
				dl.Children = append(dl.Children, t)
			default:
				d := c.node(Definition, blockPos(ch))
				d.Children = c.blocks(ch, depth+1)
				dl.Children = append(dl.Children, d)
			}
		})
		*out = append(*out, dl)
		return
	}
	if n.Type() == gast.TypeInline {
		p := c.node(Paragraph, off)
		var run textRun
		c.inline(&p.Children, &run, n)
		run.flush()
		*out = append(*out, p)
		return
	}
	// A block kind this converter does not know: keep its content.
	c.appendBlocks(out, n, depth)
}

func (c *mdConverter) flatten(off int) {
	if c.flattened {
		return
	}
	c.flattened = true
	line, col := c.lines.Pos(off)
	c.doc.Warnings = append(c.doc.Warnings, Warning{
		Pos:     Pos{File: c.doc.Path, Line: line, Col: col},
		Message: fmt.Sprintf("lists or quotes nested deeper than %d levels; deeper levels are shown flat", c.limits.Depth()),
		Hint:    "reduce the nesting",
	})
}

func (c *mdConverter) linesText(n gast.Node) string {
	l := n.Lines()
	if l.Len() == 1 && l.At(0).Padding == 0 {
		seg := l.At(0)
		return c.str[seg.Start:seg.Stop]
	}
	var b strings.Builder
	for i := 0; i < l.Len(); i++ {
		seg := l.At(i)
		b.Write(seg.Value(c.src))
	}
	return b.String()
}

// kindTaskMarker is a converter-internal marker for a task checkbox before
// it is moved onto its list item; it never leaves this file.
const kindTaskMarker Kind = 255

// textRun is a run of adjacent text being merged into its first node, so
// that each run of words is one node. While the run is one stretch of the
// source (lines of a paragraph written without indentation), its text is
// a substring of the source, not a copy.
type textRun struct {
	head     *Node
	lit      string // the text, while it is not in b
	from, to int    // the stretch of the source lit is; from < 0 when none
	b        strings.Builder
	built    bool // the text is in b
}

// addText appends text lit, which is c.str[from:to] when from >= 0, to
// the run, or starts a run with it in a new node at source offset off (no
// position when off < 0).
func (c *mdConverter) addText(out *[]*Node, r *textRun, lit string, from, to, off int) {
	if r.head == nil {
		if off >= 0 {
			r.head = c.node(Text, off)
		} else {
			r.head = c.nodes.New(Text)
		}
		*out = append(*out, r.head)
		r.lit, r.from, r.to, r.built = lit, from, to, false
		return
	}
	if !r.built {
		if r.from >= 0 && from == r.to {
			r.to = to
			r.lit = c.str[r.from:r.to]
			return
		}
		r.b.Reset()
		r.b.WriteString(r.lit)
		r.built = true
	}
	r.b.WriteString(lit)
}

// flush ends the run, giving its node its text.
func (r *textRun) flush() {
	if r.head == nil {
		return
	}
	if r.built {
		r.head.Literal = r.b.String()
	} else {
		r.head.Literal = r.lit
	}
	r.head = nil
}

// add appends a node that is not text, ending the run.
func (r *textRun) add(out *[]*Node, n *Node) {
	r.flush()
	*out = append(*out, n)
}

func (c *mdConverter) inlines(parent gast.Node) []*Node {
	var out []*Node
	var run textRun
	children(parent, func(n gast.Node) { c.inline(&out, &run, n) })
	run.flush()
	return out
}

func unescape(b []byte) string {
	// A character reference (&#27;) can spell a control character.
	return StripControls(string(util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames(b)))))
}

// needsUnescape reports whether b holds an escape or a character
// reference: the only text unescape changes.
func needsUnescape(b []byte) bool {
	return bytes.IndexByte(b, '\\') >= 0 || bytes.IndexByte(b, '&') >= 0
}

// segText returns the text of a segment of the source, unescaped unless
// raw, and the stretch of the source it is, if it is one (from < 0 if not).
func (c *mdConverter) segText(seg text.Segment, raw bool) (s string, from, to int) {
	v := seg.Value(c.src)
	if seg.Padding == 0 && (raw || !needsUnescape(v)) {
		return c.str[seg.Start:seg.Stop], seg.Start, seg.Stop
	}
	if raw {
		return string(v), -1, -1
	}
	return unescape(v), -1, -1
}

// inline appends the conversion of n to out, merging text into run.
func (c *mdConverter) inline(out *[]*Node, run *textRun, n gast.Node) {
	switch n := n.(type) {
	case *gast.Text:
		s, from, to := c.segText(n.Segment, n.IsRaw())
		switch {
		case n.HardLineBreak():
			c.addText(out, run, s, from, to, n.Segment.Start)
			run.add(out, c.nodes.New(LineBreak))
			return
		case n.SoftLineBreak():
			if from >= 0 && to < len(c.str) && c.str[to] == '\n' {
				to++
				s = c.str[from:to]
			} else {
				s += "\n"
				from, to = -1, -1
			}
		}
		c.addText(out, run, s, from, to, n.Segment.Start)
		return
	case *gast.String:
		if n.IsCode() || n.IsRaw() {
			c.addText(out, run, string(n.Value), -1, -1, -1)
			return
		}
		c.addText(out, run, unescape(n.Value), -1, -1, -1)
		return
	case *gast.CodeSpan:
		x := c.node(Code, blockPos(n))
		var b strings.Builder
		for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
			if t, ok := ch.(*gast.Text); ok {
				v := t.Segment.Value(c.src)
				b.Write(bytes.TrimSuffix(v, []byte("\n")))
				if bytes.HasSuffix(v, []byte("\n")) {
					b.WriteByte(' ')
				}
			} else if s, ok := ch.(*gast.String); ok {
				b.Write(s.Value)
			}
		}
		x.Literal = b.String()
		run.add(out, x)
		return
	case *gast.Emphasis:
		k := Emphasis
		if n.Level >= 2 {
			k = Strong
		}
		x := c.nodes.New(k)
		x.Children = c.inlines(n)
		run.add(out, x)
		return
	case *gast.Link:
		x := c.node(Link, blockPos(n))
		x.URL, x.Title = unescape(n.Destination), unescape(n.Title)
		x.Children = c.inlines(n)
		run.add(out, x)
		return
	case *gast.Image:
		img := c.node(Image, blockPos(n))
		img.URL, img.Title = unescape(n.Destination), unescape(n.Title)
		img.Literal = InlineText(&Node{Children: c.inlines(n)})
		c.asset(img)
		run.add(out, img)
		return
	case *gast.AutoLink:
		u := string(n.URL(c.src))
		label := string(n.Label(c.src))
		if n.AutoLinkType == gast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
			u = "mailto:" + u
		}
		x := c.nodes.New(Link)
		x.URL = u
		t := c.nodes.New(Text)
		t.Literal = label
		x.Children = []*Node{t}
		run.add(out, x)
		return
	case *gast.RawHTML:
		var b strings.Builder
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			b.Write(seg.Value(c.src))
		}
		if isOnlyComments(b.String()) {
			return
		}
		x := c.nodes.New(RawHTML)
		x.Literal = b.String()
		run.add(out, x)
		return
	case *east.Strikethrough:
		x := c.nodes.New(Strikethrough)
		x.Children = c.inlines(n)
		run.add(out, x)
		return
	case *east.TaskCheckBox:
		x := c.nodes.New(kindTaskMarker)
		if n.IsChecked {
			x.Literal = "x"
		}
		run.add(out, x)
		return
	case *east.FootnoteLink:
		x := c.nodes.New(FootnoteRef)
		x.ID, x.Literal = fmt.Sprintf("fn-%d", n.Index), fmt.Sprint(n.Index)
		run.add(out, x)
		return
	case *east.FootnoteBacklink:
		return
	case *emast.Emoji:
		c.addText(out, run, string(n.Value.Unicode), -1, -1, n.Pos())
		return
	}
	children(n, func(ch gast.Node) { c.inline(out, run, ch) })
}

// asset records a local image so the site can copy it, and drops an
// absolute source: only the site knows whether a relative one that climbs
// out of the document's folder stays inside the content folder.
func (c *mdConverter) asset(img *Node) {
	p, ok := LocalPath(img.URL)
	if !ok {
		return
	}
	pos := Pos{File: c.doc.Path, Line: img.Line, Col: img.Col}
	if p == "" {
		c.doc.Warnings = append(c.doc.Warnings, Warning{Pos: pos,
			Message: fmt.Sprintf("image %q is an absolute path and is not published", img.URL),
			Hint:    "write the path relative to the postmortem's file"})
		img.URL = ""
		return
	}
	c.doc.Assets = append(c.doc.Assets, Asset{Path: p, Pos: pos})
}

// LocalPath reports whether u refers to a local file, and returns its path
// relative to the document, cleaned; it may climb ("../media/x.png"). The
// path is empty when u is absolute.
func LocalPath(u string) (string, bool) {
	if u == "" || strings.HasPrefix(u, "#") || strings.HasPrefix(u, "//") {
		return "", false
	}
	pu, err := url.Parse(u)
	if err != nil || pu.Scheme != "" || pu.Host != "" {
		return "", false
	}
	p := pu.Path
	if p == "" {
		return "", false
	}
	if strings.HasPrefix(p, "/") || strings.Contains(p, "\\") {
		return "", true
	}
	p = path.Clean(p)
	if p == ".." || p == "." {
		return "", true
	}
	return p, true
}

func trimLeadingSpace(ns []*Node) []*Node {
	if len(ns) > 0 && ns[0].Kind == Text {
		ns[0].Literal = strings.TrimLeft(ns[0].Literal, " \t")
		if ns[0].Literal == "" {
			ns = ns[1:]
		}
	}
	return ns
}

// isOnlyComments reports whether raw HTML holds nothing but comments and
// space, like "<!-- more -->": a note to the author, not content.
func isOnlyComments(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return true
	}
	for s != "" {
		if !strings.HasPrefix(s, "<!--") {
			return false
		}
		end := strings.Index(s, "-->")
		if end < 0 {
			return false
		}
		s = strings.TrimSpace(s[end+3:])
	}
	return true
}
