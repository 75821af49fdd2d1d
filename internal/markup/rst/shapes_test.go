package rst

import (
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/kb-postmortems/kb/internal/markup"
)

// shapes are reStructuredText inputs of one construct repeated, which
// BenchmarkShapes reads at 8 MB: head, then unit(i) for i = 0, 1, … up to
// the size, then tail.
var shapes = []struct {
	name       string
	head, tail string
	unit       func(i int) string
}{
	{name: "section titles", unit: func(i int) string {
		t := "Heading " + strconv.Itoa(i)
		return t + "\n" + strings.Repeat("=-~"[i%3:i%3+1], len(t)) + "\n\n"
	}},
	{name: "bullet items", unit: func(i int) string { return "- item " + strconv.Itoa(i) + "\n" }},
	{name: "nested bullets", unit: func(i int) string { return strings.Repeat("  ", i%10) + "- item " + strconv.Itoa(i) + "\n\n" }},
	{name: "anonymous targets", unit: func(i int) string { return "See `anonymous`__.\n\n__ http://x.example/" + strconv.Itoa(i) + "\n\n" }},
	{name: "anonymous references", unit: func(i int) string { return "`anonymous`__ " }, tail: "\n"},
	{name: "substitution references", unit: func(i int) string { return "|s" + strconv.Itoa(i%1000) + "| " },
		tail: "\n\n" + substDefs(1000)},
	{name: "field lists", unit: func(i int) string { return ":field " + strconv.Itoa(i) + ": value " + strconv.Itoa(i) + "\n" }},
	{name: "emphasis", unit: func(int) string { return "*a* **b** ``c`` " }, tail: "\n"},
	{name: "references", unit: func(i int) string {
		return "See t" + strconv.Itoa(i) + "_.\n\n.. _t" + strconv.Itoa(i) + ": http://x/\n\n"
	}},
	{name: "simple table", head: "=====  =====\na      b\n=====  =====\n",
		unit: func(i int) string {
			return strconv.Itoa(i%10000) + strings.Repeat(" ", 7-len(strconv.Itoa(i%10000))) + "x\n"
		},
		tail: "=====  =====\n"},
	{name: "paragraph", unit: func(i int) string { return "word" + strconv.Itoa(i) + " and more words\n" }},
}

func substDefs(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(".. |s" + strconv.Itoa(i) + "| replace:: sub " + strconv.Itoa(i) + "\n")
	}
	return b.String()
}

// BenchmarkShapes reads and renders files of 8 MB made of one construct
// repeated: what one huge generated postmortem costs. Each should take a
// few seconds at most and a few hundred bytes allocated per byte of input.
//
//	go test -run '^$' -bench BenchmarkShapes -benchmem ./internal/markup/rst/
func BenchmarkShapes(b *testing.B) {
	const size = 8 << 20
	html := markup.NewHTMLRenderer()
	for _, s := range shapes {
		b.Run(s.name, func(b *testing.B) {
			var sb strings.Builder
			sb.WriteString(s.head)
			for i := 0; sb.Len() < size-len(s.tail); i++ {
				sb.WriteString(s.unit(i))
			}
			sb.WriteString(s.tail)
			src := []byte(sb.String())
			r := New(markup.Limits{})
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				d, err := r.Read("big.rst", src)
				if err != nil {
					b.Fatal(err)
				}
				html.Render(d, markup.HTMLOptions{})
			}
		})
	}
}

