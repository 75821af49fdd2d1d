package lint

import (
	"net/url"
	"path"
	"strings"

	"github.com/kb-postmortems/kb/internal/incident"
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
	for _, l := range c.inc.Body.Links {
		u, err := url.Parse(l.Dest)
		if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" || strings.HasPrefix(u.Path, "/") {
			continue
		}
		if !isSource(path.Ext(u.Path)) {
			continue
		}
		if _, ok := incident.ResolveLink(c.inc, u.Path, c.byPath); !ok && !c.toPage(u.Path) {
			c.report(l.Pos, Error, BrokenLink, l.Dest, "check the file name; links are relative to this postmortem's folder",
				"link to %s does not lead to a postmortem", l.Dest)
		}
	}
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
