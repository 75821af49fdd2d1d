package markup

import (
	"bytes"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// NewPolicy returns the allow-list applied to documents that carry raw HTML.
// It admits the formatting real postmortems use (<details>, <br>, <img>,
// tables, lists) and the markup this package writes itself (anchors, classes
// for highlighting and admonitions), and nothing that runs: no script,
// style, event handler, form, frame or javascript: URL.
func NewPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false)
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	p.AllowRelativeURLs(true)
	p.AllowElements("details", "summary", "figure", "figcaption", "nav", "aside", "section", "mark", "kbd", "samp", "var", "abbr")
	p.AllowAttrs("open").OnElements("details")
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[\p{L}\p{N}_:.\-]{1,128}$`)).Globally()
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^[\p{L}\p{N}_\- ]{1,256}$`)).Globally()
	p.AllowAttrs("aria-label").Matching(bluemonday.Paragraph).OnElements("a")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^$|^checked$|^disabled$`)).OnElements("input")
	p.AllowElements("input")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^[aAiI1]$`)).OnElements("ol")
	return p
}

// Sanitize cleans an HTML fragment with the renderer's policy, then parses
// and re-serialises it so that tags left open or closed too often by the
// source cannot break the page around the fragment.
func (r *HTMLRenderer) Sanitize(b []byte) []byte {
	clean := r.policy.SanitizeBytes(b)
	return balance(clean)
}

func balance(b []byte) []byte {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(bytes.NewReader(b), ctx)
	if err != nil {
		return nil
	}
	var out bytes.Buffer
	for _, n := range nodes {
		if err := html.Render(&out, n); err != nil {
			return nil
		}
	}
	return out.Bytes()
}
