package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/lint"
	"github.com/kb-postmortems/kb/internal/publish"
	"github.com/kb-postmortems/kb/internal/site"
)

const buildUsage = `Usage:
	kb build [flags]

Reads the postmortems in the content folder and writes the site to the
output folder. The previous site is replaced only when the whole build
succeeds; a failed build leaves it as it was.

Flags:
	--source DIR     the site's folder, holding site.toml (default ".")
	--dest DIR       the output folder (default: output_dir in site.toml, or "site")
	--base-url URL   where the site will be served, such as /kb/ for a
	                 GitHub Pages project site (default: base_url in site.toml, or "/")
	--strict         fail (exit 1, publish nothing) when lint finds errors;
	                 without it, findings are reported and the site is
	                 published anyway, so an unfinished postmortem never
	                 blocks the archive
	--drafts         also publish postmortems whose metadata marks them as
	                 drafts (draft: true, or Jekyll's published: false)
	--jobs N         how many files and index shards to work on at once
	                 (default: one per CPU)
	--verbose        print every warning and finding with its hint
	--stats          print how long each stage took and the peak heap
	--cpuprofile F   write a CPU profile to F (read it with go tool pprof)
	--memprofile F   write an allocation profile to F

Examples:
	kb build
	kb build --base-url /kb/ --dest public
`

// newFlags makes a subcommand's flag set: errors are returned, not exited
// on, and usage goes where the caller decides.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("kb "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args; -h prints usage to stdout, and a mistake prints
// the error and usage to stderr.
func (e *env) parseFlags(fs *flag.FlagSet, usage string, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(e.stdout, usage)
			return errHelp
		}
		io.WriteString(e.stderr, usage)
		return &usageError{msg: err.Error(), hint: "see the usage above"}
	}
	return nil
}

// loadConfig reads site.toml from the --source folder and applies the
// flags that override it.
func loadConfig(source string) (site.Config, error) {
	cfg, err := site.LoadConfig(source)
	if err != nil {
		return cfg, err
	}
	cfg.Layouts = kb.Layouts()
	cfg.Assets = kb.Assets()
	return cfg, nil
}

func runBuild(ctx context.Context, e *env, args []string) error {
	fs := newFlags("build")
	source := fs.String("source", ".", "")
	dest := fs.String("dest", "", "")
	baseURL := fs.String("base-url", "", "")
	verbose := fs.Bool("verbose", false, "")
	strict := fs.Bool("strict", false, "")
	drafts := fs.Bool("drafts", false, "")
	jobs := fs.Int("jobs", 0, "")
	stats := fs.Bool("stats", false, "")
	cpuprofile := fs.String("cpuprofile", "", "")
	memprofile := fs.String("memprofile", "", "")
	if err := e.parseFlags(fs, buildUsage, args); err != nil {
		return err
	}
	stop, err := startProfiles(*cpuprofile, *memprofile)
	if err != nil {
		return err
	}
	defer stop()
	if *jobs < 0 {
		return &usageError{msg: fmt.Sprintf("--jobs %d is not a number of jobs", *jobs), hint: "give a number of files to work on at once, or 0 for one per CPU"}
	}
	if fs.NArg() > 0 {
		io.WriteString(e.stderr, buildUsage)
		return &usageError{msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0)), hint: "use --source to build a site in another folder"}
	}
	start := e.now()
	cfg, err := loadConfig(*source)
	if err != nil {
		return err
	}
	if *dest != "" {
		cfg.OutputDir = fromWorkDir(*source, *dest)
	}
	if *baseURL != "" {
		cfg.BaseURL = site.NormalizeBaseURL(*baseURL)
	}
	// In GitHub Actions, edit links point at the repository being built
	// unless site.toml says otherwise.
	if err := cfg.RepoFromEnv(e.getenv); err != nil {
		return err
	}
	cfg.Strict = *strict
	cfg.Workers = *jobs
	cfg.Drafts = *drafts
	progress := e.progressLine(start)
	cfg.Progress = progress.update
	res, err := site.Build(ctx, cfg)
	progress.clear()
	if *stats && res != nil && res.Site != nil {
		printStages(e.stderr, res.Site.Stages)
	}
	if res != nil && res.Site != nil {
		limit := 20
		if *verbose {
			limit = 0
		}
		e.printWarnings(res.Site.Warnings, limit)
		e.printFindings(res.Site.Diagnostics, len(res.Site.Incidents), limit, *verbose)
	}
	if err != nil {
		return withHint(err)
	}
	n := len(res.Site.Incidents)
	noun := "incidents"
	if n == 1 {
		noun = "incident"
	}
	out := *dest
	if out == "" {
		out = cfg.OutputPath()
	}
	fmt.Fprintf(e.stdout, "built %d %s into %s in %s\n", n, noun, filepath.ToSlash(filepath.Clean(out))+"/", roundDuration(e.now().Sub(start)))
	return nil
}

// withHint prints a publish error with its hint: what to do when the disk
// is full or read-only, a name cannot be published, or the output folder
// is in the wrong place.
func withHint(err error) error {
	var pe *publish.Error
	var ce *site.ContentError
	if errors.As(err, &pe) && pe.Hint != "" && !errors.As(err, &ce) {
		return &usageError{msg: err.Error(), hint: pe.Hint}
	}
	return err
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(10 * time.Millisecond)
	case d > time.Millisecond:
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Microsecond)
}

// fromWorkDir expresses p, a path given relative to where kb runs, relative
// to the site folder root (where configured folders are resolved). Paths
// stay relative when they can, so messages never show absolute paths.
func fromWorkDir(root, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	if !filepath.IsAbs(root) {
		if rel, err := filepath.Rel(root, p); err == nil {
			return rel
		}
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return abs
}

// printFindings reports lint findings during a build on stderr: errors
// (at most limit, 0 for no limit) and, with verbose, warnings too, then one
// summary line. kb lint is the place to read them all.
func (e *env) printFindings(ds []lint.Diagnostic, files, limit int, verbose bool) {
	if len(ds) == 0 {
		return
	}
	shown := 0
	for _, d := range ds {
		if d.Severity != lint.Error && !verbose {
			continue
		}
		if limit > 0 && shown == limit {
			break
		}
		shown++
		fmt.Fprintf(e.stderr, "kb: %s: %s [%s]\n", d.Severity, term(d.Pos.String()+": "+d.Message), d.Rule)
	}
	fmt.Fprintf(e.stderr, "kb: lint: %s; run kb lint for details\n", summarize(ds, files))
}

// progressLine shows, on a terminal only, one line that says how far a
// build has got, once it has taken a second: quiet for small sites, and
// never noise in CI logs.
type progressLine struct {
	e     *env
	start time.Time
	on    bool
	mu    sync.Mutex
	last  time.Time
	shown bool
}

func (e *env) progressLine(start time.Time) *progressLine {
	return &progressLine{e: e, start: start, on: e.isTerminal(e.stderr)}
}

func (p *progressLine) update(stage string, done, total int) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.e.now()
	if now.Sub(p.start) < time.Second || (now.Sub(p.last) < 100*time.Millisecond && done < total) {
		return
	}
	p.last = now
	line := "kb: " + stage
	if total > 0 {
		line += fmt.Sprintf(" %d/%d files", done, total)
	}
	fmt.Fprintf(p.e.stderr, "\r\x1b[K%s…", line)
	p.shown = true
}

func (p *progressLine) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.e.stderr, "\r\x1b[K")
	}
}
