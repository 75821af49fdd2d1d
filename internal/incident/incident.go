package incident

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Incident is one postmortem as the rest of the pipeline sees it.
type Incident struct {
	// ID identifies the incident in URLs: the source path without its
	// extension, slugged segment by segment ("2024/03-dns-outage").
	ID string
	// Path is the source file, relative to the content folder.
	Path     string
	Format   string
	Title    string
	TitlePos markup.Pos
	// Date is when the incident happened; zero when nothing says.
	Date    time.Time
	HasTime bool // whether Date carries a time of day
	DatePos markup.Pos
	// DateFrom says where Date came from: "metadata" or "file name".
	DateFrom string
	Severity string
	Status   string
	Systems  []string
	Causes   []string
	Authors  []string
	// Description is the summary the author wrote in the metadata.
	Description string
	// Summary is Description, or else the opening paragraph: what lists
	// of incidents show under the title.
	Summary  string
	Sections []*Section
	// Params holds metadata keys this package does not interpret.
	Params []markup.Field
	Doc    *markup.Doc
	// Warnings are problems extraction recovered from.
	Warnings []markup.Warning
}

// MaxTerms is the most systems, causes or authors one incident keeps:
// far above any real postmortem, and a bound on pages that list them.
const MaxTerms = 50

// Config is what extraction needs from the site.
type Config struct {
	// Location is the zone for dates written without one.
	Location *time.Location
	Matcher  *Matcher
	// Placeholders are regular expressions for bodies that mean "not
	// written yet". Nil means DefaultPlaceholders.
	Placeholders []string
	placeholders []*regexp.Regexp
}

// Compile fills in defaults and compiles the placeholder patterns, once:
// a site extracts thousands of incidents with one configuration, and
// compiling the patterns for each would cost more than reading them.
func (c Config) Compile() (Config, error) {
	if c.Location == nil {
		c.Location = time.UTC
	}
	if c.Matcher == nil {
		c.Matcher = NewMatcher(DefaultAliases())
	}
	if c.Placeholders == nil {
		c.Placeholders = DefaultPlaceholders()
	}
	res, err := compilePlaceholders(c.Placeholders)
	if err != nil {
		return c, fmt.Errorf("placeholder pattern: %w", err)
	}
	c.placeholders = res
	return c, nil
}

type extractor struct {
	cfg  *Config
	doc  *markup.Doc
	errs []error
}

// Extract reads the incident out of d, whose source is at rel in the
// content folder (its ID and file-name date come from rel). It returns an error (one
// [*markup.Error] per problem, joined) when a known metadata key has a value
// it cannot use: silently dropping a date or a list of systems would make
// the incident vanish from pages people rely on.
func Extract(d *markup.Doc, rel string, cfg Config) (*Incident, error) {
	if cfg.placeholders == nil {
		var err error
		if cfg, err = cfg.Compile(); err != nil {
			return nil, err
		}
	}
	x := &extractor{cfg: &cfg, doc: d}
	inc := &Incident{ID: IDFromPath(rel), Path: rel, Format: d.Format, Doc: d}
	for _, f := range d.Meta {
		x.field(inc, f)
	}
	inc.Sections = x.sections(d.Sections)
	x.fallbacks(inc)
	return inc, errors.Join(x.errs...)
}

func (x *extractor) fail(f markup.Field, hint, format string, args ...any) {
	e := markup.Errorf(f.Pos, hint, format, args...)
	e.Rule = "metadata-invalid"
	x.errs = append(x.errs, e)
}

