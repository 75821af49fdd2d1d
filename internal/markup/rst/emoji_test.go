package rst

import (
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/markup"
)

// TestEmoji checks that shortcodes become emoji in text, as in Markdown,
// and only there: not in literals, URLs, roles or targets.
func TestEmoji(t *testing.T) {
	r := New(markup.Limits{})
	h := markup.NewHTMLRenderer()
	for _, c := range []struct {
		name, in string
		// html holds fragments the rendered body must contain, and not
		// those it must not.
		html, not []string
		// text is the plain text of the body.
		text string
	}{
		{
			name: "text, emphasis, strong and reference text",
			in:   "We :cry:, *:fire:*, **:white_check_mark:** and `:rocket: deploy <https://example.com/:fire:>`_.\n",
			html: []string{"We 😢, <em>🔥</em>, <strong>✅</strong>", `<a href="https://example.com/:fire:">🚀 deploy</a>`},
			text: "We 😢, 🔥, ✅ and 🚀 deploy.",
		},
		{
			name: "literals and code keep their colons",
			in:   "Run ``:fire:`` and :code:`:cry:` then::\n\n   :fire: :cry:\n",
			html: []string{"<code>:fire:</code>", "<code>:cry:</code>", "<pre><code>:fire: :cry:\n</code></pre>"},
			not:  []string{"🔥", "😢"},
		},
		{
			name: "URLs and a URL shown as its own text",
			in:   "See https://example.org/a/:cry:/b and `<https://example.com/:fire:>`_.\n",
			html: []string{`href="https://example.org/a/:cry:/b"`, `href="https://example.com/:fire:">https://example.com/:fire:</a>`},
			not:  []string{"🔥", "😢"},
		},
		{
			name: "roles keep their text",
			in:   "An :emphasis:`:fire:` and a `:cry:` title.\n",
			html: []string{"<em>:fire:</em>", "<em>:cry:</em>"},
			not:  []string{"🔥", "😢"},
		},
		{
			name: "a reference still finds its target",
			in:   "See `:fire: runbook`_.\n\n.. _`:fire: runbook`: https://example.com/runbook\n",
			html: []string{`<a href="https://example.com/runbook">🔥 runbook</a>`},
		},
		{
			name: "unknown names, escapes and words stay",
			in:   "A :not_an_emoji_kb_knows:, an escaped \\:fire:, 10:100:5 and a:b:c.\n",
			not:  []string{"💯", "🅱", "🔥"},
			text: "A :not_an_emoji_kb_knows:, an escaped :fire:, 10:100:5 and a:b:c.",
		},
		{
			name: "substitutions, lists and admonitions",
			in:   "|hot|\n\n- item :fire:\n\n.. note:: mind :warning:\n\n.. |hot| replace:: hot :fire:\n",
			html: []string{"<p>hot 🔥</p>", "<li>item 🔥", "<p>mind ⚠️</p>"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := r.Read("x.rst", []byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			checkDoc(t, d, []byte(c.in))
			for _, w := range d.Warnings {
				t.Errorf("warning: %s", w.Message)
			}
			html := string(h.Render(d, markup.HTMLOptions{}))
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
				if got := markup.PlainText(d.Body); got != c.text {
					t.Errorf("plain text %q, want %q", got, c.text)
				}
			}
		})
	}
}

// TestEmojiTitle checks that a shortcode in a section title is shown as
// its emoji and still matches the section it names. (A line that starts
// with one is a field list, as in docutils: ":fire: Impact" is the field
// "fire".)
func TestEmojiTitle(t *testing.T) {
	src := "Outage\n======\n\nImpact :fire:\n-------------\n\nAll of it.\n\nFollow-up :white_check_mark:\n----------------------------\n\n- x\n"
	d, err := New(markup.Limits{}).Read("x.rst", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Sections) != 2 {
		t.Fatalf("sections: %d", len(d.Sections))
	}
	for i, want := range []struct{ title, key, id string }{
		{"Impact 🔥", "impact", "impact"},
		{"Follow-up ✅", "follow up", "follow-up"},
	} {
		s := d.Sections[i]
		if s.Title != want.title || s.Key != want.key || s.ID != want.id {
			t.Errorf("section %d: %q %q %q, want %q %q %q", i, s.Title, s.Key, s.ID, want.title, want.key, want.id)
		}
	}
}
