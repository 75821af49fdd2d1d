// Package lint checks incidents against the site's rules: the sections a
// team requires, filled in; metadata the rest of the site can rely on;
// links between postmortems that resolve. Findings are values
// ([Diagnostic]); printing them in text, JSON, GitHub or SARIF form is left
// to the command line.
package lint

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
)

// Severity of a finding.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Rank orders severities: errors above warnings.
func (s Severity) Rank() int {
	if s == Error {
		return 2
	}
	return 1
}

// Diagnostic is one finding.
type Diagnostic struct {
	Pos      markup.Pos `json:"pos"`
	Severity Severity   `json:"severity"`
	Rule     string     `json:"rule"`
	Message  string     `json:"message"`
	Hint     string     `json:"hint,omitempty"`
	// Subject is what the finding is about, when it is one thing: the
	// section's name for section rules, the value for vocabulary rules.
	Subject string `json:"subject,omitempty"`
	// Incident is the ID of the incident the finding is about when its
	// file holds several (a log); empty otherwise.
	Incident string `json:"incident,omitempty"`
}

// Config is what the site's rules are.
type Config struct {
	// Required and Recommended are canonical section keys: a missing or
	// empty required section is an error, a recommended one a warning.
	Required    []string
	Recommended []string
	// Aliases are the headings that mean each canonical key; lint uses
	// them in hints ("also accepted: …").
	Aliases map[string][]string
	// Disabled rules report nothing.
	Disabled []string
	// Overrides change the rules for files under some paths.
	Overrides []Override
	// Severities and Statuses, when set, are the only values allowed.
	Severities []string
	Statuses   []string
	// Systems and Causes, when set, map each known name to its aliases.
	Systems map[string][]string
	Causes  map[string][]string
}

// Override applies to incidents whose content path matches Path, a glob in
// which "**" matches any number of folders ("archive/**", "*/drafts/*").
// A nil list leaves the site-wide setting; an empty list clears it.
type Override struct {
	Path        string
	Required    []string
	Recommended []string
	Disabled    []string
	re          *regexp.Regexp
}

// Default is the configuration of a site that sets nothing: impact, root
// cause and action items required; the rest of the usual template
// recommended.
func Default() Config {
	return Config{
		Required:    []string{incident.Impact, incident.RootCause, incident.ActionItems},
		Recommended: []string{incident.Summary, incident.Timeline, incident.Detection, incident.Resolution, incident.LessonsLearned},
		Aliases:     incident.DefaultAliases(),
	}
}

// Input is what Check looks at: every incident of the site (needed to
// resolve links), of which only those for which Report returns true are
// reported on.
type Input struct {
	Incidents []*incident.Incident
	// Report selects the incidents to report on; nil means all.
	Report func(*incident.Incident) bool
	// Pages are the content paths of files that are pages, not
	// incidents: a link to one is not broken.
	Pages map[string]bool
}

// Check runs every rule and returns the findings sorted by position.
func Check(in Input, cfg Config) ([]Diagnostic, error) {
	l, err := New(cfg)
	if err != nil {
		return nil, err
	}
	var out []Diagnostic
	for _, inc := range in.Incidents {
		if in.Report == nil || in.Report(inc) {
			out = append(out, l.File(inc)...)
		}
	}
	out = append(out, l.Links(in)...)
	Sort(out)
	return out, nil
}

// Linter runs the rules of one configuration, its overrides compiled
// once.
type Linter struct{ cfg Config }

// New compiles a configuration's overrides.
func New(cfg Config) (*Linter, error) {
	cfg.Overrides = append([]Override(nil), cfg.Overrides...)
	for i := range cfg.Overrides {
		re, err := globRE(cfg.Overrides[i].Path)
		if err != nil {
			return nil, fmt.Errorf("lint override %q: %w", cfg.Overrides[i].Path, err)
		}
		cfg.Overrides[i].re = re
	}
	return &Linter{cfg: cfg}, nil
}

// File runs the rules that look at one incident alone: its sections and
// its metadata. A build runs them as each file is read, so that what
// only they read (the sections as written, every date an author wrote)
// need not be kept for the whole site. The findings are in rule order;
// Sort orders them.
func (l *Linter) File(inc *incident.Incident) []Diagnostic {
	eff := l.cfg.forPath(inc.Path)
	c := &checker{cfg: &eff, inc: inc}
	c.sections()
	c.metadata()
	return c.out
}

