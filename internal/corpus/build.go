package corpus

import (
	"fmt"
	"strconv"
	"strings"
)

// Canonical section keys, as kb's incident package names them.
const (
	kSummary   = "summary"
	kImpact    = "impact"
	kTimeline  = "timeline"
	kDetection = "detection"
	kRootCause = "root-cause"
	kResolve   = "resolution"
	kLessons   = "lessons-learned"
	kActions   = "action-items"
)

// aliases are the headings that name each canonical section in widely used
// templates; kb's incident.DefaultAliases knows all of them, and a test
// keeps the two lists in step.
var aliases = []struct {
	key   string
	names []string
}{
	{kSummary, []string{"Summary", "Overview", "Context", "Description", "TL;DR", "TLDR", "Executive summary", "Incident summary", "Background", "What happened"}},
	{kImpact, []string{"Impact", "Customer impact", "User impact", "Business impact", "Who was affected", "Scope"}},
	{kTimeline, []string{"Timeline", "Leadup", "Lead-up", "Sequence of events", "Events", "Chronology", "Detailed timeline", "Events/Timeline", "Incident timeline"}},
	{kDetection, []string{"Detection", "How was it detected", "How it was detected", "Discovery", "Trigger"}},
	{kRootCause, []string{"Root cause", "Root causes", "Root cause(s)", "Blameless root cause", "Contributing factors", "Cause", "Causes", "Five whys", "5 whys", "Root cause analysis", "Root causes and trigger", "Why did it happen"}},
	{kResolve, []string{"Resolution", "Recovery", "Mitigation", "Response", "Resolution and recovery", "Short term fix", "Fix", "Remediation steps"}},
	{kLessons, []string{"Lessons learned", "Lessons", "What went well", "What went poorly", "What went wrong", "Where we got lucky", "Things that went well", "Things that went poorly", "Learnings", "Takeaways"}},
	{kActions, []string{"Action items", "Follow-up tasks", "Follow-ups", "Follow up", "Followups", "Resulting action", "Resulting actions", "Corrective and preventative measures", "Corrective actions", "Next steps", "Remediation", "Long term solution", "Action plan", "Todo", "Tasks"}},
}

func aliasNames(key string) []string {
	for _, a := range aliases {
		if a.key == key {
			return a.names
		}
	}
	return nil
}

// Roles say what a section's body is made of; several headings share a
// canonical key but read differently (Five whys vs Blameless root cause).
const (
	rSummary = iota
	rImpact
	rTimeline
	rLeadup
	rDetection
	rRootCause
	rFiveWhys
	rContributing
	rResolution
	rResponse
	rLessons
	rWell
	rPoorly
	rLucky
	rActions
	rResponders // the rest have no canonical key
	rRelated
	rGlossary
	rAppendix
)

type spec struct {
	key   string
	role  int
	names []string // one is chosen; empty means any alias of key
}

// houses are section layouts of well-known templates, plus a free one
// (empty specs) that draws a random alias for every canonical section.
var houses = [][]spec{
	{ // SRE book
		{kSummary, rSummary, []string{"Summary", "Executive summary"}},
		{kImpact, rImpact, []string{"Impact"}},
		{kRootCause, rRootCause, []string{"Root causes", "Root cause", "Root causes and trigger"}},
		{kDetection, rDetection, []string{"Trigger", "Detection"}},
		{kResolve, rResolution, []string{"Resolution", "Mitigation"}},
		{kDetection, rDetection, []string{"Detection"}},
		{kActions, rActions, []string{"Action items", "Action plan"}},
		{kLessons, rLessons, []string{"Lessons learned"}},
		{kTimeline, rTimeline, []string{"Timeline", "Detailed timeline"}},
	},
	{ // incident-response vendor style
		{kSummary, rSummary, []string{"Overview", "What happened"}},
		{kImpact, rImpact, []string{"Customer impact", "Impact", "Business impact"}},
		{kRootCause, rContributing, []string{"Contributing factors"}},
		{kResolve, rResolution, []string{"Resolution", "Resolution and recovery"}},
		{kTimeline, rTimeline, []string{"Timeline", "Incident timeline"}},
		{"", rResponders, []string{"Responders", "Participants"}},
		{kLessons, rLessons, []string{"Lessons", "Learnings"}},
		{kActions, rActions, []string{"Corrective and preventative measures", "Corrective actions", "Action items"}},
	},
	{ // the emoji template of community infrastructure teams
		{kTimeline, rLeadup, []string{"Leadup", "Lead-up"}},
		{kImpact, rImpact, []string{"Impact"}},
		{kDetection, rDetection, []string{"Detection"}},
		{kResolve, rResponse, []string{"Response"}},
		{kResolve, rResolution, []string{"Recovery"}},
		{kRootCause, rFiveWhys, []string{"Five whys", "5 whys"}},
		{kRootCause, rRootCause, []string{"Blameless root cause"}},
		{kLessons, rLessons, []string{"Lessons learned"}},
		{kActions, rActions, []string{"Follow-up tasks", "Follow-ups"}},
	},
	{ // a social network's incident pages
		{kSummary, rSummary, []string{"Context", "Background"}},
		{kTimeline, rTimeline, []string{"Timeline"}},
		{kImpact, rImpact, []string{"Impact", "Who was affected"}},
		{kRootCause, rRootCause, []string{"Root cause", "Root cause analysis"}},
		{kLessons, rLessons, []string{"Lessons learned"}},
		{kActions, rActions, []string{"Resulting action", "Resulting actions", "Action items"}},
	},
	{ // a blameless-review wiki page
		{kSummary, rSummary, []string{"Incident summary", "Description"}},
		{kTimeline, rLeadup, []string{"Leadup", "Sequence of events"}},
		{kImpact, rImpact, []string{"Impact", "User impact", "Scope"}},
		{kDetection, rDetection, []string{"Detection", "Discovery", "How it was detected", "How was it detected"}},
		{kResolve, rResponse, []string{"Response", "Short term fix"}},
		{kResolve, rResolution, []string{"Recovery", "Fix", "Remediation steps"}},
		{kTimeline, rTimeline, []string{"Timeline", "Chronology"}},
		{kRootCause, rFiveWhys, []string{"Five whys", "Why did it happen"}},
		{"", rRelated, []string{"Related incidents", "See also"}},
		{kLessons, rLessons, []string{"Lessons learned", "Takeaways"}},
		{kActions, rActions, []string{"Corrective actions", "Next steps", "Long term solution"}},
	},
	{}, // free: any alias of each canonical section
}

