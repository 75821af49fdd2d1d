// Package site runs the pipeline: it reads the content folder, turns every
// file into an incident, renders the pages and publishes them. It is the one
// package that knows the order of the stages; each stage knows nothing of
// the ones after it.
package site

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kb-postmortems/kb/internal/graph"
	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/lint"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/markup/rst"
	"github.com/kb-postmortems/kb/internal/publish"
	"github.com/kb-postmortems/kb/internal/render"
	"github.com/kb-postmortems/kb/internal/search"
	"github.com/kb-postmortems/kb/internal/spool"
	"github.com/kb-postmortems/kb/internal/timeline"

	"golang.org/x/sync/errgroup"
)

// Site is a loaded site: every source read and turned into an incident,
// nothing written.
type Site struct {
	Config    Config
	Incidents []*incident.Incident // in source path order
	// Pages are the files that are not incidents: indexes, templates,
	// files marked kind: page, and the own pages of logs.
	Pages    []*incident.Page
	Warnings []markup.Warning // in position order
	// Diagnostics are the lint findings, in position order.
	Diagnostics []lint.Diagnostic
	// Graph connects the incidents through systems, causes and links.
	Graph *graph.Graph
	// Timeline holds every incident's events, actions and durations, and
	// the measures over them; Render fills it in.
	Timeline *timeline.Timeline
	// Stages says how long each stage took, in the order they ran.
	Stages []Stage
	// timelines are the incidents' timelines read with their files.
	timelines map[*incident.Incident]timeline.Read
	// mentions are the systems and causes the incidents' texts name,
	// found with their files.
	mentions map[*incident.Incident]graph.Mentioned
	// spool keeps each incident's body HTML and searchable text from
	// its read to its page and its shard of the index, and kept says
	// where.
	spool *spool.Spool
	kept  map[*incident.Incident]kept
	// images maps output paths of local images to the files they are
	// copied from: read and checked when found, read again when
	// published, so that a site of many screenshots is not held in
	// memory.
	images map[string]image
	// content is the content folder, which images are read through.
	content *siteDir
}

// Stage is how long one stage of a build took, and how much the heap had
// grown to by its end, so that the next bottleneck is visible without a
// profiler.
type Stage struct {
	Name string
	Took time.Duration
	// CPU is the processor time the stage took, all threads together:
	// against Took, it says how much of the stage ran in parallel. Zero
	// where the system does not tell.
	CPU time.Duration
	// HeapBytes is the heap in use when the stage ended.
	HeapBytes uint64
}

// mark is when a stage began, by the clock and by the processor time
// used so far.
type mark struct {
	wall time.Time
	cpu  time.Duration
}

func begin() mark { return mark{time.Now(), cpuTime()} }

// stage records that the stage name, begun at start, has ended.
func (s *Site) stage(name string, start mark) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	st := Stage{Name: name, Took: time.Since(start.wall), HeapBytes: ms.HeapAlloc}
	if c := cpuTime(); c > 0 {
		st.CPU = c - start.cpu
	}
	s.Stages = append(s.Stages, st)
}

// ContentError collects the problems in the content that stop a build:
// files that cannot be read, front matter that does not parse, metadata of
// the wrong type, a broken layout. Every problem in the tree is reported,
// not only the first.
type ContentError struct {
	Errs []error
}

func (e *ContentError) Error() string   { return errors.Join(e.Errs...).Error() }
func (e *ContentError) Unwrap() []error { return e.Errs }

// Readers returns the readers for every supported format. The plain-text
// reader knows the site's section headings, so that a heading in text
// flattened from a web page, with no blank lines around it, is still one.
func (cfg Config) Readers() markup.Registry {
	md := markup.NewMarkdown(markup.Limits{})
	m := incident.NewMatcher(cfg.Aliases)
	known := func(key string) bool { _, ok := m.Canonical(key); return ok }
	return markup.Registry{".md": md, ".markdown": md, ".rst": rst.New(markup.Limits{}), ".txt": markup.NewText(markup.Limits{}, known)}
}

type source struct {
	rel  string // relative to the content folder, slash-separated
	abs  string // as opened
	name string // as shown to the user: the content folder joined with rel
	// dir is the content folder, which rel is read through so that no
	// link leads the read out of it; nil for a file named on the
	// command line, read at abs.
	dir *os.Root
	// sniff marks a file without an extension: its first bytes say
	// whether it is Markdown, reStructuredText, plain text or none.
	sniff bool
}

