package timeline

import (
	"cmp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/when"
)

// Config is what Build needs from the site.
type Config struct {
	// Location is the zone for times written without one.
	Location *time.Location
	// RecurrenceWindow is how close two incidents sharing a system and a
	// cause must be to count as recurrences; 0 means 90 days.
	RecurrenceWindow time.Duration
	// Read holds what [Read] gave for incidents already read: the build
	// reads each incident's events and actions with its file, while its
	// tree is in memory. Build reads the others.
	Read map[*incident.Incident]Read
}

// Read is what one incident's text says of its timeline.
type Read struct {
	Details  *Details
	Warnings []markup.Warning
}

// ReadIncident reads an incident's events, actions and durations. Its
// recurrences need the other incidents: [Build] adds them.
func ReadIncident(inc *incident.Incident, cfg Config) Read {
	ev, w := Events(inc, Options{Location: cfg.Location})
	d := &Details{Events: ev, Actions: Actions(inc)}
	d.Durations = durations(inc, ev)
	return Read{Details: d, Warnings: w}
}

// DefaultRecurrenceWindow is a quarter: long enough to catch a fix that
// did not hold, short enough not to call every disk-full a repeat.
const DefaultRecurrenceWindow = 90 * 24 * time.Hour

// Build reads every incident's events, actions and durations, places the
// incidents on one axis, and measures them. incs may be in any order; the
// result does not depend on it.
func Build(incs []*incident.Incident, cfg Config) (*Timeline, []markup.Warning) {
	if cfg.RecurrenceWindow <= 0 {
		cfg.RecurrenceWindow = DefaultRecurrenceWindow
	}
	tl := &Timeline{ByID: make(map[string]*Details, len(incs)), BySystem: map[string]*Metrics{}, ByCause: map[string]*Metrics{}}
	var warns []markup.Warning
	sorted := append([]*incident.Incident{}, incs...)
	NewestFirst(sorted)
	for _, inc := range sorted {
		r, ok := cfg.Read[inc]
		if !ok {
			r = ReadIncident(inc, cfg)
		}
		warns = append(warns, r.Warnings...)
		tl.ByID[inc.ID] = r.Details
	}
	recurrences(sorted, tl.ByID, cfg.RecurrenceWindow)
	var year *Year
	var month *Month
	for _, inc := range sorted {
		if inc.Date.IsZero() {
			tl.Undated = append(tl.Undated, inc)
			continue
		}
		y := inc.Date.Time.Year()
		if year == nil || year.Year != y {
			year = &Year{Year: y}
			tl.Years = append(tl.Years, year)
			month = nil
		}
		m := time.Month(0)
		if inc.Date.Precision >= when.Month {
			m = inc.Date.Time.Month()
		}
		if month == nil || month.Month != m {
			month = &Month{Month: m}
			year.Months = append(year.Months, month)
		}
		month.Incidents = append(month.Incidents, inc)
		year.Count++
	}
	tl.Site = measure(sorted, tl.ByID)
	bySys, byCause := map[string][]*incident.Incident{}, map[string][]*incident.Incident{}
	for _, inc := range sorted {
		for _, s := range inc.Systems {
			bySys[s] = append(bySys[s], inc)
		}
		for _, c := range inc.Causes {
			byCause[c] = append(byCause[c], inc)
		}
	}
	for k, v := range bySys {
		m := measure(v, tl.ByID)
		tl.BySystem[k] = &m
	}
	for k, v := range byCause {
		m := measure(v, tl.ByID)
		tl.ByCause[k] = &m
	}
	return tl, warns
}