// free is the canonical order the free house follows.
var free = []spec{
	{kSummary, rSummary, nil}, {kImpact, rImpact, nil}, {kTimeline, rTimeline, nil},
	{kDetection, rDetection, nil}, {kRootCause, rRootCause, nil}, {kResolve, rResolution, nil},
	{kLessons, rLessons, nil}, {kActions, rActions, nil},
}

// emoji goes in front of section titles in the emoji-heading style.
var emoji = map[int][]string{
	rSummary: {"📝", "🧾"}, rImpact: {"🥏", "💥", "📉"}, rTimeline: {"🕑", "⏱️"}, rLeadup: {"⚠️"},
	rDetection: {"👁️", "🚨"}, rRootCause: {"🌱", "🔍"}, rFiveWhys: {"🔎"}, rContributing: {"🧩"},
	rResolution: {"🙆🏽‍♀️", "🛠️"}, rResponse: {"🙋🏿‍♂️"}, rLessons: {"🤔", "📚"}, rWell: {"✅"}, rPoorly: {"❌"},
	rLucky: {"🍀"}, rActions: {"☑️", "📋"}, rResponders: {"👥"}, rRelated: {"🔗"}, rGlossary: {"📖"}, rAppendix: {"📎"},
}

var shortcodes = map[int]string{
	rSummary: ":memo:", rImpact: ":boom:", rTimeline: ":clock2:", rLeadup: ":warning:", rDetection: ":eyes:",
	rRootCause: ":seedling:", rFiveWhys: ":mag:", rContributing: ":jigsaw:", rResolution: ":hammer_and_wrench:",
	rResponse: ":raising_hand:", rLessons: ":thinking:", rActions: ":ballot_box_with_check:",
	rResponders: ":busts_in_silhouette:", rRelated: ":link:", rGlossary: ":book:", rAppendix: ":paperclip:",
}

// writer returns the text source for one incident.
func (p *corpusPlan) writer(inc *planned, r *rng) *writer {
	w := &writer{r: r, inc: inc, codes: p.codes, terms: p.terms, companies: p.companies}
	for _, i := range inc.sys {
		w.sys = append(w.sys, systems[i])
	}
	w.cause = &causes[inc.causes[0]]
	w.people = append(w.people, inc.authors...)
	for len(w.people) < len(inc.authors)+3 {
		w.people = append(w.people, pick(r, p.people))
	}
	if inc.hosts == nil {
		// Decided once, when the title is written, so that the title
		// and the body name the same host and status code.
		for _, s := range w.sys {
			base := s.id
			if len(base) > 8 {
				base = base[:strings.IndexByte(base+"-", '-')]
			}
			host := fmt.Sprintf("%s-%02d", base, r.between(1, 24))
			if r.chance(0.4) {
				host += "." + pick(r, regions)
			}
			inc.hosts = append(inc.hosts, host)
		}
		inc.httpCode = pick(r, []string{"500", "502", "503", "504", "429"})
		inc.limit = pick(r, []int{100, 200, 300, 400, 500, 1000, 2000})
	}
	w.hosts, w.httpCode, w.limit = inc.hosts, inc.httpCode, inc.limit
	w.clock = inc.local.Hour()*60 + inc.local.Minute()
	return w
}

