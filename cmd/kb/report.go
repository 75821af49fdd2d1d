package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kb-postmortems/kb/internal/lint"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/site"
)

// exit maps a command's error to an exit code, printing it once.
func (e *env) exit(err error) int {
	if err == nil || errors.Is(err, errHelp) {
		return 0
	}
	if errors.Is(err, errFindings) {
		return 1
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(e.stderr, "kb: interrupted; nothing was published")
		return 130
	}
	e.printError(err)
	var ce *site.ContentError
	var le *site.LintError
	if errors.As(err, &ce) || errors.As(err, &le) {
		return 1
	}
	return 2
}

// printError writes every error in err, each with its position and hint.
func (e *env) printError(err error) {
	for _, p := range problems(err) {
		fmt.Fprintf(e.stderr, "kb: error: %s\n", term(p.String()))
		hint(e.stderr, p.Hint)
	}
}

// problem is one error as kb shows it, in the terminal and over the pages
// of kb serve: where, what is wrong, and what to do.
type problem struct {
	Pos     string `json:"pos,omitempty"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

func (p problem) String() string {
	if p.Pos == "" {
		return p.Message
	}
	return p.Pos + ": " + p.Message
}

// problems lists the leaves of err, each with its position and hint.
func problems(err error) []problem {
	var out []problem
	for _, one := range flatten(err) {
		var me *markup.Error
		var ue *usageError
		var cfe *site.ConfigError
		switch {
		case errors.As(one, &me):
			out = append(out, problem{Pos: me.Pos.String(), Message: me.Err.Error(), Hint: me.Hint})
		case errors.As(one, &ue):
			out = append(out, problem{Message: ue.msg, Hint: ue.hint})
		case errors.As(one, &cfe):
			out = append(out, problem{Message: cfe.Error(), Hint: cfe.Hint})
		default:
			out = append(out, problem{Message: one.Error()})
		}
	}
	return out
}

func hint(w io.Writer, h string) {
	if h != "" {
		fmt.Fprintf(w, "kb: hint: %s\n", term(h))
	}
}

// flatten lists the leaves of a tree of joined errors, so each problem is
// printed on its own line with its own hint.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	var me *markup.Error
	if errors.As(err, &me) && me == err {
		return []error{err}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// printWarnings writes reader warnings to stderr, at most limit of them (0
// for all), and says how many it left out.
func (e *env) printWarnings(ws []markup.Warning, limit int) {
	for i, w := range ws {
		if limit > 0 && i == limit {
			fmt.Fprintf(e.stderr, "kb: %d more warnings not shown; run with --verbose to see them all\n", len(ws)-limit)
			return
		}
		fmt.Fprintf(e.stderr, "kb: warning: %s\n", term(w.Pos.String()+": "+w.Message))
		if limit == 0 {
			hint(e.stderr, w.Hint)
		}
	}
}

// useColor reports whether w is a terminal and colour is welcome
// (https://no-color.org).
func (e *env) useColor(w io.Writer) bool {
	return e.getenv("NO_COLOR") == "" && e.isTerminal(w)
}

// isTerminal reports whether w is a terminal that understands escapes.
func (e *env) isTerminal(w io.Writer) bool {
	if e.getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// summary counts findings.
type summary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Files    int `json:"files"`
}

func summarize(ds []lint.Diagnostic, files int) summary {
	s := summary{Files: files}
	for _, d := range ds {
		if d.Severity == lint.Error {
			s.Errors++
		} else {
			s.Warnings++
		}
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func (s summary) String() string {
	return fmt.Sprintf("%s, %s in %s", plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Files, "file"))
}

// printText writes findings the way compilers do, so editors can jump to
// them: file:line:col: severity rule: message, then the hint.
func printText(w io.Writer, ds []lint.Diagnostic, files int, color bool) error {
	var b strings.Builder
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	for _, d := range ds {
		sev := string(d.Severity)
		if d.Severity == lint.Error {
			sev = paint("1;31", sev)
		} else {
			sev = paint("1;33", sev)
		}
		fmt.Fprintf(&b, "%s: %s %s: %s\n", paint("1", term(d.Pos.String())), sev, paint("2", term(d.Rule)), term(d.Message))
		if d.Hint != "" {
			fmt.Fprintf(&b, "    %s %s\n", paint("36", "hint:"), term(d.Hint))
		}
	}
	fmt.Fprintln(&b, summarize(ds, files))
	_, err := io.WriteString(w, b.String())
	return err
}

func printJSON(w io.Writer, ds []lint.Diagnostic, files int) error {
	if ds == nil {
		ds = []lint.Diagnostic{}
	}
	return writeJSON(w, struct {
		Diagnostics []lint.Diagnostic `json:"diagnostics"`
		Summary     summary           `json:"summary"`
	}{ds, summarize(ds, files)})
}

// printGitHub writes workflow commands, which GitHub shows as annotations
// on the pull request's files.
func printGitHub(w io.Writer, ds []lint.Diagnostic) error {
	var b strings.Builder
	for _, d := range ds {
		kind := "warning"
		if d.Severity == lint.Error {
			kind = "error"
		}
		// Content is made safe for the log first; the only line break in
		// a message is kb's own, before the hint, and ghData encodes it.
		props := []string{"file=" + ghProperty(term(d.Pos.File))}
		if d.Pos.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", d.Pos.Line))
		}
		if d.Pos.Col > 0 {
			props = append(props, fmt.Sprintf("col=%d", d.Pos.Col))
		}
		props = append(props, "title="+ghProperty("kb "+term(d.Rule)))
		msg := term(d.Message)
		if d.Hint != "" {
			msg += "\nHint: " + term(d.Hint)
		}
		fmt.Fprintf(&b, "::%s %s::%s\n", kind, strings.Join(props, ","), ghData(msg))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// stepSummary is the Markdown table GitHub shows on the run's page.
func stepSummary(ds []lint.Diagnostic, files int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### kb lint\n\n%s\n\n", summarize(ds, files))
	if len(ds) == 0 {
		return b.String()
	}
	cell := func(s string) string {
		return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(term(s))
	}
	b.WriteString("| File | Line | Severity | Rule | Finding |\n| --- | ---: | --- | --- | --- |\n")
	for _, d := range ds {
		fmt.Fprintf(&b, "| %s | %d | %s | `%s` | %s |\n", cell(d.Pos.File), d.Pos.Line, d.Severity, d.Rule, cell(d.Message))
	}
	return b.String()
}

// printSARIF writes SARIF 2.1.0, which code scanning shows inline.
func printSARIF(w io.Writer, ds []lint.Diagnostic, version string) error {
	type msg struct {
		Text string `json:"text"`
	}
	type rule struct {
		ID               string `json:"id"`
		ShortDescription msg    `json:"shortDescription"`
		DefaultConfig    struct {
			Level string `json:"level"`
		} `json:"defaultConfiguration"`
	}
	type region struct {
		StartLine   int `json:"startLine,omitempty"`
		StartColumn int `json:"startColumn,omitempty"`
	}
	type location struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region *region `json:"region,omitempty"`
		} `json:"physicalLocation"`
	}
	type result struct {
		RuleID    string     `json:"ruleId"`
		RuleIndex int        `json:"ruleIndex"`
		Level     string     `json:"level"`
		Message   msg        `json:"message"`
		Locations []location `json:"locations"`
	}
	var rules []rule
	index := map[string]int{}
	for _, r := range lint.Rules() {
		var x rule
		x.ID, x.ShortDescription.Text = r.ID, r.Summary
		x.DefaultConfig.Level = string(r.Severity)
		index[r.ID] = len(rules)
		rules = append(rules, x)
	}
	results := []result{}
	for _, d := range ds {
		var loc location
		loc.PhysicalLocation.ArtifactLocation.URI = d.Pos.File
		if d.Pos.Line > 0 {
			loc.PhysicalLocation.Region = &region{StartLine: d.Pos.Line, StartColumn: d.Pos.Col}
		}
		text := d.Message
		if d.Hint != "" {
			text += ". Hint: " + d.Hint
		}
		results = append(results, result{RuleID: d.Rule, RuleIndex: index[d.Rule], Level: string(d.Severity), Message: msg{text}, Locations: []location{loc}})
	}
	doc := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name":           "kb",
				"version":        version,
				"informationUri": "https://github.com/kb-postmortems/kb",
				"rules":          rules,
			}},
			"results": results,
		}},
	}
	return writeJSON(w, doc)
}

// countFiles is how many distinct files findings could be about.
func countFiles(paths []string) int {
	seen := map[string]bool{}
	for _, p := range paths {
		seen[p] = true
	}
	return len(seen)
}
