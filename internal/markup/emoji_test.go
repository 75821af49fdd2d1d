package markup

import (
	"strings"
	"testing"
)

func TestReplaceEmoji(t *testing.T) {
	table := EmojiTable()
	for _, c := range []struct{ in, want string }{
		{":fire:", "🔥"},
		{"we :cry: now", "we 😢 now"},
		{":white_check_mark: done", "✅ done"},
		{":+1: and :-1:", "👍 and 👎"},
		{":fire::fire:", "🔥🔥"},
		{"(:fire:)", "(🔥)"},
		{"not :a_shortcode_kb_knows: here", "not :a_shortcode_kb_knows: here"},
		{"at 10:100:5", "at 10:100:5"}, // beside digits: a time, not 💯
		{"a:b:c", "a:b:c"},             // beside letters
		{":fire:s", ":fire:s"},         // a letter right after
		{"é:fire:", "é:fire:"},         // any script's letters
		{"\x00:fire:", "\x00:fire:"},   // escaped, as the RST reader marks it
		{":: :fire", ":: :fire"},       // no closing colon
		{"::fire:::", ":🔥::"},          // colons around are not letters
		{"no colon at all", "no colon at all"},
		{":FIRE:", ":FIRE:"}, // names are case-sensitive, as on GitHub
	} {
		if got := ReplaceEmoji(c.in, 0, len(c.in), table); got != c.want {
			t.Errorf("ReplaceEmoji(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := ReplaceEmoji(c.in, 0, len(c.in), nil); got != c.in {
			t.Errorf("ReplaceEmoji(%q) with no table = %q", c.in, got)
		}
	}
	// Only s[from:to] is replaced, but what stands beside it counts.
	s := "x:fire: :fire:"
	if got := ReplaceEmoji(s, 1, 7, table); got != ":fire:" {
		t.Errorf("after a letter outside the range: %q", got)
	}
	if got := ReplaceEmoji(s, 8, len(s), table); got != "🔥" {
		t.Errorf("after a space outside the range: %q", got)
	}
}

func TestMarkdownEmoji(t *testing.T) {
	md := NewMarkdown(Limits{})
	r := NewHTMLRenderer()
	for _, c := range []struct {
		name, in string
		// html holds fragments the rendered body must contain, and not
		// those it must not.
		html, not []string
		// text is the plain text of the body.
		text string
	}{
		{
			name: "text, emphasis and link text",
			in:   "We :cry:, *:fire:* and [:rocket: deploy](https://example.com/:fire:).\n",
			html: []string{"We 😢, <em>🔥</em>", `<a href="https://example.com/:fire:">🚀 deploy</a>`},
			text: "We 😢, 🔥 and 🚀 deploy.",
		},
		{
			name: "code keeps its colons",
			in:   "Run `:fire:` then:\n\n```\n:fire: :cry:\n```\n",
			html: []string{"<code>:fire:</code>", "<pre><code>:fire: :cry:\n</code></pre>"},
			not:  []string{"🔥", "😢"},
			text: "Run :fire: then:\n:fire: :cry:",
		},
		{
			name: "URLs keep their colons",
			in:   "See <https://example.com/:fire:> and https://example.org/a/:cry:/b\n",
			html: []string{`href="https://example.com/:fire:"`, `href="https://example.org/a/:cry:/b"`},
			not:  []string{"🔥", "😢"},
		},
		{
			name: "unknown names, escapes and words stay",
			in:   "A :not_an_emoji_kb_knows:, an escaped \\:fire:, 10:100:5 and a:b:c.\n",
			not:  []string{"💯", "🅱"},
			text: "A :not_an_emoji_kb_knows:, an escaped :fire:, 10:100:5 and a:b:c.",
		},
		{
			name: "no image, no other origin",
			in:   ":tada: :octocat:\n",
			html: []string{"<p>🎉 :octocat:</p>"},
			not:  []string{"<img", "http"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := md.Read("x.md", []byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			html := string(r.Render(d, HTMLOptions{}))
			for _, f := range c.html {
				if !strings.Contains(html, f) {
					t.Errorf("HTML lacks %q:\n%s", f, html)
				}
			}
			for _, f := range c.not {
				if strings.Contains(html, f) {
					t.Errorf("HTML holds %q:\n%s", f, html)
				}
			}
			if c.text != "" {
				if got := PlainText(d.Body); got != c.text {
					t.Errorf("plain text %q, want %q", got, c.text)
				}
			}
		})
	}
}

// TestEmojiHeading checks that a shortcode in a heading is shown as its
// emoji and still matches the section it names.
func TestEmojiHeading(t *testing.T) {
	d, err := NewMarkdown(Limits{}).Read("x.md", []byte("# Outage\n\n## :fire: Impact\n\nAll of it.\n\n## 1. :white_check_mark: Action items:\n\n- x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Sections) != 2 {
		t.Fatalf("sections: %d", len(d.Sections))
	}
	for i, want := range []struct{ title, key, id string }{
		{"🔥 Impact", "impact", "impact"},
		{"1. ✅ Action items:", "action items", "1-action-items"},
	} {
		s := d.Sections[i]
		if s.Title != want.title || s.Key != want.key || s.ID != want.id {
			t.Errorf("section %d: %q %q %q, want %q %q %q", i, s.Title, s.Key, s.ID, want.title, want.key, want.id)
		}
	}
}
