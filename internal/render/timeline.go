package render

import (
	"fmt"
	"sort"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/timeline"
	"github.com/kb-postmortems/kb/internal/when"
)

// TimelineView is the timeline page: every incident of a set (all, or
// those of one system, cause or severity) on one axis, with the charts
// and measures of that set.
type TimelineView struct {
	// Filter names the set ("" for all incidents), Kind what it is
	// ("system", "cause", "severity").
	Filter, Kind string
	Years        []*YearView
	Undated      []*IncidentView
	Charts       []Chart
	Metrics      timeline.Metrics
	// Systems, Causes and Severities link to the filtered pages.
	Systems, Causes, Severities []FilterLink
	// Counts are the incidents per year (newest first) and severity, in
	// the columns of SeverityHead.
	SeverityHead []string
	Counts       []YearCount
}

// YearCount is one row of the counts by year and severity.
type YearCount struct {
	Year   int
	Counts []int
	Total  int
}

// YearView is one year of the timeline page.
type YearView struct {
	Year   int
	Anchor string
	Count  int
	Months []*MonthView
}

// MonthView is one month of a year; Label is "March", or "Date known only
// to the year" for incidents that give no month.
type MonthView struct {
	Label, Anchor string
	Incidents     []*IncidentView
}

// FilterLink is one filtered timeline page.
type FilterLink struct {
	Name, URL string
	Count     int
}

// ActionRow is one follow-up item on the actions page.
type ActionRow struct {
	timeline.Action
	Incident *IncidentView
}

// Dur shows a known duration, or "unknown".
func Dur(s timeline.Span) string {
	if !s.Known() {
		return "unknown"
	}
	return FormatDuration(s.D)
}

// Offset shows an event's offset from the first timed event: "T+0:47".
func Offset(e timeline.Event) string {
	if !e.HasOffset {
		return ""
	}
	m, sign := int(e.Offset/time.Minute), "+"
	if m < 0 {
		// Before the first timed event: an event out of order.
		m, sign = -m, "−"
	}
	return fmt.Sprintf("T%s%d:%02d", sign, m/60, m%60)
}

// timelineView places views on the axis; views are newest first.
func timelineView(views []*IncidentView, tl *timeline.Timeline, severities []string) *TimelineView {
	tv := &TimelineView{}
	var year *YearView
	var month *MonthView
	incs := make([]*incident.Incident, 0, len(views))
	for _, v := range views {
		incs = append(incs, v.Incident)
		if v.Date.IsZero() {
			tv.Undated = append(tv.Undated, v)
			continue
		}
		y := v.Date.Time.Year()
		if year == nil || year.Year != y {
			year = &YearView{Year: y, Anchor: fmt.Sprintf("y%d", y)}
			tv.Years = append(tv.Years, year)
			month = nil
		}
		label, anchor := "Date known only to the year", fmt.Sprintf("y%d", y)+"-year"
		if v.Date.Precision >= when.Month {
			label, anchor = v.Date.Time.Month().String(), fmt.Sprintf("y%d-%02d", y, int(v.Date.Time.Month()))
		}
		if month == nil || month.Anchor != anchor {
			month = &MonthView{Label: label, Anchor: anchor}
			year.Months = append(year.Months, month)
		}
		month.Incidents = append(month.Incidents, v)
		year.Count++
	}
	sevs := severityOrder(incs, severities)
	tv.SeverityHead = sevNames(sevs)
	for _, y := range tv.Years {
		row := YearCount{Year: y.Year, Counts: make([]int, len(sevs))}
		for _, m := range y.Months {
			for _, v := range m.Incidents {
				for i, s := range sevs {
					if v.Severity == s {
						row.Counts[i]++
					}
				}
				row.Total++
			}
		}
		tv.Counts = append(tv.Counts, row)
	}
	tv.Charts = []Chart{monthsChart(incs, sevs), durationsChart(incs, func(inc *incident.Incident) (time.Duration, bool) {
		if d := tl.ByID[inc.ID]; d != nil && d.Durations.Resolve.Known() {
			return d.Durations.Resolve.D, true
		}
		return 0, false
	}), systemsChart(incs)}
	return tv
}

