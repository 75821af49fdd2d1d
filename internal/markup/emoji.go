package markup

import (
	"strings"
	"unicode"
	"unicode/utf8"

	emoji "github.com/yuin/goldmark-emoji"
	"github.com/yuin/goldmark-emoji/definition"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Emoji shortcodes (":fire:", ":white_check_mark:") become the emoji they
// name, as GitHub and MkDocs show them, in Markdown and reStructuredText
// alike: both readers look names up in one table, GitHub's
// ([EmojiTable]), and put the Unicode characters into the text of the
// model. Nothing is an image, so a page needs nothing from another origin,
// and the plain text that search and summaries see holds the emoji too.
//
// A shortcode is only one where it stands on its own: not right after or
// before a letter or a digit, so "10:100:5" and "a:b:c" stay as written,
// and not after a backslash. A name the table does not hold stays as
// written. Code, literals, URLs, RST roles and metadata are not running
// text, and keep their colons.

// EmojiTable is GitHub's table of shortcodes: both readers take it from
// here, so a name means the same emoji in either format.
func EmojiTable() definition.Emojis { return definition.Github() }

// emojiEdge reports whether r may stand beside a shortcode: anything but a
// letter, a digit or an escape (NUL, as the RST reader marks one).
func emojiEdge(r rune) bool {
	return r != 0 && !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// isShortcodeByte reports a byte of a shortcode's name, as goldmark-emoji
// reads one.
func isShortcodeByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '+'
}

// ReplaceEmoji returns s[from:to] with each shortcode of table replaced
// by its emoji. What stands beside a shortcode is read in all of s, so a
// caller may pass the text between two pieces of markup. A backslash
// escape must already be a NUL in s (as the RST reader's escape2null
// makes it), so that an escaped colon never starts a shortcode. It
// returns the substring itself when there is nothing to replace, and
// when table is nil.
func ReplaceEmoji(s string, from, to int, table definition.Emojis) string {
	if table == nil || strings.IndexByte(s[from:to], ':') < 0 {
		return s[from:to]
	}
	var b strings.Builder
	last := from
	for i := from; i < to; {
		k := strings.IndexByte(s[i:to], ':')
		if k < 0 {
			break
		}
		i += k
		j := i + 1
		for j < to && isShortcodeByte(s[j]) {
			j++
		}
		if j == i+1 || j >= to || s[j] != ':' {
			i = j
			continue
		}
		e, ok := lookupEmoji(s, i, j+1, table)
		if !ok {
			i = j // the closing colon may open the next one
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(e)
		last = j + 1
		i = j + 1
	}
	if last == from {
		return s[from:to]
	}
	b.WriteString(s[last:to])
	return b.String()
}

// lookupEmoji returns the emoji for the shortcode s[from:to] (colons
// included) when it is one and stands on its own in s.
func lookupEmoji(s string, from, to int, table definition.Emojis) (string, bool) {
	if r, _ := utf8.DecodeLastRuneInString(s[:from]); from > 0 && !emojiEdge(r) {
		return "", false
	}
	if r, _ := utf8.DecodeRuneInString(s[to:]); to < len(s) && !emojiEdge(r) {
		return "", false
	}
	e, ok := table.Get(s[from+1 : to-1])
	if !ok || !e.IsUnicode() {
		return "", false
	}
	return string(e.Unicode), true
}

// emojiParser is goldmark-emoji's inline parser with the rule above about
// what may stand beside a shortcode, so that Markdown and RST agree.
type emojiParser struct {
	parser.InlineParser
}

func newEmojiParser(table definition.Emojis) parser.InlineParser {
	if opt, ok := emoji.WithEmojis(table).(emoji.ParserOption); ok {
		return emojiParser{emoji.NewParser(opt)}
	}
	return emojiParser{emoji.NewParser()}
}

func (p emojiParser) Parse(parent gast.Node, block text.Reader, pc parser.Context) gast.Node {
	if !emojiEdge(block.PrecendingCharacter()) {
		return nil
	}
	n := p.InlineParser.Parse(parent, block, pc)
	if n == nil {
		return nil
	}
	// goldmark puts the reader back where it was when a parser declines.
	if line, _ := block.PeekLine(); len(line) > 0 {
		if r, _ := utf8.DecodeRune(line); !emojiEdge(r) {
			return nil
		}
	}
	return n
}
