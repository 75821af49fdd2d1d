package rst

import "testing"

func TestQuoteCases(t *testing.T) { runCases(t, "quote") }

func TestSplitAttribution(t *testing.T) {
	mk := func(ss ...string) []line {
		var b []line
		for i, s := range ss {
			b = append(b, line{s: s, n: i})
		}
		return b
	}
	for _, c := range []struct {
		in         []string
		body, attr int // lengths; attr -1 for none
	}{
		{[]string{"Quote.", "", "-- Someone"}, 2, 1},
		{[]string{"Quote.", "", "--- Someone", "    else"}, 2, 2},
		{[]string{"Quote.", "", "-- Someone", "  bad", "    shape"}, 5, -1},
		{[]string{"-- Not after content"}, 1, -1},
		{[]string{"Quote.", "-- no blank line before"}, 2, -1},
		{[]string{"Quote.", "", "\u2014 Em dash"}, 2, 1},
	} {
		body, attr, _ := splitAttribution(mk(c.in...))
		got := -1
		if attr != nil {
			got = len(attr)
		}
		if len(body) != c.body || got != c.attr {
			t.Errorf("splitAttribution(%q) = %d body lines, %d attribution lines; want %d, %d", c.in, len(body), got, c.body, c.attr)
		}
	}
}
