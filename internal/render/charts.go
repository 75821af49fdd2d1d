package render

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/when"
)

// Charts are drawn at build time as inline SVG: no chart library runs in
// the browser, they print, and their colours come from the stylesheet
// (classes, not fills), so dark mode and print styles apply. Each chart
// carries a title and a description, and the page beside it a table with
// the same numbers.

// Chart is one chart and the table that says the same in text.
type Chart struct {
	Title string
	SVG   template.HTML
	// Head and Rows are the text alternative.
	Head []string
	Rows [][]string
}

// severityOrder lists the severities found, in the order a reader scans
// them: the site's own order when it has one, else sorted, none last.
func severityOrder(incs []*incident.Incident, site []string) []string {
	seen := map[string]bool{}
	for _, inc := range incs {
		seen[inc.Severity] = true
	}
	var out []string
	for _, s := range site {
		if seen[s] {
			out = append(out, s)
			delete(seen, s)
		}
	}
	var rest []string
	for s := range seen {
		if s != "" {
			rest = append(rest, s)
		}
	}
	sort.Strings(rest)
	out = append(out, rest...)
	if seen[""] {
		out = append(out, "")
	}
	return out
}

// monthsChart counts incidents per month, stacked by severity, from the
// first dated month to the last. Incidents known only to their year are
// not placed on it (the table says how many).
func monthsChart(incs []*incident.Incident, severities []string) Chart {
	c := Chart{Title: "Incidents per month, by severity", Head: append([]string{"Month"}, sevNames(severities)...)}
	type key struct {
		y int
		m time.Month
	}
	counts := map[key]map[string]int{}
	var first, last time.Time
	have := false
	for _, inc := range incs {
		// Years outside these are typos; one would stretch the axis over
		// centuries.
		if inc.Date.Precision < when.Month || inc.Date.Time.Year() < 1970 || inc.Date.Time.Year() > 2200 {
			continue
		}
		t := inc.Date.Time
		k := key{t.Year(), t.Month()}
		if counts[k] == nil {
			counts[k] = map[string]int{}
		}
		counts[k][inc.Severity]++
		mt := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		if !have || mt.Before(first) {
			first = mt
		}
		if !have || mt.After(last) {
			last = mt
		}
		have = true
	}
	if !have {
		return c
	}
	if min := last.AddDate(-50, 0, 0); first.Before(min) {
		first = min // half a century is as much as a chart can show
	}
	var months []key
	for t := first; !t.After(last); t = t.AddDate(0, 1, 0) {
		months = append(months, key{t.Year(), t.Month()})
	}
	maxN := 1
	for _, k := range months {
		n := 0
		for _, v := range counts[k] {
			n += v
		}
		maxN = max(maxN, n)
	}
	const w, h, pad = 720.0, 180.0, 24.0
	bw := (w - pad) / float64(len(months))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart months" viewBox="0 0 %d %d" role="img" aria-labelledby="chart-months-t" preserveAspectRatio="none">`, int(w), int(h+pad))
	fmt.Fprintf(&b, `<title id="chart-months-t">%s</title>`, template.HTMLEscapeString(c.Title))
	fmt.Fprintf(&b, `<line class="axis" x1="%g" y1="%g" x2="%g" y2="%g"/>`, pad, h, w, h)
	fmt.Fprintf(&b, `<text class="tick" x="2" y="12">%d</text><text class="tick" x="2" y="%g">0</text>`, maxN, h)
	for i, k := range months {
		x := pad + float64(i)*bw
		y := h
		total := 0
		for _, sev := range severities {
			n := counts[k][sev]
			if n == 0 {
				continue
			}
			total += n
			bh := float64(n) / float64(maxN) * (h - 8)
			y -= bh
			fmt.Fprintf(&b, `<rect class="bar sev-%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s %d: %d %s</title></rect>`,
				sevClass(sev), x+bw*0.1, y, math.Max(bw*0.8, 0.5), bh, k.m.String()[:3], k.y, n, template.HTMLEscapeString(sevLabel(sev)))
		}
		if k.m == time.January || i == 0 {
			fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%g">%d</text>`, x, h+16, k.y)
		}
		if total > 0 {
			row := []string{fmt.Sprintf("%s %d", k.m.String()[:3], k.y)}
			for _, sev := range severities {
				row = append(row, fmt.Sprint(counts[k][sev]))
			}
			c.Rows = append(c.Rows, row)
		}
	}
	b.WriteString(`</svg>`)
	c.SVG = template.HTML(b.String())
	return c
}