// Load reads and checks the whole content folder. It returns the site even
// with an error, so callers can report warnings alongside.
func Load(ctx context.Context, cfg Config) (*Site, error) {
	s := &Site{Config: cfg, images: map[string]image{}, timelines: map[*incident.Incident]timeline.Read{}, mentions: map[*incident.Incident]graph.Mentioned{}, kept: map[*incident.Incident]kept{}}
	root := cfg.ContentPath()
	st, err := os.Stat(root)
	if err != nil || !st.IsDir() {
		return s, fmt.Errorf("content folder %s not found; create it or set content_dir in %s", root, ConfigFile)
	}
	if s.content, err = openSiteDir(cfg, root); err != nil {
		return s, err
	}
	readers := cfg.Readers()
	start := begin()
	srcs, skipped, errs := findSources(cfg, readers)
	s.Warnings = append(s.Warnings, skipped...)
	icfg, err := cfg.incidentConfig(readers)
	if err != nil {
		return s, err
	}

	// A site read for lint or one search lives no longer than the
	// command, and reads no HTML: its texts stay in memory. So do a
	// build's where no temporary file can be made, as they did before
	// there was a spool.
	s.spool = spool.Memory()
	if !cfg.LintOnly {
		if sp, err := spool.New(cfg.TempDir); err == nil {
			s.spool = sp
		}
	}
	lcfg := cfg.Lint
	lcfg.Aliases = cfg.Aliases
	lt, err := lint.New(lcfg)
	if err != nil {
		return s, err
	}
	results := readAll(ctx, srcs, cfg, readers, icfg, s.spool, lt)

	for i, r := range results {
		s.Warnings = append(s.Warnings, r.warn...)
		var we *writeError
		if errors.As(r.err, &we) {
			return s, r.err // the disk's problem, not the content's
		}
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		if r.file == nil {
			continue
		}
		if p := r.file.Page; p != nil {
			s.Pages = append(s.Pages, p)
			s.Warnings = append(s.Warnings, s.collectImages(srcs[i], render.PageURL(p), p.Doc.Assets)...)
		}
		for j, inc := range r.file.Incidents {
			if inc.Draft && !cfg.Drafts {
				continue
			}
			s.Incidents = append(s.Incidents, inc)
			s.Diagnostics = append(s.Diagnostics, r.diags[j]...)
			if r.timelines != nil {
				s.timelines[inc] = r.timelines[j]
			}
			s.mentions[inc] = r.mentions[j]
			s.kept[inc] = r.kept[j]
			s.Warnings = append(s.Warnings, s.collectImages(srcs[i], "incidents/"+inc.ID+"/", inc.Doc.Assets)...)
		}
	}
	errs = append(errs, duplicateIDs(s.Incidents, s.Pages)...)
	sortWarnings(s.Warnings)
	s.stage("read", start)
	start = begin()
	// The rules that look at one incident alone ran as its file was
	// read; those that need the whole site run now.
	s.Diagnostics = append(s.Diagnostics, lt.Links(lint.Input{Incidents: s.Incidents, Pages: pagePaths(s.Pages)})...)
	lint.Sort(s.Diagnostics)
	s.stage("lint", start)
	start = begin()
	s.Graph = graph.Build(s.Incidents, graph.Config{Systems: cfg.Lint.Systems, Causes: cfg.Lint.Causes, Mentions: s.mentions})
	s.mentions = nil
	s.stage("relations", start)

	if len(errs) > 0 {
		return s, &ContentError{Errs: errs}
	}
	return s, nil
}

// readResult is what reading one source gave.
type readResult struct {
	file *incident.File
	// timelines are its incidents' timelines, in order; nil for lint.
	timelines []timeline.Read
	// mentions are what its incidents' texts name, in order.
	mentions []graph.Mentioned
	// kept says where its incidents' bodies and texts are in the spool.
	kept []kept
	// diags are its incidents' findings of the rules that look at one
	// incident alone, in order; nil when not linted.
	diags [][]lint.Diagnostic
	warn  []markup.Warning
	err   error
}

// readAll reads the sources in a bounded pool, one per CPU unless
// cfg.Workers says otherwise, telling cfg.Progress how far it got.
func readAll(ctx context.Context, srcs []source, cfg Config, readers markup.Registry, icfg incident.Config, sp *spool.Spool, lt *lint.Linter) []readResult {
	results := make([]readResult, len(srcs))
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var done atomic.Int64
	var html *markup.HTMLRenderer
	if !cfg.LintOnly {
		html = markup.NewHTMLRenderer()
	}
	rec := graph.NewRecognizer(graph.Config{Systems: cfg.Lint.Systems, Causes: cfg.Lint.Causes})
	// Every file is read even when some fail, so every problem in the
	// tree is reported: a result carries its file's error, and no
	// goroutine of the group returns one.
	var g errgroup.Group
	g.SetLimit(workers)
	for i := range srcs {
		if err := ctx.Err(); err != nil {
			results[i].err = err
			continue
		}
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				results[i].err = err
				return nil
			}
			f, warn, err := readOne(srcs[i], cfg, readers, icfg)
			results[i] = readResult{file: f, warn: warn, err: err}
			if f != nil {
				results[i].err = take(&results[i], srcs[i], cfg, html, rec, sp, lt)
			}
			if cfg.Progress != nil {
				cfg.Progress("reading", int(done.Add(1)), len(srcs))
			}
			return nil
		})
	}
	g.Wait()
	return results
}

// take renders the bodies of a file just read and reads its timelines
// (unless the site is read for lint alone), finds the systems and causes
// its texts mention, puts its bodies' HTML and searchable texts in the
// spool, then drops its trees and texts: a build holds the trees of the
// files being read, and no postmortem's text.
//
// With a linter, it also runs the rules that look at one incident alone,
// then puts the incident's sections in the spool and drops the dates lint
// compared: only the incident's own page shows its sections, and the
// build needs only the date chosen.
func take(r *readResult, src source, cfg Config, html *markup.HTMLRenderer, rec *graph.Recognizer, sp *spool.Spool, lt *lint.Linter) error {
	f := r.file
	var tls []timeline.Read
	if html != nil {
		f.Render(html)
		tls = make([]timeline.Read, len(f.Incidents))
		for i, inc := range f.Incidents {
			tls[i] = timeline.ReadIncident(inc, timeline.Config{Location: cfg.Location})
		}
	}
	ms := make([]graph.Mentioned, len(f.Incidents))
	ks := make([]kept, len(f.Incidents))
	var ds [][]lint.Diagnostic
	if lt != nil {
		ds = make([][]lint.Diagnostic, len(f.Incidents))
	}
	for i, inc := range f.Incidents {
		ms[i] = rec.Mentions(inc.Body.Text)
		ss, w := searchSections(inc)
		r.warn = append(r.warn, w...)
		var err error
		if ks[i].text, err = sp.Put(encodeSections(ss)); err == nil {
			ks[i].html, err = sp.Put(inc.Body.HTML.Bytes)
		}
		if d := tlDetails(tls, i); err == nil && d != nil && len(d.Events) > 0 {
			ks[i].events, err = sp.Put(encodeEvents(d.Events))
			d.Events = nil
		}
		inc.Body.Text, inc.Body.Intro, inc.Body.HTML.Bytes = "", "", nil
		incident.Walk(inc.Sections, func(s *incident.Section) { s.Text = "" })
		if lt != nil {
			ds[i] = lt.File(inc)
			if err == nil && len(inc.Sections) > 0 {
				ks[i].sections, err = sp.Put(encodeOutline(inc.Sections))
				inc.Sections = nil
			}
			inc.Dates = nil
		}
		if err != nil {
			return &writeError{fmt.Errorf("%s: keeping its rendered page until it is written: %w (free space in the temporary folder, or point TMPDIR at one with room)", src.name, err)}
		}
	}
	f.Release()
	r.timelines, r.mentions, r.kept, r.diags = tls, ms, ks, ds
	return nil
}

