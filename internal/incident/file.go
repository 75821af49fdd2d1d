package incident

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/when"
)

// What a source file is.
const (
	// KindIncident is a postmortem: the file is one incident.
	KindIncident = "incident"
	// KindLog is a log of incidents: each dated entry is an incident,
	// and what is not an entry stays on the log's own page.
	KindLog = "log"
	// KindPage is not an incident: a folder's index, a table of
	// contents, a template. Its text is published as a page.
	KindPage = "page"
)

// File is what one source file holds.
type File struct {
	Kind string
	// Incidents are the file's incidents: one for a postmortem, one per
	// entry for a log, none for a page.
	Incidents []*Incident
	// Page is the file's own page, for logs and pages.
	Page *Page
	// Warnings are problems found deciding what the file is.
	Warnings []markup.Warning
}

// Page is a source file shown as a page of its own rather than as an
// incident.
type Page struct {
	// ID names the page in URLs, as an incident's ID does.
	ID       string
	Path     string
	Kind     string // KindLog or KindPage
	Title    string
	TitlePos markup.Pos
	// Why says what made the file a page, for kb inspect: "kind: page",
	// "an index of links", "a template", "a log".
	Why string
	// Doc is what the page shows: for a log, the sections that are not
	// entries. HTML is its body rendered (see [File.Render]).
	Doc  *markup.Doc
	HTML markup.HTML
	// Entries are a log's incidents, in the file's order.
	Entries []*Incident
}

// ExtractFile reads what a source file holds: the file's kind comes from
// its metadata (kind: log, kind: page), else the site's configuration
// (Config.KindOf), else its shape (a template, or an index that only lists
// links, is a page).
func ExtractFile(d *markup.Doc, rel string, cfg Config) (*File, error) {
	if cfg.placeholders == nil {
		var err error
		if cfg, err = cfg.Compile(); err != nil {
			return nil, err
		}
	}
	f := &File{}
	kind, why := "", ""
	if fld, ok := d.Lookup("kind"); ok {
		s, _ := scalar(fld.Value)
		switch k := strings.ToLower(s); k {
		case KindLog, KindPage, KindIncident:
			kind, why = k, "kind: "+k
		case "postmortem":
			kind = KindIncident
		default:
			f.Warnings = append(f.Warnings, markup.Warning{Pos: fld.Pos,
				Message: fmt.Sprintf("kind %q is not one kb knows; the file is read as a postmortem", s),
				Hint:    "use kind: log for a file of many incidents, kind: page for a page that is not an incident"})
		}
	}
	if kind == "" && cfg.KindOf != nil {
		if kind = cfg.KindOf(rel); kind != "" {
			why = "site.toml"
		}
	}
	if kind == "" {
		kind, why = shapeOf(d, rel, &cfg)
	}
	switch kind {
	case KindLog:
		return f, splitLog(f, d, rel, &cfg)
	case KindPage:
		f.Kind = KindPage
		f.Page = newPage(d, rel, KindPage, why)
		return f, nil
	}
	f.Kind = KindIncident
	inc, err := Extract(d, rel, cfg)
	if inc != nil {
		f.Incidents = []*Incident{inc}
	}
	return f, err
}

func newPage(d *markup.Doc, rel, kind, why string) *Page {
	p := &Page{ID: IDFromPath(rel), Path: rel, Kind: kind, Why: why, Doc: d, Title: d.Title, TitlePos: d.TitlePos}
	if fld, ok := d.Lookup("title"); ok {
		if s, ok := scalar(fld.Value); ok && s != "" {
			p.Title, p.TitlePos = s, fld.Pos
		}
	}
	if p.Title == "" {
		p.Title = TitleFromPath(rel)
		p.TitlePos = markup.Pos{File: d.Path}
	}
	return p
}

