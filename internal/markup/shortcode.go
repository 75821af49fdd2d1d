package markup

import (
	"bytes"
	"strconv"
	"strings"
)

// Postmortems exported from Hugo, Docsy or Jekyll blogs hold template tags
// that mean nothing outside those tools: Hugo shortcodes ({{< name >}},
// {{% name %}}, closed by {{< /name >}}) and Liquid tags ({% name %}).
// Before goldmark sees a Markdown body, stripTemplateTags rewrites them into
// the plain Markdown they stood for where that is known, and drops them
// otherwise:
//
//   - ref and relref become the path they name, so that
//     [see]({{< ref "x.md" >}}) is the link [see](x.md);
//   - figure and img with a src become an image, ![alt](src);
//   - a paired shortcode keeps what it encloses, without its tags;
//   - the escaped form {{</* name */>}} becomes {{< name >}}, as Hugo
//     shows it;
//   - Liquid's highlight block becomes a fenced code block in its
//     language (as does Hugo's highlight shortcode); raw keeps what it
//     encloses as written; comment drops it; link and post_url become
//     their path; any other Liquid tag goes.
//
// Liquid output ({{ x }}) is left as written, and so is everything inside
// fenced code blocks and code spans. Every newline of a removed tag is
// kept, so whatever follows keeps its line number (not always its column).
// The scan is linear in the size of the body: each search for a closing
// delimiter remembers its answer, so no stretch of text is searched twice
// for the same thing.

// templateHint is the hint of the warning for a file with template tags.
const templateHint = "kb does not run Hugo or Jekyll templates; write plain Markdown links and images to keep them"

// stripTemplateTags returns body, whose first byte is on file line
// firstLine, with its template tags rewritten, and records one warning in
// d when it rewrote or dropped any.
func stripTemplateTags(d *Doc, body []byte, firstLine int) []byte {
	t := rewriteTemplateTags(body)
	if t.first >= 0 {
		line, col := NewLineIndex(body, firstLine).Pos(t.first)
		d.Warnings = append(d.Warnings, Warning{
			Pos:     Pos{File: d.Path, Line: line, Col: col},
			Message: templateMessage(t.hugo, t.liquid),
			Hint:    templateHint,
		})
	}
	return t.out
}

