package timeline

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
)

// maxActionText is about how many characters Action.Text and
// Action.Detail keep; longer text is cut at a word and ends in "…".
const maxActionText = 300

// Actions reads the follow-up items of an incident's action-items section (the first
// section at any depth whose canonical key is incident.ActionItems, with its subsections),
// in the author's order.
//
// Each of these is one action:
//
//   - a top-level item of a list ("- [ ] x" task items, "☐"/"☒"/"✅" or a
//     literal "[ ]"/"[x]" at the start, a leading "TODO" or "DONE:", or
//     nothing that tells the state); a nested list is part of its item's
//     text;
//   - a row of a table under a header, whose columns may name the action,
//     its status, its owner and its ticket;
//   - a subsection whose heading reads as an item ("1) Set up alerts @dma
//     [detect]", "TODO Config management") and has no list of its own: the
//     heading is the text and what is under it the detail; other
//     subsections group the items under them;
//   - a paragraph that reads as an item ("1) Rotate the keys"), with the
//     paragraphs after it as its detail; a term of a definition list.
//
// A paragraph that names a ticket counts as an item when its part of the
// section holds nothing else that does; when the whole section holds no
// item at all, each of its paragraphs is one. Items that only hold a
// placeholder ("TODO", "N/A", "-") are not actions.
func Actions(inc *incident.Incident) []Action {
	if inc == nil {
		return nil
	}
	var sec *incident.Section
	incident.Walk(inc.Sections, func(s *incident.Section) {
		if sec == nil && s.Key == incident.ActionItems {
			sec = s
		}
	})
	if sec == nil || sec.Source == nil || sec.Empty {
		return nil
	}
	r := &actionReader{file: sec.Pos.File, at: sec.Pos}
	r.section(sec, "")
	if len(r.out) == 0 {
		prompt := actCollapse(incident.DefaultPrompts()[incident.ActionItems])
		for _, l := range r.loose {
			if actCollapse(markup.PlainText([]*markup.Node{l.n})) != prompt {
				r.paragraph(l.n, l.group)
			}
		}
	}
	return r.out
}

type actionReader struct {
	file string
	at   markup.Pos // where the part being read starts, for nodes without a line
	out  []Action
	// loose are the paragraphs not read as items, kept for a section that
	// holds no item at all.
	loose []actLoose
}

type actLoose struct {
	n     *markup.Node
	group string
}

// actOtherSection are the canonical keys of subsections that, under action
// items, say something else: what went wrong is not a thing to do.
func actOtherSection(actKey string) bool {
	switch actKey {
	case incident.Summary, incident.Impact, incident.Timeline, incident.RootCause, incident.LessonsLearned:
		return true
	}
	return false
}

func (r *actionReader) section(s *incident.Section, group string) {
	r.at = s.Pos
	r.blocks(s.Source.Body, group)
	for _, c := range s.Sections {
		if c.Source == nil || (c.Canonical && actOtherSection(c.Key)) {
			continue
		}
		if r.headingItem(c, group) {
			continue
		}
		r.section(c, actCollapse(actStripEnumerator(c.Title)))
	}
}

// headingItem reads a subsection whose heading is an item; false when the
// heading only names a group.
func (r *actionReader) headingItem(c *incident.Section, group string) bool {
	for _, b := range c.Source.Body {
		if b.Kind == markup.List || b.Kind == markup.Table || b.Kind == markup.DefinitionList {
			return false
		}
	}
	var head actText
	if h := c.Source.Heading; h != nil {
		head = actRender(h.Children)
	} else {
		head = actText{s: c.Title}
	}
	if !actItemLike(head.s, true, true) {
		return false
	}
	r.at = c.Pos
	if a, ok := r.headed(head, c.Source.Body, markup.NoTask, c.Pos, group); ok {
		r.out = append(r.out, a)
	}
	return true
}

// blocks reads the blocks of one part of the section.
func (r *actionReader) blocks(bs []*markup.Node, group string) {
	structured := false
	var candidates []*markup.Node
	// lastItem and lastPara are the action the block before gave, when a
	// block quote (a list item's continuation, badly indented) or a
	// paragraph (the detail of an item written as a paragraph) may
	// extend it; lastNode is that list item.
	lastItem, lastPara := -1, -1
	var lastNode *markup.Node
	for _, b := range bs {
		item, para := -1, -1
		switch b.Kind {
		case markup.List:
			structured = true
			for _, it := range b.Children {
				if it.Kind != markup.ListItem {
					continue
				}
				item, lastNode = -1, it
				if a, ok := r.listItem(it.Children, it, group); ok {
					r.out = append(r.out, a)
					item = len(r.out) - 1
				}
			}
		case markup.BlockQuote:
			if lastItem >= 0 {
				// "- ☐ first line\n continued" indented by one space: the
				// reader saw a quote after the list; it is the item's.
				nodes := append(append([]*markup.Node{}, lastNode.Children...), b.Children...)
				if a, ok := r.listItem(nodes, lastNode, group); ok {
					r.out[lastItem] = a
				}
			}
		case markup.Table:
			if r.table(b, group) {
				structured = true
			}
		case markup.DefinitionList:
			structured = true
			r.definitions(b, group)
		case markup.Paragraph, markup.LineBlock:
			if actPrompt(b) {
				break
			}
			if n := r.paragraphItems(b, group); n > 0 {
				structured = true
				para = len(r.out) - 1
				break
			}
			if lastPara >= 0 {
				r.addDetail(&r.out[lastPara], b)
				para = lastPara
				break
			}
			candidates = append(candidates, b)
		}
		lastItem, lastPara = item, para
	}
	if structured {
		return
	}
	for _, c := range candidates {
		if actHasTicket(actRender([]*markup.Node{c})) {
			r.paragraph(c, group)
		} else {
			r.loose = append(r.loose, actLoose{c, group})
		}
	}
}

