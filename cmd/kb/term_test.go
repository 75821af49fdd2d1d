package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/lint"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/search"
	"github.com/kb-postmortems/kb/internal/site"
)

func TestTerm(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain title", "plain title"},
		{"café 事故 ✓", "café 事故 ✓"},
		{"a\x1b[2Jb", `a\x1b[2Jb`},
		{"bell\a", `bell\x07`},
		{"nul\x00", `nul\x00`},
		{"two\nlines", `two\nlines`},
		{"cr\rover", `cr\rover`},
		{"tab\there", `tab\there`},
		{"del\x7f", `del\x7f`},
		{"nel\u0085", `nel\u0085`},
		{"csi\u009b2J", `csi\u009b2J`},
		{"\u202aLRE", `\u202aLRE`},
		{"\u202eevil", `\u202eevil`},
		{"\u2066iso\u2069", `\u2066iso\u2069`},
		{"\u200emarks\u200f", `\u200emarks\u200f`},
		{"arabic\u061c", `arabic\u061c`},
		{"ls\u2028ps\u2029", `ls\u2028ps\u2029`},
		{"back\\slash 100%", "back\\slash 100%"},
		{"\xff\x9b", `\xff\x9b`},
	} {
		if got := term(tc.in); got != tc.want {
			t.Errorf("term(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// dangerous are the characters no terminal output may carry from content.
var dangerous = []rune{0x00, 0x07, 0x08, '\t', '\n', 0x0b, 0x0c, '\r', 0x1b, 0x7f, 0x85, 0x9b,
	0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c}

// checkTerminal renders the same output with c and with a harmless letter
// in every piece of content, and requires c to be escaped and the lines to
// be kb's own.
func checkTerminal(t *testing.T, name string, render func(s string) string) {
	t.Helper()
	base := render("X")
	for _, c := range dangerous {
		out := render("a" + string(c) + "b")
		if c != '\n' && strings.ContainsRune(out, c) {
			t.Errorf("%s: %U reaches the output:\n%q", name, c, out)
		}
		if got, want := strings.Count(out, "\n"), strings.Count(base, "\n"); got != want {
			t.Errorf("%s: %U changes the number of lines from %d to %d:\n%s", name, c, want, got, out)
		}
		if !strings.Contains(out, "a"+escapeRune(c)+"b") {
			t.Errorf("%s: %U is not shown as %s:\n%q", name, c, escapeRune(c), out)
		}
	}
}

func diagnostics(s string) []lint.Diagnostic {
	return []lint.Diagnostic{{
		Pos: markup.Pos{File: "content/" + s + ".md", Line: 3, Col: 1}, Severity: lint.Error,
		Rule: "missing-section", Message: "title " + s + " is odd", Hint: "fix " + s,
	}}
}

func TestLintTextEscapesControls(t *testing.T) {
	checkTerminal(t, "text", func(s string) string {
		var b bytes.Buffer
		if err := printText(&b, diagnostics(s), 1, false); err != nil {
			t.Fatal(err)
		}
		return b.String()
	})
}

func TestLintGitHubEscapesControls(t *testing.T) {
	checkTerminal(t, "github", func(s string) string {
		var b bytes.Buffer
		if err := printGitHub(&b, diagnostics(s)); err != nil {
			t.Fatal(err)
		}
		return b.String()
	})
	// The workflow command's own escaping still holds on top.
	var b bytes.Buffer
	ds := []lint.Diagnostic{{Pos: markup.Pos{File: "a,b:c%.md", Line: 1}, Severity: lint.Warning, Rule: "r", Message: "100% done", Hint: "h"}}
	if err := printGitHub(&b, ds); err != nil {
		t.Fatal(err)
	}
	want := "::warning file=a%2Cb%3Ac%25.md,line=1,title=kb r::100%25 done%0AHint: h\n"
	if b.String() != want {
		t.Errorf("github = %q, want %q", b.String(), want)
	}
}

func TestStepSummaryEscapesControls(t *testing.T) {
	checkTerminal(t, "step summary", func(s string) string { return stepSummary(diagnostics(s), 1) })
}

// checkJSON requires c to be escaped in the bytes and to come back intact
// when the JSON is decoded.
func checkJSON(t *testing.T, name string, render func(s string) []byte, get func(v map[string]any) string) {
	t.Helper()
	for _, c := range dangerous {
		in := "a" + string(c) + "b"
		out := render(in)
		if c != '\n' && bytes.ContainsRune(out, c) {
			t.Errorf("%s: %U reaches the output raw", name, c)
		}
		var v map[string]any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("%s: %U: output is not JSON: %v\n%s", name, c, err, out)
		}
		if got := get(v); !strings.Contains(got, in) {
			t.Errorf("%s: %U does not round-trip: %q", name, c, got)
		}
	}
}

func TestLintJSONEscapesControls(t *testing.T) {
	checkJSON(t, "json", func(s string) []byte {
		var b bytes.Buffer
		if err := printJSON(&b, diagnostics(s), 1); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}, func(v map[string]any) string {
		return v["diagnostics"].([]any)[0].(map[string]any)["message"].(string)
	})
}

func TestLintSARIFEscapesControls(t *testing.T) {
	checkJSON(t, "sarif", func(s string) []byte {
		var b bytes.Buffer
		if err := printSARIF(&b, diagnostics(s), "test"); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}, func(v map[string]any) string {
		run := v["runs"].([]any)[0].(map[string]any)
		return run["results"].([]any)[0].(map[string]any)["message"].(map[string]any)["text"].(string)
	})
}

func TestWriteJSONKeepsStructure(t *testing.T) {
	var b bytes.Buffer
	if err := writeJSON(&b, map[string]string{"k": "\u202e\x7f\u0085é"}); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"k\": \"\\u202e\\u007f\\u0085é\"\n}\n"; b.String() != want {
		t.Errorf("writeJSON = %q, want %q", b.String(), want)
	}
}

func TestSearchEscapesControls(t *testing.T) {
	checkTerminal(t, "search", func(s string) string {
		res := &search.Result{Total: 1, Missing: []string{"m" + s}, Hits: []search.Hit{{
			ID: "id" + s, Path: "incidents/" + s + "/", Title: "T" + s, Date: "2024-01-0" + s,
			Severity: "SEV" + s, Systems: []string{"db" + s},
			Section: &search.SectionRef{Title: "S" + s},
			// Excerpts arrive HTML-escaped, so a control can also come
			// as a character reference.
			Fragments: []string{"x " + htmlRef(s) + " <mark>hit</mark> y"},
		}}}
		var b bytes.Buffer
		printHits(&b, res, false)
		return b.String()
	})
}

// htmlRef writes s with its non-letters as numeric character references.
func htmlRef(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, "&#%d;", r)
	}
	return b.String()
}

