package markup

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/microcosm-cc/bluemonday"
)

// HTMLRenderer renders documents of the model to HTML fragments. One
// renderer serves both formats, so a table or a warning box looks the same
// whether it was written in Markdown or RST. It is safe for concurrent use.
//
// What the renderer writes is safe by construction: text is escaped and
// URLs with schemes that could run code are dropped. Raw HTML from the
// source is the exception: each fragment of it goes through an allow-list
// sanitiser on its own (so a stray "<script>" in prose cannot swallow the
// text after it, and the renderer's own markup is never touched), and a
// document holding any is re-balanced before it is returned, so tags the
// source left open or closed too often cannot break the page around it.
type HTMLRenderer struct {
	policy    *bluemonday.Policy
	formatter *chromahtml.Formatter
	// style is only consulted for inline styles, which this formatter
	// never writes (it uses classes); any style will do.
	style *chroma.Style
}

// NewHTMLRenderer builds a renderer. Building the sanitiser policy is not
// free, so callers keep one renderer for a whole build.
func NewHTMLRenderer() *HTMLRenderer {
	return &HTMLRenderer{
		policy:    NewPolicy(),
		formatter: chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true)),
		style:     chroma.MustNewStyle("kb", chroma.StyleEntries{chroma.Background: ""}),
	}
}

// HTMLOptions adjust one rendering.
type HTMLOptions struct {
	// ResolveLink maps a link or image destination as written in the
	// source to the one the page should use (another postmortem's source
	// file to its page, for example). Nil keeps destinations as written.
	ResolveLink func(dest string) string
	// Slot reports whether a destination is left as a slot of the
	// returned [HTML], to fill when the page is made (see [HTML]).
	Slot func(dest string) bool
}

// Render returns the HTML of d's body.
func (r *HTMLRenderer) Render(d *Doc, opt HTMLOptions) []byte {
	opt.Slot = nil
	return r.RenderSlots(d, opt).Bytes
}

// RenderSlots returns the HTML of d's body with the destinations
// opt.Slot picks left as slots.
func (r *HTMLRenderer) RenderSlots(d *Doc, opt HTMLOptions) HTML {
	w := &htmlWriter{r: r, doc: d, opt: opt, refs: map[string]int{}}
	w.blocks(d.Body, false)
	out := w.buf.Bytes()
	if !w.raw {
		// A build keeps every body until its page is made: without the
		// room the buffer grew into, which is up to as much again.
		return HTML{Bytes: bytes.Clone(out), Slots: w.slots}
	}
	if len(w.slots) > 0 {
		return slotted(out, w.slots)
	}
	return HTML{Bytes: balance(out)}
}

// CodeClass is the class on highlighted code blocks, for stylesheets.
const CodeClass = "chroma"

type htmlWriter struct {
	r    *HTMLRenderer
	doc  *Doc
	opt  HTMLOptions
	buf  bytes.Buffer
	raw  bool           // raw HTML was written: balance the result
	refs map[string]int // footnote id → references seen so far
	toc  bool           // a table of contents was written
	// lastURL is the last destination checked, and the answer.
	lastURL urlMemo
	slots   []Slot
}

func (w *htmlWriter) s(s string) { w.buf.WriteString(s) }

// rawHTML writes a fragment of the source's own HTML, sanitised.
func (w *htmlWriter) rawHTML(s string) {
	w.raw = true
	w.buf.Write(w.r.policy.SanitizeBytes([]byte(s)))
}

// esc writes s escaped as html.EscapeString escapes it, straight into
// the output rather than through a copy.
func (w *htmlWriter) esc(s string) { escapeTo(&w.buf, s) }

func (w *htmlWriter) attr(name, val string) {
	w.buf.WriteByte(' ')
	w.s(name)
	w.s(`="`)
	w.esc(val)
	w.buf.WriteByte('"')
}

func (w *htmlWriter) blocks(ns []*Node, tight bool) {
	for _, n := range ns {
		w.block(n, tight)
	}
}

