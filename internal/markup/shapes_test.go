package markup

import (
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// shape is a generated input: a head, then a unit repeated (numbered by
// its index) up to a size.
type shape struct {
	name string
	head string
	unit func(i int) string
}

// build returns the shape's input of at least size bytes.
func (s shape) build(size int) []byte {
	var b strings.Builder
	b.Grow(size + 64)
	b.WriteString(s.head)
	for i := 0; b.Len() < size; i++ {
		b.WriteString(s.unit(i))
	}
	return []byte(b.String())
}

// mdShapes are the Markdown inputs of one construct repeated that
// BenchmarkShapes reads at 8 MB.
var mdShapes = []shape{
	{name: "headings", unit: func(i int) string { return "## Heading " + strconv.Itoa(i) + "\n" }},
	{name: "list items", unit: func(i int) string { return "- item " + strconv.Itoa(i) + "\n" }},
	{name: "nested lists", unit: func(i int) string { return strings.Repeat("  ", i%10) + "- item " + strconv.Itoa(i) + "\n" }},
	{name: "emphasis", unit: func(int) string { return "*a* **b** _c_ " }},
	{name: "links", unit: func(i int) string {
		return "[link " + strconv.Itoa(i) + "](https://x.example/" + strconv.Itoa(i) + ") "
	}},
	{name: "table", head: "| a | b | c |\n|---|:-:|--:|\n", unit: func(i int) string { return "| " + strconv.Itoa(i) + " | x | y |\n" }},
	{name: "paragraph", unit: func(i int) string { return "word" + strconv.Itoa(i) + " and more words\n" }},
	{name: "sections", unit: func(i int) string { return "## Heading " + strconv.Itoa(i) + "\n\nSome *text* here.\n\n" }},
}

// textShapes are the plain text inputs BenchmarkShapes reads.
var textShapes = []shape{
	{name: "headings", unit: func(i int) string { return "Heading " + strconv.Itoa(i) + "\n=========\n\n" }},
	{name: "list items", unit: func(i int) string { return "- item " + strconv.Itoa(i) + "\n" }},
	{name: "paragraph", unit: func(i int) string { return "word" + strconv.Itoa(i) + " and more words\n" }},
}

// BenchmarkShapes reads and renders files of 8 MB made of one construct
// repeated, in Markdown and plain text: what one huge generated
// postmortem costs. Each should take a few seconds at most and a few
// hundred bytes allocated per byte of input.
//
//	go test -run '^$' -bench BenchmarkShapes -benchmem ./internal/markup/
func BenchmarkShapes(b *testing.B) {
	const size = 8 << 20
	html := NewHTMLRenderer()
	run := func(b *testing.B, r Reader, name string, src []byte) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			d, err := r.Read(name, src)
			if err != nil {
				b.Fatal(err)
			}
			html.Render(d, HTMLOptions{})
		}
	}
	for _, s := range mdShapes {
		b.Run("markdown/"+s.name, func(b *testing.B) { run(b, NewMarkdown(Limits{}), "big.md", s.build(size)) })
	}
	for _, s := range textShapes {
		b.Run("text/"+s.name, func(b *testing.B) { run(b, NewText(Limits{}, nil), "big.txt", s.build(size)) })
	}
}

// TestMarkdownPositionWork reads shapes that put many nodes on one line
// at two sizes, eight times apart, and checks that the bytes counted to
// place the nodes grow no more than linearly. A node's children are
// placed before the node, so positions are not asked for in order; when
// each answer that went back was counted from the start of the line, a
// long line of links cost the square of its length (64 times here).
// Work is counted, not timed, so the test passes on a busy machine.
func TestMarkdownPositionWork(t *testing.T) {
	shapes := []shape{
		{name: "links on a line", unit: func(int) string { return "[link](https://x.example/a) " }},
		{name: "images on a line", unit: func(int) string { return "![alt *text*](a.png) " }},
		{name: "code on a line", unit: func(int) string { return "`code` and " }},
		{name: "emphasis on a line", unit: func(int) string { return "*a* **b** _c_ " }},
		{name: "links in a table", head: "| a | b |\n|---|---|\n", unit: func(int) string { return "| [a](b) [c](d) | [e](f) |\n" }},
		{name: "headings", unit: func(i int) string { return "## Heading [" + strconv.Itoa(i) + "](x)\n" }},
	}
	md := NewMarkdown(Limits{})
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			small, large := s.build(32<<10), s.build(256<<10)
			_, ws, err := md.read("small.md", small)
			if err != nil {
				t.Fatal(err)
			}
			_, wl, err := md.read("large.md", large)
			if err != nil {
				t.Fatal(err)
			}
			ratio := float64(len(large)) / float64(len(small))
			t.Logf("%d bytes: %d counted; %d bytes: %d (%.1fx)", len(small), ws, len(large), wl, float64(wl)/float64(ws))
			if float64(wl) > 1.5*ratio*float64(ws)+4096 {
				t.Errorf("%d bytes counted %d, %d bytes %d: not linear", len(small), ws, len(large), wl)
			}
		})
	}
}

