package search

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// instantFile is instant.json: the few fields of every incident that a
// page can match against while the search module is still loading.
type instantFile struct {
	Format int          `json:"format"`
	Docs   []instantDoc `json:"docs"` // newest first; undated last
}

type instantDoc struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Date     string   `json:"date,omitempty"`
	Severity string   `json:"severity,omitempty"`
	Status   string   `json:"status,omitempty"`
	Systems  []string `json:"systems,omitempty"`
	Causes   []string `json:"causes,omitempty"`
	// Terms the text names and the metadata does not: filters find them.
	MentionedSystems []string `json:"mentioned_systems,omitempty"`
	MentionedCauses  []string `json:"mentioned_causes,omitempty"`
}

func instant(docs []Document) ([]byte, error) {
	f := instantFile{Format: Format, Docs: make([]instantDoc, len(docs))}
	for i, d := range docs {
		f.Docs[i] = instantDoc{
			ID:       d.ID,
			Title:    d.Title,
			Severity: d.Severity,
			Status:   d.Status,
			Systems:  d.Systems,
			Causes:   d.Causes,

			MentionedSystems: d.MentionedSystems,
			MentionedCauses:  d.MentionedCauses,
		}
		f.Docs[i].Date = d.shownDate()
	}
	slices.SortFunc(f.Docs, func(a, b instantDoc) int {
		if (a.Date == "") != (b.Date == "") {
			return cmp.Compare(len(b.Date), len(a.Date)) // undated last
		}
		if c := strings.Compare(b.Date, a.Date); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	b, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("encode instant index: %w", err)
	}
	return append(b, '\n'), nil
}