func (r *actionReader) pos(n *markup.Node) markup.Pos {
	if n == nil || n.Line == 0 {
		return r.at
	}
	return markup.Pos{File: r.file, Line: n.Line, Col: n.Col}
}

func (r *actionReader) listItem(nodes []*markup.Node, it *markup.Node, group string) (Action, bool) {
	a, ok := actParseItem(actRender(nodes), false)
	if !ok {
		return a, false
	}
	switch it.Task {
	case markup.TaskOpen:
		a.State = Open
	case markup.TaskDone:
		a.State = Done
	}
	a.Group, a.Pos = group, r.pos(it)
	return a, true
}

// paragraph reads a whole paragraph as one action.
func (r *actionReader) paragraph(p *markup.Node, group string) {
	a, ok := actParseItem(actRender([]*markup.Node{p}), true)
	if !ok {
		return
	}
	a.Group, a.Pos = group, r.pos(p)
	r.out = append(r.out, a)
}

// paragraphItems reads a paragraph whose first line reads as an item: each
// line that reads as one starts an action, other lines continue it. It
// returns how many it read.
func (r *actionReader) paragraphItems(p *markup.Node, group string) int {
	t := actRender([]*markup.Node{p})
	if !actItemLike(t.s, true, false) {
		return 0
	}
	starts, lines := []int{0}, []int{0}
	line := 0
	for i := 0; i < len(t.s); i++ {
		if t.s[i] != '\n' {
			continue
		}
		line++
		if i+1 < len(t.s) && actItemLike(t.s[i+1:actLineEnd(t.s, i+1)], true, false) {
			starts, lines = append(starts, i+1), append(lines, line)
		}
	}
	n, k := 0, 0 // k: the first link not yet handed out
	for j, start := range starts {
		end := len(t.s)
		if j+1 < len(starts) {
			end = starts[j+1] - 1
		}
		seg := actText{s: t.s[start:end]}
		for ; k < len(t.links) && t.links[k].a < end; k++ {
			if l := t.links[k]; l.a >= start {
				seg.links = append(seg.links, actLink{l.a - start, min(l.b, end) - start, l.url})
			}
		}
		a, ok := actParseItem(seg, true)
		if !ok {
			continue
		}
		a.Group, a.Pos = group, r.pos(p)
		if j > 0 && p.Line > 0 {
			// A later line of the paragraph: its line, column unknown.
			a.Pos.Line, a.Pos.Col = p.Line+lines[j], 0
		}
		r.out = append(r.out, a)
		n++
	}
	return n
}

func actLineEnd(s string, i int) int {
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(s)
}

// addDetail appends a paragraph to an action's detail, and takes an owner
// and a ticket from it when the action has none.
func (r *actionReader) addDetail(a *Action, p *markup.Node) {
	t := actRender([]*markup.Node{p})
	d := actCollapse(t.s)
	if a.Detail != "" {
		d = a.Detail + " " + d
	}
	a.Detail = actCut(d, maxActionText)
	if a.Owner == "" {
		a.Owner = actFindOwner(t.s)
	}
	if a.Ticket == "" {
		a.Ticket = actBodyTicket(t)
	}
}

// headed reads an item written as a line (a heading, a term) with a body
// under it.
func (r *actionReader) headed(head actText, body []*markup.Node, task markup.Task, pos markup.Pos, group string) (Action, bool) {
	a, ok := actParseItem(head, true)
	if !ok {
		return a, false
	}
	switch task {
	case markup.TaskOpen:
		a.State = Open
	case markup.TaskDone:
		a.State = Done
	}
	b := actRender(body)
	a.Detail = actCut(actCollapse(b.s), maxActionText)
	if a.Owner == "" {
		a.Owner = actFindOwner(b.s)
	}
	if a.Ticket == "" {
		a.Ticket = actBodyTicket(b)
	}
	a.Group, a.Pos = group, pos
	return a, true
}

func (r *actionReader) definitions(dl *markup.Node, group string) {
	for i, c := range dl.Children {
		if c.Kind != markup.DefinitionTerm {
			continue
		}
		var body []*markup.Node
		if i+1 < len(dl.Children) && dl.Children[i+1].Kind == markup.Definition {
			body = dl.Children[i+1].Children
		}
		if a, ok := r.headed(actRender(c.Children), body, markup.NoTask, r.pos(c), group); ok {
			r.out = append(r.out, a)
		}
	}
}

// Table columns.
const (
	actColText = iota
	actColStatus
	actColOwner
	actColTicket
	actColOther
	actColIssue // "Issue": a ticket, unless it is the only text there is
)

