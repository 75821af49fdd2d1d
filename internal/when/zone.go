package when

import (
	"encoding/binary"
	"strings"
	"time"
)

// fixedOffset gives the offset, in seconds east of UTC, of an abbreviation
// that names one offset. Authors who write "PDT" in December still mean -7:
// the text is the evidence, so the abbreviation is taken as written rather
// than corrected. "CST" is US Central, not China, and "IST" is India: the
// archives this package reads are mostly written by US, European and
// Indian teams, and China writes "+08:00" or "Beijing time".
func fixedOffset(up string) (int, bool) {
	const h = 3600
	switch up {
	case "PST":
		return -8 * h, true
	case "PDT", "MST":
		return -7 * h, true
	case "MDT", "CST":
		return -6 * h, true
	case "CDT", "EST":
		return -5 * h, true
	case "EDT":
		return -4 * h, true
	case "AKST":
		return -9 * h, true
	case "AKDT":
		return -8 * h, true
	case "HST":
		return -10 * h, true
	case "WET":
		return 0, true
	case "WEST", "BST", "CET", "MET":
		return 1 * h, true
	case "CEST", "MEST", "EET":
		return 2 * h, true
	case "EEST", "MSK":
		return 3 * h, true
	case "IST":
		return 5*h + h/2, true
	case "SGT", "HKT", "AWST":
		return 8 * h, true
	case "JST", "KST":
		return 9 * h, true
	case "ACST":
		return 9*h + h/2, true
	case "ACDT":
		return 10*h + h/2, true
	case "AEST":
		return 10 * h, true
	case "AEDT":
		return 11 * h, true
	case "NZST":
		return 12 * h, true
	case "NZDT":
		return 13 * h, true
	}
	return 0, false
}

// A ruleZone is a generic name ("PT", "Pacific") that follows daylight
// saving time. tz is the tzdata name; rule is the POSIX TZ string used when
// tzdata is missing, so a binary without tzdata still gets summer right for
// the years the rule covers (2007 on for the US).
type ruleZone struct {
	tz, rule string
}

// ruleZoneFor gives the rule zone of a generic name in capitals.
func ruleZoneFor(up string) (ruleZone, bool) {
	switch up {
	case "PT", "PACIFIC":
		return ruleZone{"America/Los_Angeles", "PST8PDT,M3.2.0,M11.1.0"}, true
	case "MT", "MOUNTAIN":
		return ruleZone{"America/Denver", "MST7MDT,M3.2.0,M11.1.0"}, true
	case "CT", "CENTRAL":
		return ruleZone{"America/Chicago", "CST6CDT,M3.2.0,M11.1.0"}, true
	case "ET", "EASTERN":
		return ruleZone{"America/New_York", "EST5EDT,M3.2.0,M11.1.0"}, true
	}
	return ruleZone{}, false
}

func isRuleZone(up string) bool {
	_, ok := ruleZoneFor(up)
	return ok
}

// LookupZone maps a zone name or offset as written to a location: "UTC",
// "GMT" and "Z" give UTC; generic names ("PT", "Pacific", "ET", "CT", "MT")
// follow daylight saving time; abbreviations ("PST", "CEST", "IST") are the
// fixed offset they name, even out of season, because that is what the
// author wrote; offsets ("+02:00", "+0200", "-05", "UTC+2", "GMT-5",
// "UTC+05:30") are fixed zones. Names are matched case-insensitively.
//
// Generic names use tzdata when the system has it, and otherwise a rule
// built in, so that dates never fail to parse on a machine without tzdata.
func LookupZone(name string) (*time.Location, bool) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 16 {
		return nil, false
	}
	up := strings.ToUpper(name)
	switch up {
	case "UTC", "GMT", "Z", "UT", "ZULU":
		return time.UTC, true
	}
	if up[0] == '+' || up[0] == '-' {
		return offsetZone(up)
	}
	for _, p := range []string{"UTC", "GMT", "UT"} {
		if strings.HasPrefix(up, p) && len(up) > len(p) && (up[len(p)] == '+' || up[len(p)] == '-') {
			return offsetZone(up[len(p):])
		}
	}
	if off, ok := fixedOffset(up); ok {
		return time.FixedZone(up, off), true
	}
	if z, ok := ruleZoneFor(up); ok {
		return ruleLocation(z), true
	}
	return nil, false
}

