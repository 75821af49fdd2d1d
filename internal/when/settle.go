package when

import "time"

// Settle resolves ambiguous numeric matches in place. An author writes
// dates one way throughout a document, so when the unambiguous numeric
// matches in ms (24-10-2024 can only be DMY) all show the same order,
// every ambiguous match takes that order. Otherwise, when exactly one
// reading of an ambiguous match is within a day of one of others (dates
// known from elsewhere: metadata, the file name), or inside one that is a
// month or a year, that reading wins. It
// reports whether every match is settled.
//
// A settled match has Ambiguous false, its chosen reading in Start (and
// End), the order in Order, and a zero Alt.
func Settle(ms []Match, others []Date) bool {
	seen := OrderNone
	mixed := false
	for _, m := range ms {
		if !reveals(m) {
			continue
		}
		if seen != OrderNone && seen != m.Order {
			mixed = true
		}
		seen = m.Order
	}
	all := true
	for i := range ms {
		m := &ms[i]
		if !m.Ambiguous {
			continue
		}
		switch {
		case seen != OrderNone && !mixed:
			m.settle(seen)
		default:
			a, b := near(m.Start, others), near(m.Alt, others)
			switch {
			case a && !b:
				m.settle(m.Order)
			case b && !a:
				m.settle(other(m.Order))
			default:
				all = false
			}
		}
	}
	return all
}

// reveals reports whether m shows the order its author writes numeric
// dates in: it was read one way only, and day and month differ.
func reveals(m Match) bool {
	if m.Order == OrderNone || m.Ambiguous {
		return false
	}
	differ := func(d Date) bool { return !d.IsZero() && d.Time.Day() != int(d.Time.Month()) }
	return differ(m.Start) || differ(m.End)
}

func other(o Order) Order {
	if o == DMY {
		return MDY
	}
	return DMY
}

// settle makes o the reading of m.
func (m *Match) settle(o Order) {
	if o != m.Order {
		m.Start, m.Alt = m.Alt, m.Start
		m.End, m.altEnd = m.altEnd, m.End
		m.Order = o
	}
	m.Ambiguous, m.Alt, m.altEnd = false, Date{}, Date{}
}

// near reports whether d is within a day of one of others, comparing
// calendar days each in its own zone: a date is written in the author's
// zone, and "within a day" absorbs the difference between zones. A month
// or year in others is near the dates inside it, so a path's "2024/04/"
// settles 03-04-2024 as 3 April.
func near(d Date, others []Date) bool {
	if d.IsZero() {
		return false
	}
	for _, o := range others {
		if o.IsZero() {
			continue
		}
		if o.Precision < Day {
			if o.Contains(d.Time) {
				return true
			}
			continue
		}
		diff := dayNumber(d.Time) - dayNumber(o.Time)
		if -1 <= diff && diff <= 1 {
			return true
		}
	}
	return false
}

// dayNumber counts days to t's calendar day in t's own zone.
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}