func (w *htmlWriter) block(n *Node, tight bool) {
	switch n.Kind {
	case Paragraph:
		if tight {
			w.inlines(n.Children)
			w.s("\n")
			return
		}
		w.s("<p>")
		w.inlines(n.Children)
		w.s("</p>\n")
	case Heading:
		lvl := byte('0' + min(max(n.Level, 1), 6))
		w.s("<h")
		w.buf.WriteByte(lvl)
		if n.ID != "" {
			w.attr("id", n.ID)
		}
		w.s(">")
		w.inlines(n.Children)
		if n.ID != "" {
			w.s(`<a class="anchor" href="#`)
			w.esc(n.ID)
			w.s(`" aria-label="Link to this section">#</a>`)
		}
		w.s("</h")
		w.buf.WriteByte(lvl)
		w.s(">\n")
	case ThematicBreak:
		w.s("<hr>\n")
	case CodeBlock:
		w.codeBlock(n)
	case BlockQuote:
		w.s("<blockquote>\n")
		w.blocks(n.Children, false)
		w.s("</blockquote>\n")
	case List:
		w.list(n)
	case ListItem:
		w.listItem(n, tight)
	case DefinitionList:
		w.s("<dl>\n")
		for _, c := range n.Children {
			if c.Kind == DefinitionTerm {
				w.s("<dt>")
				w.inlines(c.Children)
				w.s("</dt>\n")
			} else {
				w.s("<dd>")
				w.blocks(c.Children, false)
				w.s("</dd>\n")
			}
		}
		w.s("</dl>\n")
	case FieldList:
		w.s(`<dl class="field-list">` + "\n")
		for _, c := range n.Children {
			w.s("<dt>")
			w.esc(c.Title)
			w.s("</dt>\n<dd>")
			w.blocks(c.Children, false)
			w.s("</dd>\n")
		}
		w.s("</dl>\n")
	case Table:
		w.table(n)
	case HTMLBlock:
		w.rawHTML(n.Literal)
		w.s("\n")
	case Comment, KindInvalid:
	case Admonition:
		w.s(`<aside class="admonition`)
		if n.Class != "" {
			w.s(" ")
			w.esc(n.Class)
		}
		w.s(`">` + "\n" + `<p class="admonition-title">`)
		title := n.Title
		if title == "" {
			title = strings.ToUpper(n.Class[:min(1, len(n.Class))]) + n.Class[min(1, len(n.Class)):]
		}
		w.esc(title)
		w.s("</p>\n")
		w.blocks(n.Children, false)
		w.s("</aside>\n")
	case LineBlock:
		w.s(`<div class="line-block">` + "\n")
		for _, c := range n.Children {
			if c.Kind == LineBlock {
				w.block(c, false)
				continue
			}
			w.s(`<div class="line">`)
			w.inlines(c.Children)
			w.s("</div>\n")
		}
		w.s("</div>\n")
	case Figure:
		w.s("<figure>\n")
		for _, c := range n.Children {
			switch c.Kind {
			case Image:
				w.inline(c)
				w.s("\n")
			case Caption:
				w.s("<figcaption>")
				w.inlines(c.Children)
				w.s("</figcaption>\n")
			default:
				w.block(c, false)
			}
		}
		w.s("</figure>\n")
	case Caption:
		w.s(`<p class="caption">`)
		w.inlines(n.Children)
		w.s("</p>\n")
	case FootnoteList:
		w.s(`<section class="footnotes">` + "\n<ol>\n")
		for _, c := range n.Children {
			w.s("<li")
			if c.ID != "" {
				w.attr("id", c.ID)
			}
			w.s(`><span class="footnote-label">`)
			w.esc(c.Title)
			w.s("</span>\n")
			w.blocks(c.Children, false)
			if w.refs[c.ID] > 0 {
				w.s(`<a class="footnote-back" href="#ref-`)
				w.esc(c.ID)
				w.s(`" aria-label="Back to the text">↩</a>` + "\n")
			}
			w.s("</li>\n")
		}
		w.s("</ol>\n</section>\n")
	case Footnote:
		w.block(&Node{Kind: FootnoteList, Children: []*Node{n}}, false)
	case Contents:
		// One table of contents per page: a document repeating the
		// directive would otherwise grow with the square of its size.
		if !w.toc {
			w.toc = true
			w.contents(n)
		}
	case Target:
		if n.ID != "" {
			w.s(`<span`)
			w.attr("id", n.ID)
			w.s("></span>\n")
		}
	default:
		if n.Kind.IsInline() {
			w.s("<p>")
			w.inline(n)
			w.s("</p>\n")
			return
		}
		w.blocks(n.Children, false)
	}
}

func (w *htmlWriter) list(n *Node) {
	tag := "ul"
	if n.Ordered {
		tag = "ol"
	}
	w.s("<" + tag)
	if n.Ordered && n.Start != 0 && n.Start != 1 {
		w.attr("start", strconv.Itoa(n.Start))
	}
	if t := olType[n.Class]; n.Ordered && t != "" {
		w.attr("type", t)
	}
	w.s(">\n")
	for _, it := range n.Children {
		w.listItem(it, n.Tight)
	}
	w.s("</" + tag + ">\n")
}

var olType = map[string]string{"loweralpha": "a", "upperalpha": "A", "lowerroman": "i", "upperroman": "I"}

