package rst

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kb-postmortems/kb/internal/markup"
)

// Interpreted text is `text` with a role before (:role:`text`) or after
// (`text`:role:) it. The role says what the text is. Without one, the
// document's default role applies: title-reference unless a default-role
// directive chose another. Besides docutils' standard roles the reader
// knows the cross-reference roles of Sphinx that postmortem trees use
// (:ref:, :doc:, :term:, the code-like ones); any other role gives a
// warning and its text is kept.

type customRole struct {
	kind   string // what its base role makes ("span" with no base)
	class  string
	format string // for roles based on raw
}

type roleState struct {
	def    string // the default role, "" for title-reference
	custom map[string]customRole
}

func (r *roleState) init() {
	r.custom = map[string]customRole{}
}

// standardRole returns what a role of docutils or Sphinx makes.
func standardRole(name string) (string, bool) {
	switch name {
	case "emphasis", "dfn":
		return "emphasis", true
	case "strong", "command", "program", "manpage":
		return "strong", true
	case "literal", "code", "file", "samp", "envvar", "option", "makevar", "mimetype", "regexp", "token":
		return "code", true
	case "subscript", "sub":
		return "sub", true
	case "superscript", "sup":
		return "sup", true
	case "title-reference", "title", "t":
		return "title", true
	case "abbreviation", "ab":
		return "abbreviation", true
	case "acronym", "ac":
		return "acronym", true
	case "math":
		return "math", true
	case "pep-reference", "pep":
		return "pep", true
	case "rfc-reference", "rfc":
		return "rfc", true
	case "ref":
		return "ref", true
	case "doc":
		return "doc", true
	case "term", "any", "numref", "keyword":
		return "xref", true
	case "download":
		return "download", true
	case "abbr":
		return "abbr", true
	case "kbd":
		return "kbd", true
	case "guilabel", "menuselection":
		return "gui", true
	case "func", "meth", "class", "mod", "attr", "data", "exc", "obj", "const", "type", "var", "macro", "member", "struct", "enum", "func-ref":
		return "py", true
	}
	return "", false
}

// roleKind returns what the role named name makes, and its custom
// definition when it has one.
func (p *parser) roleKind(name string) (string, customRole, bool) {
	name = strings.ToLower(name)
	if cr, ok := p.roles.custom[name]; ok {
		return cr.kind, cr, true
	}
	if k, ok := standardRole(name); ok {
		return k, customRole{}, true
	}
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		// A Sphinx domain role such as py:func or c:macro.
		if k, ok := standardRole(name[i+1:]); ok && (k == "py" || k == "xref") {
			return k, customRole{}, true
		}
	}
	if name == "raw" {
		return "raw", customRole{}, true
	}
	return "", customRole{}, false
}

