package incident

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/when"
)

// Incident is one postmortem as the rest of the pipeline sees it.
type Incident struct {
	// ID identifies the incident in URLs: the source path without its
	// extension, slugged segment by segment ("2024/03-dns-outage"); an
	// entry of a log adds its own slug ("history/dns-outage").
	ID string
	// Path is the source file, relative to the content folder.
	Path     string
	Format   string
	Title    string
	TitlePos markup.Pos
	// Pos is where the incident starts in its file: line 0 for a file of
	// its own, the entry's heading for an entry of a log.
	Pos markup.Pos
	// Date is when the incident happened, as precisely as the author
	// wrote it (a year, a month, a day or a minute); zero when nothing
	// says. End is when it ended, when a range says so.
	Date, End when.Date
	DatePos   markup.Pos
	// DateFrom says where Date came from: metadata, preamble, title,
	// path, text or timeline; "path+timeline" when the path gave the
	// month and the timeline the day.
	DateFrom string
	// Dates are every date the author wrote about the incident, for lint
	// to compare and inspect to show.
	Dates    []DateCandidate
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
	// BodyMeta are the metadata written in the body ("**Severity:** SEV2"),
	// with their lines, under the keys they were read as.
	BodyMeta []markup.Field
	// Draft marks a postmortem its metadata calls a draft (draft: true,
	// published: false); builds leave drafts out unless asked.
	Draft bool
	// Log is the log this incident is an entry of; nil for a file of its
	// own.
	Log *Page
	// Doc is the document read; the build drops its tree once Body is
	// taken (see [File.Release]).
	Doc  *markup.Doc
	Body Body
	// Warnings are problems extraction recovered from.
	Warnings []markup.Warning
}

// HasTime reports whether the date carries a time of day.
func (inc *Incident) HasTime() bool { return inc.Date.Precision >= when.Minute }

// MaxTerms is the most systems, causes or authors one incident keeps:
// far above any real postmortem, and a bound on pages that list them.
const MaxTerms = 50

// Config is what extraction needs from the site.
type Config struct {
	// Location is the zone for dates written without one.
	Location *time.Location
	Matcher  *Matcher
	// Severities and Statuses map each allowed value to its aliases: a
	// value written as an alias ("Critical") is read as its name
	// ("SEV1"). Nil accepts values as written.
	Severities, Statuses map[string][]string
	// Systems and Causes are the vocabularies; a tag or category that
	// names a system or cause (or an alias of one) is read as one.
	Systems, Causes map[string][]string
	// Keys maps metadata keys of other tools to kb's: tags = "systems"
	// reads every tag as a system. Keys not listed are kept in Params.
	Keys map[string]string
	// KindOf says what the site's configuration makes of a file (a glob
	// of logs or pages), "" when it says nothing.
	KindOf func(rel string) string
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
	cfg   *Config
	doc   *markup.Doc
	errs  []error
	dates dated
}

// Extract reads the incident out of d, whose source is at rel in the
// content folder (its ID and path date come from rel). It returns an error (one
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
	x.body(inc)
	return inc, errors.Join(x.errs...)
}

// body reads what the text says: metadata written in the body, the
// sections, the title and every date, then chooses the date.
func (x *extractor) body(inc *Incident) {
	inc.BodyMeta = x.bodyMeta(x.doc)
	for _, f := range inc.BodyMeta {
		x.bodyField(inc, f)
	}
	inc.Sections = x.sections(x.doc.Sections)
	x.dates.doc, x.dates.opt = x.doc, when.Options{Location: x.cfg.Location}
	x.fallbacks(inc)
	takeBody(inc, x.doc) // after fallbacks, which may take a title line out of it
}

func (x *extractor) fail(f markup.Field, hint, format string, args ...any) {
	e := markup.Errorf(f.Pos, hint, format, args...)
	e.Rule = "metadata-invalid"
	x.errs = append(x.errs, e)
}

