package markup

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

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
	time1 := func(n int) time.Duration {
		d := mk(n)
		start := time.Now()
		Finish(d, FinishOptions{})
		if last := d.Sections[len(d.Sections)-1].ID; last != "why-"+strconv.Itoa(n) {
			t.Fatalf("last anchor %q", last)
		}
		return time.Since(start)
	}
	small, large := time1(5000), time1(40000)
	if large > 40*small+200*time.Millisecond {
		t.Errorf("8x the duplicate headings took %v against %v: not linear", large, small)
	}
}