// shapeOf recognises files that are not postmortems by their name or
// shape: a template, a folder's _index (a Hugo section page), and an
// index whose body only lists links (a Sphinx toctree, a README listing
// the postmortems).
func shapeOf(d *markup.Doc, rel string, cfg *Config) (kind, why string) {
	_, file := path.Split(rel)
	name := strings.ToLower(strings.TrimSuffix(file, path.Ext(file)))
	switch {
	case name == "template" || strings.HasSuffix(name, "-template") || strings.HasSuffix(name, "_template") || strings.HasPrefix(name, "template-") || strings.HasPrefix(name, "template_"):
		return KindPage, "a template"
	case name == "_index":
		return KindPage, "a section index (_index)"
	}
	if linkIndex(d, cfg) {
		return KindPage, "an index of links"
	}
	return KindIncident, ""
}

// linkIndex reports whether a document's body is an index: at least one
// list, every item of which is a link, beside at most three short
// paragraphs and headings that name no postmortem section.
func linkIndex(d *markup.Doc, cfg *Config) bool {
	// Most files hold no list at the top: nothing else needs looking
	// at, and a file of many headings is not matched heading by heading.
	if !slices.ContainsFunc(d.Body, func(n *markup.Node) bool { return n.Kind == markup.List }) {
		return false
	}
	lists, prose := 0, 0
	for _, n := range d.Body {
		switch n.Kind {
		case markup.Heading:
			if _, ok := cfg.Matcher.Canonical(markup.NormalizeHeading(markup.InlineText(n))); ok {
				return false
			}
		case markup.List:
			for _, it := range n.Children {
				if !onlyLink(it) {
					return false
				}
			}
			lists++
		case markup.Paragraph:
			if prose++; prose > 3 || len(markup.PlainText([]*markup.Node{n})) > 400 {
				return false
			}
		case markup.Comment, markup.Target, markup.Caption, markup.ThematicBreak:
		default:
			return false
		}
	}
	return lists > 0
}

// onlyLink reports whether a list item is a link and nothing else but
// punctuation, or a nested list of such items.
func onlyLink(it *markup.Node) bool {
	links := 0
	for _, b := range it.Children {
		switch b.Kind {
		case markup.Paragraph:
			for _, c := range b.Children {
				switch c.Kind {
				case markup.Link:
					links++
				case markup.Text:
					if strings.Trim(c.Literal, " \n\t-–—:,.()") != "" {
						return false
					}
				default:
					return false
				}
			}
		case markup.List:
			for _, sub := range b.Children {
				if !onlyLink(sub) {
					return false
				}
			}
			links++
		default:
			return false
		}
	}
	return links > 0
}

