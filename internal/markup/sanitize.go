package markup

import (
	"bytes"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// NewPolicy returns the allow-list applied to the raw HTML of documents.
// It admits the formatting real postmortems use (<details>, <br>, <img>,
// tables, lists, ids and classes) and nothing that runs: no script, style,
// event handler, form, frame or javascript: URL. Ids with an underscore
// are refused: the page's own elements use such ids, and content must not
// be able to pose as them.
func NewPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)

	// Attributes any element may have.
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[\p{L}\p{N}:.\-]{1,256}$`)).Globally()
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^[\p{L}\p{N}_\- ]{1,256}$`)).Globally()
	p.AllowAttrs("title").Matching(bluemonday.Paragraph).Globally()
	p.AllowAttrs("lang").Matching(regexp.MustCompile(`^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$`)).Globally()
	p.AllowAttrs("dir").Matching(bluemonday.Direction).Globally()

	p.AllowElements("article", "aside", "section", "nav", "figure", "figcaption", "details", "summary",
		"h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "p", "div", "span", "br", "wbr", "hr",
		"blockquote", "pre", "code", "kbd", "samp", "var", "mark", "abbr", "cite", "dfn", "q",
		"em", "strong", "b", "i", "u", "s", "del", "ins", "small", "sub", "sup", "time",
		"ul", "ol", "li", "dl", "dt", "dd",
		"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "col", "colgroup")
	p.AllowAttrs("open").Matching(regexp.MustCompile(`^(|open)$`)).OnElements("details")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("aria-label").Matching(bluemonday.Paragraph).OnElements("a")
	p.AllowAttrs("cite").OnElements("blockquote", "q", "del", "ins")
	p.AllowAttrs("datetime").Matching(bluemonday.ISO8601).OnElements("time", "del", "ins")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^-?[0-9]{1,9}$`)).OnElements("ol")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^[aAiI1]$`)).OnElements("ol")
	p.AllowAttrs("value").Matching(regexp.MustCompile(`^-?[0-9]{1,9}$`)).OnElements("li")
	p.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^[0-9]{1,4}$`)).OnElements("td", "th")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^(row|col|rowgroup|colgroup)$`)).OnElements("th")
	p.AllowAttrs("span").Matching(regexp.MustCompile(`^[0-9]{1,4}$`)).OnElements("col", "colgroup")
	p.AllowAttrs("src", "alt").OnElements("img")
	p.AllowAttrs("width", "height").Matching(regexp.MustCompile(`^[0-9]{1,5}(%|px)?$`)).OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	p.AllowElements("img")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^$|^checked$|^disabled$`)).OnElements("input")
	p.AllowElements("input")
	return p
}

// balance parses an HTML fragment and serialises it again: every element
// the fragment opens is closed inside it, and end tags without a start
// are dropped.
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
