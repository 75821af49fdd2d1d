package rst

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Inline markup follows docutils' recognition rules: a start-string must
// follow whitespace, an opening bracket or quote, or a delimiter, and be
// followed by something other than whitespace; an end-string must follow
// something other than whitespace and be followed by whitespace, a closing
// bracket or quote, or a delimiter. A start-string between a matching pair
// of quotes or brackets is not markup. Inline markup does not nest.
//
// docutils finds each end-string with a regular expression search from the
// start-string, which is quadratic on hostile text. Here the end-strings of
// each kind are found once per paragraph, in one pass, and each start-string
// takes the first end after it with a cursor that only moves forward: an
// end-string's validity never depends on where its start-string is.

// Internal node kinds, replaced before the document leaves the reader.
const (
	// kindSubst is a substitution reference; Literal is its name.
	kindSubst markup.Kind = 250
	// kindSplice is replaced by its children.
	kindSplice markup.Kind = 251
)

// end-string kinds.
const (
	endEmphasis = iota
	endStrong
	endLiteral
	endTarget
	endSubst
	endInterpreted
	numEnds
)

// endString is a valid end-string: it starts at pos and markup continues
// after next. role and refend are the suffix of interpreted text.
type endString struct {
	pos, next int
	role      string
	refend    string
}

// endList holds the end-strings of one kind in a text, in order. A long
// paragraph of markup has an end-string candidate every few bytes, so
// positions are kept apart from suffixes: only interpreted text and
// substitution references have suffixes, and the other kinds then cost a
// third of the memory.
type endList struct {
	ends []endAt
	// sfx[i] is the suffix of ends[i]; nil for kinds without suffixes.
	sfx []endSuffix
	cur int
}

// endAt is where an end-string starts and where markup continues after it.
type endAt struct{ pos, next int }

// endSuffix is what follows the closing backquote of interpreted text, or
// the underscores after a substitution reference.
type endSuffix struct{ role, refend string }

// add appends an end-string without a suffix.
func (e *endList) add(pos, next int) {
	e.ends = append(e.ends, endAt{pos, next})
}

// addSuffixed appends an end-string with its suffix.
func (e *endList) addSuffixed(x endString) {
	e.ends = append(e.ends, endAt{x.pos, x.next})
	e.sfx = append(e.sfx, endSuffix{x.role, x.refend})
}

// from returns the first end-string at or after off.
func (e *endList) from(off int) (endString, bool) {
	for e.cur < len(e.ends) && e.ends[e.cur].pos < off {
		e.cur++
	}
	if e.cur >= len(e.ends) {
		return endString{}, false
	}
	at := e.ends[e.cur]
	x := endString{pos: at.pos, next: at.next}
	if e.sfx != nil {
		x.role, x.refend = e.sfx[e.cur].role, e.sfx[e.cur].refend
	}
	return x, true
}

// inl parses the inline markup of one text.
type inl struct {
	p *parser
	t itext
	// s is t.s with every backslash escape's backslash turned into NUL,
	// as docutils' escape2null does; it has the same length as t.s.
	s    string
	out  []*markup.Node
	ends [numEnds]*endList
	// Word chains that were already tried as a reference name or a role
	// and failed: no start inside them can succeed either.
	refFail, roleFail int
	wbuf              []int // room for wordEnds
}

// inline parses the inline markup of t.
func (p *parser) inline(t itext) []*markup.Node {
	if t.s == "" {
		return nil
	}
	in := &inl{p: p, t: t, s: escape2null(t.s)}
	in.run()
	return mergeText(in.out)
}

func escape2null(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	b := []byte(s)
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' {
			b[i] = 0
			if i+1 < len(b) {
				_, size := utf8.DecodeRune(b[i+1:])
				i += size
			}
		}
	}
	return string(b)
}

