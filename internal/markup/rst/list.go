package rst

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Lists: bullet (-, +, *, •, ‣, ⁃), enumerated (1. 1) (1) with arabic
// numbers, letters or roman numerals, or # for automatic numbering),
// definition (a term line with its definition indented below), field
// (:name: body) and option lists (-a, --all  description). An item's body
// is everything indented past its marker; a list ends at the first line
// that is not another item of it. A field list at the top of the document
// is its metadata (see frontMatter).

var optionRE = regexp.MustCompile(`^(?:(?:-|\+)[a-zA-Z0-9](?: ?(?:[a-zA-Z][a-zA-Z0-9_-]*|<[^<>]+>))?|(?:--|/)[a-zA-Z0-9][a-zA-Z0-9_-]*(?:[ =](?:[a-zA-Z][a-zA-Z0-9_-]*|<[^<>]+>))?)(?:, (?:(?:-|\+)[a-zA-Z0-9](?: ?(?:[a-zA-Z][a-zA-Z0-9_-]*|<[^<>]+>))?|(?:--|/)[a-zA-Z0-9][a-zA-Z0-9_-]*(?:[ =](?:[a-zA-Z][a-zA-Z0-9_-]*|<[^<>]+>))?))*(?:  +| ?$)`)

// bulletEnd matches a bullet and the spaces after it, returning the offset
// after them, or -1.
func bulletEnd(s string) int {
	r, size := utf8.DecodeRuneInString(s)
	switch r {
	case '-', '+', '*', '\u2022', '\u2023', '\u2043':
	default:
		return -1
	}
	if size == len(s) {
		return size
	}
	if s[size] != ' ' {
		return -1
	}
	return size + leadingSpace(s[size:])
}

// listItem reads the item whose marker ends at byte offset m of b[i]. Its
// body is the text after the marker and every line indented past it; when
// nothing follows the marker, the next lines' indentation decides.
func (p *parser) listItem(b []line, i, m int, c ctx) (*markup.Node, int, bool) {
	var block []line
	var end int
	var bf bool
	if m < len(b[i].s) {
		block, _, end, bf = getIndented(b, i, false, true, utf8.RuneCountInString(b[i].s[:m]), m)
	} else {
		block, _, end, bf = getIndented(b, i, false, true, -1, m)
		block = trimLeadingBlank(block)
	}
	item := p.node(markup.ListItem, b[i])
	item.Children = p.nested(block, c)
	return item, end, bf
}

// skipBlank returns the index of the first non-blank line at or after i.
func skipBlank(b []line, i int) int {
	for i < len(b) && b[i].s == "" {
		i++
	}
	return i
}

func (p *parser) bulletList(b []line, i int, c ctx, out *[]*markup.Node) int {
	bullet, _ := utf8.DecodeRuneInString(b[i].s)
	list := p.node(markup.List, b[i])
	j := i
	var bf bool
	for {
		var item *markup.Node
		item, j, bf = p.listItem(b, j, bulletEnd(b[j].s), c)
		list.Children = append(list.Children, item)
		k := skipBlank(b, j)
		if k >= len(b) || classify(b[k].s) != kBullet {
			j = k
			break
		}
		if r, _ := utf8.DecodeRuneInString(b[k].s); r != bullet {
			j = k
			break
		}
		j = k
	}
	list.Tight = simpleList(list)
	*out = append(*out, list)
	if !bf {
		p.unindentWarning(b, j, "Bullet list")
	}
	return j
}

