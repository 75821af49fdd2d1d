// Package timeline reads what happened when: the events of an incident's
// timeline section, the follow-up work of its action items, how long it
// lasted, and, across incidents, the site's timeline and the measures
// taken over it. It reads incidents and never parses files or renders
// pages.
package timeline

import (
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/when"
)

// Event is one line of an incident's timeline, in the author's order.
type Event struct {
	// At is when it happened, as precisely as known: the time written on
	// the line, on the date carried from an earlier line or from the
	// incident's date, in the zone the text, the metadata or the site
	// gives. Zero when the line names no time.
	At when.Date
	// Clock is the time of day as written ("14:05", "14:05 PST") when
	// no date is known to place it on: At is then zero.
	Clock string
	// Text is what happened, without the time.
	Text string
	// Who is the person the line names first (@name), if any.
	Who string
	Pos markup.Pos
	// Offset is the time since the first timed event; valid when
	// At.Precision is when.Minute and a first time is known.
	Offset    time.Duration
	HasOffset bool
	// OutOfOrder marks an event whose time is before the previous
	// event's: kept where the author put it, and flagged.
	OutOfOrder bool
	// Milestone says what the event marks, when its text says so:
	// "started", "detected", "mitigated" or "resolved"; else "".
	Milestone string
}

// Action is one follow-up item of an incident's action items.
type Action struct {
	// Text is the item, without its checkbox, owner or ticket.
	Text string
	// State is "open", "done" or "unknown" (a plain list says nothing).
	State string
	// Owner is who the item names as its owner (@name, "Owner: X", an
	// Owner column); a handle without its "@", as Event.Who.
	Owner string
	// Ticket is a linked issue or ticket: a URL, or a key such as OPS-123
	// or #42.
	Ticket string
	// Detail is what the author wrote under an item that is a heading or
	// a term ("1) Set up alerts @dma" and the paragraph below it).
	Detail string
	// Group is the subsection the item is listed under ("BinderHub",
	// "Process improvements"); empty for the section's own items.
	Group string
	// Tags are the bracketed labels after the item ("[detect]").
	Tags []string
	Pos  markup.Pos
}

// Open, Done and Unknown are the states of an action.
const (
	Open    = "open"
	Done    = "done"
	Unknown = "unknown"
)

// Span is a length of time the text gives, and where it came from.
type Span struct {
	D time.Duration
	// From is "metadata", "table" (a row of the body such as "Duration |
	// 3h 45m"), "range" (a start and an end written together) or
	// "events" (milestones of the timeline); "" when unknown.
	From string
}

// Known reports whether the span was given or derived.
func (s Span) Known() bool { return s.From != "" }

// Durations are how long an incident took to be detected, mitigated
// and resolved, from its start. Unknown ones stay unknown: nothing is
// guessed.
type Durations struct {
	Start                     when.Date
	Detect, Mitigate, Resolve Span
}

// Details is what the timeline knows of one incident.
type Details struct {
	Events    []Event
	Actions   []Action
	Durations Durations
	// Recurs are the IDs of incidents that share a system and a cause
	// with this one within the recurrence window, nearest first, at most
	// MaxRecurs of them; RecurCount is how many there are in all.
	Recurs     []string
	RecurCount int
}

// Timeline is the site's incidents on one time axis, with the measures
// taken over them.
type Timeline struct {
	// ByID holds each incident's events, actions, durations and
	// recurrences.
	ByID map[string]*Details
	// Years are the dated incidents, newest year first; undated ones are
	// in Undated.
	Years   []*Year
	Undated []*incident.Incident
	// Site measures every incident; BySystem and ByCause the incidents
	// of each system or cause, by name as declared.
	Site              Metrics
	BySystem, ByCause map[string]*Metrics
}

// Year is one year of incidents: its months, newest first, then those
// known only to the year (Month 0).
type Year struct {
	Year   int
	Months []*Month
	Count  int
}

// Month is one month of a year (0: the date says only the year).
type Month struct {
	Month     time.Month
	Incidents []*incident.Incident // newest first
}

// Metrics are counts and durations over a set of incidents. Durations
// are given as a median and a spread with the number of incidents they
// rest on, never as a bare mean: a few long incidents make a mean say
// little about the typical one.
type Metrics struct {
	Incidents int
	// ByYear counts incidents per year and severity ("" for none).
	ByYear map[int]map[string]int
	// Resolve, Detect and Mitigate summarise the known durations.
	Resolve, Detect, Mitigate Summary
}

// Summary describes a set of durations.
type Summary struct {
	N                     int
	Median, P25, P75, Max time.Duration
}
