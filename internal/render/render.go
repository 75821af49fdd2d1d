package render

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kb-postmortems/kb/internal/graph"
	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/lint"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/timeline"
	"github.com/kb-postmortems/kb/internal/when"

	"golang.org/x/sync/errgroup"
)

// Site is what every page knows of the site.
type Site struct {
	Title       string
	Description string
	Language    string
	// BaseURL is where the site is served, ending in "/": "/" at the
	// root, "/kb/" for a GitHub Pages project site, or a full URL.
	BaseURL string
	// SearchPrefetch tells the page script when to load search:
	// "intent" (a search box is focused, the search page opens) or
	// "idle" (in the background after the page has loaded).
	SearchPrefetch string
	// LintBanner is which incident pages open with the note that the
	// postmortem is not finished: "drafts" (or ""), "always" or "never"
	// (see [IncidentView].Banner).
	LintBanner string
	// RepoURL, RepoBranch and RepoContent place the content folder in
	// its repository (RepoContent is its path there, "." at the root),
	// for each incident's edit and source links; an empty RepoURL makes
	// none.
	RepoURL, RepoBranch, RepoContent string
}

// Input is everything one rendering needs.
type Input struct {
	Site      Site
	Incidents []*incident.Incident
	// Pages are the files that are not incidents, logs' own pages among
	// them.
	Pages []*incident.Page
	// Published reports whether a file is in the site (an image from a
	// folder above a postmortem's, published under files/), so links to
	// it can be pointed there.
	Published func(sitePath string) bool
	// Layouts and Assets are the site's folders over the defaults (see
	// [Overlay]).
	Layouts fs.FS
	Assets  fs.FS
	// Diagnostics are the lint findings shown on incident pages and on
	// the review page.
	Diagnostics []lint.Diagnostic
	// Graph connects incidents through systems, causes and links; nil
	// renders no taxonomy pages.
	Graph *graph.Graph
	// Timeline holds each incident's events, actions and durations, and
	// the measures over them; nil renders no timeline and actions pages.
	Timeline *timeline.Timeline
	// Severities is the site's order of severities, for charts.
	Severities []string
	// Workers bounds parallel page rendering; 0 means one per CPU.
	Workers int
	// PerPage is how many incidents the home page and each page of a
	// year list; 0 means DefaultPerPage.
	PerPage int
	// Own, when set, gives what only an incident's own page shows: a
	// build keeps it out of memory from the file's read to the page (see
	// internal/spool), and Incident.Body.HTML holds only the body's
	// slots. Nil renders the incident as it is.
	Own func(*incident.Incident) (Own, error)
	// Keep, when set, holds the rows that several list pages share
	// between their uses, instead of memory.
	Keep Keeper
	// Release drops what only an incident's own page shows (its body,
	// its sections, its events) once that page is written: a build
	// renders each page once. The site cannot be rendered again
	// afterwards.
	Release bool
	// made, when set, keeps what is made once for many pages, so that a
	// test can count it.
	made *made
}

// Own is what only an incident's own page shows: at 100,000 incidents,
// kept in memory together, they were most of a build's heap.
type Own struct {
	Body markup.HTML
	// Sections and Events, when not nil, replace the incident's sections
	// and its events for its page.
	Sections []*incident.Section
	Events   []timeline.Event
}

// Files maps output paths (slash-separated, relative to the site root) to
// their contents.
type Files map[string][]byte

// Page is the data of one template execution.
type Page struct {
	Site Site
	// Terms are the systems or causes listed on a taxonomy index page;
	// Term is the one shown on a term's page.
	Terms []*TermView
	Term  *TermView
	// Review counts the incidents with lint findings, for navigation.
	Review    int
	Kind      string
	Title     string
	Path      string
	Incident  *IncidentView
	Incidents []*IncidentView
	// PageView is the page shown on page.html; Pages are the pages that
	// are not incidents, listed on the home page.
	PageView *PageView
	Pages    []*PageView
	// Timeline is the timeline page's data; Actions the actions page's.
	Timeline *TimelineView
	Actions  []ActionRow
	// OpenBySystem counts open action items per system, most first.
	OpenBySystem []FilterLink
	// Glance is the home page's chart of the last twelve months up to
	// the newest incident.
	Glance *Chart
	// Index is the home page's and a year page's index of incidents:
	// their rows by year or month, counts and filters.
	Index *IndexView
	root  string
	// single says the page's rows are listed on no other page (the
	// home page's, a year page's): they are made for it alone, not kept
	// (see [Page.Row]).
	single bool
	// set is the layout the page is rendered with, and made the rows
	// and partials made so far for every page (see [Page.Row] and
	// [Page.Shared]).
	set  *layout
	made *made
}

