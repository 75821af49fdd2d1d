package corpus

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Inline markup is kept format-neutral until a file is rendered: the
// writers for Markdown and reStructuredText turn these markers into their
// own syntax. The markers are control characters that no template contains.
const (
	mCode = "\x01" // around inline code
	mBold = "\x02" // around strong text
	mLink = "\x03" // around text\x1fdestination
	mSep  = "\x1f"
)

func code(s string) string          { return mCode + s + mCode }
func bold(s string) string          { return mBold + s + mBold }
func link(text, dest string) string { return mLink + text + mSep + dest + mLink }

// writer holds what one incident's text is made of, and draws the free
// choices from the incident's own random stream.
type writer struct {
	r         *rng
	inc       *planned
	sys       []system // the incident's systems, the main one first
	cause     *cause   // the main cause
	people    []string // responders: the authors first
	hosts     []string
	httpCode  string // the HTTP status this incident's errors had
	limit     int
	codes     []string // project codenames of the corpus
	terms     []string // the corpus's invented jargon, most common first
	companies []string
	clock     int             // minutes after midnight of the last time handed out
	used      map[string]bool // templates of cause facts already in the document
}

// fill expands the {slots} of a template. A slot written with a capital
// ({Sys}) is the same value with its first letter in upper case.
func (w *writer) fill(t string) string {
	if !strings.Contains(t, "{") {
		return t
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(t)
			break
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			b.WriteString(t)
			break
		}
		b.WriteString(t[:i])
		name := t[i+1 : i+j]
		if !isSlotName(name) {
			// A brace of code or JSON, not a slot: keep it and go on
			// looking for slots inside.
			b.WriteByte('{')
			t = t[i+1:]
			continue
		}
		upper := name != "" && unicode.IsUpper(rune(name[0]))
		v := w.slot(strings.ToLower(name[:1]) + name[1:])
		if upper {
			v = capitalize(v)
		}
		b.WriteString(v)
		t = t[i+j+1:]
	}
	return articles(determiners(b.String()))
}