// TestLineIndexBackwards places nodes on one long line the way a reader
// that converts a node's children before the node asks: a little after,
// then a little before. It checks at two sizes, eight times apart, that
// the bytes counted grow no more than linearly: counting each step back
// from the start of the line would be quadratic.
func TestLineIndexBackwards(t *testing.T) {
	count := func(n int) int {
		src := []byte(strings.Repeat("[é](x) ", n/8))
		x := NewLineIndex(src, 1)
		for off := 0; off+4 < len(src); off += 8 {
			x.Pos(off + 4)
			x.Pos(off)
		}
		return x.counted
	}
	small, large := count(64<<10), count(512<<10)
	t.Logf("counted %d, then %d (%.1fx)", small, large, float64(large)/float64(small))
	if large > 12*small+4096 {
		t.Errorf("counted %d bytes for 64 KB and %d for 512 KB: not linear", small, large)
	}
}

// TestLineIndexAnyOrder asks for the positions of offsets of lines long
// and short, with characters of several bytes, in random order, and
// compares them with counting from the start of the line.
func TestLineIndexAnyOrder(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	var b strings.Builder
	words := []string{"a", "bc", "é", "中文", "\t", " ", "👍", "xyz"}
	for l := 0; l < 40; l++ {
		n := r.Intn(8)
		if l%5 == 0 {
			n = 2000 + r.Intn(2000)
		}
		for i := 0; i < n; i++ {
			b.WriteString(words[r.Intn(len(words))])
		}
		b.WriteByte('\n')
	}
	src := []byte(b.String())
	// The offsets where characters start, as readers ask for.
	var offs []int
	for i := range string(src) {
		offs = append(offs, i)
	}
	offs = append(offs, len(src))
	x := NewLineIndex(src, 3)
	for k := 0; k < 20000; k++ {
		off := offs[r.Intn(len(offs))]
		if k%3 == 0 && k > 0 {
			off = offs[min(len(offs)-1, k%len(offs))] // runs in order too
		}
		line, col := x.Pos(off)
		start := strings.LastIndexByte(string(src[:off]), '\n') + 1
		wantLine := strings.Count(string(src[:off]), "\n") + 3
		wantCol := len([]rune(string(src[start:off]))) + 1
		if line != wantLine || col != wantCol {
			t.Fatalf("Pos(%d) = %d:%d, want %d:%d", off, line, col, wantLine, wantCol)
		}
	}
}

// TestMayBeNumbered checks that mayBeNumbered, which spares most headings
// the regular expression, says yes to everything the expression matches.
func TestMayBeNumbered(t *testing.T) {
	parts := []string{"a", "i", "v", "x", "I", "V", "s", "S", "ſ", "K", "k", "1", "2", ".", ")", "(", "#", " ",
		"\t", "step", "Part", "phase", "SECTION", "chapter", ":", "é", "_", "-", "\u00a0"}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 200000; i++ {
		var b strings.Builder
		for j := r.Intn(6); j > 0; j-- {
			b.WriteString(parts[r.Intn(len(parts))])
		}
		s := b.String()
		if numberingRE.MatchString(s) && !mayBeNumbered(s) {
			t.Fatalf("numbering matches %q, but mayBeNumbered says no", s)
		}
	}
}

// TestInlineTextOneRun checks that InlineText returns a lone text as it
// is only when joining its words again would give the same.
func TestInlineTextOneRun(t *testing.T) {
	for _, s := range []string{"", "a", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "a\u00a0b", "é b", "a b c", "\u2003"} {
		want := strings.Join(strings.Fields(s), " ")
		if got := InlineText(&Node{Children: []*Node{{Kind: Text, Literal: s}}}); got != want {
			t.Errorf("InlineText(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestNodeSize counts the bytes of a Node: an 8 MB file of list items or
// inline markup is millions of nodes, so each word a Node grows by costs
// tens of megabytes. The one-byte fields share a word after Kind; placed
// among the larger fields, each group of them took a word of its own.
func TestNodeSize(t *testing.T) {
	if got, want := unsafe.Sizeof(Node{}), uintptr(176); got > want {
		t.Errorf("a Node is %d bytes, want at most %d: keep the one-byte fields together", got, want)
	}
}
