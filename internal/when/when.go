// Package when finds and parses the dates and times that postmortems write
// in titles, first lines, prose, file names and timelines, keeping how
// precise the author was (a year, a month, a day or a minute), the zone
// they named, ranges, and whether a numeric date could be read two ways.
// It does not decide which date an incident has; that is package incident,
// which weighs these matches against each other.
//
// # Forms
//
// Find reports, inside any text:
//   - ISO and near-ISO dates: 2019-12-27, 2019/12/27, 2019.12.27, with an
//     optional time "2019-12-27 15:15", "2019-12-27T15:15:00Z",
//     "2019-12-27T15:15:00+02:00";
//   - numeric dates with a four-digit year, day or month first:
//     24-10-2024, 10/24/2024, 24.10.2024; 03-04-2024 is ambiguous;
//   - month names, full or abbreviated, any case: "August 12, 2025",
//     "12 August 2025", "12th of August 2025", "Sept. 18th, 2017",
//     "12-Aug-2025", "2019-Jan-05", "Saturday, March 10, 2018";
//   - a month and day without a year ("Feb 28th 01:52"), marked NoYear;
//   - a month name and a year ("October 2024", "Oct. 2024", "jan-2019",
//     "2019-jan"), at Month precision;
//   - a time after any of those, 24-hour or 12-hour ("15:15", "4:23PM",
//     "10:00 a.m.", "5pm"), after "at", "@", "around", "approximately" or
//     "~", with a zone after it ("PT", "(BST)", "UTC+2", "+02:00");
//   - ranges joined by "-", "–", "—", "to", "until" or "through":
//     "2019-09-12 19:59 - 20:52 ET", "March 3–5, 2024", "3–5 March 2024",
//     "2016-12-23 11:50pm PST - 2016-12-24 6:30am PST".
//
// Leading also accepts a year and month written in digits ("2024-10"), and
// Parse also accepts a bare year ("2023"): inside prose those are more
// often numbers than dates.
//
// Find does not report times written alone (TimeOfDay reads those), bare
// years, two-digit years, run-together digits ("20191227"), a time before
// its date ("15:15 UTC on 2019-12-27"), or relative dates ("yesterday").
// A date glued to other digits by punctuation ("v2.2019-01-01",
// "123-2019-10-11", "10.1.2019.5") is not reported at all: such runs are
// version numbers, addresses and identifiers far more often than dates.
package when

import (
	"fmt"
	"time"
)

// Precision says how much of a date the author wrote.
type Precision uint8

const (
	None Precision = iota
	Year
	Month
	Day
	Minute // a time of day (seconds, if written, are kept in Time)
)

// ISO writes the date as precisely as it is known, in the forms of ISO
// 8601 that sort as text in time order: "2023", "2023-10",
// "2023-10-05", or RFC 3339 for a time; "" for none.
func (d Date) ISO() string {
	switch d.Precision {
	case Year:
		return d.Time.Format("2006")
	case Month:
		return d.Time.Format("2006-01")
	case Day:
		return d.Time.Format("2006-01-02")
	case Minute:
		return d.Time.Format(time.RFC3339)
	}
	return ""
}

func (p Precision) String() string {
	switch p {
	case None:
		return "none"
	case Year:
		return "year"
	case Month:
		return "month"
	case Day:
		return "day"
	case Minute:
		return "minute"
	}
	return fmt.Sprintf("Precision(%d)", uint8(p))
}

// Date is a moment as precisely as it was written. Time is the start of the
// period (Jan 1 for a year, the 1st for a month, midnight for a day) in the
// zone the text named, else in Options.Location.
type Date struct {
	Time      time.Time
	Precision Precision
	Zoned     bool   // the text named a zone or an offset
	Zone      string // the zone as written ("PT", "CEST", "+02:00", "UTC+2"); "" if none
}

// IsZero reports whether d holds no date.
func (d Date) IsZero() bool { return d.Precision == None }

