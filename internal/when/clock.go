package when

import (
	"strings"
	"time"
)

// clock is a time of day as written, with its zone.
type clock struct {
	h, mi, s, ns int
	zone         string
	loc          *time.Location
}

// clockAfterDate reads the time that follows a date: "T15:15:00Z" right
// after an ISO date, or after a space, a comma, "at", "@", "around",
// "approximately" or "~": "15:15", "at approximately 01:55 UTC", "~5pm".
func (sc *scanner) clockAfterDate(j int, iso bool) (clock, int, bool) {
	if iso && (sc.at(j) == 'T' || sc.at(j) == 't') && isDigit(sc.at(j+1)) {
		return sc.clock(j+1, true)
	}
	k := sc.space(j)
	if sc.at(k) == ',' {
		k = sc.space(k + 1)
	}
	if k == j {
		return clock{}, j, false
	}
	if _, k2, ok := sc.keyword(k, isAt); ok {
		if k = sc.space(k2); k == k2 {
			return clock{}, j, false
		}
	} else if sc.at(k) == '@' {
		k = sc.space(k + 1)
	}
	if _, k2, ok := sc.keyword(k, isApproxWord); ok {
		if sc.at(k2) == '.' {
			k2++
		}
		if k = sc.space(k2); k == k2 {
			return clock{}, j, false
		}
	}
	if sc.at(k) == '~' {
		k = sc.space(k + 1)
	}
	return sc.clock(k, false)
}

// clock reads a time of day at i: "15:15", "15:15:30", "15:15:30.123",
// "4:23PM", "10:00 a.m.", "5pm", then a zone. iso is set after an ISO "T",
// where 12-hour forms are not used and "-05:00" is always an offset.
// An hour past 12 with "pm" ("13:20pm") is read as the 24-hour time it
// already is.
func (sc *scanner) clock(i int, iso bool) (clock, int, bool) {
	var c clock
	h, n := sc.num(i)
	if n < 1 || n > 2 {
		return c, i, false
	}
	j := i + n
	colon, secs := false, false
	if sc.at(j) == ':' && isDigit(sc.at(j+1)) {
		mi, n2 := sc.num(j + 1)
		if n2 != 2 {
			return c, i, false
		}
		c.mi, j, colon = mi, j+3, true
		if sc.at(j) == ':' && isDigit(sc.at(j+1)) {
			s, n3 := sc.num(j + 1)
			if n3 != 2 {
				return c, i, false
			}
			c.s, j, secs = s, j+3, true
			if (sc.at(j) == '.' || sc.at(j) == ',') && isDigit(sc.at(j+1)) {
				k, digits, ns := j+1, 0, 0
				for isDigit(sc.at(k)) && digits < 10 {
					ns = ns*10 + int(sc.s[k]-'0')
					k++
					digits++
				}
				if digits > 9 {
					return c, i, false
				}
				for d := digits; d < 9; d++ {
					ns *= 10
				}
				c.ns, j = ns, k
			}
		}
	}
	if !colon && iso {
		return c, i, false
	}
	if !iso {
		if pm, k, ok := sc.meridiem(j); ok {
			switch {
			case 1 <= h && h <= 12:
				if pm && h != 12 {
					h += 12
				} else if !pm && h == 12 {
					h = 0
				}
			case !colon, h == 0 && pm:
				// "00:30 PM" is no time on a 12-hour clock.
				return c, i, false
			}
			j = k
		} else if !colon {
			return c, i, false
		}
	}
	if h > 23 || c.mi > 59 || c.s > 59 {
		return c, i, false
	}
	c.h = h
	if z, loc, k, ok := sc.zoneAfter(j, iso || secs); ok {
		c.zone, c.loc, j = z, loc, k
	}
	return c, j, true
}

// meridiem reads "am", "PM", "a.m." or "p.m" at j, after at most one space.
func (sc *scanner) meridiem(j int) (pm bool, k int, ok bool) {
	k = j
	if sc.at(k) == ' ' {
		k++
	} else if strings.HasPrefix(sc.s[k:], "\u202f") {
		k += 3
	}
	switch sc.at(k) | 0x20 {
	case 'a':
	case 'p':
		pm = true
	default:
		return false, j, false
	}
	switch {
	case sc.at(k+1)|0x20 == 'm':
		k += 2
	case sc.at(k+1) == '.' && sc.at(k+2)|0x20 == 'm':
		k += 3
		if sc.at(k) == '.' {
			k++
		}
	default:
		return false, j, false
	}
	if isWordRune(sc.runeAt(k)) {
		return false, j, false
	}
	return pm, k, true
}