func actColumnKind(h string) int {
	h = strings.ToLower(actCollapse(h))
	has := func(words ...string) bool {
		for _, w := range words {
			if actHasWord(h, w) {
				return true
			}
		}
		return false
	}
	switch {
	case h == "":
		return actColOther
	case has("status", "state", "done", "complete", "completed", "progress"):
		return actColStatus
	case has("owner", "owners", "assignee", "assigned", "who", "responsible", "dri"):
		return actColOwner
	case has("ticket", "tickets", "jira", "link", "links", "pr", "bug", "tracking", "tracker", "ref", "reference", "url"):
		return actColTicket
	case has("issue", "issues"):
		return actColIssue
	case has("action", "actions", "item", "items", "task", "tasks", "description", "what", "follow-up", "followup", "remediation", "title", "summary", "todo", "step", "fix", "change", "measure"):
		return actColText
	}
	return actColOther
}

// actHasWord reports whether w stands in h as a whole word.
func actHasWord(h, w string) bool {
	for i := 0; ; {
		j := strings.Index(h[i:], w)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(w)
		before := j == 0 || !actWordByte(h[j-1])
		after := end == len(h) || !actWordByte(h[end])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func actWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// table reads a table of actions, one per row under the header; false
// when the table has no rows to read.
func (r *actionReader) table(t *markup.Node, group string) bool {
	var rows []*markup.Node
	for _, c := range t.Children {
		if c.Kind == markup.TableRow {
			rows = append(rows, c)
		}
	}
	if len(rows) == 0 {
		return false
	}
	header := -1
	for i, row := range rows {
		if row.Header {
			header = i
		} else {
			break
		}
	}
	cols := map[int]int{} // kind → column
	var kinds []int
	if header < 0 {
		// A table without a marked head: its first row is one when it
		// names the columns.
		ks := actColumnKinds(rows[0])
		for _, k := range ks {
			if k == actColStatus || k == actColOwner || k == actColText {
				header = 0
				break
			}
		}
	}
	var dates []bool
	if header >= 0 {
		kinds = actColumnKinds(rows[header])
		for _, c := range actCells(rows[header]) {
			dates = append(dates, c != nil && actDateColumn(markup.PlainText(c.Children)))
		}
	}
	for j, k := range kinds {
		if _, taken := cols[k]; !taken && k != actColOther {
			cols[k] = j
		}
	}
	if _, ok := cols[actColText]; !ok {
		if j, ok := cols[actColIssue]; ok && j == 0 {
			cols[actColText] = j
		} else {
			for j := 0; j < max(len(kinds), 1); j++ {
				if j >= len(kinds) || kinds[j] == actColOther && !dates[j] {
					cols[actColText] = j
					break
				}
			}
		}
	}
	if j, ok := cols[actColIssue]; ok && j != cols[actColText] {
		if _, has := cols[actColTicket]; !has {
			cols[actColTicket] = j
		}
	}
	if _, ok := cols[actColText]; !ok {
		cols[actColText] = 0
	}
	read := false
	for _, row := range rows[header+1:] {
		if row.Header {
			continue
		}
		cells := actCells(row)
		text := actCellAt(cells, cols[actColText])
		if text == nil {
			continue
		}
		a, ok := actParseItem(actRender(text.Children), false)
		if !ok {
			continue
		}
		read = true
		if j, ok := cols[actColStatus]; ok {
			if c := actCellAt(cells, j); c != nil {
				if s := actStatus(markup.PlainText(c.Children)); s != Unknown {
					a.State = s
				}
			}
		}
		if j, ok := cols[actColOwner]; ok {
			if c := actCellAt(cells, j); c != nil {
				if o := actCollapse(markup.PlainText(c.Children)); o != "" && !actPlaceholder(o) {
					a.Owner = strings.TrimPrefix(o, "@")
				}
			}
		}
		if j, ok := cols[actColTicket]; ok {
			if c := actCellAt(cells, j); c != nil {
				if tk := actCellTicket(c); tk != "" {
					a.Ticket = tk
				}
			}
		}
		a.Group, a.Pos = group, r.pos(row)
		r.out = append(r.out, a)
	}
	return read
}

func actColumnKinds(row *markup.Node) []int {
	var ks []int
	for _, c := range actCells(row) {
		k := actColOther
		if c != nil {
			k = actColumnKind(markup.PlainText(c.Children))
		}
		ks = append(ks, k)
	}
	return ks
}

// actCells places a row's cells in their columns: a cell spanning two
// columns fills both.
func actCells(row *markup.Node) []*markup.Node {
	var out []*markup.Node
	for _, c := range row.Children {
		if c.Kind != markup.TableCell {
			continue
		}
		n := max(c.ColSpan, 1)
		for k := 0; k < n && len(out) < 1000; k++ {
			out = append(out, c)
		}
	}
	return out
}

func actCellAt(cells []*markup.Node, j int) *markup.Node {
	if j < 0 || j >= len(cells) {
		return nil
	}
	return cells[j]
}

// actDateColumn reports whether a header names dates, numbers or
// priorities: such a column is not the action.
func actDateColumn(h string) bool {
	h = strings.ToLower(actCollapse(h))
	for _, w := range []string{"date", "due", "eta", "when", "deadline", "priority", "#", "id", "no", "number", "severity", "target"} {
		if actHasWord(h, w) || h == w {
			return true
		}
	}
	return false
}

func actCellTicket(c *markup.Node) string {
	t := actRender(c.Children)
	for _, l := range t.links {
		if actWeb(l.url) {
			return l.url
		}
	}
	if k := actFindKey(t.s); k != "" {
		return k
	}
	s := actCollapse(t.s)
	if s != "" && !actPlaceholder(s) && !strings.ContainsAny(s, " \t") {
		return s
	}
	return ""
}

// actStatus maps the value of a status column to a state.
func actStatus(v string) string {
	v = strings.ToLower(actCollapse(v))
	v = strings.TrimRight(v, ".!")
	switch v {
	case "✅", "✔", "✔️", "☑", "☑️", "☒", "✓", "[x]", "x", "y", "yes", "true":
		return Done
	case "☐", "⬜", "[ ]", "n", "no", "false":
		return Open
	}
	for _, w := range []string{"done", "closed", "complete", "completed", "fixed", "resolved", "shipped", "merged", "deployed", "finished", "implemented"} {
		if actWordPrefix(v, w) {
			return Done
		}
	}
	for _, w := range []string{"open", "todo", "to do", "to-do", "in progress", "in-progress", "wip", "not started", "not done", "pending", "planned", "blocked", "ongoing", "backlog", "started", "new", "not yet"} {
		if actWordPrefix(v, w) {
			return Open
		}
	}
	return Unknown
}

func actWordPrefix(s, w string) bool {
	return strings.HasPrefix(s, w) && (len(s) == len(w) || !actWordByte(s[len(w)]))
}

// actPrompt reports whether a paragraph is all emphasis: the question a
// template puts under a heading.
func actPrompt(p *markup.Node) bool {
	if p.Kind != markup.Paragraph {
		return false
	}
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

// actText is the text of some nodes with the links in it.
type actText struct {
	s     string
	links []actLink
}

type actLink struct {
	a, b int // bytes of s
	url  string
}

// actRender writes the visible text of nodes, a block per line, without code
// blocks, images or raw HTML, noting where each link's text is.
func actRender(nodes []*markup.Node) actText {
	var b strings.Builder
	var links []actLink
	var open []int
	nl := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	markup.Walk(nodes, func(n *markup.Node, entering bool) markup.WalkStatus {
		if !entering {
			switch {
			case n.Kind == markup.Link:
				k := open[len(open)-1]
				open = open[:len(open)-1]
				links[k].b = b.Len()
			case !n.Kind.IsInline():
				nl()
			}
			return markup.WalkContinue
		}
		switch n.Kind {
		case markup.Text, markup.Code:
			b.WriteString(strings.ReplaceAll(n.Literal, "\u00a0", " "))
		case markup.Link:
			open = append(open, len(links))
			links = append(links, actLink{a: b.Len(), url: n.URL})
		case markup.LineBreak:
			b.WriteByte('\n')
		case markup.TableCell:
			b.WriteByte(' ')
		case markup.FieldItem:
			nl()
			b.WriteString(n.Title + ": ")
		case markup.Image, markup.Comment, markup.Target, markup.CodeBlock, markup.HTMLBlock,
			markup.RawHTML, markup.FootnoteRef, markup.Contents:
			return markup.WalkSkipChildren
		default:
			if !n.Kind.IsInline() {
				nl()
			}
		}
		return markup.WalkContinue
	})
	return actText{s: b.String(), links: links}
}

var (
	// actEnumerator is a number an item is written with: "1)", "2.", "(3)".
	actEnumerator = regexp.MustCompile(`^(?:\(\d{1,3}\)|\d{1,3}[.)])\s+`)
	// actHandle is an @name, not inside an email address.
	actHandle = regexp.MustCompile(`(?:^|[^\w@.])(@[A-Za-z0-9][A-Za-z0-9_./-]*)`)
	// actOwnerLabel is "Owner: Ana Lima", "assignee = @bo".
	actOwnerLabel = regexp.MustCompile(`(?:^|[^\w])((?i:owners?|assignee|assigned to|dri|responsible)\s*[:=]\s*(@?[\pL\pN][\pL\pN_.'/-]*(?:\s+\p{Lu}[\pL'-]*){0,2}))`)
	// actDashOwner is a name after a dash at the end: "— Ana Lima".
	actDashOwner = regexp.MustCompile(`\s[—–]\s*(@?\p{Lu}[\pL'.-]*(?:\s+\p{Lu}[\pL'.-]*){0,2}|@[A-Za-z0-9][\w.-]*)[.\s]*$`)
	// actKey is a ticket key such as OPS-123 or #42.
	actKey = regexp.MustCompile(`(?:^|[^\w-])([A-Z][A-Z0-9]{1,9}-[0-9]{1,7}|#[0-9]{1,7})(?:[^\w-]|$)`)
	// actTag is a trailing "[repair]".
	actTag = regexp.MustCompile(`\[([\pL\pN][\pL\pN _/-]{0,23})\][\s.]*$`)
)

// actNotKeys are prefixes of names that look like ticket keys and are not.
var actNotKeys = map[string]bool{
	"UTF": true, "ISO": true, "SHA": true, "SEV": true, "RFC": true, "HTTP": true, "TLS": true,
	"SSL": true, "CVE": true, "IPV": true, "AES": true, "RSA": true, "GPT": true, "PEP": true,
	"COVID": true, "MD": true, "P": true, "EC": true, "DDR": true, "HTTPS": true,
}

// actFindKey returns the first ticket key in s.
func actFindKey(s string) string {
	_, _, k := actFindKeyAt(s)
	return k
}

func actFindKeyAt(s string) (int, int, string) {
	for off := 0; off < len(s); {
		m := actKey.FindStringSubmatchIndex(s[off:])
		if m == nil {
			return -1, -1, ""
		}
		a, b := off+m[2], off+m[3]
		k := s[a:b]
		if k[0] == '#' || !actNotKeys[k[:strings.IndexByte(k, '-')]] {
			return a, b, k
		}
		off = b
	}
	return -1, -1, ""
}

// actFindOwner returns who a text names as the owner: an "Owner:" label,
// else the first @name; a name without its "@", as Event.Who.
func actFindOwner(s string) string {
	if m := actOwnerLabel.FindStringSubmatch(s); m != nil {
		return strings.TrimPrefix(strings.TrimRight(m[2], "."), "@")
	}
	if m := actHandle.FindStringSubmatch(s); m != nil {
		return strings.TrimPrefix(actTrimHandle(m[1]), "@")
	}
	return ""
}

func actTrimHandle(h string) string { return strings.TrimRight(h, ".-/") }

// actTicketURL reports whether u points at an issue, a pull request or a
// ticket.
func actTicketURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") {
		return false
	}
	host := strings.ToLower(p.Host)
	segs := strings.Split(strings.Trim(p.Path, "/"), "/")
	for i, s := range segs {
		switch strings.ToLower(s) {
		case "issues", "issue", "pull", "pulls", "merge_requests", "browse", "tickets", "ticket", "story", "tasks", "task", "bugs", "bug", "work_packages":
			if i+1 < len(segs) && actIDLike(segs[i+1]) {
				return true
			}
		}
		if m := actKey.FindStringSubmatch(s); m != nil && m[1] == s && s[0] != '#' {
			return true
		}
	}
	if strings.HasSuffix(host, "linear.app") && len(segs) >= 2 {
		return true
	}
	if strings.HasSuffix(p.Path, "show_bug.cgi") && p.Query().Get("id") != "" {
		return true
	}
	return false
}

func actIDLike(s string) bool {
	if s == "" {
		return false
	}
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c == '-', c == '_':
		default:
			return false
		}
	}
	return digits
}

