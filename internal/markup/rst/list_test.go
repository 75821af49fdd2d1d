package rst

import (
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/markup"
)

func TestListCases(t *testing.T) { runCases(t, "list") }

func TestMatchEnum(t *testing.T) {
	for _, c := range []struct {
		s      string
		ok     bool
		format enumFormat
		text   string
		seq    string
		ord    int
	}{
		{"1. x", true, fmtPeriod, "1", "arabic", 1},
		{"12) x", true, fmtRParen, "12", "arabic", 12},
		{"(c) x", true, fmtParens, "c", "loweralpha", 3},
		{"ii. x", true, fmtPeriod, "ii", "lowerroman", 2},
		{"i. x", true, fmtPeriod, "i", "lowerroman", 1},
		{"v. x", true, fmtPeriod, "v", "loweralpha", 22},
		{"IV) x", true, fmtRParen, "IV", "upperroman", 4},
		{"#. x", true, fmtPeriod, "#", "#", 1},
		{"iiii. x", true, fmtPeriod, "iiii", "lowerroman", -1},
		{"ab. x", false, 0, "", "", 0},
		{"1.x", false, 0, "", "", 0},
		{"1.", true, fmtPeriod, "1", "arabic", 1},
	} {
		m, ok := matchEnum(c.s)
		if ok != c.ok {
			t.Errorf("matchEnum(%q) ok = %v, want %v", c.s, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		seq, ord := parseEnumerator(m.text, "")
		if m.format != c.format || m.text != c.text || seq != c.seq || ord != c.ord {
			t.Errorf("matchEnum(%q) = %v %q %s %d, want %v %q %s %d", c.s, m.format, m.text, seq, ord, c.format, c.text, c.seq, c.ord)
		}
	}
}

func TestRoman(t *testing.T) {
	for n := 1; n < 4000; n++ {
		if got := fromRoman(toRoman(n)); got != n {
			t.Fatalf("fromRoman(toRoman(%d)) = %d", n, got)
		}
	}
	for _, bad := range []string{"IIII", "VV", "IC", ""} {
		if fromRoman(bad) != -1 {
			t.Errorf("fromRoman(%q) accepted", bad)
		}
	}
}

func TestMatchField(t *testing.T) {
	for _, c := range []struct {
		s    string
		name string
		ok   bool
	}{
		{":date: 2024", "date", true},
		{":a b: x", "a b", true},
		{":a\\: b: x", "a\\: b", true},
		{":date:", "date", true},
		{": x: y", "", false},
		{":: x", "", false},
		{":role:`x`", "", false},
		{":x :y", "", false},
	} {
		name, _, ok := matchField(c.s)
		if ok != c.ok || name != c.name {
			t.Errorf("matchField(%q) = %q %v, want %q %v", c.s, name, ok, c.name, c.ok)
		}
	}
}

// TestDepthLimit nests lists past the limit: deeper levels are shown flat,
// with one warning, and the text is kept.
func TestDepthLimit(t *testing.T) {
	src := "- a\n\n  - b\n\n    - c\n\n      - d\n\n        - e\n"
	d, err := New(markup.Limits{MaxDepth: 3}).Read("deep.rst", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	checkDoc(t, d, []byte(src))
	depth := 0
	var walk func(ns []*markup.Node, k int)
	walk = func(ns []*markup.Node, k int) {
		for _, n := range ns {
			if n.Kind == markup.List {
				depth = max(depth, k+1)
				for _, it := range n.Children {
					walk(it.Children, k+1)
				}
			}
		}
	}
	walk(d.Body, 0)
	if depth > 3 {
		t.Errorf("lists nest %d deep past a limit of 3", depth)
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Message, "nested deeper than 3") {
		t.Errorf("warnings %v, want one about nesting", d.Warnings)
	}
	text := markup.PlainText(d.Body)
	for _, w := range []string{"a", "b", "c", "d", "e"} {
		if !strings.Contains(text, w) {
			t.Errorf("text %q lost %q", text, w)
		}
	}
}