// build decides everything a postmortem says and how it is laid out.
func (p *corpusPlan) build(inc *planned, r *rng) *doc {
	w := p.writer(inc, r)
	d := &doc{inc: inc, w: w, seed: r.src.Uint64()}
	st := &d.style
	rst := inc.format == fmtRST
	st.house = r.weighted([]float64{14, 14, 16, 14, 12, 30})
	if rst && r.chance(0.5) {
		st.house = 2 // RST postmortems mostly come from the emoji template
	}
	st.wrap = pick(r, []int{0, 72, 72, 79, 80, 80, 100})
	st.prompts = r.chance(0.35) || (st.house == 2 && r.chance(0.6))
	st.promptKind = r.weighted([]float64{45, 25, 20, 10})
	st.deco = r.weighted([]float64{58, 10, 17, 9, 6})
	if rst {
		st.deco = []int{0, 2, 2, 0, 4}[st.deco] // numbers and shortcodes are a Markdown habit
		if st.house == 2 {
			st.deco = 2
		}
	}
	st.bullet = "-"
	if r.chance(0.2) {
		st.bullet = "*"
	}
	st.timeline = r.weighted([]float64{20, 30, 12, 12, 10, 8, 8})
	if !rst && st.timeline == tlDefs {
		st.timeline = tlBold
	}
	st.timeUTC = r.chance(0.5)
	st.actions = r.weighted([]float64{50, 15, 25, 10})
	st.mdLevel = 2
	st.h1 = inc.format == fmtBare || r.chance(0.25)
	if !st.h1 && r.chance(0.2) {
		st.mdLevel = 1
	}
	st.dateTitle = r.chance(0.25)
	st.overline = r.chance(0.3)
	st.fieldsTop = r.chance(0.55)
	st.codeDir = pick(r, []string{"code-block", "code-block", "code", "sourcecode"})
	st.fence = "```"
	if r.chance(0.1) {
		st.fence = "~~~"
	}

	specs := houses[st.house]
	if len(specs) == 0 {
		specs = free
	}
	// Decide which sections are missing, and which are left blank; keep
	// at least four.
	type choice struct {
		sp    spec
		state int // 0 written, 1 prompt only, 2 placeholder, 3 prompt and placeholder
	}
	var chosen []choice
	// Most write-ups are finished; the rest leave sections as the
	// template had them.
	unfinished := r.chance(0.3)
	for i, sp := range specs {
		missing := i > 0 && r.chance(0.1)
		if missing && len(specs)-i+len(chosen) > 4 {
			continue
		}
		state := 0
		switch x := r.float(); {
		case !unfinished || i == 0:
		case x < 0.12:
			state = 2
		case x < 0.24:
			state = 1
			if !st.prompts {
				state = 2
			}
		case x < 0.3:
			state = 3
		}
		chosen = append(chosen, choice{sp, state})
	}
	if r.chance(0.12) {
		chosen = append(chosen, choice{spec{"", rAppendix, []string{"Appendix", "Supporting information", "Logs"}}, 0})
	}
	if r.chance(0.06) {
		chosen = append(chosen, choice{spec{"", rGlossary, []string{"Glossary", "Terms used"}}, 0})
	}

	// An introduction above the first section, as most write-ups have.
	if r.chance(0.55) || chosen[0].sp.role != rSummary {
		d.intro = append(d.intro, block{kind: bPara, text: w.summaryText(p, true)})
	}
	for n, c := range chosen {
		s := section{key: c.sp.key}
		names := c.sp.names
		if len(names) == 0 {
			names = aliasNames(c.sp.key)
		}
		s.title = decorate(r, st, pick(r, names), c.sp.role, n+1)
		if st.prompts && c.state != 2 {
			s.blocks = append(s.blocks, block{kind: bPrompt, text: promptFor(r, c.sp.key)})
		}
		switch c.state {
		case 1:
			s.blank = true
		case 2, 3:
			s.blocks = append(s.blocks, block{kind: bPlaceholder, text: pick(r, placeholders)})
			s.blank = true
		default:
			p.fillSection(w, d, &s, c.sp.role)
		}
		d.secs = append(d.secs, s)
	}
	if inc.bundle && r.chance(0.7) {
		// Page bundles exist to keep images beside the text.
		name := pick(r, []string{"traffic.svg", "error-rate.svg", "latency.svg", "connections.svg"})
		alt := capitalize(w.fill("{metric} of {sys} during the incident"))
		img := block{kind: bImage, text: alt, lang: name}
		for i := range d.secs {
			if !d.secs[i].blank && (d.secs[i].key == kImpact || d.secs[i].key == kTimeline || i == len(d.secs)-1) {
				d.secs[i].blocks = append(d.secs[i].blocks, img)
				break
			}
		}
	}
	if !rst && r.chance(0.04) {
		for i := range d.secs {
			if d.secs[i].key == kDetection || d.secs[i].key == kRootCause {
				d.secs[i].blocks = append(d.secs[i].blocks, block{kind: bDetails, text: w.logLines(r.between(4, 9))})
				break
			}
		}
	}
	for i := range d.intro {
		d.intro[i].variant = r.intn(100)
	}
	setVariants(r, d.secs)
	return d
}

