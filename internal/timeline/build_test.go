package timeline

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/when"
)

func extract(t *testing.T, path, src string) *incident.Incident {
	t.Helper()
	d, err := markup.NewMarkdown(markup.Limits{}).Read(path, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	inc, err := incident.Extract(d, path, incident.Config{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"3h 45m":             3*time.Hour + 45*time.Minute,
		"3 hours 45 minutes": 3*time.Hour + 45*time.Minute,
		"45 min":             45 * time.Minute,
		"1h30":               90 * time.Minute,
		"2 days":             48 * time.Hour,
		"90 minutes":         90 * time.Minute,
		"1:30":               90 * time.Minute,
		"~40m":               40 * time.Minute,
		"about 2 hours":      2 * time.Hour,
		"1 hour and 5 mins":  65 * time.Minute,
	} {
		if got, ok := ParseDuration(in); !ok || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "soon", "3 apples", "h", "12", "1:75", "-5m"} {
		if got, ok := ParseDuration(in); ok {
			t.Errorf("ParseDuration(%q) = %v, want no duration", in, got)
		}
	}
}

// TestDurations: each source of a duration, and unknown where nothing
// says.
func TestDurations(t *testing.T) {
	tests := []struct {
		name, src                 string
		detect, mitigate, resolve string
	}{
		{name: "milestones", src: "---\ndate: 2023-05-01 10:00\n---\n# T\n\n## Timeline\n\n- 10:00 deploy started\n- 10:12 alert fired, on-call paged\n- 10:40 rolled back the deploy\n- 11:05 resolved, error rate back to normal\n",
			detect: "12m (events)", mitigate: "40m (events)", resolve: "1h 5m (events)"},
		{name: "table row", src: "# T\n\n| Date | 2023-05-01 |\n|---|---|\n| Incident duration | 3h 45m |\n\n## Impact\n\nx\n",
			detect: "unknown", mitigate: "unknown", resolve: "3h 45m (table)"},
		{name: "metadata", src: "---\ndate: 2023-05-01\ntime_to_detect: 20m\nduration: 2h\n---\n# T\n",
			detect: "20m (metadata)", mitigate: "unknown", resolve: "2h (metadata)"},
		{name: "moments in metadata and the body", src: "---\ndate: 2023-05-01 10:00\ndetected: 2023-05-01 10:20\n---\n# T\n\n**Mitigated:** 10:50\n**Resolved at:** 2023-05-01 12:00 UTC\n\n## Impact\n\nx\n",
			detect: "20m (metadata)", mitigate: "50m (table)", resolve: "2h (table)"},
		{name: "nothing says", src: "---\ndate: 2023-05-01\n---\n# T\n\n## Timeline\n\n- 10:00 something\n- 10:30 something else\n",
			detect: "unknown", mitigate: "unknown", resolve: "unknown"},
	}
	show := func(s Span) string {
		if !s.Known() {
			return "unknown"
		}
		h, m := int(s.D.Hours()), int(s.D.Minutes())%60
		out := ""
		if h > 0 {
			out = strconv.Itoa(h) + "h"
		}
		if m > 0 {
			if out != "" {
				out += " "
			}
			out += strconv.Itoa(m) + "m"
		}
		return out + " (" + s.From + ")"
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := extract(t, "x.md", tt.src)
			tl, _ := Build([]*incident.Incident{inc}, Config{Location: time.UTC})
			d := tl.ByID[inc.ID].Durations
			got := [3]string{show(d.Detect), show(d.Mitigate), show(d.Resolve)}
			want := [3]string{tt.detect, tt.mitigate, tt.resolve}
			if got != want {
				t.Errorf("durations %q, want %q (events %+v)", got, want, tl.ByID[inc.ID].Events)
			}
		})
	}
}

