package search

import (
	"encoding/json"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
)

func TestMapping(t *testing.T) {
	im, err := newMapping(defaultLayout)
	if err != nil {
		t.Fatal(err)
	}
	type opts struct {
		typ, analyzer                     string
		index, store, positions, docValue bool
	}
	want := map[string]opts{
		fieldTitle:    {"text", en.AnalyzerName, true, false, false, false},
		fieldSummary:  {"text", en.AnalyzerName, true, false, false, false},
		fieldHeading:  {"text", en.AnalyzerName, true, false, false, false},
		fieldBody:     {"text", en.AnalyzerName, true, false, false, false},
		fieldWord:     {"text", analyzerPlain, true, false, false, false},
		fieldSystem:   {"text", "keyword", true, false, false, true},
		fieldCause:    {"text", "keyword", true, false, false, true},
		fieldSeverity: {"text", "keyword", true, false, false, true},
		fieldStatus:   {"text", "keyword", true, false, false, true},
		fieldYear:     {"text", "keyword", true, false, false, true},
		fieldDeclared: {"text", "keyword", true, false, false, false},
		fieldDate:     {"datetime", "", true, false, false, true},
	}
	dm := im.DefaultMapping
	if len(dm.Properties) != len(want)+1 { // and _all
		t.Errorf("%d properties, want %d", len(dm.Properties), len(want)+1)
	}
	for name, w := range want {
		p := dm.Properties[name]
		if p == nil || len(p.Fields) != 1 {
			t.Errorf("%s: not mapped as one field", name)
			continue
		}
		f := p.Fields[0]
		got := opts{f.Type, f.Analyzer, f.Index, f.Store, f.IncludeTermVectors, f.DocValues}
		if got != w {
			t.Errorf("%s: %+v, want %+v", name, got, w)
		}
		if f.IncludeInAll {
			t.Errorf("%s: included in _all", name)
		}
	}
	if all := dm.Properties["_all"]; all == nil || all.Enabled {
		t.Error("_all is not disabled")
	}
	if dm.Dynamic || im.IndexDynamic || im.StoreDynamic || im.DocValuesDynamic {
		t.Error("unmapped fields would be indexed or stored")
	}
	if im.ScoringModel != "bm25" || im.DefaultAnalyzer != en.AnalyzerName {
		t.Errorf("scoring %q, analyzer %q", im.ScoringModel, im.DefaultAnalyzer)
	}

	// The shipped JSON decodes to the same mapping.
	b, err := json.Marshal(im)
	if err != nil {
		t.Fatal(err)
	}
	back, err := decodeMapping(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(back)
	if string(b) != string(b2) {
		t.Errorf("mapping JSON does not round-trip:\n%s\n%s", b, b2)
	}
	var _ mapping.IndexMapping = back
}

// The fields of the bleve document are the mapped fields, so nothing is
// silently left out of the index.
func TestDocumentFields(t *testing.T) {
	im, err := newMapping(defaultLayout)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(incidentFields{})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	for name := range m {
		if im.DefaultMapping.Properties[name] == nil {
			t.Errorf("document field %q is not mapped", name)
		}
	}
	if len(m) != len(im.DefaultMapping.Properties)-1 {
		t.Errorf("document has %d fields, mapping %d", len(m), len(im.DefaultMapping.Properties)-1)
	}
}