// NewestFirst orders incidents by date, newest first, a date known only
// to its year or month at the start of its period, undated last, ties by
// ID: the order of every list of the site.
func NewestFirst(incs []*incident.Incident) {
	sort.SliceStable(incs, func(i, j int) bool {
		a, b := incs[i], incs[j]
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

// durations derives how long the incident took to be detected, mitigated
// and resolved, from what the text says: metadata (started, detected,
// mitigated, resolved, duration), a body row ("Duration | 3h 45m"), a
// range written with the date, and the timeline's milestones. What
// cannot be derived stays unknown.
func durations(inc *incident.Incident, ev []Event) Durations {
	var d Durations
	if inc.Date.Precision >= when.Minute {
		d.Start = inc.Date
	}
	marks := map[string]when.Date{}
	for _, e := range ev {
		if e.Milestone != "" && e.At.Precision >= when.Minute {
			if _, seen := marks[e.Milestone]; !seen {
				marks[e.Milestone] = e.At
			}
		}
	}
	if s, ok := marks["started"]; ok && (d.Start.IsZero() || s.Time.Before(d.Start.Time)) {
		d.Start = s
	}
	if d.Start.IsZero() {
		for _, e := range ev {
			if e.At.Precision >= when.Minute {
				d.Start = e.At
				break
			}
		}
	}
	span := func(at when.Date, from string) Span {
		if d.Start.IsZero() || at.Precision < when.Minute || at.Time.Before(d.Start.Time) {
			return Span{}
		}
		return Span{D: at.Time.Sub(d.Start.Time), From: from}
	}
	d.Detect = span(marks["detected"], "events")
	d.Mitigate = span(marks["mitigated"], "events")
	d.Resolve = span(marks["resolved"], "events")
	if !inc.End.IsZero() && inc.End.Precision >= when.Minute {
		if s := span(inc.End, "range"); s.Known() {
			d.Resolve = s
		}
	}
	for _, f := range append(append([]markup.Field{}, inc.Params...), inc.BodyMeta...) {
		v, _ := f.Value.(string)
		from := "metadata"
		if isBody(inc, f) {
			from = "table"
		}
		key := markup.NormalizeHeading(strings.ReplaceAll(f.Key, "_", " "))
		// A moment written as a field ("Detected: 2023-05-01 10:12 UTC")
		// measures from the start like a milestone of the timeline.
		if at, ok := moment(f.Value, inc); ok {
			switch key {
			case "detected", "detected at", "detection time":
				d.Detect = orKeep(d.Detect, span(at, from))
			case "mitigated", "mitigated at", "mitigation time":
				d.Mitigate = orKeep(d.Mitigate, span(at, from))
			case "resolved", "resolved at", "resolution time", "ended", "end", "end time":
				d.Resolve = orKeep(d.Resolve, span(at, from))
			}
		}
		switch key {
		case "duration", "incident duration", "time to resolve", "time to resolution":
			if dur, ok := ParseDuration(v); ok {
				d.Resolve = Span{D: dur, From: from}
			}
		case "time to detect", "time to detection":
			if dur, ok := ParseDuration(v); ok {
				d.Detect = Span{D: dur, From: from}
			}
		case "time to mitigate", "time to mitigation":
			if dur, ok := ParseDuration(v); ok {
				d.Mitigate = Span{D: dur, From: from}
			}
		}
	}
	return d
}

// orKeep prefers what the author declared to what the events suggest.
func orKeep(events, declared Span) Span {
	if declared.Known() {
		return declared
	}
	return events
}

// moment reads a field's value as a moment to the minute: a typed time
// from front matter, or text; a time of day alone is taken on the
// incident's day.
func moment(v any, inc *incident.Incident) (when.Date, bool) {
	loc := time.UTC
	if !inc.Date.IsZero() {
		loc = inc.Date.Time.Location()
	}
	switch v := v.(type) {
	case time.Time:
		return when.Date{Time: v, Precision: when.Minute, Zoned: true}, true
	case markup.LocalDate:
		if !v.HasTime {
			return when.Date{}, false
		}
		t := v.Time
		return when.Date{Time: time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc), Precision: when.Minute}, true
	case string:
		if m, ok := when.Parse(v, when.Options{Location: loc}); ok && m.Start.Precision == when.Minute && !m.NoYear {
			return m.Start, true
		}
		if h, mi, sec, zl, _, n, ok := when.TimeOfDay(strings.TrimSpace(v)); ok && n == len(strings.TrimSpace(v)) && inc.Date.Precision >= when.Day {
			if zl == nil {
				zl = loc
			}
			t := inc.Date.Time.In(zl)
			return when.Date{Time: time.Date(t.Year(), t.Month(), t.Day(), h, mi, sec, 0, zl), Precision: when.Minute}, true
		}
	}
	return when.Date{}, false
}

func isBody(inc *incident.Incident, f markup.Field) bool {
	for _, b := range inc.BodyMeta {
		if b.Pos == f.Pos && b.Key == f.Key {
			return true
		}
	}
	return false
}

// ParseDuration reads a length of time as postmortems write it: "3h 45m",
// "3 hours 45 minutes", "45 min", "1h30", "2 days", "90 minutes", "1:30"
// (hours and minutes).
func ParseDuration(s string) (time.Duration, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "~")
	s = strings.TrimPrefix(s, "about ")
	s = strings.TrimPrefix(s, "approximately ")
	if h, m, ok := strings.Cut(s, ":"); ok {
		hh, err1 := strconv.Atoi(h)
		mm, err2 := strconv.Atoi(m)
		if err1 == nil && err2 == nil && mm >= 0 && mm < 60 && hh >= 0 && hh < 100000 && (hh > 0 || mm > 0) {
			return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, true
		}
		return 0, false
	}
	var total time.Duration
	found := false
	num := ""
	flush := func(unit string) bool {
		if num == "" {
			return false
		}
		n, err := strconv.ParseFloat(num, 64)
		num = ""
		if err != nil {
			return false
		}
		var u time.Duration
		switch {
		case strings.HasPrefix(unit, "d"):
			u = 24 * time.Hour
		case strings.HasPrefix(unit, "h"):
			u = time.Hour
		case strings.HasPrefix(unit, "mi") || unit == "m":
			u = time.Minute
		case strings.HasPrefix(unit, "s"):
			u = time.Second
		default:
			return false
		}
		total += time.Duration(n * float64(u))
		found = true
		return true
	}
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c >= '0' && c <= '9' || c == '.':
			num += string(c)
			i++
		case c >= 'a' && c <= 'z':
			j := i
			for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
				j++
			}
			word := s[i:j]
			if word == "and" {
				i = j
				continue
			}
			if !flush(word) {
				return 0, false
			}
			i = j
		case c == ' ' || c == ',':
			i++
		default:
			return 0, false
		}
	}
	if num != "" {
		// "1h30": trailing minutes.
		if !found {
			return 0, false
		}
		if !flush("m") {
			return 0, false
		}
	}
	// A length past ten years is a typo, not an incident.
	return total, found && total > 0 && total < 10*365*24*time.Hour
}