// PageView is a page that is not an incident: a folder's index, a file
// marked kind: page, or a log, whose entries are incidents of their own.
type PageView struct {
	*incident.Page
	// URL is the site path of the page, ending in "/".
	URL  string
	Body template.HTML
	// Entries are a log's incidents, in the log's order.
	Entries []*IncidentView
}

// Link returns the URL of the site path p from this page.
func (p *Page) Link(target string) string {
	return p.root + strings.TrimPrefix(target, "/")
}

// IncidentView is an incident with what a page needs to show it.
type IncidentView struct {
	*incident.Incident
	// URL is the site path of the incident's page, ending in "/".
	URL  string
	Body template.HTML
	// Findings are the lint findings for this incident's file.
	Findings []lint.Diagnostic
	// Missing and Empty name the sections lint reports missing or empty,
	// required ones first.
	Missing, Empty []string
	// Banner says the page opens with the note that the postmortem is
	// not finished, rather than naming what is missing quietly beside it.
	Banner bool
	// EditURL and SourceURL are the incident's file in the site's
	// repository, to edit and to view; empty without a repository.
	EditURL, SourceURL string
	// Errors and Warnings count the findings by severity.
	Errors, Warnings int
	// SystemTerms and CauseTerms link the incident's systems and causes
	// (declared, then mentioned in the text) to their pages.
	SystemTerms, CauseTerms []TermRef
	// Related are the incidents most like this one; LinkedFrom those
	// whose postmortems link here.
	Related    []RelatedRef
	LinkedFrom []IncidentRef
	// LogURL is the page of the log this incident is an entry of.
	LogURL string
	// Details are the incident's events, actions, durations and
	// recurrences (nil without a timeline); Recurs links the incidents
	// it recurs with.
	Details *timeline.Details
	Recurs  []IncidentRef
}

// ActionsIn returns the incident's actions in one state.
func (v *IncidentView) ActionsIn(state string) []timeline.Action {
	if v.Details == nil {
		return nil
	}
	var out []timeline.Action
	for _, a := range v.Details.Actions {
		if a.State == state {
			out = append(out, a)
		}
	}
	return out
}

// TermRef is a system or cause as an incident page shows it.
type TermRef struct {
	Name, URL string
	Declared  bool // named in the metadata, not only mentioned
}

// IncidentRef is another incident, to link to: its .Title, .URL, .Date
// and .Severity. It points at the incident's view rather than copying
// them, since every incident names up to MaxRecurs recurrences and as
// many related incidents: at 100,000 incidents the copies were 120 MB.
type IncidentRef struct {
	*IncidentView
}

// RelatedRef is a related incident and what it shares with this one.
type RelatedRef struct {
	IncidentRef
	Shared []string
}

// TermView is one system or cause on its own page.
type TermView struct {
	Name, URL string
	Kind      string // "system" or "cause"
	Declared  int
	Incidents []*IncidentView
}

// Writer takes the files of a site, one at a time.
type Writer interface {
	// WriteFile takes the file at path (slash-separated, relative to the
	// site root). Render calls it from several goroutines at once. It
	// may keep data, which Render does not touch again.
	WriteFile(path string, data []byte) error
}

// A Streamer is a Writer that also takes a file as it is written. Render
// streams into it the pages that list incidents and the exports, which on
// a site of 100,000 incidents are tens of megabytes each; an incident's
// page, which is small, is handed over whole.
type Streamer interface {
	Writer
	// Create opens the file at path; it is taken when Close returns nil.
	Create(path string) (io.WriteCloser, error)
}

// create opens path on w: streamed when w is a Streamer, else gathered
// and handed to WriteFile on Close.
func create(w Writer, p string) (io.WriteCloser, error) {
	if s, ok := w.(Streamer); ok {
		return s.Create(p)
	}
	return &gathered{w: w, p: p}, nil
}

type gathered struct {
	bytes.Buffer
	w Writer
	p string
}

func (g *gathered) Close() error { return g.w.WriteFile(g.p, g.Bytes()) }