// maxDots is how many incidents the durations chart draws one by one;
// past it, each month is drawn as its median and middle half, so a page
// of ten thousand incidents does not carry ten thousand dots and rows.
const maxDots = 120

// durationsChart places incidents whose time to resolve is known on a
// time axis, the height being the duration on a log scale: a few long
// incidents must not flatten the rest. Many incidents are summarised by
// month.
func durationsChart(incs []*incident.Incident, resolve func(*incident.Incident) (time.Duration, bool)) Chart {
	c := Chart{Title: "Time to resolve, by date", Head: []string{"Date", "Incident", "Time to resolve"}}
	type pt struct {
		t   time.Time
		d   time.Duration
		inc *incident.Incident
	}
	var pts []pt
	for _, inc := range incs {
		if y := inc.Date.Time.Year(); y < 1970 || y > 2200 {
			continue
		}
		if d, ok := resolve(inc); ok && !inc.Date.IsZero() && d > 0 {
			pts = append(pts, pt{inc.Date.Time, d, inc})
		}
	}
	if len(pts) == 0 {
		return c
	}
	sort.Slice(pts, func(i, j int) bool {
		if !pts[i].t.Equal(pts[j].t) {
			return pts[i].t.Before(pts[j].t)
		}
		return pts[i].inc.ID < pts[j].inc.ID
	})
	t0, t1 := pts[0].t, pts[len(pts)-1].t
	span := t1.Sub(t0)
	if span <= 0 {
		span = time.Hour
	}
	lo, hi := math.Log(float64(time.Minute)), math.Log(float64(7*24*time.Hour))
	const w, h, pad = 720.0, 180.0, 40.0
	x := func(t time.Time) float64 { return pad + float64(t.Sub(t0))/float64(span)*(w-pad-8) }
	y := func(d time.Duration) float64 {
		v := math.Min(math.Max(math.Log(float64(d)), lo), hi)
		return h - (v-lo)/(hi-lo)*(h-8)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart durations" viewBox="0 0 %d %d" role="img" aria-labelledby="chart-dur-t">`, int(w), int(h+24))
	fmt.Fprintf(&b, `<title id="chart-dur-t">%s</title>`, template.HTMLEscapeString(c.Title))
	for _, g := range []struct {
		d time.Duration
		l string
	}{{time.Minute, "1m"}, {time.Hour, "1h"}, {24 * time.Hour, "1d"}, {7 * 24 * time.Hour, "7d"}} {
		gy := y(g.d)
		fmt.Fprintf(&b, `<line class="grid" x1="%g" y1="%.1f" x2="%g" y2="%.1f"/><text class="tick" x="2" y="%.1f">%s</text>`, pad, gy, w, gy, gy+4, g.l)
	}
	if len(pts) <= maxDots {
		for _, p := range pts {
			fmt.Fprintf(&b, `<circle class="dot sev-%s" cx="%.1f" cy="%.1f" r="4"><title>%s: %s</title></circle>`,
				sevClass(p.inc.Severity), x(p.t), y(p.d), template.HTMLEscapeString(p.inc.Title), FormatDuration(p.d))
			c.Rows = append(c.Rows, []string{showDate(p.inc.Date), p.inc.Title, FormatDuration(p.d)})
		}
	} else {
		c.Title = "Time to resolve by month: median and middle half"
		c.Head = []string{"Month", "Incidents", "Median", "Middle half"}
		for i := 0; i < len(pts); {
			j := i
			for j < len(pts) && pts[j].t.Year() == pts[i].t.Year() && pts[j].t.Month() == pts[i].t.Month() {
				j++
			}
			ds := make([]time.Duration, 0, j-i)
			for _, p := range pts[i:j] {
				ds = append(ds, p.d)
			}
			sort.Slice(ds, func(a, b int) bool { return ds[a] < ds[b] })
			q := func(f float64) time.Duration { return ds[int(f*float64(len(ds)-1)+0.5)] }
			med, p25, p75 := q(0.5), q(0.25), q(0.75)
			mx := x(time.Date(pts[i].t.Year(), pts[i].t.Month(), 15, 0, 0, 0, 0, pts[i].t.Location()))
			label := fmt.Sprintf("%s %d", pts[i].t.Month().String()[:3], pts[i].t.Year())
			fmt.Fprintf(&b, `<line class="spread" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/><circle class="dot" cx="%.1f" cy="%.1f" r="3"><title>%s: median %s of %d</title></circle>`,
				mx, y(p25), mx, y(p75), mx, y(med), label, FormatDuration(med), len(ds))
			c.Rows = append(c.Rows, []string{label, fmt.Sprint(len(ds)), FormatDuration(med), FormatDuration(p25) + "–" + FormatDuration(p75)})
			i = j
		}
	}
	fmt.Fprintf(&b, `<text class="tick" x="%g" y="%g">%d</text><text class="tick end" x="%g" y="%g">%d</text>`, pad, h+18, t0.Year(), w-8, h+18, t1.Year())
	b.WriteString(`</svg>`)
	c.SVG = template.HTML(b.String())
	return c
}

// systemsChart counts incidents per declared system, most first, at most
// fifteen.
func systemsChart(incs []*incident.Incident) Chart {
	c := Chart{Title: "Incidents per system", Head: []string{"System", "Incidents"}}
	counts := map[string]int{}
	for _, inc := range incs {
		for _, s := range inc.Systems {
			counts[s]++
		}
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if counts[names[i]] != counts[names[j]] {
			return counts[names[i]] > counts[names[j]]
		}
		return names[i] < names[j]
	})
	if len(names) > 15 {
		names = names[:15]
	}
	if len(names) == 0 {
		return c
	}
	maxN := counts[names[0]]
	const w, row, label = 720.0, 20.0, 160.0
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart systems" viewBox="0 0 %d %d" role="img" aria-labelledby="chart-sys-t">`, int(w), int(row*float64(len(names))+4))
	fmt.Fprintf(&b, `<title id="chart-sys-t">%s</title>`, template.HTMLEscapeString(c.Title))
	for i, n := range names {
		y := float64(i) * row
		bw := float64(counts[n]) / float64(maxN) * (w - label - 40)
		fmt.Fprintf(&b, `<text class="label" x="%g" y="%.1f">%s</text><rect class="bar" x="%g" y="%.1f" width="%.1f" height="%g"/><text class="tick" x="%.1f" y="%.1f">%d</text>`,
			label-6, y+14, template.HTMLEscapeString(n), label, y+3, bw, row-6, label+bw+4, y+14, counts[n])
		c.Rows = append(c.Rows, []string{n, fmt.Sprint(counts[n])})
	}
	b.WriteString(`</svg>`)
	c.SVG = template.HTML(b.String())
	return c
}