// recurrences marks incidents that share a system and a cause within the
// window as recurrences of each other. Each incident gathers its own,
// from the groups it is in, outward from its place in each until the
// window ends: no table of every pair is kept, as an archive dense in
// time has many (at 100,000 incidents such a table took most of a
// minute and gigabytes).
func recurrences(sorted []*incident.Incident, by map[string]*Details, window time.Duration) {
	type key struct{ system, cause string }
	type member struct {
		group []*incident.Incident
		at    int
	}
	groups := map[key][]*incident.Incident{}
	var keys []key
	for _, inc := range sorted {
		// A date known only to its year or month would fall on its first
		// day and seem close to whatever happened then.
		if inc.Date.Precision < when.Day {
			continue
		}
		for _, s := range inc.Systems {
			for _, c := range inc.Causes {
				k := key{strings.ToLower(s), strings.ToLower(c)}
				if _, ok := groups[k]; !ok {
					keys = append(keys, k)
				}
				groups[k] = append(groups[k], inc)
			}
		}
	}
	in := map[*incident.Incident][]member{}
	for _, k := range keys {
		g := groups[k]
		for i, inc := range g {
			in[inc] = append(in[inc], member{g, i})
		}
	}
	var near []*incident.Incident
	for _, inc := range sorted {
		near = near[:0]
		for _, m := range in[inc] {
			g := m.group
			// Newest first: after m.at come older incidents, before it
			// newer ones, each further away than the last.
			for j := m.at + 1; j < len(g) && inc.Date.Time.Sub(g[j].Date.Time) <= window; j++ {
				near = append(near, g[j])
			}
			for j := m.at - 1; j >= 0 && g[j].Date.Time.Sub(inc.Date.Time) <= window; j-- {
				near = append(near, g[j])
			}
		}
		if len(near) == 0 {
			continue
		}
		at := inc.Date.Time
		// Nearest first, and only the nearest few: a busy system can
		// recur with hundreds of incidents, and each page names a
		// handful.
		slices.SortFunc(near, func(a, b *incident.Incident) int {
			if da, db := absDur(a.Date.Time.Sub(at)), absDur(b.Date.Time.Sub(at)); da != db {
				return cmp.Compare(da, db)
			}
			return strings.Compare(a.ID, b.ID)
		})
		d := by[inc.ID]
		var ids []string
		for i, r := range near {
			if r.ID == inc.ID || i > 0 && near[i-1].ID == r.ID {
				continue // itself, or met again in another group
			}
			d.RecurCount++
			if len(ids) < MaxRecurs {
				ids = append(ids, r.ID)
			}
		}
		if len(ids) > 0 {
			d.Recurs = ids
		}
	}
}

// MaxRecurs is how many recurrences an incident names.
const MaxRecurs = 10

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// Measure counts incidents by year and severity and summarises their
// known durations, for any set of the timeline's incidents.
func (tl *Timeline) Measure(incs []*incident.Incident) Metrics { return measure(incs, tl.ByID) }

// measure counts incidents by year and severity and summarises their
// known durations.
func measure(incs []*incident.Incident, by map[string]*Details) Metrics {
	m := Metrics{Incidents: len(incs), ByYear: map[int]map[string]int{}}
	var det, mit, res []time.Duration
	for _, inc := range incs {
		if !inc.Date.IsZero() {
			y := inc.Date.Time.Year()
			if m.ByYear[y] == nil {
				m.ByYear[y] = map[string]int{}
			}
			m.ByYear[y][inc.Severity]++
		}
		d := by[inc.ID].Durations
		if d.Detect.Known() {
			det = append(det, d.Detect.D)
		}
		if d.Mitigate.Known() {
			mit = append(mit, d.Mitigate.D)
		}
		if d.Resolve.Known() {
			res = append(res, d.Resolve.D)
		}
	}
	m.Detect, m.Mitigate, m.Resolve = summarize(det), summarize(mit), summarize(res)
	return m
}

// summarize gives the median and the quartiles by nearest rank.
func summarize(ds []time.Duration) Summary {
	if len(ds) == 0 {
		return Summary{}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	at := func(q float64) time.Duration {
		i := int(q*float64(len(ds)-1) + 0.5)
		return ds[i]
	}
	s := Summary{N: len(ds), P25: at(0.25), P75: at(0.75), Max: ds[len(ds)-1]}
	if n := len(ds); n%2 == 1 {
		s.Median = ds[n/2]
	} else {
		s.Median = (ds[n/2-1] + ds[n/2]) / 2
	}
	return s
}
