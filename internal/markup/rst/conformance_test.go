package rst

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/markup"
)

// TestConformance reads every real RST document under ../shared/corpus and
// ../shared/seeds/extracted (beside the module root) with this reader and
// with docutils, and compares:
//
//   - the section tree (document title, then every section's title and
//     nesting), which must match for every file;
//   - the visible text of the body, whitespace collapsed, which must match
//     for at least 95% of the files.
//
// It skips when the documents or docutils (python3 with the docutils
// module; Debian's python3-docutils) are absent.
//
// docutils runs with file insertion and raw output disabled and no
// reporting, as kb runs. The document title, the docinfo metadata, raw
// content and system messages are not body text on either side. Sphinx
// constructs that docutils does not know (toctree, :ref:, :doc:,
// code-block) get stand-ins in the script that show what Sphinx shows
// (a toctree's entries as a list, a reference's title or target), since
// plain docutils would show an error message instead.
func TestConformance(t *testing.T) {
	root := moduleRoot(t)
	shared := filepath.Join(root, "..", "shared")
	var files []string
	for _, dir := range []string{filepath.Join(shared, "corpus"), filepath.Join(shared, "seeds", "extracted")} {
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".rst") {
				files = append(files, path)
			}
			return nil
		})
	}
	if len(files) == 0 {
		t.Skipf("no RST documents under %s: the conformance suite needs ../shared/corpus", shared)
	}
	sort.Strings(files)
	// The python3 first on PATH may be a private one (pyenv, a virtualenv)
	// without docutils while Debian's python3-docutils serves the system's.
	python := ""
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if err := exec.Command(p, "-c", "import docutils").Run(); err == nil {
			python = p
			break
		}
	}
	if python == "" {
		t.Skip("docutils is not installed (apt-get install python3-docutils): skipping the comparison with docutils")
	}
	cmd := exec.Command(python, append([]string{"-"}, files...)...)
	cmd.Stdin = strings.NewReader(docutilsScript)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outJSON, err := cmd.Output()
	if err != nil {
		t.Fatalf("docutils script: %v\n%s", err, stderr.String())
	}
	var want []docutilsResult
	if err := json.Unmarshal(outJSON, &want); err != nil {
		t.Fatalf("docutils script output: %v", err)
	}
	if len(want) != len(files) {
		t.Fatalf("docutils script returned %d results for %d files", len(want), len(files))
	}
	r := New(markup.Limits{})
	treesOK, textOK := 0, 0
	for i, path := range files {
		rel, _ := filepath.Rel(shared, path)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		d, err := r.Read(rel, src)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		gotTree := sectionTree(d)
		wantTree := want[i].tree()
		if gotTree == wantTree {
			treesOK++
		} else {
			t.Errorf("%s: section tree differs from docutils:\n%s", rel, shortDiff(wantTree, gotTree))
		}
		got, exp := collapse(bodyText(d.Body)), collapse(want[i].Text)
		if got == exp {
			textOK++
		} else {
			t.Logf("%s: body text differs from docutils:\n%s", rel, wordDiff(exp, got))
		}
	}
	n := len(files)
	pct := 100 * float64(textOK) / float64(n)
	t.Logf("section trees matched %d/%d; text matched %d/%d = %.1f%%", treesOK, n, textOK, n, pct)
	if pct < 95 {
		t.Errorf("body text matched docutils for %.1f%% of the files; at least 95%% must match", pct)
	}
}

// moduleRoot finds the directory holding go.mod above the test.
func moduleRoot(t *testing.T) string {
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

type docutilsSection struct {
	Title    string            `json:"title"`
	Sections []docutilsSection `json:"sections"`
}

type docutilsResult struct {
	Path     string            `json:"path"`
	Title    string            `json:"title"`
	Sections []docutilsSection `json:"sections"`
	Text     string            `json:"text"`
}

func (r docutilsResult) tree() string {
	var b strings.Builder
	fmt.Fprintf(&b, "title %q\n", collapse(r.Title))
	var walk func([]docutilsSection, string)
	walk = func(ss []docutilsSection, indent string) {
		for _, s := range ss {
			fmt.Fprintf(&b, "%s%q\n", indent, collapse(s.Title))
			walk(s.Sections, indent+"  ")
		}
	}
	walk(r.Sections, "")
	return b.String()
}

func sectionTree(d *markup.Doc) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title %q\n", collapse(d.Title))
	var walk func([]*markup.Section, string)
	walk = func(ss []*markup.Section, indent string) {
		for _, s := range ss {
			fmt.Fprintf(&b, "%s%q\n", indent, collapse(s.Title))
			walk(s.Sections, indent+"  ")
		}
	}
	walk(d.Sections, "")
	return b.String()
}