// templateMessage says how many tags of each kind were rewritten or
// dropped.
func templateMessage(hugo, liquid int) string {
	var parts []string
	if hugo > 0 {
		parts = append(parts, plural(hugo, "Hugo shortcode"))
	}
	if liquid > 0 {
		parts = append(parts, plural(liquid, "Liquid tag"))
	}
	if hugo+liquid == 1 {
		return parts[0] + " was shown as its text or left out"
	}
	return strings.Join(parts, " and ") + " were shown as their text or left out"
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// tagRewrite is the result of rewriteTemplateTags.
type tagRewrite struct {
	out []byte
	// hugo and liquid count the tags rewritten or dropped: a closing tag
	// that matches an earlier opening one is not counted again, and an
	// escaped shortcode, shown as Hugo shows it, not at all.
	hugo, liquid int
	// first is the input offset of the first tag counted, or -1.
	first int
}

// rewriteTemplateTags rewrites the template tags of a Markdown body. The
// output has exactly as many newlines as src.
func rewriteTemplateTags(src []byte) tagRewrite {
	if !bytes.Contains(src, []byte("{{<")) && !bytes.Contains(src, []byte("{{%")) && !bytes.Contains(src, []byte("{%")) {
		return tagRewrite{out: src, first: -1}
	}
	s := &tagScanner{
		src:        src,
		out:        make([]byte, 0, len(src)),
		first:      -1,
		hugoOpen:   map[string]int{},
		liquidOpen: map[string]int{},
		memos:      map[string]*nextMemo{},
		tagEnd:     map[int]int{},
	}
	s.run()
	return tagRewrite{out: s.out, hugo: s.hugo, liquid: s.liquid, first: s.first}
}

type tagScanner struct {
	src, out     []byte
	hugo, liquid int
	first        int
	// Opening tags seen and not yet closed, by name, so that a closing tag
	// counts only when it closes nothing.
	hugoOpen, liquidOpen map[string]int
	// memos remember searches, by what was searched for; tagEnd the end
	// of each closing tag they found, by its start.
	memos  map[string]*nextMemo
	tagEnd map[int]int
	// Backtick runs of the current block from runsFrom on, by length.
	runs             map[int][]int
	runIdx           map[int]int
	runsFrom, runsTo int
}

// nextMemo remembers one search: the first match at or after from is at
// (-1: none), so it is also the first match from any offset in between.
type nextMemo struct{ from, at int }

// next returns the first match at or after i of the search named key,
// which search performs.
func (s *tagScanner) next(key string, i int, search func(i int) int) int {
	m := s.memos[key]
	if m != nil && i >= m.from && (m.at < 0 || i <= m.at) {
		return m.at
	}
	at := search(i)
	if m == nil {
		m = &nextMemo{}
		s.memos[key] = m
	}
	m.from, m.at = i, at
	return at
}

// index returns the offset of the next occurrence of needle at or after i.
func (s *tagScanner) index(needle string, i int) int {
	return s.next(needle, i, func(i int) int {
		k := bytes.Index(s.src[i:], []byte(needle))
		if k < 0 {
			return -1
		}
		return i + k
	})
}

// run copies fenced code blocks and blank lines as they are and rewrites
// the blocks of text between them.
func (s *tagScanner) run() {
	for i := 0; i < len(s.src); {
		e := lineEnd(s.src, i)
		if ch, n, ok := fenceOpen(s.src[i:e]); ok {
			j := e
			for j < len(s.src) {
				k := lineEnd(s.src, j)
				closed := fenceClose(s.src[j:k], ch, n)
				j = k
				if closed {
					break
				}
			}
			s.out = append(s.out, s.src[i:j]...)
			i = j
			continue
		}
		if isBlank(s.src[i:e]) {
			s.out = append(s.out, s.src[i:e]...)
			i = e
			continue
		}
		i = s.block(i)
	}
}

// blockEnd returns the start of the first line after i that is blank or
// opens a fence: where a tag or a code span must have ended.
func (s *tagScanner) blockEnd(i int) int {
	j := lineEnd(s.src, i)
	for j < len(s.src) {
		e := lineEnd(s.src, j)
		if l := s.src[j:e]; isBlank(l) {
			return j
		} else if _, _, ok := fenceOpen(l); ok {
			return j
		}
		j = e
	}
	return j
}

// block rewrites the tags of the block of text starting at i, skipping
// code spans, and returns where the block ends.
func (s *tagScanner) block(i int) int {
	end := s.blockEnd(i)
	for i < end {
		k := bytes.IndexAny(s.src[i:end], "\\`{")
		if k < 0 {
			s.out = append(s.out, s.src[i:end]...)
			break
		}
		s.out = append(s.out, s.src[i:i+k]...)
		i += k
		switch s.src[i] {
		case '\\':
			n := 1
			if i+1 < end && s.src[i+1] == '`' {
				n = 2 // an escaped backtick opens no code span
			}
			s.out = append(s.out, s.src[i:i+n]...)
			i += n
		case '`':
			n := runLen(s.src[i:end], '`')
			j := i + n
			if c := s.codeSpanEnd(i, n, end); c >= 0 {
				j = c + n
			}
			s.out = append(s.out, s.src[i:j]...)
			i = j
		case '{':
			i = s.tag(i, end)
			if i > end {
				// A raw or highlight block ran on past the block: go on
				// from where it ended, in the block that holds that.
				end = s.blockEnd(i)
			}
		}
	}
	return end
}

// codeSpanEnd returns the start of the backtick run of length n that
// closes the code span opened at i, or -1.
func (s *tagScanner) codeSpanEnd(i, n, end int) int {
	if s.runs == nil || s.runsTo != end || i < s.runsFrom {
		s.runs, s.runIdx = map[int][]int{}, map[int]int{}
		s.runsFrom, s.runsTo = i, end
		for j := i; j < end; {
			k := bytes.IndexByte(s.src[j:end], '`')
			if k < 0 {
				break
			}
			j += k
			m := runLen(s.src[j:end], '`')
			s.runs[m] = append(s.runs[m], j)
			j += m
		}
	}
	list, x := s.runs[n], s.runIdx[n]
	for x < len(list) && list[x] <= i {
		x++
	}
	s.runIdx[n] = x
	if x < len(list) {
		return list[x]
	}
	return -1
}

// tag handles the '{' at i: a template tag when one starts there and ends
// before end. It writes the output and returns where scanning goes on.
func (s *tagScanner) tag(i, end int) int {
	rest := s.src[i:end]
	switch {
	case bytes.HasPrefix(rest, []byte("{{</*")), bytes.HasPrefix(rest, []byte("{{%/*")):
		open, shut := rest[2], closingDelim(rest[2])
		closer := "*/" + string(shut) + "}}"
		if k := s.index(closer, i+5); k >= 0 && k+len(closer) <= end {
			s.out = append(s.out, '{', '{', open)
			s.out = append(s.out, s.src[i+5:k]...)
			s.out = append(s.out, shut, '}', '}')
			return k + len(closer)
		}
		return s.literal(i, 3)
	case bytes.HasPrefix(rest, []byte("{{<")), bytes.HasPrefix(rest, []byte("{{%")):
		closer := string(closingDelim(rest[2])) + "}}"
		if k := s.index(closer, i+3); k >= 0 && k+3 <= end && !s.opensBefore("{{", i+3, k) {
			if j, ok := s.shortcode(i, k+3, string(s.src[i+3:k])); ok {
				return j
			}
		}
		return s.literal(i, 3)
	case bytes.HasPrefix(rest, []byte("{{{")):
		return s.literal(i, 1)
	case bytes.HasPrefix(rest, []byte("{{")):
		return s.literal(i, 2) // Liquid output, {{ x }}
	case bytes.HasPrefix(rest, []byte("{%")):
		if k := s.index("%}", i+2); k >= 0 && k+2 <= end && !s.opensBefore("{%", i+2, k) {
			name, args, ok := liquidTag(s.src[i+2 : k])
			if ok {
				return s.rewriteLiquid(i, k+2, name, args)
			}
		}
		return s.literal(i, 2)
	}
	return s.literal(i, 1)
}

// opensBefore reports whether src[i:k] holds open, which opens another
// tag: then the one before it is not a tag.
func (s *tagScanner) opensBefore(open string, i, k int) bool {
	o := s.index(open, i)
	return o >= 0 && o+len(open) <= k
}

// closingDelim returns the character that closes a shortcode opened with
// "{{" and d: {{< >}}, {{% %}}.
func closingDelim(d byte) byte {
	if d == '<' {
		return '>'
	}
	return d
}

func (s *tagScanner) literal(i, n int) int {
	s.out = append(s.out, s.src[i:i+n]...)
	return i + n
}

// count records a rewritten or dropped tag at offset i.
func (s *tagScanner) count(hugo bool, i int) {
	if hugo {
		s.hugo++
	} else {
		s.liquid++
	}
	if s.first < 0 {
		s.first = i
	}
}

// replace writes r in place of src[i:j], followed by as many newlines as
// are needed to keep the count of src[i:j]. Newlines in r beyond that
// count become spaces.
func (s *tagScanner) replace(i, j int, r string) {
	want := bytes.Count(s.src[i:j], []byte("\n"))
	if n := strings.Count(r, "\n"); n > want {
		r = strings.ReplaceAll(r, "\n", " ")
	}
	s.out = append(s.out, r...)
	for n := strings.Count(r, "\n"); n < want; n++ {
		s.out = append(s.out, '\n')
	}
}

// shortcode rewrites the Hugo shortcode src[i:j] whose text between the
// delimiters is inner. It reports false when inner names no shortcode.
func (s *tagScanner) shortcode(i, j int, inner string) (int, bool) {
	in := strings.TrimSpace(inner)
	closing := strings.HasPrefix(in, "/")
	if closing {
		in = strings.TrimSpace(in[1:])
	}
	in = strings.TrimSpace(strings.TrimSuffix(in, "/")) // {{< name />}}
	name, rest := in, ""
	if k := strings.IndexAny(in, " \t\n"); k >= 0 {
		name, rest = in[:k], in[k+1:]
	}
	if !isShortcodeName(name) {
		return 0, false
	}
	if closing {
		if s.hugoOpen[name] > 0 {
			s.hugoOpen[name]--
		} else {
			s.count(true, i)
		}
		s.replace(i, j, "")
		return j, true
	}
	s.count(true, i)
	pos, named := shortcodeArgs(rest)
	switch name {
	case "ref", "relref":
		p := named["path"]
		if p == "" && len(pos) > 0 {
			p = pos[0]
		}
		s.replace(i, j, p)
		return j, true
	case "figure", "img":
		r := ""
		if src := named["src"]; src != "" {
			alt := named["alt"]
			if alt == "" {
				alt = named["caption"]
			}
			r = markdownImage(alt, src)
		}
		s.replace(i, j, r)
		return j, true
	case "highlight":
		lang := ""
		if len(pos) > 0 {
			lang = pos[0]
		}
		if ci, cj := s.findHugoClose(j, name); ci >= 0 && s.fence(i, j, ci, cj, lang) {
			return cj, true
		}
	}
	s.hugoOpen[name]++
	s.replace(i, j, "")
	return j, true
}

// rewriteLiquid rewrites the Liquid tag src[i:j].
func (s *tagScanner) rewriteLiquid(i, j int, name string, args []string) int {
	if strings.HasPrefix(name, "end") && s.liquidOpen[name[3:]] > 0 {
		s.liquidOpen[name[3:]]--
		s.replace(i, j, "")
		return j
	}
	s.count(false, i)
	arg := ""
	if len(args) > 0 {
		arg = args[0]
	}
	switch name {
	case "link", "post_url":
		s.replace(i, j, arg)
		return j
	case "highlight":
		if ci, cj := s.findLiquid(j, "endhighlight"); ci >= 0 && s.fence(i, j, ci, cj, arg) {
			return cj
		}
	case "raw":
		if ci, cj := s.findLiquid(j, "endraw"); ci >= 0 {
			s.replace(i, j, "")
			s.out = append(s.out, s.src[j:ci]...)
			s.replace(ci, cj, "")
			return cj
		}
	case "comment":
		if _, cj := s.findLiquid(j, "endcomment"); cj >= 0 {
			s.replace(i, cj, "")
			return cj
		}
	}
	s.liquidOpen[name]++
	s.replace(i, j, "")
	return j
}

// fence writes the highlight block from the opening tag src[i:j] to the
// closing tag src[ci:cj] as a fenced code block in lang, its content as
// written. It reports false, writing nothing, unless each tag stands alone
// on its line, as the fences that replace them must.
func (s *tagScanner) fence(i, j, ci, cj int, lang string) bool {
	if !aloneBefore(s.src, i) || !aloneAfter(s.src, j) || !aloneBefore(s.src, ci) || !aloneAfter(s.src, cj) {
		return false
	}
	if strings.ContainsAny(lang, "`~") {
		lang = ""
	}
	f := strings.Repeat("`", max(3, longestRun(s.src[j:ci], '`')+1))
	s.replace(i, j, f+lang)
	s.out = append(s.out, s.src[j:ci]...)
	s.replace(ci, cj, f)
	return true
}

// findLiquid returns the span of the next Liquid tag named name at or
// after i, or -1, -1.
func (s *tagScanner) findLiquid(i int, name string) (int, int) {
	a := s.next("{%"+name, i, func(i int) int {
		closeAt := -1
		a := bytes.Index(s.src[i:], []byte("{%"))
		if a < 0 {
			return -1
		}
		a += i
		for {
			b := bytes.Index(s.src[a+2:], []byte("{%"))
			if b >= 0 {
				b += a + 2
			}
			if closeAt < a+2 {
				c := bytes.Index(s.src[a+2:], []byte("%}"))
				if c < 0 {
					return -1
				}
				closeAt = a + 2 + c
			}
			if b < 0 || b+2 > closeAt {
				if n, _, ok := liquidTag(s.src[a+2 : closeAt]); ok && n == name {
					s.tagEnd[a] = closeAt + 2
					return a
				}
			}
			if b < 0 {
				return -1
			}
			a = b
		}
	})
	if a < 0 {
		return -1, -1
	}
	return a, s.tagEnd[a]
}

// findHugoClose returns the span of the next closing shortcode {{< /name >}}
// (or {{% /name %}}) at or after i, or -1, -1.
func (s *tagScanner) findHugoClose(i int, name string) (int, int) {
	closeAt := map[byte]int{'<': -1, '%': -1}
	a := s.next("{{/"+name, i, func(i int) int {
		for k := i; ; {
			a := bytes.Index(s.src[k:], []byte("{{"))
			if a < 0 || a+k+2 >= len(s.src) {
				return -1
			}
			a += k
			k = a + 2
			d := s.src[a+2]
			if d != '<' && d != '%' {
				continue
			}
			if closeAt[d] < a+3 {
				c := bytes.Index(s.src[a+3:], []byte{closingDelim(d), '}', '}'})
				if c < 0 {
					closeAt[d] = len(s.src)
					continue
				}
				closeAt[d] = a + 3 + c
			}
			if closeAt[d] == len(s.src) {
				continue
			}
			in := strings.TrimSpace(string(s.src[a+3 : closeAt[d]]))
			if strings.HasPrefix(in, "/") && strings.TrimSpace(in[1:]) == name {
				s.tagEnd[a] = closeAt[d] + 3
				return a
			}
		}
	})
	if a < 0 {
		return -1, -1
	}
	return a, s.tagEnd[a]
}

// liquidTag splits the text between {% and %} into the tag's name and its
// arguments. It reports false when the text does not start with a name.
func liquidTag(b []byte) (string, []string, bool) {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(string(b), "-"), "-"))
	f := strings.Fields(s)
	if len(f) == 0 || !isLiquidName(f[0]) {
		return "", nil, false
	}
	args := f[1:]
	for k, a := range args {
		if len(a) >= 2 && (a[0] == '"' || a[0] == '\'') && a[len(a)-1] == a[0] {
			args[k] = a[1 : len(a)-1]
		}
	}
	return f[0], args, true
}

