package site

import (
	"fmt"
	"strings"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/search"
	"github.com/kb-postmortems/kb/internal/when"
)

// searchDir is where the index is published; the worker finds it there,
// beside itself (search/worker.js fetches index/).
const searchDir = "search/index/"

// searchDocuments turns incidents into what the search index takes: the
// search package knows nothing of incidents, so its WebAssembly build
// stays small.
func searchDocuments(incs []*incident.Incident) []search.Document {
	docs := make([]search.Document, 0, len(incs))
	for _, inc := range incs {
		d := search.Document{
			ID: inc.ID, Title: inc.Title, Date: inc.Date.Time, DateText: searchDate(inc.Date),
			Severity: inc.Severity, Status: inc.Status,
			Systems: inc.Systems, Causes: inc.Causes,
			Summary: inc.Summary,
		}
		// What comes before the first heading is searched too, as an
		// untitled section at the top of the page.
		var intro []*markup.Node
		for _, n := range inc.Doc.Body {
			if n.Kind == markup.Heading {
				break
			}
			intro = append(intro, n)
		}
		if t := markup.PlainText(intro); t != "" {
			d.Sections = append(d.Sections, search.Section{Text: t})
		}
		incident.Walk(inc.Sections, func(s *incident.Section) {
			key := ""
			if s.Canonical {
				key = s.Key
			}
			d.Sections = append(d.Sections, search.Section{
				Key: key, Title: s.Title, Anchor: s.ID, Text: markup.PlainText(s.Source.Body),
			})
		})
		docs = append(docs, d)
	}
	return docs
}

// searchDate is a date as search results show it: as precisely as it is
// known, in a form whose string order is time order ("2023", "2023-10",
// "2023-10-05").
func searchDate(d when.Date) string {
	switch d.Precision {
	case when.Year:
		return d.Time.Format("2006")
	case when.Month:
		return d.Time.Format("2006-01")
	}
	return ""
}

// searchFiles builds the index files, keyed by output path.
func searchFiles(incs []*incident.Incident, tempDir string) (map[string][]byte, error) {
	files, _, err := search.BuildFiles(searchDocuments(incs), search.Options{TempDir: tempDir})
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	out := make(map[string][]byte, len(files))
	for name, b := range files {
		if strings.Contains(name, "/") || name == "" {
			return nil, fmt.Errorf("search index: unexpected file name %q", name)
		}
		out[searchDir+name] = b
	}
	return out, nil
}

// SearchFiles builds the search index of a loaded site in memory, keyed by
// file name (manifest.json, …), for kb search when nothing is published.
func SearchFiles(s *Site) (map[string][]byte, error) {
	files, _, err := search.BuildFiles(searchDocuments(s.Incidents), search.Options{TempDir: s.Config.TempDir})
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	return files, nil
}