// simpleList reports whether a list can be shown compactly, as docutils'
// HTML writer decides: every item holds at most one paragraph, optionally
// followed by a nested list that is itself simple.
func simpleList(list *markup.Node) bool {
	for _, it := range list.Children {
		// The item's children other than comments and targets: how
		// many, the first and the last.
		n := 0
		var first, last *markup.Node
		for _, k := range it.Children {
			if k.Kind != markup.Comment && k.Kind != markup.Target {
				if n == 0 {
					first = k
				}
				last = k
				n++
			}
		}
		if n > 1 && first.Kind == markup.Paragraph && last.Kind == markup.List {
			if !simpleList(last) {
				return false
			}
			n--
		}
		if n > 1 {
			return false
		}
		if n == 1 {
			switch first.Kind {
			case markup.Paragraph:
			case markup.List:
				if !simpleList(first) {
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}

// Enumerated lists.

type enumFormat int

const (
	fmtParens enumFormat = iota // (1)
	fmtRParen                   // 1)
	fmtPeriod                   // 1.
)

type enumMatch struct {
	format enumFormat
	text   string
	end    int // after the enumerator and its spaces
}

// matchEnum matches an enumerator at the start of s.
func matchEnum(s string) (enumMatch, bool) {
	var buf [5]string
	try := func(from int, suffix byte) (string, int, bool) {
		for _, t := range enumCandidates(buf[:0], s, from) {
			k := from + len(t)
			if k < len(s) && s[k] == suffix {
				k++
				if k == len(s) {
					return t, k, true
				}
				if s[k] == ' ' {
					return t, k + leadingSpace(s[k:]), true
				}
			}
		}
		return "", 0, false
	}
	if strings.HasPrefix(s, "(") {
		if t, k, ok := try(1, ')'); ok {
			return enumMatch{fmtParens, t, k}, true
		}
	}
	if t, k, ok := try(0, ')'); ok {
		return enumMatch{fmtRParen, t, k}, true
	}
	if t, k, ok := try(0, '.'); ok {
		return enumMatch{fmtPeriod, t, k}, true
	}
	return enumMatch{}, false
}

// enumCandidates appends to out the texts an enumerator at from could be,
// in docutils' order: digits, one letter, lower roman, upper roman, #.
// Every line of text is asked, so the caller provides the room.
func enumCandidates(out []string, s string, from int) []string {
	if from >= len(s) {
		return out
	}
	run := func(set string) string {
		k := from
		for k < len(s) && strings.IndexByte(set, s[k]) >= 0 {
			k++
		}
		return s[from:k]
	}
	if d := run("0123456789"); d != "" {
		out = append(out, d)
	}
	if c := s[from]; 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
		out = append(out, s[from:from+1])
	}
	if r := run("ivxlcdm"); r != "" {
		out = append(out, r)
	}
	if r := run("IVXLCDM"); r != "" {
		out = append(out, r)
	}
	if s[from] == '#' {
		out = append(out, "#")
	}
	return out
}

func seqMatches(seq, t string) bool {
	if t == "" {
		return false
	}
	all := func(set string) bool {
		for i := 0; i < len(t); i++ {
			if strings.IndexByte(set, t[i]) < 0 {
				return false
			}
		}
		return true
	}
	switch seq {
	case "arabic":
		return all("0123456789")
	case "loweralpha":
		return len(t) == 1 && 'a' <= t[0] && t[0] <= 'z'
	case "upperalpha":
		return len(t) == 1 && 'A' <= t[0] && t[0] <= 'Z'
	case "lowerroman":
		return all("ivxlcdm")
	case "upperroman":
		return all("IVXLCDM")
	}
	return false
}

// parseEnumerator returns the sequence and ordinal of an enumerator's text;
// the ordinal is -1 when the text is not a valid number of its sequence.
func parseEnumerator(t, expected string) (string, int) {
	seq := ""
	switch {
	case t == "#":
		return "#", 1
	case expected != "" && seqMatches(expected, t):
		seq = expected
	case t == "i":
		seq = "lowerroman"
	case t == "I":
		seq = "upperroman"
	}
	if seq == "" {
		for _, s := range [...]string{"arabic", "loweralpha", "upperalpha", "lowerroman", "upperroman"} {
			if seqMatches(s, t) {
				seq = s
				break
			}
		}
	}
	switch seq {
	case "arabic":
		n, err := strconv.Atoi(t)
		if err != nil {
			return seq, -1
		}
		return seq, n
	case "loweralpha":
		return seq, int(t[0]-'a') + 1
	case "upperalpha":
		return seq, int(t[0]-'A') + 1
	case "lowerroman", "upperroman":
		return seq, fromRoman(strings.ToUpper(t))
	}
	return seq, -1
}

var romanRE = regexp.MustCompile(`^M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$`)

// fromRoman reads a roman numeral, or returns -1.
func fromRoman(s string) int {
	if s == "" || !romanRE.MatchString(s) {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		v := romanValue(s[i])
		if i+1 < len(s) && romanValue(s[i+1]) > v {
			n -= v
		} else {
			n += v
		}
	}
	return n
}

func romanValue(c byte) int {
	switch c {
	case 'I':
		return 1
	case 'V':
		return 5
	case 'X':
		return 10
	case 'L':
		return 50
	case 'C':
		return 100
	case 'D':
		return 500
	case 'M':
		return 1000
	}
	return 0
}

func toRoman(n int) string {
	if n <= 0 || n >= 5000 {
		return ""
	}
	var b strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for n >= p.v {
			b.WriteString(p.s)
			n -= p.v
		}
	}
	return b.String()
}

// enumerator writes ordinal n in a sequence and format, followed by a
// space, with the automatic enumerator of the format.
func enumerator(n int, seq string, f enumFormat) (string, string) {
	var e string
	switch seq {
	case "#", "arabic":
		e = strconv.Itoa(n)
	case "loweralpha", "upperalpha":
		if n > 26 {
			return "", ""
		}
		e = string(rune('a' + n - 1))
		if seq == "upperalpha" {
			e = strings.ToUpper(e)
		}
	case "lowerroman":
		e = strings.ToLower(toRoman(n))
	case "upperroman":
		e = toRoman(n)
	}
	wrap := func(s string) string {
		switch f {
		case fmtParens:
			return "(" + s + ") "
		case fmtRParen:
			return s + ") "
		}
		return s + ". "
	}
	return wrap(e), wrap("#")
}

// isEnumItem checks the line after an enumerator: it must be blank,
// indented, the end, or start with the next enumerator; otherwise the
// "enumerator" begins an ordinary paragraph.
func isEnumItem(b []line, i, ordinal int, seq string, f enumFormat) bool {
	if ordinal < 0 {
		return false
	}
	if i+1 >= len(b) {
		return true
	}
	next := b[i+1].s
	if next == "" || next[0] == ' ' {
		return true
	}
	ne, auto := enumerator(ordinal+1, seq, f)
	return ne != "" && strings.HasPrefix(next, ne) || strings.HasPrefix(next, auto)
}

func (p *parser) enumList(b []line, i int, c ctx, out *[]*markup.Node) (int, bool) {
	m, _ := matchEnum(b[i].s)
	seq, ordinal := parseEnumerator(m.text, "")
	if !isEnumItem(b, i, ordinal, seq, m.format) {
		return 0, false
	}
	enumType := seq
	if seq == "#" {
		enumType = "arabic"
	}
	list := p.at(&markup.Node{Kind: markup.List, Ordered: true, Class: enumType, Start: ordinal}, b[i])
	auto := seq == "#"
	last := ordinal
	j := i
	var bf bool
	for {
		var item *markup.Node
		item, j, bf = p.listItem(b, j, m.end, c)
		list.Children = append(list.Children, item)
		k := skipBlank(b, j)
		if k >= len(b) || classify(b[k].s) != kEnum {
			j = k
			break
		}
		m2, _ := matchEnum(b[k].s)
		s2, o2 := parseEnumerator(m2.text, enumType)
		if m2.format != m.format || (s2 != "#" && (s2 != enumType || auto || o2 != last+1)) || !isEnumItem(b, k, o2, s2, m2.format) {
			j = k
			break
		}
		if s2 == "#" {
			auto = true
		}
		last = o2
		m = m2
		j = k
	}
	list.Tight = simpleList(list)
	*out = append(*out, list)
	if !bf {
		p.unindentWarning(b, j, "Enumerated list")
	}
	return j, true
}

// Field lists.

// matchField matches a field marker ":name: " at the start of s and returns
// the name and the offset after the marker and its spaces.
func matchField(s string) (string, int, bool) {
	if len(s) < 3 || s[0] != ':' || s[1] == ':' || s[1] == ' ' {
		return "", 0, false
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case ':':
			if i+1 == len(s) || s[i+1] == ' ' {
				if s[i-1] == ' ' || i == 1 {
					return "", 0, false
				}
				k := i + 1
				return s[1:i], k + leadingSpace(s[k:]), true
			}
			if s[i+1] == '`' {
				return "", 0, false
			}
		}
	}
	return "", 0, false
}

// field reads the field whose marker is at b[i].
func (p *parser) field(b []line, i int, c ctx) (*markup.Node, int, bool) {
	name, m, _ := matchField(b[i].s)
	block, _, end, bf := getIndented(b, i, false, true, -1, m)
	block = trimLeadingBlank(block)
	f := p.node(markup.FieldItem, b[i])
	f.Title = p.inlineString(name, b[i])
	f.Children = p.nested(block, c)
	return f, end, bf
}

func (p *parser) fieldList(b []line, i int, c ctx, out *[]*markup.Node) int {
	list := p.node(markup.FieldList, b[i])
	j := i
	var bf bool
	for {
		var f *markup.Node
		f, j, bf = p.field(b, j, c)
		list.Children = append(list.Children, f)
		k := skipBlank(b, j)
		if k >= len(b) || classify(b[k].s) != kField {
			j = k
			break
		}
		j = k
	}
	*out = append(*out, list)
	if !bf {
		p.unindentWarning(b, j, "Field list")
	}
	return j
}

// docinfo turns the field list at the top of the document into metadata.
// Values are the fields' text: a date field is parsed as a date when it is
// one, and a field holding a bullet list of single paragraphs becomes their
// text joined by commas. Lists written in a line ("a, b") stay as written;
// package incident splits them.
//
// As in docutils, an abstract or a dedication is also shown, as a topic
// at the start of the body; the topics are returned.
func (p *parser) docinfo(list *markup.Node) ([]markup.Field, []*markup.Node) {
	var fields []markup.Field
	var topics []*markup.Node
	for _, f := range list.Children {
		if k := strings.ToLower(f.Title); k == "abstract" || k == "dedication" {
			topics = append(topics, &markup.Node{Kind: markup.Admonition, Class: "topic",
				Title: strings.ToUpper(k[:1]) + k[1:], Line: f.Line, Col: f.Col, Children: f.Children})
		}
		pos := markup.Pos{File: p.name, Line: f.Line, Col: f.Col}
		var v any = fieldText(f.Children)
		if strings.EqualFold(f.Title, "date") {
			if d, ok := markup.ParseDate(v.(string)); ok {
				v = d
			}
		}
		if s, ok := v.(string); ok {
			v = strings.Clone(s) // metadata outlives the source: no slice of it
		}
		fields = append(fields, markup.Field{Key: strings.Clone(f.Title), Value: v, Pos: pos})
	}
	return fields, topics
}

func fieldText(body []*markup.Node) string {
	if len(body) == 1 {
		switch n := body[0]; n.Kind {
		case markup.Paragraph:
			return markup.InlineText(n)
		case markup.List:
			var items []string
			for _, it := range n.Children {
				if len(it.Children) != 1 || it.Children[0].Kind != markup.Paragraph {
					items = nil
					break
				}
				items = append(items, markup.InlineText(it.Children[0]))
			}
			if items != nil {
				return strings.Join(items, ", ")
			}
		}
	}
	var paras []string
	for _, n := range body {
		if t := markup.PlainText([]*markup.Node{n}); t != "" {
			paras = append(paras, t)
		}
	}
	return strings.Join(paras, "\n\n")
}

// Option lists.

func (p *parser) optionItem(b []line, i int, c ctx) ([]*markup.Node, int, bool, bool) {
	s := b[i].s
	loc := optionRE.FindStringIndex(s)
	m := loc[1]
	block, _, end, bf := getIndented(b, i, false, true, -1, m)
	block = trimLeadingBlank(block)
	if len(block) == 0 {
		return nil, 0, false, false
	}
	marker := strings.TrimRight(s[:m], " ")
	term := p.at(&markup.Node{Kind: markup.DefinitionTerm}, b[i])
	for k, opt := range strings.Split(marker, ", ") {
		if k > 0 {
			term.Children = append(term.Children, p.at(&markup.Node{Kind: markup.Text, Literal: ", "}, b[i]))
		}
		term.Children = append(term.Children, p.at(&markup.Node{Kind: markup.Code, Literal: opt}, b[i]))
	}
	def := p.at(&markup.Node{Kind: markup.Definition}, block[0])
	def.Children = p.nested(block, c)
	return []*markup.Node{term, def}, end, bf, true
}

func (p *parser) optionList(b []line, i int, c ctx, out *[]*markup.Node) (int, bool) {
	nodes, j, bf, ok := p.optionItem(b, i, c)
	if !ok {
		return 0, false
	}
	list := p.at(&markup.Node{Kind: markup.DefinitionList, Children: nodes}, b[i])
	for {
		k := skipBlank(b, j)
		if k >= len(b) || classify(b[k].s) != kOption {
			j = k
			break
		}
		more, e, f, ok := p.optionItem(b, k, c)
		if !ok {
			j = k
			break
		}
		list.Children = append(list.Children, more...)
		j, bf = e, f
	}
	*out = append(*out, list)
	if !bf {
		p.unindentWarning(b, j, "Option list")
	}
	return j, true
}

// Definition lists.

var classifierRE = regexp.MustCompile(` +: +`)

// definitionList reads a definition list whose first term is b[i].
func (p *parser) definitionList(b []line, i int, c ctx, out *[]*markup.Node) int {
	list := p.at(&markup.Node{Kind: markup.DefinitionList}, b[i])
	term := i
	var j int
	var bf bool
	for {
		var block []line
		block, _, j, bf = getIndented(b, term+1, false, true, -1, -1)
		block = trimLeadingBlank(block)
		list.Children = append(list.Children, p.term(b[term]))
		def := p.nodes.New(markup.Definition)
		if len(block) > 0 {
			p.at(def, block[0])
		} else {
			p.at(def, b[term])
		}
		def.Children = p.nested(block, c)
		list.Children = append(list.Children, def)
		k := skipBlank(b, j)
		if k+1 >= len(b) || classify(b[k].s) != kText || b[k+1].s == "" || b[k+1].s[0] != ' ' {
			j = k
			break
		}
		term = k
	}
	*out = append(*out, list)
	if !bf {
		p.unindentWarning(b, j, "Definition list")
	}
	return j
}

// term builds a definition list term; " : " separates classifiers.
func (p *parser) term(l line) *markup.Node {
	t := p.node(markup.DefinitionTerm, l)
	var cur *markup.Node = t
	for _, n := range p.inline(newIText([]line{l})) {
		// " : " is in every match of classifierRE: most terms have none.
		if n.Kind != markup.Text || !strings.Contains(n.Literal, " : ") {
			cur.Children = append(cur.Children, n)
			continue
		}
		parts := classifierRE.Split(n.Literal, -1)
		if len(parts) == 1 {
			cur.Children = append(cur.Children, n)
			continue
		}
		if s := strings.TrimRight(parts[0], " "); s != "" {
			cur.Children = append(cur.Children, &markup.Node{Kind: markup.Text, Literal: s, Line: n.Line, Col: n.Col})
		}
		for _, part := range parts[1:] {
			t.Children = append(t.Children, &markup.Node{Kind: markup.Text, Literal: " ", Line: n.Line, Col: n.Col})
			cur = &markup.Node{Kind: markup.Span, Class: "classifier", Line: n.Line, Col: n.Col}
			if part != "" {
				cur.Children = []*markup.Node{{Kind: markup.Text, Literal: part, Line: n.Line, Col: n.Col}}
			}
			t.Children = append(t.Children, cur)
		}
	}
	return t
}
