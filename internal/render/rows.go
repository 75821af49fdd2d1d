package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/kb-postmortems/kb/internal/spool"
	"github.com/kb-postmortems/kb/internal/timeline"
	"github.com/kb-postmortems/kb/internal/when"
)

// made keeps what one rendering made once for many pages: the rows of
// incident lists (see [Page.Row]) and the partials that are the same on
// every page of a kind and depth (see [Page.Shared]). Two pages may make
// the same thing at once; both get the same bytes, and one is kept.
type made struct {
	mu sync.Mutex
	// copies are keyed by a rowKey or a sharedKey.
	copies map[any]template.HTML
	// keep, when set, holds the rows instead, out of memory; kept says
	// where each row is.
	keep Keeper
	kept map[rowKey]spool.Ref
	// rowRuns and sharedRuns count the executions, for tests;
	// singleRuns the rows made for one page alone.
	rowRuns, sharedRuns, singleRuns int
}

func newMade() *made {
	return &made{copies: map[any]template.HTML{}, kept: map[rowKey]spool.Ref{}}
}

// A Keeper holds byte strings out of memory until they are read back: in
// a build, the spool (see internal/spool). The rows a site's list pages
// share were a third of the heap while those pages were made, at 100,000
// incidents.
type Keeper interface {
	Put(b []byte) (spool.Ref, error)
	Get(r spool.Ref) ([]byte, error)
}

// row is once for rows: with a Keeper, each row is kept there and read
// back for each page that lists it.
func (m *made) row(k rowKey, mk func() (template.HTML, error)) (template.HTML, error) {
	if m == nil || m.keep == nil {
		var runs *int
		if m != nil {
			runs = &m.rowRuns
		}
		return m.once(k, runs, mk)
	}
	m.mu.Lock()
	r, ok := m.kept[k]
	m.mu.Unlock()
	if ok {
		b, err := m.keep.Get(r)
		if err != nil {
			return "", fmt.Errorf("row of %s: %w", k.v.ID, err)
		}
		return template.HTML(b), nil
	}
	h, err := mk()
	if err != nil {
		return "", err
	}
	if r, err = m.keep.Put([]byte(h)); err != nil {
		return "", fmt.Errorf("row of %s: %w", k.v.ID, err)
	}
	m.mu.Lock()
	m.kept[k] = r
	m.rowRuns++
	m.mu.Unlock()
	return h, nil
}

// once returns the copy kept under k, or makes it with mk, counts the run
// in runs and keeps it. A nil made keeps nothing.
func (m *made) once(k any, runs *int, mk func() (template.HTML, error)) (template.HTML, error) {
	if m == nil {
		return mk()
	}
	m.mu.Lock()
	h, ok := m.copies[k]
	m.mu.Unlock()
	if ok {
		return h, nil
	}
	h, err := mk()
	if err != nil {
		return "", err
	}
	m.mu.Lock()
	m.copies[k] = h
	*runs++
	m.mu.Unlock()
	return h, nil
}

// RowView is what a row partial (see [Page.Row]) receives: one incident,
// the site, and Link as the page listing it sees it. It holds nothing else
// of that page, so a row reads the same on every page at the same depth
// and is made once for all of them.
//
// It repeats the fields the default rows read. A template finds a field
// promoted from an embedded struct by a breadth-first search through the
// embedded types, on every evaluation; the copies are found at once, and
// hold the same values.
type RowView struct {
	*IncidentView
	Site Site
	root string

	ID, Title, Summary, Severity, URL string
	Date                              when.Date
	Systems, Causes                   []string
	SystemTerms, CauseTerms           []TermRef
	Details                           *timeline.Details
	Recurs                            []IncidentRef
}

func newRowView(v *IncidentView, site Site, root string) *RowView {
	return &RowView{
		IncidentView: v, Site: site, root: root,
		ID: v.ID, Title: v.Title, Summary: v.Summary, Severity: v.Severity, URL: v.URL,
		Date: v.Date, Systems: v.Systems, Causes: v.Causes,
		SystemTerms: v.SystemTerms, CauseTerms: v.CauseTerms,
		Details: v.Details, Recurs: v.Recurs,
	}
}

// Link returns the URL of the site path target from the page listing the
// row.
func (r *RowView) Link(target string) string {
	return r.root + strings.TrimPrefix(target, "/")
}

// rowKey names one row. The layout is part of it because a page kind's
// own file may define a partial anew for its pages alone.
type rowKey struct {
	set  *layout
	name string
	root string
	v    *IncidentView
}

// Row renders the partial name for the incident v as a row of this page's
// lists: {{range .Incidents}}{{$.Row "incident-row.html" .}}{{end}}. The
// partial receives a [*RowView]. An incident is listed on the home page,
// the timeline and the pages of each of its systems, causes and
// severity; its row is made once per depth of those pages and reused, so
// a list costs little more than copying its rows.
func (p *Page) Row(name string, v *IncidentView) (template.HTML, error) {
	if p.set == nil {
		return "", fmt.Errorf("Row %q: the page has no layout", name)
	}
	mk := func() (template.HTML, error) {
		var b bytes.Buffer
		if err := p.set.t.ExecuteTemplate(&b, name, newRowView(v, p.Site, p.root)); err != nil {
			return "", fmt.Errorf("row of %s: %w", v.ID, err)
		}
		return template.HTML(b.String()), nil
	}
	if p.single {
		// The home page and the year pages are the only pages of their
		// layouts, and each lists an incident once: a kept copy would
		// never be read.
		if p.made != nil {
			p.made.mu.Lock()
			p.made.singleRuns++
			p.made.mu.Unlock()
		}
		return mk()
	}
	return p.made.row(rowKey{set: p.set, name: name, root: p.root, v: v}, mk)
}
