package markup

import (
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	long := strings.Repeat("Plain prose with nothing special in it.\n", 2000) // past 64 KB
	for _, tc := range []struct {
		name, src, want, why string
	}{
		{"empty", "", "text", ""},
		{"prose", "The deploy started at 14:02.\n\nIt failed because the cache was cold.\n", "text", ""},
		{"prose with one link", "See [the ticket](https://t.example.com/1) for details.\n", "text", ""},
		{"makefile", "# Build the kb binary\n\nGO ?= go\n\n# Run the tests\ntest: build\n\t$(GO) test ./...\n\nbuild:\n\t$(GO) build ./cmd/kb\n", "text", ""},
		{"config with comment header", "# Settings\nlisten = :8080\n# Where to log\nlog = /var/log/x\n", "text", ""},

		{"nul", "text\x00more", "", "binary file"},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "", "binary file"},
		{"utf-16", "\xff\xfeH\x00i\x00", "", "not UTF-8 text"},
		{"latin1", "caf\xe9 au lait\n", "", "not UTF-8 text"},
		{"control characters", strings.Repeat("ab\x01\x02", 10), "", "binary file"},
		{"few control characters", "page\fbreak and a bell\a in " + strings.Repeat("plenty of text ", 5), "text", ""},
		{"cut rune at the limit", strings.Repeat("a", sniffLimit-1) + "é and more", "text", ""},
		{"bad byte before the limit", strings.Repeat("a", sniffLimit-2) + "\xe9z" + strings.Repeat("b", 10), "", "not UTF-8 text"},
		{"bad byte after the limit", long + "\xff", "text", ""},
		{"bom", "\xef\xbb\xbf# Title\n\nText.\n", "markdown", ""},

		{"shell script", "#!/bin/sh\necho hello\n", "", "a script (#!)"},
		{"env script", "#!/usr/bin/env python3\n# Title\n\nprint(1)\n", "", "a script (#!)"},

		{"yaml front matter", "---\ntitle: Outage\n---\nText.\n", "markdown", "front matter"},
		{"toml front matter", "+++\ntitle = \"Outage\"\n+++\nText.\n", "markdown", "front matter"},
		{"unclosed dashes", "---\nJust a rule at the top.\n", "text", ""},
		{"atx heading", "# Database outage\n\nThe primary failed over.\n\n## Impact\n\nUsers saw errors.\n", "markdown", "a # heading"},
		{"atx glued to comment lines", "# one\n# two\nvalue\n", "text", ""},
		{"fence", "Run this:\n```\nkubectl get pods\n```\n", "markdown", "a fenced code block"},
		{"tilde fence", "~~~sh\nls\n~~~\n", "markdown", "a fenced code block"},
		{"two links", "See [a](https://a.example.com) and [b](https://b.example.com).\n", "markdown", ""},
		{"link and bold", "**Status:** resolved, see [the ticket](https://t.example.com/1).\n", "markdown", ""},
		{"bold bullet", "- **Impact**: checkout failed\n", "markdown", ""},
		{"table and link", "| time | event |\n|---|---|\n| 14:02 | [deploy](https://ci.example.com/9) |\n", "markdown", ""},
		{"table without outer pipes", "a | b\n---|---\n1 | 2\n\nSee [x](https://x.example.com).\n", "markdown", ""},
		{"markdown with a tab-indented command", "# Outage\n\nRun this:\n\tkubectl get pods\n", "markdown", "a # heading"},
		{"table alone", "| time | event |\n|---|---|\n| 14:02 | deploy |\n", "text", ""},
		{"tilde overline", "~~~~~~\nOutage\n~~~~~~\n\nRun::\n", "rst", ""},
		{"one bold", "This is **important** but alone.\n", "text", ""},

		{"rst directive", "Outage\n======\n\n.. note::\n\n   Text.\n", "rst", "an RST directive"},
		{"rst directive with argument", ".. code-block:: bash\n\n   ls\n", "rst", "an RST directive"},
		{"rst field list", ":date: 2024-01-02\n:severity: SEV-2\n\nText.\n", "rst", "an RST field list"},
		{"rst field under a title", "Outage\n======\n\n:date: 2024-01-02\n\nText.\n", "rst", "an RST field list"},
		{"emoji shortcode", ":fire: Checkout is down\n\nWe are looking into it.\n", "text", ""},
		{"field list too late", strings.Repeat("line\n", 25) + ":date: 2024-01-02\n", "text", ""},
		{"rst title and role", "Outage\n======\n\nSee :doc:`runbook` for details.\n", "rst", ""},
		{"rst title and reference", "Outage\n------\n\nSee `the runbook`_.\n", "rst", ""},
		{"rst title and literal", "Outage\n~~~~~~\n\nRun this::\n\n    ls\n", "rst", ""},
		{"rst overlined title", "######\nOutage\n######\n\nRun::\n\n    ls\n", "rst", ""},
		{"underlined title alone", "Outage\n======\n\nPlain text after an underlined title.\n", "text", ""},
		{"short underline", "Long title here\n===\n\nRun::\n", "text", ""},

		{"atx wins over rst", "# Outage\n\n.. note::\n\n   x\n", "markdown", "a # heading"},
		{"front matter wins over rst", "---\ntitle: x\n---\n:date: 2024\n", "markdown", "front matter"},
		{"directive wins over weak markdown", ".. note::\n\n   x\n\n```\ncode\n```\n", "rst", "an RST directive"},
		{"weak signals of both", ":date: 2024-01-02\n:author: Sam\n\n```\ncode\n```\n", "text", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, why := Sniff([]byte(tc.src))
			if got != tc.want {
				t.Errorf("Sniff = %q (%s), want %q", got, why, tc.want)
			}
			if tc.why != "" && why != tc.why {
				t.Errorf("why = %q, want %q", why, tc.why)
			}
			if why == "" {
				t.Errorf("no reason given for %q", got)
			}
		})
	}
}
