package markup

import (
	"runtime"
	"strings"
	"testing"
)

// TestPathologicalMarkdown reads inputs that make naive Markdown parsers
// quadratic or worse (from CommonMark's pathological tests, and a few of
// ours), and checks each finishes. The bound is a hang detector, not a
// speed test (benchmarks measure speed): on an idle machine each case
// takes well under a second, and a quadratic one at these sizes takes
// minutes.
func TestPathologicalMarkdown(t *testing.T) {
	n := 20000
	cases := map[string]string{
		"nested brackets":        strings.Repeat("[", n) + "a" + strings.Repeat("]", n),
		"nested parentheses":     "[a](" + strings.Repeat("(", n) + ")",
		"emphasis openers":       strings.Repeat("*a ", n),
		"alternating emphasis":   strings.Repeat("*_", n),
		"unclosed links":         strings.Repeat("[a](b ", n),
		"backticks":              strings.Repeat("`a``", n),
		"nested quotes":          strings.Repeat(">", n) + " a",
		"nested lists":           nestedList(3000),
		"list markers on a line": strings.Repeat("- ", n) + "a",
		"quoted list markers":    strings.Repeat("> - ", 5000) + "a",
		"ordered markers":        strings.Repeat("1. ", n) + "a",
		"many link refs":         strings.Repeat("[a]: /u\n", n) + strings.Repeat("[a] ", n),
		"html comments":          strings.Repeat("<!-- ", n),
		"raw html attributes":    "<a " + strings.Repeat("b=c ", n) + ">",
		"long line":              strings.Repeat("word ", 200000),
		"table columns":          "|" + strings.Repeat("a|", 3000) + "\n|" + strings.Repeat("-|", 3000) + "\n" + strings.Repeat("|"+strings.Repeat("b|", 3000)+"\n", 30),
		"footnote refs":          strings.Repeat("[^a]", n) + "\n\n[^a]: x\n",
		"heading ids collide":    strings.Repeat("## Same\n", 5000),
		"entity soup":            strings.Repeat("&amp;&#1;&#x;&bogus;", n),
		"autolinks":              strings.Repeat("www.a.com ", n),
		"unterminated fence":     "```\n" + strings.Repeat("a\n", n),
		"setext underline churn": strings.Repeat("a\n=\n", n),
	}
	md := NewMarkdown(Limits{})
	r := NewHTMLRenderer()
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			var d *Doc
			var err error
			n := allocated(func() {
				if d, err = md.Read("p.md", []byte(src)); err == nil {
					r.Render(d, HTMLOptions{})
					PlainText(d.Body)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d bytes allocated for %d bytes (%.0f×)", n, len(src), float64(n)/float64(len(src)))
			if n > 2000*uint64(len(src))+(16<<20) {
				t.Errorf("allocated %d bytes for %d bytes of input", n, len(src))
			}
		})
	}
}

func nestedList(depth int) string {
	var b strings.Builder
	for i := 0; i < depth; i++ {
		b.WriteString(strings.Repeat("  ", i))
		b.WriteString("- item\n")
	}
	return b.String()
}

// allocated is how many bytes fn allocates: work counted, not timed, so
// a test passes on a busy machine.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