// bodyText is the text a reader of the rendered body sees, one block per
// line: text, code, footnote labels, admonition and field titles; not
// image sources, raw HTML, comments or the table of contents.
func bodyText(body []*markup.Node) string {
	var b strings.Builder
	markup.Walk(body, func(n *markup.Node, entering bool) markup.WalkStatus {
		if !entering {
			if !n.Kind.IsInline() {
				b.WriteByte('\n')
			}
			return markup.WalkContinue
		}
		switch n.Kind {
		case markup.Text, markup.Code, markup.CodeBlock, markup.FootnoteRef:
			b.WriteString(n.Literal)
		case markup.Footnote, markup.Admonition, markup.FieldItem:
			b.WriteString(n.Title + "\n")
		case markup.LineBreak:
			b.WriteByte('\n')
		case markup.HTMLBlock, markup.RawHTML, markup.Comment, markup.Contents, markup.Target, markup.Image:
			return markup.WalkSkipChildren
		}
		return markup.WalkContinue
	})
	return b.String()
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func shortDiff(want, got string) string {
	var b strings.Builder
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			fmt.Fprintf(&b, "  line %d: docutils %s\n           kb       %s\n", i+1, a, c)
		}
	}
	return b.String()
}

// wordDiff shows where two texts part: the words around the first
// difference, and the length of both.
func wordDiff(want, got string) string {
	w, g := strings.Fields(want), strings.Fields(got)
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	j := 0
	for j < len(w)-i && j < len(g)-i && w[len(w)-1-j] == g[len(g)-1-j] {
		j++
	}
	from := max(0, i-5)
	show := func(ws []string, end int) string {
		end = max(end, i)
		if end-from > 40 {
			return strings.Join(ws[from:from+40], " ") + " …"
		}
		return strings.Join(ws[from:end], " ")
	}
	return fmt.Sprintf("  docutils (%d words): … %s\n  kb       (%d words): … %s", len(w), show(w, len(w)-j), len(g), show(g, len(g)-j))
}

// docutilsScript prints, for each file named on its command line, the
// document title, the section tree and the body text as docutils reads
// them.
const docutilsScript = `
import json, re, sys
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.directives.body import CodeBlock
from docutils.utils import unescape

class TocTree(Directive):
    has_content = True
    option_spec = {k: directives.unchanged for k in (
        'maxdepth', 'caption', 'name', 'class', 'numbered')}
    option_spec.update({k: directives.flag for k in (
        'hidden', 'glob', 'titlesonly', 'reversed', 'includehidden')})
    def run(self):
        if 'hidden' in self.options:
            return []
        out = []
        if self.options.get('caption'):
            out.append(nodes.paragraph('', self.options['caption']))
        bl = nodes.bullet_list()
        for entry in self.content:
            entry = entry.strip()
            if not entry or entry == 'self':
                continue
            m = re.match(r'^(.*\S)\s*<(.+)>$', entry)
            bl += nodes.list_item('', nodes.paragraph('', m.group(1) if m else entry))
        if len(bl):
            out.append(bl)
        return out

def xref(name, rawtext, text, lineno, inliner, options={}, content=[]):
    text = unescape(text)
    m = re.match(r'^(.*\S)\s*<(.+)>$', text, re.S)
    return [nodes.inline(rawtext, m.group(1) if m else text)], []

directives.register_directive('toctree', TocTree)
directives.register_directive('code-block', CodeBlock)
directives.register_directive('sourcecode', CodeBlock)
roles.register_local_role('ref', xref)
roles.register_local_role('doc', xref)

SKIP = (nodes.system_message, nodes.comment, nodes.raw, nodes.substitution_definition,
        nodes.docinfo, nodes.pending)

def text_of(node):
    return ' '.join(node.astext().split())

def sections(node):
    out = []
    for ch in node.children:
        if isinstance(ch, nodes.section):
            out.append({'title': text_of(ch[0]), 'sections': sections(ch)})
    return out

def body_text(doc):
    parts = []
    def walk(n):
        if isinstance(n, SKIP):
            return
        if isinstance(n, nodes.topic) and 'contents' in n['classes']:
            return
        if isinstance(n, nodes.Text):
            parts.append(n.astext())
            return
        if isinstance(n, nodes.title) and n.parent is doc:
            return
        if isinstance(n, nodes.option_group):
            # as the HTML writer shows it: "-a, --all=VALUE"
            opts = []
            for o in n.children:
                opts.append(o.astext())
            parts.append(', '.join(opts) + '\n')
            return
        for c in n.children:
            walk(c)
        if not isinstance(n, nodes.Inline):
            parts.append('\n')
    walk(doc)
    return ''.join(parts)

res = []
for path in sys.argv[1:]:
    with open(path, encoding='utf-8-sig') as f:
        src = f.read()
    doc = publish_doctree(src, source_path=path, settings_overrides={
        'report_level': 5, 'halt_level': 5, 'file_insertion_enabled': False,
        'raw_enabled': False, 'warning_stream': False})
    title = ''
    if len(doc) and isinstance(doc[0], nodes.title):
        title = text_of(doc[0])
    res.append({'path': path, 'title': title, 'sections': sections(doc), 'text': body_text(doc)})
json.dump(res, sys.stdout, ensure_ascii=False)
`
