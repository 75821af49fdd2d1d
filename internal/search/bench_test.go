package search

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
)

var benchDocs = flag.Int("bench.docs", 1000, "synthetic incidents in the index BenchmarkSearch queries")

// BenchmarkBuild indexes synthetic incidents of about 4 KB as Build
// does (sharded by year past DefaultShardDocs) and reports documents
// per second and the shipped size.
//
//	go test ./internal/search -run '^$' -bench Build -benchtime 1x
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			docs := synthetic(n)
			tmp := b.TempDir()
			b.ResetTimer()
			var man *Manifest
			for range b.N {
				var err error
				_, man, err = BuildFiles(docs, Options{TempDir: tmp})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			var raw, gz int64
			for _, s := range man.Shards {
				raw += s.ZapBytes
				gz += s.Bytes
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
			b.ReportMetric(float64(raw)/1e6, "zap-MB")
			b.ReportMetric(float64(gz)/1e6, "gzip-MB")
			b.ReportMetric(float64(len(man.Shards)), "shards")
		})
	}
}

// BenchmarkSearch times each kind of query natively over -bench.docs
// synthetic incidents.
//
//	go test ./internal/search -run '^$' -bench Search [-bench.docs 10000]
func BenchmarkSearch(b *testing.B) {
	dir := b.TempDir()
	if _, err := Build(dir, synthetic(*benchDocs), Options{TempDir: b.TempDir()}); err != nil {
		b.Fatal(err)
	}
	ix, err := Open(os.DirFS(dir))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	kinds := []struct {
		name string
		req  Request
	}{
		{"word", Request{Query: "database "}},
		{"words", Request{Query: "connection timeout "}},
		{"phrase", Request{Query: `"connection pool" `}},
		{"prefix", Request{Query: "certif"}},
		{"typo", Request{Query: "certifcate "}},
		{"filter", Request{Query: "latency system:postgres "}},
		{"filters-only+facets", Request{Query: "system:kafka year:2020", Facets: true}},
		{"words+highlight", Request{Query: "replica failover rollback ", Highlight: true}},
		{"words+highlight+facets", Request{Query: "replica failover rollback ", Highlight: true, Facets: true}},
		{"all+facets", Request{Facets: true}},
	}
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			for range b.N {
				if _, err := ix.Search(context.Background(), k.req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