// unescape removes escapes: the NULs standing for backslashes, and an
// escaped space or line break altogether.
func unescape(s string) string {
	if strings.IndexByte(s, 0) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			if i+1 < len(s) && (s[i+1] == ' ' || s[i+1] == '\n') {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// restoreBackslashes turns escapes back into backslashes, for literals.
func restoreBackslashes(s string) string {
	return strings.ReplaceAll(s, "\x00", "\\")
}

func runeAt(s string, i int) rune {
	if i < 0 || i >= len(s) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

func runeBefore(s string, i int) rune {
	if i <= 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// prefixOK reports whether a start-string may begin at i: after whitespace,
// an opener or a delimiter.
func prefixOK(s string, i int) bool {
	r := runeBefore(s, i)
	return r < 0 || unicode.IsSpace(r) || unicode.Is(openers, r) || unicode.Is(delimiters, r)
}

// suffixOK reports whether an end-string may stop at i: before the end,
// whitespace, an escape, a closer or a delimiter.
func suffixOK(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r := runeAt(s, i)
	return r == 0 || unicode.IsSpace(r) || unicode.Is(closingDelimiters, r) || unicode.Is(delimiters, r) || unicode.Is(closers, r)
}

// nonSpaceAt reports that i is the end or not whitespace.
func nonSpaceAt(s string, i int) bool {
	return i >= len(s) || !unicode.IsSpace(runeAt(s, i))
}

// spaceOrNul reports whether the rune before i is whitespace or an escape.
func spaceOrNulBefore(s string, i int) bool {
	r := runeBefore(s, i)
	return r < 0 || r == 0 || unicode.IsSpace(r)
}

// isWordRune reports a character of a simple reference name: a letter or
// a digit (docutils' \w without the underscore).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// wordEnds scans a simple name starting at i: words of letters and digits
// joined by single hyphens, dots, underscores, pluses or colons. It appends
// to ends the offsets at which the name can end (after each word), shortest
// first, and returns them with the end of the whole chain; none when no word
// starts at i. Every word of a paragraph is scanned, so callers provide the
// room.
func wordEnds(ends []int, s string, i int) ([]int, int) {
	ends = ends[:0]
	j := i
	for {
		k := j
		for k < len(s) {
			r, size := utf8.DecodeRuneInString(s[k:])
			if !isWordRune(r) {
				break
			}
			k += size
		}
		if k == j {
			if len(ends) == 0 {
				return ends, i
			}
			return ends, ends[len(ends)-1]
		}
		ends = append(ends, k)
		if k+1 < len(s) && strings.IndexByte("-._+:", s[k]) >= 0 {
			if r := runeAt(s, k+1); isWordRune(r) {
				j = k + 1
				continue
			}
		}
		return ends, k
	}
}

// simplenameEnd returns the end of the longest simple name at i, or -1.
func simplenameEnd(s string, i int) int {
	var buf [8]int
	ends, _ := wordEnds(buf[:0], s, i)
	if len(ends) == 0 {
		return -1
	}
	return ends[len(ends)-1]
}

func (in *inl) endList(k int) *endList {
	if e := in.ends[k]; e != nil {
		return e
	}
	e := &endList{}
	s := in.s
	switch k {
	case endEmphasis, endStrong, endTarget, endSubst, endInterpreted:
		var c byte
		switch k {
		case endEmphasis, endStrong:
			c = '*'
		case endTarget, endInterpreted:
			c = '`'
		case endSubst:
			c = '|'
		}
		for i := 1; i < len(s); i++ {
			if s[i] != c {
				continue
			}
			switch k {
			case endEmphasis:
				if !spaceOrNulBefore(s, i) && suffixOK(s, i+1) {
					e.add(i, i+1)
				}
			case endStrong:
				if i+1 < len(s) && s[i+1] == '*' && !spaceOrNulBefore(s, i) && suffixOK(s, i+2) {
					e.add(i, i+2)
				}
			case endTarget:
				if !spaceOrNulBefore(s, i) && suffixOK(s, i+1) {
					e.add(i, i+1)
				}
			case endSubst:
				if spaceOrNulBefore(s, i) {
					continue
				}
				for n := 2; n >= 0; n-- {
					if i+1+n <= len(s) && strings.Count(s[i+1:i+1+n], "_") == n && suffixOK(s, i+1+n) {
						e.addSuffixed(endString{pos: i, next: i + 1 + n, refend: s[i+1 : i+1+n]})
						break
					}
				}
			case endInterpreted:
				if spaceOrNulBefore(s, i) && !(i >= 2 && s[i-2] == 0) {
					continue
				}
				if end, ok := interpretedSuffix(s, i+1); ok {
					end.pos = i
					e.addSuffixed(end)
				}
			}
		}
	case endLiteral:
		for i := 1; i+1 < len(s); i++ {
			if s[i] == '`' && s[i+1] == '`' {
				if r := runeBefore(s, i); !unicode.IsSpace(r) && suffixOK(s, i+2) {
					e.add(i, i+2)
				}
			}
		}
	}
	in.ends[k] = e
	return e
}

// interpretedSuffix matches what may follow the closing backquote of
// interpreted text at i: an optional :role: and an optional _ or __, then
// the end of the markup.
func interpretedSuffix(s string, i int) (endString, bool) {
	var roleEnds []int // offsets after the role's closing colon, longest first
	if i < len(s) && s[i] == ':' {
		var buf [8]int
		ends, _ := wordEnds(buf[:0], s, i+1)
		for k := len(ends) - 1; k >= 0; k-- {
			if e := ends[k]; e < len(s) && s[e] == ':' {
				roleEnds = append(roleEnds, e+1)
			}
		}
	}
	try := func(at int, role string) (endString, bool) {
		for _, ref := range []string{"__", "_", ""} {
			if strings.HasPrefix(s[at:], ref) && suffixOK(s, at+len(ref)) {
				return endString{next: at + len(ref), role: role, refend: ref}, true
			}
		}
		return endString{}, false
	}
	for _, e := range roleEnds {
		if end, ok := try(e, s[i+1:e-1]); ok {
			return end, true
		}
	}
	return try(i, "")
}

// result of trying to match markup at one offset.
type match int

const (
	noMatch match = iota
	skipped       // a start-string that is not markup: go on after it
	matched
)

func (in *inl) run() {
	s := in.s
	bol, last := 0, 0
	for i := 0; i < len(s); {
		c := s[i]
		size := 1
		if c >= utf8.RuneSelf {
			_, size = utf8.DecodeRuneInString(s[i:])
		}
		if !(c == '*' || c == '`' || c == '_' || c == '|' || c == '[' || c == ':' || c >= utf8.RuneSelf || isWordRune(rune(c))) {
			i += size
			continue
		}
		if i != bol && !prefixOK(s, i) {
			i += size
			continue
		}
		res, start, next, nodes := in.try(i, bol)
		switch res {
		case skipped:
			bol, i = next, next
		case matched:
			in.text(last, start)
			in.out = append(in.out, nodes...)
			bol, last, i = next, next, next
		default:
			i += size
		}
	}
	in.text(last, len(s))
}

// try matches markup starting at i, trying docutils' alternatives in its
// order: simple start-strings, whole constructs (references, footnote
// references), then interpreted text. It returns where the matched markup
// starts and where text resumes after it.
func (in *inl) try(i, bol int) (match, int, int, []*markup.Node) {
	s := in.s
	rest := s[i:]
	switch {
	case strings.HasPrefix(rest, "**") && nonSpaceAt(s, i+2):
		return in.object(i, i+2, bol, endStrong)
	case rest[0] == '*' && !strings.HasPrefix(rest, "**") && nonSpaceAt(s, i+1):
		return in.object(i, i+1, bol, endEmphasis)
	case strings.HasPrefix(rest, "``") && nonSpaceAt(s, i+2):
		return in.object(i, i+2, bol, endLiteral)
	case strings.HasPrefix(rest, "_`") && nonSpaceAt(s, i+2):
		return in.object(i, i+2, bol, endTarget)
	case rest[0] == '|' && !strings.HasPrefix(rest, "||") && nonSpaceAt(s, i+1):
		return in.object(i, i+1, bol, endSubst)
	}
	if i >= in.refFail {
		if r := runeAt(s, i); isWordRune(r) {
			if m, next, nodes := in.reference(i); m == matched {
				return m, i, next, nodes
			}
		}
	}
	if rest[0] == '[' {
		if m, next, nodes := in.footnoteRef(i); m == matched {
			return m, i, next, nodes
		}
	}
	if rest[0] == ':' && i >= in.roleFail {
		ends, chain := wordEnds(in.wbuf[:0], s, i+1)
		in.wbuf = ends
		if len(ends) > 0 && strings.HasPrefix(s[chain:], ":`") && !strings.HasPrefix(s[chain+2:], "`") && nonSpaceAt(s, chain+2) {
			return in.interpreted(i, chain+2, s[i+1:chain], bol)
		}
		in.roleFail = chain + 1
	}
	if rest[0] == '`' && !strings.HasPrefix(rest, "``") && nonSpaceAt(s, i+1) {
		return in.interpreted(i, i+1, "", bol)
	}
	return noMatch, 0, 0, nil
}

// quoted reports whether the start-string s[start:end] is enclosed in a
// matching pair of brackets or quotes, or ends the text.
func (in *inl) quoted(start, end, bol int) bool {
	if start == bol {
		return false
	}
	if end >= len(in.s) {
		return true
	}
	pre, post := runeBefore(in.s, start), runeAt(in.s, end)
	return strings.ContainsRune(quoteClosers(pre), post)
}

// objectName names an end-string kind in warnings.
func objectName(k int) string {
	return [numEnds]string{"emphasis", "strong", "literal", "target", "substitution reference", "interpreted text"}[k]
}

// object matches emphasis, strong, literal, inline target or substitution
// reference whose start-string is s[start:end].
func (in *inl) object(start, end, bol, kind int) (match, int, int, []*markup.Node) {
	if in.quoted(start, end, bol) {
		return skipped, start, end, nil
	}
	e, ok := in.endList(kind).from(end)
	if !ok || e.pos == end {
		in.warn(start, "inline %s start-string without end-string", objectName(kind))
		return skipped, start, end, nil
	}
	content := in.s[end:e.pos]
	var n *markup.Node
	switch kind {
	case endEmphasis:
		n = in.node(markup.Emphasis, start)
		n.Children = []*markup.Node{in.textNode(unescape(in.emoji(end, e.pos)), end)}
	case endStrong:
		n = in.node(markup.Strong, start)
		n.Children = []*markup.Node{in.textNode(unescape(in.emoji(end, e.pos)), end)}
	case endLiteral:
		n = in.node(markup.Code, start)
		n.Literal = restoreBackslashes(content)
	case endTarget:
		text := unescape(content)
		t := in.node(markup.Target, start)
		in.p.inlineTarget(t, text)
		return matched, start, e.next, []*markup.Node{t, in.textNode(text, end)}
	case endSubst:
		name := unescape(content)
		n = in.node(kindSubst, start)
		n.Literal = name
		in.p.subst.refs = append(in.p.subst.refs, n)
		if e.refend != "" {
			link := in.node(markup.Link, start)
			link.Children = []*markup.Node{n}
			in.p.refs.pend(link, normalizeName(name), "|"+name+"|"+e.refend, e.refend == "__", in.posOf(link))
			n = link
		}
	}
	return matched, start, e.next, []*markup.Node{n}
}

// interpreted matches interpreted text or a phrase reference whose opening
// backquote ends at end; role is a prefix role, if any.
func (in *inl) interpreted(start, end int, role string, bol int) (match, int, int, []*markup.Node) {
	hasRole := role != ""
	if !hasRole && in.quoted(start, end, bol) {
		return skipped, start, end, nil
	}
	e, ok := in.endList(endInterpreted).from(end)
	if !ok || e.pos == end {
		in.warn(start, "inline interpreted text or phrase reference start-string without end-string")
		return skipped, start, end, nil
	}
	escaped := in.s[end:e.pos]
	raw := restoreBackslashes(in.s[start:e.next])
	if e.role != "" {
		if hasRole {
			in.warn(start, "multiple roles in interpreted text (both prefix and suffix present; only one allowed)")
			return matched, start, e.next, []*markup.Node{in.problem(raw, start)}
		}
		role = e.role
	}
	if e.refend != "" {
		if role != "" {
			in.warn(start, "mismatch: both interpreted text role and reference suffix")
			return matched, start, e.next, []*markup.Node{in.problem(raw, start)}
		}
		return matched, start, e.next, in.phraseRef(escaped, e.refend == "__", raw, start)
	}
	return matched, start, e.next, in.p.role(in, role, raw, escaped, start, end)
}

// phraseRef builds a reference from `text`_ or `text <target>`_.
func (in *inl) phraseRef(escaped string, anonymous bool, raw string, start int) []*markup.Node {
	text, alias, ok := embeddedTarget(escaped)
	link := in.node(markup.Link, start)
	pos := in.posOf(link)
	if !ok {
		t := unescape(escaped)
		link.Children = []*markup.Node{in.textNode(in.emojiIn(escaped), start+1)}
		in.p.refs.pend(link, normalizeName(t), raw, anonymous, pos)
		return []*markup.Node{link}
	}
	isName := strings.HasSuffix(alias, "_") && !strings.HasSuffix(restoreBackslashes(alias), `\_`) && !isURIStart(alias)
	if isName {
		target := normalizeName(unescape(alias[:len(alias)-1]))
		var shown string
		if text == "" {
			text = alias[:len(alias)-1]
			shown = unescape(text)
		} else {
			shown = in.emojiIn(text)
		}
		t := unescape(text)
		link.Children = []*markup.Node{in.textNode(shown, start+1)}
		if !anonymous {
			in.p.refs.indirect(normalizeName(t), target, pos)
		}
		in.p.refs.pend(link, target, raw, false, pos)
		return []*markup.Node{link}
	}
	uri := joinURI(alias)
	if strings.HasSuffix(uri, `\_`) {
		uri = uri[:len(uri)-2] + "_"
	}
	uri = adjustURI(uri)
	shown := uri
	if text != "" {
		shown = in.emojiIn(text)
	} else {
		text = uri
	}
	t := unescape(text)
	link.URL = uri
	link.Children = []*markup.Node{in.textNode(shown, start+1)}
	if !anonymous {
		in.p.refs.external(normalizeName(t), uri, pos)
	}
	return []*markup.Node{link}
}

// embeddedTarget splits "text <target>" (escaped) into the text before the
// angle brackets and the target inside them.
func embeddedTarget(s string) (text, target string, ok bool) {
	if len(s) < 3 || s[len(s)-1] != '>' || spaceOrNulBefore(s, len(s)-1) {
		return "", "", false
	}
	i := len(s) - 2
	for ; i >= 0; i-- {
		c := s[i]
		if c == '<' || c == '>' {
			if i > 0 && s[i-1] == 0 {
				i--
				continue
			}
			break
		}
	}
	if i < 0 || s[i] != '<' || i+1 >= len(s)-1 || !nonSpaceAt(s, i+1) {
		return "", "", false
	}
	target = s[i+1 : len(s)-1]
	j := i
	for j > 0 && (s[j-1] == ' ' || s[j-1] == '\n') {
		j--
	}
	if j == i && i != 0 {
		return "", "", false
	}
	return s[:j], target, true
}

// joinURI removes unescaped whitespace from a URI written across lines.
func joinURI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 0 && i+1 < len(s) && (s[i+1] == ' ' || s[i+1] == '\n') {
			b.WriteByte(' ')
			i++
			continue
		}
		if c == ' ' || c == '\n' || c == '\t' {
			continue
		}
		if c != 0 {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// adjustURI turns an email address into a mailto: URI.
func adjustURI(u string) string {
	if isEmail(u) {
		return "mailto:" + u
	}
	return u
}

// reference matches a simple reference name_ or anonymous name__ at i.
func (in *inl) reference(i int) (match, int, []*markup.Node) {
	s := in.s
	ends, chain := wordEnds(in.wbuf[:0], s, i)
	in.wbuf = ends
	for k := len(ends) - 1; k >= 0; k-- {
		e := ends[k]
		if e >= len(s) || s[e] != '_' {
			continue
		}
		anonymous := false
		next := -1
		if e+1 < len(s) && s[e+1] == '_' && suffixOK(s, e+2) {
			anonymous, next = true, e+2
		} else if suffixOK(s, e+1) {
			next = e + 1
		}
		if next < 0 {
			continue
		}
		name := unescape(s[i:e])
		link := in.node(markup.Link, i)
		link.Children = []*markup.Node{in.textNode(name, i)}
		in.p.refs.pend(link, normalizeName(name), restoreBackslashes(s[i:next]), anonymous, in.posOf(link))
		return matched, next, []*markup.Node{link}
	}
	in.refFail = chain + 1
	return noMatch, 0, nil
}

// footnoteRef matches [1]_, [#]_, [#label]_, [*]_ and [citation]_ at i.
func (in *inl) footnoteRef(i int) (match, int, []*markup.Node) {
	s := in.s
	j := i + 1
	var label string
	switch {
	case j < len(s) && s[j] >= '0' && s[j] <= '9':
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if strings.HasPrefix(s[k:], "]_") {
			label = s[j:k]
		} else if e := simplenameEnd(s, j); e > 0 && strings.HasPrefix(s[e:], "]_") {
			label = s[j:e]
		}
	case j < len(s) && s[j] == '#':
		k := j + 1
		if e := simplenameEnd(s, k); e > 0 {
			k = e
		}
		if strings.HasPrefix(s[k:], "]_") {
			label = s[j:k]
		}
	case j < len(s) && s[j] == '*':
		if strings.HasPrefix(s[j+1:], "]_") {
			label = "*"
		}
	default:
		if e := simplenameEnd(s, j); e > 0 && strings.HasPrefix(s[e:], "]_") {
			label = s[j:e]
		}
	}
	if label == "" {
		return noMatch, 0, nil
	}
	next := j + len(label) + 2
	if !suffixOK(s, next) {
		return noMatch, 0, nil
	}
	n := in.node(markup.FootnoteRef, i)
	in.p.notes.ref(n, label, in.posOf(n))
	return matched, next, []*markup.Node{n}
}

// text adds the plain text s[a:b], finding standalone URIs and email
// addresses in it.
func (in *inl) text(a, b int) {
	if a >= b {
		return
	}
	s := in.s
	pos := a
	for k := a; k < b; k++ {
		c := s[k]
		if c != ':' && c != '@' {
			continue
		}
		var start, end int
		var uri string
		var ok bool
		if c == ':' {
			start, end, ok = uriAt(s, a, b, k)
			if ok {
				uri = unescape(s[start:end])
			} else if end < 0 {
				continue
			}
		} else {
			start, end, ok = emailAt(s, a, b, k)
			if ok {
				uri = "mailto:" + unescape(s[start:end])
			}
		}
		if !ok || start < pos {
			if end > k {
				k = end - 1 // nothing can match inside the run that failed
			}
			continue
		}
		in.plain(pos, start)
		link := in.node(markup.Link, start)
		link.URL = uri
		link.Children = []*markup.Node{in.textNode(unescape(s[start:end]), start)}
		in.out = append(in.out, link)
		pos = end
		k = end - 1
	}
	in.plain(pos, b)
}

func (in *inl) plain(a, b int) {
	if a < b {
		in.out = append(in.out, in.textNode(unescape(in.emoji(a, b)), a))
	}
}

// emoji returns in.s[a:b], text that is neither a literal, a URI nor a
// role, with its emoji shortcodes replaced. It runs before unescape, so
// that "\:fire:" stays as written.
func (in *inl) emoji(a, b int) string {
	return markup.ReplaceEmoji(in.s, a, b, in.p.emoji)
}

// emojiIn is emoji for the text of a phrase reference, written by the
// author: not its target, nor a URI shown in its place. The text stays
// the reference's name as written, so that the reference still finds
// its target.
func (in *inl) emojiIn(s string) string {
	return unescape(markup.ReplaceEmoji(s, 0, len(s), in.p.emoji))
}

const uriSchemes = " about acap addbook afp afs aim callto castanet chttp cid crid data dav dict dns eid fax feed file finger freenet ftp go gopher gsm-sms h323 h324 hdl hnews http https hydra iioploc ilu im imap info ior ipp irc iris.beep iseek jar javascript jdbc ldap lifn livescript lrq mailbox mailserver mailto md5 mid mocha modem mtqp mupdate news nfs nntp opaquelocktoken phone pop pop3 pres printer prospero rdar res rtsp rvp rwhois rx sdp service shttp sip sips smb snews snmp soap.beep soap.beeps ssh t120 tag tcp tel telephone telnet tftp tip tn3270 tv urn uuid vemmi videotex view-source wais whodp whois++ x-man-page xmlrpc.beep xmlrpc.beeps z39.50r z39.50s "

func isURIC(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == 0 || strings.IndexByte("-_.!~*'()[];/:@&=+$,%", c) >= 0
}

func isURILast(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_~*/=+", c) >= 0
}

func isEmailC(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == 0 || strings.IndexByte("-_!~*'{|}/#?^`&=+$%", c) >= 0
}

func isSchemeC(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '+' || c == '-'
}

// uriEndAt reports whether s[x] can be the last character of a URI part.
func uriEndAt(s string, x, b int) bool {
	return isURILast(s[x]) || isURIC(s[x]) && x+1 < b && s[x+1] == '>'
}

// uriRun returns the end of the run of URI characters at i, before b.
func uriRun(s string, i, b int) int {
	e := i
	for e < b && isURIC(s[e]) {
		e++
	}
	return e
}

// uriAt matches a standalone absolute URI around the colon at k, within
// s[a:b]. It returns the URI's extent.
func uriAt(s string, a, b, k int) (int, int, bool) {
	r := k
	for r > a && isSchemeC(s[r-1]) {
		r--
	}
	start := -1
	for p := r; p < k; p++ {
		c := s[p]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			continue
		}
		if k-p > 20 || (p != a && !prefixOK(s, p)) {
			continue // no scheme is that long
		}
		if strings.Contains(uriSchemes, " "+strings.ToLower(s[p:k])+" ") {
			start = p
			break
		}
	}
	if start < 0 {
		return 0, -1, false
	}
	e := uriRun(s, k+1, b)
	// The hierarchical part: the longest run of URI characters whose last
	// character may end a URI, then an optional ?query and #fragment, then
	// the end of the markup.
	for x := e - 1; x > k; x-- {
		if !uriEndAt(s, x, b) {
			continue
		}
		end := x + 1
		if end == e {
			end = uriTail(s, end, b, '?')
			end = uriTail(s, end, b, '#')
		}
		if end == b || suffixOK(s[:b], end) {
			return start, end, true
		}
	}
	return 0, e, false
}

// uriTail extends a URI at i by a query or fragment introduced by mark.
func uriTail(s string, i, b int, mark byte) int {
	if i >= b || s[i] != mark {
		return i
	}
	e := uriRun(s, i+1, b)
	for x := e - 1; x > i; x-- {
		if uriEndAt(s, x, b) && (x+1 == b || suffixOK(s[:b], x+1) || (mark == '?' && s[x+1] == '#')) {
			return x + 1
		}
	}
	return i
}

// emailAt matches an email address around the @ at k, within s[a:b].
func emailAt(s string, a, b, k int) (int, int, bool) {
	if k == a || s[k-1] == 0 || !isEmailC(s[k-1]) {
		return 0, k + 1, false
	}
	l := k
	for l > a && (isEmailC(s[l-1]) || s[l-1] == '.') {
		l--
	}
	// The name may not hold "..": start after the last one.
	if dd := strings.LastIndex(s[l:k], ".."); dd >= 0 {
		l += dd + 2
	}
	start := -1
	for p := l; p < k; p++ {
		if s[p] == '.' || (p != a && !prefixOK(s, p)) {
			continue
		}
		start = p
		break
	}
	e := k + 1
	for e < b && (isEmailC(s[e]) || s[e] == '.') {
		e++
	}
	if start < 0 || e == k+1 || !isEmailC(s[k+1]) {
		return 0, e, false
	}
	for x := min(e, b-1); x >= k+2; x-- {
		if !uriEndAt(s, x, b) {
			continue
		}
		if x+1 == b || suffixOK(s[:b], x+1) {
			return start, x + 1, true
		}
	}
	return 0, e, false
}

// isEmail reports whether all of u is an email address.
func isEmail(u string) bool {
	k := strings.IndexByte(u, '@')
	if k <= 0 {
		return false
	}
	start, end, ok := emailAt(u, 0, len(u), k)
	return ok && start == 0 && end == len(u)
}

// isURIStart reports whether u begins with an absolute URI.
func isURIStart(u string) bool {
	k := strings.IndexByte(u, ':')
	if k <= 0 {
		return false
	}
	start, _, ok := uriAt(u, 0, len(u), k)
	return ok && start == 0
}

func (in *inl) posAt(off int) markup.Pos {
	l, c := in.lineCol(off)
	return markup.Pos{File: in.p.name, Line: l, Col: c}
}

func (in *inl) lineCol(off int) (int, int) {
	k := in.t.lineAt(off)
	ln := in.t.lines[k]
	rel := off - in.t.off(k)
	if rel > len(ln.s) {
		rel = len(ln.s)
	}
	return in.p.pos(ln.n, ln.c+rel)
}

func (in *inl) node(k markup.Kind, off int) *markup.Node {
	n := in.p.nodes.New(k)
	n.Line, n.Col = in.lineCol(off)
	return n
}

// posOf is the position of a node made by node.
func (in *inl) posOf(n *markup.Node) markup.Pos {
	return markup.Pos{File: in.p.name, Line: n.Line, Col: n.Col}
}

func (in *inl) textNode(s string, off int) *markup.Node {
	n := in.node(markup.Text, off)
	n.Literal = s
	return n
}

// problem shows source text that could not be read as markup, as docutils'
// "problematic" element does.
func (in *inl) problem(raw string, off int) *markup.Node {
	n := in.node(markup.Span, off)
	n.Class = "problematic"
	n.Children = []*markup.Node{in.textNode(raw, off)}
	return n
}

func (in *inl) warn(off int, format string, args ...any) {
	if in.p.full() {
		in.p.warned++
		return
	}
	in.p.warnAt(in.posAt(off), "", format, args...)
}

// mergeText joins adjacent text nodes, so each run of words is one node.
// A run is joined once, so that many small texts cost linear time.
func mergeText(ns []*markup.Node) []*markup.Node {
	out := ns[:0]
	for i := 0; i < len(ns); {
		n := ns[i]
		if n.Kind != markup.Text {
			out = append(out, n)
			i++
			continue
		}
		j := i + 1
		for j < len(ns) && ns[j].Kind == markup.Text {
			j++
		}
		if j > i+1 {
			var b strings.Builder
			for _, t := range ns[i:j] {
				b.WriteString(t.Literal)
			}
			n.Literal = b.String()
		}
		if n.Literal != "" {
			out = append(out, n)
		}
		i = j
	}
	return out
}

// normalizeName is docutils' normalize_name: reference names compare with
// whitespace collapsed and case folded.
func normalizeName(s string) string {
	if normalName(s) {
		return s // most names: spare three copies
	}
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// normalName reports whether s is ASCII without capitals whose words are
// separated by single spaces, with none around them: its own normal form.
func normalName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' {
			return false
		}
		if c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			return false
		}
	}
	return true
}

// whitespaceNormalize collapses whitespace only.
func whitespaceNormalize(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
