package search

import (
	"encoding/json"
	"strings"
)

// meta is the stored record of an incident: everything a hit shows
// that is not highlighted. It is stored as one JSON value.
type meta struct {
	Date     string        `json:"d,omitempty"`
	Severity string        `json:"v,omitempty"`
	Status   string        `json:"s,omitempty"`
	Systems  []string      `json:"y,omitempty"`
	Causes   []string      `json:"c,omitempty"`
	Sections []sectionMeta `json:"x,omitempty"`
}

type sectionMeta struct {
	Key    string `json:"k,omitempty"`
	Title  string `json:"t,omitempty"`
	Anchor string `json:"a,omitempty"`
}

// bleveDoc is one document as the bleve mapping sees it.
type bleveDoc struct {
	id     string
	fields map[string]any
}

// toBleve converts an incident into its bleve document. The heading
// and body arrays are aligned with d.Sections, so the array position
// of a match is the index of its section.
func toBleve(d *Document, l layout) bleveDoc {
	m := meta{
		Severity: d.Severity,
		Status:   d.Status,
		Systems:  d.Systems,
		Causes:   d.Causes,
	}
	if !d.Date.IsZero() {
		m.Date = d.Date.Format(dateLayout)
	}
	headings := make([]string, len(d.Sections))
	bodies := make([]string, len(d.Sections))
	for i, s := range d.Sections {
		m.Sections = append(m.Sections, sectionMeta{Key: s.Key, Title: s.Title, Anchor: s.Anchor})
		headings[i] = s.Title
		bodies[i] = s.Text
	}
	metaJSON, err := json.Marshal(m)
	if err != nil {
		panic(err) // strings only; cannot fail
	}
	f := map[string]any{
		fieldTitle:   d.Title,
		fieldSummary: d.Summary,
		fieldHeading: headings,
		fieldBody:    bodies,
		fieldMeta:    string(metaJSON),
	}
	if l.Words {
		words := []string{d.Title, d.Summary}
		words = append(words, headings...)
		words = append(words, bodies...)
		f[fieldWord] = words
	}
	if len(d.Systems) > 0 {
		f[fieldSystem] = lowerAll(d.Systems)
	}
	if len(d.Causes) > 0 {
		f[fieldCause] = lowerAll(d.Causes)
	}
	if d.Severity != "" {
		f[fieldSeverity] = strings.ToLower(d.Severity)
	}
	if d.Status != "" {
		f[fieldStatus] = strings.ToLower(d.Status)
	}
	if y := d.Year(); y != "" {
		f[fieldYear] = y
		f[fieldDate] = d.Date.UTC()
	}
	return bleveDoc{id: d.ID, fields: f}
}

// dateLayout is how dates appear in results and the instant file.
const dateLayout = "2006-01-02"

func lowerAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}
