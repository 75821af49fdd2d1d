package rst

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/golden"
	"github.com/kb-postmortems/kb/internal/markup"
)

// FuzzRST reads arbitrary input. The reader must not panic, must answer in
// time bounded by the input's size, must fail only with a *markup.Error,
// and must produce a document whose positions lie in the file and that
// the shared renderer and Dump accept. The seeds are the inputs of every
// case under testdata and the hostile shapes of TestHostile, small.
func FuzzRST(f *testing.F) {
	golden.Seeds(f, "testdata/*.txtar", ".rst")
	for _, h := range hostile {
		f.Add([]byte(h.gen(300)))
	}
	f.Add([]byte("Impact :fire:\n-------------\n\n:cry::+1: a:b:c 10:100:5 ``:fire:`` \\:fire: `:x: y <http://a/:x:>`_ :nope: *:tada:*\n\n.. |e| replace:: :fire:\n"))
	r := New(markup.Limits{MaxDepth: 16})
	html := markup.NewHTMLRenderer()
	f.Fuzz(func(t *testing.T, src []byte) {
		// A read that hangs is caught by the fuzzer's own time limit; a
		// wall-clock check here would fail the seeds on a busy machine.
		d, err := r.Read("fuzz.rst", src)
		if err != nil {
			var me *markup.Error
			if !errors.As(err, &me) {
				t.Fatalf("error %v is not a *markup.Error", err)
			}
			return
		}
		checkDoc(t, d, src)
		html.Render(d, markup.HTMLOptions{})
		if err := markup.Dump(io.Discard, d); err != nil {
			t.Fatal(err)
		}
	})
}