// determiners drops the article of a system's name ("the API gateway")
// where a template already put a determiner before it: "the {sys} SLO"
// reads "the API gateway SLO", not "the the API gateway SLO".
func determiners(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; ; {
		j := strings.Index(s[i:], "the ")
		if j < 0 {
			break
		}
		j += i
		i = j + 4
		if j > 0 && s[j-1] != ' ' {
			continue // "bathe ", "lathe "
		}
		// The word before: a determiner makes this "the" redundant.
		k := strings.LastIndexByte(s[:max(j-1, 0)], ' ') + 1
		if j == 0 || !isDeterminer(s[k:j-1]) {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:j])
		last = j + 4
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isDeterminer(w string) bool {
	switch w {
	case "the", "The", "a", "A", "new", "our", "Our", "retired", "its":
		return true
	}
	return false
}

// articles turns "a" into "an" before a vowel sound, which slots filled
// after the article ("a {adj} {noun}") cannot know in advance.
func articles(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i+2 < len(s); i++ {
		if (s[i] != 'a' && s[i] != 'A') || s[i+1] != ' ' || (i > 0 && s[i-1] != ' ') {
			continue
		}
		if anBefore(s[i+2:]) {
			if b.Len() == 0 {
				b.Grow(len(s) + 8)
			}
			b.WriteString(s[last : i+1])
			b.WriteByte('n')
			last = i + 1
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func anBefore(word string) bool {
	if word == "" {
		return false
	}
	switch word[0] {
	case 'a', 'e', 'i', 'o', 'A', 'E', 'I', 'O':
		return !strings.HasPrefix(word, "one") && !strings.HasPrefix(word, "once")
	case 'u', 'U':
		for _, p := range []string{"uni", "use", "usu", "ut", "url", "uri"} {
			if len(word) >= len(p) && strings.EqualFold(word[:len(p)], p) {
				return false
			}
		}
		return true
	}
	// Consonants that sound like a vowel: "an hour", "an SLO".
	for _, p := range []string{"hour", "honest", "SLO", "SRE", "S3", "NTP", "SSO", "LRU", "RSS", "MX"} {
		if strings.HasPrefix(word, p) {
			return true
		}
	}
	return false
}

func isSlotName(s string) bool {
	if s == "" || len(s) > 12 {
		return false
	}
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

func (w *writer) slot(name string) string {
	r := w.r
	switch name {
	case "sys":
		return w.sys[0].name
	case "sysid":
		return w.sys[0].id
	case "sys2":
		if len(w.sys) > 1 {
			return w.sys[1+r.intn(len(w.sys)-1)].name
		}
		return systems[r.intn(len(systems))].name
	case "svc":
		if r.chance(0.6) {
			return pick(r, w.sys).id
		}
		return systems[r.intn(len(systems))].id
	case "label":
		return w.cause.label
	case "n":
		return strconv.Itoa(r.between(2, 9))
	case "nn":
		return strconv.Itoa(r.between(10, 99))
	case "nnn":
		return strconv.Itoa(r.between(100, 999))
	case "big":
		return thousands(r.between(1200, 2_400_000))
	case "pct":
		return strconv.Itoa(r.between(3, 99)) + "%"
	case "mins":
		return strconv.Itoa(r.between(3, 95))
	case "dur":
		return duration(r.between(6, 400))
	case "time":
		return w.nextTime(r.between(1, 40))
	case "limit":
		return strconv.Itoa(w.limit)
	case "code":
		return w.httpCode
	case "host":
		return pick(r, w.hosts)
	case "region":
		return pick(r, regions)
	case "ver":
		return version(r)
	case "person":
		return pick(r, w.people)
	case "oncall":
		return firstName(pick(r, w.people))
	case "team":
		return pick(r, teams)
	case "tool":
		return pick(r, tools)
	case "channel":
		return pick(r, channels)
	case "customers":
		return pick(r, customerKinds)
	case "weekday":
		return pick(r, weekdays)
	case "daypart":
		return pick(r, []string{"morning", "afternoon", "evening", "night", "lunchtime", "early morning"})
	case "metric":
		return pick(r, metrics)
	case "action":
		return pick(r, userActions)
	case "adj":
		return pick(r, fillAdj)
	case "noun":
		return pick(r, fillNoun)
	case "verb":
		return pick(r, fillVerb)
	case "adv":
		return pick(r, fillAdv)
	case "people":
		return pick(r, fillPeople)
	case "codename":
		return pick(r, w.codes)
	case "term":
		return w.terms[termZipf.draw(r)%len(w.terms)]
	case "company":
		return pick(r, w.companies)
	case "feature":
		return pick(r, featureNouns)
	case "year":
		return strconv.Itoa(w.inc.local.Year() - r.between(1, 4))
	case "date":
		return w.inc.local.Format("2 January 2006")
	case "sev":
		return w.inc.severity
	}
	return "{" + name + "}"
}

// termZipf makes a few invented words common and most rare, like the
// words of any real body of text.
var termZipf = newZipf(1500)

var metrics = []string{
	"error rate", "p99 latency", "connection count", "disk usage", "consumer lag", "5xx rate",
	"CPU saturation", "memory usage", "queue depth", "cache hit ratio", "replication lag",
	"request rate", "GC pause time", "open file descriptors", "TLS handshake failures",
}

var userActions = []string{
	"log in", "check out", "upload files", "receive emails", "see their invoices", "search",
	"reset their passwords", "deploy", "export reports", "open the dashboard", "pay", "sign up",
}

// nextTime moves the incident's clock forward by step minutes and returns
// it as HH:MM, so times within one document run forward.
func (w *writer) nextTime(step int) string {
	w.clock += step
	m := w.clock % (24 * 60)
	return twoDigits(m/60) + ":" + twoDigits(m%60)
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func duration(mins int) string {
	switch {
	case mins < 60:
		return strconv.Itoa(mins) + " minutes"
	case mins == 60:
		return "an hour"
	case mins < 120:
		return "an hour and " + strconv.Itoa(mins-60) + " minutes"
	case mins%60 == 0:
		return strconv.Itoa(mins/60) + " hours"
	default:
		return strconv.Itoa(mins/60) + " hours and " + strconv.Itoa(mins%60) + " minutes"
	}
}

func version(r *rng) string {
	return strconv.Itoa(r.between(1, 14)) + "." + strconv.Itoa(r.between(0, 30)) + "." + strconv.Itoa(r.between(0, 12))
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func firstName(full string) string {
	if i := strings.IndexByte(full, ' '); i > 0 {
		return full[:i]
	}
	return full
}

// filler is prose that every postmortem has around its facts: asides,
// hindsight, small observations. Built from the filler vocabulary, it gives
// a search index many distinct words without repeating the same paragraph.
var filler = []string{
	"The {adj} {noun} {verb} the {adj} {noun}, which nobody expected.",
	"In hindsight, the {noun} was {adv} {adj}, and the {noun} around it was {adj} too.",
	"{People} pointed out that the {noun} had been {adj} for a while.",
	"We spent {mins} minutes on a {adj} {noun} that turned out to be unrelated.",
	"Part of the confusion came from a {adj} {noun} that {adv} {verb} the real signal.",
	"The {noun} for {sys} still mentions a {adj} {noun} that was removed in {year}.",
	"Nobody had touched the {noun} since {year}, and it showed.",
	"Looking at the {noun} afterwards, the {adj} pattern was visible from {time} onwards.",
	"The discussion in {channel} drifted towards the {adj} {noun} for a while.",
	"We also saw a {adj} {noun} on {host}, but it played no part in this incident.",
	"A {adj} {noun} on {sys2} {adv} {verb} the {noun}, which made the graphs harder to read.",
	"The {codename} project had planned to replace this {noun} next quarter.",
	"{Person} wrote a longer analysis of the {noun} and linked it from the team's {noun}.",
	"The {adj} {noun} is owned by the {team} team, who joined the call at {time}.",
	"There were {nn} messages in {channel} before anyone wrote down a hypothesis.",
	"It is worth noting that the {noun} and the {noun} share a {adj} dependency on {sys2}.",
	"A similar {adj} {noun} caused a near miss in {year}, which was never written up.",
	"The {noun} had {nn} open suggestions, several of them about exactly this.",
	"During the review, {people} asked why the {noun} is {adj} by default; nobody knew.",
	"We considered a {adj} {noun} as a workaround but decided it was too risky under pressure.",
	"The graphs on {tool} were {adj}, because the {noun} had been {verb} the week before.",
	"{Oncall} kept notes in {channel}, which made this write-up much easier.",
	"The {codename} migration left {nn} {adj} {noun}s behind, and one of them mattered here.",
	"Some of the {noun}s on {host} still carry names from the {codename} days.",
	"Our {adj} {noun} {adv} {verb} this kind of problem in the past.",
	"We did not page the {team} team at first, because the {noun} pointed elsewhere.",
	"The {noun} on {sys} runs every {n} minutes, so each attempt took a while to show an effect.",
	"Engineers from {n} teams joined the call; only {n} of them were needed.",
	"A {adj} {noun} in {region} behaved differently from the others, which was a useful clue.",
	"Roughly {pct} of the {noun}s we checked were {adj}, a number nobody had looked at before.",
	"Reading the {noun} took longer than it should have, because the {noun} it refers to was renamed.",
	"The {adj} wording of the alert made it sound less urgent than it was.",
	"For about {mins} minutes two people investigated the same {noun} without knowing it.",
	"We suspected the {noun} first, then the {noun}, before finding the real cause.",
	"Version {ver} of the {noun} tooling changed a default that we relied on.",
	"A {adj} {noun} from the {codename} rollout was still scheduled on {host}.",
	"After this incident, {people} asked for a walkthrough of the {noun} at the next team meeting.",
	"Metrics from {sys2} were sampled every {nn} seconds, too coarse to see the first spike.",
	"The {team} team's {noun} listed the wrong escalation contact for {sys}.",
	"The {noun} was {adv} {adj} on {weekday}s, when the weekly {noun} runs.",
	"The {term} job had been {adv} {adj} for weeks; its owner moved to the {team} team in {year}.",
	"We looked at the {term} dashboard first, which showed nothing unusual.",
	"{Company} opened a case about {feature} {mins} minutes in, before our own alert fired.",
	"The {term} events table grew by {big} rows during the incident.",
	"{Person} remembered that the {term} script does something similar every night.",
	"Our biggest customer, {company}, depends on {feature} for its month-end close.",
	"The {term} and {term} services share a {noun}, so both were {verb} at once.",
	"A {adj} {noun} left over from the {term} experiment was still running on {host}.",
	"{Company} and {company} both reported that {feature} was slow.",
	"The {term} cron entry points at a {noun} that nobody could find in the repository.",
	"According to the {term} logs, the first failure was at {time}.",
	"The {term} library, version {ver}, retries {n} times with no backoff by default.",
	"We had renamed {term} to {term} last year, and one {noun} still used the old name.",
	"A {noun} in the {term} namespace kept restarting, which turned out to be a red herring.",
	"The {codename} team's {term} tool made it easy to compare the two {noun}s.",
	"Support tagged {nn} conversations from {company} and others with the {term} label.",
	"The {term} feature flag was on for {company} only, which explained the odd pattern.",
	"Each {noun} in {region} reports to the {term} collector every {nn} seconds.",
	"The {adj} {noun} behind {feature} is shared with {sys2}, something few people knew.",
	"{People} suggested checking the {term} queue, and it was indeed {adj}.",
}

func (w *writer) fillerSentence() string { return w.fill(pick(w.r, filler)) }

// fillerParagraph is two to four filler sentences.
func (w *writer) fillerParagraph() string {
	n := w.r.between(2, 4)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = w.fillerSentence()
	}
	return strings.Join(parts, " ")
}

// wrapCache remembers wrapped paragraphs: a document is rendered again
// each time filler is added to reach its size, and wrapping is most of the
// work of rendering.
type wrapCache map[wrapKey][]string

type wrapKey struct {
	width int
	text  string
}

func (c wrapCache) wrap(text string, width int) []string {
	k := wrapKey{width, text}
	if ls, ok := c[k]; ok {
		return ls
	}
	ls := wrap(text, width)
	c[k] = ls
	return ls
}

// wrap breaks text into lines of at most width columns (a long word may
// pass it). It never breaks inside a marked span, and never starts a line
// with something that Markdown or reStructuredText would read as the start
// of a list, heading, quote, table or directive.
func wrap(text string, width int) []string {
	if width <= 0 {
		return []string{text}
	}
	var lines []string
	lineStart, lineLen, lastEnd := -1, 0, 0
	for i := 0; i < len(text); {
		for i < len(text) && text[i] == ' ' {
			i++
		}
		if i == len(text) {
			break
		}
		// The next word: up to a space outside a marked span. Its
		// width counts runes, not bytes, and not the markers.
		start, span, vis := i, byte(0), 0
		for ; i < len(text); i++ {
			c := text[i]
			if c == mCode[0] || c == mBold[0] || c == mLink[0] {
				if span == 0 {
					span = c
				} else if span == c {
					span = 0
				}
				continue
			}
			if c == ' ' && span == 0 {
				break
			}
			if c >= ' ' && (c < 0x80 || c >= 0xC0) {
				vis++
			}
		}
		if lineStart >= 0 && lineLen+1+vis > width && !riskyStart(text[start:i]) {
			lines = append(lines, text[lineStart:lastEnd])
			lineStart = -1
		}
		if lineStart < 0 {
			lineStart, lineLen = start, vis
		} else {
			lineLen += 1 + vis
		}
		lastEnd = i
	}
	if lineStart >= 0 {
		lines = append(lines, text[lineStart:lastEnd])
	}
	return lines
}

// riskyStart reports whether a line starting with word could change the
// block structure: list markers, enumerators, headings, quotes, tables,
// comments, or a word of punctuation alone (a setext or RST underline).
func riskyStart(word string) bool {
	if word == "" {
		return true
	}
	switch word[0] {
	case '-', '*', '+', '#', '>', '|', '<', '=', '`', '~', ':', '.', '[', '(', '_', '!':
		return true
	}
	if word[0] >= '0' && word[0] <= '9' {
		return true // "12." or "3)" would start an ordered list
	}
	if len(word) <= 3 && strings.HasSuffix(word, ".") || strings.HasSuffix(word, ")") {
		return true // "A." "iv." "b)" are enumerators in reStructuredText
	}
	for _, r := range word {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
