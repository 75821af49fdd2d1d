package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kb-postmortems/kb/internal/lint"
	"github.com/kb-postmortems/kb/internal/site"
)

const lintUsage = `Usage:
	kb lint [flags] [PATH ...]

Checks every postmortem: required sections present and filled in, dates,
titles, links between postmortems, and the site's vocabularies. With PATHs
(files or folders), reports only on files under them; the whole site is
still read, so links and duplicate IDs are checked against all of it.

Flags:
	--format text|json|github|sarif
	                     text (default): file:line:col: severity rule: message
	                     json: {"diagnostics": [...], "summary": {...}}
	                     github: workflow commands that annotate pull requests,
	                     and a table in $GITHUB_STEP_SUMMARY when it is set
	                     sarif: SARIF 2.1.0 for code scanning
	--fail-on error|warning
	                     exit 1 when a finding is at least this severe
	                     (default error)
	--source DIR         the site's folder, holding site.toml (default ".")
	--jobs N             how many files to read at once (default: one per CPU)

Exit status: 0 no findings at or above --fail-on, 1 findings, 2 misuse or
an I/O error.

Examples:
	kb lint
	kb lint content/2024-01-11-postgres-max-connections.md
	kb lint --format github --fail-on warning
`

func runLint(ctx context.Context, e *env, args []string) error {
	fs := newFlags("lint")
	format := fs.String("format", "text", "")
	failOn := fs.String("fail-on", "error", "")
	source := fs.String("source", ".", "")
	jobs := fs.Int("jobs", 0, "")
	if err := e.parseFlags(fs, lintUsage, args); err != nil {
		return err
	}
	switch *format {
	case "text", "json", "github", "sarif":
	default:
		return &usageError{msg: fmt.Sprintf("unknown format %q", *format), hint: "use text, json, github or sarif"}
	}
	var threshold lint.Severity
	switch *failOn {
	case "error":
		threshold = lint.Error
	case "warning":
		threshold = lint.Warning
	default:
		return &usageError{msg: fmt.Sprintf("unknown severity %q for --fail-on", *failOn), hint: "use --fail-on error or --fail-on warning"}
	}
	var scope []string
	for _, p := range fs.Args() {
		if _, err := os.Stat(p); err != nil {
			return &usageError{msg: fmt.Sprintf("%s: no such file or folder", p), hint: "give paths inside the site, such as content/"}
		}
		scope = append(scope, siteRelative(*source, p))
	}
	cfg, err := loadConfig(*source)
	if err != nil {
		return err
	}
	if *jobs < 0 {
		return &usageError{msg: fmt.Sprintf("--jobs %d is not a number of jobs", *jobs), hint: "give a number of files to read at once, or 0 for one per CPU"}
	}
	cfg.Workers = *jobs
	cfg.LintOnly = true
	s, err := site.Load(ctx, cfg)
	var ce *site.ContentError
	if err != nil && !errors.As(err, &ce) {
		return err
	}
	ds := s.AllDiagnostics(err)
	inScope := func(file string) bool {
		if len(scope) == 0 {
			return true
		}
		for _, p := range scope {
			if p == "." || file == p || strings.HasPrefix(file, p+"/") {
				return true
			}
		}
		return false
	}
	var kept []lint.Diagnostic
	var files []string
	for _, d := range ds {
		if inScope(d.Pos.File) {
			kept = append(kept, d)
			files = append(files, d.Pos.File)
		}
	}
	for _, inc := range s.Incidents {
		if inScope(inc.Doc.Path) {
			files = append(files, inc.Doc.Path)
		}
	}
	lint.Sort(kept)
	n := countFiles(files)
	if len(scope) > 0 && n == 0 {
		return &usageError{msg: fmt.Sprintf("no postmortems under %s", strings.Join(fs.Args(), ", ")), hint: "give files or folders inside the content folder"}
	}
	switch *format {
	case "text":
		err = printText(e.stdout, kept, n, e.useColor(e.stdout))
	case "json":
		err = printJSON(e.stdout, kept, n)
	case "github":
		err = printGitHub(e.stdout, kept)
		if err == nil {
			if p := e.getenv("GITHUB_STEP_SUMMARY"); p != "" {
				err = appendFile(p, stepSummary(kept, n))
			}
		}
	case "sarif":
		err = printSARIF(e.stdout, kept, versionString())
	}
	if err != nil {
		return err
	}
	for _, d := range kept {
		if d.Severity.Rank() >= threshold.Rank() {
			return errFindings
		}
	}
	return nil
}

// siteRelative expresses p, given relative to where kb runs or absolute,
// relative to the site folder, as finding positions are.
func siteRelative(root, p string) string {
	ar, err1 := filepath.Abs(root)
	ap, err2 := filepath.Abs(p)
	if err1 == nil && err2 == nil {
		if r, err := filepath.Rel(ar, ap); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(r)
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}

func appendFile(name, s string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
