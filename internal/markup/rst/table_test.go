package rst

import (
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/markup"
)

func TestTableCases(t *testing.T) { runCases(t, "table") }

// TestGridTableHostile feeds a large grid where every cell's right edge is
// full of corners that lead nowhere: tracing must stay within its budget.
func TestGridTableHostile(t *testing.T) {
	var b strings.Builder
	row := "+" + strings.Repeat("-+", 300) + "\n"
	b.WriteString(row)
	for i := 0; i < 300; i++ {
		b.WriteString("|" + strings.Repeat(" +", 300) + "\n")
	}
	b.WriteString(row)
	var d *markup.Doc
	var err error
	// Work is counted, not timed: a grid read cell by cell allocates in
	// proportion to its cells; one that rescans rows per cell, far more.
	n := allocated(func() { d, err = New(markup.Limits{}).Read("grid.rst", []byte(b.String())) })
	if err != nil {
		t.Fatal(err)
	}
	checkDoc(t, d, []byte(b.String()))
	t.Logf("%d bytes allocated for %d bytes of grid", n, b.Len())
	if n > 400*uint64(b.Len()) {
		t.Errorf("a 300x300 hostile grid allocated %d bytes for %d bytes of input", n, b.Len())
	}
}
