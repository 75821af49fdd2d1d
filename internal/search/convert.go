package search

import (
	"strings"
	"time"
)

// meta is the stored record of an incident: everything a hit shows
// besides its texts. It is stored as one JSON value.
type meta struct {
	Date     string        `json:"d,omitempty"`
	Severity string        `json:"v,omitempty"`
	Status   string        `json:"s,omitempty"`
	Systems  []string      `json:"y,omitempty"`
	Causes   []string      `json:"c,omitempty"`
	Sections []sectionMeta `json:"x,omitempty"`
	// MentionedSystems and MentionedCauses count in facets; hits show
	// only what the metadata declares.
	MentionedSystems []string `json:"ms,omitempty"`
	MentionedCauses  []string `json:"mc,omitempty"`
	// when orders incidents by date, as a string: the instant in UTC
	// with nanoseconds, fixed width; "" when the date is unknown.
	when string
}

type sectionMeta struct {
	Key    string `json:"k,omitempty"`
	Anchor string `json:"a,omitempty"`
}

// bleveDoc is one document as the bleve mapping sees it.
type bleveDoc struct {
	id     string
	fields any // *incidentFields or *lexiconFields
	// pre, when set, is the analysis of the text fields by name, which
	// bleve then uses instead of analyzing them (see pretok.go).
	pre map[string]preText
}

// incidentFields are the fields of an incident's bleve document. A
// struct, not a map, so that bleve meets the fields in the same order
// on every run: the order fixes their numbers in the segment. Optional
// keyword fields are slices and the date a pointer, because bleve
// indexes an empty string as a value but skips a nil.
type incidentFields struct {
	Title    string     `json:"title"`
	Summary  string     `json:"summary"`
	Heading  []string   `json:"heading"`
	Body     []string   `json:"body"`
	Word     []string   `json:"word"`
	System   []string   `json:"system"`   // declared and mentioned
	Cause    []string   `json:"cause"`    // declared and mentioned
	Declared []string   `json:"declared"` // "system:<name>", "cause:<name>"
	Severity []string   `json:"severity"`
	Status   []string   `json:"status"`
	Year     []string   `json:"year"`
	Date     *time.Time `json:"date"`
	Meta     string     `json:"meta,omitempty"` // only in layouts that store
}

// lexiconFields are the fields of a shard's lexicon document.
type lexiconFields struct {
	Word string `json:"word"`
}

// toBleve converts an incident into its bleve document. The heading
// and body arrays are aligned with d.Sections, so the array position
// of a match is the index of its section.
func toBleve(d *Document, l layout) bleveDoc {
	f := &incidentFields{
		Title:   d.Title,
		Summary: d.Summary,
		Heading: make([]string, len(d.Sections)),
		Body:    make([]string, len(d.Sections)),
		System:  lowerAll(d.allSystems()),
		Cause:   lowerAll(d.allCauses()),
	}
	for _, v := range d.Systems {
		f.Declared = append(f.Declared, "system:"+strings.ToLower(v))
	}
	for _, v := range d.Causes {
		f.Declared = append(f.Declared, "cause:"+strings.ToLower(v))
	}
	for i, s := range d.Sections {
		f.Heading[i] = s.Title
		f.Body[i] = s.Text
	}
	if l.Words {
		f.Word = append([]string{d.Title, d.Summary}, f.Heading...)
		f.Word = append(f.Word, f.Body...)
	}
	if d.Severity != "" {
		f.Severity = []string{strings.ToLower(d.Severity)}
	}
	if d.Status != "" {
		f.Status = []string{strings.ToLower(d.Status)}
	}
	if y := d.Year(); y != "" {
		f.Year = []string{y}
		date := d.Date.UTC()
		f.Date = &date
	}
	if l.Stored {
		f.Meta = string(metaOf(d))
	}
	return bleveDoc{id: d.ID, fields: f}
}

// dateLayout is how dates appear in results and the instant file.
const dateLayout = "2006-01-02"

func lowerAll(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}
