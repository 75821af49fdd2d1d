package markup

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FinishOptions say how [Finish] builds the outline.
type FinishOptions struct {
	// PromoteTitle lifts a heading that stands alone above all others at the
	// very start of the body into Doc.Title, as docutils does for RST and as
	// a "# Title" line is meant in Markdown.
	PromoteTitle bool
}

// Finish completes a document whose Body a reader has filled: it promotes the
// title, builds Doc.Sections from the top-level headings, renumbers heading
// ranks from the outline depth (so the page's own title stays the only h1)
// and gives every heading a unique, stable anchor. Readers call it last.
func Finish(d *Doc, opt FinishOptions) {
	if opt.PromoteTitle && d.Title == "" {
		promoteTitle(d)
	}
	buildSections(d)
	assignIDs(d)
}

func promoteTitle(d *Doc) {
	first := -1
	for i, n := range d.Body {
		if n.Kind == Comment || n.Kind == Target {
			continue
		}
		if n.Kind == Heading {
			first = i
		}
		break
	}
	if first < 0 {
		return
	}
	h := d.Body[first]
	for i, n := range d.Body {
		if i != first && n.Kind == Heading && n.Level <= h.Level {
			return
		}
	}
	// The outline outlives the tree, and a slice of the source would
	// keep the whole file in memory: a copy.
	d.Title = strings.Clone(InlineText(h))
	d.TitlePos = Pos{File: d.Path, Line: h.Line, Col: h.Col}
	d.Body = append(d.Body[:first:first], d.Body[first+1:]...)
}

func buildSections(d *Doc) {
	d.Sections = nil
	type open struct {
		rank int
		s    *Section
	}
	var stack []open
	for _, n := range d.Body {
		if n.Kind != Heading {
			if len(stack) > 0 {
				top := stack[len(stack)-1].s
				top.Body = append(top.Body, n)
			}
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].rank >= n.Level {
			stack = stack[:len(stack)-1]
		}
		title := strings.Clone(InlineText(n)) // see the title's
		s := &Section{
			Title:   title,
			Key:     NormalizeHeading(title),
			Level:   len(stack) + 1,
			Pos:     Pos{File: d.Path, Line: n.Line, Col: n.Col},
			Heading: n,
		}
		if len(stack) == 0 {
			d.Sections = append(d.Sections, s)
		} else {
			parent := stack[len(stack)-1].s
			parent.Sections = append(parent.Sections, s)
		}
		stack = append(stack, open{rank: n.Level, s: s})
		// The page title is the h1; sections start at h2.
		n.Level = min(s.Level+1, 6)
	}
}

func assignIDs(d *Doc) {
	used := map[string]bool{}
	next := map[string]int{} // the next suffix to try for a base slug
	Walk(d.Body, func(n *Node, entering bool) WalkStatus {
		if entering && n.ID != "" && (n.Kind == Target || n.Kind == Footnote || n.Kind == Heading) {
			used[n.ID] = true
		}
		return WalkContinue
	})
	var visit func([]*Section)
	visit = func(ss []*Section) {
		for _, s := range ss {
			if s.Heading.ID == "" {
				base := Slug(s.Title)
				if base == "" {
					base = "section"
				}
				id := base
				for used[id] {
					next[base]++
					id = base + "-" + strconv.Itoa(next[base])
				}
				used[id] = true
				s.Heading.ID = id
			}
			s.ID = s.Heading.ID
			visit(s.Sections)
		}
	}
	visit(d.Sections)
}

// Slug turns text into an anchor or path segment: lower-case letters and
// digits (of any script) separated by single hyphens.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		if r == '\'' || r == '’' {
			continue // "What's next" → whats-next, not what-s-next
		}
		dash = true
	}
	return b.String()
}

var (
	shortcodeRE = regexp.MustCompile(`:[a-zA-Z0-9_+\-]+:`)
	// Numbering that templates put in front of headings: "1.", "2.1",
	// "A)", "(iv)", "Step 3:", "Part II -". A bare number followed by a
	// word ("5 Whys") is not numbering.
	numberingRE = regexp.MustCompile(`^(?i)(?:(?:step|part|phase|section|chapter)\s+[0-9a-z]+\s*[:.)\-–—]?\s*|\d+(?:\.\d+)+\.?\s+|\d+[.):]\s*|[a-z][.)]\s+|[ivxlcdm]+[.)]\s+|\(\w{1,4}\)\s*|#\d+\s+)`)
)

// mayBeNumbered reports whether numberingRE might match at the start of
// s: false only when it cannot, so that most headings skip the regular
// expression. Anything not ASCII might be a letter that folds to one the
// expression names (ſ to s, K to k).
func mayBeNumbered(s string) bool {
	if s == "" {
		return false
	}
	switch c := s[0]; {
	case '0' <= c && c <= '9', c == '(', c == '#', c >= utf8.RuneSelf:
		return true
	case !isASCIILetter(c):
		return false
	}
	i := 1
	for i < len(s) && isASCIILetter(s[i]) {
		i++
	}
	if i < len(s) && (s[i] == '.' || s[i] == ')' || s[i] >= utf8.RuneSelf) {
		return true // a letter or a roman number: "a)", "iv."
	}
	switch strings.ToLower(s[:i]) {
	case "step", "part", "phase", "section", "chapter":
		return true
	}
	return false
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// NormalizeHeading reduces a heading to the words that identify it, so that
// "⚠️ 1. Root Cause(s):" and "root cause s" compare equal: emoji and
// :shortcode:s, leading numbering, case and punctuation go.
func NormalizeHeading(s string) string {
	if strings.IndexByte(s, ':') >= 0 {
		s = shortcodeRE.ReplaceAllString(s, " ")
	}
	// Symbols first, so numbering behind an emoji is still at the start.
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSpace(r) {
			return r
		}
		return ' '
	}, s)
	s = strings.TrimSpace(s)
	for mayBeNumbered(s) {
		t := strings.TrimSpace(numberingRE.ReplaceAllString(s, ""))
		if t == s || t == "" {
			break
		}
		s = t
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == '\'' || r == '’' {
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		space = true
	}
	return b.String()
}
