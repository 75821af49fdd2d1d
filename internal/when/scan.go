package when

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// mode says which of the forms that are often not dates a scan accepts.
type mode uint8

const (
	modeFind    mode = iota
	modeLeading      // also a year and month in digits ("2024-10")
	modeParse        // also a bare year ("2023")
)

// scanner holds one call's text and options. Every step reads a bounded
// number of bytes from where it starts, and Find starts a step only at the
// beginning of a word, so a whole scan is linear in the text.
type scanner struct {
	s     string
	def   *time.Location
	mode  mode
	zones map[string]*time.Location // LookupZone results for this call
}

func newScanner(s string, opt Options, md mode) *scanner {
	def := opt.Location
	if def == nil {
		def = time.UTC
	}
	return &scanner{s: s, def: def, mode: md}
}

func isDigit(b byte) bool  { return '0' <= b && b <= '9' }
func isLetter(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }

// isWordByte reports whether b can start a date: an ASCII letter or digit.
func isWordByte(b byte) bool { return isDigit(b) || isLetter(b) }

// isWordRune reports whether r continues a word, in any script: a date
// must not be glued to one ("2019-01-01é" is not a date).
func isWordRune(r rune) bool { return r >= 0 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

func (sc *scanner) at(i int) byte {
	if i >= 0 && i < len(sc.s) {
		return sc.s[i]
	}
	return 0
}

// runeAt is the rune at i, or -1 at the end of the text.
func (sc *scanner) runeAt(i int) rune {
	if i >= len(sc.s) {
		return -1
	}
	if c := sc.s[i]; c < utf8.RuneSelf {
		return rune(c)
	}
	r, _ := utf8.DecodeRuneInString(sc.s[i:])
	return r
}

// leftOK reports whether a date may start at i. Besides following a word,
// a date must not follow digits joined to it by punctuation: "v2.2019",
// "10.1.2019", "123-2019-10-11" are versions, addresses and identifiers.
func (sc *scanner) leftOK(i int) bool {
	if i == 0 {
		return true
	}
	r, n := utf8.DecodeLastRuneInString(sc.s[:i])
	if isWordRune(r) {
		return false
	}
	if n == 1 && strings.IndexByte(".,-/:+_", byte(r)) >= 0 && i >= 2 && isDigit(sc.s[i-2]) {
		return false
	}
	return true
}

// rightOK reports whether a date may end at j, for the same reasons as
// leftOK: "2019-12-27.5" and "1.2.2019.4" are not dates.
func (sc *scanner) rightOK(j int) bool {
	if j >= len(sc.s) {
		return true
	}
	if isWordRune(sc.runeAt(j)) {
		return false
	}
	return !(strings.IndexByte(".-/:", sc.s[j]) >= 0 && isDigit(sc.at(j+1)))
}

// space skips up to three spaces (ASCII, tab, no-break and narrow no-break
// spaces). Dates are not split across lines: a line break more often
// starts a list item than continues a date.
func (sc *scanner) space(i int) int {
	for n := 0; n < 3 && i < len(sc.s); n++ {
		switch {
		case sc.s[i] == ' ' || sc.s[i] == '\t':
			i++
		case strings.HasPrefix(sc.s[i:], "\u00a0"):
			i += 2
		case strings.HasPrefix(sc.s[i:], "\u202f"):
			i += 3
		default:
			return i
		}
	}
	return i
}

// skipSpaces skips any number of spaces, for the start and end of titles.
func skipSpaces(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r':
			i++
		case strings.HasPrefix(s[i:], "\u00a0"):
			i += 2
		default:
			return i
		}
	}
	return i
}

// trimSpaces narrows s[lo:hi] to its text without surrounding spaces.
func trimSpaces(s string, lo, hi int) (int, int) {
	lo = skipSpaces(s[:hi], lo)
	for hi > lo {
		switch {
		case s[hi-1] == ' ' || s[hi-1] == '\t' || s[hi-1] == '\n' || s[hi-1] == '\r':
			hi--
		case strings.HasSuffix(s[lo:hi], "\u00a0"):
			hi -= 2
		default:
			return lo, hi
		}
	}
	return lo, hi
}

