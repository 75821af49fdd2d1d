package markup

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/tools/txtar"
)

// FuzzMarkdown feeds arbitrary bytes to the Markdown reader and renderer.
// Whatever the input: no panic, positions inside the file, and no script or
// event handler in the HTML.
func FuzzMarkdown(f *testing.F) {
	files, _ := filepath.Glob("testdata/markdown/*.txtar")
	for _, name := range files {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range ar.Files {
			if strings.HasSuffix(file.Name, ".md") {
				f.Add(file.Data)
			}
		}
	}
	f.Add([]byte("---\ntitle: [\n---\n"))
	f.Add([]byte("+++\na = 1\n+++\n# T\n"))
	f.Add([]byte("<scr<script>ipt>alert(1)</script>"))
	md := NewMarkdown(Limits{MaxDepth: 32})
	r := NewHTMLRenderer()
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := md.Read("f.md", src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error is %T, want *Error: %v", err, err)
			}
			return
		}
		lines := bytes.Count(src, []byte("\n")) + 2 // CR counts as a line end too
		lines += bytes.Count(src, []byte("\r"))
		Walk(d.Body, func(n *Node, entering bool) WalkStatus {
			if entering && (n.Line < 0 || n.Line > lines) {
				t.Fatalf("%s at line %d of a %d-line file", n.Kind, n.Line, lines)
			}
			return WalkContinue
		})
		out := r.Render(d, HTMLOptions{})
		if !utf8.Valid(out) {
			t.Fatalf("rendered HTML is not UTF-8")
		}
		assertInert(t, out)
	})
}

// assertInert fails if HTML could run script: a script element, an event
// handler attribute or a javascript: URL in an attribute.
func assertInert(t *testing.T, out []byte) {
	t.Helper()
	low := bytes.ToLower(out)
	for _, bad := range [][]byte{[]byte("<script"), []byte("javascript:"), []byte("<iframe"), []byte("<object"), []byte("<embed"), []byte("<form")} {
		if i := bytes.Index(low, bad); i >= 0 && inTag(low, i) {
			t.Fatalf("output contains %q: %s", bad, out)
		}
	}
	if m := onAttr(low); m != "" {
		t.Fatalf("output has event handler %q: %s", m, out)
	}
}

// inTag reports whether position i is inside a tag (between < and >), where
// markup would be live, rather than in escaped text.
func inTag(b []byte, i int) bool {
	lt := bytes.LastIndexByte(b[:i+1], '<')
	gt := bytes.LastIndexByte(b[:i], '>')
	return lt >= 0 && lt > gt
}

// onAttr finds an attribute named on… inside a tag.
func onAttr(b []byte) string {
	for i := 0; i+3 < len(b); i++ {
		if (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '/') && b[i+1] == 'o' && b[i+2] == 'n' && inTag(b, i) {
			j := i + 3
			for j < len(b) && b[j] >= 'a' && b[j] <= 'z' {
				j++
			}
			if j < len(b) && j > i+3 && (b[j] == '=' || b[j] == ' ') {
				return string(b[i+1 : j])
			}
		}
	}
	return ""
}

// FuzzFrontMatter targets the YAML and TOML decoders behind the delimiters.
func FuzzFrontMatter(f *testing.F) {
	f.Add([]byte("title: A\ndate: 2024-01-02\nsystems: [a, b]\n"), true)
	f.Add([]byte("a: &a [1]\nb: [*a, *a]\n"), true)
	f.Add([]byte("title = \"A\"\n[x]\ny = 1\n"), false)
	f.Fuzz(func(t *testing.T, body []byte, yaml bool) {
		delim := "+++"
		if yaml {
			delim = "---"
		}
		src := append([]byte(delim+"\n"), body...)
		src = append(src, "\n"+delim+"\n"...)
		_, err := SplitFrontMatter("f.md", src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error is %T: %v", err, err)
			}
		}
	})
}

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}