// Render renders every page, export and asset of a site and hands each to
// w as soon as it is made. It returns the first error, from a layout or
// from w; what w took by then is a part of a site, for the caller to throw
// away.
func Render(ctx context.Context, in Input, w Writer) error {
	set, err := parseLayouts(in.Layouts)
	if err != nil {
		return err
	}
	views := make([]*IncidentView, len(in.Incidents))
	byPath := make(map[string]*incident.Incident, len(in.Incidents))
	byFile := make(map[string]*IncidentView, len(in.Incidents))
	byID := make(map[string]*IncidentView, len(in.Incidents))
	for i, inc := range in.Incidents {
		views[i] = &IncidentView{Incident: inc, URL: "incidents/" + inc.ID + "/"}
		byID[inc.ID] = views[i]
		if inc.Log == nil {
			byPath[inc.Path] = inc
			byFile[inc.Doc.Path] = views[i]
		}
	}
	pages := make([]*PageView, len(in.Pages))
	pageByPath := map[string]*PageView{}
	for i, p := range in.Pages {
		pages[i] = &PageView{Page: p, URL: PageURL(p)}
		pageByPath[p.Path] = pages[i]
		for _, e := range p.Entries {
			if v := byID[e.ID]; v != nil {
				v.LogURL = pages[i].URL
				pages[i].Entries = append(pages[i].Entries, v)
			}
		}
	}
	links := linker{byPath: byPath, pages: pageByPath, published: in.Published}
	if in.Timeline != nil {
		for _, v := range views {
			v.Details = in.Timeline.ByID[v.ID]
			if v.Details == nil {
				continue
			}
			for _, id := range v.Details.Recurs {
				if r := byID[id]; r != nil {
					v.Recurs = append(v.Recurs, IncidentRef{r})
				}
			}
		}
	}
	var review []*IncidentView
	for _, d := range in.Diagnostics {
		v := byFile[d.Pos.File]
		if d.Incident != "" {
			v = byID[d.Incident]
		}
		if v == nil {
			continue
		}
		if len(v.Findings) == 0 {
			review = append(review, v)
		}
		v.Findings = append(v.Findings, d)
		if d.Severity == lint.Error {
			v.Errors++
		} else {
			v.Warnings++
		}
	}
	for _, v := range views {
		v.Missing, v.Empty = sectionFindings(v.Findings)
		v.Banner = banner(in.Site.LintBanner, v)
		v.EditURL, v.SourceURL = sourceLinks(in.Site, v.Incident)
	}
	systems, causes := connect(in.Graph, views)
	sortNewestFirst(views)
	sortNewestFirst(review)
	made := in.made
	if made == nil {
		made = newMade()
	}
	made.keep = in.Keep
	newPage := func(kind, p string) *Page {
		pg := pageFor(kind, p, in.Site)
		pg.Review = len(review)
		pg.made = made
		pg.single = kind == "home" || kind == "year"
		return pg
	}

	// Incident pages are most of the site: they are rendered in
	// parallel, and each is handed to w as soon as it is made, so no more
	// than one page per worker is held at a time.
	workers := in.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	pagesOf := make([]func() error, len(views))
	for i, v := range views {
		pagesOf[i] = func() error {
			body := v.Incident.Body.HTML
			if in.Own != nil {
				own, err := in.Own(v.Incident)
				if err != nil {
					return err
				}
				body = own.Body
				if own.Sections != nil {
					v.Incident.Sections = own.Sections
				}
				if own.Events != nil && v.Details != nil {
					v.Details.Events = own.Events
				}
			}
			v.Body = template.HTML(timedTables(body.Fill(links.resolver(v.Incident.Path, v.Incident, v.URL)), v.Incident.Sections))
			if in.Release {
				v.Incident.Body.HTML = markup.HTML{}
			}
			p := newPage("incident", v.URL+"index.html")
			p.Title, p.Incident = v.Title, v
			if err := set.render(w, "incident.html", p); err != nil {
				return fmt.Errorf("render %s: %w", v.Path, err)
			}
			if in.Release {
				// Only its own page shows these; at 100,000
				// incidents they are a third of the heap the
				// pages over the whole site and the index are
				// made beside.
				v.Body, v.Incident.Sections = "", nil
				if v.Details != nil {
					v.Details.Events = nil
				}
			}
			return nil
		}
	}
	if err := runAll(ctx, workers, pagesOf); err != nil {
		return err
	}

	// The pages over the whole site (the home page, taxonomies, the
	// timeline, exports) are independent of each other: they are made
	// side by side too, since the largest of them list every incident.
	var tasks []func() error
	for _, pv := range pages {
		tasks = append(tasks, func() error {
			pv.Body = template.HTML(pv.HTML.Fill(links.resolver(pv.Path, nil, pv.URL)))
			if in.Release {
				pv.HTML = markup.HTML{}
			}
			p := newPage("page", pv.URL+"index.html")
			p.Title, p.PageView = pv.Title, pv
			if err := set.render(w, "page.html", p); err != nil {
				return fmt.Errorf("render %s: %w", pv.Path, err)
			}
			return nil
		})
	}
	tasks = append(tasks, indexTasks(set, w, views, in, pages, newPage)...)
	tasks = append(tasks, func() error {
		rv := newPage("review", "review/index.html")
		rv.Title, rv.Incidents = "Needs review", review
		return set.render(w, "review.html", rv)
	})
	if in.Timeline != nil {
		tasks = append(tasks, timelineTasks(set, w, views, in.Timeline, in.Severities, newPage)...)
	}
	for _, tk := range []struct {
		kind, dir, title string
		terms            []*TermView
	}{{"system", "systems", "Systems", systems}, {"cause", "causes", "Causes", causes}} {
		if in.Graph == nil {
			break
		}
		tasks = append(tasks, func() error {
			ip := newPage("terms", tk.dir+"/index.html")
			ip.Title, ip.Terms = tk.title, tk.terms
			return set.render(w, "terms.html", ip)
		})
		for _, t := range tk.terms {
			tasks = append(tasks, func() error {
				tp := newPage("term", t.URL+"index.html")
				tp.Title, tp.Term, tp.Incidents = t.Name, t, t.Incidents
				return set.render(w, "term.html", tp)
			})
		}
	}
	tasks = append(tasks, func() error {
		sp := newPage("search", "search/index.html")
		sp.Title = "Search"
		if err := set.render(w, "search.html", sp); err != nil {
			return err
		}
		nf := newPage("404", "404.html")
		nf.Title = "Page not found"
		// GitHub Pages serves 404.html for a miss at any depth, so its
		// links cannot be relative.
		nf.root = in.Site.BaseURL
		return set.render(w, "404.html", nf)
	}, func() error {
		return addExports(w, in.Site, in.Incidents, in.Timeline)
	}, func() error {
		return copyAssets(w, in.Assets)
	})
	return runAll(ctx, workers, tasks)
}