func (w *htmlWriter) listItem(n *Node, tight bool) {
	if n.Kind != ListItem {
		w.block(n, tight)
		return
	}
	switch n.Task {
	case TaskOpen:
		w.s(`<li class="task"><input type="checkbox" disabled`)
		w.attr("aria-label", taskName(n, "open task"))
		w.s(`> `)
	case TaskDone:
		w.s(`<li class="task done"><input type="checkbox" checked disabled`)
		w.attr("aria-label", taskName(n, "done task"))
		w.s(`> `)
	default:
		w.s("<li>")
	}
	w.blocks(n.Children, tight)
	w.s("</li>\n")
}

// taskName is the accessible name of a task item's checkbox: the text of
// its first paragraph, so that a screen reader listing the form controls
// of a page says which task each box is. The box is not inside a label
// element because a loose item's paragraphs cannot be.
func taskName(n *Node, empty string) string {
	if len(n.Children) > 0 && n.Children[0].Kind == Paragraph {
		if s := InlineText(n.Children[0]); s != "" {
			return s
		}
	}
	return empty
}

func (w *htmlWriter) table(n *Node) {
	w.s(`<div class="table-wrap"><table>` + "\n")
	inHead, inBody := false, false
	for _, row := range n.Children {
		if row.Header && !inHead {
			w.s("<thead>\n")
			inHead = true
		}
		if !row.Header && !inBody {
			if inHead {
				w.s("</thead>\n")
				inHead = false
			}
			w.s("<tbody>\n")
			inBody = true
		}
		w.s("<tr>")
		cell := "td"
		if row.Header {
			cell = "th"
		}
		for _, c := range row.Children {
			w.s("<" + cell)
			if c.ColSpan > 1 {
				w.attr("colspan", strconv.Itoa(c.ColSpan))
			}
			if c.RowSpan > 1 {
				w.attr("rowspan", strconv.Itoa(c.RowSpan))
			}
			switch c.Align {
			case AlignLeft:
				w.s(` class="left"`)
			case AlignCenter:
				w.s(` class="center"`)
			case AlignRight:
				w.s(` class="right"`)
			}
			w.s(">")
			if len(c.Children) > 0 && !c.Children[0].Kind.IsInline() {
				// Cells of grid tables hold blocks; one paragraph is shown bare.
				if len(c.Children) == 1 && c.Children[0].Kind == Paragraph {
					w.inlines(c.Children[0].Children)
				} else {
					w.blocks(c.Children, false)
				}
			} else {
				w.inlines(c.Children)
			}
			w.s("</" + cell + ">")
		}
		w.s("</tr>\n")
	}
	if inHead {
		w.s("</thead>\n")
	}
	if inBody {
		w.s("</tbody>\n")
	}
	w.s("</table></div>\n")
}

func (w *htmlWriter) codeBlock(n *Node) {
	lang := strings.ToLower(strings.TrimSpace(n.Lang))
	var lexer chroma.Lexer
	if lang != "" {
		lexer = lexers.Get(lang)
	}
	w.s("<pre")
	if lexer != nil {
		w.s(` class="` + CodeClass + `"`)
	}
	w.s("><code")
	if lang != "" {
		w.attr("class", "language-"+lang)
	}
	w.s(">")
	if lexer != nil {
		it, err := chroma.Coalesce(lexer).Tokenise(nil, n.Literal)
		if err == nil {
			var b bytes.Buffer
			if w.r.formatter.Format(&b, w.r.style, it) == nil {
				w.buf.Write(b.Bytes())
				w.s("</code></pre>\n")
				return
			}
		}
	}
	w.esc(n.Literal)
	w.s("</code></pre>\n")
}

func (w *htmlWriter) contents(n *Node) {
	w.s(`<nav class="contents">`)
	if n.Title != "" {
		w.s(`<p class="contents-title">`)
		w.esc(n.Title)
		w.s("</p>")
	}
	w.s("\n")
	var walk func([]*Section)
	walk = func(ss []*Section) {
		if len(ss) == 0 {
			return
		}
		w.s("<ul>\n")
		for _, s := range ss {
			w.s(`<li><a href="#`)
			w.esc(s.ID)
			w.s(`">`)
			w.esc(s.Title)
			w.s("</a>")
			walk(s.Sections)
			w.s("</li>\n")
		}
		w.s("</ul>\n")
	}
	walk(w.doc.Sections)
	w.s("</nav>\n")
}

func (w *htmlWriter) inlines(ns []*Node) {
	for _, n := range ns {
		w.inline(n)
	}
}

