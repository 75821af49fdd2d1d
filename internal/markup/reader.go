package markup

import (
	"bytes"
	"path"
	"sort"
	"strings"
	"unicode/utf8"
)

// Reader turns the bytes of one source file into a [Doc]. name is the path
// used in positions (relative to the content folder, slash-separated). A
// Reader returns an [*Error] for input it cannot read and records anything
// it recovered from in Doc.Warnings. It must not panic or run for longer
// than linear time in len(src), whatever src holds.
type Reader interface {
	Read(name string, src []byte) (*Doc, error)
}

// Registry maps a file extension (with its dot, lower case) to the reader
// for that format.
type Registry map[string]Reader

// For returns the reader for name's extension.
func (r Registry) For(name string) (Reader, bool) {
	rd, ok := r[strings.ToLower(path.Ext(name))]
	return rd, ok
}

// Limits bound what a reader accepts, so hostile input costs bounded time
// and memory.
type Limits struct {
	// MaxDepth is how deeply lists and quotes may nest before deeper levels
	// are flattened (with a warning).
	MaxDepth int
}

// DefaultMaxDepth is generous for any real postmortem.
const DefaultMaxDepth = 64

// Depth returns MaxDepth, or DefaultMaxDepth when it is unset.
func (l Limits) Depth() int {
	if l.MaxDepth <= 0 {
		return DefaultMaxDepth
	}
	return l.MaxDepth
}

// Prepare checks that src is text a reader can work on and normalises it:
// a byte-order mark goes, CRLF and lone CR line ends become LF. Invalid
// UTF-8 is an error at the first bad byte: guessing the encoding could
// silently garble a postmortem.
func Prepare(name string, src []byte) ([]byte, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(src) {
		line, col := 1, 1
		for i := 0; i < len(src); {
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size <= 1 {
				return nil, ruleErr("encoding", Pos{File: name, Line: line, Col: col},
					"save the file as UTF-8 (for example: iconv -f latin1 -t utf-8)",
					"invalid UTF-8 (byte 0x%02x)", src[i])
			}
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
			i += size
		}
	}
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	if bytes.IndexByte(src, 0) >= 0 {
		// NUL is not text; CommonMark replaces it, and so do we, everywhere.
		src = bytes.ReplaceAll(src, []byte{0}, []byte("\uFFFD"))
	}
	// Other control characters have no business in a page (an escape
	// sequence pasted from a terminal, a stray bell): they go here, so no
	// title, summary, metadata value or paragraph can carry them.
	return stripControlBytes(src), nil
}

// LineIndex converts byte offsets in a source to 1-based lines and columns.
// It is not safe for concurrent use.
type LineIndex struct {
	starts []int
	src    []byte
	// first is the file line of src[0] (front matter shifts the body down).
	first int
	// The last answer, to count columns onward from it: nodes are mostly
	// asked for in source order, and counting from the line start each
	// time would be quadratic on a long line.
	lastLine, lastOff, lastCol int
	// marks holds, for each long line asked about, the column at about
	// every markEvery bytes: a reader may place a node's children before
	// the node, so answers go backwards too, and a long line of links
	// would otherwise be counted from its start for every link.
	marks map[int][]lineMark
	// counted is how many bytes Pos has counted, for tests.
	counted int
}

// lineMark is a place on a line: a byte offset at the start of a
// character, and the column there.
type lineMark struct{ off, col int }

// markEvery is how many bytes apart the marks of a long line are: the
// most any one answer counts.
const markEvery = 256

// NewLineIndex indexes src, whose first byte is on file line first.
func NewLineIndex(src []byte, first int) *LineIndex {
	starts := make([]int, 1, bytes.Count(src, []byte("\n"))+1)
	for i := 0; ; {
		k := bytes.IndexByte(src[i:], '\n')
		if k < 0 {
			break
		}
		i += k + 1
		starts = append(starts, i)
	}
	return &LineIndex{starts: starts, src: src, first: first}
}

// Pos returns the line and column (in characters) of byte offset off.
func (x *LineIndex) Pos(off int) (line, col int) {
	if off < 0 {
		return 0, 0
	}
	if off > len(x.src) {
		off = len(x.src)
	}
	// Most answers are on the line of the last one.
	lo := x.lastLine - 1
	if lo < 0 || x.starts[lo] > off || lo+1 < len(x.starts) && x.starts[lo+1] <= off {
		hi := len(x.starts)
		for lo = 0; lo+1 < hi; {
			m := (lo + hi) / 2
			if x.starts[m] <= off {
				lo = m
			} else {
				hi = m
			}
		}
	}
	return x.posOn(lo, off)
}

// posOn is Pos for an offset on line index lo.
func (x *LineIndex) posOn(lo, off int) (line, col int) {
	from, col := x.starts[lo], 1
	if x.lastLine == lo+1 && x.lastOff <= off && x.lastOff >= from {
		from, col = x.lastOff, x.lastCol
	}
	if off-from > markEvery {
		ms := x.lineMarks(lo)
		k := sort.Search(len(ms), func(i int) bool { return ms[i].off > off }) - 1
		if k >= 0 && ms[k].off > from {
			from, col = ms[k].off, ms[k].col
		}
	}
	col += utf8.RuneCount(x.src[from:off])
	x.counted += off - from
	x.lastLine, x.lastOff, x.lastCol = lo+1, off, col
	return lo + x.first, col
}

// lineMarks returns the marks of line index lo, making them the first
// time. Counting from a mark gives what counting from the line start
// gives: a mark is where a character starts.
func (x *LineIndex) lineMarks(lo int) []lineMark {
	if ms, ok := x.marks[lo]; ok {
		return ms
	}
	start, end := x.starts[lo], len(x.src)
	if lo+1 < len(x.starts) {
		end = x.starts[lo+1]
	}
	var ms []lineMark
	col, next := 1, start+markEvery
	for i := start; i < end; {
		if i >= next {
			ms = append(ms, lineMark{i, col})
			next = i + markEvery
		}
		_, size := utf8.DecodeRune(x.src[i:end])
		i += size
		col++
	}
	if x.marks == nil {
		x.marks = map[int][]lineMark{}
	}
	x.marks[lo] = ms
	return ms
}
