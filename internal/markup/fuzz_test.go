package markup

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/kb-postmortems/kb/internal/golden"
)

// FuzzMarkdown feeds arbitrary bytes to the Markdown reader and renderer.
// Whatever the input: no panic, positions inside the file, and no script or
// event handler in the HTML.
func FuzzMarkdown(f *testing.F) {
	golden.Seeds(f, "testdata/markdown/*.txtar", ".md")
	f.Add([]byte("---\ntitle: [\n---\n"))
	f.Add([]byte("+++\na = 1\n+++\n# T\n"))
	f.Add([]byte("<scr<script>ipt>alert(1)</script>"))
	f.Add([]byte("{{< highlight go >}}\n{% raw %}[a]({{< ref \"x\" >}}) `{{</* y */>}}`\n\n{{< /highlight"))
	f.Add([]byte("## :fire: Impact\n\n:cry::+1: a:b:c 10:100:5 `:fire:` \\:fire: [:x: y](http://a/:x:) :nope: *:tada:*"))
	f.Add([]byte("- {% highlight sh %}\n  x\n  {% endhighlight %}\n> {{% note %}}\n> ```\n> {{< figure src=\"a b.png\" >}}\n{{< /note >}}"))
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

// assertInert fails if HTML could run script: a script, frame, object or
// form element, an event handler attribute, or a URL attribute whose scheme
// is not one SafeURL allows. It parses the HTML as a browser would.
func assertInert(t *testing.T, out []byte) {
	t.Helper()
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(bytes.NewReader(out), ctx)
	if err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "frame", "object", "embed", "form", "base", "meta", "link", "style":
				t.Fatalf("output has <%s>: %s", n.Data, out)
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				if strings.HasPrefix(k, "on") || k == "style" || k == "formaction" || k == "srcdoc" {
					t.Fatalf("output has attribute %s: %s", a.Key, out)
				}
				if k == "href" || k == "src" || k == "action" || k == "xlink:href" || k == "poster" {
					if _, ok := SafeURL(a.Val); !ok {
						t.Fatalf("output has %s=%q: %s", a.Key, a.Val, out)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
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
