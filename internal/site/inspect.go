package site

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/when"
)

// Inspection is what kb read from one file: the answer to "why does lint
// call this section missing?". cmd/kb prints it as text or JSON; the JSON
// shape is documented in the README and is a contract for tools.
type Inspection struct {
	File   string `json:"file"`
	Format string `json:"format"`
	// Kind is incident, log or page; Why says what made a file a page.
	Kind     string     `json:"kind"`
	Why      string     `json:"why,omitempty"`
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	TitlePos markup.Pos `json:"title_pos"`
	InspectDate
	Severity string             `json:"severity,omitempty"`
	Status   string             `json:"status,omitempty"`
	Systems  []string           `json:"systems"`
	Causes   []string           `json:"causes"`
	Authors  []string           `json:"authors"`
	Metadata []InspectField     `json:"metadata"`
	Sections []InspectSection   `json:"sections"`
	Entries  []InspectEntry     `json:"entries,omitempty"`
	Warnings []markup.Warning   `json:"warnings"`
	HTML     string             `json:"html,omitempty"`
	Text     string             `json:"text,omitempty"`
	Errors   []InspectFileError `json:"errors,omitempty"`
}

// InspectDate is an incident's date and where it came from.
type InspectDate struct {
	// Date is RFC 3339 for a day or a time, "2023" or "2023-10" for a
	// year or a month; Precision says which.
	Date      string `json:"date,omitempty"`
	Precision string `json:"date_precision,omitempty"`
	End       string `json:"date_end,omitempty"`
	DateFrom  string `json:"date_from,omitempty"`
	// Dates are every date found, with its source and place.
	Dates []InspectDateFound `json:"dates,omitempty"`
}

// InspectDateFound is one date found in the file.
type InspectDateFound struct {
	From      string     `json:"from"`
	Date      string     `json:"date"`
	Pos       markup.Pos `json:"pos"`
	Ambiguous bool       `json:"ambiguous,omitempty"`
}

// InspectEntry is one incident of a log.
type InspectEntry struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	TitlePos markup.Pos `json:"title_pos"`
	InspectDate
	Severity string           `json:"severity,omitempty"`
	Sections []InspectSection `json:"sections"`
}

// InspectField is one metadata key as read.
type InspectField struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
	Line  int    `json:"line"`
	Col   int    `json:"col"`
	// From is "body" for metadata written in the text ("**Severity:**
	// SEV2"), empty for front matter and field lists.
	From string `json:"from,omitempty"`
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
	readers := cfg.Readers()
	name := filepath.ToSlash(file)
	src := source{abs: file, name: name, rel: contentRel(cfg, file)}
	_, known := readers.For(file)
	if !known {
		why, _ := notRead(filepath.Base(file))
		if why != "sniff" {
			if why == "" {
				why = "an image or a binary file"
			}
			return nil, fmt.Errorf("%s: kb does not read this file: %s", file, why)
		}
		src.sniff = true
	}
	ins := &Inspection{File: name, Systems: []string{}, Causes: []string{}, Authors: []string{}, Metadata: []InspectField{}, Sections: []InspectSection{}}
	b, warn, err := readLimited(src, cfg.MaxFileSize)
	if err != nil {
		return nil, err
	}
	src.sniff = src.sniff || strings.EqualFold(filepath.Ext(file), ".txt")
	rd, ok := readerOf(src, b, readers)
	if !ok {
		return nil, fmt.Errorf("%s: kb does not read this file: %s", file, rd.why)
	}
	doc, err := readGuarded(rd.Reader, name, b, cfg.readTimeout(len(b)))
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
	f, err := incident.ExtractFile(doc, src.rel, icfg)
	if err != nil {
		ins.Errors = append(ins.Errors, fileErrors(err)...)
	}
	if f == nil {
		return ins, nil
	}
	ins.Kind = f.Kind
	ins.Warnings = append(ins.Warnings, f.Warnings...)
	if p := f.Page; p != nil {
		ins.ID, ins.Title, ins.TitlePos, ins.Why = p.ID, p.Title, p.TitlePos, p.Why
		ins.HTML = string(markup.NewHTMLRenderer().Render(p.Doc, markup.HTMLOptions{}))
		ins.Text = markup.PlainText(p.Doc.Body)
		for _, inc := range p.Entries {
			ins.Warnings = append(ins.Warnings, inc.Warnings...)
			ins.Entries = append(ins.Entries, InspectEntry{ID: inc.ID, Title: inc.Title, TitlePos: inc.TitlePos,
				InspectDate: inspectDate(inc), Severity: inc.Severity, Sections: inspectSections(inc.Sections)})
		}
		return ins, nil
	}
	if len(f.Incidents) == 0 {
		return ins, nil
	}
	inc := f.Incidents[0]
	ins.Warnings = append(ins.Warnings, inc.Warnings...)
	ins.ID, ins.Title, ins.TitlePos = inc.ID, inc.Title, inc.TitlePos
	ins.InspectDate = inspectDate(inc)
	ins.Severity, ins.Status = inc.Severity, inc.Status
	ins.Systems = append(ins.Systems, inc.Systems...)
	ins.Causes = append(ins.Causes, inc.Causes...)
	ins.Authors = append(ins.Authors, inc.Authors...)
	for _, f := range inc.BodyMeta {
		ins.Metadata = append(ins.Metadata, InspectField{Key: f.Key, Value: jsonValue(f.Value), Line: f.Pos.Line, Col: f.Pos.Col, From: "body"})
	}
	ins.Sections = inspectSections(inc.Sections)
	ins.HTML = string(markup.NewHTMLRenderer().Render(doc, markup.HTMLOptions{}))
	ins.Text = markup.PlainText(doc.Body)
	return ins, nil
}

// inspectDate shows an incident's date in the form the JSON contract
// gives it.
func inspectDate(inc *incident.Incident) InspectDate {
	var out InspectDate
	if !inc.Date.IsZero() {
		out.Date, out.Precision, out.DateFrom = jsonDate(inc.Date), inc.Date.Precision.String(), inc.DateFrom
		if !inc.End.IsZero() {
			out.End = jsonDate(inc.End)
		}
	}
	for _, d := range inc.Dates {
		out.Dates = append(out.Dates, InspectDateFound{From: d.From, Date: jsonDate(d.Date), Pos: d.Pos, Ambiguous: d.Ambiguous})
	}
	return out
}

// jsonDate is a date as the JSON contract gives it: a day as RFC 3339
// (as before dates could be partial), else as precisely as known.
func jsonDate(d when.Date) string {
	if d.Precision == when.Day {
		return d.Time.Format(time.RFC3339)
	}
	return d.ISO()
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