// filterLinks lists the filtered pages of a kind, most incidents first.
func filterLinks(views []*IncidentView, kind string, names func(*IncidentView) []string) ([]FilterLink, map[string][]*IncidentView) {
	// Names are grouped by their slug, which is the page's address: "API"
	// and "api" are one page, named as first written (newest first).
	// A name with no letters or digits has no page.
	sets := map[string][]*IncidentView{}
	name := map[string]string{}
	for _, v := range views {
		seen := map[string]bool{}
		for _, n := range names(v) {
			sl := markup.Slug(n)
			if sl == "" || seen[sl] {
				continue
			}
			seen[sl] = true
			if _, ok := name[sl]; !ok {
				name[sl] = n
			}
			sets[name[sl]] = append(sets[name[sl]], v)
		}
	}
	var out []FilterLink
	for n, vs := range sets {
		out = append(out, FilterLink{Name: n, URL: "timeline/" + kind + "/" + markup.Slug(n) + "/", Count: len(vs)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Name < out[j].Name
	})
	return out, sets
}

// timelineTasks make timeline/ and its filtered pages, and actions/, a
// page each: the pages over all incidents are the largest of a site, and
// side by side with the others they do not hold up the end of a build.
func timelineTasks(set layoutSet, w Writer, views []*IncidentView, tl *timeline.Timeline, severities []string, newPage func(kind, p string) *Page) []func() error {
	systems, bySys := filterLinks(views, "system", func(v *IncidentView) []string { return v.Systems })
	causes, byCause := filterLinks(views, "cause", func(v *IncidentView) []string { return v.Causes })
	sevs, bySev := filterLinks(views, "severity", func(v *IncidentView) []string { return []string{v.Severity} })
	// Severities read in the site's order, not by count.
	order := map[string]int{}
	for i, s := range severities {
		order[s] = i + 1
	}
	sort.SliceStable(sevs, func(i, j int) bool {
		a, b := order[sevs[i].Name], order[sevs[j].Name]
		if a == 0 || b == 0 {
			return a != 0 && b == 0
		}
		return a < b
	})
	page := func(p string, vs []*IncidentView, filter, kind string, m func() timeline.Metrics) func() error {
		return func() error {
			tv := timelineView(vs, tl, severities)
			tv.Filter, tv.Kind, tv.Metrics = filter, kind, m()
			tv.Systems, tv.Causes, tv.Severities = systems, causes, sevs
			pg := newPage("timeline", p)
			pg.Title = "Timeline"
			if filter != "" {
				pg.Title = "Timeline: " + filter
			}
			pg.Timeline = tv
			return set.render(w, "timeline.html", pg)
		}
	}
	tasks := []func() error{page("timeline/index.html", views, "", "", func() timeline.Metrics { return tl.Site })}
	for _, f := range []struct {
		kind  string
		links []FilterLink
		sets  map[string][]*IncidentView
	}{{"system", systems, bySys}, {"cause", causes, byCause}, {"severity", sevs, bySev}} {
		for _, l := range f.links {
			vs := f.sets[l.Name]
			tasks = append(tasks, page(l.URL+"index.html", vs, l.Name, f.kind, func() timeline.Metrics {
				incs := make([]*incident.Incident, len(vs))
				for i, v := range vs {
					incs[i] = v.Incident
				}
				return tl.Measure(incs)
			}))
		}
	}
	return append(tasks, func() error { return renderActions(set, w, views, newPage) })
}

// renderActions renders actions/.
func renderActions(set layoutSet, w Writer, views []*IncidentView, newPage func(kind, p string) *Page) error {
	// Open follow-up work, oldest incident first: what was promised
	// longest ago and is still not done.
	var rows []ActionRow
	for i := len(views) - 1; i >= 0; i-- {
		v := views[i]
		if v.Details == nil || v.Date.IsZero() {
			continue
		}
		for _, a := range v.Details.Actions {
			if a.State == timeline.Open {
				rows = append(rows, ActionRow{Action: a, Incident: v})
			}
		}
	}
	// Undated incidents go last: no one can say how long theirs wait.
	for _, v := range views {
		if v.Details != nil && v.Date.IsZero() {
			for _, a := range v.Details.Actions {
				if a.State == timeline.Open {
					rows = append(rows, ActionRow{Action: a, Incident: v})
				}
			}
		}
	}
	ap := newPage("actions", "actions/index.html")
	ap.Title, ap.Actions = "Open action items", rows
	open := map[string]int{}
	for _, r := range rows {
		for _, s := range r.Incident.Systems {
			if markup.Slug(s) != "" {
				open[s]++
			}
		}
	}
	for n, c := range open {
		ap.OpenBySystem = append(ap.OpenBySystem, FilterLink{Name: n, URL: "systems/" + markup.Slug(n) + "/", Count: c})
	}
	sort.Slice(ap.OpenBySystem, func(i, j int) bool {
		a, b := ap.OpenBySystem[i], ap.OpenBySystem[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Name < b.Name
	})
	return set.render(w, "actions.html", ap)
}

// EventRow is an event as the incident page lists it: Label is its time,
// with the date only where the day changes and the zone only on the
// first timed event, so a column of times stays readable.
type EventRow struct {
	timeline.Event
	Label string
}

// EventRows are the incident's events with their labels.
func (v *IncidentView) EventRows() []EventRow {
	if v.Details == nil {
		return nil
	}
	rows := make([]EventRow, len(v.Details.Events))
	var last time.Time
	for i, e := range v.Details.Events {
		rows[i].Event = e
		if e.At.Precision < when.Minute {
			if !e.At.IsZero() {
				rows[i].Label = showDate(e.At)
			}
			continue
		}
		t := e.At.Time
		switch {
		case last.IsZero():
			rows[i].Label = t.Format("2006-01-02 15:04 MST")
		case t.Year() != last.Year() || t.YearDay() != last.YearDay():
			rows[i].Label = t.Format("Jan 2 15:04")
		default:
			rows[i].Label = t.Format("15:04")
		}
		last = t
	}
	return rows
}
