package search

import (
	"encoding/json"
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Field names in the bleve documents. Every incident is one bleve
// document whose id is the incident id.
const (
	fieldTitle    = "title"    // text, stemmed
	fieldSummary  = "summary"  // text, stemmed
	fieldHeading  = "heading"  // section titles, array aligned with Sections
	fieldBody     = "body"     // section texts, array aligned with Sections
	fieldWord     = "word"     // every word unstemmed: the lexicon for typos and prefixes
	fieldSystem   = "system"   // keyword, facet
	fieldCause    = "cause"    // keyword, facet
	fieldSeverity = "severity" // keyword, facet
	fieldStatus   = "status"   // keyword, facet
	fieldYear     = "year"     // keyword, facet
	fieldDeclared = "declared" // keyword: "system:<v>", "cause:<v>" the metadata names
	fieldDate     = "date"     // datetime, for sorting and ranges
	fieldMeta     = "meta"     // stored only, in layouts that store (measurements)
)

// analyzerPlain splits and lowercases without stemming or stop words,
// so that a word being typed can match as a prefix of indexed words.
const analyzerPlain = "kb_plain"

// layout says what the segment keeps besides the terms. Build uses
// defaultLayout: no term positions and nothing stored, because phrases
// and fragments come from the stored text beside the segment (see
// stored.go). Tests measure the others.
type layout struct {
	// Positions keeps term positions and offsets for the text fields,
	// as bleve needs them for its own phrase queries and highlighting.
	Positions bool
	// Stored keeps the texts and the record of each incident in the
	// segment's stored fields.
	Stored bool
	// Words indexes every incident's words unstemmed as well. Build
	// does not: it puts the unstemmed words of a shard in one lexicon
	// document instead (see lexiconDoc).
	Words bool
	// BM25 selects BM25 instead of bleve's default tf-idf.
	BM25 bool
}

var defaultLayout = layout{BM25: true}

// newMapping returns the index mapping for the given layout: the one
// shipped with the index, which queries are analyzed with.
func newMapping(l layout) (*mapping.IndexMappingImpl, error) {
	return textMapping(l, en.AnalyzerName)
}

func textMapping(l layout, textAnalyzer string) (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	im.DefaultAnalyzer = en.AnalyzerName
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	if l.BM25 {
		im.ScoringModel = "bm25"
	}
	err := im.AddCustomAnalyzer(analyzerPlain, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name},
	})
	if err != nil {
		return nil, fmt.Errorf("define analyzer: %w", err)
	}

	text := func(positions, stored bool) *mapping.FieldMapping {
		return &mapping.FieldMapping{
			Type:               "text",
			Analyzer:           textAnalyzer,
			Index:              true,
			Store:              stored,
			IncludeTermVectors: positions,
		}
	}
	kw := func() *mapping.FieldMapping {
		return &mapping.FieldMapping{
			Type:      "text",
			Analyzer:  keyword.Name,
			Index:     true,
			DocValues: true, // facets
		}
	}

	dm := mapping.NewDocumentStaticMapping()
	add := func(name string, fm *mapping.FieldMapping) {
		fm.Name = name
		dm.AddFieldMappingsAt(name, fm)
	}
	add(fieldTitle, text(l.Positions, l.Stored))
	add(fieldSummary, text(l.Positions, l.Stored))
	add(fieldHeading, text(l.Positions, false))
	add(fieldBody, text(l.Positions, l.Stored))
	add(fieldWord, &mapping.FieldMapping{
		Type:         "text",
		Analyzer:     analyzerPlain,
		Index:        true,
		SkipFreqNorm: true,
	})
	add(fieldSystem, kw())
	add(fieldCause, kw())
	add(fieldSeverity, kw())
	add(fieldStatus, kw())
	add(fieldYear, kw())
	add(fieldDeclared, &mapping.FieldMapping{Type: "text", Analyzer: keyword.Name, Index: true})
	add(fieldDate, &mapping.FieldMapping{Type: "datetime", Index: true, DocValues: true})
	if l.Stored {
		add(fieldMeta, &mapping.FieldMapping{Type: "text", Analyzer: keyword.Name, Store: true})
	}
	// No composite "_all" field: every query names its fields.
	dm.AddSubDocumentMapping("_all", &mapping.DocumentMapping{Enabled: false})

	im.DefaultMapping = dm
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	return im, nil
}

// decodeMapping reads a mapping written by Build.
func decodeMapping(b []byte) (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	if err := json.Unmarshal(b, im); err != nil {
		return nil, fmt.Errorf("decode index mapping: %w", err)
	}
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	return im, nil
}
