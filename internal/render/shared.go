package render

import (
	"bytes"
	"fmt"
	"html/template"
	"text/template/parse"
)

// sharedKey names one copy of a shared partial: everything of a page that
// the partial may read (see [pageShared]). The site is the same for every
// page of a rendering.
type sharedKey struct {
	set    *layout
	name   string
	root   string
	kind   string
	review int
}

// Shared renders the partial name with this page as its dot, as
// {{template name .}} does, but makes it once for every page of the same
// kind and depth when the partial reads nothing of the page but .Site,
// .Kind, .Review and .Link: the header and footer of ten thousand
// incident pages are then made once. A partial that reads anything else
// is made for each page. Its result goes in HTML text, where the partial
// must also end.
func (p *Page) Shared(name string) (template.HTML, error) {
	if p.set == nil {
		return "", fmt.Errorf("Shared %q: the page has no layout", name)
	}
	mk := func() (template.HTML, error) {
		var b bytes.Buffer
		if err := p.set.t.ExecuteTemplate(&b, name, p); err != nil {
			return "", err
		}
		return template.HTML(b.String()), nil
	}
	if p.made == nil || !p.set.shared[name] {
		return mk()
	}
	k := sharedKey{set: p.set, name: name, root: p.root, kind: p.Kind, review: p.Review}
	return p.made.once(k, &p.made.sharedRuns, mk)
}

// sharedFields are what a shared partial may read of its page: their
// values, with the page's depth (which Link depends on), are the key of
// its copies.
var sharedFields = map[string]bool{"Site": true, "Kind": true, "Review": true, "Link": true}

// pageShared names the templates of t that, given a page as dot, read
// nothing of it but [sharedFields]. It reads the parse trees as written,
// so it must run before the first execution escapes them. It is
// conservative: the page itself passed to a function, or kept in a
// variable, makes a template not shared.
func pageShared(t *template.Template) map[string]bool {
	a := sharedCheck{t: t, done: map[string]bool{}}
	out := map[string]bool{}
	for _, tt := range t.Templates() {
		if a.template(tt.Name()) {
			out[tt.Name()] = true
		}
	}
	return out
}

type sharedCheck struct {
	t *template.Template
	// done holds the result for each template checked, and true for one
	// being checked: a template calling itself reads nothing more by it.
	done map[string]bool
}

// template reports whether the template name, with a page as dot, reads
// only the shared fields.
func (a *sharedCheck) template(name string) bool {
	if ok, seen := a.done[name]; seen {
		return ok
	}
	tt := a.t.Lookup(name)
	if tt == nil || tt.Tree == nil || tt.Tree.Root == nil {
		a.done[name] = false
		return false
	}
	a.done[name] = true
	ok := a.node(tt.Tree.Root, true)
	a.done[name] = ok
	return ok
}

// node reports whether n reads only shared fields of the page; page says
// whether dot is the page there ($ always is).
func (a *sharedCheck) node(n parse.Node, page bool) bool {
	switch n := n.(type) {
	case nil:
		return true
	case *parse.ListNode:
		if n == nil {
			return true
		}
		for _, c := range n.Nodes {
			if !a.node(c, page) {
				return false
			}
		}
		return true
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
		return true
	case *parse.ActionNode:
		return a.pipe(n.Pipe, page)
	case *parse.IfNode:
		return a.pipe(n.Pipe, page) && a.node(n.List, page) && a.node(n.ElseList, page)
	case *parse.WithNode:
		// Inside, dot is the value of the pipeline: a part of the page
		// checked already, or something else.
		return a.pipe(n.Pipe, page) && a.node(n.List, false) && a.node(n.ElseList, page)
	case *parse.RangeNode:
		return a.pipe(n.Pipe, page) && a.node(n.List, false) && a.node(n.ElseList, page)
	case *parse.TemplateNode:
		if n.Pipe == nil {
			return true
		}
		if isPage(n.Pipe, page) {
			return a.template(n.Name)
		}
		// The template gets a part of the page, checked here, as dot
		// and as $.
		return a.pipe(n.Pipe, page)
	}
	return false
}

// isPage reports whether a pipeline is the page itself: . where dot is
// the page, or $.
func isPage(p *parse.PipeNode, page bool) bool {
	if len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	switch arg := p.Cmds[0].Args[0].(type) {
	case *parse.DotNode:
		return page
	case *parse.VariableNode:
		return len(arg.Ident) == 1 && arg.Ident[0] == "$"
	}
	return false
}

func (a *sharedCheck) pipe(p *parse.PipeNode, page bool) bool {
	if p == nil {
		return true
	}
	for _, c := range p.Cmds {
		for _, arg := range c.Args {
			if !a.arg(arg, page) {
				return false
			}
		}
	}
	return true
}

func (a *sharedCheck) arg(n parse.Node, page bool) bool {
	switch n := n.(type) {
	case *parse.DotNode:
		return !page
	case *parse.FieldNode:
		return !page || sharedFields[n.Ident[0]]
	case *parse.VariableNode:
		if n.Ident[0] != "$" {
			// Declared from a pipeline checked where it was declared.
			return true
		}
		return len(n.Ident) > 1 && sharedFields[n.Ident[1]]
	case *parse.ChainNode:
		return a.arg(n.Node, page)
	case *parse.PipeNode:
		return a.pipe(n, page)
	case *parse.IdentifierNode, *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
		return true
	}
	return false
}
