// Package markup produces the document model that every later stage reads:
// a [Doc] with metadata, a title, a tree of sections and a body of [Node]s.
// It does not decide what a postmortem means (that is package incident), and
// it never writes files.
//
// # Readers
//
// A [Reader] turns the bytes of one file into a [Doc]. Markdown is read by
// goldmark and converted into the model here; reStructuredText is read by
// package rst. Both produce the same node kinds, so nothing after the reader
// knows which format a postmortem came from. A [Registry] maps file
// extensions to readers.
//
// # Errors and warnings
//
// Input that cannot be read at all (front matter that does not parse, bytes
// that are not UTF-8) is an [*Error] carrying the position the user must fix.
// Input that can be read despite a problem (an unknown directive, nesting past
// the limit) becomes a [Warning] in [Doc.Warnings] and the document is still
// produced: a postmortem half written during an outage must not stop the
// archive from building.
package markup

import (
	"fmt"
	"strconv"
	"time"
)

// Pos is a place in a source file that a user can jump to.
// Line and Col are 1-based; zero means unknown.
type Pos struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
}

func (p Pos) String() string {
	s := p.File
	if s == "" {
		s = "-"
	}
	if p.Line > 0 {
		s += ":" + strconv.Itoa(p.Line)
		if p.Col > 0 {
			s += ":" + strconv.Itoa(p.Col)
		}
	}
	return s
}

// Error is a problem that stops a file from being read. Err says what is
// wrong; Hint, when set, says what to do about it; Rule names the kind of
// problem for lint output ("front-matter", "encoding", …), empty meaning
// "unreadable".
type Error struct {
	Pos  Pos
	Err  error
	Hint string
	Rule string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an [*Error] at pos.
func Errorf(pos Pos, hint, format string, args ...any) *Error {
	return &Error{Pos: pos, Err: fmt.Errorf(format, args...), Hint: hint}
}

// Warning is a problem a reader recovered from.
type Warning struct {
	Pos     Pos    `json:"pos"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// Doc is one source file as every stage after the reader sees it.
type Doc struct {
	// Path is the file's name as the reader was given it, slash-separated.
	Path string
	// Format names the reader: "markdown" or "rst".
	Format string
	// Meta is the front matter (or RST field list) in source order.
	Meta []Field
	// Title is the document's own title: a heading promoted out of the body
	// because it stood alone above every other section. Empty when there
	// was none; package incident decides what the page is called.
	Title    string
	TitlePos Pos
	// Body is the content, top-level blocks in source order.
	Body []*Node
	// Sections is the outline built from the headings in Body.
	Sections []*Section
	// Assets lists local files the body refers to (images), relative to the
	// document's directory, so the site can copy them beside the page.
	Assets []Asset
	// Warnings are problems the reader recovered from, in source order.
	Warnings []Warning
}

// Field is one metadata key with its value, as decoded from YAML, TOML or an
// RST field list. Value is one of: string, bool, int64, float64, time.Time,
// LocalDate, []any, map[string]any.
type Field struct {
	Key   string
	Value any
	Pos   Pos
}

// LocalDate is a calendar date, or a date and a time, written without a
// time zone. The site's configured zone gives it one later.
type LocalDate struct {
	Time    time.Time // in UTC, to be reinterpreted in the site's zone
	HasTime bool
}

// Lookup returns the field named key, matching case-insensitively.
func (d *Doc) Lookup(key string) (Field, bool) {
	for _, f := range d.Meta {
		if equalFold(f.Key, key) {
			return f, true
		}
	}
	return Field{}, false
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// Asset is a local file the document refers to.
type Asset struct {
	// Path is relative to the document's directory and cleaned; it may
	// climb ("../media/x.png"), and the site refuses those that leave the
	// content folder. Readers drop absolute paths with a warning.
	Path string
	Pos  Pos
}

// Section is a heading and everything under it up to the next heading of the
// same or a higher rank.
type Section struct {
	// Title is the heading's text as written, without markup.
	Title string
	// Key is Title normalised for matching (see [NormalizeHeading]);
	// package incident maps it to a canonical key through aliases.
	Key string
	// Level is the depth in the outline: 1 for top-level sections.
	Level int
	// ID is the heading's anchor in the rendered page; stable across
	// builds as long as the heading text is.
	ID  string
	Pos Pos
	// Heading is the heading node in Doc.Body.
	Heading *Node
	// Body holds the blocks between this heading and the next heading of
	// any rank: what the section says before its subsections.
	Body []*Node
	// Sections are the subsections.
	Sections []*Section
}