func actWeb(u string) bool {
	return strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")
}

// actHasTicket reports whether a text links to or names a ticket.
func actHasTicket(t actText) bool {
	for _, l := range t.links {
		if actTicketURL(l.url) {
			return true
		}
	}
	_, _, k := actFindKeyAt(t.s)
	return k != "" && k[0] != '#'
}

// actBodyTicket is the ticket the body of an item names: a link to one, else
// a key.
func actBodyTicket(t actText) string {
	for _, l := range t.links {
		if actTicketURL(l.url) {
			return l.url
		}
	}
	return actFindKey(t.s)
}

// actItemLike reports whether a line reads as an item: a number, a checkbox
// or a state word first (a number only when enumerated is set), or, for a
// heading, an @name at its end.
func actItemLike(s string, enumerated, heading bool) bool {
	s = strings.TrimSpace(s)
	if enumerated {
		if loc := actEnumerator.FindStringIndex(s); loc != nil && loc[1] < len(s) {
			return true
		}
	}
	if _, n := actCheckbox(s); n > 0 && n < len(s) {
		return true
	}
	if _, n := actStateWord(s); n > 0 {
		return true
	}
	if heading {
		if m := actHandle.FindAllStringSubmatchIndex(s, -1); m != nil {
			last := m[len(m)-1]
			rest := strings.TrimSpace(actTag.ReplaceAllString(s[last[3]:], ""))
			return rest == "" || rest == ")"
		}
	}
	return false
}

