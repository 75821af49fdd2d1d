package render

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/when"
)

// DefaultPerPage is how many incidents the home page, and each page of a
// year, list when Input.PerPage is 0. Listing every incident on the home
// page made it 57 MB at 100,000 incidents; two hundred rows are many
// screens, and tens of kilobytes however large the site.
const DefaultPerPage = 200

// topSystems is how many systems the filters of the home page and of a
// year page name, the most common first; systems/ lists them all.
const topSystems = 12

// undated is the key, the URL segment and the filter value of the
// incidents whose year is not known.
const undated = "undated"

// IndexView is the index of incidents on the home page and on a year
// page: the rows of the page under their headings, and what the set
// holds (the whole site, or one year) counted by severity, year and
// system, each count a link to a page that lists only those incidents.
type IndexView struct {
	// Total counts the incidents of the set, Shown the rows of this
	// page.
	Total, Shown int
	// Year is the year a year page lists ("2023", or "undated"); "" on
	// the home page.
	Year string
	// Groups are the rows of this page under their headings: by year on
	// the home page, by month on a year page.
	Groups []*Group
	// Severities (in the site's order), Years (newest first, undated
	// last) and Systems (the most common of the set) count its
	// incidents.
	Severities, Years, Systems []Facet
	// AllSystems counts the systems of the set; Systems names at most
	// a dozen of them.
	AllSystems int
	// Pager leads to the other pages of a year of more than PerPage
	// incidents; nil when there are none.
	Pager *Pager
}

// Facet is one value to filter by: how many incidents of the set have it,
// and a page that lists only those.
type Facet struct {
	// Kind is "severity", "system" or "year".
	Kind string
	// Name is the value as shown ("SEV1", "postgres", "2023",
	// "Undated"); Value as the page's URL (?severity=sev1) and the rows'
	// data attributes name it.
	Name, Value string
	// URL is the site path of a page listing only these incidents; on a
	// year page, the severity's and the system's pages open at the year
	// (#y2023). "" when the site has no such page.
	URL   string
	Count int
	// Current marks the year of the year page it is on.
	Current bool
}

// Group is a heading of an incident list and the rows under it.
type Group struct {
	// Label is the heading ("2023", "March 2023", "Undated"), ID its
	// anchor ("y2023", "y2023-03", "undated").
	Label, ID string
	// Count is how many incidents the heading has in the set, on this
	// page or others; URL, when not "", the page that lists them all.
	Count     int
	URL       string
	Incidents []*IncidentView
}

// Pager leads through the pages of a year: years/2023/,
// years/2023/page/2/ and on.
type Pager struct {
	// Page is this page's number, from 1; Pages how many there are.
	Page, Pages int
	// Prev and Next are the site paths of the pages around this one,
	// "" at either end.
	Prev, Next string
	Links      []PageLink
}

// PageLink is one page of a year.
type PageLink struct {
	Number  int
	URL     string
	Current bool
}

// Slug is the term's name as its page's address has it: the value the
// rows' data-systems attribute and the ?system= filter use.
func (t TermRef) Slug() string {
	return strings.TrimSuffix(t.URL[strings.LastIndexByte(strings.TrimSuffix(t.URL, "/"), '/')+1:], "/")
}

// SystemsShown are the systems a row of an incident list names: those
// the incident declares in its metadata or, when it declares none, those
// recognised in its text, so that no row is blank when the text says
// which systems were hit.
func (v *IncidentView) SystemsShown() []TermRef {
	var declared []TermRef
	for _, t := range v.SystemTerms {
		if t.Declared {
			declared = append(declared, t)
		}
	}
	if declared != nil {
		return declared
	}
	return v.SystemTerms
}

// Year is the year of the incident as the year pages file it: "2023", or
// "undated" when its date, or the year of its date, is not known.
func (v *IncidentView) Year() string { return yearOf(v) }

func yearOf(v *IncidentView) string {
	if v.Date.IsZero() || v.Date.Time.Year() <= 0 {
		return undated
	}
	return strconv.Itoa(v.Date.Time.Year())
}

// yearURL is the first page of a year; page n > 1 is under page/n/.
func yearURL(year string, n int) string {
	if n <= 1 {
		return "years/" + year + "/"
	}
	return fmt.Sprintf("years/%s/page/%d/", year, n)
}

// yearID is the anchor of a year, as the timeline and the term pages
// name their sections.
func yearID(year string) string {
	if year == undated {
		return undated
	}
	return "y" + year
}

