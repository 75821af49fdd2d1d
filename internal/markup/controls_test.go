package markup

import (
	"bytes"
	"strings"
	"testing"
)

func TestStripControls(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"tab\tand\nnewline", "tab\tand\nnewline"},
		{"esc\x1b[31mred", "esc[31mred"},
		{"bell\a", "bell"},
		{"del\x7f", "del"},
		{"c1\u0085\u009b", "c1"},
		{"form\ffeed\vtab", "form feed tab"},
		{"bidi\u202e stays", "bidi\u202e stays"}, // HTML escapes nothing here; the page sets dir
	} {
		if got := StripControls(tc.in); got != tc.want {
			t.Errorf("StripControls(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := string(stripControlBytes([]byte(tc.in))); got != tc.want {
			t.Errorf("stripControlBytes(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The Markdown and text readers' models are free of controls: title,
// metadata and text, raw or spelled as escapes and references.
func TestReadersDropControls(t *testing.T) {
	for name, tc := range map[string]struct {
		r interface {
			Read(string, []byte) (*Doc, error)
		}
		src string
	}{
		"a.md":  {NewMarkdown(Limits{}), "---\ntitle: \"T\\e]0;x\\a\"\nsystems: [\"db\\x07\"]\n---\n\n# H\x1b[1m &#27;\n\nBody\x07 &#7;.\n"},
		"b.md":  {NewMarkdown(Limits{}), "+++\ntitle = \"T\\u001b\"\n+++\n\nBody\x1b.\n"},
		"a.txt": {NewText(Limits{}, nil), "T\x1b]0;x\x07\n\nBody\x07.\n"},
	} {
		d, err := tc.r.Read(name, []byte(tc.src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var dump bytes.Buffer
		if err := Dump(&dump, d); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(dump.String(), "\x1b\x07") || strings.Contains(dump.String(), `\x1b`) || strings.Contains(dump.String(), `\a`) {
			t.Errorf("%s: model holds controls:\n%s", name, dump.String())
		}
	}
}