func (x *extractor) field(inc *Incident, f markup.Field) {
	key := strings.ToLower(f.Key)
	if k, ok := x.cfg.Keys[key]; ok {
		key = k
	}
	switch key {
	case "title":
		s, ok := scalar(f.Value)
		if !ok {
			x.fail(f, `write the title as text, for example: title: "Database failover"`, "title must be text, not %s", describe(f.Value))
			return
		}
		inc.Title, inc.TitlePos = s, f.Pos
	case "date":
		d, ok := x.fromValue(f.Value)
		if !ok {
			x.fail(f, "write the date as YYYY-MM-DD, optionally with a time: 2024-03-11 14:05 or 2024-03-11T14:05:00Z",
				"date %s is not a date", markup.FormatValue(f.Value))
			return
		}
		x.dates.addDate(FromMetadata, d, f.Pos)
	case "severity", "sev":
		s, ok := scalar(f.Value)
		if !ok {
			x.fail(f, "write the severity as one value, for example: severity: SEV2", "severity must be one value, not %s", describe(f.Value))
			return
		}
		inc.Severity = canonical(s, x.cfg.Severities)
	case "status":
		s, ok := scalar(f.Value)
		if !ok {
			x.fail(f, "write the status as one value, for example: status: resolved", "status must be one value, not %s", describe(f.Value))
			return
		}
		inc.Status = canonical(s, x.cfg.Statuses)
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
	case "draft":
		if b, ok := f.Value.(bool); ok && b {
			inc.Draft = true
		}
		inc.Params = append(inc.Params, f)
	case "published":
		// Jekyll: published: false keeps a post out of the site.
		if b, ok := f.Value.(bool); ok && !b {
			inc.Draft = true
		}
		inc.Params = append(inc.Params, f)
	case "slug":
		// Hugo, Jekyll and Pelican name the page's address with it.
		if s, ok := scalar(f.Value); ok && markup.Slug(s) != "" {
			if i := strings.LastIndexByte(inc.ID, '/'); i >= 0 {
				inc.ID = inc.ID[:i+1] + markup.Slug(s)
			} else {
				inc.ID = markup.Slug(s)
			}
		}
		inc.Params = append(inc.Params, f)
	case "tags", "tag", "categories", "category":
		// Blog exports tag their posts; a tag that names a known system
		// or cause is read as one, the rest stay tags.
		inc.Params = append(inc.Params, f)
		var names []string
		switch v := f.Value.(type) {
		case string:
			names = strings.Split(v, ",")
		case []any:
			for _, e := range v {
				if s, ok := e.(string); ok {
					names = append(names, s)
				}
			}
		}
		for _, n := range names {
			n = strings.TrimSpace(n)
			switch {
			case inVocabulary(n, x.cfg.Systems):
				inc.Systems = appendNew(inc.Systems, n)
			case inVocabulary(n, x.cfg.Causes):
				inc.Causes = appendNew(inc.Causes, n)
			}
		}
	default:
		inc.Params = append(inc.Params, f)
	}
}

// bodyField applies one piece of metadata found in the body, unless the
// declared metadata already said it. It never fails: the body is prose,
// and what does not fit is left as prose.
func (x *extractor) bodyField(inc *Incident, f markup.Field) {
	v, _ := f.Value.(string)
	switch f.Key {
	case "date", "end":
		for _, m := range when.Find(v, when.Options{Location: x.cfg.Location}) {
			if m.NoYear {
				continue
			}
			if f.Key == "end" {
				x.dates.ends = append(x.dates.ends, m.Start)
			} else {
				x.dates.add(FromPreamble, m, f.Pos)
			}
			break
		}
	case "severity":
		if inc.Severity == "" {
			inc.Severity = canonical(v, x.cfg.Severities)
		}
	case "status":
		if inc.Status == "" {
			inc.Status = canonical(v, x.cfg.Statuses)
		}
	case "authors", "systems", "causes":
		var list *[]string
		switch f.Key {
		case "authors":
			list = &inc.Authors
		case "systems":
			list = &inc.Systems
		default:
			list = &inc.Causes
		}
		if len(*list) > 0 {
			return
		}
		for _, n := range splitNames(v) {
			if len(*list) < MaxTerms {
				*list = appendNew(*list, n)
			}
		}
	}
}

