package rst

import (
	"strconv"
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Explicit markup starts with ".. ": a footnote or citation, a hyperlink
// target, a substitution definition, a directive, or else a comment. This
// file dispatches them and parses a directive's arguments, options and
// content the way docutils does; each directive is in its own
// directive_<name>.go file. An unknown directive gives a warning and its
// source is shown as a literal block, so nothing the author wrote is lost.

// optKind is how an option's value is checked.
type optKind int

const (
	optText     optKind = iota // any value, even none
	optRequired                // a value is required
	optFlag                    // no value allowed
	optInt                     // a non-negative integer
)

// directiveSpec describes a directive as docutils' Directive class does.
type directiveSpec struct {
	required, optional int
	// finalWS lets the last argument contain whitespace.
	finalWS bool
	options map[string]optKind
	content bool
	run     func(p *parser, d *directive, out *[]*markup.Node)
}

// directive is one use of a directive.
type directive struct {
	name    string
	args    []string
	opts    map[string]string
	content []line
	at      line // the directive's first line
	last    int  // its last source line, for showing the block
	c       ctx
}

func (d *directive) opt(name string) (string, bool) {
	v, ok := d.opts[name]
	return v, ok
}

// options builds an option set of text-valued options.
func options(names ...string) map[string]optKind {
	m := map[string]optKind{}
	for _, n := range names {
		m[n] = optText
	}
	return m
}

// with adds options of kind k to m.
func with(m map[string]optKind, k optKind, names ...string) map[string]optKind {
	for _, n := range names {
		m[n] = k
	}
	return m
}

// directiveFor returns the directive named name (case-insensitively).
func directiveFor(name string) (directiveSpec, bool) {
	switch strings.ToLower(name) {
	case "note", "warning", "tip", "important", "danger", "caution", "attention", "hint", "error",
		"seealso", "todo":
		return admonitionSpec(false), true
	case "admonition":
		return admonitionSpec(true), true
	case "versionadded", "versionchanged", "deprecated", "versionremoved":
		return versionSpec(), true
	case "code", "code-block", "sourcecode":
		return codeSpec(), true
	case "highlight":
		return highlightSpec(), true
	case "parsed-literal":
		return parsedLiteralSpec(), true
	case "math":
		return mathSpec(), true
	case "image":
		return imageSpec(), true
	case "figure":
		return figureSpec(), true
	case "raw":
		return rawSpec(), true
	case "include", "literalinclude":
		return includeSpec(), true
	case "csv-table":
		return csvTableSpec(), true
	case "list-table":
		return listTableSpec(), true
	case "table":
		return tableSpec(), true
	case "contents":
		return contentsSpec(), true
	case "toctree":
		return toctreeSpec(), true
	case "topic":
		return topicSpec(), true
	case "sidebar":
		return sidebarSpec(), true
	case "rubric":
		return rubricSpec(), true
	case "epigraph", "highlights", "pull-quote":
		return quoteSpec(), true
	case "container", "compound", "class", "only", "glossary", "hlist", "centered":
		return containerSpec(strings.ToLower(name)), true
	case "line-block":
		return lineBlockSpec(), true
	case "replace":
		return replaceSpec(), true
	case "unicode":
		return unicodeSpec(), true
	case "date":
		return dateSpec(), true
	case "role":
		return roleSpec(), true
	case "default-role":
		return defaultRoleSpec(), true
	case "sectnum", "section-numbering":
		return sectnumSpec(), true
	case "title", "meta", "header", "footer", "target-notes",
		"index", "tabularcolumns", "moduleauthor", "sectionauthor", "codeauthor", "module",
		"currentmodule", "default-domain":
		return ignoredSpec(), true
	case "productionlist":
		return codeSpec(), true
	}
	return directiveSpec{}, false
}

// explicitStart matches ".. " at the start of s and returns the offset
// after it.
func explicitStart(s string) int {
	return markerEnd(s, "..")
}

// explicit reads one explicit markup construct at b[i].
func (p *parser) explicit(b []line, i int, c ctx, out *[]*markup.Node) int {
	end, bf := p.explicitConstruct(b, i, c, out)
	p.explicitEnd(b, end, bf)
	return end
}

// explicitEnd warns when explicit markup is followed by an unindented
// line that is not itself explicit markup, without a blank line between.
func (p *parser) explicitEnd(b []line, end int, blankFinish bool) {
	if blankFinish || end >= len(b) {
		return
	}
	switch classify(b[end].s) {
	case kExplicit, kAnonymous, kBlank:
		return
	}
	p.unindentWarning(b, end, "Explicit markup")
}

func (p *parser) explicitConstruct(b []line, i int, c ctx, out *[]*markup.Node) (int, bool) {
	s := b[i].s
	m := explicitStart(s)
	if m == len(s) || s[m-1] != ' ' {
		n, end, bf := p.comment(b, i, m)
		*out = append(*out, n)
		return end, bf
	}
	rest := s[m:]
	switch rest[0] {
	case '[':
		if label, k, ok := noteLabel(rest); ok {
			return p.footnote(b, i, m+k, label, c, out)
		}
	case '_':
		if len(rest) > 1 && rest[1] != ' ' {
			return p.hyperlinkTarget(b, i, m, m+1, out)
		}
	case '|':
		if len(rest) > 1 && rest[1] != ' ' {
			return p.substitutionDef(b, i, m, m+1, c, out)
		}
	}
	if name, k, ok := directiveName(rest); ok {
		nodes, end, bf := p.runDirective(b, i, name, m+k, c, nil)
		*out = append(*out, nodes...)
		return end, bf
	}
	n, end, bf := p.comment(b, i, m)
	*out = append(*out, n)
	return end, bf
}

// noteLabel matches "[label]" followed by spaces or the end at the start of
// s, for a footnote ([1], [#], [#name], [*]) or a citation ([name]).
func noteLabel(s string) (string, int, bool) {
	j := strings.IndexByte(s, ']')
	if j < 2 {
		return "", 0, false
	}
	label := s[1:j]
	valid := false
	switch {
	case label == "#" || label == "*":
		valid = true
	case label[0] == '#':
		valid = simplenameEnd(label, 1) == len(label)
	case strings.Trim(label, "0123456789") == "":
		valid = true
	default:
		valid = simplenameEnd(label, 0) == len(label)
	}
	if !valid {
		return "", 0, false
	}
	k := j + 1
	if k < len(s) && s[k] != ' ' {
		return "", 0, false
	}
	for k < len(s) && s[k] == ' ' {
		k++
	}
	return label, k, true
}

// directiveName matches "name::" (or "name ::") followed by spaces or the
// end at the start of s.
func directiveName(s string) (string, int, bool) {
	var buf [8]int
	ends, _ := wordEnds(buf[:0], s, 0)
	for k := len(ends) - 1; k >= 0; k-- {
		e := ends[k]
		j := e
		if j < len(s) && s[j] == ' ' {
			j++
		}
		if !strings.HasPrefix(s[j:], "::") {
			continue
		}
		j += 2
		if j < len(s) && s[j] != ' ' {
			continue
		}
		for j < len(s) && s[j] == ' ' {
			j++
		}
		return s[:e], j, true
	}
	return "", 0, false
}

// comment reads a comment: ".." and everything indented under it. A ".."
// alone before a blank line is an empty comment, used to end a list or a
// quote.
func (p *parser) comment(b []line, i, start int) (*markup.Node, int, bool) {
	first := strings.TrimSpace(b[i].s[min(start, len(b[i].s)):])
	if first == "" && (i+1 >= len(b) || b[i+1].s == "") {
		return p.at(&markup.Node{Kind: markup.Comment}, b[i]), i + 1, true
	}
	block, _, end, bf := getIndented(b, i, false, true, -1, start)
	block = trimBlank(block)
	var lines []string
	for _, l := range block {
		lines = append(lines, l.s)
	}
	n := p.at(&markup.Node{Kind: markup.Comment, Literal: strings.Join(lines, "\n")}, b[i])
	return n, end, bf
}

// runDirective reads the directive name at b[i], whose arguments start at
// byte offset start. presets are option defaults (the alt text of an image
// in a substitution definition).
func (p *parser) runDirective(b []line, i int, name string, start int, c ctx, presets map[string]string) ([]*markup.Node, int, bool) {
	spec, ok := directiveFor(name)
	if !ok {
		block, _, end, bf := getIndented(b, i, false, false, -1, 0)
		last := b[i].n
		if len(block) > 0 {
			last = trimBlank(block)[len(trimBlank(block))-1].n
		}
		p.warnHint(b[i], "kb does not know this directive; its content is shown as written", "unknown directive type %q", name)
		return []*markup.Node{p.sourceBlock(b[i], last)}, end, bf
	}
	block, _, end, bf := getIndented(b, i, false, true, -1, start)
	last := b[i].n
	if t := trimBlank(block); len(t) > 0 {
		last = t[len(t)-1].n
	}
	d := &directive{name: strings.ToLower(name), at: b[i], last: last, c: c}
	if err := p.parseDirectiveBlock(d, spec, block, presets); err != "" {
		p.warnHint(b[i], "fix the directive; it is shown as written", "error in %q directive: %s", name, err)
		return []*markup.Node{p.sourceBlock(d.at, d.last)}, end, bf
	}
	var out []*markup.Node
	spec.run(p, d, &out)
	if !bf && end < len(b) && b[end].s == "" {
		bf = true
	}
	return out, end, bf
}

// parseDirectiveBlock splits a directive's block into arguments, options
// and content, as docutils' parse_directive_block does. It returns a
// message when the block does not fit the directive.
func (p *parser) parseDirectiveBlock(d *directive, spec directiveSpec, block []line, presets map[string]string) string {
	if len(block) > 0 && block[0].s == "" {
		block = block[1:]
	}
	for len(block) > 0 && block[len(block)-1].s == "" {
		block = block[:len(block)-1]
	}
	hasArgs := spec.required > 0 || spec.optional > 0
	var argBlock, content []line
	i := len(block)
	if len(block) > 0 && (hasArgs || spec.options != nil) {
		for k, l := range block {
			if l.s == "" {
				i = k
				break
			}
		}
		argBlock = block[:i]
		if i < len(block) {
			content = block[i+1:]
		}
	} else {
		content = block
	}
	d.opts = map[string]string{}
	for k, v := range presets {
		d.opts[k] = v
	}
	if spec.options != nil {
		for k, l := range argBlock {
			if _, _, ok := matchField(l.s); ok {
				if msg := p.parseOptions(d, spec, argBlock[k:]); msg != "" {
					return msg
				}
				argBlock = argBlock[:k]
				break
			}
		}
	}
	if len(argBlock) > 0 && !hasArgs {
		content = append(append([]line(nil), argBlock...), block[i:]...)
		argBlock = nil
	}
	for len(content) > 0 && content[0].s == "" {
		content = content[1:]
	}
	if hasArgs {
		var parts []string
		for _, l := range argBlock {
			parts = append(parts, l.s)
		}
		text := strings.Join(parts, "\n")
		args := strings.Fields(text)
		switch {
		case len(args) < spec.required:
			return strconv.Itoa(spec.required) + " argument(s) required, " + strconv.Itoa(len(args)) + " supplied"
		case len(args) > spec.required+spec.optional:
			if !spec.finalWS {
				return "maximum " + strconv.Itoa(spec.required+spec.optional) + " argument(s) allowed, " + strconv.Itoa(len(args)) + " supplied"
			}
			args = splitN(text, spec.required+spec.optional)
		}
		d.args = args
	}
	if len(content) > 0 && !spec.content {
		return "no content permitted"
	}
	d.content = content
	return ""
}

// splitN splits s at whitespace into at most n fields, the last keeping
// its inner whitespace (Python's str.split(None, n-1)).
func splitN(s string, n int) []string {
	var out []string
	s = strings.TrimLeft(s, " \n\t")
	for len(out) < n-1 && s != "" {
		k := strings.IndexAny(s, " \n\t")
		if k < 0 {
			break
		}
		out = append(out, s[:k])
		s = strings.TrimLeft(s[k:], " \n\t")
	}
	if s != "" {
		out = append(out, strings.TrimRight(s, " \n\t"))
	}
	return out
}

// parseOptions reads a directive's option field list.
func (p *parser) parseOptions(d *directive, spec directiveSpec, lines []line) string {
	for j := 0; j < len(lines); {
		l := lines[j]
		name, end, ok := matchField(l.s)
		if !ok {
			return "invalid option block"
		}
		block, _, next, _ := getIndented(lines, j, false, true, -1, end)
		block = trimBlank(block)
		var paras [][]string
		var cur []string
		for _, bl := range block {
			if bl.s == "" {
				if cur != nil {
					paras = append(paras, cur)
					cur = nil
				}
				continue
			}
			cur = append(cur, bl.s)
		}
		if cur != nil {
			paras = append(paras, cur)
		}
		name = unescape(escape2null(name))
		if len(strings.Fields(name)) != 1 {
			return "extension option field name may not contain multiple words"
		}
		name = strings.ToLower(name)
		if len(paras) > 1 {
			return "extension option field body may contain a single paragraph only"
		}
		kind, known := spec.options[name]
		if !known {
			return "unknown option: \"" + name + "\""
		}
		value := ""
		has := len(paras) == 1
		if has {
			value = strings.Join(paras[0], "\n")
		}
		switch kind {
		case optFlag:
			if has {
				return "invalid option value: no argument is allowed; \"" + value + "\" supplied"
			}
		case optRequired:
			if !has {
				return "invalid option value: argument required but none supplied"
			}
		case optInt:
			if n, err := strconv.Atoi(strings.TrimSpace(value)); err != nil || n < 0 {
				return "invalid option value: negative or non-integer value: \"" + value + "\""
			}
		}
		d.opts[name] = value
		j = next
		for j < len(lines) && lines[j].s == "" {
			j++
		}
	}
	return ""
}

// ignoredSpec accepts a directive that only matters to other tools
// (numbering, HTML metadata, indexes, page decorations) and shows nothing.
func ignoredSpec() directiveSpec {
	return directiveSpec{content: true, run: func(p *parser, d *directive, out *[]*markup.Node) {}}
}
