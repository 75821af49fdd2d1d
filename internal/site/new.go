package site

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/markup/rst"
	"github.com/kb-postmortems/kb/internal/render"
)

// NewData is what the new-postmortem templates (layouts/new.md and
// layouts/new.rst) receive.
type NewData struct {
	Title string
	Date  string // YYYY-MM-DD
	// Sections are the required then recommended sections, in the usual
	// order of a postmortem.
	Sections []NewSection
}

// NewSection is one section of a new postmortem.
type NewSection struct {
	Key      string
	Heading  string
	Prompt   string
	Required bool
}

// canonicalOrder is the order sections appear in a new postmortem.
func canonicalOrder() []string {
	return []string{incident.Summary, incident.Impact, incident.Timeline, incident.Detection,
		incident.RootCause, incident.Resolution, incident.LessonsLearned, incident.ActionItems}
}

func (c Config) newData(title, date string) NewData {
	want := map[string]bool{}
	req := map[string]bool{}
	for _, k := range c.Lint.Required {
		want[k], req[k] = true, true
	}
	for _, k := range c.Lint.Recommended {
		want[k] = true
	}
	var keys []string
	for _, k := range canonicalOrder() {
		if want[k] {
			keys = append(keys, k)
			delete(want, k)
		}
	}
	// Keys the site added, in the order it listed them.
	for _, k := range append(append([]string{}, c.Lint.Required...), c.Lint.Recommended...) {
		if want[k] {
			keys = append(keys, k)
			delete(want, k)
		}
	}
	d := NewData{Title: title, Date: date}
	for _, k := range keys {
		heading := k
		if a := c.Aliases[k]; len(a) > 0 {
			heading = a[0]
		}
		prompt := c.Prompts[k]
		if prompt == "" {
			prompt = "What belongs here?"
		}
		d.Sections = append(d.Sections, NewSection{Key: k, Heading: heading, Prompt: prompt, Required: req[k]})
	}
	return d
}

// newTemplate returns the site's template for a new postmortem in format
// ("md" or "rst"), or the default.
func (c Config) newTemplate(format string) (*template.Template, string, error) {
	name := "new." + format
	layouts, err := openSiteDir(c, c.LayoutsPath())
	if err != nil {
		return nil, name, err
	}
	defer layouts.Close()
	if err := layouts.linkError(name); err != nil {
		return nil, name, err
	}
	b, err := fs.ReadFile(render.Overlay(layouts.FS(), c.Layouts), name)
	if err != nil {
		return nil, name, fmt.Errorf("layouts/%s: %w", name, err)
	}
	t, err := template.New(name).Funcs(template.FuncMap{
		// adorn underlines a title for reStructuredText.
		"adorn": func(s, ch string) string {
			return s + "\n" + strings.Repeat(ch, max(rst.Width(s), 3))
		},
		// rst escapes text so that reStructuredText reads it as text:
		// a title like ":date: outage" or "* outage" must stay a title.
		"rst": rstEscape,
	}).Option("missingkey=error").Parse(string(b))
	if err != nil {
		return nil, name, fmt.Errorf("layouts/%s: %w", name, err)
	}
	return t, name, nil
}

// NewPostmortem renders the template for a new postmortem. It returns the
// file's path (relative to the site folder, in the content folder) and
// contents; it writes nothing.
func NewPostmortem(cfg Config, title, format, date string) (string, []byte, error) {
	if format != "md" && format != "rst" {
		return "", nil, fmt.Errorf("unknown format %q: use md or rst", format)
	}
	t, tmpl, err := cfg.newTemplate(format)
	if err != nil {
		return "", nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, cfg.newData(title, date)); err != nil {
		return "", nil, fmt.Errorf("layouts/%s: %w", tmpl, err)
	}
	name := filepath.Join(cfg.ContentDir, date+"-"+fileSlug(title)+"."+format)
	if err := checkNew(cfg, name, b.Bytes(), title); err != nil {
		return "", nil, err
	}
	return name, b.Bytes(), nil
}

// fileSlug makes a file name of a title: its slug, cut at a word near 60
// bytes (or at a character, for a title without spaces).
func fileSlug(title string) string {
	slug := markup.Slug(title)
	if len(slug) > 60 {
		cut := strings.LastIndexByte(slug[:60], '-')
		if cut <= 0 {
			cut = 60
			for cut > 0 && !utf8.RuneStart(slug[cut]) {
				cut--
			}
		}
		slug = strings.TrimRight(slug[:cut], "-")
	}
	if slug == "" {
		slug = "incident"
	}
	return slug
}

// checkNew reads the new file back as kb build will, so that a template
// (or a title) that would not build is refused before it is written.
func checkNew(cfg Config, name string, data []byte, title string) error {
	readers := cfg.Readers()
	rd, ok := readers.For(name)
	if !ok {
		return nil
	}
	d, err := rd.Read(name, data)
	if err != nil {
		return fmt.Errorf("the new postmortem would not build: %w", err)
	}
	inc, err := incident.Extract(d, filepath.Base(name), incident.Config{Location: cfg.Location})
	if err != nil {
		return fmt.Errorf("the new postmortem would not build: %w", err)
	}
	if !strings.Contains(inc.Title, strings.TrimSpace(title)) {
		return fmt.Errorf("the new postmortem's title reads as %q, without %q; check the template's title line", inc.Title, title)
	}
	return nil
}

// rstEscape backslash-escapes the characters that start markup in
// reStructuredText, so a string is read as the text it is.
func rstEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_|:[]<>#+-.!=~^\"'", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// WriteNew creates path with data, refusing to overwrite anything.
func WriteNew(root, path string, data []byte) error {
	full := path
	if !filepath.IsAbs(path) {
		full = filepath.Join(root, path)
	}
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; kb new never overwrites a postmortem", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// templatePlaceholders returns patterns matching, exactly, each paragraph
// the new-postmortem templates put under a section: text left as the
// template wrote it means nothing was written yet.
func templatePlaceholders(cfg Config, readers markup.Registry) []string {
	var out []string
	seen := map[string]bool{}
	for _, format := range []string{"md", "rst"} {
		path, src, err := NewPostmortem(cfg, "Template", format, "2000-01-01")
		if err != nil {
			continue
		}
		rd, ok := readers.For(path)
		if !ok {
			continue
		}
		d, err := rd.Read(path, src)
		if err != nil {
			continue
		}
		var visit func([]*markup.Section)
		visit = func(ss []*markup.Section) {
			for _, s := range ss {
				for _, n := range s.Body {
					if n.Kind != markup.Paragraph {
						continue
					}
					t := strings.Join(strings.Fields(markup.PlainText([]*markup.Node{n})), " ")
					if t != "" && !seen[t] {
						seen[t] = true
						out = append(out, `^`+regexp.QuoteMeta(t)+`$`)
					}
				}
				visit(s.Sections)
			}
		}
		visit(d.Sections)
	}
	return out
}