// splitNames splits a list written in prose: "Ana, Ben and Chen".
func splitNames(s string) []string {
	s = strings.NewReplacer(" and ", ",", " & ", ",", ";", ",").Replace(s)
	var out []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func appendNew(list []string, s string) []string {
	for _, e := range list {
		if strings.EqualFold(e, s) {
			return list
		}
	}
	return append(list, s)
}

// canonical maps a value to its vocabulary name when it is the name or an
// alias, ignoring case; else returns it as written.
func canonical(v string, vocab map[string][]string) string {
	v = strings.TrimSpace(v)
	for _, name := range sortedNames(vocab) {
		if strings.EqualFold(name, v) {
			return name
		}
		for _, a := range vocab[name] {
			if strings.EqualFold(a, v) {
				return name
			}
		}
	}
	return v
}

func inVocabulary(v string, vocab map[string][]string) bool {
	for name, aliases := range vocab {
		if markup.Slug(name) == markup.Slug(v) {
			return true
		}
		for _, a := range aliases {
			if markup.Slug(a) == markup.Slug(v) {
				return true
			}
		}
	}
	return false
}

func sortedNames(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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

// fallbacks fills in what the metadata left out, from the text: the title
// (the document's own, its first heading, else the path), a date from each
// place one is written, and the summary.
func (x *extractor) fallbacks(inc *Incident) {
	d := x.doc
	if inc.Title != "" {
		if m, _, ok := x.titleDate(inc.Title, inc.TitlePos); ok {
			x.dates.add(FromTitle, m, inc.TitlePos)
		}
	} else {
		var title string
		var pos markup.Pos
		if d.Title != "" {
			title, pos = d.Title, d.TitlePos
		} else {
			title, pos = x.headingTitle(inc.Sections)
		}
		if title != "" {
			if m, rest, ok := x.titleDate(title, pos); ok {
				x.dates.add(FromTitle, m, pos)
				title = rest
			}
			if title == "" {
				// The title was only a date: a short first line of text
				// under it names the incident.
				title, pos = x.takeTitleLine()
			}
		}
		if title != "" {
			inc.Title, inc.TitlePos = title, pos
		} else {
			inc.Title = TitleFromPath(inc.Path)
			inc.TitlePos = markup.Pos{File: d.Path}
		}
	}
	if inc.Log == nil {
		if m, ok := PathDate(inc.Path, x.cfg.Location); ok {
			x.dates.add(FromPath, m, markup.Pos{File: d.Path})
		}
	}
	x.textDates()
	x.timelineDate(inc.Sections, &x.dates)
	x.dates.choose(inc)
	if inc.End.IsZero() && len(x.dates.ends) > 0 && inc.Date.Precision >= when.Day && !x.dates.ends[0].Time.Before(inc.Date.Time) {
		inc.End = x.dates.ends[0]
	}
	inc.Summary = inc.Description
	if inc.Summary == "" {
		inc.Summary = summarize(x.firstParagraph())
	}
}

// headingTitle is the first heading that names the incident: not one
// that names a section (Overview), holds metadata (Owner: @ana) or
// gathers it (Metadata). A heading that only says "Title" is a label: the
// heading under it is the title.
func (x *extractor) headingTitle(secs []*Section) (string, markup.Pos) {
	label, done := false, false
	var found *Section
	Walk(secs, func(s *Section) {
		if done || found != nil || s.Title == "" {
			return
		}
		if label {
			found = s
			return
		}
		switch {
		case s.Key == "title":
			label = true
		case s.Canonical:
			// A title comes before what the postmortem says.
			done = true
		case containers[s.Key], isMetaHeading(s.Title):
		case s.Level == 1:
			found = s
		}
	})
	if found == nil || found.Canonical && !label {
		return "", markup.Pos{}
	}
	return found.Title, found.Pos
}

// isMetaHeading reports whether a heading is a metadata field ("Owner:
// @ana", "Date") rather than a name.
func isMetaHeading(t string) bool {
	if m := labelRE.FindStringSubmatch(t); m != nil {
		if _, ok := bodyKey(m[1]); ok {
			return true
		}
		switch markup.NormalizeHeading(m[1]) {
		case "involved", "meeting scheduled for", "call recording", "participants", "attendees", "reviewers":
			return true
		}
	}
	_, ok := bodyKey(t)
	return ok
}

// takeTitleLine takes a one-line paragraph at the top of the body as the
// title, out of the body: under a title that is only a date, it is what
// the author called the incident.
func (x *extractor) takeTitleLine() (string, markup.Pos) {
	d := x.doc
	for i, n := range d.Body {
		if n.Kind == markup.Comment || n.Kind == markup.Target {
			continue
		}
		if n.Kind != markup.Paragraph {
			break
		}
		t := strings.TrimSpace(markup.InlineText(n))
		if t == "" || strings.Contains(t, "\n") || len(t) > 120 {
			break
		}
		d.Body = append(d.Body[:i:i], d.Body[i+1:]...)
		return strings.Clone(t), markup.Pos{File: d.Path, Line: n.Line, Col: n.Col}
	}
	return "", markup.Pos{}
}

// textDates reads a paragraph that is only a date near the top ("Monday,
// Nov. 13, 2017" under an Overview heading) as a preamble date, and the
// first date in the opening prose ("On February 28th, 2023 at 01:55 UTC we
// …") as a date from the text.
func (x *extractor) textDates() {
	opt := when.Options{Location: x.cfg.Location}
	var blocks []*markup.Node
	for _, n := range x.doc.Body {
		if n.Kind == markup.Heading {
			break
		}
		blocks = append(blocks, n)
	}
	for i, s := range x.doc.Sections {
		if i >= 5 {
			break
		}
		blocks = append(blocks, s.Body...)
	}
	prose := false
	for i, b := range blocks {
		if b.Kind != markup.Paragraph {
			continue
		}
		t := strings.TrimSpace(markup.InlineText(b))
		pos := markup.Pos{File: x.doc.Path, Line: b.Line, Col: b.Col}
		if i < 12 {
			if m, ok := when.Parse(t, opt); ok && !m.NoYear && m.Start.Precision >= when.Day {
				x.dates.add(FromPreamble, m, pos)
				continue
			}
		}
		if prose || len(strings.Fields(t)) < 8 {
			continue
		}
		prose = true
		for _, m := range when.Find(t, opt) {
			if !m.NoYear && m.Start.Precision >= when.Month {
				x.dates.add(FromText, m, pos)
				break
			}
		}
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

// TitleFromPath makes a title of a file name: "2023-04-05-db-failover.md"
// becomes "Db failover", "PM2022-009 - Bad AMI" becomes "Bad AMI" and
// "001-build-failing.md" becomes "Build failing".
func TitleFromPath(p string) string {
	_, name := stem(p)
	name = leadingCodeRE.ReplaceAllString(name, "")
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

// leadingCodeRE matches what archives put before a name: a date in the
// forms PathDate reads, a number or a code such as PM2022-009 or INC-12.
var leadingCodeRE = regexp.MustCompile(`^(?i)(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{1,2}[-_.]\d{1,2}[-_.]\d{4}|\d{4}-\d{2}|[a-z]{3,9}[-_ ]?\d{4}|[a-z]{0,5}[-_ ]?\d[\d-]*)(?:\s*[-_:.]+\s*|\s+|$)`)

// ResolveLink finds the incident that a link in from's body points to,
// trying the forms authors write: the file's path relative to from (with
// or without its extension, or with another postmortem extension, since
// a Sphinx :doc: reference names no extension and Markdown and RST files
// link to each other), or a bundle's folder. byPath maps content paths to
// incidents.
func ResolveLink(from *Incident, dest string, byPath map[string]*Incident) (*Incident, bool) {
	for _, c := range LinkCandidates(from.Path, dest) {
		if t, ok := byPath[c]; ok && t != from {
			return t, true
		}
	}
	return nil, false
}

// LinkCandidates are the content paths a relative link from the file at
// from may name, most likely first; none for a link that is not relative
// or leaves the content folder.
func LinkCandidates(from, dest string) []string {
	u := dest
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if u == "" || strings.HasPrefix(u, "/") || strings.Contains(u, ":") {
		return nil
	}
	// "2021-01-01%20db.md" names the file "2021-01-01 db.md".
	if p, err := url.PathUnescape(u); err == nil {
		u = p
	}
	target := path.Clean(path.Join(path.Dir(from), u))
	if strings.HasPrefix(target, "../") || target == ".." {
		return nil
	}
	stem := target
	switch strings.ToLower(path.Ext(target)) {
	case ".md", ".markdown", ".rst", ".txt":
		stem = strings.TrimSuffix(target, path.Ext(target))
	}
	return []string{target, stem + ".md", stem + ".rst", stem + ".markdown", stem + ".txt", stem, stem + "/index.md", stem + "/index.rst", stem + "/README.md", stem + "/_index.md"}
}