// actCheckbox reads a checkbox at the start of s: its state and length.
func actCheckbox(s string) (string, int) {
	for _, c := range []struct{ p, state string }{
		{"[ ]", Open}, {"[x]", Done}, {"[X]", Done}, {"☐", Open}, {"⬜", Open}, {"🔲", Open},
		{"☒", Done}, {"☑", Done}, {"✅", Done}, {"✔", Done}, {"✓", Done},
	} {
		if strings.HasPrefix(s, c.p) {
			n := len(c.p)
			if strings.HasPrefix(s[n:], "\ufe0f") {
				n += len("\ufe0f")
			}
			return c.state, n
		}
	}
	return "", 0
}

// actStateWord reads "TODO", "DONE:", "[done]" or "Todo -" at the start of s:
// the state and the length with its separator.
func actStateWord(s string) (string, int) {
	for _, w := range []struct{ w, state string }{
		{"todo", Open}, {"to do", Open}, {"done", Done}, {"wip", Open}, {"in progress", Open},
	} {
		n := len(w.w)
		bracket := false
		t := s
		if strings.HasPrefix(t, "[") || strings.HasPrefix(t, "(") {
			t, bracket = t[1:], true
		}
		if len(t) < n || !strings.EqualFold(t[:n], w.w) || (len(t) > n && actWordByte(t[n])) {
			continue
		}
		upper := t[:n] == strings.ToUpper(t[:n])
		rest := t[n:]
		sep := 0
		switch {
		case bracket && (strings.HasPrefix(rest, "]") || strings.HasPrefix(rest, ")")):
			sep = 1
		case bracket:
			continue
		case strings.HasPrefix(rest, ":"):
			sep = 1
		case strings.HasPrefix(strings.TrimLeft(rest, " "), "- "), strings.HasPrefix(strings.TrimLeft(rest, " "), "– "), strings.HasPrefix(strings.TrimLeft(rest, " "), "— "):
			r := strings.TrimLeft(rest, " ")
			_, size := utf8.DecodeRuneInString(r)
			sep = len(rest) - len(r) + size
		case upper && (rest == "" || rest[0] == ' ' || rest[0] == '\n'):
		default:
			continue
		}
		l := n + sep
		if bracket {
			l++
		}
		return w.state, l
	}
	return "", 0
}