// tlDetails is the timeline read of the i-th incident of a file, if its
// timelines were read.
func tlDetails(tls []timeline.Read, i int) *timeline.Details {
	if tls == nil {
		return nil
	}
	return tls[i].Details
}

// incidentConfig is how incidents are extracted on this site: its zone, its
// section aliases, and the placeholders, its templates' prompts included.
// Load and Inspect share it, so inspect shows what lint sees.
func (cfg Config) incidentConfig(readers markup.Registry) (incident.Config, error) {
	logs, err := compileGlobs(cfg.Logs)
	if err != nil {
		return incident.Config{}, err
	}
	pages, err := compileGlobs(cfg.Pages)
	if err != nil {
		return incident.Config{}, err
	}
	return incident.Config{
		Location:     cfg.Location,
		Matcher:      incident.NewMatcher(cfg.Aliases),
		Placeholders: append(append(incident.DefaultPlaceholders(), cfg.Placeholders...), templatePlaceholders(cfg, readers)...),
		Severities:   withNames(cfg.Lint.Severities, cfg.SeverityAliases),
		Statuses:     withNames(cfg.Lint.Statuses, cfg.StatusAliases),
		Systems:      cfg.Lint.Systems,
		Causes:       cfg.Lint.Causes,
		Keys:         cfg.Keys,
		KindOf: func(rel string) string {
			switch {
			case matchAny(logs, rel):
				return incident.KindLog
			case matchAny(pages, rel):
				return incident.KindPage
			}
			return ""
		},
	}.Compile()
}

// withNames is a vocabulary of names with their aliases, the names of a
// plain list included.
func withNames(names []string, aliases map[string][]string) map[string][]string {
	if len(names) == 0 && len(aliases) == 0 {
		return nil
	}
	out := map[string][]string{}
	for _, n := range names {
		out[n] = aliases[n]
	}
	return out
}

func compileGlobs(globs []string) ([]*regexp.Regexp, error) {
	var out []*regexp.Regexp
	for _, g := range globs {
		re, err := lint.CompileGlob(g)
		if err != nil {
			return nil, fmt.Errorf("glob %q in %s: %w", g, ConfigFile, err)
		}
		out = append(out, re)
	}
	return out, nil
}

func matchAny(res []*regexp.Regexp, p string) bool {
	for _, re := range res {
		if re.MatchString(p) {
			return true
		}
	}
	return false
}

func pagePaths(ps []*incident.Page) map[string]bool {
	out := map[string]bool{}
	for _, p := range ps {
		out[p.Path] = true
	}
	return out
}

// Diagnostics turns the errors of a failed load into lint findings, so
// kb lint reports unreadable files beside missing sections.
func Diagnostics(err error) []lint.Diagnostic {
	var out []lint.Diagnostic
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var me *markup.Error
		if errors.As(err, &me) {
			rule := me.Rule
			if rule == "" {
				rule = lint.Unreadable
			}
			out = append(out, lint.Diagnostic{Pos: me.Pos, Severity: lint.Error, Rule: rule, Message: me.Err.Error(), Hint: me.Hint})
		}
	}
	walk(err)
	return out
}

// AllDiagnostics is everything kb lint reports for a loaded site: the
// files that could not be read (from the load's error), the lint
// findings, and what the readers recovered from, as markup warnings.
func (s *Site) AllDiagnostics(loadErr error) []lint.Diagnostic {
	ds := append(Diagnostics(loadErr), s.Diagnostics...)
	for _, w := range s.Warnings {
		ds = append(ds, lint.Diagnostic{Pos: w.Pos, Severity: lint.Warning, Rule: lint.Markup, Message: w.Message, Hint: w.Hint})
	}
	return ds
}

// LintError is a build stopped by --strict because lint found errors.
type LintError struct{ Errors int }

func (e *LintError) Error() string {
	noun := "errors"
	if e.Errors == 1 {
		noun = "error"
	}
	return fmt.Sprintf("lint found %d %s and the build is strict, so nothing was published", e.Errors, noun)
}

