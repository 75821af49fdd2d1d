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
		c.report(c.filePos(), Warning, "title-missing", "", "add a title to the metadata or a heading at the top",
			"no title; the file name stands in (%q)", inc.Title)
	}
	if inc.Date.IsZero() {
		c.report(c.filePos(), Error, "date-missing", "", "add date: YYYY-MM-DD to the metadata, or start the file name with the date",
			"no date in the metadata or the file name")
	} else if inc.DateFrom == "metadata" {
		if fd, ok := incident.DateFromPath(inc.Path, inc.Date.Location()); ok && fd.Format("2006-01-02") != inc.Date.Format("2006-01-02") {
			c.report(inc.DatePos, Warning, "date-conflict", "", "make the file name and the date agree",
				"date %s differs from the file name's %s", inc.Date.Format("2006-01-02"), fd.Format("2006-01-02"))
		}
	}
	if len(c.cfg.Severities) > 0 && inc.Severity != "" {
		c.oneOf("unknown-severity", "severity", "severities", inc.Severity, c.cfg.Severities, []string{"severity", "sev"})
	}
	if len(c.cfg.Statuses) > 0 && inc.Status != "" {
		c.oneOf("unknown-status", "status", "statuses", inc.Status, c.cfg.Statuses, []string{"status"})
	}
	if len(c.cfg.Systems) > 0 {
		c.vocabulary("unknown-system", "system", inc.Systems, c.cfg.Systems, []string{"systems", "system"})
	}
	if len(c.cfg.Causes) > 0 {
		c.vocabulary("unknown-cause", "cause", inc.Causes, c.cfg.Causes, []string{"causes", "cause"})
	}
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