// num reads the digits at i: their value and count. It stops after five:
// no part of a date is that long, and a count of 5 tells the caller so
// without reading a long run of digits again and again.
func (sc *scanner) num(i int) (v, n int) {
	for n < 5 && isDigit(sc.at(i+n)) {
		v = v*10 + int(sc.s[i+n]-'0')
		n++
	}
	return v, n
}

// word reads the ASCII letters at i, at most 15: longer words are in no
// table here.
func (sc *scanner) word(i int) string {
	j := i
	for j < len(sc.s) && j-i < 15 && isLetter(sc.s[j]) {
		j++
	}
	return sc.s[i:j]
}

// keyword reads a whole word at i that is in set: it returns the word in
// lower case and the position after it.
func (sc *scanner) keyword(i int, set func(string) bool) (string, int, bool) {
	w := sc.word(i)
	if w == "" || isWordRune(sc.runeAt(i+len(w))) {
		return "", i, false
	}
	lw := strings.ToLower(w)
	if !set(lw) {
		return "", i, false
	}
	return lw, i + len(w), true
}

// dash reads a hyphen, en dash, em dash or "--" at i and returns its length.
func (sc *scanner) dash(i int) int {
	switch {
	case strings.HasPrefix(sc.s[min(i, len(sc.s)):], "--"):
		return 2
	case sc.at(i) == '-':
		return 1
	case strings.HasPrefix(sc.s[min(i, len(sc.s)):], "–"), strings.HasPrefix(sc.s[min(i, len(sc.s)):], "—"):
		return 3
	}
	return 0
}

func yearOK(y int) bool { return 1900 <= y && y <= 2199 }

// monthNamed gives the month a name stands for; abbr marks abbreviations,
// which may take a period ("Sept.").
func monthNamed(lw string) (n int, abbr, ok bool) {
	switch lw {
	case "january":
		return 1, false, true
	case "february":
		return 2, false, true
	case "march":
		return 3, false, true
	case "april":
		return 4, false, true
	case "may":
		return 5, false, true
	case "june":
		return 6, false, true
	case "july":
		return 7, false, true
	case "august":
		return 8, false, true
	case "september":
		return 9, false, true
	case "october":
		return 10, false, true
	case "november":
		return 11, false, true
	case "december":
		return 12, false, true
	case "jan":
		return 1, true, true
	case "feb":
		return 2, true, true
	case "mar":
		return 3, true, true
	case "apr":
		return 4, true, true
	case "jun":
		return 6, true, true
	case "jul":
		return 7, true, true
	case "aug":
		return 8, true, true
	case "sep", "sept":
		return 9, true, true
	case "oct":
		return 10, true, true
	case "nov":
		return 11, true, true
	case "dec":
		return 12, true, true
	}
	return 0, false, false
}

func isWeekday(lw string) bool {
	switch lw {
	case "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun":
		return true
	}
	return false
}

func isRangeWord(lw string) bool {
	switch lw {
	case "to", "until", "till", "through", "thru":
		return true
	}
	return false
}

func isApproxWord(lw string) bool {
	switch lw {
	case "approximately", "approx", "around", "about", "roughly", "circa", "ca":
		return true
	}
	return false
}

func isOrdinal(lw string) bool { return lw == "st" || lw == "nd" || lw == "rd" || lw == "th" }
func isAt(lw string) bool      { return lw == "at" }
func isOf(lw string) bool      { return lw == "of" }
func isTime(lw string) bool    { return lw == "time" }

// month reads a month name at i, with the period of an abbreviation
// ("Sept."). weak marks a lower-case "may", "march" or "mar", which in
// prose are usually verbs.
func (sc *scanner) month(i int) (mo, j int, weak, ok bool) {
	w := sc.word(i)
	if len(w) < 3 || isWordRune(sc.runeAt(i+len(w))) {
		return 0, i, false, false
	}
	lw := strings.ToLower(w)
	n, abbr, found := monthNamed(lw)
	if !found {
		return 0, i, false, false
	}
	j = i + len(w)
	if abbr && sc.at(j) == '.' {
		j++
	}
	weak = (lw == "may" || lw == "march" || lw == "mar") && w[0] >= 'a'
	return n, j, weak, true
}

