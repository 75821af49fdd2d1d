package markup

import (
	"strings"
	"unicode/utf8"
)

// isStrayControl reports the control characters text never needs: the C0
// controls other than tab and newline, DEL and the C1 controls. Copied
// into a page or a feed they are at best invisible and at worst escape
// sequences for whoever later prints that text on a terminal.
func isStrayControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f || r >= 0x80 && r < 0xa0
}

// StripControls removes stray control characters from s (see
// isStrayControl). Vertical tab and form feed separate words, so they
// become spaces.
func StripControls(s string) string {
	if strings.IndexFunc(s, isStrayControl) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\v' || r == '\f':
			b.WriteByte(' ')
		case !isStrayControl(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// stripControlBytes is StripControls for a whole source file. Only
// characters within lines go, so line numbers stay as they were.
func stripControlBytes(src []byte) []byte {
	i := 0
	for i < len(src) {
		r, n := utf8.DecodeRune(src[i:])
		if isStrayControl(r) {
			break
		}
		i += n
	}
	if i == len(src) {
		return src
	}
	out := make([]byte, i, len(src))
	copy(out, src[:i])
	for i < len(src) {
		r, n := utf8.DecodeRune(src[i:])
		switch {
		case r == '\v' || r == '\f':
			out = append(out, ' ')
		case !isStrayControl(r):
			out = append(out, src[i:i+n]...)
		}
		i += n
	}
	return out
}
