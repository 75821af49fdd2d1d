package site

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
)

// Inspection is what kb read from one file: the answer to "why does lint
// call this section missing?". cmd/kb prints it as text or JSON; the JSON
// shape is documented in the README and is a contract for tools.
type Inspection struct {
	File     string             `json:"file"`
	Format   string             `json:"format"`
	ID       string             `json:"id"`
	Title    string             `json:"title"`
	TitlePos markup.Pos         `json:"title_pos"`
	Date     string             `json:"date,omitempty"`
	DateFrom string             `json:"date_from,omitempty"`
	Severity string             `json:"severity,omitempty"`
	Status   string             `json:"status,omitempty"`
	Systems  []string           `json:"systems"`
	Causes   []string           `json:"causes"`
	Authors  []string           `json:"authors"`
	Metadata []InspectField     `json:"metadata"`
	Sections []InspectSection   `json:"sections"`
	Warnings []markup.Warning   `json:"warnings"`
	HTML     string             `json:"html,omitempty"`
	Text     string             `json:"text,omitempty"`
	Errors   []InspectFileError `json:"errors,omitempty"`
}

// InspectField is one metadata key as read.
type InspectField struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
	Line  int    `json:"line"`
	Col   int    `json:"col"`
}

// InspectSection is one heading of the outline.
type InspectSection struct {
	Title string `json:"title"`
	// Key is the canonical key when Canonical, else the normalised heading.
	Key       string           `json:"key"`
	Canonical bool             `json:"canonical"`
	Level     int              `json:"level"`
	Line      int              `json:"line"`
	ID        string           `json:"id"`
	Empty     bool             `json:"empty"`
	Sections  []InspectSection `json:"sections"`
}

// InspectFileError is a problem that stops the file from building.
type InspectFileError struct {
	Pos     markup.Pos `json:"pos"`
	Message string     `json:"message"`
	Hint    string     `json:"hint,omitempty"`
}

// Inspect reads one file the way a build would. Content errors are part of
// the result (Errors), not a failure of Inspect; an error means the file
// could not be opened or has no reader.
func Inspect(cfg Config, file string) (*Inspection, error) {
	readers := Readers()
	rd, ok := readers.For(file)
	if !ok {
		return nil, fmt.Errorf("%s: kb reads .md, .markdown and .rst files", file)
	}
	name := filepath.ToSlash(file)
	src := source{abs: file, name: name, rel: contentRel(cfg, file)}
	b, warn, err := readLimited(src, cfg.MaxFileSize)
	if err != nil {
		return nil, err
	}
	ins := &Inspection{File: name, Systems: []string{}, Causes: []string{}, Authors: []string{}, Metadata: []InspectField{}, Sections: []InspectSection{}}
	doc, err := readGuarded(rd, name, b, cfg.readTimeout(len(b)))
	if err != nil {
		ins.Errors = append(ins.Errors, fileErrors(err)...)
		ins.Warnings = append([]markup.Warning{}, warn...)
		return ins, nil
	}
	ins.Format = doc.Format
	ins.Warnings = append(append([]markup.Warning{}, warn...), doc.Warnings...)
	for _, f := range doc.Meta {
		ins.Metadata = append(ins.Metadata, InspectField{Key: f.Key, Value: jsonValue(f.Value), Line: f.Pos.Line, Col: f.Pos.Col})
	}
	icfg, err := cfg.incidentConfig(readers)
	if err != nil {
		return nil, err
	}
	inc, err := incident.Extract(doc, src.rel, icfg)
	if err != nil {
		ins.Errors = append(ins.Errors, fileErrors(err)...)
	}
	if inc == nil {
		return ins, nil
	}
	ins.Warnings = append(ins.Warnings, inc.Warnings...)
	ins.ID, ins.Title, ins.TitlePos = inc.ID, inc.Title, inc.TitlePos
	if !inc.Date.IsZero() {
		ins.Date = inc.Date.Format(time.RFC3339)
		ins.DateFrom = inc.DateFrom
	}
	ins.Severity, ins.Status = inc.Severity, inc.Status
	ins.Systems = append(ins.Systems, inc.Systems...)
	ins.Causes = append(ins.Causes, inc.Causes...)
	ins.Authors = append(ins.Authors, inc.Authors...)
	ins.Sections = inspectSections(inc.Sections)
	ins.HTML = string(markup.NewHTMLRenderer().Render(doc, markup.HTMLOptions{}))
	ins.Text = markup.PlainText(doc.Body)
	return ins, nil
}

// contentRel is file's path inside the content folder when it is in it,
// else its base name: what the incident's ID derives from.
func contentRel(cfg Config, file string) string {
	abs, err1 := filepath.Abs(file)
	root, err2 := filepath.Abs(cfg.ContentPath())
	if err1 == nil && err2 == nil {
		if r, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r)
		}
	}
	return filepath.Base(file)
}

func inspectSections(ss []*incident.Section) []InspectSection {
	out := []InspectSection{}
	for _, s := range ss {
		out = append(out, InspectSection{
			Title: s.Title, Key: s.Key, Canonical: s.Canonical, Level: s.Level, Line: s.Pos.Line,
			ID: s.ID, Empty: s.Empty, Sections: inspectSections(s.Sections),
		})
	}
	return out
}

func fileErrors(err error) []InspectFileError {
	var out []InspectFileError
	var walk func(error)
	walk = func(err error) {
		if me, ok := err.(*markup.Error); ok {
			out = append(out, InspectFileError{Pos: me.Pos, Message: me.Err.Error(), Hint: me.Hint})
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		out = append(out, InspectFileError{Message: err.Error()})
	}
	walk(err)
	return out
}

// jsonValue turns metadata values into what encoding/json prints plainly.
func jsonValue(v any) any {
	switch v := v.(type) {
	case time.Time, markup.LocalDate:
		return strings.Trim(markup.FormatValue(v), `"`)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = jsonValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = jsonValue(e)
		}
		return out
	}
	return v
}
