package lint

import (
	"fmt"
	"strings"

	"github.com/kb-postmortems/kb/internal/incident"
)

func (c *checker) sections() {
	byKey := map[string][]*incident.Section{}
	incident.Walk(c.inc.Sections, func(s *incident.Section) {
		byKey[s.Key] = append(byKey[s.Key], s)
	})
	check := func(keys []string, sev Severity) {
		for _, key := range keys {
			found := byKey[key]
			if len(found) == 0 {
				if key == incident.Summary && c.hasIntro() {
					continue // an untitled opening paragraph is the summary
				}
				c.report(c.filePos(), sev, SectionMissing, c.name(key), c.addHint(key),
					"%s section %q is missing", requiredWord(sev), c.name(key))
				continue
			}
			empty := true
			for _, s := range found {
				if !s.Empty {
					empty = false
				}
			}
			if empty {
				s := found[0]
				c.report(s.Pos, sev, SectionEmpty, s.Title, "write what happened under it, or remove the template's prompt",
					"%s section %q is empty: it holds only a prompt, a comment or a placeholder", requiredWord(sev), s.Title)
			}
		}
	}
	// An entry of a log is a note, not a full postmortem: what the site
	// requires of a postmortem, it only recommends of an entry.
	req := Error
	if c.inc.Log != nil {
		req = Warning
	}
	check(c.cfg.Required, req)
	check(c.cfg.Recommended, Warning)
	c.duplicates(c.inc.Sections)
}

func requiredWord(sev Severity) string {
	if sev == Error {
		return "required"
	}
	return "recommended"
}

// hasIntro reports whether the postmortem opens with a paragraph before its
// first heading, or carries a summary in its metadata.
func (c *checker) hasIntro() bool {
	return c.inc.Description != "" || c.inc.Body.Opening
}

// name is how a canonical key is written: its first alias.
func (c *checker) name(key string) string {
	if a := c.cfg.Aliases[key]; len(a) > 0 {
		return a[0]
	}
	return key
}

func (c *checker) addHint(key string) string {
	aliases := c.cfg.Aliases[key]
	h := fmt.Sprintf("add a heading \"## %s\"", c.name(key))
	if len(aliases) > 1 {
		more := aliases[1:]
		if len(more) > 5 {
			more = more[:5]
		}
		h += "; also accepted: " + strings.Join(more, ", ")
	}
	return h
}

// duplicates reports a known section whose heading repeats a sibling's.
// Other headings may repeat: a timeline often has two entries at "14:05".
func (c *checker) duplicates(ss []*incident.Section) {
	seen := map[string]*incident.Section{}
	for _, s := range ss {
		norm := s.Normal
		if prev, ok := seen[norm]; ok && norm != "" && s.Canonical {
			c.report(s.Pos, Warning, SectionDuplicate, s.Title, "merge the two sections",
				"section %q appears twice (first on line %d)", s.Title, prev.Pos.Line)
		} else {
			seen[norm] = s
		}
		c.duplicates(s.Sections)
	}
}
