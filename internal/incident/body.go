package incident

import (
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Body is what the later stages need of a postmortem's text, taken while
// its tree is in memory: the build reads each file, takes this, and drops
// the tree (see [File.Release]), so that memory holds text, not the trees
// of every postmortem.
type Body struct {
	// HTML is the rendered body, with links to other files of the site
	// left as slots (see [markup.HTML]); empty until [File.Render].
	HTML markup.HTML
	// Text is the visible text of the whole body, in which relations
	// recognise the systems and causes it mentions. The build finds them
	// as it reads each file and drops the text then.
	Text string
	// Intro is the visible text before the first heading, searched as a
	// section of its own.
	Intro string
	// Opening reports whether a paragraph with text comes before the
	// first heading: the summary lint asks for.
	Opening bool
	// Links are the body's links, in source order.
	Links []Link
}

// Link is a link of a body, as written, and where.
type Link struct {
	Dest string
	Pos  markup.Pos
}

// takeBody fills in inc.Body (but its HTML) from the tree of d.
func takeBody(inc *Incident, d *markup.Doc) {
	b := &inc.Body
	b.Text = markup.PlainText(d.Body)
	var intro []*markup.Node
	for _, n := range d.Body {
		if n.Kind == markup.Heading {
			break
		}
		intro = append(intro, n)
		if n.Kind == markup.Paragraph && !b.Opening && strings.TrimSpace(markup.PlainText([]*markup.Node{n})) != "" {
			b.Opening = true
		}
	}
	b.Intro = markup.PlainText(intro)
	markup.Walk(d.Body, func(n *markup.Node, entering bool) markup.WalkStatus {
		if entering && n.Kind == markup.Link {
			b.Links = append(b.Links, Link{Dest: n.URL, Pos: markup.Pos{File: d.Path, Line: n.Line, Col: n.Col}})
		}
		return markup.WalkContinue
	})
}

// SlotLink reports whether a link's destination is left as a slot when a
// body is rendered: a relative one, which may lead to another file of the
// site, known only once every file is read.
func SlotLink(dest string) bool {
	p, ok := markup.LocalPath(dest)
	return ok && p != ""
}

// Render renders the bodies of the file's incidents and page, leaving
// links to other files as slots (see [SlotLink]).
func (f *File) Render(r *markup.HTMLRenderer) {
	for _, inc := range f.Incidents {
		inc.Render(r)
	}
	if f.Page != nil {
		f.Page.HTML = r.RenderSlots(f.Page.Doc, markup.HTMLOptions{Slot: SlotLink})
	}
}

// Render renders the incident's body into Body.HTML, leaving links to
// other files as slots (see [SlotLink]).
func (inc *Incident) Render(r *markup.HTMLRenderer) {
	inc.Body.HTML = r.RenderSlots(inc.Doc, markup.HTMLOptions{Slot: SlotLink})
}

// Release drops the trees of the file's documents once what the build
// needs of them is taken: their metadata, titles and outline stay. Nothing
// can be rendered from them afterwards.
func (f *File) Release() {
	for _, inc := range f.Incidents {
		inc.Doc.Release()
		// Its sections are the incident's now; a page keeps its outline.
		inc.Doc.Sections = nil
		Walk(inc.Sections, func(s *Section) { s.Source = nil })
	}
	if f.Page != nil {
		f.Page.Doc.Release()
	}
}