// decorate writes a heading the way the file's style does.
func decorate(r *rng, st *style, title string, role, n int) string {
	switch st.deco {
	case 1:
		if n > 0 { // subsections (n = 0) go unnumbered
			return strconv.Itoa(n) + ". " + title
		}
	case 2:
		if es := emoji[role]; len(es) > 0 {
			return pick(r, es) + " " + title
		}
	case 3:
		if sc, ok := shortcodes[role]; ok {
			return sc + " " + title
		}
	case 4:
		if strings.HasPrefix(title, "How ") || strings.HasPrefix(title, "Why ") || strings.HasPrefix(title, "Who ") || title == "What happened" {
			return title + "?"
		}
		return title + ":"
	}
	return title
}

func promptFor(r *rng, key string) string {
	var cands []string
	for _, p := range prompts {
		if p[0] == key {
			cands = append(cands, p[1])
		}
	}
	if len(cands) == 0 {
		return "Anything else a reader should know?"
	}
	return pick(r, cands)
}

// summaryText is the opening paragraph: what broke, why, for how long.
func (w *writer) summaryText(p *corpusPlan, withLink bool) string {
	r := w.r
	inc := w.inc
	lead := pick(r, []string{
		"For {dur} on {weekday} {daypart}, {customers} were affected by {label} in {sys}.",
		"{Sys} was unavailable or slow for " + duration(inc.minutes) + " because of {label}.",
		"This postmortem covers " + duration(inc.minutes) + " of degraded service on {date}, caused by {label}.",
		"On {date} we had an incident in {sys} that lasted " + duration(inc.minutes) + ".",
		"Between {time} and {time} UTC, {sys} and the services that depend on it were degraded.",
		"A " + strings.ToLower(inc.severity) + " incident: {label} in {sys} affected {customers} for " + duration(inc.minutes) + ".",
	})
	parts := []string{w.fill(lead), w.fact(w.cause.symptoms)}
	if r.chance(0.7) {
		parts = append(parts, w.fact(w.cause.mechanisms))
	}
	parts = append(parts, w.fact(w.cause.fixes))
	if withLink && r.chance(0.25) {
		if l := w.incidentLink(p); l != "" {
			parts = append(parts, pick(r, []string{
				"This looks a lot like " + l + ".",
				"We saw something similar in " + l + ".",
				"See also " + l + ", where the same kind of problem hit us.",
			}))
		}
	}
	return strings.Join(parts, " ")
}

// incidentLink is a link to another postmortem, preferably an earlier one
// with the same cause, written as a relative path to its file.
func (w *writer) incidentLink(p *corpusPlan) string {
	r := w.r
	inc := w.inc
	cands := p.byCause[inc.causes[0]]
	target := -1
	for tries := 0; tries < 6 && len(cands) > 1; tries++ {
		j := pick(r, cands)
		if j != inc.index && p.incs[j].local.Before(inc.local) {
			target = j
			break
		}
	}
	if target < 0 && len(p.incs) > 1 {
		target = r.intn(len(p.incs))
		if target == inc.index {
			return ""
		}
	}
	if target < 0 {
		return ""
	}
	t := p.incs[target]
	text := pick(r, []string{
		strings.ToLower(t.title[:1]) + t.title[1:],
		"the " + t.local.Format("January 2006") + " incident",
		"the earlier incident",
		t.local.Format("2006-01-02") + ": " + t.title,
	})
	return link(text, relPath(inc.path, t.path))
}