// hostile generates inputs of about n bytes that are hard for a naive
// reader: deep nesting, and long lines full of start-strings without end.
var hostile = []struct {
	name string
	gen  func(n int) string
}{
	{"nested bullets", func(n int) string { return strings.Repeat("- ", n/2) + "x\n" }},
	{"nested enumerators", func(n int) string { return strings.Repeat("1. ", n/3) + "x\n" }},
	{"nested quotes", func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			b.WriteString(strings.Repeat(" ", i%2000) + "q\n")
		}
		return b.String()
	}},
	{"nested directives", func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			b.WriteString(strings.Repeat("   ", i%500) + ".. note::\n\n")
		}
		return b.String()
	}},
	{"emphasis without end", func(n int) string { return strings.Repeat("*a ", n/3) + "\n" }},
	{"strong without end", func(n int) string { return strings.Repeat("**a ", n/4) + "\n" }},
	{"literal without end", func(n int) string { return strings.Repeat("``a ", n/4) + "\n" }},
	{"interpreted without end", func(n int) string { return strings.Repeat("`a <", n/4) + "\n" }},
	{"roles without text", func(n int) string { return strings.Repeat(":a:b", n/4) + "\n" }},
	{"substitutions without end", func(n int) string { return strings.Repeat("|a ", n/3) + "\n" }},
	{"references without targets", func(n int) string { return strings.Repeat("a_ ", n/3) + "\n" }},
	{"anonymous references", func(n int) string { return strings.Repeat("a__ ", n/4) + "\n" }},
	{"footnote brackets", func(n int) string { return strings.Repeat("[a ", n/3) + "\n" }},
	{"name chains", func(n int) string { return strings.Repeat("a-", n/2) + "\n" }},
	{"scheme chains", func(n int) string { return strings.Repeat("http:a", n/6) + "é\n" }},
	{"email chains", func(n int) string { return strings.Repeat("a.b@", n/4) + "\n" }},
	{"long email name", func(n int) string { return strings.Repeat("a.", n/2) + "a@b.example\n" }},
	{"long scheme", func(n int) string { return strings.Repeat("a-", n/2) + "a:b\n" }},
	{"target over many lines", func(n int) string { return ".. _a" + strings.Repeat("\n   b:c", n/8) + "\n" }},
	{"urls", func(n int) string { return strings.Repeat("https://x.example/a ", n/20) + "\n" }},
	{"escapes", func(n int) string { return strings.Repeat("\\", n) + "\n" }},
	{"many lines", func(n int) string { return strings.Repeat("*a\n", n/3) }},
	{"grid table", func(n int) string {
		w := 1
		for (w+1)*(w+1)*2 < n {
			w++
		}
		row := "+" + strings.Repeat("-+", w) + "\n"
		return row + strings.Repeat("|"+strings.Repeat(" +", w)+"\n", w) + row
	}},
	{"simple table rules", func(n int) string { return strings.Repeat("===  ===\n", n/9) }},
	{"headings", func(n int) string { return strings.Repeat("Why\n===\n\n", n/9) }},
	{"targets", func(n int) string { return strings.Repeat(".. _t:\n", n/7) }},
	{"anonymous targets", func(n int) string { return strings.Repeat("__ http://x\n", n/12) + strings.Repeat("a__ ", n/8) + "\n" }},
	{"substitution definitions", func(n int) string {
		return strings.Repeat("|a| ", n/8) + "\n\n" + strings.Repeat(".. |a| replace:: |a| |a|\n", n/50)
	}},
	{"footnotes", func(n int) string { return strings.Repeat("[#]_ ", n/10) + "\n\n" + strings.Repeat(".. [#] x\n", n/18) }},
	{"line block", func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			b.WriteString("|" + strings.Repeat(" ", 1+i%3000) + "x\n")
		}
		return b.String()
	}},
	{"definition list", func(n int) string { return strings.Repeat("term\n   def\n", n/13) }},
	{"field list", func(n int) string { return strings.Repeat(":f: v\n", n/6) }},
	{"hyperlink target name", func(n int) string { return ".. _" + strings.Repeat("a ", n/2) + "\n" }},
	{"substitution references", func(n int) string { return strings.Repeat("|a| ", n/4) + "\n\n.. |a| replace:: x\n" }},
	{"substitutions in substitutions", func(n int) string { return strings.Repeat(".. |a| replace:: ", n/17) + "x\n" }},
	{"admonitions in admonitions", func(n int) string { return strings.Repeat(".. note:: ", n/10) + "x\n" }},
	{"tab before a long line", func(n int) string { return "\t" + strings.Repeat("*a* `b`_ ", n/9) + "\n" }},
	{"long lines with tabs", func(n int) string {
		return strings.Repeat("a\tb "+strings.Repeat("*c* d\te ", 500)+"\n\n", n/4500+1)
	}},
	{"symbol footnotes", func(n int) string { return strings.Repeat("[*]_ ", n/10) + "\n\n" + strings.Repeat(".. [*] x\n", n/18) }},
	{"anonymous phrase references", func(n int) string {
		return strings.Repeat("`anonymous`__ ", n/28) + "\n\n" + strings.Repeat("__ http://x\n", n/24)
	}},
	{"substitution references with links", func(n int) string {
		return strings.Repeat("|a|_ ", n/5) + "\n\n.. |a| replace:: x\n.. _a: http://x\n"
	}},
}