// String shows the date as precisely as it is known: "2023", "Oct 2023",
// "2023-10-05", "2023-10-05 14:05 PDT". A date without a year (year 0)
// shows as "--10-05", the ISO 8601 form for a month and day. Seconds show
// only when they are not zero, and a zone only when the text named one.
func (d Date) String() string {
	t := d.Time
	day := t.Format("2006-01-02")
	if t.Year() == 0 {
		day = t.Format("--01-02")
	}
	switch d.Precision {
	case Year:
		return t.Format("2006")
	case Month:
		return t.Format("Jan 2006")
	case Day:
		return day
	case Minute:
		s := day + t.Format(" 15:04")
		if t.Second() != 0 {
			s += t.Format(":05")
		}
		if d.Zoned {
			z := t.Format("MST")
			if z != "" && (z[0] == '+' || z[0] == '-') {
				z = t.Format("-07:00")
			}
			s += " " + z
		}
		return s
	}
	return ""
}

// Contains reports whether t falls in d's period: the same year, month or
// day as seen in d's zone, or for Minute the same minute.
func (d Date) Contains(t time.Time) bool {
	if d.Precision == None {
		return false
	}
	start := d.Time
	return !t.Before(start) && t.Before(periodEnd(d))
}

// periodEnd is the first instant after d's period.
func periodEnd(d Date) time.Time {
	t := d.Time
	switch d.Precision {
	case Year:
		return t.AddDate(1, 0, 0)
	case Month:
		return t.AddDate(0, 1, 0)
	case Day:
		return t.AddDate(0, 0, 1)
	case Minute:
		start := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, t.Location())
		return start.Add(time.Minute)
	}
	return t
}

// Order is how a numeric date with two small numbers was read.
type Order uint8

const (
	OrderNone Order = iota // not numeric, or year first (ISO): never ambiguous
	DMY
	MDY
)

func (o Order) String() string {
	switch o {
	case OrderNone:
		return "none"
	case DMY:
		return "DMY"
	case MDY:
		return "MDY"
	}
	return fmt.Sprintf("Order(%d)", uint8(o))
}

// Match is one date expression found in text.
type Match struct {
	Start Date
	End   Date // zero when the expression is not a range
	// Pos and EndPos are byte offsets of the expression in the text.
	Pos, EndPos int
	// Order is how the numeric day and month were read; when both readings
	// were valid (03-04-2024) Ambiguous is set and Alt holds the other reading.
	Order     Order
	Ambiguous bool
	Alt       Date
	// NoYear marks a month and day written without a year ("Feb 28th 01:52");
	// Start.Time's year is then 0 and Precision is Day or Minute. Callers fill in the year.
	NoYear bool

	// altEnd is End under the other reading, so that Settle can turn a
	// whole range around.
	altEnd Date
}

// Options says how to read dates that leave something out.
type Options struct {
	// Location is the zone for dates written without one; nil means UTC.
	Location *time.Location
}

// Find returns every date expression in text, in order, not overlapping.
//
// A second time range after a comma ("2017-02-22 5:00am PST, 9:45am -
// 11:00am PST") is not reported: only the first date and time are, since
// the times after the comma have no date of their own and Find never
// reports times alone.
func Find(text string, opt Options) []Match {
	sc := newScanner(text, opt, modeFind)
	var out []Match
	i := 0
	for i < len(text) {
		if !isWordByte(text[i]) || !sc.leftOK(i) {
			i++
			continue
		}
		if e, ok := sc.expr(i); ok {
			if m, ok := sc.finish(e); ok {
				out = append(out, m)
			}
			// A date that is not in the calendar ("31 April 2023") is
			// skipped whole, so that no part of it ("April 2023") is
			// reported instead.
			i = e.endPos
			continue
		}
		for i < len(text) && isWordByte(text[i]) {
			i++
		}
	}
	return out
}

