package rst

import (
	"bytes"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/golden"
	"github.com/kb-postmortems/kb/internal/markup"
)

var update = flag.Bool("update", false, "rewrite golden files")

// runCases reads every case of testdata/<family>.txtar and compares the
// model dump and the HTML of the shared renderer with the expected
// sections. Every document read must also pass checkDoc.
func runCases(t *testing.T, family string) {
	t.Helper()
	runCasesWith(t, family, markup.Limits{})
}

func runCasesWith(t *testing.T, family string, limits markup.Limits) {
	t.Helper()
	r := New(limits)
	html := markup.NewHTMLRenderer()
	golden.Cases(t, filepath.Join("testdata", family+".txtar"), *update, []string{".rst"}, func(t *testing.T, name string, in []byte) map[string][]byte {
		d, err := r.Read(name, in)
		if err != nil {
			return map[string][]byte{".err": []byte(err.Error())}
		}
		checkDoc(t, d, in)
		var model bytes.Buffer
		if err := markup.Dump(&model, d); err != nil {
			t.Fatal(err)
		}
		return map[string][]byte{".model": model.Bytes(), ".html": html.Render(d, markup.HTMLOptions{})}
	})
}

// checkDoc checks what every document must satisfy: block nodes have
// positions, all positions are inside the file, no internal node kind is
// left, and links have destinations.
func checkDoc(t testing.TB, d *markup.Doc, src []byte) {
	t.Helper()
	prepared, err := markup.Prepare(d.Path, src)
	if err != nil {
		t.Fatalf("document read from input that Prepare rejects: %v", err)
	}
	lines := bytes.Count(prepared, []byte("\n")) + 1
	inFile := func(what string, line, col int) {
		if line < 0 || line > lines || col < 0 {
			t.Errorf("%s at %d:%d is outside the file (%d lines)", what, line, col, lines)
		}
	}
	for _, f := range d.Meta {
		inFile("meta "+f.Key, f.Pos.Line, f.Pos.Col)
		if f.Pos.Line == 0 {
			t.Errorf("meta %s has no position", f.Key)
		}
	}
	for _, w := range d.Warnings {
		inFile("warning "+w.Message, w.Pos.Line, w.Pos.Col)
		if w.Message == "" || strings.HasSuffix(w.Message, ".") {
			t.Errorf("warning %q: messages are not empty and end without a period", w.Message)
		}
	}
	for _, a := range d.Assets {
		inFile("asset "+a.Path, a.Pos.Line, a.Pos.Col)
	}
	var sections func([]*markup.Section)
	sections = func(ss []*markup.Section) {
		for _, s := range ss {
			inFile("section "+s.Title, s.Pos.Line, s.Pos.Col)
			if s.Pos.Line == 0 {
				t.Errorf("section %q has no position", s.Title)
			}
			sections(s.Sections)
		}
	}
	sections(d.Sections)
	markup.Walk(d.Body, func(n *markup.Node, entering bool) markup.WalkStatus {
		if !entering {
			return markup.WalkContinue
		}
		if n.Kind >= 128 || n.Kind == markup.KindInvalid {
			t.Errorf("internal node kind %v left in the document", n.Kind)
		}
		if !n.Kind.IsInline() && (n.Line == 0 || n.Col == 0) {
			t.Errorf("block node %v has no position", n.Kind)
		}
		if n.Kind == markup.Link && n.URL == "" {
			t.Errorf("link without destination at %d:%d", n.Line, n.Col)
		}
		inFile(n.Kind.String(), n.Line, n.Col)
		return markup.WalkContinue
	})
}

func TestReaderFormat(t *testing.T) {
	d, err := New(markup.Limits{}).Read("a.rst", []byte("Hello\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Format != "rst" || d.Path != "a.rst" {
		t.Errorf("Format %q Path %q, want rst and a.rst", d.Format, d.Path)
	}
}

func TestInvalidUTF8(t *testing.T) {
	_, err := New(markup.Limits{}).Read("bad.rst", []byte("Title\n=====\n\ncaf\xe9\n"))
	var me *markup.Error
	if !errors.As(err, &me) {
		t.Fatalf("got %v, want a *markup.Error", err)
	}
	if me.Pos.Line != 4 || me.Pos.Col != 4 {
		t.Errorf("error at %v, want line 4 col 4", me.Pos)
	}
}

func TestCRLFAndBOM(t *testing.T) {
	r := New(markup.Limits{})
	a, _ := r.Read("a.rst", []byte("\xef\xbb\xbfTitle\r\n=====\r\n\r\nText *here*.\r\n"))
	b, _ := r.Read("a.rst", []byte("Title\n=====\n\nText *here*.\n"))
	var da, db bytes.Buffer
	markup.Dump(&da, a)
	markup.Dump(&db, b)
	if da.String() != db.String() {
		t.Errorf("CRLF and BOM change the model:\n%s", golden.Diff(db.String(), da.String()))
	}
}

func TestTabsExpand(t *testing.T) {
	d, _ := New(markup.Limits{}).Read("t.rst", []byte("-\titem\n\tmore\n"))
	if len(d.Body) != 1 || d.Body[0].Kind != markup.List {
		t.Fatalf("tab-indented continuation: got %v", d.Body)
	}
	p := d.Body[0].Children[0].Children[0]
	if got := markup.InlineText(p); got != "item more" {
		t.Errorf("item text %q, want %q", got, "item more")
	}
	if p.Col != 3 {
		t.Errorf("column of text after a tab is %d, want 3 (characters as written)", p.Col)
	}
}

// TestConcurrentReads reads documents from many goroutines with one reader.
func TestConcurrentReads(t *testing.T) {
	r := New(markup.Limits{})
	src := []byte("Title\n=====\n\n- a `link <https://x.example>`_\n- |s|\n\n.. |s| replace:: sub\n")
	want, _ := r.Read("a.rst", src)
	var wd bytes.Buffer
	markup.Dump(&wd, want)
	done := make(chan string)
	for i := 0; i < 8; i++ {
		go func() {
			d, _ := r.Read("a.rst", src)
			var b bytes.Buffer
			markup.Dump(&b, d)
			done <- b.String()
		}()
	}
	for i := 0; i < 8; i++ {
		if got := <-done; got != wd.String() {
			t.Errorf("concurrent read differs:\n%s", golden.Diff(wd.String(), got))
		}
	}
}

// BenchmarkRead reads a document of about a megabyte made of a small
// postmortem repeated; internal/markup has the same benchmark for the
// Markdown version of that postmortem.
//
//	go test -run '^$' -bench BenchmarkRead ./internal/markup/ ./internal/markup/rst/
func BenchmarkRead(b *testing.B) {
	src := []byte(strings.Repeat(postmortem, (1<<20)/len(postmortem)))
	r := New(markup.Limits{})
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.Read("bench.rst", src); err != nil {
			b.Fatal(err)
		}
	}
}