// offsetZone reads "+02:00", "+0200", "+02", "+2", "-5", "+5:30". The zone
// has no name, so Time.Format("MST") shows the offset itself.
func offsetZone(s string) (*time.Location, bool) {
	sign := 1
	switch s[0] {
	case '+':
	case '-':
		sign = -1
	default:
		return nil, false
	}
	h, m, ok := readOffset(s[1:])
	if !ok {
		return nil, false
	}
	off := sign * (h*3600 + m*60)
	if off == 0 {
		return time.UTC, true
	}
	return time.FixedZone("", off), true
}

// readOffset reads the digits of an offset after its sign: "2", "02",
// "0200", "02:00", "5:30".
func readOffset(s string) (h, m int, ok bool) {
	d := 0
	for d < len(s) && isDigit(s[d]) {
		d++
	}
	switch {
	case d == len(s) && (d == 1 || d == 2):
		h = atoi(s)
	case d == len(s) && d == 4:
		h, m = atoi(s[:2]), atoi(s[2:])
	case (d == 1 || d == 2) && len(s) == d+3 && s[d] == ':' && isDigit(s[d+1]) && isDigit(s[d+2]):
		h, m = atoi(s[:d]), atoi(s[d+1:])
	default:
		return 0, 0, false
	}
	if h > 14 || m > 59 {
		return 0, 0, false
	}
	return h, m, true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// ruleLocation loads the tzdata zone, or builds one from the POSIX rule
// when tzdata is absent.
func ruleLocation(z ruleZone) *time.Location {
	if loc, err := time.LoadLocation(z.tz); err == nil {
		return loc
	}
	return posixLocation(z.tz, z.rule)
}

// posixLocation builds a location that follows a POSIX TZ rule such as
// "PST8PDT,M3.2.0,M11.1.0" for all time. It encodes a TZif file with no
// transitions and the rule as its footer, which time.LoadLocationFromTZData
// applies to every instant. Only the two abbreviations of the rule are
// needed; offsets come from the rule. It returns a fixed zone at the
// standard offset should the rule not load, which cannot happen for the
// rules above but keeps this function total.
func posixLocation(name, rule string) *time.Location {
	std, dst, stdOff := splitRule(rule)
	abbr := std + "\x00" + dst + "\x00"
	var b []byte
	header := func(typecnt, charcnt int) {
		b = append(b, "TZif2"...)
		b = append(b, make([]byte, 15)...)
		for _, n := range []int{0, 0, 0, 0, typecnt, charcnt} {
			b = binary.BigEndian.AppendUint32(b, uint32(n))
		}
	}
	ttinfo := func(off int, isDST bool, idx int) {
		b = binary.BigEndian.AppendUint32(b, uint32(int32(off)))
		d := byte(0)
		if isDST {
			d = 1
		}
		b = append(b, d, byte(idx))
	}
	body := func() {
		ttinfo(stdOff, false, 0)
		ttinfo(stdOff+3600, true, len(std)+1)
		b = append(b, abbr...)
	}
	header(2, len(abbr))
	body()
	header(2, len(abbr))
	body()
	b = append(b, '\n')
	b = append(b, rule...)
	b = append(b, '\n')
	loc, err := time.LoadLocationFromTZData(name, b)
	if err != nil {
		return time.FixedZone(std, stdOff)
	}
	return loc
}

// splitRule reads the abbreviations and standard offset of a rule of the
// form "PST8PDT,…" (letters, hours west of UTC, letters).
func splitRule(rule string) (std, dst string, stdOff int) {
	i := 0
	for i < len(rule) && isLetter(rule[i]) {
		i++
	}
	std = rule[:i]
	j := i
	for j < len(rule) && isDigit(rule[j]) {
		j++
	}
	stdOff = -atoi(rule[i:j]) * 3600
	k := j
	for k < len(rule) && isLetter(rule[k]) {
		k++
	}
	return std, rule[j:k], stdOff
}
