package markup

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Markdown reads CommonMark with the GitHub extensions (tables,
// strikethrough, task lists, autolinks) and footnotes, after YAML or TOML
// front matter. goldmark parses; this file converts goldmark's tree into the
// shared model, so nothing downstream depends on goldmark.
type Markdown struct {
	parser parser.Parser
	limits Limits
}

// NewMarkdown returns a Markdown reader. It is safe for concurrent use.
func NewMarkdown(limits Limits) *Markdown {
	md := goldmark.New(goldmark.WithExtensions(
		extension.GFM,
		extension.Footnote,
	))
	return &Markdown{parser: md.Parser(), limits: limits}
}

// Read implements [Reader].
func (m *Markdown) Read(name string, src []byte) (*Doc, error) {
	src, err := Prepare(name, src)
	if err != nil {
		return nil, err
	}
	fm, err := SplitFrontMatter(name, src)
	if err != nil {
		return nil, err
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
	return d, nil
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
	doc       *Doc
	src       []byte
	lines     *LineIndex
	limits    Limits
	flattened bool
}

func (c *mdConverter) at(n *Node, off int) *Node {
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

// blocks converts the block children of parent. depth counts the
// containers (lists, quotes) around them.
func (c *mdConverter) blocks(parent gast.Node, depth int) []*Node {
	var out []*Node
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		out = append(out, c.block(n, depth)...)
	}
	return out
}

func (c *mdConverter) block(n gast.Node, depth int) []*Node {
	off := blockPos(n)
	switch n := n.(type) {
	case *gast.Paragraph, *gast.TextBlock:
		kids := c.inlines(n)
		if len(kids) == 0 {
			return nil
		}
		return []*Node{c.at(&Node{Kind: Paragraph, Children: kids}, off)}
	case *gast.Heading:
		return []*Node{c.at(&Node{Kind: Heading, Level: n.Level, Children: c.inlines(n)}, c.lineStart(off))}
	case *gast.ThematicBreak:
		return []*Node{c.at(&Node{Kind: ThematicBreak}, off)}
	case *gast.FencedCodeBlock:
		lang := ""
		if n.Info != nil {
			lang = string(n.Language(c.src))
		}
		return []*Node{c.at(&Node{Kind: CodeBlock, Lang: lang, Literal: c.linesText(n)}, c.lineStart(off))}
	case *gast.CodeBlock:
		return []*Node{c.at(&Node{Kind: CodeBlock, Literal: c.linesText(n)}, c.lineStart(off))}
	case *gast.HTMLBlock:
		raw := c.linesText(n)
		if n.HasClosure() {
			raw += string(n.ClosureLine.Value(c.src))
		}
		kind := HTMLBlock
		if isOnlyComments(raw) {
			kind = Comment
		}
		return []*Node{c.at(&Node{Kind: kind, Literal: raw}, off)}
	case *gast.Blockquote:
		if depth >= c.limits.Depth() {
			c.flatten(off)
			return c.blocks(n, depth)
		}
		return []*Node{c.at(&Node{Kind: BlockQuote, Children: c.blocks(n, depth+1)}, off)}
	case *gast.List:
		if depth >= c.limits.Depth() {
			c.flatten(off)
			var out []*Node
			for it := n.FirstChild(); it != nil; it = it.NextSibling() {
				out = append(out, c.blocks(it, depth)...)
			}
			return out
		}
		l := c.at(&Node{Kind: List, Ordered: n.IsOrdered(), Start: n.Start, Tight: n.IsTight}, off)
		for it := n.FirstChild(); it != nil; it = it.NextSibling() {
			item := c.at(&Node{Kind: ListItem}, blockPos(it))
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
		}
		if l.Line == 0 && len(l.Children) > 0 {
			l.Line, l.Col = l.Children[0].Line, l.Children[0].Col
		}
		return []*Node{l}
	case *east.Table:
		t := c.at(&Node{Kind: Table}, off)
		for r := n.FirstChild(); r != nil; r = r.NextSibling() {
			_, header := r.(*east.TableHeader)
			row := c.at(&Node{Kind: TableRow, Header: header}, blockPos(r))
			for cell := r.FirstChild(); cell != nil; cell = cell.NextSibling() {
				tc := c.at(&Node{Kind: TableCell, Children: c.inlines(cell)}, blockPos(cell))
				if cc, ok := cell.(*east.TableCell); ok {
					tc.Align = map[east.Alignment]Align{east.AlignLeft: AlignLeft, east.AlignCenter: AlignCenter, east.AlignRight: AlignRight}[cc.Alignment]
				}
				row.Children = append(row.Children, tc)
			}
			t.Children = append(t.Children, row)
		}
		return []*Node{t}
	case *east.FootnoteList:
		fl := c.at(&Node{Kind: FootnoteList}, off)
		for f := n.FirstChild(); f != nil; f = f.NextSibling() {
			fn, ok := f.(*east.Footnote)
			if !ok {
				continue
			}
			fl.Children = append(fl.Children, c.at(&Node{
				Kind: Footnote, ID: fmt.Sprintf("fn-%d", fn.Index), Title: fmt.Sprint(fn.Index),
				Children: c.blocks(fn, depth+1),
			}, blockPos(fn)))
		}
		return []*Node{fl}
	case *east.DefinitionList:
		dl := c.at(&Node{Kind: DefinitionList}, off)
		for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
			switch ch.(type) {
			case *east.DefinitionTerm:
				dl.Children = append(dl.Children, c.at(&Node{Kind: DefinitionTerm, Children: c.inlines(ch)}, blockPos(ch)))
			default:
				dl.Children = append(dl.Children, c.at(&Node{Kind: Definition, Children: c.blocks(ch, depth+1)}, blockPos(ch)))
			}
		}
		return []*Node{dl}
	}
	if n.Type() == gast.TypeInline {
		return []*Node{c.at(&Node{Kind: Paragraph, Children: c.inline(n)}, off)}
	}
	// A block kind this converter does not know: keep its content.
	return c.blocks(n, depth)
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
	var b strings.Builder
	l := n.Lines()
	for i := 0; i < l.Len(); i++ {
		seg := l.At(i)
		b.Write(seg.Value(c.src))
	}
	return b.String()
}

// kindTaskMarker is a converter-internal marker for a task checkbox before
// it is moved onto its list item; it never leaves this file.
const kindTaskMarker Kind = 255

func (c *mdConverter) inlines(parent gast.Node) []*Node {
	var out []*Node
	var run strings.Builder // text of a run of adjacent Text nodes
	var head *Node          // the first node of that run
	flush := func() {
		if head != nil {
			head.Literal = run.String()
			run.Reset()
			head = nil
		}
	}
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		for _, x := range c.inline(n) {
			// Merge adjacent text so each run of words is one node.
			if x.Kind == Text {
				if head == nil {
					head = x
					out = append(out, x)
				}
				run.WriteString(x.Literal)
				continue
			}
			flush()
			out = append(out, x)
		}
	}
	flush()
	return out
}

