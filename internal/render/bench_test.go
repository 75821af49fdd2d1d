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
	// The pages read each incident's body and events back from the
	// site's spool, as a build does.
	defer s.Close()
	in := s.RenderInput()
	in.Timeline, _ = timeline.Build(s.Incidents, timeline.Config{Location: cfg.Location, RecurrenceWindow: cfg.RecurrenceWindow})
	b.ReportAllocs()
	for b.Loop() {
		if err := render.Render(context.Background(), in, discard{}); err != nil {
			b.Fatal(err)
		}
	}
}
