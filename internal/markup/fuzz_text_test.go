package markup

import (
	"bytes"
	"testing"

	"github.com/kb-postmortems/kb/internal/golden"
)

// textSeeds adds the inputs of the plain-text case files to f's corpus.
func textSeeds(f *testing.F) {
	golden.Seeds(f, "testdata/text/*.txtar", ".txt")
}

// FuzzText feeds arbitrary bytes to the plain-text reader and renderer:
// no panic, the right format, positions inside the file.
func FuzzText(f *testing.F) {
	textSeeds(f)
	f.Add([]byte("a\n===\n- b\n  - c\n\n      d\n1) e\n"))
	f.Add([]byte("==\nx\n==\n•\u00a0y\nImpact:\n"))
	rd := NewText(Limits{MaxDepth: 8}, testKnown)
	r := NewHTMLRenderer()
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := rd.Read("f.txt", src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error is %T, want *Error: %v", err, err)
			}
			return
		}
		if d.Format != "text" {
			t.Fatalf("Format = %q", d.Format)
		}
		lines := bytes.Count(src, []byte("\n")) + bytes.Count(src, []byte("\r")) + 1
		check := func(what string, line int) {
			if line < 0 || line > lines {
				t.Fatalf("%s at line %d of a %d-line file", what, line, lines)
			}
		}
		check("title", d.TitlePos.Line)
		Walk(d.Body, func(n *Node, entering bool) WalkStatus {
			if entering {
				check(n.Kind.String(), n.Line)
				if n.Line == 0 {
					t.Fatalf("%s without a position", n.Kind)
				}
			}
			return WalkContinue
		})
		assertInert(t, r.Render(d, HTMLOptions{}))
	})
}

// FuzzSniff checks Sniff never panics and only answers with a known format,
// and with a reason when it refuses a file.
func FuzzSniff(f *testing.F) {
	textSeeds(f)
	f.Add([]byte("#!/bin/sh\n"))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte("Title\n=====\n\n.. note::\n"))
	f.Add([]byte("---\na: b\n---\n# x\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		format, why := Sniff(src)
		switch format {
		case "markdown", "rst", "text":
		case "":
			if why == "" {
				t.Fatalf("no reason for refusing %q", src)
			}
		default:
			t.Fatalf("format %q", format)
		}
	})
}