// TestHostile reads each hostile shape at two sizes, eight times apart,
// and checks that the work grows no more than linearly, and that nothing
// breaks. Work is counted, not timed: a test must pass on a busy machine.
// It is counted twice: as allocated bytes, and as the bytes walked to
// place nodes, which allocates nothing (a line with a tab was once walked
// from its start for every node on it). Quadratic growth would be 64
// times; the bound allows 2.5 times linear.
func TestHostile(t *testing.T) {
	r := New(markup.Limits{})
	measure := func(src string) (uint64, int) {
		d, walked, err := r.read("hostile.rst", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		checkDoc(t, d, []byte(src))
		return allocated(func() { r.Read("hostile.rst", []byte(src)) }), walked
	}
	for _, h := range hostile {
		t.Run(h.name, func(t *testing.T) {
			small, large := h.gen(64<<10), h.gen(512<<10)
			ws, ps := measure(small)
			wl, pl := measure(large)
			ratio := float64(len(large)) / float64(len(small))
			t.Logf("%d bytes: %d allocated, %d walked; %d bytes: %d (%.1fx), %d (%.1fx)", len(small), ws, ps,
				len(large), wl, float64(wl)/float64(ws), pl, float64(pl)/float64(max(ps, 1)))
			if float64(wl) > 2.5*ratio*float64(ws)+(1<<20) {
				t.Errorf("%d bytes allocated %d, %d bytes %d: not linear", len(small), ws, len(large), wl)
			}
			if float64(pl) > 2.5*ratio*float64(ps)+(64<<10) {
				t.Errorf("%d bytes walked %d to place nodes, %d bytes %d: not linear", len(small), ps, len(large), pl)
			}
		})
	}
}

// allocated is how many bytes fn allocates.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHostileSizes reads the sizes named in the reader's contract: ten
// thousand nested lists, a line of a megabyte, and (unless -short) a
// generated file of 50 MB.
func TestHostileSizes(t *testing.T) {
	r := New(markup.Limits{})
	// Work is counted, not timed: what is allocated per byte of input
	// stays within limit whatever the machine is doing.
	read := func(name, src string, limit uint64) *markup.Doc {
		var d *markup.Doc
		var err error
		n := allocated(func() { d, err = r.Read(name, []byte(src)) })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%s: %d bytes allocated for %d bytes (%.0f×)", name, n, len(src), float64(n)/float64(len(src)))
		if n > limit*uint64(len(src))+(16<<20) {
			t.Errorf("%s (%d bytes) allocated %d bytes, more than %d per byte", name, len(src), n, limit)
		}
		return d
	}
	nested := strings.Repeat("- ", 10000) + "x\n"
	d := read("nested.rst", nested, 500)
	checkDoc(t, d, []byte(nested))
	if !strings.Contains(markup.PlainText(d.Body), "x") {
		t.Errorf("the text at the bottom of 10,000 nested lists is lost")
	}
	var deep strings.Builder
	for i := 0; i < 10000; i++ {
		deep.WriteString(strings.Repeat(" ", i%128) + "- item\n")
	}
	read("indented.rst", deep.String(), 500)
	read("line.rst", strings.Repeat("*incident* `ref`_ ", 1<<20/18)+"\n", 500)
	if testing.Short() {
		t.Skip("the 50 MB document is skipped in -short mode")
	}
	var b strings.Builder
	for i := 0; b.Len() < 50<<20; i++ {
		b.WriteString(postmortem)
	}
	d = read("big.rst", b.String(), 500)
	if len(d.Sections) < 1000 {
		t.Errorf("only %d sections in the 50 MB document", len(d.Sections))
	}
}

// postmortem is a small made-up postmortem using the common constructs.
const postmortem = `Disk full on the metrics host
=============================

:date: 2024-04-02
:severity: SEV-3
:systems: metrics, alerting

Summary
-------

The *metrics* volume filled up at 02:10 UTC; alerts stopped for
**forty minutes**. See the runbook_ and [1]_.

.. _runbook: https://wiki.example.com/runbooks/disk

Timeline
--------

- 02:10 disk at 100%
- 02:31 on-call paged by a customer
- 02:50 old shards deleted

  .. code:: shell

     du -sh /var/lib/metrics/*

Follow-up tasks
---------------

1. Alert on disk usage.
2. Rotate shards daily.

.. [1] Retention was set to 400 days.

`

func TestRenderHostileHTML(t *testing.T) {
	d, err := New(markup.Limits{}).Read("x.rst", []byte(".. raw:: html\n\n   <script>alert(1)</script><img src=x onerror=alert(1)>\n\n`x <javascript:alert(1)>`_\n"))
	if err != nil {
		t.Fatal(err)
	}
	out := string(markup.NewHTMLRenderer().Render(d, markup.HTMLOptions{}))
	for _, bad := range []string{"<script", "onerror", "javascript:"} {
		if strings.Contains(out, bad) {
			t.Errorf("rendered HTML contains %q:\n%s", bad, out)
		}
	}
}
