package rst

import (
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/markup"
)

func TestLiteralCases(t *testing.T) { runCases(t, "literal") }

// TestLineBlockDepth nests a line block deeper than the limit: the lines
// stay, nesting stops at the limit.
func TestLineBlockDepth(t *testing.T) {
	src := ""
	for i := 0; i < 50; i++ {
		src += "|" + strings.Repeat(" ", 1+i) + "line\n"
	}
	d, err := New(markup.Limits{MaxDepth: 5}).Read("lb.rst", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	checkDoc(t, d, []byte(src))
	depth, lines := 0, 0
	var walk func(n *markup.Node, k int)
	walk = func(n *markup.Node, k int) {
		if n.Kind == markup.LineBlock {
			depth = max(depth, k)
		}
		if n.Kind == markup.Line {
			lines++
		}
		for _, c := range n.Children {
			walk(c, k+1)
		}
	}
	walk(d.Body[0], 1)
	if lines != 50 {
		t.Errorf("%d lines, want 50", lines)
	}
	if depth > 5 {
		t.Errorf("line blocks nest %d deep past a limit of 5", depth)
	}
}