// role builds the nodes of interpreted text. escaped is the text between
// the backquotes, still escaped; start is the offset of the markup and
// off that of the text.
func (p *parser) role(in *inl, name, raw, escaped string, start, off int) []*markup.Node {
	if name == "" {
		name = p.roles.def
		if name == "" {
			name = "title-reference"
		}
	}
	kind, cr, ok := p.roleKind(name)
	text := unescape(escaped)
	if !ok {
		in.warn(start, "unknown interpreted text role %q; its text is shown as is", name)
		return []*markup.Node{in.textNode(text, off)}
	}
	wrap := func(k markup.Kind, class string) []*markup.Node {
		n := in.node(k, start)
		n.Class = class
		n.Children = []*markup.Node{in.textNode(text, off)}
		return []*markup.Node{n}
	}
	var out []*markup.Node
	switch kind {
	case "emphasis", "title":
		out = wrap(markup.Emphasis, "")
	case "strong":
		out = wrap(markup.Strong, "")
	case "code":
		n := in.node(markup.Code, start)
		n.Literal = text
		out = []*markup.Node{n}
	case "py":
		t := strings.TrimPrefix(text, "!")
		if title, _, ok := explicitTitle(t); ok {
			t = title
		} else if strings.HasPrefix(t, "~") {
			t = t[1:]
			if i := strings.LastIndexByte(t, '.'); i >= 0 {
				t = t[i+1:]
			}
		}
		n := in.node(markup.Code, start)
		n.Literal = t
		out = []*markup.Node{n}
	case "sub", "sup", "abbreviation", "acronym", "math", "kbd", "gui":
		out = wrap(markup.Span, kind)
	case "span":
		out = wrap(markup.Span, cr.class)
		cr.class = ""
	case "abbr":
		t := text
		if i := strings.LastIndex(t, " ("); i > 0 && strings.HasSuffix(t, ")") {
			t = t[:i]
		}
		n := in.node(markup.Span, start)
		n.Class = "abbreviation"
		n.Children = []*markup.Node{in.textNode(t, off)}
		out = []*markup.Node{n}
	case "xref":
		t := text
		if title, _, ok := explicitTitle(t); ok {
			t = title
		}
		out = []*markup.Node{in.textNode(t, off)}
	case "pep":
		num, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil || num < 0 || num > 9999 {
			in.warn(start, "PEP number must be a number from 0 to 9999; %q is invalid", text)
			return []*markup.Node{in.problem(raw, start)}
		}
		n := in.node(markup.Link, start)
		n.URL = fmt.Sprintf("https://peps.python.org/pep-%04d", num)
		n.Children = []*markup.Node{in.textNode("PEP "+text, off)}
		out = []*markup.Node{n}
	case "rfc":
		num, anchor, _ := strings.Cut(text, "#")
		k, err := strconv.Atoi(strings.TrimSpace(num))
		if err != nil || k < 1 {
			in.warn(start, "RFC number must be a number greater than or equal to 1; %q is invalid", text)
			return []*markup.Node{in.problem(raw, start)}
		}
		n := in.node(markup.Link, start)
		n.URL = fmt.Sprintf("https://tools.ietf.org/html/rfc%d.html", k)
		if anchor != "" {
			n.URL += "#" + anchor
		}
		n.Children = []*markup.Node{in.textNode("RFC "+strings.TrimSpace(num), off)}
		out = []*markup.Node{n}
	case "ref":
		title, label, explicit := explicitTitle(text)
		if !explicit {
			label = strings.TrimPrefix(text, "~")
		}
		n := in.node(markup.Link, start)
		n.URL = "#" + makeID(label)
		n.Children = []*markup.Node{in.textNode(title, off)}
		if !explicit {
			n.Children[0].Literal = label
			p.refs.sphinx = append(p.refs.sphinx, sphinxRef{node: n, label: normalizeName(label)})
		}
		out = []*markup.Node{n}
	case "doc":
		title, target, explicit := explicitTitle(text)
		if !explicit {
			title, target = text, text
		}
		n := in.node(markup.Link, start)
		n.URL = docURL(target)
		n.Children = []*markup.Node{in.textNode(title, off)}
		out = []*markup.Node{n}
	case "download":
		title, target, explicit := explicitTitle(text)
		if !explicit {
			title, target = text, text
		}
		n := in.node(markup.Link, start)
		n.URL = target
		n.Children = []*markup.Node{in.textNode(title, off)}
		out = []*markup.Node{n}
	case "raw":
		if cr.format != "html" {
			if cr.format == "" {
				in.warn(start, "the raw role cannot be used directly; define a role based on it with a format")
			} else {
				in.warn(start, "raw %q content is not supported and is dropped; only HTML is", cr.format)
			}
			return nil
		}
		n := in.node(markup.RawHTML, start)
		n.Literal = text
		out = []*markup.Node{n}
	}
	if cr.class != "" && len(out) == 1 && kind != "raw" {
		n := in.node(markup.Span, start)
		n.Class = cr.class
		n.Children = out
		out = []*markup.Node{n}
	}
	return out
}

// explicitTitle splits Sphinx's "title <target>" form.
func explicitTitle(s string) (title, target string, ok bool) {
	s = strings.TrimSpace(s)
	if !strings.HasSuffix(s, ">") {
		return "", "", false
	}
	i := strings.LastIndex(s, "<")
	if i <= 0 || (s[i-1] != ' ' && s[i-1] != '\n') {
		return "", "", false
	}
	title = strings.TrimSpace(s[:i])
	target = strings.TrimSpace(s[i+1 : len(s)-1])
	if title == "" || target == "" {
		return "", "", false
	}
	return title, target, true
}

// docURL is the link to another document as written in a :doc: role or a
// toctree: its name with the .rst extension, relative as written, so that
// the site can map it to that document's page.
func docURL(name string) string {
	name = strings.TrimSpace(name)
	if strings.HasSuffix(name, "/") || strings.HasSuffix(strings.ToLower(name), ".rst") {
		return name
	}
	return name + ".rst"
}