func (p *corpusPlan) fillSection(w *writer, d *doc, s *section, role int) {
	r := w.r
	st := &d.style
	c := w.cause
	para := func(text string) { s.blocks = append(s.blocks, block{kind: bPara, text: text}) }
	switch role {
	case rSummary:
		para(w.summaryText(p, true))
		if r.chance(0.3) {
			para(w.fact(c.symptoms) + " " + w.fillerSentence())
		}
	case rImpact:
		items := make([]string, 0, 5)
		pool := []string{
			"{pct} of requests to {sys} failed for {dur}.",
			"{Customers} could not {action} for {mins} minutes.",
			"About {big} requests returned errors.",
			"No data was lost.",
			"{nnn} background jobs had to be re-run by hand.",
			"The {sys} SLO burned {pct} of its monthly error budget.",
			"Internal tools that depend on {sys2} were also slow.",
			"Support answered {nn} conversations about the outage.",
			"p99 latency of {sys2} rose from {nn} ms to {n} seconds.",
			"Webhooks to {customers} were delayed by up to {mins} minutes.",
			"{Customers} in {region} saw the worst of it.",
			"Roughly {big} users were logged out and had to sign in again.",
		}
		n := r.between(2, 5)
		for _, i := range perm(r, len(pool))[:n] {
			items = append(items, w.fill(pool[i]))
		}
		switch r.intn(4) {
		case 0:
			para(w.fill("The incident affected {customers} and anyone using {sys2}.") + " " + strings.Join(items, " "))
		case 1:
			s.blocks = append(s.blocks, block{kind: bTable,
				header: []string{"Service", "Error rate", "Duration"},
				rows:   w.impactRows()})
			para(items[0])
		default:
			if r.chance(0.4) {
				para(w.fill("In numbers:"))
			}
			s.blocks = append(s.blocks, block{kind: bList, items: items})
		}
	case rTimeline, rLeadup:
		if role == rLeadup {
			para(w.fill(pick(r, []string{
				"In the days before the incident, {sys} had been running close to its limits.",
				"Earlier that {daypart}, a routine change went out to {sys2}.",
				"Nothing unusual happened before the first symptoms; the change that triggered this had shipped {n} days earlier.",
				"The week before, the {team} team had started a migration of {sys}.",
			})) + " " + w.fact(c.mechanisms))
			if r.chance(0.5) {
				return
			}
		}
		if st.timeUTC && r.chance(0.3) {
			para(pick(r, []string{"All times are UTC.", "Times in UTC.", "All times in UTC unless noted."}))
		}
		s.blocks = append(s.blocks, block{kind: bTimeline, events: w.events(st)})
	case rDetection:
		para(w.fill(pick(r, []string{
			"{Tool} alerted at {time}, {mins} minutes after the first errors.",
			"A customer reported the problem in the support chat before any alert fired.",
			"The alert for {metric} fired, but it went to a channel nobody watches at night.",
			"{Oncall} noticed the graphs while looking into something else.",
			"Synthetic checks against {sys} failed three times in a row and paged the on-call.",
			"We found out from a colleague in {channel} who could not {action}.",
			"The {metric} alert paged {oncall} at {time}; the threshold had been set {n} years ago.",
		})) + " " + w.fill(pick(r, []string{
			"That is later than it should have been.",
			"Detection worked as intended this time.",
			"We need an alert on the {metric} of {sys}.",
			"It took another {mins} minutes to connect the alert to {sys}.",
		})))
		if r.chance(0.45) {
			para(pick(r, []string{"The first log lines looked like this:", "The logs said:", "From the logs of {sys}:"}))
			s.blocks[len(s.blocks)-1].text = w.fill(s.blocks[len(s.blocks)-1].text)
			s.blocks = append(s.blocks, block{kind: bCode, lang: "text", text: w.logLines(r.between(2, 5))})
		}
	case rRootCause, rContributing:
		para(w.fact(c.mechanisms))
		if len(w.inc.causes) > 1 {
			c2 := &causes[w.inc.causes[1]]
			para("A second factor was " + c2.label + ": " + lowerFirst(w.fill(pick(r, c2.mechanisms))))
		}
		if role == rContributing {
			items := []string{w.fact(c.mechanisms), w.fillerSentence()}
			if r.chance(0.5) {
				items = append(items, w.fill("The alert for {metric} was not routed to the on-call."))
			}
			s.blocks = append(s.blocks, block{kind: bList, items: items})
		}
		if r.chance(0.6) {
			s.blocks = append(s.blocks, w.snippet(c.code))
		}
	case rFiveWhys:
		s.blocks = append(s.blocks, block{kind: bList, items: w.whys()})
	case rResolution, rResponse:
		if role == rResponse {
			para(w.fill(pick(r, []string{
				"{Oncall} declared an incident in {channel} and took the role of incident commander.",
				"{Person} responded first; {person} joined {mins} minutes later.",
				"The {team} team responded. The main obstacle was that nobody had access to {sys2}.",
				"The on-call engineer was paged at {time} and acknowledged within {n} minutes.",
			})))
		}
		para(w.fact(c.fixes) + " " + w.fill(pick(r, []string{
			"We confirmed the fix by watching the {metric} for {mins} minutes.",
			"The status page was updated at {time} and the incident closed at {time}.",
			"Everything was back to normal by {time}.",
			"Recovery was slower than it should have been, because the runbook was out of date.",
		})))
		if r.chance(0.5) {
			steps := []string{
				w.fill("Confirmed the scope in {tool}."),
				w.fact(c.fixes),
				w.fill("Watched the {metric} until it was back to normal."),
			}
			if r.chance(0.6) {
				steps = append(steps[:2], append([]string{w.fill("Ran " + code(pick(r, []string{
					"kubectl rollout restart deployment/{sysid}",
					"systemctl restart {sysid}",
					"terraform apply -target=module.{sysid}",
					"./scripts/failover.sh {sysid}",
				})) + " on {host}.")}, steps[2:]...)...)
			}
			s.blocks = append(s.blocks, block{kind: bOrdered, items: steps})
		}
		if r.chance(0.3) {
			s.blocks = append(s.blocks, w.snippet(append([]string{"shell"}, c.code...)))
		}
	case rLessons:
		well := w.bullets(lessonsWell, r.between(1, 3))
		poorly := w.bullets(lessonsPoorly, r.between(1, 3))
		if r.chance(0.55) {
			add := func(names []string, role int, items []string) {
				s.subs = append(s.subs, section{key: kLessons, title: decorate(r, st, pick(r, names), role, 0),
					blocks: []block{{kind: bList, items: items}}})
			}
			add([]string{"What went well", "Things that went well"}, rWell, well)
			add([]string{"What went poorly", "What went wrong", "Things that went poorly"}, rPoorly, poorly)
			if r.chance(0.5) {
				add([]string{"Where we got lucky"}, rLucky, w.bullets(lessonsLucky, r.between(1, 2)))
			}
		} else {
			s.blocks = append(s.blocks, block{kind: bList, items: append(well, poorly...)})
		}
	case rActions:
		items := w.bullets(c.actions, r.between(1, len(c.actions)))
		items = append(items, w.bullets(genericActions, r.between(1, 3))...)
		s.blocks = append(s.blocks, w.actionBlock(st, items))
	case rResponders:
		var names []string
		for i, n := range w.people {
			role := pick(r, []string{"incident commander", "communications", "operations", "scribe", "subject matter expert"})
			if i == 0 {
				role = "incident commander"
			}
			names = append(names, n+" ("+role+")")
		}
		s.blocks = append(s.blocks, block{kind: bList, items: names})
	case rRelated:
		var items []string
		for range r.between(1, 3) {
			if l := w.incidentLink(p); l != "" {
				items = append(items, l)
			}
		}
		if len(items) == 0 {
			para("None that we know of.")
		} else {
			s.blocks = append(s.blocks, block{kind: bList, items: items})
		}
	case rGlossary:
		s.blocks = append(s.blocks, block{kind: bList, items: []string{
			bold(w.sys[0].id) + ": " + w.fill("the {adj} {noun} that owns the data for this incident."),
			bold("IC") + ": incident commander, the person coordinating the response.",
			bold(pick(r, w.codes)) + ": " + w.fill("an internal project around the {noun}."),
		}})
	case rAppendix:
		para(w.fill("Output collected during the incident, for reference."))
		s.blocks = append(s.blocks, w.snippet(c.code))
	}
	if r.chance(0.15) && role != rFiveWhys && role != rResponders && role != rRelated {
		para(w.fillerParagraph())
	}
}

