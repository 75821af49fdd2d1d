package timeline_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/markup/rst"
	"github.com/kb-postmortems/kb/internal/timeline"
	"github.com/kb-postmortems/kb/internal/when"
)

// readIncident reads src in the format its name says (.md, .rst, .txt)
// and extracts the incident, as the site does.
func readIncident(t testing.TB, name, src string) *incident.Incident {
	t.Helper()
	var r markup.Reader
	switch {
	case strings.HasSuffix(name, ".rst"):
		r = rst.New(markup.Limits{})
	case strings.HasSuffix(name, ".txt"):
		r = markup.NewText(markup.Limits{}, nil)
	default:
		r = markup.NewMarkdown(markup.Limits{})
	}
	d, err := r.Read(name, []byte(src))
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	inc, err := incident.Extract(d, name, incident.Config{Location: time.UTC})
	if err != nil {
		t.Fatalf("extract: %v", err)
	}
	return inc
}

// describe shows an event on one line: its time (or its clock), text, and
// whatever else is set: "2023-01-07 14:05 | Deploy | @ana | +4m0s |
// out of order | detected".
func describe(e timeline.Event) string {
	at := e.At.String()
	switch {
	case at == "" && e.Clock != "":
		at = "clock " + e.Clock
	case at == "":
		at = "-"
	}
	s := at + " | " + e.Text
	if e.Who != "" {
		s += " | @" + e.Who
	}
	if e.HasOffset {
		s += " | "
		if e.Offset >= 0 {
			s += "+"
		}
		s += e.Offset.String()
	}
	if e.OutOfOrder {
		s += " | out of order"
	}
	if e.Milestone != "" {
		s += " | " + e.Milestone
	}
	return s
}