// weekday skips a weekday name with its period and comma ("Sat., ") and
// returns where the date should start, or i when there is none.
func (sc *scanner) weekday(i int) int {
	_, j, ok := sc.keyword(i, isWeekday)
	if !ok {
		return i
	}
	if sc.at(j) == '.' {
		j++
	}
	comma := sc.at(j) == ','
	if comma {
		j++
	}
	k := sc.space(j)
	if k == j && !comma {
		return i
	}
	return k
}

// suffix skips an ordinal suffix ("th") after a day.
func (sc *scanner) suffix(i int) int {
	if _, j, ok := sc.keyword(i, isOrdinal); ok {
		return j
	}
	return i
}

// yearAfter reads ", 2025" or " 2025" after a month or day.
func (sc *scanner) yearAfter(j int) (int, int, bool) {
	k := j
	if sc.at(k) == ',' {
		k++
	}
	k = sc.space(k)
	if k == j {
		return 0, j, false
	}
	v, n := sc.num(k)
	if n != 4 || !yearOK(v) {
		return 0, j, false
	}
	return v, k + 4, true
}

// civil is one end of an expression as written, before a reading and a
// zone turn it into a Date.
type civil struct {
	y, mo, d     int
	prec         Precision
	h, mi, s, ns int
	zone         string
	loc          *time.Location // nil when the text named no zone
	noYear       bool
	iso          bool // year first in digits: a "T" may join the time
	weak         bool // month was a lower-case "may", "march" or "mar"
	// numeric marks a date whose day and month are both digits and whose
	// order is unknown until a reading is chosen: a and b as written.
	numeric bool
	a, b    int
}

func (c *civil) setClock(k clock) {
	c.prec = Minute
	c.h, c.mi, c.s, c.ns = k.h, k.mi, k.s, k.ns
	c.zone, c.loc = k.zone, k.loc
}

// date turns c into a Date under the reading o; ok is false when that
// reading is not a calendar date.
func (c civil) date(o Order, def *time.Location) (Date, bool) {
	y, mo, d := c.y, c.mo, c.d
	if c.numeric {
		switch o {
		case DMY:
			d, mo = c.a, c.b
		case MDY:
			mo, d = c.a, c.b
		default:
			return Date{}, false
		}
	}
	switch c.prec {
	case Year:
		mo, d = 1, 1
	case Month:
		d = 1
	}
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) {
		return Date{}, false
	}
	loc := def
	if c.loc != nil {
		loc = c.loc
	}
	t := time.Date(y, time.Month(mo), d, c.h, c.mi, c.s, c.ns, loc)
	return Date{Time: t, Precision: c.prec, Zoned: c.loc != nil, Zone: c.zone}, true
}

// monthDay orders a date without its year, for ranges that write the
// year once.
func (c civil) monthDay() int { return c.mo*100 + c.d }

