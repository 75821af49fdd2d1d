package corpus

import (
	"strings"
	"testing"
)

func TestArticles(t *testing.T) {
	for in, want := range map[string]string{
		"a unexpected alert":           "an unexpected alert",
		"A internal keyring":           "An internal keyring",
		"a unique key":                 "a unique key",
		"a noisy alert and a idle pod": "a noisy alert and an idle pod",
		"a SLO page":                   "an SLO page",
		"a one-off job":                "a one-off job",
		"data on a host":               "data on a host",
		"mega outage":                  "mega outage",
	} {
		if got := articles(in); got != want {
			t.Errorf("articles(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDeterminers(t *testing.T) {
	for in, want := range map[string]string{
		"The the API gateway SLO burned":     "The API gateway SLO burned",
		"as the new the CDN configuration":   "as the new CDN configuration",
		"traffic to a retired the CDN":       "traffic to a retired CDN",
		"pushed it to all the CDN instances": "pushed it to all the CDN instances",
		"the on-call paged the team":         "the on-call paged the team",
	} {
		if got := determiners(in); got != want {
			t.Errorf("determiners(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWrapKeepsSpansAndSafeLineStarts(t *testing.T) {
	text := "restart it with " + code("kubectl rollout restart deployment/api") +
		" and then - as planned - check 12. the graphs # again > later " + link("the earlier incident", "a.md") + " done"
	for _, width := range []int{10, 20, 40, 72} {
		lines := wrap(text, width)
		if got := strings.Join(lines, " "); got != text {
			t.Fatalf("width %d: joined lines differ:\n%q\n%q", width, got, text)
		}
		for _, l := range lines[1:] {
			first, _, _ := strings.Cut(l, " ")
			if riskyStart(first) {
				t.Errorf("width %d: line starts with a block marker: %q", width, l)
			}
		}
		for _, l := range lines {
			if strings.Count(l, mCode)%2 != 0 || strings.Count(l, mLink)%2 != 0 {
				t.Errorf("width %d: a span is split across lines: %q", width, l)
			}
		}
	}
}

func TestRelPath(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{"a.md", "b.md", "b.md"},
		{"2019/a.md", "b.md", "../b.md"},
		{"a.md", "2019/b.md", "2019/b.md"},
		{"2019/a.md", "2019/b.md", "b.md"},
		{"2019/x/index.md", "2020/b.rst", "../../2020/b.rst"},
		{"x/index.md", "y/index.md", "../y/index.md"},
	} {
		if got := relPath(c.from, c.to); got != c.want {
			t.Errorf("relPath(%q, %q) = %q, want %q", c.from, c.to, got, c.want)
		}
	}
}