// splitLog turns a log into one incident per entry. An entry is a
// top-level section whose heading or first line starts with a date, a
// list item that starts with a dated heading ("* ### 2017-11-09 10:00pm
// PST"), or a dated subsection of a section that holds such entries.
// Undated sections before the first entry (a how-to, a history note)
// stay on the log's page; an undated section after it is an entry without
// a date, which lint reports.
func splitLog(f *File, d *markup.Doc, rel string, cfg *Config) error {
	f.Kind = KindLog
	page := newPage(d, rel, KindLog, "a log")
	f.Page = page
	opt := when.Options{Location: cfg.Location}
	var errs []error
	taken := map[*markup.Node]bool{}   // nodes that moved into an entry
	emptied := map[*markup.Node]bool{} // headings of sections holding entries
	ids := map[string]int{}
	next := map[string]int{}
	add := func(title string, pos markup.Pos, m *when.Match, body []*markup.Node) {
		if _, _, _, _, _, _, ok := when.TimeOfDay(strings.TrimLeft(title, ",;~ ")); ok {
			// "2017-02-22 5:00am PST, 9:45am - 11:00am PST": what
			// follows the date is more time, not a name.
			title = ""
		}
		if title == "" {
			title = entryTitle(body)
		}
		sub := &markup.Doc{Path: d.Path, Format: d.Format, Title: title, TitlePos: pos, Body: body, Assets: assetsIn(body, d.Assets)}
		markup.Finish(sub, markup.FinishOptions{})
		x := &extractor{cfg: cfg, doc: sub}
		slug := markup.Slug(title)
		if slug == "" && m != nil {
			slug = m.Start.Time.Format("2006-01-02")
		}
		if slug == "" {
			slug = "entry"
		}
		if len(slug) > 60 {
			cut := 60
			for cut > 0 && !utf8.RuneStart(slug[cut]) {
				cut--
			}
			slug = strings.TrimRight(slug[:cut], "-")
		}
		// Entries sharing a title are numbered; the next number of each
		// title is kept, so a log of many alike entries is not quadratic.
		id := page.ID + "/" + slug
		for ids[id] > 0 {
			next[slug]++
			id = fmt.Sprintf("%s/%s-%d", page.ID, slug, next[slug]+1)
		}
		ids[id]++
		inc := &Incident{ID: id, Path: rel, Format: d.Format, Doc: sub, Title: title, TitlePos: pos, Pos: pos, Log: page}
		if m != nil {
			x.dates.add(FromTitle, *m, pos)
		}
		x.body(inc)
		errs = append(errs, x.errs...)
		page.Entries = append(page.Entries, inc)
	}
	entries := 0
	for _, s := range d.Sections {
		body := sectionNodes(d.Body, s.Heading)
		hpos := s.Pos
		if m, rest, ok := leadingDate(s.Title, opt); ok {
			entries++
			markTaken(taken, s.Heading, body)
			add(rest, hpos, &m, body)
			continue
		}
		if m, ok := firstLineDate(s.Body, opt); ok {
			entries++
			markTaken(taken, s.Heading, body)
			add(s.Title, hpos, &m, body)
			continue
		}
		if n := containerEntries(d, s, body, opt, taken, add); n > 0 {
			entries += n
			emptied[s.Heading] = true
			continue
		}
		if entries > 0 {
			// An undated section after the entries is an entry too.
			markTaken(taken, s.Heading, body)
			add(s.Title, hpos, nil, body)
		}
	}
	page.Doc = remaining(d, taken, emptied)
	f.Incidents = page.Entries
	return errors.Join(errs...)
}

// leadingDate reads a date that a heading starts with.
func leadingDate(title string, opt when.Options) (when.Match, string, bool) {
	if m, ok := when.Parse(title, opt); ok && !m.NoYear && m.Start.Precision >= when.Day {
		return m, "", true
	}
	if m, rest, ok := when.Leading(title, opt); ok && !m.NoYear && m.Start.Precision >= when.Day {
		return m, strings.TrimSpace(rest), true
	}
	return when.Match{}, "", false
}

// firstLineDate reads a date that a section's first line starts with
// ("2019-09-12 19:59 - 20:52 ET: the log filled the disk").
func firstLineDate(body []*markup.Node, opt when.Options) (when.Match, bool) {
	for _, b := range body {
		if b.Kind == markup.Comment || b.Kind == markup.Target {
			continue
		}
		if b.Kind != markup.Paragraph {
			return when.Match{}, false
		}
		ls := lines(b)
		if len(ls) == 0 {
			return when.Match{}, false
		}
		m, _, ok := leadingDate(ls[0].text, opt)
		return m, ok
	}
	return when.Match{}, false
}