func TestBuildAxisAndMeasures(t *testing.T) {
	incs := []*incident.Incident{
		extract(t, "2023-05-02-a.md", "---\nseverity: SEV1\nsystems: [db]\ncauses: [disk]\nduration: 1h\n---\n# A\n"),
		extract(t, "2023-06-20-b.md", "---\nseverity: SEV2\nsystems: [db]\ncauses: [disk]\nduration: 3h\n---\n# B\n"),
		extract(t, "2023-b.md", "---\nseverity: SEV2\nduration: 10h\n---\n# Year only\n"),
		extract(t, "2021-01-01-c.md", "---\nsystems: [db]\ncauses: [disk]\n---\n# C\n"),
		extract(t, "undated.md", "# D\n"),
	}
	tl, _ := Build(incs, Config{})
	if len(tl.Years) != 2 || tl.Years[0].Year != 2023 || tl.Years[1].Year != 2021 {
		t.Fatalf("years %+v", tl.Years)
	}
	y := tl.Years[0]
	if y.Count != 3 || len(y.Months) != 3 || y.Months[0].Month != time.June || y.Months[2].Month != 0 {
		t.Errorf("2023: count %d, months %+v; want June, May, then the year-only incident", y.Count, y.Months)
	}
	if len(tl.Undated) != 1 {
		t.Errorf("%d undated, want 1", len(tl.Undated))
	}
	r := tl.Site.Resolve
	if r.N != 3 || r.Median != 3*time.Hour || r.Max != 10*time.Hour {
		t.Errorf("resolve summary %+v, want 3 incidents, median 3h, max 10h", r)
	}
	if tl.Site.ByYear[2023]["SEV2"] != 2 || tl.Site.ByYear[2023]["SEV1"] != 1 {
		t.Errorf("by year %+v", tl.Site.ByYear)
	}
	// A and B share db and disk 49 days apart: recurrences; C is years
	// away.
	if got := strings.Join(tl.ByID[incs[0].ID].Recurs, ","); got != incs[1].ID {
		t.Errorf("A recurs with %q, want B", got)
	}
	if len(tl.ByID[incs[3].ID].Recurs) != 0 {
		t.Errorf("C recurs with %q, want none", tl.ByID[incs[3].ID].Recurs)
	}
	if tl.BySystem["db"].Incidents != 3 {
		t.Errorf("db: %d incidents, want 3", tl.BySystem["db"].Incidents)
	}
}

// TestRecurrenceWork: pairs are compared only within the window, so a
// long history of one system and cause costs time linear in its size,
// not quadratic. Counted by the number of recurrence links made.
func TestRecurrenceWork(t *testing.T) {
	var incs []*incident.Incident
	start := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 2000 {
		day := start.AddDate(0, 0, i*30).Format("2006-01-02")
		incs = append(incs, extract(t, day+"-x.md", "---\nsystems: [db]\ncauses: [disk]\n---\n# X\n"))
	}
	tl, _ := Build(incs, Config{RecurrenceWindow: 45 * 24 * time.Hour})
	links := 0
	for _, d := range tl.ByID {
		links += len(d.Recurs)
	}
	if links != 2*(len(incs)-1) {
		t.Errorf("%d links, want each incident linked to its neighbours only (%d)", links, 2*(len(incs)-1))
	}
}

func TestParseDurationBounds(t *testing.T) {
	for _, in := range []string{"9999999999:00", "0:00", "300000 days", "20 years"} {
		if d, ok := ParseDuration(in); ok {
			t.Errorf("ParseDuration(%q) = %v, want no duration", in, d)
		}
	}
}

// TestRecursNearest: an incident names its nearest recurrences, at most
// MaxRecurs, and counts them all.
func TestRecursNearest(t *testing.T) {
	var incs []*incident.Incident
	for i := range 30 {
		day := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02")
		incs = append(incs, extract(t, day+"-x.md", "---\nsystems: [db]\ncauses: [disk]\n---\n# X\n"))
	}
	tl, _ := Build(incs, Config{})
	d := tl.ByID[incs[15].ID]
	if len(d.Recurs) != MaxRecurs || d.RecurCount != 29 {
		t.Fatalf("%d named of %d, want %d of 29", len(d.Recurs), d.RecurCount, MaxRecurs)
	}
	for _, id := range d.Recurs {
		if id < incs[10].ID || id > incs[20].ID {
			t.Errorf("%s is not among the nearest of %s", id, incs[15].ID)
		}
	}
}