// TestPosAnyOrder asks for positions on lines with tabs, wide and
// multi-byte characters, long and short, in random order, and compares
// them with walking the line from its start as written.
func TestPosAnyOrder(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pieces := []string{"a", "bc", "\t", " ", "é", "中", "👍", "*x*", "\t\t"}
	var b strings.Builder
	for l := 0; l < 60; l++ {
		n := r.Intn(10)
		if l%6 == 0 {
			n = 1500 + r.Intn(2000) // past longLine
		}
		for i := 0; i < n; i++ {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		b.WriteString("x\n")
	}
	p := newParser("p.rst", b.String(), markup.Limits{})
	// naive walks the line as written to expanded offset off.
	naive := func(n, off int) int {
		orig, col, exp, width := p.src[n], 1, 0, 0
		for _, c := range orig {
			if exp >= off {
				break
			}
			if c == '\t' {
				w := tabWidth - width%tabWidth
				width += w
				exp += w
			} else {
				width++
				exp += utf8.RuneLen(c)
			}
			col++
		}
		return col
	}
	for k := 0; k < 30000; k++ {
		n := r.Intn(len(p.exp))
		e := p.exp[n]
		off := r.Intn(len(e) + 1)
		for off < len(e) && !utf8.RuneStart(e[off]) {
			off++
		}
		if k%4 == 0 && p.cursor.n == n {
			off = min(len(e), p.cursor.exp+r.Intn(40)) // onward from the last answer, as readers ask
			for off < len(e) && !utf8.RuneStart(e[off]) {
				off++
			}
		}
		line, col := p.pos(n, off)
		if want := naive(n, off); line != n+1 || col != want {
			t.Fatalf("pos(%d, %d) = %d:%d, want %d:%d (line %q)", n, off, line, col, n+1, want, p.src[n])
		}
	}
}

// TestPositionWorkTabs places the nodes of lines with tabs at two sizes,
// eight times apart, and checks that the bytes walked to place them grow
// no more than linearly. A line with a tab was once walked from its start
// for every node on it; the sizes are small so that a return of that
// fails here in seconds, where TestHostile would run for minutes.
func TestPositionWorkTabs(t *testing.T) {
	r := New(markup.Limits{})
	for name, gen := range map[string]func(n int) string{
		"tab before a long line": func(n int) string { return "\t" + strings.Repeat("*a* `b`_ ", n/9) + "\n" },
		"tabs along a long line": func(n int) string { return strings.Repeat("*a*\t", n/4) + "\n" },
		"tab in a quoted line":   func(n int) string { return "   \t" + strings.Repeat("x_ ", n/3) + "\n" },
	} {
		t.Run(name, func(t *testing.T) {
			walked := func(n int) int {
				_, w, err := r.read("tabs.rst", []byte(gen(n)))
				if err != nil {
					t.Fatal(err)
				}
				return w
			}
			small, large := walked(8<<10), walked(64<<10)
			t.Logf("walked %d, then %d (%.1fx)", small, large, float64(large)/float64(max(small, 1)))
			if large > 12*small+4096 {
				t.Errorf("walked %d bytes for 8 KB and %d for 64 KB: not linear", small, large)
			}
		})
	}
}

// TestSymbolFootnoteLabels checks that auto-symbol footnotes are labelled
// as docutils labels them (*, †, … then **, ††, …) up to ten repeats, and
// past that by the symbol and the count, with one warning: labels that
// kept growing would make a file of many footnotes render text quadratic
// in its size.
func TestSymbolFootnoteLabels(t *testing.T) {
	n := 105
	src := strings.Repeat("[*]_ ", n) + "\n\n" + strings.Repeat(".. [*] x\n", n)
	d, err := New(markup.Limits{}).Read("f.rst", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	markup.Walk(d.Body, func(n *markup.Node, entering bool) markup.WalkStatus {
		if entering && n.Kind == markup.Footnote {
			labels = append(labels, n.Title)
		}
		return markup.WalkContinue
	})
	if len(labels) != n {
		t.Fatalf("%d footnotes, want %d", len(labels), n)
	}
	for k, want := range map[int]string{0: "*", 1: "\u2020", 10: "**", 99: strings.Repeat("\u2663", 10), 100: "*11", 104: "\u00b611"} {
		if labels[k] != want {
			t.Errorf("footnote %d is labelled %q, want %q", k+1, labels[k], want)
		}
	}
	warned := 0
	for _, w := range d.Warnings {
		if strings.Contains(w.Message, "auto-symbol footnotes") {
			warned++
		}
	}
	if warned != 1 {
		t.Errorf("%d warnings about the number of symbol footnotes, want 1: %v", warned, d.Warnings)
	}
}

// TestEndListBytes counts the bytes the end-string lists of a long
// paragraph of inline markup hold: there is a candidate every few bytes,
// and when each carried room for a role and a reference suffix the lists
// of an 8 MB paragraph took more memory than the nodes made from them.
// Only interpreted text and substitution references have suffixes.
func TestEndListBytes(t *testing.T) {
	s := strings.Repeat("*a* **b** ``c`` `d`_ |e| ", 4000)
	in := &inl{s: s}
	held := 0
	for k := 0; k < numEnds; k++ {
		e := in.endList(k)
		if len(e.ends) == 0 {
			t.Errorf("%s: no end-strings found", objectName(k))
		}
		suffixed := k == endInterpreted || k == endSubst
		if !suffixed && e.sfx != nil {
			t.Errorf("%s: %d suffixes kept for a kind that has none", objectName(k), len(e.sfx))
		}
		if suffixed && len(e.sfx) != len(e.ends) {
			t.Errorf("%s: %d suffixes for %d end-strings", objectName(k), len(e.sfx), len(e.ends))
		}
		held += len(e.ends)*int(unsafe.Sizeof(endAt{})) + len(e.sfx)*int(unsafe.Sizeof(endSuffix{}))
	}
	t.Logf("%d bytes held for %d bytes of text (%.1f per byte)", held, len(s), float64(held)/float64(len(s)))
	if held > 12*len(s) { // 15 per byte when every end-string had room for suffixes
		t.Errorf("end-string lists hold %d bytes for %d bytes of text", held, len(s))
	}
	// The suffixes still reach the matcher: the end of `d`_ has one.
	d := strings.Index(s, "d`_") + 1
	e, ok := in.endList(endInterpreted).from(d)
	if !ok || e.pos != d || e.next != d+2 || e.refend != "_" {
		t.Errorf("interpreted end-string from %d = %+v, %v; want one at %d with suffix \"_\"", d, e, ok, d)
	}
}