// containerEntries finds the entries inside a section: list items that
// start with a dated heading, and dated subsections.
func containerEntries(d *markup.Doc, s *markup.Section, body []*markup.Node, opt when.Options, taken map[*markup.Node]bool,
	add func(string, markup.Pos, *when.Match, []*markup.Node)) int {
	n := 0
	for _, b := range s.Body {
		if b.Kind != markup.List {
			continue
		}
		for _, it := range b.Children {
			if len(it.Children) == 0 || it.Children[0].Kind != markup.Heading {
				continue
			}
			h := it.Children[0]
			if m, rest, ok := leadingDate(markup.InlineText(h), opt); ok {
				n++
				taken[it] = true
				add(rest, markup.Pos{File: d.Path, Line: h.Line, Col: h.Col}, &m, it.Children[1:])
			}
		}
	}
	for _, sub := range s.Sections {
		if m, rest, ok := leadingDate(sub.Title, opt); ok {
			n++
			nodes := sectionNodes(d.Body, sub.Heading)
			markTaken(taken, sub.Heading, nodes)
			add(rest, sub.Pos, &m, nodes)
		}
	}
	return n
}

// sectionNodes are the blocks under heading h up to the next heading of
// the same or a higher rank.
func sectionNodes(body []*markup.Node, h *markup.Node) []*markup.Node {
	for i, n := range body {
		if n != h {
			continue
		}
		j := i + 1
		for ; j < len(body); j++ {
			if body[j].Kind == markup.Heading && body[j].Level <= h.Level {
				break
			}
		}
		return body[i+1 : j]
	}
	return nil
}

func markTaken(taken map[*markup.Node]bool, h *markup.Node, nodes []*markup.Node) {
	taken[h] = true
	for _, n := range nodes {
		taken[n] = true
	}
}

// remaining is the log without its entries: what its own page shows. A
// heading left with nothing under it (a section that only held entries)
// goes too.
func remaining(d *markup.Doc, taken, containers map[*markup.Node]bool) *markup.Doc {
	rest := &markup.Doc{Path: d.Path, Format: d.Format, Meta: d.Meta, Title: d.Title, TitlePos: d.TitlePos, Assets: d.Assets}
	for _, n := range d.Body {
		if taken[n] {
			continue
		}
		if n.Kind == markup.List {
			var items []*markup.Node
			for _, it := range n.Children {
				if !taken[it] {
					items = append(items, it)
				}
			}
			if len(items) == 0 {
				continue
			}
			if len(items) != len(n.Children) {
				c := *n
				c.Children = items
				n = &c
			}
		}
		rest.Body = append(rest.Body, n)
	}
	kept := rest.Body[:0]
	for i, n := range rest.Body {
		if n.Kind == markup.Heading && containers[n] {
			next := i + 1
			if next == len(rest.Body) || rest.Body[next].Kind == markup.Heading && rest.Body[next].Level <= n.Level {
				continue
			}
		}
		kept = append(kept, n)
	}
	rest.Body = kept
	markup.Finish(rest, markup.FinishOptions{})
	return rest
}

// entryTitle names an entry whose heading is only a date, from its first
// line: "Situation: cover service down" gives "Cover service down".
func entryTitle(body []*markup.Node) string {
	for _, b := range body {
		for _, l := range lines(b) {
			t := l.text
			if m := labelRE.FindStringSubmatch(t); m != nil && len(m[1]) <= 20 && m[2] != "" {
				t = m[2]
			}
			t = strings.TrimSpace(t)
			if t == "" {
				continue
			}
			if r := []rune(t); len(r) > 80 {
				t = string(r[:80])
				if i := strings.LastIndexByte(t, ' '); i > 40 {
					t = t[:i]
				}
				t = strings.TrimRight(t, " ,;:.-") + "…"
			}
			return t
		}
	}
	return ""
}

// assetsIn are the assets of a log that an entry's blocks show.
func assetsIn(body []*markup.Node, all []markup.Asset) []markup.Asset {
	used := map[string]bool{}
	markup.Walk(body, func(n *markup.Node, entering bool) markup.WalkStatus {
		if entering && n.Kind == markup.Image {
			if p, ok := markup.LocalPath(n.URL); ok && p != "" {
				used[p] = true
			}
		}
		return markup.WalkContinue
	})
	var out []markup.Asset
	for _, a := range all {
		if used[a.Path] {
			out = append(out, a)
		}
	}
	return out
}