func isLiquidName(s string) bool {
	for k := 0; k < len(s); k++ {
		c := s[k]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || k > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return s != ""
}

func isShortcodeName(s string) bool {
	for k := 0; k < len(s); k++ {
		c := s[k]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			k > 0 && (c == '-' || c == '.' || c == '/')) {
			return false
		}
	}
	return s != ""
}

// shortcodeArgs reads a shortcode's arguments: positional ones ("quoted",
// `raw` or bare) and named ones (key="value").
func shortcodeArgs(s string) ([]string, map[string]string) {
	var pos []string
	named := map[string]string{}
	for {
		s = strings.TrimLeft(s, " \t\n")
		if s == "" {
			return pos, named
		}
		key := ""
		k := 0
		for k < len(s) && (s[k] == '_' || s[k] == '-' || 'a' <= s[k] && s[k] <= 'z' || 'A' <= s[k] && s[k] <= 'Z' || '0' <= s[k] && s[k] <= '9') {
			k++
		}
		if k > 0 && k < len(s) && s[k] == '=' {
			key, s = s[:k], s[k+1:]
		}
		var v string
		v, s = argValue(s)
		if key != "" {
			named[key] = v
		} else {
			pos = append(pos, v)
		}
	}
}

// argValue reads one value at the start of s and returns it with the rest.
func argValue(s string) (string, string) {
	if s == "" {
		return "", ""
	}
	switch s[0] {
	case '"':
		for k := 1; k < len(s); k++ {
			if s[k] == '\\' {
				k++
				continue
			}
			if s[k] == '"' {
				if v, err := strconv.Unquote(s[:k+1]); err == nil {
					return v, s[k+1:]
				}
				return s[1:k], s[k+1:]
			}
		}
		return s[1:], ""
	case '`':
		if k := strings.IndexByte(s[1:], '`'); k >= 0 {
			return s[1 : k+1], s[k+2:]
		}
		return s[1:], ""
	}
	if k := strings.IndexAny(s, " \t\n"); k >= 0 {
		return s[:k], s[k:]
	}
	return s, ""
}

