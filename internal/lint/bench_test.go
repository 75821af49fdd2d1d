package lint

import (
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb/internal/corpus"
	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
)

// BenchmarkCheck lints the Markdown part of a generated corpus of 1,000
// postmortems (read once, outside the timing).
func BenchmarkCheck(b *testing.B) {
	md := markup.NewMarkdown(markup.Limits{})
	icfg, err := incident.Config{Location: time.UTC}.Compile()
	if err != nil {
		b.Fatal(err)
	}
	var incs []*incident.Incident
	for f := range corpus.Generate(corpus.Options{N: 1000, Seed: 1}) {
		if f.Format != "markdown" {
			continue
		}
		rel := strings.TrimPrefix(f.Path, "content/")
		d, err := md.Read(f.Path, f.Data)
		if err != nil {
			b.Fatal(err)
		}
		inc, err := incident.Extract(d, rel, icfg)
		if err != nil {
			b.Fatal(err)
		}
		incs = append(incs, inc)
	}
	cfg := Default()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Check(Input{Incidents: incs}, cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(incs)), "incidents/op")
}
