package markup

import (
	"strings"
	"testing"
)

// TestTaskCheckboxName: a task item's checkbox is named by the item's
// text, as plain text, so assistive technology can tell the boxes apart;
// an item with no text still gets a name.
func TestTaskCheckboxName(t *testing.T) {
	src := "- [ ] Rotate the **signing** keys & `tokens`\n- [x] \"Quoted\" *task*\n- [ ] \n\n  a paragraph later\n"
	d, err := NewMarkdown(Limits{}).Read("t.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	html := string(NewHTMLRenderer().Render(d, HTMLOptions{}))
	for _, want := range []string{
		`<input type="checkbox" disabled aria-label="Rotate the signing keys &amp; tokens">`,
		`<input type="checkbox" checked disabled aria-label="&#34;Quoted&#34; task">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %s in\n%s", want, html)
		}
	}
	if n := strings.Count(html, `type="checkbox"`); n != strings.Count(html, `aria-label="`) {
		t.Errorf("%d checkboxes, %d names:\n%s", n, strings.Count(html, `aria-label="`), html)
	}
}
