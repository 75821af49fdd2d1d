package lint

import (
	"net/url"
	"path"
	"strings"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
)

// isSource reports whether ext is that of a postmortem's file: a relative
// link to one is a link to another incident and must resolve.
func isSource(ext string) bool {
	switch strings.ToLower(ext) {
	case ".md", ".markdown", ".rst":
		return true
	}
	return false
}

func (c *checker) links() {
	markup.Walk(c.inc.Doc.Body, func(n *markup.Node, entering bool) markup.WalkStatus {
		if !entering || n.Kind != markup.Link {
			return markup.WalkContinue
		}
		u, err := url.Parse(n.URL)
		if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" || strings.HasPrefix(u.Path, "/") {
			return markup.WalkContinue
		}
		if !isSource(path.Ext(u.Path)) {
			return markup.WalkContinue
		}
		if _, ok := incident.ResolveLink(c.inc, u.Path, c.byPath); !ok && !c.toPage(u.Path) {
			pos := markup.Pos{File: c.inc.Doc.Path, Line: n.Line, Col: n.Col}
			c.report(pos, Error, BrokenLink, n.URL, "check the file name; links are relative to this postmortem's folder",
				"link to %s does not lead to a postmortem", n.URL)
		}
		return markup.WalkContinue
	})
}

// toPage reports whether a link leads to a page that is not an incident
// (an index, the log the incident belongs to).
func (c *checker) toPage(dest string) bool {
	for _, p := range incident.LinkCandidates(c.inc.Path, dest) {
		if c.pages[p] {
			return true
		}
	}
	return false
}
