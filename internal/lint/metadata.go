package lint

import (
	"fmt"
	"strings"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
)

func (c *checker) metadata() {
	inc := c.inc
	if inc.TitlePos.Line == 0 {
		c.report(c.filePos(), Warning, TitleMissing, "", "add a title to the metadata or a heading at the top",
			"no title; the file name stands in (%q)", inc.Title)
	}
	c.dates()
	if len(c.cfg.Severities) > 0 && inc.Severity != "" {
		c.oneOf(UnknownSeverity, "severity", "severities", inc.Severity, c.cfg.Severities, []string{"severity", "sev"})
	}
	if len(c.cfg.Statuses) > 0 && inc.Status != "" {
		c.oneOf(UnknownStatus, "status", "statuses", inc.Status, c.cfg.Statuses, []string{"status"})
	}
	if len(c.cfg.Systems) > 0 {
		c.vocabulary(UnknownSystem, "system", inc.Systems, c.cfg.Systems, []string{"systems", "system"})
	}
	if len(c.cfg.Causes) > 0 {
		c.vocabulary(UnknownCause, "cause", inc.Causes, c.cfg.Causes, []string{"causes", "cause"})
	}
}

// dates reports an incident without a date, dates that disagree, and a
// numeric date with two readings that nothing in the file settles.
func (c *checker) dates() {
	inc := c.inc
	if inc.Date.IsZero() {
		msg, hint := "no date in the metadata, the text, the title or the path", "add date: YYYY-MM-DD to the metadata, or start the file name with the date"
		if inc.Log != nil {
			msg, hint = "log entry without a date", "start the entry's heading or its first line with the date: 2019-09-12 19:59 ET"
		}
		c.report(c.filePos(), Error, DateMissing, "", hint, "%s", msg)
	}
	for _, pair := range inc.Conflicts() {
		a, b := pair[0], pair[1]
		pos := a.Pos
		if pos.Line == 0 && b.Pos.Line > 0 {
			pos = b.Pos
		}
		c.report(pos, Warning, DateConflict, b.From, fmt.Sprintf("make the %s and the %s agree", describeFrom(a.From), describeFrom(b.From)),
			"date %s (from the %s) differs from %s (from the %s)", a.Date, describeFrom(a.From), b.Date, describeFrom(b.From))
	}
	for _, d := range inc.Dates {
		if d.Ambiguous {
			c.report(d.Pos, Warning, DateAmbiguous, d.From, "write the date as YYYY-MM-DD, or add a date elsewhere in the file that settles it",
				"date could be %s or %s; only %s is used", d.Reading, d.Alt, d.Date)
		}
	}
}

func describeFrom(from string) string {
	switch from {
	case incident.FromPreamble:
		return "top of the text"
	case incident.FromText:
		return "opening paragraph"
	}
	return from
}

func (c *checker) oneOf(rule, what, whats, value string, allowed []string, keys []string) {
	for _, a := range allowed {
		if strings.EqualFold(a, value) {
			return
		}
	}
	pos, _ := c.field(keys...)
	hint := fmt.Sprintf("use one of: %s", strings.Join(allowed, ", "))
	if s := Suggest(value, allowed); s != "" {
		hint = fmt.Sprintf("did you mean %q? The site allows: %s", s, strings.Join(allowed, ", "))
	}
	c.report(pos.Pos, Warning, rule, value, hint, "%s %q is not one of the site's %s", what, value, whats)
}

func (c *checker) vocabulary(rule, what string, values []string, vocab map[string][]string, keys []string) {
	var names []string
	known := map[string]bool{}
	for name, aliases := range vocab {
		names = append(names, name)
		known[markup.Slug(name)] = true
		for _, a := range aliases {
			known[markup.Slug(a)] = true
		}
	}
	pos, _ := c.field(keys...)
	for _, v := range values {
		if known[markup.Slug(v)] {
			continue
		}
		hint := fmt.Sprintf("add %q to [%ss] in site.toml if it is new", v, what)
		if s := Suggest(v, names); s != "" {
			hint = fmt.Sprintf("did you mean %q? Or add %q to [%ss] in site.toml", s, v, what)
		}
		c.report(pos.Pos, Warning, rule, v, hint, "%s %q is not in the site's vocabulary", what, v)
	}
}

// Suggest returns the candidate closest to v when it is close enough to
// be a likely typo (or the same word spelled differently: "sev-1", "Sev1"),
// else "". Ties go to the alphabetically first candidate.
func Suggest(v string, candidates []string) string {
	best, bestD := "", 1<<30
	sv := squash(v)
	for _, c := range candidates {
		if squash(c) == sv {
			return c
		}
		d := distance(strings.ToLower(v), strings.ToLower(c))
		limit := 2
		if len(v) <= 4 {
			limit = 1
		}
		if d <= limit && (d < bestD || (d == bestD && c < best)) {
			best, bestD = c, d
		}
	}
	return best
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == ' ' || r == '.' {
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// distance is the Levenshtein distance between a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
