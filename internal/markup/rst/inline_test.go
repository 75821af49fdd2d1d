package rst

import (
	"reflect"
	"testing"
)

func TestInlineCases(t *testing.T) { runCases(t, "inline") }

func TestEscapes(t *testing.T) {
	for _, c := range []struct{ in, escaped, plain, literal string }{
		{`a\*b`, "a\x00*b", "a*b", `a\*b`},
		{`a\ b`, "a\x00 b", "ab", `a\ b`},
		{`a\\b`, "a\x00\\b", `a\b`, `a\\b`},
		{`end\`, "end\x00", "end", `end\`},
		{`é\é`, "é\x00é", "éé", `é\é`},
	} {
		e := escape2null(c.in)
		if e != c.escaped {
			t.Errorf("escape2null(%q) = %q, want %q", c.in, e, c.escaped)
		}
		if got := unescape(e); got != c.plain {
			t.Errorf("unescape(%q) = %q, want %q", e, got, c.plain)
		}
		if got := restoreBackslashes(e); got != c.literal {
			t.Errorf("restoreBackslashes(%q) = %q, want %q", e, got, c.literal)
		}
	}
}

func TestWordEnds(t *testing.T) {
	for _, c := range []struct {
		s     string
		ends  []int
		chain int
	}{
		{"abc def", []int{3}, 3},
		{"a-b.c_d", []int{1, 3, 5, 7}, 7},
		{"a--b", []int{1}, 1},
		{"a_", []int{1}, 1},
		{"_a", nil, 0},
	} {
		ends, chain := wordEnds(nil, c.s, 0)
		if !reflect.DeepEqual(ends, c.ends) || chain != c.chain {
			t.Errorf("wordEnds(%q) = %v %d, want %v %d", c.s, ends, chain, c.ends, c.chain)
		}
	}
}

func TestEmbeddedTarget(t *testing.T) {
	for _, c := range []struct{ in, text, target string }{
		{"Python <https://python.org>", "Python", "https://python.org"},
		{"<https://python.org>", "", "https://python.org"},
		{"alias <name_>", "alias", "name_"},
		{"no target", "", ""},
		{"a\x00<b>", "", ""},
	} {
		text, target, ok := embeddedTarget(c.in)
		if ok != (c.target != "") || text != c.text || target != c.target {
			t.Errorf("embeddedTarget(%q) = %q %q %v", c.in, text, target, ok)
		}
	}
}
