package render

import (
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/timeline"
	"github.com/kb-postmortems/kb/internal/when"
)

// TestFilterLinks: names that share an address share a page, named as
// first written; a name with no letters or digits gets none (its address
// would be empty).
func TestFilterLinks(t *testing.T) {
	views := []*IncidentView{
		{Incident: &incident.Incident{ID: "a", Systems: []string{"API", "—"}}},
		{Incident: &incident.Incident{ID: "b", Systems: []string{"api", "api!"}}},
		{Incident: &incident.Incident{ID: "c", Systems: []string{"db"}}},
	}
	links, sets := filterLinks(views, "system", func(v *IncidentView) []string { return v.Systems })
	if len(links) != 2 || links[0].Name != "API" || links[0].Count != 2 || links[0].URL != "timeline/system/api/" || links[1].Name != "db" {
		t.Errorf("links %+v", links)
	}
	if len(sets["API"]) != 2 {
		t.Errorf("API page lists %d incidents, want 2", len(sets["API"]))
	}
}

func TestOffset(t *testing.T) {
	at := func(m int) timeline.Event {
		return timeline.Event{At: when.Date{Precision: when.Minute}, Offset: time.Duration(m) * time.Minute, HasOffset: true}
	}
	for m, want := range map[int]string{0: "T+0:00", 47: "T+0:47", 135: "T+2:15", -20: "T−0:20"} {
		if got := Offset(at(m)); got != want {
			t.Errorf("Offset(%d minutes) = %q, want %q", m, got, want)
		}
	}
	if got := Offset(timeline.Event{}); got != "" {
		t.Errorf("an event without an offset shows %q", got)
	}
}

// TestMonthsChartBounds: a date of year 1 or 1000 beside recent ones
// neither hides the chart nor stretches it over centuries.
func TestMonthsChartBounds(t *testing.T) {
	mk := func(y int, m time.Month) *incident.Incident {
		return &incident.Incident{ID: "x", Date: when.Date{Time: time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), Precision: when.Day}}
	}
	c := monthsChart([]*incident.Incident{mk(1, 1), mk(1000, 1), mk(2023, 5), mk(2024, 2)}, []string{""})
	if len(c.Rows) != 2 || c.SVG == "" {
		t.Errorf("%d rows, svg %d bytes; want the two recent months", len(c.Rows), len(c.SVG))
	}
}

// TestDurationsChartSize: past maxDots incidents the chart and its table
// grow with the months, not with the incidents.
func TestDurationsChartSize(t *testing.T) {
	var incs []*incident.Incident
	for i := range 5000 {
		incs = append(incs, &incident.Incident{ID: "x", Title: "t", Date: when.Date{Time: time.Date(2020, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), Precision: when.Day}})
	}
	c := durationsChart(incs, func(*incident.Incident) (time.Duration, bool) { return time.Hour, true })
	if len(c.Rows) != 12 {
		t.Errorf("%d rows for 5000 incidents over 12 months, want 12", len(c.Rows))
	}
	if n := strings.Count(string(c.SVG), "<circle"); n != 12 {
		t.Errorf("%d dots, want 12", n)
	}
}
