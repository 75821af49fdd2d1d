package render_test

import (
	"context"
	"testing"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/corpus"
	"github.com/kb-postmortems/kb/internal/render"
	"github.com/kb-postmortems/kb/internal/site"
	"github.com/kb-postmortems/kb/internal/timeline"
)

// discard takes the files of a site and keeps none, so that the benchmark
// measures making pages, not storing them.
type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }

// BenchmarkRender renders every page of 1,000 generated postmortems: the
// incident pages, and the home, timeline, term and review pages that list
// them again and again.
func BenchmarkRender(b *testing.B) {
	dir := b.TempDir()
	if _, err := corpus.Write(dir, corpus.Options{N: 1000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	cfg, err := site.LoadConfig(dir)
	if err != nil {
		b.Fatal(err)
	}
	cfg.Layouts, cfg.Assets = kb.Layouts(), kb.Assets()
	s, err := site.Load(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	tl, _ := timeline.Build(s.Incidents, timeline.Config{Location: cfg.Location, RecurrenceWindow: cfg.RecurrenceWindow})
	in := render.Input{
		Site:        render.Site{Title: cfg.Title, Description: cfg.Description, Language: cfg.Language, BaseURL: cfg.BaseURL},
		Incidents:   s.Incidents,
		Pages:       s.Pages,
		Diagnostics: s.Diagnostics,
		Graph:       s.Graph,
		Timeline:    tl,
		Severities:  cfg.Lint.Severities,
		Layouts:     cfg.Layouts,
		Assets:      cfg.Assets,
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := render.Render(context.Background(), in, discard{}); err != nil {
			b.Fatal(err)
		}
	}
}