func (x *extractor) field(inc *Incident, f markup.Field) {
	switch strings.ToLower(f.Key) {
	case "title":
		s, ok := scalar(f.Value)
		if !ok {
			x.fail(f, `write the title as text, for example: title: "Database failover"`, "title must be text, not %s", describe(f.Value))
			return
		}
		inc.Title, inc.TitlePos = s, f.Pos
	case "date":
		t, hasTime, ok := x.date(f.Value)
		if !ok {
			x.fail(f, "write the date as YYYY-MM-DD, optionally with a time: 2024-03-11 14:05 or 2024-03-11T14:05:00Z",
				"date %s is not a date", markup.FormatValue(f.Value))
			return
		}
		inc.Date, inc.HasTime, inc.DatePos, inc.DateFrom = t, hasTime, f.Pos, "metadata"
	case "severity", "sev":
		s, ok := scalar(f.Value)
		if !ok {
			x.fail(f, "write the severity as one value, for example: severity: SEV2", "severity must be one value, not %s", describe(f.Value))
			return
		}
		inc.Severity = s
	case "status":
		s, ok := scalar(f.Value)
		if !ok {
			x.fail(f, "write the status as one value, for example: status: resolved", "status must be one value, not %s", describe(f.Value))
			return
		}
		inc.Status = s
	case "systems", "system":
		inc.Systems = x.cap(inc, f, x.list(f, inc.Systems))
	case "causes", "cause":
		inc.Causes = x.cap(inc, f, x.list(f, inc.Causes))
	case "authors", "author":
		inc.Authors = x.cap(inc, f, x.list(f, inc.Authors))
	case "summary", "description":
		s, ok := scalar(f.Value)
		if !ok {
			x.fail(f, "write the summary as text", "%s must be text, not %s", f.Key, describe(f.Value))
			return
		}
		if inc.Description == "" {
			inc.Description = s
		}
	default:
		inc.Params = append(inc.Params, f)
	}
}

// cap keeps the first MaxTerms names, with a warning.
func (x *extractor) cap(inc *Incident, f markup.Field, names []string) []string {
	if len(names) <= MaxTerms {
		return names
	}
	inc.Warnings = append(inc.Warnings, markup.Warning{Pos: f.Pos,
		Message: fmt.Sprintf("%s lists %d names; only the first %d are kept", f.Key, len(names), MaxTerms),
		Hint:    "list the few that matter; the text can name the rest"})
	return names[:MaxTerms]
}

func (x *extractor) list(f markup.Field, into []string) []string {
	var items []string
	switch v := f.Value.(type) {
	case string:
		items = strings.Split(v, ",")
	case []any:
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				x.fail(f, fmt.Sprintf("list each of %s as text, for example: %s: [postgres, pgbouncer]", f.Key, f.Key),
					"%s must be a list of names, but one item is %s", f.Key, describe(e))
				return into
			}
			items = append(items, s)
		}
	case nil:
		return into
	default:
		x.fail(f, fmt.Sprintf("write %s as a list, for example: %s: [postgres, pgbouncer]", f.Key, f.Key),
			"%s must be a list of names, not %s", f.Key, describe(f.Value))
		return into
	}
	seen := map[string]bool{}
	for _, s := range into {
		seen[strings.ToLower(s)] = true
	}
	for _, s := range items {
		s = strings.TrimSpace(s)
		if s == "" || seen[strings.ToLower(s)] {
			continue
		}
		seen[strings.ToLower(s)] = true
		into = append(into, s)
	}
	return into
}

func (x *extractor) date(v any) (time.Time, bool, bool) {
	switch v := v.(type) {
	case time.Time:
		return v, true, true
	case markup.LocalDate:
		t := v.Time
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), x.cfg.Location), v.HasTime, true
	case string:
		if p, ok := markup.ParseDate(v); ok {
			return x.date(p)
		}
	}
	return time.Time{}, false, false
}

// scalar turns a single metadata value into text.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

func describe(v any) string {
	switch v.(type) {
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	case nil:
		return "empty"
	case time.Time, markup.LocalDate:
		return "a date"
	case int64, float64:
		return "a number"
	case bool:
		return "true or false"
	}
	return fmt.Sprintf("%T", v)
}