// findSources lists the files to read under the content folder, in path
// order, and names in warnings the files it will not read. Hidden files
// and folders, files matching an exclude glob, images and other binary
// files are passed over without a word. Symbolic links are followed when
// they stay inside the content folder.
func findSources(cfg Config, readers markup.Registry) ([]source, []markup.Warning, []error) {
	root := cfg.ContentPath()
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, nil, []error{fmt.Errorf("content folder %s: %w", root, err)}
	}
	// The sources keep the folder open until they are read; the garbage
	// collector closes it.
	croot, err := os.OpenRoot(root)
	if err != nil {
		return nil, nil, []error{fmt.Errorf("content folder %s: %w", root, err)}
	}
	content := &siteDir{root: croot, name: shownDir(cfg, root)}
	exclude, err := compileGlobs(cfg.Exclude)
	if err != nil {
		return nil, nil, []error{err}
	}
	skip := map[string]bool{}
	for _, p := range []string{cfg.OutputPath(), cfg.LayoutsPath(), cfg.AssetsPath(), cfg.StaticPath()} {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			skip[r] = true
		}
	}
	var srcs []source
	var warns []markup.Warning
	var errs []error
	consider := func(abs, r, name string) {
		if matchAny(exclude, r) {
			return
		}
		if _, ok := readers.For(name); ok {
			// Markdown is often saved as .txt: such a file is sniffed.
			srcs = append(srcs, source{rel: r, abs: abs, name: display(cfg, r), sniff: strings.EqualFold(path.Ext(name), ".txt"), dir: croot})
			return
		}
		why, hint := notRead(name)
		switch {
		case why == "":
			return
		case why == "sniff":
			srcs = append(srcs, source{rel: r, abs: abs, name: display(cfg, r), sniff: true, dir: croot})
			return
		}
		warns = append(warns, markup.Warning{Pos: markup.Pos{File: display(cfg, r)}, Message: "not read: " + why, Hint: hint})
	}
	visited := map[string]bool{realRoot: true}
	var walk func(dir, rel string)
	walk = func(dir, rel string) {
		ents, err := fs.ReadDir(croot.FS(), path.Join(".", rel))
		if err != nil {
			errs = append(errs, &markup.Error{Pos: markup.Pos{File: display(cfg, rel)}, Err: fmt.Errorf("cannot read folder: %w", errors.Unwrap(err)), Hint: "check the folder's permissions"})
		}
		for _, e := range ents {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			abs := filepath.Join(dir, name)
			r := path.Join(rel, name)
			info := e.Type()
			if info&fs.ModeSymlink != 0 {
				real, err := filepath.EvalSymlinks(abs)
				if err != nil {
					errs = append(errs, &markup.Error{Pos: markup.Pos{File: display(cfg, r)}, Err: fmt.Errorf("cannot follow symbolic link: %w", unwrapPath(err)), Hint: "fix or remove the link (a link that points to itself or in a circle can never be read)"})
					continue
				}
				if err := content.linkError(r); err != nil {
					errs = append(errs, err)
					continue
				}
				st, err := croot.Stat(filepath.FromSlash(r))
				if err != nil {
					errs = append(errs, &markup.Error{Pos: markup.Pos{File: display(cfg, r)}, Err: unwrapPath(err)})
					continue
				}
				if st.IsDir() {
					if visited[real] || skip[real] {
						continue
					}
					visited[real] = true
					walk(abs, r)
					continue
				}
				if st.Mode().IsRegular() {
					consider(abs, r, name)
				}
				continue
			}
			if e.IsDir() {
				if real, err := filepath.EvalSymlinks(abs); err == nil {
					if skip[real] || visited[real] {
						continue
					}
					visited[real] = true
				}
				walk(abs, r)
				continue
			}
			if info.IsRegular() {
				consider(abs, r, name)
			}
		}
	}
	walk(root, "")
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].rel < srcs[j].rel })
	return srcs, warns, errs
}

// notRead says why a file of no known format is not read, with a hint;
// "sniff" for a file without an extension, whose content decides; "" for
// images and other binary files, which are not postmortems and need no
// word.
func notRead(name string) (why, hint string) {
	const exclude = "add it to exclude in " + ConfigFile + " to silence this, or move it out of the content folder"
	ext := strings.ToLower(path.Ext(name))
	if ext == "" || ext == name {
		switch strings.ToLower(name) {
		case "makefile", "gnumakefile", "dockerfile", "containerfile", "vagrantfile", "jenkinsfile", "procfile",
			"gemfile", "rakefile", "brewfile", "justfile", "license", "licence", "copying", "notice", "codeowners", "owners":
			return "a build or licence file, not a postmortem", exclude
		}
		return "sniff", ""
	}
	switch ext {
	case ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico", ".bmp", ".tif", ".tiff", ".heic",
		".pdf", ".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".mp4", ".mov", ".webm", ".mp3", ".wav", ".ogg",
		".woff", ".woff2", ".ttf", ".otf", ".eot", ".psd", ".drawio", ".excalidraw", ".dia", ".vsdx", ".pcap", ".har":
		return "", ""
	}
	return fmt.Sprintf("kb reads Markdown (.md), reStructuredText (.rst), plain text (.txt) and text files without an extension, not %s files", ext),
		"convert it to one of those, put it in the static folder to publish it as it is, or " + exclude
}

// display names a source as messages show it: relative to the site's
// folder ("content/2024-03-11-dns.md"), never an absolute path.
func display(cfg Config, rel string) string {
	p := filepath.Join(cfg.ContentPath(), filepath.FromSlash(rel))
	if r, err := filepath.Rel(cfg.Root, p); err == nil && !strings.HasPrefix(r, "..") {
		p = r
	}
	return filepath.ToSlash(p)
}

func within(root, p string) bool {
	r, err := filepath.Rel(root, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) && !filepath.IsAbs(r)
}

// unwrapPath drops the *PathError wrapper, whose absolute path would leak
// into messages; the caller names the file.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func readOne(src source, cfg Config, readers markup.Registry, icfg incident.Config) (*incident.File, []markup.Warning, error) {
	b, warn, err := readLimited(src, cfg.MaxFileSize)
	if err != nil {
		return nil, nil, err
	}
	rd, ok := readerOf(src, b, readers)
	if !ok {
		return nil, []markup.Warning{{Pos: markup.Pos{File: src.name}, Message: "not read: " + rd.why,
			Hint: "add it to exclude in " + ConfigFile + " to silence this, or move it out of the content folder"}}, nil
	}
	doc, err := readGuarded(rd.Reader, src.name, b, cfg.readTimeout(len(b)))
	if err != nil {
		return nil, warn, err
	}
	f, err := incident.ExtractFile(doc, src.rel, icfg)
	warn = append(warn, doc.Warnings...)
	if f != nil {
		warn = append(warn, f.Warnings...)
		for _, inc := range f.Incidents {
			warn = append(warn, inc.Warnings...)
		}
	}
	if err != nil {
		return nil, warn, err
	}
	return f, warn, nil
}

