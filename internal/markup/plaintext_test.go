package markup

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/golden"
)

// testKnown stands in for the site's canonical section names.
func testKnown(key string) bool {
	switch key {
	case "impact", "timeline", "root cause", "action items", "lessons learned", "context":
		return true
	}
	return false
}

// TestTextCases reads every case in testdata/text/*.txtar and compares the
// model dump and the rendered HTML with the expected sections.
func TestTextCases(t *testing.T) {
	files, err := filepath.Glob("testdata/text/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	rd := NewText(Limits{}, testKnown)
	r := NewHTMLRenderer()
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			golden.Cases(t, f, *update, []string{".txt"}, func(t *testing.T, name string, in []byte) map[string][]byte {
				d, err := rd.Read(name, in)
				if err != nil {
					return map[string][]byte{".err": []byte(err.Error())}
				}
				if d.Format != "text" {
					t.Errorf("Format = %q, want text", d.Format)
				}
				var model bytes.Buffer
				if err := Dump(&model, d); err != nil {
					t.Fatal(err)
				}
				return map[string][]byte{".model": model.Bytes(), ".html": r.Render(d, HTMLOptions{})}
			})
		})
	}
}

// TestTextWithoutKnown checks that without a list of known sections, lines
// that only rule (c) would make headings stay prose.
func TestTextWithoutKnown(t *testing.T) {
	src := "Impact\nAbout 3% of requests failed.\nTimeline\n14:02 deploy\n"
	for _, tc := range []struct {
		known    func(string) bool
		headings int
	}{
		{nil, 0},
		{testKnown, 2},
	} {
		d, err := NewText(Limits{}, tc.known).Read("a.txt", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if got := countKind(d.Body, Heading); got != tc.headings {
			t.Errorf("known set: %v: %d headings, want %d", tc.known != nil, got, tc.headings)
		}
	}
}

// TestTextDepthLimit checks that bullets nested past Limits.MaxDepth are
// shown flat, with one warning.
func TestTextDepthLimit(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 6; i++ {
		fmt.Fprintf(&b, "%s- level %d\n", strings.Repeat("  ", i), i)
	}
	d, err := NewText(Limits{MaxDepth: 2}, nil).Read("a.txt", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if got := countKind(d.Body, List); got != 2 {
		t.Errorf("%d lists, want 2", got)
	}
	if got := countKind(d.Body, ListItem); got != 6 {
		t.Errorf("%d items, want 6", got)
	}
	if len(d.Warnings) != 1 || d.Warnings[0].Pos.Line != 3 {
		t.Errorf("warnings = %+v, want one on line 3", d.Warnings)
	}
}

// TestTextLinear reads a 200,000-line file of alternating bullets and
// headings and checks, by counting rather than timing, that the work and
// the model grow linearly: each line is looked at a bounded number of
// times, and each line makes a bounded number of nodes.
func TestTextLinear(t *testing.T) {
	const pairs = 100_000
	var b strings.Builder
	for i := 0; i < pairs; i++ {
		if i%2 == 0 {
			b.WriteString("Impact\n")
		} else {
			b.WriteString("Lessons Learned:\n")
		}
		fmt.Fprintf(&b, "• item %d with https://example.com/%d\n", i, i)
	}
	rd := NewText(Limits{}, testKnown)
	d, steps, err := rd.read("big.txt", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	lines := 2 * pairs
	if steps > 20*lines {
		t.Errorf("%d line visits for %d lines", steps, lines)
	}
	nodes := 0
	Walk(d.Body, func(*Node, bool) WalkStatus { nodes++; return WalkContinue })
	// Each pair: Heading+Text, List+ListItem+Paragraph+Text+Link+Text.
	// Walk calls back on entering and on leaving.
	if want := 2 * 8 * pairs; nodes != want {
		t.Errorf("%d node visits, want %d", nodes, want)
	}
	if len(d.Sections) != pairs {
		t.Errorf("%d sections, want %d", len(d.Sections), pairs)
	}

	// The same number of lines nested as deep as they go costs at most the
	// depth limit times as much.
	b.Reset()
	for i := 0; i < lines; i++ {
		b.WriteString(strings.Repeat(" ", i%500))
		b.WriteString("- x\n")
	}
	_, steps, err = NewText(Limits{MaxDepth: 8}, nil).read("deep.txt", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if steps > 20*8*lines {
		t.Errorf("%d line visits for %d nested lines", steps, lines)
	}
}

// TestTextHostile reads inputs built to find quadratic paths.
func TestTextHostile(t *testing.T) {
	cases := map[string]string{
		"long line":          strings.Repeat("word ", 200_000),
		"long url":           "https://" + strings.Repeat("a", 1<<20),
		"many urls":          strings.Repeat("http://a.b ", 100_000),
		"http without urls":  strings.Repeat("http", 250_000),
		"long underline":     "Title\n" + strings.Repeat("=", 1<<20),
		"spaces after dash":  "- " + strings.Repeat(" ", 1<<20) + "x\n",
		"deep indentation":   strings.Repeat(" ", 1<<20) + "- x\n",
		"bullets":            strings.Repeat("• item\n", 100_000),
		"nested markers":     strings.Repeat("- ", 100_000) + "x\n",
		"numbered":           strings.Repeat("1. a\n", 100_000),
		"blank lines":        strings.Repeat("\n", 1<<20),
		"code":               "x\n\n" + strings.Repeat("    code\n", 100_000),
		"loose items":        strings.Repeat("- a\n\n  b\n\n", 50_000),
		"breaks":             strings.Repeat("-----\n", 100_000),
		"alternating indent": strings.Repeat("- a\n        - b\n", 50_000),
	}
	rd := NewText(Limits{}, testKnown)
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			d, steps, err := rd.read("h.txt", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Count(src, "\n") + 1
			if steps > 200*lines {
				t.Errorf("%d line visits for %d lines", steps, lines)
			}
			PlainText(d.Body)
		})
	}
}

func countKind(nodes []*Node, k Kind) int {
	n := 0
	Walk(nodes, func(x *Node, entering bool) WalkStatus {
		if entering && x.Kind == k {
			n++
		}
		return WalkContinue
	})
	return n
}