// Links runs the rules that need every incident of the site: links from
// a postmortem to another, or to a page.
func (l *Linter) Links(in Input) []Diagnostic {
	byPath := map[string]*incident.Incident{}
	for _, inc := range in.Incidents {
		byPath[inc.Path] = inc
	}
	var out []Diagnostic
	for _, inc := range in.Incidents {
		if in.Report != nil && !in.Report(inc) {
			continue
		}
		eff := l.cfg.forPath(inc.Path)
		c := &checker{cfg: &eff, inc: inc, byPath: byPath, pages: in.Pages}
		c.links()
		out = append(out, c.out...)
	}
	return out
}

// Sort orders findings by file, line, column, then rule.
func Sort(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Pos, ds[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return ds[i].Rule < ds[j].Rule
	})
}

// forPath applies the overrides matching p, in order.
func (c Config) forPath(p string) Config {
	out := c
	for _, o := range c.Overrides {
		if !o.re.MatchString(p) {
			continue
		}
		if o.Required != nil {
			out.Required = o.Required
		}
		if o.Recommended != nil {
			out.Recommended = o.Recommended
		}
		if o.Disabled != nil {
			out.Disabled = append(append([]string{}, out.Disabled...), o.Disabled...)
		}
	}
	return out
}

// CompileGlob compiles a path glob as site.toml writes them: * matches
// within a folder, ** across folders, ? one character; a pattern ending
// in / matches everything below that folder.
func CompileGlob(glob string) (*regexp.Regexp, error) { return globRE(glob) }

func globRE(glob string) (*regexp.Regexp, error) {
	if err := checkGlob(glob); err != nil {
		return nil, err
	}
	if strings.HasSuffix(glob, "/") {
		glob += "**"
	}
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(glob); i++ {
		switch c := glob[i]; c {
		case '*':
			if i+1 < len(glob) && glob[i+1] == '*' {
				i++
				if i+1 < len(glob) && glob[i+1] == '/' {
					i++
					b.WriteString("(?:.*/)?")
				} else {
					b.WriteString(".*")
				}
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// checkGlob refuses what other glob dialects give a meaning kb's does not,
// so a pattern never silently matches nothing.
func checkGlob(glob string) error {
	switch {
	case glob == "":
		return errors.New("empty glob")
	case strings.ContainsAny(glob, "[]"):
		return errors.New("character classes ([...]) are not supported")
	case strings.ContainsAny(glob, "{}"):
		return errors.New("alternatives ({a,b}) are not supported")
	case strings.Contains(glob, `\`):
		return errors.New("backslashes are not supported; separate folders with /")
	case strings.HasPrefix(glob, "/"):
		return errors.New("globs are relative; remove the leading /")
	}
	for _, seg := range strings.Split(glob, "/") {
		if seg == ".." {
			return errors.New("globs cannot climb out of the site with a .. segment")
		}
	}
	return nil
}

type checker struct {
	cfg    *Config
	inc    *incident.Incident
	byPath map[string]*incident.Incident
	pages  map[string]bool
	out    []Diagnostic
}

func (c *checker) enabled(rule string) bool {
	for _, d := range c.cfg.Disabled {
		if d == rule {
			return false
		}
	}
	return true
}

func (c *checker) report(pos markup.Pos, sev Severity, rule, subject, hint, format string, args ...any) {
	if !c.enabled(rule) {
		return
	}
	if pos.File == "" {
		pos.File = c.inc.Doc.Path
	}
	d := Diagnostic{Pos: pos, Severity: sev, Rule: rule, Message: fmt.Sprintf(format, args...), Hint: hint, Subject: subject}
	if c.inc.Log != nil {
		d.Incident = c.inc.ID
	}
	c.out = append(c.out, d)
}

// filePos is where a finding about the whole incident points: its
// first line, or its heading in a log.
func (c *checker) filePos() markup.Pos {
	if c.inc.Pos.Line > 0 {
		return c.inc.Pos
	}
	return markup.Pos{File: c.inc.Doc.Path, Line: 1, Col: 1}
}

func (c *checker) field(keys ...string) (markup.Field, bool) {
	for _, k := range keys {
		if f, ok := c.inc.Doc.Lookup(k); ok {
			return f, true
		}
	}
	return markup.Field{}, false
}