// actEditor removes decoration from an item's text.
type actEditor struct {
	s   string
	del []bool
	// tickets are removals undone when nothing else is left: an item
	// that is only a ticket is named by it.
	tickets [][2]int
}

func (e *actEditor) remove(a, b int) {
	for i := max(a, 0); i < b && i < len(e.s); i++ {
		e.del[i] = true
	}
}

func actSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// first is the index of the first byte left at or after i that is not a
// space; len(s) when none.
func (e *actEditor) first(i int) int {
	for ; i < len(e.s); i++ {
		if !e.del[i] && !actSpace(e.s[i]) {
			return i
		}
	}
	return len(e.s)
}

// last is the index of the last byte left before i that is not a space;
// -1 when none.
func (e *actEditor) last(i int) int {
	for i--; i >= 0; i-- {
		if !e.del[i] && !actSpace(e.s[i]) {
			return i
		}
	}
	return -1
}

// trailing reports whether only spaces and punctuation are left after b.
func (e *actEditor) trailing(b int) bool {
	for i := b; i < len(e.s); i++ {
		if !e.del[i] && !strings.ContainsRune(" \t\n\r.,;:!", rune(e.s[i])) {
			return false
		}
	}
	return true
}

// object reports whether the word before a makes what starts at a its
// object ("sync with @ana", "ask @ben"): a name the sentence needs.
func (e *actEditor) object(a int) bool {
	l := e.last(a)
	k := l
	for k >= 0 && actWordByte(e.s[k]) {
		k--
	}
	switch strings.ToLower(e.s[k+1 : l+1]) {
	case "with", "to", "from", "by", "for", "of", "and", "or", "via", "cc", "ask", "ping", "tell", "notify", "contact", "thank", "thanks", "page", "paging":
		return true
	}
	return false
}

// leading reports whether nothing is left before a.
func (e *actEditor) leading(a int) bool { return e.last(a) < 0 }

// enclosed returns the brackets around [a,b) when they hold nothing else
// but label words ("(see issue: …)").
func (e *actEditor) enclosed(a, b int) (int, int, bool) {
	l := e.last(a)
	for l >= 0 && a-l < 40 && e.s[l] != '(' && e.s[l] != '[' {
		l = e.last(l)
	}
	if l < 0 || (e.s[l] != '(' && e.s[l] != '[') {
		return 0, 0, false
	}
	if !actLabelOnly(e.s[l+1 : a]) {
		return 0, 0, false
	}
	r := e.first(b)
	if r >= len(e.s) || (e.s[l] == '(' && e.s[r] != ')') || (e.s[l] == '[' && e.s[r] != ']') {
		return 0, 0, false
	}
	return l, r + 1, true
}

// separated reports whether a separator (" - ", ":", "|", ",") stands
// right before a: the text before names the item, what follows decorates
// it.
func (e *actEditor) separated(a int) bool {
	l := e.last(a)
	if l < 0 {
		return false
	}
	switch e.s[l] {
	case ':', '|', ',', ';', '-':
		return l+1 < len(e.s) && actSpace(e.s[l+1])
	}
	r, _ := utf8.DecodeLastRuneInString(e.s[:l+1])
	return r == '—' || r == '–'
}

// removeDecoration removes [a,b) when it decorates the item rather than
// being part of a sentence: alone in brackets, first followed by a
// separator, or last; sep says a trailing one needs a separator before it.
func (e *actEditor) removeDecoration(a, b int, sep bool) bool {
	if l, r, ok := e.enclosed(a, b); ok {
		e.remove(l, r)
		return true
	}
	if e.leading(a) {
		r := e.first(b)
		for _, sep := range []string{":", "|", "-", "–", "—"} {
			if strings.HasPrefix(e.s[r:], sep) {
				e.remove(a, b)
				return true
			}
		}
	}
	if e.trailing(b) && (!sep || e.separated(a)) {
		e.remove(a, b)
		return true
	}
	return false
}

var actLabelWords = map[string]bool{
	"issue": true, "issues": true, "pr": true, "prs": true, "pull": true, "request": true, "requests": true,
	"mr": true, "merge": true, "ticket": true, "tickets": true, "link": true, "links": true, "github": true,
	"gitlab": true, "jira": true, "bug": true, "here": true, "see": true, "to": true, "for": true, "an": true,
	"a": true, "tracking": true, "tracked": true, "in": true, "at": true, "by": true, "via": true,
}

// actLabelOnly reports whether s holds only words that label a ticket.
func actLabelOnly(s string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if !actLabelWords[w] {
			return false
		}
	}
	return true
}

// actGeneric reports whether a link's text only labels it: "Issue", "PR",
// "#42", "OPS-1", the address itself.
func actGeneric(text, u string) bool {
	text = actCollapse(text)
	if text == "" || text == u || strings.TrimSuffix(text, "/") == strings.TrimSuffix(u, "/") {
		return true
	}
	if actWeb(text) {
		return true
	}
	if k := actFindKey(text); k == text {
		return true
	}
	return actLabelOnly(text) && strings.IndexFunc(text, unicode.IsLetter) >= 0
}

