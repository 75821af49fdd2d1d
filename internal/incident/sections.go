package incident

import (
	"regexp"
	"sort"
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Canonical section keys.
const (
	Summary        = "summary"
	Impact         = "impact"
	Timeline       = "timeline"
	Detection      = "detection"
	RootCause      = "root-cause"
	Resolution     = "resolution"
	LessonsLearned = "lessons-learned"
	ActionItems    = "action-items"
)

// DefaultAliases maps each canonical section key to the headings that mean
// it in widely used templates (Google SRE, PagerDuty, Atlassian, Etsy Morgue,
// Python Discord, Hachyderm). It returns a new map each call, for callers
// to extend.
func DefaultAliases() map[string][]string {
	return map[string][]string{
		Summary:        {"Summary", "Overview", "Context", "Description", "TL;DR", "TLDR", "Executive summary", "Incident summary", "Background", "What happened"},
		Impact:         {"Impact", "Customer impact", "User impact", "Business impact", "Who was affected", "Scope"},
		Timeline:       {"Timeline", "Leadup", "Lead-up", "Sequence of events", "Events", "Chronology", "Detailed timeline", "Events/Timeline", "Incident timeline"},
		Detection:      {"Detection", "How was it detected", "How it was detected", "Discovery", "Trigger"},
		RootCause:      {"Root cause", "Root causes", "Root cause(s)", "Blameless root cause", "Contributing factors", "Cause", "Causes", "Five whys", "5 whys", "Root cause analysis", "Root causes and trigger", "Why did it happen"},
		Resolution:     {"Resolution", "Recovery", "Mitigation", "Response", "Resolution and recovery", "Short term fix", "Fix", "Remediation steps"},
		LessonsLearned: {"Lessons learned", "Lessons learnt", "Lessons", "What went well", "What went poorly", "What went wrong", "What didn't go well", "Where we got lucky", "Where did we get lucky", "Things that went well", "Things that went poorly", "Learnings", "Takeaways"},
		ActionItems:    {"Action items", "Follow-up tasks", "Follow-ups", "Follow up", "Followups", "Resulting action", "Resulting actions", "Corrective and preventative measures", "Corrective actions", "Next steps", "Remediation", "Long term solution", "Action plan", "Todo", "Tasks"},
	}
}

// Matcher maps normalised headings to canonical keys.
type Matcher struct {
	byAlias map[string]string
	// phrases are the aliases distinctive enough to recognise inside a
	// longer heading ("Working theory (root cause)", "A short timeline"):
	// those of two words or more, and a few single words that mean one
	// section whatever surrounds them. Longest first.
	phrases []string
	// padded are the phrases with a space either side, as they are
	// looked for in a heading: made once, not once per heading.
	padded []string
}

// distinctive single words: unlike "cause", "events" or "response", they
// name their section wherever they stand in a heading.
func distinctive(word string) bool {
	switch word {
	case "timeline", "impact", "chronology", "leadup", "detection", "resolution", "mitigation", "postmortem":
		return true
	}
	return false
}

// NewMatcher builds a matcher from canonical key → alias headings. Each
// canonical key is also an alias of itself. When two keys claim the same
// alias, the alphabetically first key wins, so the result never depends on
// map order.
func NewMatcher(aliases map[string][]string) *Matcher {
	m := &Matcher{byAlias: map[string]string{}}
	keys := make([]string, 0, len(aliases))
	for k := range aliases {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, a := range append([]string{strings.ReplaceAll(k, "-", " ")}, aliases[k]...) {
			n := markup.NormalizeHeading(a)
			if _, taken := m.byAlias[n]; !taken && n != "" {
				m.byAlias[n] = k
				if strings.Contains(n, " ") || distinctive(n) {
					m.phrases = append(m.phrases, n)
				}
			}
		}
	}
	sort.SliceStable(m.phrases, func(i, j int) bool { return len(m.phrases[i]) > len(m.phrases[j]) })
	for _, p := range m.phrases {
		m.padded = append(m.padded, " "+p+" ")
	}
	return m
}

// Canonical returns the canonical key for a normalised heading, and whether
// the heading is a known alias or holds one: an exact match wins, else the
// distinctive alias that starts earliest in the heading (the longest, on a
// tie).
func (m *Matcher) Canonical(normalized string) (string, bool) {
	if k, ok := m.byAlias[normalized]; ok {
		return k, true
	}
	padded := " " + normalized + " "
	best, at := "", len(padded)
	for j, p := range m.padded {
		if i := strings.Index(padded, p); i >= 0 && i < at {
			best, at = m.byAlias[m.phrases[j]], i
		}
	}
	return best, best != ""
}

// DefaultPlaceholders are bodies that mean "not written yet".
func DefaultPlaceholders() []string {
	return []string{`(?i)^(todo|tbd|tba|n/?a|none yet|to be (written|determined|decided)|wip|coming soon|fill (this|me) in|placeholder|xxx|\?+|-+|…|\.\.\.)[.!:]*$`}
}

// Section is a heading of the postmortem with its canonical key.
type Section struct {
	Title string
	// Key is the canonical key (action-items) when the heading is a known
	// alias, else the normalised heading.
	Key string
	// Normal is the heading normalised as written, before aliases: lint
	// tells a heading written twice from two aliases of one section.
	Normal    string
	Canonical bool
	Level     int
	ID        string
	Pos       markup.Pos
	// Empty is true when the section and its subsections hold nothing
	// but comments, the template's prompt or a placeholder.
	Empty    bool
	Sections []*Section
	// Text is the visible text of the section's own blocks, its
	// subsections' not included.
	Text string
	// Source is the section in the document model, while the file is
	// read; nil once its tree is dropped (see [File.Release]).
	Source *markup.Section
}

// Walk calls fn for every section, parents before children.
func Walk(ss []*Section, fn func(*Section)) {
	for _, s := range ss {
		fn(s)
		Walk(s.Sections, fn)
	}
}

func (x *extractor) sections(ms []*markup.Section) []*Section {
	out := make([]*Section, 0, len(ms))
	for _, m := range ms {
		key, ok := x.cfg.Matcher.Canonical(m.Key)
		if !ok {
			key = m.Key
		}
		s := &Section{
			Title: m.Title, Key: key, Normal: m.Key, Canonical: ok, Level: m.Level, ID: m.ID, Pos: m.Pos,
			Sections: x.sections(m.Sections), Source: m,
		}
		s.Empty = x.blank(m.Body)
		s.Text = markup.PlainText(m.Body)
		for _, c := range s.Sections {
			if !c.Empty {
				s.Empty = false
			}
		}
		out = append(out, s)
	}
	return out
}

// blank reports whether blocks say nothing: no blocks, only comments,
// targets, prompts (all-italic paragraphs, block quotes) or placeholders.
func (x *extractor) blank(blocks []*markup.Node) bool {
	for _, b := range blocks {
		switch b.Kind {
		case markup.Comment, markup.Target, markup.ThematicBreak:
			continue
		case markup.BlockQuote:
			continue // a quoted prompt from the template
		case markup.Paragraph:
			if !hasImage(b) && (isPrompt(b) || x.isPlaceholder(markup.PlainText([]*markup.Node{b}))) {
				continue
			}
		case markup.List:
			if x.listBlank(b) {
				continue
			}
		case markup.HTMLBlock:
			if strings.TrimSpace(markup.PlainText([]*markup.Node{b})) == "" {
				continue
			}
		}
		return false
	}
	return true
}

// listBlank: a list whose items are all placeholders ("- TODO", "- [ ]").
func (x *extractor) listBlank(l *markup.Node) bool {
	for _, it := range l.Children {
		t := markup.PlainText(it.Children)
		if t != "" && !x.isPlaceholder(t) {
			return false
		}
	}
	return true
}

func (x *extractor) isPlaceholder(text string) bool {
	t := strings.Join(strings.Fields(text), " ")
	if t == "" {
		return true
	}
	for _, re := range x.cfg.placeholders {
		if re.MatchString(t) {
			return true
		}
	}
	return false
}

// isPrompt reports whether a paragraph is entirely emphasised: the way
// templates write the question a section should answer.
func isPrompt(p *markup.Node) bool {
	seen := false
	for _, c := range p.Children {
		switch c.Kind {
		case markup.Emphasis:
			seen = true
		case markup.Text:
			if strings.TrimSpace(c.Literal) != "" {
				return false
			}
		case markup.LineBreak:
		default:
			return false
		}
	}
	return seen
}

func compilePlaceholders(pats []string) ([]*regexp.Regexp, error) {
	out := make([]*regexp.Regexp, 0, len(pats))
	for _, p := range pats {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, re)
	}
	return out, nil
}

// DefaultPrompts are the questions the new-postmortem template puts under
// each canonical section. Text left exactly as the prompt counts as empty.
func DefaultPrompts() map[string]string {
	return map[string]string{
		Summary:        "What happened, in two or three sentences, for someone who was not there.",
		Impact:         "Who was affected, how badly and for how long? Numbers if you have them.",
		Timeline:       "What happened when, in UTC, from the first sign to the all-clear.",
		Detection:      "How did we find out? Which alert, which person, how long after it started?",
		RootCause:      "Why did it happen? Ask why until the answer is about systems, not people.",
		Resolution:     "What stopped the damage, and what brought the service back?",
		LessonsLearned: "What went well, what went poorly, and where did we get lucky?",
		ActionItems:    "What will we change so this does not happen again? One owner per item.",
	}
}

// hasImage reports whether a block shows an image: a chart says something
// even without a caption.
func hasImage(n *markup.Node) bool {
	found := false
	markup.Walk([]*markup.Node{n}, func(c *markup.Node, entering bool) markup.WalkStatus {
		if entering && c.Kind == markup.Image && c.URL != "" {
			found = true
			return markup.WalkStop
		}
		return markup.WalkContinue
	})
	return found
}