var lessonsWell = []string{
	"The runbook for {sys} was accurate and quick to follow.",
	"People joined {channel} within minutes.",
	"The rollback took {mins} minutes, as designed.",
	"Alerts fired before customers noticed.",
	"{Person} kept a clear timeline in {channel} while the others worked.",
	"Status page updates went out every {nn} minutes.",
	"The dashboards for {sys} showed the problem at a glance.",
	"Handing over between time zones went smoothly.",
	"The {term} tool gave us the numbers we needed within minutes.",
}

var lessonsPoorly = []string{
	"It took {mins} minutes to find out who owns {sys2}.",
	"The dashboards for {sys} lacked a graph of the {metric}.",
	"Two people made changes at the same time without telling each other.",
	"The runbook still described the setup from {year}.",
	"We paged the wrong team first.",
	"Nobody updated the status page for the first {mins} minutes.",
	"Access to {sys} production needed an approval that took {mins} minutes.",
	"The alert fired, but its message did not say which {noun} was affected.",
	"Nobody knew what the {term} service does or who owns it.",
}

var lessonsLucky = []string{
	"It happened during working hours, when the {team} team was around.",
	"Traffic was low because it was a public holiday in most of our markets.",
	"{Person} had worked on {sys} the week before and knew where to look.",
	"The backup from the night before had finished minutes before the incident began.",
}