// actMaxRemovals bounds the ticket links removed from one item's text, so
// an item of thousands of links costs time in proportion to its length.
const actMaxRemovals = 8

// actParseItem reads one item's text: its state, owner, ticket and tags, and
// the text without them. enumerated says a leading number is the item's
// and not its text.
func actParseItem(t actText, enumerated bool) (Action, bool) {
	a := Action{State: Unknown}
	e := &actEditor{s: t.s, del: make([]bool, len(t.s))}

	// Leading markers: a number, a checkbox, a state word, in any order.
	for range 4 {
		i := e.first(0)
		if i >= len(e.s) {
			break
		}
		rest := e.s[i:]
		if enumerated {
			if loc := actEnumerator.FindStringIndex(rest); loc != nil {
				e.remove(i, i+loc[1])
				enumerated = false
				continue
			}
		}
		if st, n := actCheckbox(rest); n > 0 {
			if a.State == Unknown {
				a.State = st
			}
			e.remove(i, i+n)
			continue
		}
		if st, n := actStateWord(rest); n > 0 {
			if a.State == Unknown {
				a.State = st
			}
			e.remove(i, i+n)
			continue
		}
		break
	}

	// Trailing markers: tags, a state in brackets, an owner.
	for range 8 {
		end := e.last(len(e.s)) + 1
		for end > 0 && e.s[end-1] == '.' {
			end = e.last(end-1) + 1
		}
		if end <= 0 {
			break
		}
		head := e.s[:end]
		if st, n := actTrailingState(head); n > 0 {
			if a.State == Unknown {
				a.State = st
			}
			e.remove(end-n, end)
			continue
		}
		if m := actTag.FindStringSubmatchIndex(head); m != nil && !actDeleted(e, m[0], end) {
			if name := strings.TrimSpace(head[m[2]:m[3]]); !strings.EqualFold(name, "x") {
				a.Tags = append([]string{name}, a.Tags...)
			}
			e.remove(m[0], end)
			continue
		}
		if m := actHandle.FindAllStringSubmatchIndex(head, -1); m != nil {
			h := m[len(m)-1]
			if (h[3] == end || actTrimHandle(head[h[2]:h[3]]) == head[h[2]:end]) && !e.object(h[2]) {
				e.remove(h[2], end)
				continue
			}
		}
		if m := actDashOwner.FindStringSubmatchIndex(head); m != nil && a.Owner == "" && !actDeleted(e, m[0], end) {
			name := strings.TrimRight(head[m[2]:m[3]], ".")
			if st := actStatus(name); st != Unknown {
				// "— Done" says the state, not who.
				if a.State == Unknown {
					a.State = st
				}
			} else {
				a.Owner = name
			}
			e.remove(m[0], end)
			continue
		}
		break
	}

	// Owner: an "Owner:" label wins, else the first @name.
	if m := actOwnerLabel.FindStringSubmatchIndex(e.s); m != nil && !actDeleted(e, m[2], m[3]) {
		a.Owner = strings.TrimRight(e.s[m[4]:m[5]], ".")
		if !e.removeDecoration(m[2], m[3], false) {
			e.remove(m[2], m[3])
		}
	} else if a.Owner == "" {
		if m := actHandle.FindStringSubmatchIndex(e.s); m != nil {
			a.Owner = actTrimHandle(e.s[m[2]:m[3]])
			if !actDeleted(e, m[2], m[3]) {
				if l, r, ok := e.enclosed(m[2], m[3]); ok {
					e.remove(l, r)
				}
			}
		}
	}

	// Ticket: the first link to one, or the only link of a short item,
	// or a key; links that only label a ticket go from the text (the
	// first few: each removal looks at the whole item).
	removals := 0
	for _, l := range t.links {
		if removals == actMaxRemovals && a.Ticket != "" {
			break
		}
		if !actTicketURL(l.url) || actDeleted(e, l.a, l.b) {
			continue
		}
		if a.Ticket == "" {
			a.Ticket = l.url
		}
		if removals < actMaxRemovals && actGeneric(t.s[l.a:l.b], l.url) {
			e.removeTicket(l.a, l.b)
			removals++
		}
	}
	if a.Ticket == "" && len(t.links) == 1 && actWeb(t.links[0].url) {
		l := t.links[0]
		text := actCollapse(t.s[l.a:l.b])
		all := actCollapse(t.s)
		if actGeneric(text, l.url) || 2*utf8.RuneCountInString(text) >= utf8.RuneCountInString(all) {
			a.Ticket = l.url
			if actGeneric(text, l.url) && !actDeleted(e, l.a, l.b) {
				e.removeTicket(l.a, l.b)
			}
		}
	}
	if a.Ticket == "" {
		if ka, kb, k := actFindKeyAt(e.s); k != "" && !actDeleted(e, ka, kb) {
			a.Ticket = k
			e.removeTicketKey(ka, kb)
		}
	}

	a.Text = e.result()
	if a.Text == "" && len(e.tickets) > 0 {
		for _, r := range e.tickets {
			for i := r[0]; i < r[1]; i++ {
				e.del[i] = false
			}
		}
		a.Text = e.result()
	}
	if a.Text == "" || actPlaceholder(a.Text) {
		return a, false
	}
	a.Text = actCut(a.Text, maxActionText)
	a.Owner = strings.TrimPrefix(a.Owner, "@")
	return a, true
}