var datePrefixRE = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})`)

func (x *extractor) fallbacks(inc *Incident) {
	d := x.doc
	if inc.Title == "" {
		switch {
		case d.Title != "":
			inc.Title, inc.TitlePos = d.Title, d.TitlePos
		case len(d.Sections) > 0 && !inc.Sections[0].Canonical && d.Sections[0].Title != "":
			inc.Title, inc.TitlePos = d.Sections[0].Title, d.Sections[0].Pos
		default:
			inc.Title = TitleFromPath(inc.Path)
			inc.TitlePos = markup.Pos{File: d.Path}
		}
	}
	if inc.Date.IsZero() {
		if t, ok := DateFromPath(inc.Path, x.cfg.Location); ok {
			inc.Date, inc.DateFrom = t, "file name"
			inc.DatePos = markup.Pos{File: d.Path}
		}
	}
	inc.Summary = inc.Description
	if inc.Summary == "" {
		inc.Summary = summarize(x.firstParagraph())
	}
}

// firstParagraph is the first paragraph before any section, else the first
// of the summary section.
func (x *extractor) firstParagraph() string {
	for _, n := range x.doc.Body {
		if n.Kind == markup.Heading {
			break
		}
		if n.Kind == markup.Paragraph {
			return markup.PlainText([]*markup.Node{n})
		}
	}
	var found string
	for _, s := range x.doc.Sections {
		if k, _ := x.cfg.Matcher.Canonical(s.Key); k == Summary {
			for _, n := range s.Body {
				if n.Kind == markup.Paragraph && !isPrompt(n) {
					found = markup.PlainText([]*markup.Node{n})
					break
				}
			}
			break
		}
	}
	return found
}

// summarize shortens text to about 240 characters at a word boundary.
func summarize(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const limit = 240
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	r := []rune(s)[:limit]
	cut := strings.LastIndexByte(string(r), ' ')
	if cut < limit/2 {
		cut = len(string(r))
	}
	return strings.TrimRight(string(r)[:cut], " ,;:.") + "…"
}

// stem is a source path's base name without extension, or, for an index
// file (a page bundle: "2023-01-03-dns/index.md"), its folder's name.
func stem(p string) (dir, name string) {
	dir, file := path.Split(p)
	name = strings.TrimSuffix(file, path.Ext(file))
	if (name == "index" || name == "_index" || name == "README") && dir != "" {
		dir = strings.TrimSuffix(dir, "/")
		dir, name = path.Split(dir)
	}
	return strings.TrimSuffix(dir, "/"), name
}

// IDFromPath derives an incident's ID from its source path.
func IDFromPath(p string) string {
	dir, name := stem(p)
	var segs []string
	if dir != "" {
		for _, s := range strings.Split(dir, "/") {
			if t := markup.Slug(s); t != "" {
				segs = append(segs, t)
			}
		}
	}
	n := markup.Slug(name)
	if n == "" {
		n = "incident"
	}
	return strings.Join(append(segs, n), "/")
}

// DateFromPath reads a YYYY-MM-DD prefix of the file's (or bundle's) name.
func DateFromPath(p string, loc *time.Location) (time.Time, bool) {
	_, name := stem(p)
	m := datePrefixRE.FindString(name)
	if m == "" {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01-02", m, loc)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// TitleFromPath makes a title of a file name: "2023-04-05-db-failover.md"
// becomes "Db failover".
func TitleFromPath(p string) string {
	_, name := stem(p)
	name = datePrefixRE.ReplaceAllString(name, "")
	name = strings.Trim(strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return ' '
		}
		return r
	}, name), " ")
	if name == "" {
		return "Untitled incident"
	}
	r, size := utf8.DecodeRuneInString(name)
	return strings.ToUpper(string(r)) + name[size:]
}

// ResolveLink finds the incident that a link in from's body points to,
// trying the forms authors write: the file's path relative to from (with
// or without its extension, or with another postmortem extension, since
// a Sphinx :doc: reference names no extension and Markdown and RST files
// link to each other), or a bundle's folder. byPath maps content paths to
// incidents.
func ResolveLink(from *Incident, dest string, byPath map[string]*Incident) (*Incident, bool) {
	u := dest
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if u == "" || strings.HasPrefix(u, "/") || strings.Contains(u, ":") {
		return nil, false
	}
	// "2021-01-01%20db.md" names the file "2021-01-01 db.md".
	if p, err := url.PathUnescape(u); err == nil {
		u = p
	}
	target := path.Clean(path.Join(path.Dir(from.Path), u))
	if strings.HasPrefix(target, "../") || target == ".." {
		return nil, false
	}
	stem := target
	switch strings.ToLower(path.Ext(target)) {
	case ".md", ".markdown", ".rst":
		stem = strings.TrimSuffix(target, path.Ext(target))
	}
	for _, c := range []string{target, stem + ".md", stem + ".rst", stem + ".markdown", stem + "/index.md", stem + "/index.rst"} {
		if t, ok := byPath[c]; ok && t != from {
			return t, true
		}
	}
	return nil, false
}
