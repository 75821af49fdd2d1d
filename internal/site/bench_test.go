package site

import (
	"context"
	"testing"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/corpus"
)

// benchSite generates a corpus of n postmortems once per benchmark.
func benchSite(b *testing.B, n int) Config {
	b.Helper()
	dir := b.TempDir()
	if _, err := corpus.Write(dir, corpus.Options{N: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	cfg, err := LoadConfig(dir)
	if err != nil {
		b.Fatal(err)
	}
	cfg.Layouts, cfg.Assets = kb.Layouts(), kb.Assets()
	cfg.OutputDir = b.TempDir() + "/out"
	return cfg
}

// BenchmarkLoad reads, extracts and lints 1,000 generated postmortems.
func BenchmarkLoad(b *testing.B) {
	cfg := benchSite(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndex builds the search index of 1,000 loaded postmortems.
func BenchmarkIndex(b *testing.B) {
	cfg := benchSite(b, 1000)
	s, err := Load(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SearchFiles(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild is the whole of kb build on 1,000 generated postmortems.
func BenchmarkBuild(b *testing.B) {
	cfg := benchSite(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
	}
}