// runAll runs tasks at most workers at a time and returns the error of
// the first task, in the order given, that failed: the same error on
// every run, whichever finished first.
func runAll(ctx context.Context, workers int, tasks []func() error) error {
	errs := make([]error, len(tasks))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i, task := range tasks {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			errs[i] = task()
			return errs[i]
		})
	}
	if err := g.Wait(); err != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, e := range errs {
			if e != nil {
				return e
			}
		}
		return err
	}
	return nil
}

func pageFor(kind, p string, site Site) *Page {
	return &Page{Site: site, Kind: kind, Path: p, root: strings.Repeat("../", strings.Count(p, "/"))}
}

// PageURL is where a page is published: a log's page above its entries
// (incidents/<id>/), any other under pages/.
func PageURL(p *incident.Page) string {
	if p.Kind == incident.KindLog {
		return "incidents/" + p.ID + "/"
	}
	return "pages/" + p.ID + "/"
}

// sortNewestFirst orders incidents by date, newest first; a date known
// only to the year or month sorts at the start of its period, so below
// the dated incidents of that period; undated ones go last; ties are
// broken by ID so the order never depends on input order.
func sortNewestFirst(vs []*IncidentView) {
	sort.SliceStable(vs, func(i, j int) bool {
		a, b := vs[i], vs[j]
		if a.Date.IsZero() != b.Date.IsZero() {
			return !a.Date.IsZero()
		}
		if !a.Date.Time.Equal(b.Date.Time) {
			return a.Date.Time.After(b.Date.Time)
		}
		if a.Date.Precision != b.Date.Precision {
			return a.Date.Precision > b.Date.Precision
		}
		return a.ID < b.ID
	})
}

// linker points links in a page's source at what the site publishes.
type linker struct {
	byPath    map[string]*incident.Incident
	pages     map[string]*PageView
	published func(string) bool
}

