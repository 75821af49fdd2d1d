package publish

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Marker is a file written at the root of every published site. Publish
// refuses to replace a non-empty folder without it: pointing --dest at the
// wrong folder must not delete somebody's files.
const Marker = ".kb-site"

// markerFormat is the version of the marker kb writes. The marker is JSON
// because the list of files in it decides what a build may delete: one
// name per line let a file named "x\nCNAME" make kb claim a CNAME it never
// wrote.
const markerFormat = 2

// markerNote tells a person who opens the marker what it is for.
const markerNote = "This folder was written by kb build and is replaced whole by the next build. files lists what kb wrote."

// markerV2 is the marker's JSON.
type markerV2 struct {
	Format int      `json:"format"`
	Note   string   `json:"note,omitempty"`
	Files  []string `json:"files"`
}

// markerHeader started the marker of format 1, which listed the files kb
// wrote one per line after it. kb still reads it, so that a site built by
// an older kb builds again.
const markerHeader = "# This folder was written by kb build and is replaced whole by the next build.\n# Files kb wrote:\n"

// encodeMarker makes the marker for a site of the given files, which must
// be sorted. One name a line keeps the marker readable and its diffs
// small; the same files always give the same bytes.
func encodeMarker(files []string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\"format\": %d,\n\"note\": %s,\n\"files\": [", markerFormat, quoteJSON(markerNote))
	for i, f := range files {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n")
		b.WriteString(quoteJSON(f))
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}

func quoteJSON(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// writtenFiles reads a marker: the files kb wrote, and whether the marker
// lists them at all (the first markers did not, and then every file of
// the folder is taken as kb's). A marker that cannot be read is an error:
// guessing would risk deleting files kb did not write.
func writtenFiles(mark []byte) (map[string]bool, bool, error) {
	if bytes.HasPrefix(bytes.TrimLeft(mark, " \t\r\n"), []byte("{")) {
		var m markerV2
		if err := json.Unmarshal(mark, &m); err != nil {
			return nil, false, fmt.Errorf("%s is not a list kb can read: %w", Marker, err)
		}
		if m.Format != markerFormat {
			return nil, false, fmt.Errorf("%s is of format %d, which this kb does not know", Marker, m.Format)
		}
		out := make(map[string]bool, len(m.Files))
		for _, f := range m.Files {
			if nameProblem(f) == "" {
				out[f] = true
			}
		}
		return out, true, nil
	}
	s := string(mark)
	if !strings.HasPrefix(s, markerHeader) {
		return nil, false, nil
	}
	// Format 1: a name with a line break in it was split into two
	// entries, so an entry is trusted only as a whole, valid name.
	out := map[string]bool{}
	for _, l := range strings.Split(strings.TrimPrefix(s, markerHeader), "\n") {
		if nameProblem(l) == "" {
			out[l] = true
		}
	}
	return out, true, nil
}

// nameProblem says why p cannot be a file of a published site, or "".
// Such a name would be mangled in messages and logs, and some would be
// misread by tools that list the files of a site.
func nameProblem(p string) string {
	if !ValidPath(p) {
		return "not a relative path inside the site"
	}
	if !utf8.ValidString(p) {
		return "a file name that is not valid UTF-8"
	}
	for _, r := range p {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return "a file name with a control character"
		}
		if bidi(r) {
			return "a file name with a character that reorders the text around it"
		}
	}
	if p == Marker || strings.HasPrefix(p, Marker+"/") {
		return "a name kb reserves: " + Marker + " at the root of the site lists the files kb wrote"
	}
	return ""
}

// bidi reports the invisible characters that change the display order of
// the text around them: in a file name they make it read as another.
func bidi(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' ||
		r == '\u200e' || r == '\u200f' || r == '\u061c'
}

// Escape shows a file name so it can be printed safely: control
// characters and bytes that are not UTF-8 are written as Go escapes (\n,
// \x1b), and a name that needs none is shown as it is.
func Escape(p string) string {
	if !needsEscape(p) {
		return p
	}
	q := strconv.Quote(p)
	return q[1 : len(q)-1]
}

func needsEscape(p string) bool {
	if !utf8.ValidString(p) {
		return true
	}
	for _, r := range p {
		if !strconv.IsPrint(r) || bidi(r) {
			return true
		}
	}
	return false
}