func (w *htmlWriter) inline(n *Node) {
	switch n.Kind {
	case Text:
		w.esc(n.Literal)
	case Emphasis:
		w.s("<em>")
		w.inlines(n.Children)
		w.s("</em>")
	case Strong:
		w.s("<strong>")
		w.inlines(n.Children)
		w.s("</strong>")
	case Strikethrough:
		w.s("<del>")
		w.inlines(n.Children)
		w.s("</del>")
	case Code:
		w.s("<code>")
		w.esc(n.Literal)
		w.s("</code>")
	case Link:
		u, ok := w.url(n.URL)
		if !ok {
			w.inlines(n.Children)
			return
		}
		w.s("<a")
		w.urlAttr("href", n.URL, u)
		if n.Title != "" {
			w.attr("title", n.Title)
		}
		w.s(">")
		w.inlines(n.Children)
		w.s("</a>")
	case Image:
		u, ok := w.url(n.URL)
		if !ok || u == "" {
			if n.Literal != "" {
				w.s(`<span class="missing-image">`)
				w.esc(n.Literal)
				w.s("</span>")
			}
			return
		}
		w.s("<img")
		w.urlAttr("src", n.URL, u)
		w.attr("alt", n.Literal)
		if n.Title != "" {
			w.attr("title", n.Title)
		}
		w.s(` loading="lazy">`)
	case RawHTML:
		// A tag in running text that the sanitiser drops whole ("load
		// <script> tags from the CDN") was most likely meant literally:
		// show it as text, escaped, rather than lose it.
		clean := w.r.policy.Sanitize(n.Literal)
		if strings.TrimSpace(clean) == "" {
			w.esc(n.Literal)
			return
		}
		w.raw = true
		w.s(clean)
	case LineBreak:
		w.s("<br>\n")
	case FootnoteRef:
		w.refs[n.ID]++
		w.s(`<sup class="footnote-ref"><a href="#`)
		w.esc(n.ID)
		w.s(`"`)
		if w.refs[n.ID] == 1 {
			w.attr("id", "ref-"+n.ID)
		}
		w.s(">")
		w.esc(n.Literal)
		w.s("</a></sup>")
	case Span:
		tag := "span"
		switch n.Class {
		case "sub", "subscript":
			tag = "sub"
		case "sup", "superscript":
			tag = "sup"
		}
		w.s("<" + tag)
		if tag == "span" && n.Class != "" {
			w.attr("class", n.Class)
		}
		w.s(">")
		w.inlines(n.Children)
		w.s("</" + tag + ">")
	default:
		if !n.Kind.IsInline() {
			w.block(n, false)
			return
		}
		w.inlines(n.Children)
	}
}

// urlAttr writes the attribute name holding u, the safe form of dest, or
// a slot for dest when the options ask for one.
func (w *htmlWriter) urlAttr(name, dest, u string) {
	if w.opt.Slot == nil || !w.opt.Slot(dest) {
		w.attr(name, u)
		return
	}
	w.buf.WriteByte(' ')
	w.s(name)
	w.s(`="`)
	w.slots = append(w.slots, Slot{At: w.buf.Len(), Dest: dest})
	w.buf.WriteByte('"')
}

// url resolves a destination and rejects the ones a browser would run.
// The last answer is kept: documents link to the same place many times
// over, and checking a URL parses it.
func (w *htmlWriter) url(dest string) (string, bool) {
	if w.opt.ResolveLink != nil {
		dest = w.opt.ResolveLink(dest)
	}
	if w.lastURL.set && dest == w.lastURL.dest {
		return w.lastURL.safe, w.lastURL.ok
	}
	safe, ok := SafeURL(dest)
	w.lastURL = urlMemo{set: true, dest: dest, safe: safe, ok: ok}
	return safe, ok
}

// urlMemo is one answer of SafeURL.
type urlMemo struct {
	set        bool
	dest, safe string
	ok         bool
}

// SafeURL returns dest if following it cannot run code: relative
// references and the http, https, mailto and tel schemes. Control
// characters and spaces that browsers strip before reading a scheme are
// stripped here first, so "java\tscript:" is caught too.
func SafeURL(dest string) (string, bool) {
	d := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.TrimSpace(dest))
	if d == "" {
		return "", true
	}
	colon := strings.IndexByte(d, ':')
	if colon < 0 {
		return d, true
	}
	if i := strings.IndexAny(d, "/?#"); i >= 0 && i < colon {
		return d, true // the colon is in the path: relative
	}
	switch strings.ToLower(d[:colon]) {
	case "http", "https", "mailto", "tel":
		if _, err := url.Parse(d); err != nil {
			return "", false
		}
		return d, true
	}
	return "", false
}
