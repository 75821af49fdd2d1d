package rst

import (
	"strings"
	"testing"
	"time"

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
	start := time.Now()
	d, err := New(markup.Limits{}).Read("grid.rst", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	checkDoc(t, d, []byte(b.String()))
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("a 300x300 hostile grid took %v", el)
	}
}
