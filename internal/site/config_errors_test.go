package site

import (
	"errors"
	"strings"
	"testing"
)

// Every site.toml mistake names the file, line and column of the value,
// says what is wrong, and says what to write instead.
func TestConfigErrorsHavePositionAndHint(t *testing.T) {
	for _, tc := range []struct {
		name, src, want, hint string
	}{
		{"string given a number", "title = 5\n", `site.toml:1:9: title is a number, not text`, `title = "…"`},
		{"nested string given a number", "title = \"x\"\n\n[search]\nprefetch = 3\n", `site.toml:4:12: search.prefetch is a number, not text`, `search.prefetch = "…"`},
		{"string given a bool, indented", "[search]\n  prefetch  =   true # c\n", `site.toml:2:17: search.prefetch is true or false, not text`, `search.prefetch = "…"`},
		{"string given a list", "title = [\"a\"]\n", `site.toml:1:9: title is a list, not text`, `title = "…"`},
		{"list given a string", "exclude = \"a\"\n", `site.toml:1:11: exclude is text, not a list`, `exclude = ["…", "…"]`},
		{"list of numbers", "exclude = [1]\n", `site.toml:1:11: exclude holds a number, not text`, `exclude = ["…", "…"]`},
		{"table given a number", "search = 3\n", `site.toml:1:10: search is a number, not a table`, `[search]`},
		{"syntax", "title = \n", `site.toml:1:9: expected value but found '\n' instead`, "TOML syntax"},
		{"override glob", "[[lint.overrides]]\npath = \"archive/**\"\n\n[[lint.overrides]]\ndisable = []\npath = \"drafts/[0-9]*\"\n",
			`site.toml:6:8: lint override path "drafts/[0-9]*": character classes ([...]) are not supported`, `path = "archive/**"`},
		{"override glob braces", "[[lint.overrides]]\npath = \"{a,b}/**\"\n", `site.toml:2:8: lint override path "{a,b}/**": alternatives ({a,b}) are not supported`, "one override per pattern"},
		{"override glob absolute", "[[lint.overrides]]\npath = \"/archive/**\"\n", `site.toml:2:8: lint override path "/archive/**": globs are relative`, "kb globs know"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Default(".")
			err := applyConfig(&cfg, "site.toml", []byte(tc.src))
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a ConfigError", err)
			}
			if got := ce.Error(); !strings.HasPrefix(got, tc.want) {
				t.Errorf("error = %q\nwant prefix %q", got, tc.want)
			}
			if !strings.Contains(ce.Hint, tc.hint) {
				t.Errorf("hint = %q, want it to contain %q", ce.Hint, tc.hint)
			}
		})
	}
}

func TestOverrideGlobsAccepted(t *testing.T) {
	cfg := Default(".")
	src := "[[lint.overrides]]\npath = \"archive/**\"\n[[lint.overrides]]\npath = \"*/drafts/?.md\"\n[[lint.overrides]]\npath = \"old/\"\n"
	if err := applyConfig(&cfg, "site.toml", []byte(src)); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Lint.Overrides) != 3 {
		t.Errorf("overrides = %d, want 3", len(cfg.Lint.Overrides))
	}
}

func TestExcludeGlobErrorNamesItsKey(t *testing.T) {
	cfg := Default(".")
	err := applyConfig(&cfg, "site.toml", []byte("exclude = [\"notes/**\"]\npages = [\"about/{a,b}.md\"]\n"))
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a ConfigError", err)
	}
	if want := `site.toml:2: pages glob "about/{a,b}.md": alternatives ({a,b}) are not supported`; ce.Error() != want {
		t.Errorf("error = %q, want %q", ce.Error(), want)
	}
	if ce.Hint == "" {
		t.Error("no hint")
	}
}
