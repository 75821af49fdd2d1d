package render

import (
	"strings"
	"unicode/utf8"
)

// HeadMeta is what a page says of itself to whatever shows a link to it:
// a search engine's snippet, the card a chat app unfurls (OpenGraph).
// head.html writes it; html/template escapes every value.
type HeadMeta struct {
	// Title is the page's own title (the site's on the home page),
	// without the site's name, which SiteName carries.
	Title string
	// Type is the OpenGraph type: "article" for an incident, else
	// "website".
	Type string
	// Description is plain text of at most about 200 characters: the
	// incident's summary on its page, else the site's description.
	Description string
	// SiteName is the site's title.
	SiteName string
	// URL is the page's absolute address, for og:url and the canonical
	// link; empty when the base URL is not absolute (a canonical URL
	// must be), and on the 404 page, which GitHub Pages serves at any
	// address.
	URL string
}

// descriptionLimit is about where search engines cut a snippet.
const descriptionLimit = 200

// Meta returns what head.html says of the page (see [HeadMeta]).
func (p *Page) Meta() HeadMeta {
	m := HeadMeta{
		Title:       p.Title,
		Type:        "website",
		Description: p.Site.Description,
		SiteName:    p.Site.Title,
	}
	if m.Title == "" {
		m.Title = p.Site.Title
	}
	if p.Kind == "incident" && p.Incident != nil {
		m.Type = "article"
		if s := strings.TrimSpace(p.Incident.Summary); s != "" {
			m.Description = s
		}
	}
	m.Description = cutText(m.Description, descriptionLimit)
	if base, ok := absoluteBase(p.Site.BaseURL); ok && p.Kind != "404" && strings.HasSuffix("/"+p.Path, "/index.html") {
		m.URL = pageLoc(base, p.Path)
	}
	return m
}

// cutText returns s on one line, cut to at most limit characters at the
// end of a word, with "…" when anything was cut. A word longer than half
// the limit is cut where the limit falls.
func cutText(s string, limit int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	end := 0 // after limit-1 characters: room for the ellipsis
	for range limit - 1 {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
	}
	cut := strings.LastIndexByte(s[:end+1], ' ')
	if cut < end/2 {
		cut = end
	}
	return strings.TrimRight(s[:cut], " ,;:.") + "…"
}