// markdownImage writes an image in Markdown.
func markdownImage(alt, src string) string {
	alt = strings.NewReplacer("\\", "\\\\", "[", "\\[", "]", "\\]", "\n", " ").Replace(alt)
	src = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\n", "").Replace(src)
	return "![" + alt + "](" + src + ")"
}

// lineEnd returns the offset after the newline that ends the line at i,
// or len(b).
func lineEnd(b []byte, i int) int {
	if k := bytes.IndexByte(b[i:], '\n'); k >= 0 {
		return i + k + 1
	}
	return len(b)
}

func isBlank(l []byte) bool {
	return len(bytes.Trim(l, " \t\n")) == 0
}

// skipContainer returns the offset in l after the indentation and block
// quote markers that may precede a fence.
func skipContainer(l []byte) int {
	k := 0
	for k < len(l) && (l[k] == ' ' || l[k] == '\t' || l[k] == '>') {
		k++
	}
	return k
}

// fenceOpen reports whether l opens a fenced code block, with which
// character and how many of it.
func fenceOpen(l []byte) (byte, int, bool) {
	k := skipContainer(l)
	if k >= len(l) || (l[k] != '`' && l[k] != '~') {
		return 0, 0, false
	}
	c := l[k]
	n := runLen(l[k:], c)
	if n < 3 || c == '`' && bytes.IndexByte(l[k+n:], '`') >= 0 {
		return 0, 0, false
	}
	return c, n, true
}

// fenceClose reports whether l closes a fence of n characters c.
func fenceClose(l []byte, c byte, n int) bool {
	k := skipContainer(l)
	m := runLen(l[k:], c)
	return m >= n && isBlank(l[k+m:])
}

func runLen(b []byte, c byte) int {
	n := 0
	for n < len(b) && b[n] == c {
		n++
	}
	return n
}

func longestRun(b []byte, c byte) int {
	best := 0
	for i := 0; i < len(b); {
		k := bytes.IndexByte(b[i:], c)
		if k < 0 {
			break
		}
		n := runLen(b[i+k:], c)
		best = max(best, n)
		i += k + n
	}
	return best
}

// aloneBefore reports whether only indentation and quote markers precede
// offset i on its line.
func aloneBefore(b []byte, i int) bool {
	for i > 0 && b[i-1] != '\n' {
		i--
		if c := b[i]; c != ' ' && c != '\t' && c != '>' {
			return false
		}
	}
	return true
}

// aloneAfter reports whether only spaces follow offset i on its line.
func aloneAfter(b []byte, i int) bool {
	for ; i < len(b) && b[i] != '\n'; i++ {
		if b[i] != ' ' && b[i] != '\t' {
			return false
		}
	}
	return true
}
