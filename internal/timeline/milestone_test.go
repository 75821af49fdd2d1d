package timeline

import (
	"strings"
	"testing"
)

// Passing over texts that lack a milestone's words never changes which
// milestone a text names.
func TestMilestoneFilter(t *testing.T) {
	texts := []string{
		"",
		"10:42 Alerts FIRED for the API",
		"the outage BEGAN when the deploy finished",
		"Impact starts at 09:00; not resolved yet",
		"Start of the incident. We were paged at 3am",
		"we began investigating; first errors at 10:05",
		"Failover completed and services were restored",
		"rolled back the release, all-clear given, back to normal",
		"Incident was closed after the issue was RESOLVED",
		"customers noticed; we noticing nothing",
		"\u212aubernetes alerts fired", // Kelvin sign
		"outage \u017ftarted at noon",  // long s: "started" to a case-insensitive match
		"ALL CLEAR at 12:00, fully recovered",
		"nothing of note happened here at all",
		"workaround: restart the pods; it wasn't mitigated",
		"Ünïcödé text — résolved? no: resolved.",
	}
	for _, base := range texts {
		for _, text := range []string{base, strings.ToUpper(base), strings.ToLower(base)} {
			for _, taken := range []map[string]bool{nil, {MilestoneStarted: true}, {MilestoneDetected: true, MilestoneResolved: true}} {
				got, want := evMilestoneIn(text, taken, true), evMilestoneIn(text, taken, false)
				if got != want {
					t.Errorf("%q (taken %v): %q with the filter, %q without", text, taken, got, want)
				}
			}
		}
	}
	if got := evMilestone("Outage BEGAN; ALERTS fired", nil); got != MilestoneStarted {
		t.Errorf("got %q, want %q", got, MilestoneStarted)
	}
}

func FuzzMilestoneFilter(f *testing.F) {
	f.Add("10:42 Alerts FIRED; not resolved")
	f.Add("outage \u017ftarted")
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := evMilestoneIn(text, nil, true), evMilestoneIn(text, nil, false); got != want {
			t.Errorf("%q: %q with the filter, %q without", text, got, want)
		}
	})
}
