package site

import (
	"reflect"
	"testing"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/search"
	"github.com/kb-postmortems/kb/internal/timeline"
	"github.com/kb-postmortems/kb/internal/when"
)

// allSet fails when a field of v holds its zero value: a field added to
// the type must be added to its encoding in own.go and to the sample.
func allSet(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	for i := range v.NumField() {
		f, name := v.Field(i), path+"."+v.Type().Field(i).Name
		if name == ".Source" {
			continue // the document node, dropped before anything is spooled
		}
		if f.IsZero() {
			t.Errorf("sample leaves %s zero: add it to the sample and, if a page can show it, to the spool's encoding", name)
		}
	}
}

func TestEventsRoundTrip(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	pacific, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	pos := markup.Pos{File: "content/2024-05-01-cache.md", Line: 12, Col: 3}
	evs := []timeline.Event{
		{At: when.Date{Time: time.Date(2024, 5, 1, 14, 5, 7, 9, berlin), Precision: when.Minute, Zoned: true, Zone: "CEST"},
			Clock: "14:05", Text: "cache hit rate fell", Who: "ana", Pos: pos, Offset: 90 * time.Second, HasOffset: true, OutOfOrder: true, Milestone: "detected"},
		{At: when.Date{Time: time.Date(2024, 5, 1, 6, 0, 0, 0, pacific), Precision: when.Minute, Zoned: true, Zone: "PDT"}, Text: "paged", Pos: pos},
		{Clock: "15:00", Text: "no date known", Pos: pos},
		{At: when.Date{Time: time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC), Precision: when.Day}, Text: "a day, in UTC"},
	}
	allSet(t, reflect.ValueOf(evs[0]), "")
	got, err := decodeEvents(encodeEvents(evs), berlin)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(evs) {
		t.Fatalf("%d events read back, want %d", len(got), len(evs))
	}
	for i, want := range evs {
		g := got[i]
		if !g.At.Time.Equal(want.At.Time) || g.At.Time.IsZero() != want.At.Time.IsZero() {
			t.Errorf("event %d: time %v, want %v", i, g.At.Time, want.At.Time)
		}
		// A page shows the time in its zone, by name and offset.
		const layout = "2006-01-02 15:04:05.999999999 MST -07:00"
		if g.At.Time.Format(layout) != want.At.Time.Format(layout) {
			t.Errorf("event %d: shows as %s, want %s", i, g.At.Time.Format(layout), want.At.Time.Format(layout))
		}
		g.At.Time, want.At.Time = time.Time{}, time.Time{}
		if !reflect.DeepEqual(g, want) {
			t.Errorf("event %d:\n got %+v\nwant %+v", i, g, want)
		}
	}
	if got[0].At.Time.Location() != berlin {
		t.Errorf("a time in the site's zone comes back in %v, not the site's zone", got[0].At.Time.Location())
	}
	for n := range len(encodeEvents(evs)) {
		if _, err := decodeEvents(encodeEvents(evs)[:n], berlin); err == nil {
			t.Fatalf("events cut to %d bytes read back without an error", n)
		}
	}
}

func TestOutlineRoundTrip(t *testing.T) {
	leaf := &incident.Section{Title: "Five whys", Key: "root-cause", Normal: "five whys", Canonical: true, Level: 3, ID: "five-whys",
		Pos: markup.Pos{File: "content/a.rst", Line: 40, Col: 1}, Empty: true, Text: "kept when spooled before its text is dropped"}
	ss := []*incident.Section{
		{Title: "Root cause", Key: "root-cause", Normal: "root cause", Canonical: true, Level: 2, ID: "root-cause",
			Pos: markup.Pos{File: "content/a.rst", Line: 30, Col: 1}, Empty: true, Text: "why", Sections: []*incident.Section{leaf}},
		{Title: "Notes", Key: "notes", Normal: "notes", Level: 2, ID: "notes", Pos: markup.Pos{File: "content/a.rst", Line: 50, Col: 1}},
	}
	allSet(t, reflect.ValueOf(*ss[0]), "")
	got, err := decodeOutline(encodeOutline(ss))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, ss) {
		t.Errorf("outline read back differs:\n got %+v\nwant %+v", got, ss)
	}
	b := encodeOutline(ss)
	for n := range len(b) {
		if _, err := decodeOutline(b[:n]); err == nil {
			t.Fatalf("outline cut to %d bytes read back without an error", n)
		}
	}
}

func TestSearchSectionsRoundTrip(t *testing.T) {
	ss := []search.Section{
		{Key: "impact", Title: "Impact", Anchor: "impact", Text: "checkout failed for 12 minutes"},
		{Text: "before the first heading"},
	}
	allSet(t, reflect.ValueOf(ss[0]), "")
	b := encodeSections(ss)
	got, err := decodeSections(b)
	if err != nil || !reflect.DeepEqual(got, ss) {
		t.Errorf("read back %+v, %v; want %+v", got, err, ss)
	}
	for n := 1; n < len(b); n++ {
		if _, err := decodeSections(b[:n]); err == nil {
			t.Fatalf("sections cut to %d bytes read back without an error", n)
		}
	}
}
