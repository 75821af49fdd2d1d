package rst

import "testing"

func TestTargetCases(t *testing.T) { runCases(t, "target") }

// TestMakeID checks anchors against docutils' make_id.
func TestMakeID(t *testing.T) {
	for in, want := range map[string]string{
		"why-1":             "why-1",
		"Five Whys":         "five-whys",
		"1. Impact":         "impact",
		"Café crème":        "cafe-creme",
		"⚠️ Leadup":         "leadup",
		"--x--":             "x",
		"rollback_steps.v2": "rollback-steps-v2",
		"日本":                "",
	} {
		if got := makeID(in); got != want {
			t.Errorf("makeID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTargetName(t *testing.T) {
	for _, c := range []struct {
		lines []string
		name  string
		anon  bool
		rest  string
		ok    bool
	}{
		{[]string{"name: https://x"}, "name", false, "https://x", true},
		{[]string{"a:b: https://x"}, "a:b", false, "https://x", true},
		{[]string{"`a: b`: https://x"}, "a: b", false, "https://x", true},
		{[]string{"why-1:"}, "why-1", false, "", true},
		{[]string{"_: https://anon"}, "", true, "https://anon", true},
		{[]string{"long", " name: https://x"}, "long name", false, "https://x", true},
		{[]string{"no colon"}, "", false, "", false},
	} {
		var b []line
		for i, s := range c.lines {
			b = append(b, line{s: s, n: i})
		}
		name, anon, _, rest, ok := targetName(b)
		if ok != c.ok || (ok && (name != c.name || anon != c.anon || rest != c.rest)) {
			t.Errorf("targetName(%q) = %q %v %q %v", c.lines, name, anon, rest, ok)
		}
	}
}
