package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// term makes text that came from postmortems, file names or site.toml
// safe to print on a terminal. Escape sequences could retitle the window,
// clear the screen or hide what follows; a newline in a title could fake a
// line of output; bidirectional controls could reorder what a reader sees.
// Each such character is shown escaped instead (\x1b, \n, \u202e), so the
// reader sees that it is there. Line structure is kb's own: callers apply
// term to each piece of content, never to a whole formatted line.
func term(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r) || r == utf8.RuneError && n == 1 {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			// A stray byte such as 0x9b is a control to 8-bit terminals.
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r):
			b.WriteString(escapeRune(r))
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unsafeRune reports the characters term escapes: C0 controls (tab and
// newline too, as content must not make columns or lines), DEL, C1
// controls, the bidirectional embeddings, overrides, isolates and marks,
// and the Unicode line and paragraph separators.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	}
	return isBidi(r) || r == '\u2028' || r == '\u2029'
}

// isBidi reports the invisible characters that change the display order
// of the text around them.
func isBidi(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' ||
		r == '\u200e' || r == '\u200f' || r == '\u061c'
}

func escapeRune(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// writeJSON encodes v as indented JSON. encoding/json escapes C0 controls
// and the line separators but leaves DEL, C1 controls and bidirectional
// controls as they are, and a terminal showing the JSON would obey or
// reorder them; they are written as \u escapes too, the same string to any
// JSON reader.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escapeJSON(buf.Bytes()))
	return err
}

// escapeJSON rewrites, in encoded JSON, the characters term escapes that
// encoding/json leaves. Outside strings JSON is ASCII without DEL, so
// every one it finds is inside a string, where the escape means the same.
func escapeJSON(b []byte) []byte {
	// C0 controls in strings are already escaped; outside strings they
	// are the encoder's own line breaks and indents.
	left := func(r rune) bool { return r >= 0x7f && unsafeRune(r) }
	if !bytes.ContainsFunc(b, left) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if left(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}