func sevClass(s string) string {
	if s == "" {
		return "none"
	}
	return markup.Slug(s)
}

func sevLabel(s string) string {
	if s == "" {
		return "no severity"
	}
	return s
}

func sevNames(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = sevLabel(s)
	}
	return out
}

// FormatDuration shows a duration as people read one: "45m", "3h 45m",
// "2d 4h".
func FormatDuration(d time.Duration) string {
	d = d.Round(time.Minute)
	days := int(d / (24 * time.Hour))
	h := int(d % (24 * time.Hour) / time.Hour)
	m := int(d % time.Hour / time.Minute)
	switch {
	case days > 0 && h > 0:
		return fmt.Sprintf("%dd %dh", days, h)
	case days > 0:
		return fmt.Sprintf("%dd", days)
	case h > 0 && m > 0:
		return fmt.Sprintf("%dh %dm", h, m)
	case h > 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dm", m)
}

// glance charts the twelve months up to the newest incident's, for the
// home page: measured from the archive, not from the day of the build,
// so two builds of the same archive are the same.
func glance(views []*IncidentView, severities []string) *Chart {
	var newest time.Time
	for _, v := range views {
		if v.Date.Precision >= when.Month && v.Date.Time.After(newest) {
			newest = v.Date.Time
		}
	}
	if newest.IsZero() {
		return nil
	}
	from := time.Date(newest.Year(), newest.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -11, 0)
	var incs []*incident.Incident
	for _, v := range views {
		if v.Date.Precision >= when.Month && !v.Date.Time.Before(from) {
			incs = append(incs, v.Incident)
		}
	}
	c := monthsChart(incs, severityOrder(incs, severities))
	c.Title = "The last twelve months of incidents, by severity"
	return &c
}