// chosenReader is the reader for a file, or why there is none.
type chosenReader struct {
	markup.Reader
	why string
}

// readerOf picks the reader for a source: by its extension, or, for a
// file without one and for a .txt file (Markdown is often saved as .txt),
// by what its first bytes look like.
func readerOf(src source, b []byte, readers markup.Registry) (chosenReader, bool) {
	if !src.sniff {
		rd, ok := readers.For(src.rel)
		return chosenReader{Reader: rd, why: "no reader"}, ok
	}
	txt := strings.EqualFold(path.Ext(src.rel), ".txt")
	body := b
	if txt {
		// Front matter does not make a .txt file Markdown: plain text
		// takes it too (kb import writes it there).
		if fm, err := markup.SplitFrontMatter(src.name, b); err == nil {
			body = fm.Body
		}
	}
	format, why := markup.Sniff(body)
	switch {
	case format == "markdown":
		return chosenReader{Reader: readers[".md"]}, true
	case format == "rst":
		return chosenReader{Reader: readers[".rst"]}, true
	case format == "text" || txt:
		// A .txt file that is not text is an encoding error the text
		// reader reports with its position.
		return chosenReader{Reader: readers[".txt"]}, true
	}
	return chosenReader{why: why}, false
}

// readGuarded runs a reader with two guarantees the build relies on: a
// panic in a reader (a bug of ours) and a reader that runs past its time
// budget (markup some parser handles in super-linear time) both degrade to
// showing the file as plain text, with a warning, instead of stopping or
// hanging the build. A reader past its budget is abandoned, not stopped: Go
// cannot stop a goroutine, and it ends with the process.
func readGuarded(rd markup.Reader, name string, src []byte, budget time.Duration) (*markup.Doc, error) {
	type result struct {
		doc *markup.Doc
		err error
	}
	ch := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- result{doc: plainDoc(name, src, fmt.Sprintf("kb failed to read this file (%v) and shows it as plain text", p), "please report this as a bug in kb, with the file")}
			}
		}()
		d, err := rd.Read(name, src)
		ch <- result{d, err}
	}()
	timer := time.NewTimer(budget)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r.doc, r.err
	case <-timer.C:
		return plainDoc(name, src, fmt.Sprintf("reading took longer than %s, so the file is shown as plain text", budget),
			"look for markup repeated or nested thousands of times, such as [[[[ or > > > >"), nil
	}
}

// plainDoc shows a file's text verbatim: nothing is lost, nothing is
// interpreted.
func plainDoc(name string, src []byte, msg, hint string) *markup.Doc {
	d := &markup.Doc{Path: name, Format: "text"}
	if b, err := markup.Prepare(name, src); err == nil {
		d.Body = []*markup.Node{{Kind: markup.CodeBlock, Literal: string(b), Line: 1, Col: 1}}
	}
	d.Warnings = []markup.Warning{{Pos: markup.Pos{File: name, Line: 1}, Message: msg, Hint: hint}}
	markup.Finish(d, markup.FinishOptions{})
	return d
}

// readLimited reads at most max bytes of a file. A longer file is cut at
// the last line end before the limit, with a warning: the rest of the
// archive must still build.
func readLimited(src source, max int64) ([]byte, []markup.Warning, error) {
	var f *os.File
	var err error
	if src.dir != nil {
		f, err = src.dir.Open(filepath.FromSlash(src.rel))
	} else {
		f, err = os.Open(src.abs)
	}
	if err != nil {
		return nil, nil, &markup.Error{Pos: markup.Pos{File: src.name}, Err: fmt.Errorf("cannot read: %w", unwrapPath(err)), Hint: "check the file's permissions"}
	}
	defer f.Close()
	if max <= 0 {
		max = DefaultMaxFileSize
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, nil, &markup.Error{Pos: markup.Pos{File: src.name}, Err: fmt.Errorf("cannot read: %w", unwrapPath(err)), Hint: "check the file's permissions"}
	}
	if int64(len(b)) <= max {
		return b, nil, nil
	}
	b = b[:max]
	if nl := strings.LastIndexByte(string(b), '\n'); nl >= 0 {
		b = b[:nl+1]
	}
	line := strings.Count(string(b), "\n") + 1
	return b, []markup.Warning{{
		Pos:     markup.Pos{File: src.name, Line: line},
		Message: fmt.Sprintf("file is larger than max_file_size (%s); only the first %s are read", formatSize(max), formatSize(int64(len(b)))),
		Hint:    "split the file, or raise max_file_size in " + ConfigFile,
	}}, nil
}

func formatSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// collectImages finds the local images a page shows and where they go:
// beside the page (dir, its output folder), at the same relative path, so
// the link in the page works unchanged; an image in a folder above the
// postmortem's goes to files/ at its path in the content folder, where
// the page's link is pointed. Nothing outside the content folder is
// published.
func (s *Site) collectImages(src source, dir string, assets []markup.Asset) []markup.Warning {
	var warn []markup.Warning
	for _, a := range assets {
		rel := path.Join(path.Dir(src.rel), a.Path)
		if rel == ".." || strings.HasPrefix(rel, "../") {
			warn = append(warn, markup.Warning{Pos: a.Pos, Message: fmt.Sprintf("image %s is outside the content folder and is not published", a.Path),
				Hint: "move the image into the content folder"})
			continue
		}
		out := dir + a.Path
		if strings.HasPrefix(a.Path, "../") {
			out = FilesDir + rel
		}
		file := filepath.FromSlash(rel)
		if err := s.content.linkError(rel); err != nil {
			var me *markup.Error
			if errors.As(err, &me) {
				warn = append(warn, markup.Warning{Pos: a.Pos, Message: fmt.Sprintf("image %s is not published: %s: %v", a.Path, me.Pos.File, me.Err), Hint: me.Hint})
				continue
			}
		}
		st, err := s.content.root.Stat(file)
		if errors.Is(err, fs.ErrNotExist) {
			warn = append(warn, markup.Warning{Pos: a.Pos, Message: fmt.Sprintf("image %s not found", a.Path), Hint: "check the path; it is relative to the postmortem's file"})
			continue
		}
		if err != nil || !st.Mode().IsRegular() {
			warn = append(warn, markup.Warning{Pos: a.Pos, Message: fmt.Sprintf("image %s is not a file inside the content folder", a.Path), Hint: "put the image beside the postmortem"})
			continue
		}
		if _, done := s.images[out]; done {
			continue
		}
		if max := s.Config.MaxFileSize; max > 0 && st.Size() > max {
			warn = append(warn, markup.Warning{Pos: a.Pos, Message: fmt.Sprintf("image %s is larger than max_file_size (%s) and is not published", a.Path, formatSize(max)),
				Hint: "make the image smaller, or raise max_file_size in " + ConfigFile})
			continue
		}
		b, err := s.content.root.ReadFile(file)
		if err != nil {
			warn = append(warn, markup.Warning{Pos: a.Pos, Message: fmt.Sprintf("image %s cannot be read: %v", a.Path, unwrapPath(err))})
			continue
		}
		if err := checkImage(rel, b); err != nil {
			warn = append(warn, markup.Warning{Pos: a.Pos, Message: fmt.Sprintf("image %s is not published: %v", a.Path, err),
				Hint: "export the image as PNG, JPEG or a plain SVG drawing"})
			continue
		}
		s.images[out] = image{dir: s.content.root, rel: rel, pos: a.Pos}
	}
	return warn
}

// image is a local image to publish: the content folder it is read
// through, its path there, and the first place that shows it.
type image struct {
	dir *os.Root
	rel string
	pos markup.Pos
}

// read reads the image again for publishing, and checks it again: the
// file may have changed since the build found it.
func (im image) read() ([]byte, error) {
	b, err := im.dir.ReadFile(filepath.FromSlash(im.rel))
	if err == nil {
		err = checkImage(im.rel, b)
	}
	if err != nil {
		return nil, markup.Errorf(im.pos, "check that the image is not being changed while the site builds",
			"image %s cannot be published: %v", im.rel, unwrapPath(err))
	}
	return b, nil
}

// FilesDir is where images from folders above a postmortem's are
// published, at their path in the content folder.
const FilesDir = "files/"

func duplicateIDs(incs []*incident.Incident, pages []*incident.Page) []error {
	first := map[string]string{}
	var errs []error
	check := func(url, file string) {
		if prev, ok := first[url]; ok {
			e := markup.Errorf(markup.Pos{File: file}, "rename one of the two files",
				"%s is also where %s is published", url, prev)
			e.Rule = lint.DuplicateID
			errs = append(errs, e)
			return
		}
		first[url] = file
	}
	for _, inc := range incs {
		check("incidents/"+inc.ID+"/", inc.Doc.Path)
	}
	for _, p := range pages {
		if _, taken := first[render.PageURL(p)]; taken && p.Kind == incident.KindPage {
			// A folder's README.md and index.md are both its index:
			// the second is named after its file.
			_, file := path.Split(p.Path)
			base := p.ID
			for _, name := range []string{strings.TrimSuffix(file, path.Ext(file)), file} {
				if p.ID = base + "/" + markup.Slug(name); first[render.PageURL(p)] == "" {
					break
				}
			}
		}
		check(render.PageURL(p), p.Doc.Path)
	}
	return errs
}

