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
	var user fs.FS
	if st, err := os.Stat(c.LayoutsPath()); err == nil && st.IsDir() {
		user = os.DirFS(c.LayoutsPath())
	}
	b, err := fs.ReadFile(render.Overlay(user, c.Layouts), name)
	if err != nil {
		return nil, name, fmt.Errorf("layouts/%s: %w", name, err)
	}
	t, err := template.New(name).Funcs(template.FuncMap{
		// adorn underlines a title for reStructuredText.
		"adorn": func(s, ch string) string {
			return s + "\n" + strings.Repeat(ch, max(utf8.RuneCountInString(s), 3))
		},
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
	t, name, err := cfg.newTemplate(format)
	if err != nil {
		return "", nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, cfg.newData(title, date)); err != nil {
		return "", nil, fmt.Errorf("layouts/%s: %w", name, err)
	}
	slug := markup.Slug(title)
	if len(slug) > 60 {
		slug = strings.TrimRight(slug[:strings.LastIndexByte(slug[:60], '-')+1], "-")
	}
	if slug == "" {
		slug = "incident"
	}
	return filepath.Join(cfg.ContentDir, date+"-"+slug+"."+format), b.Bytes(), nil
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