func daysIn(mo, y int) int {
	switch mo {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// expr is one expression as written: a date, maybe a time, maybe an end.
type expr struct {
	start, end civil
	hasEnd     bool
	timeOnly   bool // the end gave only a time, on the start's day or the next
	pos        int
	endPos     int
}

// expr reads the longest expression at i: a weekday, a date, a time after
// it, and the end of a range. A longer reading is kept only when it ends
// at a boundary; otherwise the shorter one is.
func (sc *scanner) expr(i int) (expr, bool) {
	e := expr{pos: i}
	j := sc.weekday(i)
	st, en, hasEnd, k, ok := sc.date(j)
	if !ok {
		return e, false
	}
	timeOnly := false
	if !hasEnd && st.prec == Day {
		if c, k2, ok := sc.clockAfterDate(k, st.iso); ok {
			timed := st
			timed.setClock(c)
			// A range may follow the time without a space ("10:00-11:00"),
			// where the time alone would not end at a boundary.
			if en2, k3, to, ok := sc.rangeEnd(k2, timed); ok {
				st, en, hasEnd, timeOnly, k = timed, en2, true, to, k3
			} else if sc.rightOK(k2) {
				st, k = timed, k2
			}
		}
	}
	if !hasEnd {
		if !sc.rightOK(k) {
			return e, false
		}
		if en2, k2, to, ok := sc.rangeEnd(k, st); ok {
			en, hasEnd, timeOnly, k = en2, true, to, k2
		}
	}
	e.start, e.end, e.hasEnd, e.timeOnly, e.endPos = st, en, hasEnd, timeOnly, k
	return e, true
}

// single reads one date with its time, for the end of a range.
func (sc *scanner) single(i int) (civil, int, bool) {
	j := sc.weekday(i)
	st, _, hasEnd, k, ok := sc.date(j)
	if !ok || hasEnd {
		return civil{}, i, false
	}
	if st.prec == Day {
		if c, k2, ok := sc.clockAfterDate(k, st.iso); ok && sc.rightOK(k2) {
			st.setClock(c)
			k = k2
		}
	}
	if !sc.rightOK(k) {
		return civil{}, i, false
	}
	return st, k, true
}

// rangeEnd reads "- 20:52 ET", "to 2019-01-05", "– Mar 2, 2024" after a
// start. A time alone ends a start that has a time.
func (sc *scanner) rangeEnd(j int, st civil) (en civil, k int, timeOnly, ok bool) {
	if st.prec < Month {
		return civil{}, j, false, false
	}
	k = sc.space(j)
	if n := sc.dash(k); n > 0 {
		k += n
	} else if _, k2, ok := sc.keyword(k, isRangeWord); ok && k > j {
		k = k2
		if sc.space(k) == k {
			return civil{}, j, false, false
		}
	} else {
		return civil{}, j, false, false
	}
	k = sc.space(k)
	if sc.at(k) == '~' {
		k = sc.space(k + 1)
	}
	if en, k2, ok := sc.single(k); ok {
		switch {
		case st.prec == Month && en.prec == Month,
			st.prec >= Day && en.prec >= Day:
			return en, k2, false, true
		}
	}
	if st.prec == Minute {
		if c, k2, ok := sc.clock(k, false); ok && sc.rightOK(k2) {
			en = civil{prec: Minute}
			en.setClock(c)
			return en, k2, true, true
		}
	}
	return civil{}, j, false, false
}

// date reads a date without its time at i. A day range written with the
// month once ("March 3–5, 2024", "3–5 March 2024") comes back with its end.
func (sc *scanner) date(i int) (st, en civil, hasEnd bool, j int, ok bool) {
	switch c := sc.at(i); {
	case isDigit(c):
		return sc.dateDigits(i)
	case isLetter(c):
		return sc.dateMonthFirst(i)
	}
	return
}

func (sc *scanner) dateDigits(i int) (st, en civil, hasEnd bool, j int, ok bool) {
	v1, n1 := sc.num(i)
	k := i + n1
	switch n1 {
	case 4:
		if !yearOK(v1) {
			return
		}
		sep := sc.at(k)
		if (sep == '-' || sep == '/' || sep == '.') && isDigit(sc.at(k+1)) {
			v2, n2 := sc.num(k + 1)
			if n2 > 2 {
				return
			}
			k2 := k + 1 + n2
			if sc.at(k2) == sep && isDigit(sc.at(k2+1)) {
				v3, n3 := sc.num(k2 + 1)
				if n3 > 2 {
					return
				}
				return civil{y: v1, mo: v2, d: v3, prec: Day, iso: true}, en, false, k2 + 1 + n3, true
			}
			if sep != '.' && sc.mode >= modeLeading && 1 <= v2 && v2 <= 12 {
				return civil{y: v1, mo: v2, prec: Month}, en, false, k2, true
			}
			return
		}
		if sep == '-' && isLetter(sc.at(k+1)) {
			mo, k2, _, found := sc.month(k + 1)
			if !found {
				return
			}
			if sc.at(k2) == '-' && isDigit(sc.at(k2+1)) {
				v3, n3 := sc.num(k2 + 1)
				if n3 > 2 {
					return
				}
				return civil{y: v1, mo: mo, d: v3, prec: Day, iso: true}, en, false, k2 + 1 + n3, true
			}
			return civil{y: v1, mo: mo, prec: Month}, en, false, k2, true
		}
		if sc.mode == modeParse {
			return civil{y: v1, prec: Year}, en, false, k, true
		}
		return
	case 1, 2:
	default:
		return
	}
	sep := sc.at(k)
	if (sep == '-' || sep == '/' || sep == '.') && isDigit(sc.at(k+1)) {
		v2, n2 := sc.num(k + 1)
		k2 := k + 1 + n2
		if n2 <= 2 && sc.at(k2) == sep && isDigit(sc.at(k2+1)) {
			v3, n3 := sc.num(k2 + 1)
			if n3 != 4 || !yearOK(v3) {
				return
			}
			return civil{y: v3, numeric: true, a: v1, b: v2, prec: Day}, en, false, k2 + 1 + n3, true
		}
		if sep != '-' {
			return
		}
	}
	// The day comes first: "12 August 2025", "12th of August", "12-Aug-2025",
	// "3–5 March 2024".
	k = sc.suffix(k)
	if sc.at(k) == '-' && isLetter(sc.at(k+1)) {
		mo, k2, _, found := sc.month(k + 1)
		if !found || sc.at(k2) != '-' {
			return
		}
		y, n := sc.num(k2 + 1)
		if n != 4 || !yearOK(y) {
			return
		}
		return civil{y: y, mo: mo, d: v1, prec: Day}, en, false, k2 + 5, true
	}
	d2 := 0
	if k2 := sc.space(k); sc.dash(k2) > 0 {
		k3 := sc.space(k2 + sc.dash(k2))
		v, n := sc.num(k3)
		if n < 1 || n > 2 || v < 1 || v > 31 {
			return
		}
		d2, k = v, sc.suffix(k3+n)
	}
	k2 := sc.space(k)
	if k2 == k {
		return
	}
	if _, k3, of := sc.keyword(k2, isOf); of {
		if k2 = sc.space(k3); k2 == k3 {
			return
		}
	}
	mo, k3, weak, found := sc.month(k2)
	if !found {
		return
	}
	st = civil{mo: mo, d: v1, prec: Day, weak: weak}
	if y, k4, ok := sc.yearAfter(k3); ok {
		st.y, k3 = y, k4
	} else {
		st.noYear = true
	}
	if d2 > 0 {
		en = st
		en.d = d2
		return st, en, true, k3, true
	}
	return st, en, false, k3, true
}

func (sc *scanner) dateMonthFirst(i int) (st, en civil, hasEnd bool, j int, ok bool) {
	mo, k, weak, found := sc.month(i)
	if !found {
		return
	}
	if sc.at(k) == '-' && isDigit(sc.at(k+1)) {
		y, n := sc.num(k + 1)
		if n != 4 || !yearOK(y) {
			return
		}
		return civil{y: y, mo: mo, prec: Month}, en, false, k + 5, true
	}
	comma := sc.at(k) == ','
	j = k
	if comma {
		j++
	}
	j2 := sc.space(j)
	if j2 == j {
		return
	}
	v, n := sc.num(j2)
	switch {
	case n == 4 && yearOK(v):
		return civil{y: v, mo: mo, prec: Month}, en, false, j2 + 4, true
	case (n == 1 || n == 2) && !comma:
	default:
		return
	}
	k = sc.suffix(j2 + n)
	st = civil{mo: mo, d: v, prec: Day, weak: weak}
	// A day range: "March 3–5, 2024". It must end where a date can end,
	// so "March 3 - 5:30pm" is not read as one.
	if k2 := sc.space(k); sc.dash(k2) > 0 {
		k3 := sc.space(k2 + sc.dash(k2))
		if d2, n2 := sc.num(k3); (n2 == 1 || n2 == 2) && 1 <= d2 && d2 <= 31 {
			k4 := sc.suffix(k3 + n2)
			end := st
			end.d = d2
			if y, k5, ok := sc.yearAfter(k4); ok {
				end.y, k4 = y, k5
			} else {
				end.noYear = true
			}
			if sc.rightOK(k4) {
				st.y, st.noYear = end.y, end.noYear
				return st, end, true, k4, true
			}
		}
	}
	if y, k2, ok := sc.yearAfter(k); ok {
		st.y, k = y, k2
	} else {
		st.noYear = true
	}
	return st, en, false, k, true
}

// finish turns an expression into a Match: it chooses the readings of a
// numeric date, gives a range's zone to both ends, and drops an end that
// comes before its start.
func (sc *scanner) finish(e expr) (Match, bool) {
	st, en := e.start, e.end
	hasEnd := e.hasEnd
	if hasEnd && !e.timeOnly {
		switch {
		case st.noYear == en.noYear:
		case st.numeric || en.numeric:
			hasEnd = false
		case st.noYear:
			st.y, st.noYear = en.y, false
			if st.monthDay() > en.monthDay() {
				st.y--
			}
		default:
			en.y, en.noYear = st.y, false
			if en.monthDay() < st.monthDay() {
				en.y++
			}
		}
	}
	if sc.mode == modeFind && st.noYear && st.weak {
		return Match{}, false
	}
	if hasEnd && st.prec == Minute && en.prec == Minute {
		if st.loc == nil && en.loc != nil {
			st.loc, st.zone = en.loc, en.zone
		}
		if en.loc == nil && st.loc != nil {
			en.loc, en.zone = st.loc, st.zone
		}
	}
	type reading struct {
		o          Order
		start, end Date
	}
	orders := []Order{OrderNone}
	if st.numeric || (hasEnd && en.numeric) {
		orders = []Order{DMY, MDY}
	}
	var rs []reading
	for _, o := range orders {
		s, ok := st.date(o, sc.def)
		if !ok {
			continue
		}
		r := reading{o: o, start: s}
		if hasEnd {
			r.end = sc.end(st, en, o, s, e.timeOnly)
		}
		rs = append(rs, r)
	}
	switch {
	case len(rs) == 0:
		return Match{}, false
	case len(rs) == 2 && sameReading(rs[0].start, rs[1].start) && sameReading(rs[0].end, rs[1].end):
		rs = rs[:1]
	case len(rs) == 2 && rs[0].end.IsZero() != rs[1].end.IsZero():
		// Only one reading makes a range that runs forward: that settles it.
		if rs[0].end.IsZero() {
			rs = rs[1:]
		} else {
			rs = rs[:1]
		}
	}
	m := Match{Start: rs[0].start, End: rs[0].end, Pos: e.pos, EndPos: e.endPos, NoYear: st.noYear}
	if len(orders) == 2 {
		m.Order = rs[0].o
	}
	if len(rs) == 2 {
		m.Ambiguous, m.Alt, m.altEnd = true, rs[1].start, rs[1].end
	}
	return m, true
}

// end builds a range's end under reading o, or the zero Date when the end
// is not a date or comes before the start. A time alone that is earlier
// than the start is on the next day.
func (sc *scanner) end(st, en civil, o Order, s Date, timeOnly bool) Date {
	if timeOnly {
		sd, _ := st.date(o, sc.def)
		y, mo, d := sd.Time.Date()
		en.y, en.mo, en.d, en.numeric = y, int(mo), d, false
		t, ok := en.date(OrderNone, sc.def)
		if !ok {
			return Date{}
		}
		if t.Time.Before(s.Time) {
			t.Time = t.Time.AddDate(0, 0, 1)
		}
		if t.Time.Before(s.Time) {
			return Date{}
		}
		return t
	}
	t, ok := en.date(o, sc.def)
	if !ok || !periodEnd(t).After(s.Time) {
		return Date{}
	}
	return t
}

func sameReading(a, b Date) bool {
	return a.Precision == b.Precision && a.Time.Equal(b.Time)
}
