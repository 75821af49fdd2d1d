package rst

import (
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// image and figure. Nothing is fetched or read: a relative path is recorded
// in Doc.Assets so the site can copy the file beside the page, and a path
// that is absolute is dropped with a warning (the site decides whether a
// relative one that climbs stays inside the content folder). A
// figure's first paragraph is its caption; what follows is its legend.

func imageOptions() map[string]optKind {
	return with(options("alt", "height", "width", "scale", "align", "class", "name", "loading"), optRequired, "target")
}

func imageSpec() directiveSpec {
	return directiveSpec{required: 1, finalWS: true, options: imageOptions(), run: func(p *parser, d *directive, out *[]*markup.Node) {
		img := p.image(d)
		*out = append(*out, p.at(&markup.Node{Kind: markup.Paragraph, Children: []*markup.Node{img}}, d.at))
	}}
}

func figureSpec() directiveSpec {
	return directiveSpec{required: 1, finalWS: true, content: true,
		options: with(imageOptions(), optText, "figwidth", "figclass"),
		run: func(p *parser, d *directive, out *[]*markup.Node) {
			fig := p.at(&markup.Node{Kind: markup.Figure}, d.at)
			fig.Children = []*markup.Node{p.image(d)}
			body := p.nested(d.content, d.c)
			if len(body) > 0 && body[0].Kind == markup.Paragraph {
				cap := body[0]
				cap.Kind = markup.Caption
				fig.Children = append(fig.Children, cap)
				body = body[1:]
			} else if len(body) > 0 && body[0].Kind == markup.Comment && body[0].Literal == "" {
				body = body[1:]
			} else if len(body) > 0 {
				p.warn(d.at, "figure caption must be a paragraph or empty comment")
			}
			fig.Children = append(fig.Children, body...)
			*out = append(*out, fig)
		}}
}

// image builds the image of an image or figure directive: an Image node,
// inside a Link when the :target: option is set.
func (p *parser) image(d *directive) *markup.Node {
	uri := strings.Join(strings.Fields(d.args[0]), "")
	img := p.at(&markup.Node{Kind: markup.Image, URL: uri}, d.at)
	img.Literal, _ = d.opt("alt")
	p.asset(img)
	t, ok := d.opt("target")
	if !ok {
		return img
	}
	link := p.at(&markup.Node{Kind: markup.Link, Children: []*markup.Node{img}}, d.at)
	joined := strings.Join(strings.Fields(t), " ")
	if name, ok := isReference(joined); ok {
		p.refs.pend(link, normalizeName(name), joined, false, p.posOf(d.at))
	} else {
		link.URL = adjustURI(unescape(joinURI(escape2null(t))))
	}
	return link
}

// asset records a local image so the site can copy it, and drops an
// absolute source, as the Markdown reader does.
func (p *parser) asset(img *markup.Node) {
	path, ok := markup.LocalPath(img.URL)
	if !ok {
		return
	}
	pos := markup.Pos{File: p.name, Line: img.Line, Col: img.Col}
	if path == "" {
		p.warnAt(pos, "write the path relative to the postmortem's file",
			"image %q is an absolute path and is not published", img.URL)
		img.URL = ""
		return
	}
	p.doc.Assets = append(p.doc.Assets, markup.Asset{Path: path, Pos: pos})
}
