package rst

import (
	"strconv"
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Section titles are a line of text with an underline, or an overline and
// an underline, of one repeated punctuation character. Ranks are not fixed:
// the first adornment style met is rank 1, the next new one rank 2, and so
// on, and a title may only go one rank deeper than the section it is in.
// Titles are allowed only at the top level of the document; sections are
// built from the flat list of headings by markup.Finish.

// style is an adornment: its character, and whether it has an overline.
type style struct {
	ch   byte
	over bool
}

type sectionState struct {
	styles []style
	// level is the rank of the current section (0 before any title).
	level int
}

// isLineMarker reports whether s is one 7-bit punctuation character
// repeated: a possible adornment or transition.
func isLineMarker(s string) bool {
	if s == "" || !isPunct7(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] != s[0] {
			return false
		}
	}
	return true
}

func isPunct7(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// lineMarker reads a construct that starts with a line of punctuation: a
// transition, or a title with an overline. It returns false when the line
// is to be read as ordinary text instead.
func (p *parser) lineMarker(b []line, i int, c ctx, out *[]*markup.Node) (int, bool) {
	over := b[i].s
	if !c.titles {
		if over == "::" || len(over) < 4 {
			return 0, false
		}
		p.warnHint(b[i], "titles and transitions are only allowed at the top level, not inside lists, quotes or directives",
			"unexpected section title or transition")
		*out = append(*out, p.sourceBlock(b[i], b[i].n))
		return i + 1, true
	}
	if i+1 >= len(b) || b[i+1].s == "" {
		if len(over) < 4 {
			return 0, false
		}
		*out = append(*out, p.at(&markup.Node{Kind: markup.ThematicBreak}, b[i]))
		return i + 1, true
	}
	title := b[i+1]
	if title.s[0] != ' ' && isLineMarker(title.s) {
		if len(over) < 4 {
			return 0, false
		}
		p.warn(b[i], "invalid section title or transition marker")
		*out = append(*out, p.sourceBlock(b[i], b[i+1].n))
		return i + 2, true
	}
	if i+2 >= len(b) {
		if len(over) < 4 {
			return 0, false
		}
		p.warnHint(b[i], "add an underline matching the overline", "incomplete section title")
		*out = append(*out, p.sourceBlock(b[i], b[i+1].n))
		return i + 2, true
	}
	under := b[i+2].s
	switch {
	case !isLineMarker(under):
		if len(over) < 4 {
			return 0, false
		}
		p.warnHint(b[i], "add an underline matching the overline", "missing matching underline for section title overline")
		*out = append(*out, p.sourceBlock(b[i], b[i+2].n))
		return i + 3, true
	case under != over:
		if len(over) < 4 {
			return 0, false
		}
		p.warnHint(b[i], "make the overline and the underline the same character and length", "title overline and underline mismatch")
		*out = append(*out, p.sourceBlock(b[i], b[i+2].n))
		return i + 3, true
	}
	if columnWidth(title.s) > len(over) {
		if len(over) < 4 {
			return 0, false
		}
		p.warnHint(b[i], "make the overline and underline at least as long as the title", "title overline too short")
	}
	k := leadingSpace(title.s)
	title = line{s: title.s[k:], n: title.n, c: title.c + k}
	p.section(title, style{ch: over[0], over: true}, b[i].n, b[i+2].n, out)
	return i + 3, true
}

// underlinedTitle reads a title whose underline is b[i+1]. It returns false
// when the two lines are to be read as a paragraph instead.
func (p *parser) underlinedTitle(b []line, i int, c ctx, out *[]*markup.Node) (int, bool) {
	title, under := b[i], b[i+1].s
	if columnWidth(title.s) > len(under) {
		if len(under) < 4 {
			return 0, false
		}
		p.warnHint(b[i+1], "make the underline at least as long as the title", "title underline too short")
	}
	if !c.titles {
		p.warnHint(title, "titles are only allowed at the top level, not inside lists, quotes or directives", "unexpected section title")
		*out = append(*out, p.sourceBlock(b[i], b[i+1].n))
		return i + 2, true
	}
	p.section(title, style{ch: under[0]}, b[i].n, b[i+1].n, out)
	return i + 2, true
}

// section checks a title's rank and adds its heading, as docutils'
// check_subsection does: a new style is allowed only one rank below the
// deepest rank in use, a known one at most one rank below the current
// section.
func (p *parser) section(title line, st style, first, last int, out *[]*markup.Node) {
	level := 0
	for k, s := range p.sec.styles {
		if s == st {
			level = k + 1
			break
		}
	}
	switch {
	case level == 0 && len(p.sec.styles) == p.sec.level:
		p.sec.styles = append(p.sec.styles, st)
		level = len(p.sec.styles)
	case level == 0 || level > p.sec.level+1:
		want := p.sec.level + 1
		hint := "use the adornment of a rank at most one below the section it is in"
		if want <= len(p.sec.styles) {
			hint = "use the adornment " + describeStyle(p.sec.styles[want-1]) + " for a subsection here"
		}
		p.warnHint(title, hint, "title level inconsistent: %q is not a subsection of the section it follows; it is shown as a paragraph", strings.TrimSpace(title.s))
		*out = append(*out, p.message(p.paragraphNode([]line{title}, []line{title})))
		return
	}
	p.sec.level = level
	h := p.node(markup.Heading, title)
	h.Level = level
	h.Children = p.inline(newIText([]line{title}))
	*out = append(*out, h)
}

func describeStyle(s style) string {
	u := strings.Repeat(string(s.ch), 4)
	if s.over {
		return "over- and underline " + u
	}
	return "underline " + u
}

// prebib reports whether n may stand before the document title without
// keeping it from being promoted (docutils' PreBibliographic elements:
// comments, targets, raw content, pending directives, system messages).
func (p *parser) prebib(n *markup.Node) bool {
	switch n.Kind {
	case markup.Comment, markup.Target, markup.HTMLBlock, markup.Contents:
		return true
	}
	return p.messages[n]
}

// frontMatter does what docutils' DocTitle and DocInfo transforms do: a
// lone top-level section becomes the document title (and a lone section
// inside it the subtitle), and a field list before any other content
// becomes the metadata.
func (p *parser) frontMatter() {
	d := p.doc
	first := func() int {
		for i, n := range d.Body {
			if !p.prebib(n) {
				return i
			}
		}
		return -1
	}
	lone := func(i, level int) bool {
		if i < 0 || d.Body[i].Kind != markup.Heading || d.Body[i].Level != level {
			return false
		}
		for j := i + 1; j < len(d.Body); j++ {
			if n := d.Body[j]; n.Kind == markup.Heading && n.Level <= level {
				return false
			}
		}
		return true
	}
	if i := first(); lone(i, 1) {
		h := d.Body[i]
		d.Title = strings.Clone(markup.InlineText(h)) // the title outlives the source
		d.TitlePos = markup.Pos{File: d.Path, Line: h.Line, Col: h.Col}
		p.refs.title = h
		d.Body = append(d.Body[:i:i], d.Body[i+1:]...)
		if j := first(); lone(j, 2) {
			sub := d.Body[j]
			para := &markup.Node{Kind: markup.Paragraph, Line: sub.Line, Col: sub.Col,
				Children: []*markup.Node{{Kind: markup.Span, Class: "subtitle", Line: sub.Line, Col: sub.Col, Children: sub.Children}}}
			p.refs.sub = sub
			rest := append(d.Body[:j:j], d.Body[j+1:]...)
			d.Body = append([]*markup.Node{para}, rest...)
		}
	}
	if i := first(); i >= 0 && d.Body[i].Kind == markup.FieldList {
		var topics []*markup.Node
		d.Meta, topics = p.docinfo(d.Body[i])
		rest := append(topics, d.Body[i+1:]...)
		d.Body = append(d.Body[:i:i], rest...)
	}
	if p.sectnum != nil {
		p.numberSections()
	}
}

// sectnumOpts are the options of the sectnum directive.
type sectnumOpts struct {
	depth          int
	start          int
	prefix, suffix string
}

// numberSections puts numbers before section titles ("1", "1.1", ...), as
// docutils' sectnum transform does, after the title has been promoted.
// Anchors are fixed first, from the titles without numbers, so that
// numbering does not change them.
func (p *parser) numberSections() {
	o := p.sectnum
	var ranks []int    // ranks of the open sections
	var counters []int // the number of the last section at each depth
	for _, h := range p.doc.Body {
		if h.Kind != markup.Heading {
			continue
		}
		base := markup.Slug(markup.InlineText(h))
		if base == "" {
			base = "section"
		}
		h.ID = p.refs.uniqueID(base)
		for len(ranks) > 0 && ranks[len(ranks)-1] >= h.Level {
			ranks = ranks[:len(ranks)-1]
		}
		k := len(ranks)
		ranks = append(ranks, h.Level)
		if len(counters) > k {
			counters = counters[:k+1]
			counters[k]++
		} else {
			first := 1
			if k == 0 {
				first = o.start
			}
			counters = append(counters, first)
		}
		numbers := counters
		if len(numbers) > o.depth {
			continue
		}
		parts := make([]string, len(numbers))
		for k, v := range numbers {
			parts[k] = strconv.Itoa(v)
		}
		label := o.prefix + strings.Join(parts, ".") + o.suffix + "\u00a0\u00a0\u00a0"
		span := &markup.Node{Kind: markup.Span, Class: "sectnum", Line: h.Line, Col: h.Col,
			Children: []*markup.Node{{Kind: markup.Text, Literal: label, Line: h.Line, Col: h.Col}}}
		h.Children = append([]*markup.Node{span}, h.Children...)
	}
}

// unnumberKeys computes the keys of numbered sections from their titles
// without the generated numbers: the author did not write them, and
// "1 Impact" must still match "impact".
func unnumberKeys(ss []*markup.Section) {
	for _, s := range ss {
		if h := s.Heading; len(h.Children) > 0 && h.Children[0].Kind == markup.Span && h.Children[0].Class == "sectnum" {
			s.Key = markup.NormalizeHeading(markup.InlineText(&markup.Node{Children: h.Children[1:]}))
		}
		unnumberKeys(s.Sections)
	}
}
