package site

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Control characters in a postmortem, written raw or spelled as escapes
// and references, never reach a published file: not the title, the
// summary, a metadata value, a heading or the body.
func TestControlCharactersNeverPublished(t *testing.T) {
	cfg := fixture(t, "basic")
	files := map[string]string{
		// YAML and TOML refuse raw controls, so raw ones come in the body
		// and in RST field lists, and escaped ones in front matter.
		"2024-05-01-raw.md": "# Raw\x1b]0;pwned\x07 title\n\nSummary \x1b[2J with\x07 bell.\n\n**Systems:** db\x1b[31m, api\x07\n\n" +
			"Lead \x1b[1mbold\x1b[0m paragraph\x07.\n\n## Impact\x07 \x1b[31mred\n\nBody \u009b2J text\x7f here.\n",
		"2024-05-02-escaped.md": "---\ntitle: \"Escaped \\e]0;pwned\\a title\"\nsummary: \"Esc \\x1b[2J and \\x07\"\nsystems: [\"db\\e[31m\"]\n---\n\n" +
			"Lead &#27;[1m and &#7; and &#x9b;.\n\n## Impact &#27;[31m\n\nBody.\n",
		"2024-05-03-toml.md": "+++\ntitle = \"TOML \\u001b]0;pwned\\u0007 title\"\nsummary = \"TOML \\u001b[2J\"\nsystems = [\"db\\u0007\"]\n+++\n\nBody\x1b[0m text.\n",
		"2024-05-04-rst.rst": "RST\x1b]0;pwned\x07 title\n=====================\n\n:summary: Field\x1b[2J summary\x07\n:systems: db\x1b[31m, api\n\n" +
			"Body |esc| text\x07.\n\n.. |esc| unicode:: U+001B\n\nImpact\x1b[31m\n--------------\n\nText.\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(cfg.ContentPath(), name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	var pages int
	err := filepath.WalkDir(cfg.OutputPath(), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(p) {
		case ".html", ".xml", ".json", ".txt", ".atom", ".rss":
		default:
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte("title")) && strings.HasSuffix(p, ".html") {
			pages++
		}
		for _, c := range []string{"\x1b", "\x07", "\x7f", "\u009b", "&#27;", "&#7;", "&#x1b;", "&#x7;", `\u001b`, `\u0007`} {
			if i := bytes.Index(b, []byte(c)); i >= 0 {
				rel, _ := filepath.Rel(cfg.OutputPath(), p)
				lo, hi := max(0, i-60), min(len(b), i+60)
				t.Errorf("%s holds %q: …%q…", rel, c, b[lo:hi])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages == 0 {
		t.Fatal("no pages were checked")
	}
	// The words around the controls survive.
	for _, want := range []string{"Raw]0;pwned title", "Summary [2J with bell", "Escaped ]0;pwned title", "TOML ]0;pwned title", "RST]0;pwned title"} {
		found := false
		filepath.WalkDir(cfg.OutputPath(), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && filepath.Ext(p) == ".html" {
				if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(want)) {
					found = true
				}
			}
			return nil
		})
		if !found {
			t.Errorf("no page shows %q", want)
		}
	}
}