func unescape(b []byte) string {
	return string(util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames(b))))
}

func (c *mdConverter) inline(n gast.Node) []*Node {
	switch n := n.(type) {
	case *gast.Text:
		var s string
		if n.IsRaw() {
			s = string(n.Segment.Value(c.src))
		} else {
			s = unescape(n.Segment.Value(c.src))
		}
		t := c.at(&Node{Kind: Text, Literal: s}, n.Segment.Start)
		switch {
		case n.HardLineBreak():
			return []*Node{t, {Kind: LineBreak}}
		case n.SoftLineBreak():
			t.Literal += "\n"
		}
		return []*Node{t}
	case *gast.String:
		if n.IsCode() || n.IsRaw() {
			return []*Node{{Kind: Text, Literal: string(n.Value)}}
		}
		return []*Node{{Kind: Text, Literal: unescape(n.Value)}}
	case *gast.CodeSpan:
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
		return []*Node{c.at(&Node{Kind: Code, Literal: b.String()}, blockPos(n))}
	case *gast.Emphasis:
		k := Emphasis
		if n.Level >= 2 {
			k = Strong
		}
		return []*Node{{Kind: k, Children: c.inlines(n)}}
	case *gast.Link:
		return []*Node{c.at(&Node{Kind: Link, URL: unescape(n.Destination), Title: unescape(n.Title), Children: c.inlines(n)}, blockPos(n))}
	case *gast.Image:
		img := c.at(&Node{Kind: Image, URL: unescape(n.Destination), Title: unescape(n.Title)}, blockPos(n))
		img.Literal = InlineText(&Node{Children: c.inlines(n)})
		c.asset(img)
		return []*Node{img}
	case *gast.AutoLink:
		u := string(n.URL(c.src))
		label := string(n.Label(c.src))
		if n.AutoLinkType == gast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
			u = "mailto:" + u
		}
		return []*Node{{Kind: Link, URL: u, Children: []*Node{{Kind: Text, Literal: label}}}}
	case *gast.RawHTML:
		var b strings.Builder
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			b.Write(seg.Value(c.src))
		}
		kind := RawHTML
		if isOnlyComments(b.String()) {
			return nil
		}
		return []*Node{{Kind: kind, Literal: b.String()}}
	case *east.Strikethrough:
		return []*Node{{Kind: Strikethrough, Children: c.inlines(n)}}
	case *east.TaskCheckBox:
		lit := ""
		if n.IsChecked {
			lit = "x"
		}
		return []*Node{{Kind: kindTaskMarker, Literal: lit}}
	case *east.FootnoteLink:
		return []*Node{{Kind: FootnoteRef, ID: fmt.Sprintf("fn-%d", n.Index), Literal: fmt.Sprint(n.Index)}}
	case *east.FootnoteBacklink:
		return nil
	}
	return c.inlines(n)
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