// resolver maps links in the source at path src, shown at url, to what
// the page needs: a link to another postmortem's source file becomes a
// link to that postmortem's page, one to a page's source a link to the
// page, and an image from a folder above the postmortem's a link to where
// it is published.
func (l linker) resolver(src string, inc *incident.Incident, url string) func(string) string {
	root := strings.Repeat("../", strings.Count(url+"index.html", "/"))
	return func(dest string) string {
		frag := ""
		if i := strings.IndexByte(dest, '#'); i >= 0 {
			frag = dest[i:]
		}
		if inc != nil {
			if t, ok := incident.ResolveLink(inc, dest, l.byPath); ok {
				return root + "incidents/" + t.ID + "/" + frag
			}
		}
		for _, c := range incident.LinkCandidates(src, dest) {
			if p, ok := l.pages[c]; ok && p.Path != src {
				return root + p.URL + frag
			}
		}
		if p, ok := markup.LocalPath(dest); ok && strings.HasPrefix(p, "../") && l.published != nil {
			target := path.Join(path.Dir(src), p)
			if !strings.HasPrefix(target, "../") && l.published("files/"+target) {
				return root + "files/" + target
			}
		}
		return dest
	}
}

func copyAssets(w Writer, assets fs.FS) error {
	if assets == nil {
		return nil
	}
	return fs.WalkDir(assets, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("assets: %w", err)
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		b, err := fs.ReadFile(assets, p)
		if err != nil {
			return fmt.Errorf("assets: %w", err)
		}
		// The search worker and module live beside the search page and
		// its index, so the worker finds them relative to itself.
		if strings.HasPrefix(p, "search/") {
			return w.WriteFile(p, b)
		}
		return w.WriteFile("assets/"+p, b)
	})
}

// layoutSet holds one parsed layout per page kind.
type layoutSet map[string]*layout

// layout is the templates of one page kind: base.html, the partials and
// the kind's own file.
type layout struct {
	t *template.Template
	// shared names the templates that read nothing of a page but what
	// [Page.Shared] keys its copies by.
	shared map[string]bool
	// size is the last page of this kind made: the next one starts in a
	// buffer a little larger, rather than growing into it copy by copy,
	// which was half of what rendering allocated at 10,000 incidents.
	size atomic.Int64
}

func pageKinds() []string {
	return []string{"home.html", "incident.html", "page.html", "review.html", "search.html", "terms.html", "term.html", "timeline.html", "actions.html", "404.html", "year.html"}
}

// connect fills in each view's systems, causes, related incidents and
// backlinks from the graph, and returns the term pages to render.
func connect(g *graph.Graph, views []*IncidentView) (systems, causes []*TermView) {
	if g == nil {
		return nil, nil
	}
	byID := make(map[string]*IncidentView, len(views))
	for _, v := range views {
		byID[v.ID] = v
	}
	ref := func(id string) IncidentRef { return IncidentRef{byID[id]} }
	termViews := func(terms []*graph.Term, kind, dir string) ([]*TermView, map[*graph.Term]*TermView) {
		out := make([]*TermView, 0, len(terms))
		idx := map[*graph.Term]*TermView{}
		for _, t := range terms {
			tv := &TermView{Name: t.Name, URL: dir + "/" + t.Slug + "/", Kind: kind, Declared: t.Declared}
			for _, inc := range t.Incidents {
				if v := byID[inc.ID]; v != nil {
					tv.Incidents = append(tv.Incidents, v)
				}
			}
			out = append(out, tv)
			idx[t] = tv
		}
		return out, idx
	}
	systems, sysIdx := termViews(g.Systems, "system", "systems")
	causes, cauIdx := termViews(g.Causes, "cause", "causes")
	for _, v := range views {
		l := g.Of(v.Incident)
		for _, t := range l.Systems {
			v.SystemTerms = append(v.SystemTerms, TermRef{Name: t.Name, URL: sysIdx[t].URL, Declared: l.Declared(t)})
		}
		for _, t := range l.Causes {
			v.CauseTerms = append(v.CauseTerms, TermRef{Name: t.Name, URL: cauIdx[t].URL, Declared: l.Declared(t)})
		}
		for _, r := range l.Related {
			v.Related = append(v.Related, RelatedRef{IncidentRef: ref(r.Incident.ID), Shared: r.Shared})
		}
		for _, inc := range l.LinkedFrom {
			v.LinkedFrom = append(v.LinkedFrom, ref(inc.ID))
		}
	}
	return systems, causes
}

// sectionFindings names the sections reported missing or empty, errors
// (required sections) before warnings.
func sectionFindings(ds []lint.Diagnostic) (missing, empty []string) {
	for _, sev := range []lint.Severity{lint.Error, lint.Warning} {
		for _, d := range ds {
			if d.Severity != sev {
				continue
			}
			switch d.Rule {
			case lint.SectionMissing:
				missing = append(missing, d.Subject)
			case lint.SectionEmpty:
				empty = append(empty, d.Subject)
			}
		}
	}
	return missing, empty
}

