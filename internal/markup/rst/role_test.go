package rst

import "testing"

func TestRoleCases(t *testing.T) { runCases(t, "role") }

func TestExplicitTitle(t *testing.T) {
	for _, c := range []struct {
		in, title, target string
		ok                bool
	}{
		{"Runbook <runbooks/db>", "Runbook", "runbooks/db", true},
		{"runbooks/db", "", "", false},
		{"<x>", "", "", false},
		{"a<b>", "", "", false},
	} {
		title, target, ok := explicitTitle(c.in)
		if title != c.title || target != c.target || ok != c.ok {
			t.Errorf("explicitTitle(%q) = %q %q %v", c.in, title, target, ok)
		}
	}
}

func TestDocURL(t *testing.T) {
	for in, want := range map[string]string{"intro": "intro.rst", "../a/b": "../a/b.rst", "c.rst": "c.rst", "dir/": "dir/"} {
		if got := docURL(in); got != want {
			t.Errorf("docURL(%q) = %q, want %q", in, got, want)
		}
	}
}
