package markup

import (
	"strconv"
	"strings"
	"testing"
)

func TestNormalizeHeading(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Root cause", "root cause"},
		{"⚠️ Leadup", "leadup"},
		{":warning: Leadup", "leadup"},
		{"🥷 Blameless root cause", "blameless root cause"},
		{"1. Summary", "summary"},
		{"2.1 Impact", "impact"},
		{"A) Timeline", "timeline"},
		{"(iv) Detection:", "detection"},
		{"IV. Lessons learned", "lessons learned"},
		{"Step 3: Resolution", "resolution"},
		{"Root cause(s)?", "root cause s"},
		{"TL;DR", "tl dr"},
		{"5 Whys", "5 whys"},
		{"Five whys", "five whys"},
		{"What's next?", "whats next"},
		{"Follow-up tasks", "follow up tasks"},
		{"  ACTION   ITEMS  ", "action items"},
		{"2023-01-03 12:30", "2023 01 03 12 30"},
		{"🔥", ""},
	}
	for _, tt := range tests {
		if got := NormalizeHeading(tt.in); got != tt.want {
			t.Errorf("NormalizeHeading(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Root cause", "root-cause"},
		{"⚠️ Leadup", "leadup"},
		{"What's next?", "whats-next"},
		{"  --a--b--  ", "a-b"},
		{"Ünïcode Straße", "ünïcode-straße"},
		{"2023-01-03", "2023-01-03"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSafeURL(t *testing.T) {
	ok := []string{"https://x.org/a", "http://x", "mailto:a@b", "tel:+1", "../a.md", "#frag", "a/b:c", "/abs", "?q=1", ""}
	bad := []string{"javascript:alert(1)", "JAVASCRIPT:x", " javascript:x", "java\tscript:x", "java\nscript:x", "vbscript:x", "data:text/html,x", "file:///etc/passwd"}
	for _, u := range ok {
		if _, good := SafeURL(u); !good {
			t.Errorf("SafeURL(%q) rejected", u)
		}
	}
	for _, u := range bad {
		if _, good := SafeURL(u); good {
			t.Errorf("SafeURL(%q) accepted", u)
		}
	}
}

func TestWalk(t *testing.T) {
	tree := []*Node{{Kind: Paragraph, Children: []*Node{{Kind: Text, Literal: "a"}, {Kind: Emphasis, Children: []*Node{{Kind: Text, Literal: "b"}}}}}, {Kind: ThematicBreak}}
	var got []string
	Walk(tree, func(n *Node, entering bool) WalkStatus {
		s := "<"
		if !entering {
			s = ">"
		}
		got = append(got, s+n.Kind.String())
		if entering && n.Kind == Emphasis {
			return WalkSkipChildren
		}
		return WalkContinue
	})
	want := "<Paragraph <Text >Text <Emphasis >Paragraph <ThematicBreak >ThematicBreak"
	if s := join(got); s != want {
		t.Errorf("walk order:\n got %s\nwant %s", s, want)
	}
	n := 0
	Walk(tree, func(*Node, bool) WalkStatus { n++; return WalkStop })
	if n != 1 {
		t.Errorf("WalkStop visited %d nodes", n)
	}
}

func join(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}

func TestDeepNestingIsFlattened(t *testing.T) {
	src := make([]byte, 0, 30000)
	for i := 0; i < 5000; i++ {
		src = append(src, '>')
	}
	src = append(src, " deep\n"...)
	d, err := NewMarkdown(Limits{MaxDepth: 16}).Read("deep.md", src)
	if err != nil {
		t.Fatal(err)
	}
	depth, max := 0, 0
	Walk(d.Body, func(n *Node, entering bool) WalkStatus {
		if n.Kind == BlockQuote {
			if entering {
				depth++
				max = maxInt(max, depth)
			} else {
				depth--
			}
		}
		return WalkContinue
	})
	if max > 16 {
		t.Errorf("quote depth %d, want at most 16", max)
	}
	if len(d.Warnings) != 1 {
		t.Errorf("warnings = %v, want one about nesting", d.Warnings)
	}
	if PlainText(d.Body) != "deep" {
		t.Errorf("text lost: %q", PlainText(d.Body))
	}
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// TestFinishDuplicateHeadings gives many headings the same title: anchors
// stay unique and in order, skip anchors already taken, and the work stays
// linear.
func TestFinishDuplicateHeadings(t *testing.T) {
	mk := func(n int) *Doc {
		d := &Doc{}
		d.Body = append(d.Body, &Node{Kind: Heading, Level: 1, Children: []*Node{{Kind: Text, Literal: "Why 2"}}})
		for i := 0; i < n; i++ {
			d.Body = append(d.Body, &Node{Kind: Heading, Level: 1, Children: []*Node{{Kind: Text, Literal: "Why"}}})
		}
		return d
	}
	d := mk(4)
	Finish(d, FinishOptions{})
	var ids []string
	for _, s := range d.Sections {
		ids = append(ids, s.ID)
	}
	if got, want := strings.Join(ids, " "), "why-2 why why-1 why-3 why-4"; got != want {
		t.Errorf("anchors %q, want %q", got, want)
	}
	// Work is counted as allocations, not timed: a test must pass on a
	// busy machine. Probing "why-1", "why-2", … afresh for each duplicate
	// would allocate quadratically.
	work := func(n int) float64 {
		d := mk(n)
		return testing.AllocsPerRun(1, func() {
			Finish(d, FinishOptions{})
			if last := d.Sections[len(d.Sections)-1].ID; last != "why-"+strconv.Itoa(n) {
				t.Fatalf("last anchor %q", last)
			}
		})
	}
	small, large := work(5000), work(40000)
	if large > 12*small+1000 {
		t.Errorf("8x the duplicate headings made %.0f allocations against %.0f: not linear", large, small)
	}
}