var genericActions = []string{
	"Write a runbook for {sys}",
	"Add {sys} to the weekly capacity review",
	"Review the alert routing for {sys}",
	"Run a game day on {label}",
	"Document who owns {sys2}",
	"Add a dashboard panel for the {metric} of {sys}",
	"Share this write-up at the next engineering all-hands",
	"Remove the {adj} {noun} from {sys}",
	"Retire the {term} script",
	"Move the {term} job off {host}",
	"Give the {term} dashboard an owner",
	"Ask {company} to confirm that {feature} works for them",
}

func (w *writer) bullets(pool []string, n int) []string {
	out := make([]string, 0, n)
	for _, i := range perm(w.r, len(pool))[:min(n, len(pool))] {
		out = append(out, w.fill(pool[i]))
	}
	return out
}

func perm(r *rng, n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	shuffle(r, p)
	return p
}

func lowerFirst(s string) string {
	if s == "" || (len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z') {
		return s // an acronym: keep "DNS"
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func (w *writer) impactRows() [][]string {
	r := w.r
	var rows [][]string
	for _, s := range w.sys {
		rows = append(rows, []string{s.id, strconv.Itoa(r.between(1, 99)) + "%", duration(r.between(5, w.inc.minutes+5))})
	}
	return rows
}

// whys is a five-whys chain: the symptom, then why after why.
func (w *writer) whys() []string {
	r := w.r
	c := w.cause
	out := []string{w.fact(c.symptoms)}
	for _, m := range perm(r, len(c.mechanisms))[:min(len(c.mechanisms), r.between(2, 4))] {
		out = append(out, bold("Why?")+" "+w.fill(c.mechanisms[m]))
	}
	out = append(out, bold("Why?")+" "+w.fillerSentence())
	return out
}

// events is the incident's timeline: generic steps of any response around
// the events of its cause, in time order.
func (w *writer) events(st *style) []event {
	r := w.r
	c := w.cause
	w.clock = w.inc.local.Hour()*60 + w.inc.local.Minute()
	generic := []string{
		"alert fires: {metric} on {sys}",
		"{oncall} acknowledges the page",
		"incident declared in {channel}",
		"status page updated",
		"the {team} team joins the call",
		"support reports that {customers} are affected",
		"{oncall} posts the first hypothesis",
		"mitigation applied",
		"the {term} job paused to take load off {sys}",
		"monitoring; severity lowered",
		"incident closed",
	}
	var texts []string
	ci := 0
	for gi, g := range generic {
		if ci < len(c.events) && (gi == 0 || gi == 3 || gi == 6 || gi == 8) {
			texts = append(texts, w.fill(c.events[ci]))
			ci++
		}
		if r.chance(0.6) || gi == 0 || gi == len(generic)-1 {
			texts = append(texts, w.fill(g))
		}
	}
	for ; ci < len(c.events); ci++ {
		texts = append(texts, w.fill(c.events[ci]))
	}
	if r.chance(0.3) {
		texts = append(texts[:2], append([]string{w.fillerSentence()}, texts[2:]...)...)
	}
	out := make([]event, len(texts))
	day := w.inc.local
	for i, t := range texts {
		step := r.between(1, 9) * (1 + w.inc.minutes/60)
		if i == 0 {
			step = 0
		}
		before := w.clock
		tm := w.nextTime(step)
		if before/(24*60) != w.clock/(24*60) {
			day = day.AddDate(0, 0, 1)
		}
		e := event{time: tm, text: capitalize(strings.TrimSuffix(t, "."))}
		if st.timeline == tlDays {
			e.day = day.Format("Monday 2006-01-02")
		}
		if st.timeline == tlHandles {
			e.who = "@" + strings.ToLower(firstName(pick(r, w.people)))
		}
		out[i] = e
	}
	return out
}

func (w *writer) actionBlock(st *style, items []string) block {
	r := w.r
	switch st.actions {
	case 1:
		b := block{kind: bTable, header: []string{"Action", "Owner", "Status"}}
		for _, it := range items {
			b.rows = append(b.rows, []string{it, pick(r, w.people), pick(r, []string{"done", "in progress", "open", "open", "won't do"})})
		}
		return b
	case 2:
		return block{kind: bList, items: items}
	case 3:
		return block{kind: bOrdered, items: items}
	}
	b := block{kind: bChecklist, items: items}
	for range items {
		b.checked = append(b.checked, r.chance(0.45))
	}
	for i := range b.items {
		if r.chance(0.4) {
			b.items[i] += " (" + pick(r, []string{"owner: ", "", "@"}) + firstName(pick(r, w.people)) + ")"
		}
	}
	return b
}

// fitSize renders d, then adds filler until the file reaches its target
// size, measuring each added block as the format writes it so that one
// more rendering gives the file; a file never grows past 8000 bytes.
func fitSize(d *doc, r *rng, render func(*doc) []byte, measure func(*doc, block) int) []byte {
	const most = 8000
	target := 2300 + r.intn(5300)
	w := d.w
	out := render(d)
	size := len(out)
	if size >= target {
		return out
	}
	var open []int
	for i, s := range d.secs {
		if !s.blank && s.key != kActions {
			open = append(open, i)
		}
	}
	for size < target {
		var b block
		var s *section
		if len(open) == 0 {
			b = block{kind: bPara, text: w.fillerParagraph()}
		} else {
			s = &d.secs[pick(r, open)]
			b = w.extra(s.key)
		}
		b.filler, b.variant = true, r.intn(100)
		n := measure(d, b)
		if size+n > most {
			break
		}
		size += n
		if s == nil {
			d.intro = append(d.intro, b)
			continue
		}
		// After the section's first words (and its prompt): asides
		// follow the facts.
		first := 0
		for first < len(s.blocks) && (s.blocks[first].kind == bPrompt || s.blocks[first].filler) {
			first++
		}
		at := len(s.blocks)
		if first < len(s.blocks) {
			at = first + 1 + r.intn(len(s.blocks)-first)
		}
		s.blocks = append(s.blocks[:at], append([]block{b}, s.blocks[at:]...)...)
	}
	out = render(d)
	for len(out) > most && d.dropFiller() {
		out = render(d)
	}
	return out
}

// extra is more of what a section of the given key says: another
// paragraph about the cause, a few more lessons, a snippet, or asides.
func (w *writer) extra(key string) block {
	r := w.r
	c := w.cause
	if r.chance(0.45) {
		return block{kind: bPara, text: w.fillerParagraph()}
	}
	switch key {
	case kRootCause:
		if r.chance(0.25) {
			return w.snippet(c.code)
		}
		if f := w.fresh(c.mechanisms); f != "" {
			return block{kind: bPara, text: f + " " + w.fillerSentence()}
		}
	case kResolve:
		if r.chance(0.2) {
			return w.snippet(append([]string{"shell"}, c.code...))
		}
		if f := w.fresh(c.fixes); f != "" {
			return block{kind: bPara, text: f + " " + w.fillerSentence() + " " + w.fillerSentence()}
		}
	case kLessons:
		pool := append(append(append([]string(nil), lessonsWell...), lessonsPoorly...), lessonsLucky...)
		return block{kind: bList, items: w.bullets(pool, r.between(2, 4))}
	case kImpact, kSummary:
		if f := w.fresh(c.symptoms); f != "" {
			return block{kind: bPara, text: f + " " + w.fillerSentence()}
		}
	case kDetection:
		if r.chance(0.3) {
			return block{kind: bCode, lang: "text", text: w.logLines(r.between(2, 4))}
		}
	}
	return block{kind: bPara, text: w.fillerSentence() + " " + w.fillerSentence()}
}

// fresh fills a template of pool that this document has not used yet, or
// returns "" when it has used them all.
func (w *writer) fresh(pool []string) string {
	var unused []string
	for _, t := range pool {
		if !w.used[t] {
			unused = append(unused, t)
		}
	}
	if len(unused) == 0 {
		return ""
	}
	t := pick(w.r, unused)
	if w.used == nil {
		w.used = map[string]bool{}
	}
	w.used[t] = true
	return w.fill(t)
}

// fact is a fresh sentence of pool if there is one left, else any.
func (w *writer) fact(pool []string) string {
	if f := w.fresh(pool); f != "" {
		return f
	}
	return w.fill(pick(w.r, pool))
}

// dropFiller removes the last filler paragraph, and reports whether there
// was one.
func (d *doc) dropFiller() bool {
	for i := len(d.secs) - 1; i >= 0; i-- {
		bs := d.secs[i].blocks
		for j := len(bs) - 1; j >= 0; j-- {
			if bs[j].filler {
				d.secs[i].blocks = append(bs[:j:j], bs[j+1:]...)
				return true
			}
		}
	}
	for j := len(d.intro) - 1; j >= 0; j-- {
		if d.intro[j].filler {
			d.intro = append(d.intro[:j:j], d.intro[j+1:]...)
			return true
		}
	}
	return false
}

// images lists the image blocks of the document.
func (d *doc) images() []block {
	var out []block
	var walk func([]section)
	walk = func(ss []section) {
		for _, s := range ss {
			for _, b := range s.blocks {
				if b.kind == bImage {
					out = append(out, b)
				}
			}
			walk(s.subs)
		}
	}
	walk(d.secs)
	return out
}

// setVariants gives every block the draw that picks among its renderings
// (a fence's language alias, a table's layout), so rendering again after
// adding filler gives the same bytes for the same blocks.
func setVariants(r *rng, ss []section) {
	for i := range ss {
		for j := range ss[i].blocks {
			ss[i].blocks[j].variant = r.intn(100)
		}
		setVariants(r, ss[i].subs)
	}
}