func yearLabel(year string) string {
	if year == undated {
		return "Undated"
	}
	return year
}

// yearSet is the incidents of one year, newest first.
type yearSet struct {
	year  string
	views []*IncidentView
}

// byYear splits incidents (newest first) by year: newest year first,
// undated last.
func byYear(views []*IncidentView) []*yearSet {
	var out []*yearSet
	idx := map[string]*yearSet{}
	for _, v := range views {
		y := yearOf(v)
		s := idx[y]
		if s == nil {
			s = &yearSet{year: y}
			idx[y] = s
			out = append(out, s)
		}
		s.views = append(s.views, v)
	}
	// Newest first already, but for incidents of year 0 (a day without
	// its year), which sort after the others and are undated here.
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].year, out[j].year
		if (a == undated) != (b == undated) {
			return b == undated
		}
		ya, _ := strconv.Atoi(a)
		yb, _ := strconv.Atoi(b)
		return ya > yb
	})
	return out
}

// facetSet is what the index pages of a rendering share: which filtered
// pages exist, and the order of severities.
type facetSet struct {
	// severityPages says whether timeline/severity/<slug>/ exists (the
	// site has a timeline).
	severityPages bool
	order         map[string]int
	years         []Facet
}

// severities counts the incidents of views by severity, in the site's
// order and then by name; at, when not "", is the year the links open
// at.
func (f *facetSet) severities(views []*IncidentView, at string) []Facet {
	count := map[string]int{}
	name := map[string]string{}
	for _, v := range views {
		sl := markup.Slug(v.Severity)
		if sl == "" {
			continue
		}
		if _, ok := name[sl]; !ok {
			name[sl] = v.Severity
		}
		count[sl]++
	}
	out := make([]Facet, 0, len(count))
	for sl, n := range count {
		fc := Facet{Kind: "severity", Name: name[sl], Value: sl, Count: n}
		if f.severityPages {
			fc.URL = "timeline/severity/" + sl + "/" + anchorAt(at)
		}
		out = append(out, fc)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := f.order[out[i].Name], f.order[out[j].Name]
		if a != b {
			if a == 0 || b == 0 {
				return a != 0
			}
			return a < b
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// systems counts the incidents of views by system (declared or
// recognised, as the systems' own pages list them), the most common
// first, and returns at most topSystems of them and how many there are.
func (f *facetSet) systems(views []*IncidentView, at string) ([]Facet, int) {
	count := map[string]int{}
	name := map[string]string{}
	for _, v := range views {
		for _, t := range v.SystemTerms {
			count[t.URL]++
			name[t.URL] = t.Name
		}
	}
	out := make([]Facet, 0, len(count))
	for u, n := range count {
		out = append(out, Facet{Kind: "system", Name: name[u], Value: TermRef{URL: u}.Slug(), URL: u + anchorAt(at), Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Value < out[j].Value
	})
	return out[:min(len(out), topSystems)], len(out)
}

// anchorAt is the fragment of a page of every year that opens it at the
// year given, or "" for none.
func anchorAt(year string) string {
	if year == "" {
		return ""
	}
	return "#" + yearID(year)
}

// yearsOf is the facet of each year.
func yearsOf(sets []*yearSet) []Facet {
	out := make([]Facet, len(sets))
	for i, s := range sets {
		out[i] = Facet{Kind: "year", Name: yearLabel(s.year), Value: s.year, URL: yearURL(s.year, 1), Count: len(s.views)}
	}
	return out
}

// homeIndex is the home page's index: the newest perPage incidents by
// year, and the counts over all of them.
func (f *facetSet) homeIndex(views []*IncidentView, perPage int) (*IndexView, []*IncidentView) {
	shown := views[:min(len(views), perPage)]
	ix := &IndexView{Total: len(views), Shown: len(shown), Years: f.years}
	ix.Severities = f.severities(views, "")
	ix.Systems, ix.AllSystems = f.systems(views, "")
	total := map[string]int{}
	for _, y := range f.years {
		total[y.Value] = y.Count
	}
	for _, s := range byYear(shown) {
		ix.Groups = append(ix.Groups, &Group{Label: yearLabel(s.year), ID: yearID(s.year), Count: total[s.year], URL: yearURL(s.year, 1), Incidents: s.views})
	}
	return ix, shown
}

// yearPages are the pages of one year: the first at years/<year>/, the
// others at years/<year>/page/<n>/, each of perPage incidents at most.
func (f *facetSet) yearPages(s *yearSet, perPage int) []*IndexView {
	sevs := f.severities(s.views, s.year)
	systems, all := f.systems(s.views, s.year)
	years := make([]Facet, len(f.years))
	for i, y := range f.years {
		y.Current = y.Value == s.year
		years[i] = y
	}
	// The months' headings count the month's incidents on every page.
	months := map[string]int{}
	for _, v := range s.views {
		months[monthID(v, s.year)]++
	}
	pages := (len(s.views) + perPage - 1) / perPage
	var links []PageLink
	for n := 1; n <= pages && pages > 1; n++ {
		links = append(links, PageLink{Number: n, URL: yearURL(s.year, n)})
	}
	out := make([]*IndexView, pages)
	for n := 1; n <= pages; n++ {
		rows := s.views[(n-1)*perPage : min(len(s.views), n*perPage)]
		ix := &IndexView{Total: len(s.views), Shown: len(rows), Year: s.year, Severities: sevs, Years: years, Systems: systems, AllSystems: all}
		var g *Group
		for _, v := range rows {
			id := monthID(v, s.year)
			if g == nil || g.ID != id {
				g = &Group{Label: monthLabel(v, s.year), ID: id, Count: months[id]}
				ix.Groups = append(ix.Groups, g)
			}
			g.Incidents = append(g.Incidents, v)
		}
		if pages > 1 {
			p := &Pager{Page: n, Pages: pages, Links: make([]PageLink, len(links))}
			copy(p.Links, links)
			p.Links[n-1].Current = true
			if n > 1 {
				p.Prev = yearURL(s.year, n-1)
			}
			if n < pages {
				p.Next = yearURL(s.year, n+1)
			}
			ix.Pager = p
		}
		out[n-1] = ix
	}
	return out
}

// monthID is the anchor of an incident's month on its year's page, as
// the timeline names months: "y2023-03", or "y2023-year" for a date known
// only to the year.
func monthID(v *IncidentView, year string) string {
	switch {
	case year == undated:
		return undated
	case v.Date.Precision < when.Month:
		return "y" + year + "-year"
	}
	return fmt.Sprintf("y%s-%02d", year, int(v.Date.Time.Month()))
}

func monthLabel(v *IncidentView, year string) string {
	switch {
	case year == undated:
		return "Undated"
	case v.Date.Precision < when.Month:
		return "Date known only to the year"
	}
	return v.Date.Time.Month().String() + " " + year
}

// Groups are the incidents of the page under headings: the index's on the
// home page and on a year page, else .Incidents by year (on a system's or
// a cause's page, say), each heading with an anchor (#y2023) that the
// year pages' filters open the page at.
func (p *Page) Groups() []*Group {
	if p.Index != nil {
		return p.Index.Groups
	}
	var out []*Group
	for _, s := range byYear(p.Incidents) {
		out = append(out, &Group{Label: yearLabel(s.year), ID: yearID(s.year), Count: len(s.views), Incidents: s.views})
	}
	return out
}

// indexTasks make the home page and the pages of each year.
func indexTasks(set layoutSet, w Writer, views []*IncidentView, in Input, pages []*PageView, newPage func(kind, p string) *Page) []func() error {
	perPage := in.PerPage
	if perPage <= 0 {
		perPage = DefaultPerPage
	}
	sets := byYear(views)
	f := &facetSet{severityPages: in.Timeline != nil, order: map[string]int{}, years: yearsOf(sets)}
	for i, s := range in.Severities {
		f.order[s] = i + 1
	}
	tasks := []func() error{func() error {
		home := newPage("home", "index.html")
		home.Title, home.Pages = in.Site.Title, pages
		home.Index, home.Incidents = f.homeIndex(views, perPage)
		home.Glance = glance(views, in.Severities)
		return set.render(w, "home.html", home)
	}}
	for _, s := range sets {
		tasks = append(tasks, func() error {
			for n, ix := range f.yearPages(s, perPage) {
				p := newPage("year", yearURL(s.year, n+1)+"index.html")
				p.Title = "Incidents of " + s.year
				if s.year == undated {
					p.Title = "Undated incidents"
				}
				if ix.Pager != nil {
					p.Title += fmt.Sprintf(", page %d of %d", n+1, ix.Pager.Pages)
				}
				p.Index, p.Incidents = ix, s.views[n*perPage:n*perPage+ix.Shown]
				if err := set.render(w, "year.html", p); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return tasks
}
