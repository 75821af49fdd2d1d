package markup

import (
	"bytes"
	"regexp"
	"unicode"
	"unicode/utf8"
)

// sniffLimit is how much of a file Sniff looks at.
const sniffLimit = 64 << 10

var (
	atxRE       = regexp.MustCompile(`^ {0,3}#{1,6}[ \t]+\S`)
	fenceRE     = regexp.MustCompile("^ {0,3}(```|~~~)")
	mdLinkRE    = regexp.MustCompile(`\[[^\]\n]+\]\([^)\s]+\)`)
	boldRE      = regexp.MustCompile(`\*\*[^\s*][^*]*\*\*`)
	boldBullet  = regexp.MustCompile(`^\s*[-*+][ \t]+.*\*\*`)
	tableSepRE  = regexp.MustCompile(`^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$|^[ \t]*\|[ \t]*:?-{3,}:?[ \t]*\|[ \t]*$`)
	makeRuleRE  = regexp.MustCompile(`^[A-Za-z0-9_.%$(){}/\-]+( [A-Za-z0-9_.%$(){}/\-]+)*:([^=]|$)`)
	directiveRE = regexp.MustCompile(`^[ \t]*\.\. [A-Za-z0-9][A-Za-z0-9_+.\-]*(:[A-Za-z0-9_+.\-]+)?::([ \t]|$)`)
	fieldRE     = regexp.MustCompile(`^:[A-Za-z][A-Za-z0-9_ .\-]*:([ \t]+\S|$)`)
	roleRE      = regexp.MustCompile(":[A-Za-z][A-Za-z0-9_+.\\-]*:`[^`]+`|`[^`]+`__?")
)

// Sniff says how to read a file whose name gives no format (no extension):
// "markdown", "rst", "text", or "" when it is not a document at all (binary,
// a script). why is a short reason: for "", what the file is instead
// ("binary file", "a script (#!)", "not UTF-8 text"); otherwise the signal
// that decided the format.
//
// Sniff looks at the first 64 KB only. A file is not a document when it
// holds a NUL byte, is not UTF-8 (a character cut at the 64 KB mark
// aside), is more than 10% control characters, or starts with "#!".
//
// It is Markdown when it has front matter, a "# heading" line standing
// between blank lines (unless make rules show those are comments), a ```
// or ~~~ fence, or at least two of: [text](url) links, **bold**, bullets
// holding **, table rules (|---|).
//
// It is reStructuredText when it has a directive (".. note::"), two field
// list lines (":date: …") in its first 20 lines, or a title adorned with a
// line of "=-~#*" as long as it, together with roles (:doc:`x`, `x`_), a
// "::" literal marker or a field list line (alone, ":fire: Outage" is
// a chat message as often as a field).
//
// When both kinds of signals appear, front matter and "# headings" win for
// Markdown, then a directive for RST; anything less certain is "text".
// Everything else is "text": the plain-text reader shows any markup it
// does not know as it was written.
func Sniff(src []byte) (format, why string) {
	head := src
	if len(head) > sniffLimit {
		head = head[:sniffLimit]
		// A character the limit cut in two is not an encoding error.
		for k := 1; k <= utf8.UTFMax-1 && k <= len(head); k++ {
			if utf8.RuneStart(head[len(head)-k]) {
				if !utf8.FullRune(head[len(head)-k:]) {
					head = head[:len(head)-k]
				}
				break
			}
		}
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")) {
		return "", "not UTF-8 text" // UTF-16, by its byte-order mark
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return "", "binary file"
	}
	if !utf8.Valid(head) {
		return "", "not UTF-8 text"
	}
	total, control := 0, 0
	for _, r := range string(head) {
		total++
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			control++
		}
	}
	if control*10 > total {
		return "", "binary file"
	}
	if bytes.HasPrefix(head, []byte("#!")) {
		return "", "a script (#!)"
	}

	text := bytes.ReplaceAll(head, []byte("\r\n"), []byte("\n"))
	text = bytes.ReplaceAll(text, []byte("\r"), []byte("\n"))
	lines := bytes.Split(text, []byte("\n"))
	blank := func(i int) bool {
		return i < 0 || i >= len(lines) || len(bytes.TrimSpace(lines[i])) == 0
	}

	var (
		frontMatter, atx, fence                     bool
		links, bold, boldBullets, tables, makeRules int

		directive, adorned, roles, literal bool
		fields                             int
	)
	frontMatter = hasFrontMatter(lines)
	for i, l := range lines {
		switch {
		case atxRE.Match(l):
			// "# comment" in a Makefile or a config file looks the same;
			// a heading stands apart from what is around it.
			if blank(i-1) && blank(i+1) {
				atx = true
			}
		case fenceRE.Match(l):
			// "~~~~~~" under or over a title is an RST adornment.
			if l[bytes.IndexAny(l, "`~")] == '`' || !adornsTitle(lines, i) {
				fence = true
			}
		}
		if i+1 < len(lines) && makeRuleRE.Match(l) && bytes.HasPrefix(lines[i+1], []byte("\t")) {
			makeRules++
		}
		links += len(mdLinkRE.FindAllIndex(l, 2))
		bold += len(boldRE.FindAllIndex(l, 2))
		if boldBullet.Match(l) {
			boldBullets++
		}
		if bytes.ContainsRune(l, '|') && tableSepRE.Match(l) {
			tables++
		}

		if directiveRE.Match(l) {
			directive = true
		} else if t := bytes.TrimRight(l, " \t"); bytes.HasSuffix(t, []byte("::")) {
			literal = true
		}
		if i < 20 && fieldRE.Match(l) {
			fields++
		}
		if roleRE.Match(l) {
			roles = true
		}
		if !adorned && i+1 < len(lines) && rstTitle(lines, i) {
			adorned = true
		}
	}
	if makeRules >= 2 {
		atx = false // a Makefile: those were comments
	}
	// ":fire: Outage" opens a chat message as ":date: 2024" opens an RST
	// field list; one such line needs a second, or an RST title, to count.
	field := fields >= 2 || fields == 1 && adorned
	score := min(links, 2) + min(bold, 2) + min(boldBullets, 2) + min(tables, 2)
	md := frontMatter || atx || fence || score >= 2
	rst := directive || field || (adorned && (roles || literal))

	switch {
	case md && rst:
		// Both kinds of signals: trust the ones prose and the other
		// format never produce.
		switch {
		case frontMatter:
			return "markdown", "front matter"
		case atx:
			return "markdown", "a # heading"
		case directive:
			return "rst", "an RST directive"
		}
		return "text", "both Markdown and RST markup"
	case frontMatter:
		return "markdown", "front matter"
	case atx:
		return "markdown", "a # heading"
	case fence:
		return "markdown", "a fenced code block"
	case md:
		return "markdown", "Markdown links, emphasis or tables"
	case directive:
		return "rst", "an RST directive"
	case field:
		return "rst", "an RST field list"
	case rst:
		return "rst", "an RST title with roles or literal blocks"
	}
	return "text", "no markup"
}