// zoneAfter reads the zone after a time: "Z" or an offset joined to it, or
// after spaces a name, an offset, or either in parentheses ("(BST)").
// offsetDash allows "-05:00" after a space; otherwise a dash and a time
// after a time start a range ("10:00 -11:00"), and only "-0500" and "-05"
// are offsets.
func (sc *scanner) zoneAfter(j int, offsetDash bool) (string, *time.Location, int, bool) {
	if sc.at(j) == 'Z' && !isWordRune(sc.runeAt(j+1)) {
		return "Z", time.UTC, j + 1, true
	}
	k := sc.space(j)
	if sc.at(k) == '(' {
		z, loc, k2, ok := sc.zoneToken(sc.space(k+1), true)
		if k2 = sc.space(k2); ok && sc.at(k2) == ')' {
			return z, loc, k2 + 1, true
		}
		return "", nil, j, false
	}
	return sc.zoneToken(k, offsetDash)
}

// zoneToken reads a zone name or offset at i. Abbreviations must be in
// capitals ("PT", not "pt"), since lower-case "et" and "ist" are words;
// "utc" and "gmt" and the long names ("Pacific time") may be in any case.
func (sc *scanner) zoneToken(i int, offsetDash bool) (string, *time.Location, int, bool) {
	if c := sc.at(i); c == '+' || c == '-' {
		k, ok := sc.offset(i, c == '+' || offsetDash, false)
		if !ok {
			return "", nil, i, false
		}
		return sc.zoneNamed(sc.s[i:k], k)
	}
	w := sc.word(i)
	if w == "" {
		return "", nil, i, false
	}
	k := i + len(w)
	up := strings.ToUpper(w)
	switch {
	case up == "UTC" || up == "GMT" || up == "UT":
		if w != up && w != strings.ToLower(w) {
			return "", nil, i, false
		}
		if c := sc.at(k); (c == '+' || c == '-') && isDigit(sc.at(k+1)) {
			k2, ok := sc.offset(k, true, true)
			if !ok {
				return "", nil, i, false
			}
			return sc.zoneNamed(sc.s[i:k2], k2)
		}
	case len(w) > 2 && isRuleZone(up):
		// "Pacific", "Eastern time"
		if isWordRune(sc.runeAt(k)) {
			return "", nil, i, false
		}
		z, loc, _, ok := sc.zoneNamed(w, k)
		if !ok {
			return "", nil, i, false
		}
		if k2 := sc.space(k); k2 > k {
			if _, k3, ok := sc.keyword(k2, isTime); ok {
				k = k3
			}
		}
		return z, loc, k, true
	case w != up:
		return "", nil, i, false
	}
	if isWordRune(sc.runeAt(k)) {
		return "", nil, i, false
	}
	return sc.zoneNamed(w, k)
}

// offset reads "+02:00", "+0200" or "+02" at i ("+2" and "+5:30" too after
// "UTC"); colon says whether the "HH:MM" form is allowed.
func (sc *scanner) offset(i int, colon, prefixed bool) (int, bool) {
	k := i + 1
	v, n := sc.num(k)
	_ = v
	switch {
	case (n == 2 || (n == 1 && prefixed)) && sc.at(k+n) == ':' && isDigit(sc.at(k+n+1)):
		if !colon {
			return i, false
		}
		if _, n2 := sc.num(k + n + 1); n2 != 2 {
			return i, false
		}
		k += n + 3
	case n == 4, n == 2, n == 1 && prefixed:
		k += n
	default:
		return i, false
	}
	if isWordRune(sc.runeAt(k)) || (sc.at(k) == ':' && isDigit(sc.at(k+1))) {
		return i, false
	}
	return k, true
}

// zoneNamed looks a zone up, once per call and name.
func (sc *scanner) zoneNamed(name string, k int) (string, *time.Location, int, bool) {
	loc, seen := sc.zones[name]
	if !seen {
		loc, _ = LookupZone(name)
		if sc.zones == nil {
			sc.zones = map[string]*time.Location{}
		}
		sc.zones[name] = loc
	}
	if loc == nil {
		return "", nil, 0, false
	}
	return name, loc, k, true
}