func (e *actEditor) removeTicket(a, b int) {
	before := append([]bool(nil), e.del...)
	if e.removeDecoration(a, b, false) {
		e.note(before)
	}
}

func (e *actEditor) removeTicketKey(a, b int) {
	before := append([]bool(nil), e.del...)
	if e.removeDecoration(a, b, true) {
		e.note(before)
	}
}

// note records what a ticket's removal took, to undo it if need be.
func (e *actEditor) note(before []bool) {
	start := -1
	for i := range e.del {
		changed := e.del[i] && !before[i]
		switch {
		case changed && start < 0:
			start = i
		case !changed && start >= 0:
			e.tickets = append(e.tickets, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		e.tickets = append(e.tickets, [2]int{start, len(e.del)})
	}
}

func actDeleted(e *actEditor, a, b int) bool {
	for i := a; i < b && i < len(e.del); i++ {
		if e.del[i] {
			return true
		}
	}
	return false
}

// actTrailingState reads "(done)", "[TODO]", "- DONE" or "✅" at the end of
// s: the state and the length.
func actTrailingState(s string) (string, int) {
	t := strings.TrimRight(s, " \t\n")
	for _, c := range []struct{ p, state string }{{"✅", Done}, {"✔️", Done}, {"✔", Done}, {"☑️", Done}, {"☑", Done}} {
		if strings.HasSuffix(t, c.p) {
			return c.state, len(s) - len(t) + len(c.p)
		}
	}
	if strings.HasSuffix(t, ")") || strings.HasSuffix(t, "]") {
		open := "("
		if strings.HasSuffix(t, "]") {
			open = "["
		}
		i := strings.LastIndex(t, open)
		if i < 0 {
			return "", 0
		}
		inner := strings.ToLower(strings.TrimSpace(t[i+1 : len(t)-1]))
		switch inner {
		case "done", "fixed", "complete", "completed", "resolved", "closed", "shipped":
			return Done, len(s) - i
		case "todo", "to do", "wip", "in progress", "open", "pending", "not started":
			return Open, len(s) - i
		}
		return "", 0
	}
	for _, w := range []struct{ w, state string }{{"DONE", Done}, {"TODO", Open}} {
		if strings.HasSuffix(t, " - "+w.w) || strings.HasSuffix(t, " — "+w.w) || strings.HasSuffix(t, " – "+w.w) {
			i := strings.LastIndex(t, " ")
			j := strings.LastIndex(t[:i], " ")
			return w.state, len(s) - j
		}
	}
	return "", 0
}

// result is the text left, its brackets emptied by the removals gone and
// its spaces collapsed.
func (e *actEditor) result() string {
	var b strings.Builder
	for i := 0; i < len(e.s); i++ {
		if !e.del[i] {
			b.WriteByte(e.s[i])
		}
	}
	s := actCollapse(b.String())
	for _, p := range []string{"()", "[]", "<>", "( )", "[ ]", "< >"} {
		s = strings.ReplaceAll(s, p, "")
	}
	s = actTidy(actCollapse(s))
	s = strings.TrimLeft(s, " -–—:;,|.")
	s = strings.TrimRight(s, " -–—:;,|")
	return strings.TrimSpace(s)
}

// actTidy mends the punctuation a removal leaves: "done ." and "later:."
// become "done." and "later.", "( x" becomes "(x"; a dot that starts a
// word (".whl") stays where it is.
func actTidy(s string) string {
	punct := func(c byte) bool { return strings.IndexByte(".,;:!?)", c) >= 0 }
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' && i+1 < len(s) && punct(s[i+1]) && (i+2 == len(s) || s[i+2] == ' ' || punct(s[i+2])) {
			continue
		}
		if c == ' ' && len(b) > 0 && b[len(b)-1] == '(' {
			continue
		}
		if c == '.' && len(b) > 0 {
			switch last := b[len(b)-1]; {
			case last == ':' || last == ',' || last == ';':
				// "tutorials:." → "tutorials."
				b = b[:len(b)-1]
			case last == '.' && (len(b) < 2 || b[len(b)-2] != '.') && (i+1 == len(s) || s[i+1] != '.'):
				// "date.." → "date.", but an ellipsis stays.
				continue
			}
		}
		b = append(b, c)
	}
	return string(b)
}

// actCollapse joins s's words with single spaces.
func actCollapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// actStripEnumerator drops the number a heading is written with.
func actStripEnumerator(s string) string {
	s = strings.TrimSpace(s)
	if loc := actEnumerator.FindStringIndex(s); loc != nil {
		return s[loc[1]:]
	}
	return s
}

// actCut shortens s to about n characters, at a word.
func actCut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, k := 0, 0
	for i = range s {
		if k == n {
			break
		}
		k++
	}
	if j := strings.LastIndexByte(s[:i], ' '); j > n/2 {
		i = j
	}
	return strings.TrimRight(s[:i], " ,;:-") + "…"
}

// actPlaceholder reports whether an item only stands for one not written.
func actPlaceholder(s string) bool {
	t := strings.ToLower(strings.TrimRight(actCollapse(s), ".!:"))
	switch t {
	case "", "todo", "tbd", "tba", "n/a", "na", "none", "none yet", "nothing", "nothing yet", "wip", "xxx",
		"-", "--", "---", "—", "–", "…", "...", "?", "??", "???", "placeholder", "to be determined", "to do", "fill me in":
		return true
	}
	return false
}