// hasFrontMatter reports a "---" or "+++" first line closed by a later one.
func hasFrontMatter(lines [][]byte) bool {
	if len(lines) == 0 {
		return false
	}
	delim := string(bytes.TrimRight(lines[0], " \t"))
	if delim != "---" && delim != "+++" {
		return false
	}
	for _, l := range lines[1:] {
		t := string(bytes.TrimRight(l, " \t"))
		if t == delim || (delim == "---" && t == "...") {
			return true
		}
	}
	return false
}

// rstTitle reports whether lines[i] is a title underlined (and perhaps
// overlined) as RST requires: an adornment of one of "=-~#*" at least as long
// as the title.
func rstTitle(lines [][]byte, i int) bool {
	t := bytes.TrimRight(lines[i], " \t")
	if len(t) == 0 || t[0] == ' ' || t[0] == '\t' || rstAdornment(t) != 0 {
		return false
	}
	u := bytes.TrimRight(lines[i+1], " \t")
	c := rstAdornment(u)
	if c == 0 || len(u) < utf8.RuneCount(t) {
		return false
	}
	if i > 0 {
		// An overline, when there is one, matches the underline.
		if o := bytes.TrimRight(lines[i-1], " \t"); rstAdornment(o) != 0 && !bytes.Equal(o, u) {
			return false
		}
	}
	return true
}

func rstAdornment(s []byte) byte {
	if len(s) < 3 || !bytes.ContainsRune([]byte("=-~#*"), rune(s[0])) {
		return 0
	}
	for _, c := range s {
		if c != s[0] {
			return 0
		}
	}
	return s[0]
}

// adornsTitle reports whether lines[i] is the underline or the overline of
// an RST title.
func adornsTitle(lines [][]byte, i int) bool {
	if i > 0 && rstTitle(lines, i-1) {
		return true
	}
	return i+2 < len(lines) && rstTitle(lines, i+1) &&
		bytes.Equal(bytes.TrimRight(lines[i], " \t"), bytes.TrimRight(lines[i+2], " \t"))
}