// Leading returns the date expression that text starts with (after
// optional leading spaces, "~", "(", a weekday name and a comma), and the
// rest of text after it and after a separator (",", ":", " - ", " – ",
// " — ", "|", "."); ok is false if text does not start with one. Titles and
// headings use it: "2019-12-27 15:15 PT: Lookups failing" gives the date
// and "Lookups failing".
func Leading(text string, opt Options) (m Match, rest string, ok bool) {
	sc := newScanner(text, opt, modeLeading)
	i := skipSpaces(text, 0)
	paren := false
	if sc.at(i) == '~' {
		i = skipSpaces(text, i+1)
	}
	if sc.at(i) == '(' {
		paren = true
		i = skipSpaces(text, i+1)
		if sc.at(i) == '~' {
			i = skipSpaces(text, i+1)
		}
	}
	if i >= len(text) || !isWordByte(text[i]) {
		return Match{}, "", false
	}
	e, ok := sc.expr(i)
	if !ok {
		return Match{}, "", false
	}
	m, ok = sc.finish(e)
	if !ok {
		return Match{}, "", false
	}
	k := skipSpaces(text, m.EndPos)
	if paren && sc.at(k) == ')' {
		k = skipSpaces(text, k+1)
	}
	switch c := sc.at(k); {
	case c == ',' || c == ':' || c == '|' || c == '.' || c == ';':
		k = skipSpaces(text, k+1)
	case sc.dash(k) > 0:
		k = skipSpaces(text, k+sc.dash(k))
	}
	return m, text[k:], true
}

// Parse reads text that is only a date expression. Surrounding spaces, a
// trailing period, a leading weekday, "~", and a parenthesised remark
// ("2019-03-28 (and the week after)") are allowed. Besides what Find
// reports, it accepts a bare year ("2023") and a year and month in digits
// ("2024-10"), which mean a date only when they stand alone.
func Parse(text string, opt Options) (Match, bool) {
	lo, hi := trimSpaces(text, 0, len(text))
	if lo < hi && text[hi-1] == '.' {
		lo, hi = trimSpaces(text, lo, hi-1)
	}
	if lo < hi && text[lo] == '~' {
		lo, hi = trimSpaces(text, lo+1, hi)
	}
	if m, ok := parseWhole(text, lo, hi, opt); ok {
		return m, true
	}
	if lo < hi && text[hi-1] == ')' {
		// A remark after the date, or the whole date in parentheses.
		open := -1
		for j := hi - 2; j >= lo; j-- {
			if text[j] == '(' {
				open = j
				break
			}
		}
		switch {
		case open == lo:
			lo, hi = trimSpaces(text, lo+1, hi-1)
		case open > lo:
			lo, hi = trimSpaces(text, lo, open)
		default:
			return Match{}, false
		}
		if lo < hi && text[hi-1] == ',' {
			lo, hi = trimSpaces(text, lo, hi-1)
		}
		if lo < hi && text[lo] == '~' {
			lo, hi = trimSpaces(text, lo+1, hi)
		}
		return parseWhole(text, lo, hi, opt)
	}
	return Match{}, false
}

// parseWhole reads text[lo:hi] as exactly one expression. The scanner sees
// only text[:hi], so boundaries are judged as if the text ended there,
// while offsets stay those of text.
func parseWhole(text string, lo, hi int, opt Options) (Match, bool) {
	if lo >= hi || !isWordByte(text[lo]) {
		return Match{}, false
	}
	sc := newScanner(text[:hi], opt, modeParse)
	e, ok := sc.expr(lo)
	if !ok || e.endPos != hi {
		return Match{}, false
	}
	return sc.finish(e)
}

// TimeOfDay reads a time written alone, as in timelines: "14:05",
// "5:00 PM", "5pm", "14:05:09", with an optional zone after it ("14:05
// UTC", "5:00 PM (BST)", "18:53 +02:00"). Leading spaces are skipped and
// counted in n. It returns the hour, minute and second, the zone's
// location (nil if none) and the zone as written, and the number of bytes
// read. A time must end at a word boundary: "14:05-14:30" reads "14:05",
// "1405" and "14:05abc" read nothing.
func TimeOfDay(text string) (h, m, s int, loc *time.Location, zone string, n int, ok bool) {
	sc := newScanner(text, Options{}, modeFind)
	i := skipSpaces(text, 0)
	c, j, ok := sc.clock(i, false)
	if !ok {
		return 0, 0, 0, nil, "", 0, false
	}
	if isWordRune(sc.runeAt(j)) || (sc.at(j) == ':' && isDigit(sc.at(j+1))) {
		return 0, 0, 0, nil, "", 0, false
	}
	return c.h, c.mi, c.s, c.loc, c.zone, j, true
}