func TestEvents(t *testing.T) {
	tests := []struct {
		name string // the file's name: its extension picks the reader
		src  string
		want []string
		// warnings are substrings of the warnings expected, in order.
		warnings []string
	}{
		{
			name: "bold-times.md",
			src: `---
date: 2023-01-07
---
# Cache outage

## Timeline

- **14:05** Deploy of cache v2 started
- **14:09** Error rate alert fired, on-call paged
- **14:20** Rolled back to cache v1
- **14:31** Error rate back to normal
`,
			want: []string{
				"2023-01-07 14:05 | Deploy of cache v2 started | +0s | started",
				"2023-01-07 14:09 | Error rate alert fired, on-call paged | +4m0s | detected",
				"2023-01-07 14:20 | Rolled back to cache v1 | +15m0s | mitigated",
				"2023-01-07 14:31 | Error rate back to normal | +26m0s | resolved",
			},
		},
		{
			name: "zone-on-the-line.md",
			src: `---
date: 2023-01-07
---
# Queue stall

## Timeline

- 14:05 UTC: consumers stop acking
- 14:12: backlog passes a million messages
- 14:40 UTC+1: a broker is restarted from the Berlin office
`,
			want: []string{
				"2023-01-07 14:05 UTC | consumers stop acking | +0s",
				"2023-01-07 14:12 UTC | backlog passes a million messages | +7m0s",
				"2023-01-07 14:40 +01:00 | a broker is restarted from the Berlin office | -25m0s | out of order",
			},
		},
		{
			name: "bold-colon.md",
			src: `---
date: 2019-09-12
---
# Disk full

## Timeline

**19:59**: disk usage alert on web3
**20:17**: the application log is found at 188GB
and still growing

* **20:44**: log truncated, disk usage back to normal
`,
			want: []string{
				"2019-09-12 19:59 | disk usage alert on web3 | +0s",
				"2019-09-12 20:17 | the application log is found at 188GB and still growing | +18m0s",
				"2019-09-12 20:44 | log truncated, disk usage back to normal | +45m0s | resolved",
			},
		},
		{
			name: "handles.md",
			src: `---
date: 2022-12-13
---
# Slow timelines

## Timeline

All times are UTC.

- 18:53 ` + "`@ana`" + ` First report of slow pages in chat
- 18:55 @ben.k: confirms 5XX responses from every region
- 18:58 Status page updated by @ana
`,
			want: []string{
				"2022-12-13 18:53 UTC | First report of slow pages in chat | @ana | +0s | detected",
				"2022-12-13 18:55 UTC | confirms 5XX responses from every region | @ben.k | +2m0s",
				"2022-12-13 18:58 UTC | Status page updated by @ana | @ana | +5m0s",
			},
		},
		{
			name: "dated-lines.md",
			src: `# Certificate expiry

## Timeline

2023-01-07 14:05 – certificate for the API expires
2023-01-07 14:30 – first customer ticket about TLS errors
2023-01-08 09:10 – new certificate deployed, incident closed
`,
			want: []string{
				"2023-01-07 14:05 | certificate for the API expires | +0s",
				"2023-01-07 14:30 | first customer ticket about TLS errors | +25m0s",
				"2023-01-08 09:10 | new certificate deployed, incident closed | +19h5m0s | resolved",
			},
		},
		{
			name: "month-day.md",
			src: `---
date: 2022-12-18
---
# Media cache misses

## Timeline

All events are documented in UTC time.

- Dec 17th 21:43 ` + "`@cai`" + ` Third report of missing images
- Dec 17th 22:XX More reports in chat
- Dec 18th 14:45 @dee audit of the proxy config
`,
			want: []string{
				"2022-12-17 21:43 UTC | Third report of missing images | @cai | +0s",
				"2022-12-17 | 22:XX More reports in chat",
				"2022-12-18 14:45 UTC | audit of the proxy config | @dee | +17h2m0s",
			},
			warnings: []string{`could not read the time "22:XX"`},
		},
		{
			name: "month-day-across-new-year.md",
			src: `---
date: 2023-01-02
---
# Renewal job

## Timeline

- Dec 31st 23:10 renewal job skipped
- Jan 1st 08:00 first expiry warning
`,
			want: []string{
				"2022-12-31 23:10 | renewal job skipped | +0s",
				"2023-01-01 08:00 | first expiry warning | +8h50m0s",
			},
		},
		{
			name: "twelve-hour.md",
			src: `---
date: 2023-03-02
---
# Search lag

## Timeline

- 12:43 PM indexer falls behind
- 1:05 PM alerted by the lag monitor
- 3:30 p.m. index rebuilt, search is fully recovered
`,
			want: []string{
				"2023-03-02 12:43 | indexer falls behind | +0s",
				"2023-03-02 13:05 | alerted by the lag monitor | +22m0s | detected",
				"2023-03-02 15:30 | index rebuilt, search is fully recovered | +2h47m0s | resolved",
			},
		},
		{
			name: "star-bullets.md",
			src: `---
date: 2023-03-02
---
# Build farm

## Timeline

* 10:05: runners lose their cache volume
* 10:20: workaround: builds pinned to the old pool
`,
			want: []string{
				"2023-03-02 10:05 | runners lose their cache volume | +0s",
				"2023-03-02 10:20 | workaround: builds pinned to the old pool | +15m0s | mitigated",
			},
		},
		{
			name: "time-headings.md",
			src: `# 2017-10-17 - Cluster full

## Timeline

All times in PST

### 2017-10-17 07:42

Users report that every launch times out.

### 08:47

Investigation begins; 94 pods are pending.

- nodes are at their limit
- the autoscaler is capped

### 09:14

Pending pods are deleted.
`,
			want: []string{
				"2017-10-17 07:42 PST | Users report that every launch times out. | +0s",
				"2017-10-17 08:47 PST | Investigation begins; 94 pods are pending. | +1h5m0s",
				"2017-10-17 09:14 PST | Pending pods are deleted. | +1h32m0s",
			},
		},
		{
			name: "heading-with-zone.md",
			src: `---
date: 2023-06-01
---
# Mail relay

## Timeline

### 5:00 PM (BST)

Relay queue starts to grow.

### 5:40 PM (BST) - Failover completed

The standby relay takes over.
`,
			want: []string{
				"2023-06-01 17:00 BST | Relay queue starts to grow. | +0s",
				"2023-06-01 17:40 BST | Failover completed | +40m0s | mitigated",
			},
		},
		{
			name: "date-headings.md",
			src: `---
date: 2023-01-06
---
# Batch overrun

## Timeline

All times are UTC

### 2023-01-06

Nightly batch scheduled as usual.

### 2023-01-07

- 23:50 batch still running
- 00:15 batch still running past midnight
- 00:10 a note written late

### 2023-01-09

- 08:00 batch finally done
`,
			want: []string{
				"2023-01-06 | Nightly batch scheduled as usual.",
				"2023-01-07 23:50 UTC | batch still running | +0s",
				"2023-01-08 00:15 UTC | batch still running past midnight | +25m0s",
				"2023-01-08 00:10 UTC | a note written late | +20m0s | out of order",
				"2023-01-09 08:00 UTC | batch finally done | +32h10m0s",
			},
		},
		{
			name: "midnight.md",
			src: `---
date: 2023-04-10
---
# Night deploy

## Timeline

- 23:40 deploy begins
- 23:58 error budget alert fired
- 00:20 deploy reverted
- 00:05 rollback note added afterwards
`,
			want: []string{
				"2023-04-10 23:40 | deploy begins | +0s",
				"2023-04-10 23:58 | error budget alert fired | +18m0s | detected",
				"2023-04-11 00:20 | deploy reverted | +40m0s | mitigated",
				"2023-04-11 00:05 | rollback note added afterwards | +25m0s | out of order",
			},
		},
		{
			name: "table-zone-in-header.md",
			src: `---
date: 2023-02-14
---
# Checkout errors

## Timeline

| Time (CET) | Event | Who |
|---|---|---|
| 10:29 | Payment errors began | @eve |
| 10:41 | Provider paged | @fay |
| later | Post-incident review booked | |
`,
			want: []string{
				"2023-02-14 10:29 CET | Payment errors began | @eve | +0s | started",
				"2023-02-14 10:41 CET | Provider paged | @fay | +12m0s | detected",
				"- | Post-incident review booked",
			},
			warnings: []string{`could not read the time "later"`},
		},
		{
			name: "table-dated-cells.md",
			src: `# Disk pressure

## Timeline

| When | What happened |
|------|---------------|
| 2023-02-14 10:29 | disk alert fired |
| 2023-02-14 11:02 | volumes resized |
`,
			want: []string{
				"2023-02-14 10:29 | disk alert fired | +0s | detected",
				"2023-02-14 11:02 | volumes resized | +33m0s",
			},
		},
		{
			name: "table-date-time-columns.md",
			src: `# Replication lag

## Timeline

| Date | Time | Event |
|------|------|-------|
| 2023-05-01 | 22:10 | replica falls behind |
| 2023-05-02 | 06:30 | replica caught up, all clear |
`,
			want: []string{
				"2023-05-01 22:10 | replica falls behind | +0s",
				"2023-05-02 06:30 | replica caught up, all clear | +8h20m0s | resolved",
			},
		},
		{
			name: "table-without-header-words.md",
			src: `---
date: 2023-05-01
---
# Replication lag

## Timeline

| At | Note |
|----|------|
| 22:10 | replica falls behind |
| 22:40 | replica rebuilt |
`,
			want: []string{
				"2023-05-01 22:10 | replica falls behind | +0s",
				"2023-05-01 22:40 | replica rebuilt | +30m0s",
			},
		},
		{
			name: "statement-cest-offset.md",
			src: `---
date: 2018-07-08
---
# Pod flood

## Timeline

Times in CEST (UTC+2)

- 18:30 launches drop to zero
`,
			want: []string{"2018-07-08 18:30 CEST | launches drop to zero | +0s"},
		},
		{
			name: "statement-offset-beats-abbreviation.md",
			src: `---
date: 2018-07-30
---
# CPU saturation

## Timeline

All times in PST (UTC-7)

- 11:20 launches stall
`,
			want: []string{"2018-07-30 11:20 -07:00 | launches stall | +0s"},
		},
		{
			name: "statement-generic-name.md",
			src: `---
date: 2020-07-09
---
# Tutorial rush

## Timeline

All times in US/Pacific

- 07:30 slow launches reported
`,
			want: []string{"2020-07-09 07:30 PDT | slow launches reported | +0s"},
		},
		{
			name: "zone-from-incident-date.md",
			src: `# 2019-12-27 15:15 PT: Price lookups failing

## Timeline

- 15:15 lookups start failing
- 15:40 fix deployed
`,
			want: []string{
				"2019-12-27 15:15 PST | lookups start failing | +0s",
				"2019-12-27 15:40 PST | fix deployed | +25m0s",
			},
		},
		{
			name: "zone-in-section-title.md",
			src: `---
date: 2023-05-09
---
# Token refresh

## Timeline (all times PDT)

- 08:02
  ` + "`@gil`" + `

  Token refresh starts failing for mobile clients

- 08:30 failover completed to the secondary issuer
`,
			want: []string{
				"2023-05-09 08:02 PDT | Token refresh starts failing for mobile clients | @gil | +0s",
				"2023-05-09 08:30 PDT | failover completed to the secondary issuer | +28m0s | mitigated",
			},
		},
		{
			name: "month-only-date.md",
			src: `---
date: 2023-01
---
# Flaky DNS

## Timeline

- 14:05 resolver timeouts
- 14:30 resolver restarted
`,
			want: []string{
				"clock 14:05 | resolver timeouts",
				"clock 14:30 | resolver restarted",
			},
			warnings: []string{"have no date"},
		},
		{
			name: "milestones-first-only.md",
			src: `---
date: 2023-08-01
---
# Login loop

## Timeline

- 09:00 sessions not resolved after the cache flush
- 09:10 login loop resolved by a config push
- 09:20 resolved for the second region too
`,
			want: []string{
				"2023-08-01 09:00 | sessions not resolved after the cache flush | +0s",
				"2023-08-01 09:10 | login loop resolved by a config push | +10m0s | resolved",
				"2023-08-01 09:20 | resolved for the second region too | +20m0s",
			},
		},
		{
			name: "approximate-and-ranges.md",
			src: `---
date: 2018-04-18
---
# Culler flood

## Timeline

All times in CEST

### ~13:30-13:45

Launch success drops to zero.

### 19. April, 11:00

A fix is deployed.
`,
			want: []string{
				"2018-04-18 13:30 CEST | Launch success drops to zero. | +0s",
				"2018-04-19 11:00 CEST | A fix is deployed. | +21h30m0s",
			},
		},
		{
			name: "prose-is-not-events.md",
			src: `---
date: 2021-01-30
---
# Load balancer faults

## Leadup

*List the sequence of events that led to the incident*

At 14:30 we began receiving alerts about unreachable services.
The balancer reported its backends as down.
`,
			want: nil,
		},
		{
			name: "definitions.rst",
			src: `=================
Broker disk full
=================

:date: 2023-09-04

Summary
=======

A broker ran out of disk.

Timeline
========

All times in UTC.

09:12
   Disk usage alert fired for broker-2.
09:30 CEST
   Retention lowered on the busiest topic.
sometime later
   Capacity review scheduled.
`,
			want: []string{
				"2023-09-04 09:12 UTC | Disk usage alert fired for broker-2. | +0s | detected",
				"2023-09-04 09:30 CEST | Retention lowered on the busiest topic. | -1h42m0s | out of order",
				"- | sometime later: Capacity review scheduled.",
			},
			warnings: []string{`could not read the time "sometime later"`},
		},
		{
			name: "table.rst",
			src: `==========
Bad deploy
==========

:date: 2023-09-05

Timeline
========

=====  ==================================
Time   Event
=====  ==================================
16:02  New build rolled out to canaries
16:09  Canary errors noticed
16:15  Rollout reverted
=====  ==================================
`,
			want: []string{
				"2023-09-05 16:02 | New build rolled out to canaries | +0s",
				"2023-09-05 16:09 | Canary errors noticed | +7m0s | detected",
				"2023-09-05 16:15 | Rollout reverted | +13m0s | mitigated",
			},
		},
		{
			name: "plain.txt",
			src: `Queue backlog

Date: 2023-10-02

Timeline

All times in UTC
09:00 consumers stall after the upgrade
09:14 backlog alert fired
the alert went to the wrong channel
09:40 consumers restarted, backlog draining
`,
			want: []string{
				"2023-10-02 09:00 UTC | consumers stall after the upgrade | +0s",
				"2023-10-02 09:14 UTC | backlog alert fired the alert went to the wrong channel | +14m0s | detected",
				"2023-10-02 09:40 UTC | consumers restarted, backlog draining | +40m0s",
			},
		},
		{
			name: "flattened.txt",
			src: `Images broken

Date: 2023-02-27

Timeline

- Feb 28th 01:52
@ana
First report of broken images - Feb 28th 01:54
@ben
Confirms the certificate expired
`,
			want: []string{
				"2023-02-28 01:52 | First report of broken images | @ana | +0s | detected",
				"2023-02-28 01:54 | Confirms the certificate expired | @ben | +2m0s",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inc := readIncident(t, tc.name, tc.src)
			evs, warns := timeline.Events(inc, timeline.Options{Location: time.UTC})
			var got []string
			for _, e := range evs {
				got = append(got, describe(e))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if len(warns) != len(tc.warnings) {
				t.Errorf("%d warnings, want %d: %v", len(warns), len(tc.warnings), warns)
				return
			}
			for i, w := range warns {
				if !strings.Contains(w.Message, tc.warnings[i]) {
					t.Errorf("warning %d = %q, want it to say %q", i, w.Message, tc.warnings[i])
				}
				if w.Pos.Line == 0 || w.Pos.File != tc.name {
					t.Errorf("warning %d at %s, want a line of %s", i, w.Pos, tc.name)
				}
			}
		})
	}
}

// TestEventsSiteLocation checks the last fallback: a time with no zone
// anywhere is in Options.Location, without showing a zone.
func TestEventsSiteLocation(t *testing.T) {
	inc := readIncident(t, "site.md", "---\ndate: 2023-01-07\n---\n# Outage\n\n## Timeline\n\n- 14:05 deploy\n")
	pst := time.FixedZone("PST", -8*3600)
	evs, _ := timeline.Events(inc, timeline.Options{Location: pst})
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	at := evs[0].At
	if got := at.Time.UTC().Format("2006-01-02 15:04"); got != "2023-01-07 22:05" || at.Zoned || at.Precision != when.Minute {
		t.Errorf("At = %s (UTC %s, zoned %v, %s), want 14:05 in the site's zone, not shown", at, got, at.Zoned, at.Precision)
	}
	// A nil location is UTC.
	evs, _ = timeline.Events(inc, timeline.Options{})
	if got := evs[0].At.Time.UTC().Format("15:04"); got != "14:05" {
		t.Errorf("with no location, At = %s UTC, want 14:05", got)
	}
}

// TestEventsPositions checks that each event points at its own line.
func TestEventsPositions(t *testing.T) {
	src := "---\ndate: 2023-01-07\n---\n# Outage\n\n## Timeline\n\n- 14:05 one\n- 14:06 two\n\n15:00 three\nstill three\n15:01 four\n\n### 16:00\n\nfive\n"
	inc := readIncident(t, "pos.md", src)
	evs, _ := timeline.Events(inc, timeline.Options{})
	var got []string
	for _, e := range evs {
		got = append(got, fmt.Sprintf("%d %s", e.Pos.Line, e.Text))
	}
	want := []string{"8 one", "9 two", "11 three still three", "13 four", "15 five"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("positions:\n%s\nwant:\n%s", strings.Join(got, "; "), strings.Join(want, "; "))
	}
	for _, e := range evs {
		if e.Pos.File != "pos.md" {
			t.Errorf("%s: file %q, want pos.md", e.Text, e.Pos.File)
		}
	}
}

// TestEventsFirstTimelineSection checks that only the first timeline
// section is read, however deep it is.
func TestEventsFirstTimelineSection(t *testing.T) {
	src := `---
date: 2023-01-07
---
# Outage

## Details

### Timeline

- 10:00 first

## Timeline

- 11:00 second
`
	evs, _ := timeline.Events(readIncident(t, "first.md", src), timeline.Options{})
	if len(evs) != 1 || evs[0].Text != "first" {
		t.Errorf("events = %v, want only the nested section's", evs)
	}
}

func TestEventsNoTimeline(t *testing.T) {
	evs, warns := timeline.Events(readIncident(t, "none.md", "# Outage\n\n## Impact\n\n- 10:00 all down\n"), timeline.Options{})
	if evs != nil || warns != nil {
		t.Errorf("Events = %v, %v; want nothing without a timeline section", evs, warns)
	}
	if evs, warns := timeline.Events(nil, timeline.Options{}); evs != nil || warns != nil {
		t.Errorf("Events(nil) = %v, %v", evs, warns)
	}
	if evs, warns := timeline.Events(&incident.Incident{}, timeline.Options{}); evs != nil || warns != nil {
		t.Errorf("Events(empty) = %v, %v", evs, warns)
	}
}

// TestEventsLinear checks that a long timeline takes time in proportion to
// its length: ten times the lines must not take a hundred times as long.
func TestEventsLinear(t *testing.T) {
	build := func(n int) *incident.Incident {
		var b strings.Builder
		b.WriteString("---\ndate: 2023-01-07\n---\n# Long\n\n## Timeline\n\nAll times in UTC\n\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "- %02d:%02d @ops step %d noticed, then rolled back\n", (i/60)%24, i%60, i)
			if i%50 == 0 {
				fmt.Fprintf(&b, "\n### 2023-01-%02d %02d:00\n\nA heading with text under it.\n%02d:30 and a line\n\n", 1+i/1000%28, i%24, i%24)
			}
		}
		return readIncident(t, "long.md", b.String())
	}
	// Work is counted, not timed: ten times the lines may cost about ten
	// times the allocations, not a hundred.
	measure := func(inc *incident.Incident) float64 {
		return testing.AllocsPerRun(1, func() { timeline.Events(inc, timeline.Options{}) })
	}
	small, large := build(500), build(5000)
	as, al := measure(small), measure(large)
	if al > 15*as+100 {
		t.Errorf("5000 lines made %.0f allocations, 500 made %.0f: not linear", al, as)
	}
}