func TestSearchJSONEscapesControls(t *testing.T) {
	checkJSON(t, "search json", func(s string) []byte {
		var b bytes.Buffer
		if err := writeJSON(&b, &search.Result{Total: 1, Hits: []search.Hit{{ID: "i", Title: s}}}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}, func(v map[string]any) string {
		return v["hits"].([]any)[0].(map[string]any)["title"].(string)
	})
}

func inspection(s string) *site.Inspection {
	return &site.Inspection{
		File: "content/" + s + ".md", Format: "markdown", Kind: "page", Why: "why" + s, ID: "id" + s, Title: "T" + s,
		InspectDate: site.InspectDate{Date: "d" + s, DateFrom: "f" + s},
		Severity:    "SEV" + s, Status: "st" + s, Systems: []string{"sys" + s}, Causes: []string{"c" + s}, Authors: []string{"au" + s},
		Metadata: []site.InspectField{{Key: "k" + s, Value: []any{"v" + s}, Line: 2, Col: 1, From: "body" + s}},
		Sections: []site.InspectSection{{Title: "S" + s, Key: "key" + s, Level: 1, Line: 5}},
		Warnings: []markup.Warning{{Pos: markup.Pos{File: "w" + s, Line: 1}, Message: "m" + s}},
		Errors:   []site.InspectFileError{{Pos: markup.Pos{File: "e" + s, Line: 1}, Message: "m" + s, Hint: "h" + s}},
	}
}

func TestInspectEscapesControls(t *testing.T) {
	checkTerminal(t, "inspect", func(s string) string {
		var b bytes.Buffer
		printInspection(&b, inspection(s))
		return b.String()
	})
}

func TestInspectJSONEscapesControls(t *testing.T) {
	checkJSON(t, "inspect json", func(s string) []byte {
		var b bytes.Buffer
		if err := writeJSON(&b, inspection(s)); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}, func(v map[string]any) string { return v["title"].(string) })
}

func TestBuildMessagesEscapeControls(t *testing.T) {
	checkTerminal(t, "build", func(s string) string {
		var b bytes.Buffer
		e := &env{stderr: &b}
		e.printFindings(diagnostics(s), 1, 0, true)
		e.printWarnings([]markup.Warning{{Pos: markup.Pos{File: s, Line: 1}, Message: "w" + s, Hint: "h" + s}}, 0)
		e.printError(&markup.Error{Pos: markup.Pos{File: s, Line: 1}, Err: fmt.Errorf("bad %s", s), Hint: "h" + s})
		return b.String()
	})
}