func sortWarnings(ws []markup.Warning) {
	sort.SliceStable(ws, func(i, j int) bool {
		a, b := ws[i].Pos, ws[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Result is what a build produced.
type Result struct {
	Site *Site
}

// Build loads the site, renders it and publishes it to the output folder.
// The output folder changes only if every stage succeeded: files are
// written into a stage folder as they are made, and swapped in at the end.
func Build(ctx context.Context, cfg Config) (*Result, error) {
	if err := checkFolders(cfg); err != nil {
		return nil, err
	}
	s, err := Load(ctx, cfg)
	res := &Result{Site: s}
	defer s.Close()
	if err != nil {
		return res, err
	}
	// Lint has compared every date an author wrote; the build needs
	// only the one chosen.
	if cfg.Strict {
		n := 0
		for _, d := range s.Diagnostics {
			if d.Severity == lint.Error {
				n++
			}
		}
		if n > 0 {
			return res, &LintError{Errors: n}
		}
	}
	st, err := publish.Begin(cfg.OutputPath())
	if err != nil {
		return res, fmt.Errorf("publish %s: %w", cfg.OutputPath(), err)
	}
	defer st.Abort() // after Commit, it does nothing
	if err := s.renderTo(ctx, st, true); err != nil {
		return res, err
	}
	if cfg.Progress != nil {
		cfg.Progress("publishing", 0, 0)
	}
	// The last moment to stop: after the swap, the new site is out.
	if err := ctx.Err(); err != nil {
		return res, err
	}
	start := begin()
	if err := st.Commit(); err != nil {
		return res, fmt.Errorf("publish %s: %w", cfg.OutputPath(), err)
	}
	s.stage("publish", start)
	return res, nil
}

// RenderInput is what the pages of a loaded site are made from, with the
// site's own layouts and assets over the defaults: for benchmarks of the
// render stage alone. Build and Render use it too.
func (s *Site) RenderInput() render.Input {
	// The folders stay open for as long as the input is used; the
	// garbage collector closes them.
	layouts, _ := openSiteDir(s.Config, s.Config.LayoutsPath())
	assets, _ := openSiteDir(s.Config, s.Config.AssetsPath())
	return s.renderInput(layouts.FS(), assets.FS())
}

func (s *Site) renderInput(userLayouts, userAssets fs.FS) render.Input {
	cfg := s.Config
	return render.Input{
		Site: render.Site{
			Title: cfg.Title, Description: cfg.Description, Language: cfg.Language, BaseURL: cfg.BaseURL,
			SearchPrefetch: cfg.SearchPrefetch,
			LintBanner:     cfg.LintBanner,
			RepoURL:        cfg.Repo.URL, RepoBranch: cfg.Repo.Branch, RepoContent: cfg.repoContent(),
		},
		Incidents:   s.Incidents,
		Pages:       s.Pages,
		Published:   func(p string) bool { _, ok := s.images[p]; return ok },
		Diagnostics: s.Diagnostics,
		Graph:       s.Graph,
		Timeline:    s.Timeline,
		Severities:  cfg.Lint.Severities,
		Layouts:     render.Overlay(userLayouts, cfg.Layouts),
		Assets:      render.Overlay(userAssets, cfg.Assets),
		Workers:     cfg.Workers,
		Own:         s.own,
		Keep:        keeper{s.spool},
	}
}

// Render renders a loaded site into files in memory, for tests and tools
// that look at the files; Build streams them into the output folder
// instead.
func (s *Site) Render(ctx context.Context) (render.Files, error) {
	var m publish.Memory
	if err := s.renderTo(ctx, &m, false); err != nil {
		return nil, err
	}
	return m.Files(), nil
}

// sink takes the files of a site: a [publish.Stage] or a
// [publish.Memory].
type sink interface {
	render.Streamer
	// Has reports whether a path is taken, as a file or as a folder.
	Has(path string) bool
	// Sums are the SHA-256 of the files written, by path.
	Sums() map[string][sha256.Size]byte
}

// renderTo writes every file of the site to out: the search index and the
// pages, then the images and the static files, which give way to them,
// and last the service worker, which names a hash of everything else.
// Nothing is kept of a page once it is written but its name and its sum:
// the pages are most of a site's bytes.
//
// With release, each body's HTML is dropped once its page is made (see
// render.Input.Release), so that the bodies are not held beside the
// index's working memory. The site cannot be rendered again afterwards.
func (s *Site) renderTo(ctx context.Context, out sink, release bool) error {
	cfg := s.Config
	if cfg.LintOnly {
		return errors.New("the site was read for lint alone (Config.LintOnly) and cannot be rendered")
	}
	layouts, assets, static, err := userFolders(cfg)
	if err != nil {
		return err
	}
	defer layouts.Close()
	defer assets.Close()
	defer static.Close()
	userLayouts, userAssets := layouts.FS(), assets.FS()
	// Each incident's events, actions and durations were read with its
	// file; placing them on one axis is for the pages alone.
	if s.Timeline == nil {
		start := begin()
		tl, tw := timeline.Build(s.Incidents, timeline.Config{Location: cfg.Location, RecurrenceWindow: cfg.RecurrenceWindow, Read: s.timelines})
		s.timelines = nil
		s.Timeline = tl
		s.Warnings = append(s.Warnings, tw...)
		sortWarnings(s.Warnings)
		s.stage("timeline", start)
	}
	w := writer{out}
	// The pages come first; the index is built last. Run side by side,
	// each would hold its working memory beside the other's.
	if cfg.Progress != nil {
		cfg.Progress("rendering", 0, 0)
	}
	start := begin()
	in := s.renderInput(userLayouts, userAssets)
	in.Release = release
	err = render.Render(ctx, in, w)
	if err != nil {
		var we *writeError
		if ctx.Err() != nil || errors.As(err, &we) {
			return err
		}
		return &ContentError{Errs: []error{err}}
	}
	s.stage("render", start)
	if err := s.writeSitemap(w, out); err != nil {
		return err
	}
	if cfg.Progress != nil {
		cfg.Progress("indexing", 0, 0)
	}
	start = begin()
	if err := s.writeIndex(w); err != nil {
		return err
	}
	s.stage("index", start)
	if err := ctx.Err(); err != nil {
		return err
	}
	outs := make([]string, 0, len(s.images))
	for out := range s.images {
		outs = append(outs, out)
	}
	sort.Strings(outs)
	for _, p := range outs {
		if !publish.ValidPath(p) || out.Has(p) {
			continue // a page, or a folder of pages, has the name already
		}
		b, err := s.images[p].read()
		if err != nil {
			return &ContentError{Errs: []error{err}}
		}
		if err := w.WriteFile(p, b); err != nil {
			return err
		}
	}
	warns, err := addStatic(w, static)
	if err != nil {
		return err
	}
	s.Warnings = append(s.Warnings, warns...)
	sortWarnings(s.Warnings)
	// Last, as it names a hash of everything else.
	b, err := render.ServiceWorker(render.Overlay(userLayouts, cfg.Layouts), out.Sums())
	if err != nil {
		return &ContentError{Errs: []error{err}}
	}
	return w.WriteFile(serviceWorker, b)
}

// writeSitemap writes sitemap.xml over the pages render wrote to out,
// before images and static files join them: those are not pages kb
// made. Without an absolute base URL there is none (see render.Sitemap).
func (s *Site) writeSitemap(w writer, out sink) error {
	sums := out.Sums()
	files := make([]string, 0, len(sums))
	for p := range sums {
		files = append(files, p)
	}
	ok, err := render.Sitemap(w, render.Site{BaseURL: s.Config.BaseURL}, files)
	if err != nil {
		return err
	}
	if !ok && s.Config.Logger != nil {
		s.Config.Logger.Info("no sitemap.xml: base_url is not an absolute http(s) URL, and a sitemap lists absolute URLs only")
	}
	return nil
}

// serviceWorker is the path of the service worker, which renderTo writes
// after every other file.
const serviceWorker = "sw.js"

// writeIndex builds the search index and writes each of its files as it
// is made.
func (s *Site) writeIndex(w writer) error {
	docs, load := s.searchDocuments()
	_, err := search.BuildTo(func(name string, b []byte) error {
		if strings.Contains(name, "/") || name == "" {
			return fmt.Errorf("search index: unexpected file name %q", name)
		}
		return w.WriteFile(searchDir+name, b)
	}, docs, search.Options{TempDir: s.Config.TempDir, Workers: s.Config.Workers, Sections: load})
	var we *writeError
	if err != nil && !errors.As(err, &we) {
		return fmt.Errorf("search index: %w", err)
	}
	return err
}

// Close releases what the site holds outside memory. A site cannot be
// rendered once closed.
func (s *Site) Close() error {
	s.content.Close()
	if s.spool == nil {
		return nil
	}
	return s.spool.Close()
}

// writer passes files on to a sink and marks what it refuses, so a disk
// that is full is not reported as a problem in the content.
type writer struct{ sink }

func (w writer) WriteFile(p string, b []byte) error {
	if err := w.sink.WriteFile(p, b); err != nil {
		return &writeError{err}
	}
	return nil
}

// Create opens a file to stream into the sink, marking what it refuses
// as WriteFile does.
func (w writer) Create(p string) (io.WriteCloser, error) {
	f, err := w.sink.Create(p)
	if err != nil {
		return nil, &writeError{err}
	}
	return writerFile{f}, nil
}

type writerFile struct{ io.WriteCloser }

func (f writerFile) Write(b []byte) (int, error) {
	n, err := f.WriteCloser.Write(b)
	if err != nil {
		err = &writeError{err}
	}
	return n, err
}

func (f writerFile) Close() error {
	if err := f.WriteCloser.Close(); err != nil {
		return &writeError{err}
	}
	return nil
}

type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// addStatic publishes the files of the static folder as they are. The
// folder is the site owner's, not a postmortem's: its files are trusted,
// but they give way to kb's own. A symbolic link is followed while it
// stays inside the folder (userFolders has refused the others, and the
// folder's os.Root refuses them again should one appear since).
func addStatic(w writer, d *siteDir) (warns []markup.Warning, err error) {
	if d == nil {
		return nil, nil
	}
	fsys := d.root.FS()
	var seen []fs.FileInfo // folders walked, so a link to a folder above ends
	var walk func(dir string) error
	walk = func(dir string) error {
		if st, err := d.root.Stat(filepath.FromSlash(dir)); err == nil {
			for _, s := range seen {
				if os.SameFile(s, st) {
					return nil
				}
			}
			seen = append(seen, st)
		}
		return fs.WalkDir(fsys, dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return &markup.Error{Pos: markup.Pos{File: d.shown(p)}, Err: fmt.Errorf("cannot read: %w", unwrapPath(err)), Hint: "check the file's permissions"}
			}
			if e.IsDir() {
				if p != dir {
					if st, err := e.Info(); err == nil {
						seen = append(seen, st)
					}
				}
				return nil
			}
			if e.Type()&fs.ModeSymlink != 0 {
				if err := d.linkError(p); err != nil {
					return err
				}
				st, err := d.root.Stat(filepath.FromSlash(p))
				if err != nil {
					return &markup.Error{Pos: markup.Pos{File: d.shown(p)}, Err: fmt.Errorf("cannot read: %w", unwrapPath(err)), Hint: "fix or remove the link"}
				}
				if st.IsDir() {
					return walk(p)
				}
				if !st.Mode().IsRegular() {
					return nil
				}
			} else if !e.Type().IsRegular() {
				return nil
			}
			if !publish.ValidPath(p) {
				return nil
			}
			if p == serviceWorker || p == ".kb-site" || w.Has(p) {
				// Said, not silent: the owner put it there to be published.
				warns = append(warns, markup.Warning{Pos: markup.Pos{File: d.shown(p)},
					Message: fmt.Sprintf("not published: kb writes its own %s", p),
					Hint:    "rename or move the file; files of the static folder give way to kb's pages, its service worker and .kb-site"})
				return nil
			}
			b, err := d.root.ReadFile(filepath.FromSlash(p))
			if err != nil {
				return &markup.Error{Pos: markup.Pos{File: d.shown(p)}, Err: fmt.Errorf("cannot read: %w", unwrapPath(err)), Hint: "check the file's permissions"}
			}
			return w.WriteFile(p, b)
		})
	}
	err = walk(".")
	return warns, err
}

// checkFolders refuses an output folder that holds the site's sources,
// which the swap would delete, or lies in the content folder, where the
// next build would read the site as sources.
func checkFolders(cfg Config) error {
	out, err := filepath.Abs(cfg.OutputPath())
	if err != nil {
		return err
	}
	content, err := filepath.Abs(cfg.ContentPath())
	if err != nil {
		return err
	}
	hint := "choose an output folder outside the content folder and not above the site, such as site (output_dir in site.toml, or --dest)"
	for _, p := range []string{cfg.Root, cfg.ContentPath()} {
		a, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		if within(out, a) {
			return &publish.Error{Err: fmt.Errorf("output folder %s would contain the sources in %s", cfg.OutputPath(), p), Hint: hint}
		}
	}
	if within(content, out) {
		return &publish.Error{Err: fmt.Errorf("output folder %s is inside the content folder %s", cfg.OutputPath(), cfg.ContentPath()), Hint: hint}
	}
	return nil
}