// Recurrences are what comparing every pair gives: incidents sharing a
// system and a cause (in any case), both dated to the day, within the
// window; nearest first, then by ID; each counted once however many
// pairs they share.
func TestRecurrencesEveryPair(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	names := []string{"db", "DB", "dns", "cache"}
	causes := []string{"disk", "Disk", "deploy"}
	var incs []*incident.Incident
	for i := range 300 {
		day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(400))
		name := day.Format("2006-01-02") + fmt.Sprintf("-i%03d.md", i)
		if rng.IntN(10) == 0 {
			name = day.Format("2006-01") + fmt.Sprintf("-month-%03d.md", i) // known to the month only
		}
		pick := func(from []string) string {
			var out []string
			for _, s := range from {
				if rng.IntN(3) == 0 {
					out = append(out, s)
				}
			}
			return "[" + strings.Join(out, ", ") + "]"
		}
		incs = append(incs, extract(t, name, "---\nsystems: "+pick(names)+"\ncauses: "+pick(causes)+"\n---\n# X\n"))
	}
	window := 20 * 24 * time.Hour
	tl, _ := Build(incs, Config{RecurrenceWindow: window})
	shares := func(a, b *incident.Incident) bool {
		for _, s := range a.Systems {
			for _, c := range a.Causes {
				for _, s2 := range b.Systems {
					for _, c2 := range b.Causes {
						if strings.EqualFold(s, s2) && strings.EqualFold(c, c2) {
							return true
						}
					}
				}
			}
		}
		return false
	}
	pairs := 0
	for _, a := range incs {
		var want []*incident.Incident
		for _, b := range incs {
			if a == b || a.Date.Precision < when.Day || b.Date.Precision < when.Day || !shares(a, b) || absDur(a.Date.Time.Sub(b.Date.Time)) > window {
				continue
			}
			want = append(want, b)
		}
		pairs += len(want)
		sort.Slice(want, func(i, j int) bool {
			di, dj := absDur(want[i].Date.Time.Sub(a.Date.Time)), absDur(want[j].Date.Time.Sub(a.Date.Time))
			if di != dj {
				return di < dj
			}
			return want[i].ID < want[j].ID
		})
		d := tl.ByID[a.ID]
		if d.RecurCount != len(want) {
			t.Errorf("%s: %d recurrences counted, want %d", a.ID, d.RecurCount, len(want))
		}
		var ids []string
		for _, w := range want[:min(len(want), MaxRecurs)] {
			ids = append(ids, w.ID)
		}
		if strings.Join(d.Recurs, " ") != strings.Join(ids, " ") {
			t.Errorf("%s: recurs %v, want %v", a.ID, d.Recurs, ids)
		}
	}
	if pairs < 300 {
		t.Fatalf("only %d recurrences in the fixture: it tests little", pairs)
	}
}

// BenchmarkRecurrences places 100,000 incidents, three (system, cause)
// pairs each from a small vocabulary, over ten years: an archive dense in
// time, where each incident recurs with dozens.
func BenchmarkRecurrences(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	incs := make([]*incident.Incident, 100000)
	for i := range incs {
		incs[i] = &incident.Incident{
			ID:      fmt.Sprintf("i%06d", i),
			Date:    when.Date{Time: start.AddDate(0, 0, rng.IntN(3650)), Precision: when.Day},
			Systems: []string{fmt.Sprintf("s%d", rng.IntN(60)), fmt.Sprintf("s%d", rng.IntN(60))},
			Causes:  []string{fmt.Sprintf("c%d", rng.IntN(30))},
		}
	}
	NewestFirst(incs)
	b.ResetTimer()
	for range b.N {
		by := make(map[string]*Details, len(incs))
		for _, inc := range incs {
			by[inc.ID] = &Details{}
		}
		recurrences(incs, by, DefaultRecurrenceWindow)
	}
}