func funcs() template.FuncMap {
	return template.FuncMap{
		"date":     showDate,
		"moment":   showMoment,
		"until":    showUntil,
		"datetime": machineDate,
		"join":     func(s []string) string { return strings.Join(s, ", ") },
		"lower":    strings.ToLower,
		"slug":     markup.Slug,
		"dur":      Dur,
		"offset":   Offset,
		"duration": FormatDuration,
		"isURL":    func(s string) bool { return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") },
	}
}

// showDate shows a date as precisely as it is known, to the day: "2023",
// "Oct 2023", "2023-10-05"; "" for none. It takes a time.Time too, for
// layouts written before dates could be partial.
func showDate(v any) string {
	switch d := v.(type) {
	case when.Date:
		if d.Precision > when.Day {
			d.Precision = when.Day
		}
		return d.String()
	case time.Time:
		if d.IsZero() {
			return ""
		}
		return d.Format("2006-01-02")
	}
	return ""
}

// showMoment shows a date with its time of day and zone when it has
// one: "2023-10-05 14:05 PDT".
func showMoment(v any) string {
	if d, ok := v.(when.Date); ok {
		if d.Precision == when.Minute {
			// The zone is always shown: a time without one is read in
			// every reader's own zone.
			return d.Time.Format("2006-01-02 15:04 MST")
		}
		return d.String()
	}
	return showDate(v)
}

// showUntil shows the end of a span: only its time when it ends on the
// day it started ("21:55 EDT"), else in full.
func showUntil(start, end when.Date) string {
	if start.Precision == when.Minute && end.Precision == when.Minute {
		s, e := start.Time, end.Time.In(start.Time.Location())
		if s.Year() == e.Year() && s.YearDay() == e.YearDay() {
			return e.Format("15:04 MST")
		}
	}
	return showMoment(end)
}

// machineDate is the date for a <time datetime> attribute: "2023",
// "2023-10", "2023-10-05" or RFC 3339.
func machineDate(v any) string {
	switch d := v.(type) {
	case when.Date:
		return d.ISO()
	case time.Time:
		if !d.IsZero() {
			return d.Format(time.RFC3339)
		}
	}
	return ""
}

func parseLayouts(fsys fs.FS) (layoutSet, error) {
	partials, err := fs.Glob(fsys, "partials/*.html")
	if err != nil {
		return nil, err
	}
	sort.Strings(partials)
	set := layoutSet{}
	for _, kind := range pageKinds() {
		t := template.New("base.html").Funcs(funcs()).Option("missingkey=error")
		for _, name := range append(append([]string{"base.html"}, partials...), kind) {
			b, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("layouts/%s: %w", name, err)
			}
			tt := t
			if name != "base.html" {
				// Partials are named by file name: {{template "toc.html" .}}.
				tt = t.New(path.Base(name))
			}
			if _, err := tt.Parse(string(b)); err != nil {
				return nil, fmt.Errorf("layouts/%s: %w", name, err)
			}
		}
		set[kind] = &layout{t: t, shared: pageShared(t)}
	}
	return set, nil
}

func (s layoutSet) execute(kind string, p *Page) ([]byte, error) {
	p.set = s[kind]
	// A page far larger than the others (a postmortem of megabytes) does
	// not make every later one start that large.
	last := min(p.set.size.Load(), 1<<20)
	b := bytes.NewBuffer(make([]byte, 0, last+last/8+512))
	if err := p.set.t.ExecuteTemplate(b, "base.html", p); err != nil {
		return nil, fmt.Errorf("layouts/%s: %w", kind, err)
	}
	p.set.size.Store(int64(b.Len()))
	return b.Bytes(), nil
}

func (s layoutSet) render(w Writer, kind string, p *Page) error {
	if sw, ok := w.(Streamer); ok && kind != "incident.html" {
		f, err := sw.Create(p.Path)
		if err != nil {
			return err
		}
		p.set = s[kind]
		err = p.set.t.ExecuteTemplate(f, "base.html", p)
		if cerr := f.Close(); err == nil {
			err = cerr
		} else {
			err = fmt.Errorf("layouts/%s: %w", kind, err)
		}
		return err
	}
	b, err := s.execute(kind, p)
	if err != nil {
		return err
	}
	return w.WriteFile(p.Path, b)
}
