package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Print writes the table: one column per corpus size, kb's figures beside
// Hugo's and Pagefind's and as ratios to them.
func Print(w io.Writer, rows []Row, runs int) {
	var b strings.Builder
	b.WriteString("| |")
	for _, r := range rows {
		fmt.Fprintf(&b, " %s incidents |", thousands(int64(r.N)))
	}
	b.WriteString("\n|---|")
	for range rows {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	line := func(label string, f func(Row) string) {
		fmt.Fprintf(&b, "| %s |", label)
		for _, r := range rows {
			fmt.Fprintf(&b, " %s |", f(r))
		}
		b.WriteString("\n")
	}
	med := fmt.Sprintf(" (median of %d)", runs)
	line("corpus", func(r Row) string {
		return fmt.Sprintf("%d Markdown + %d RST, %s", r.Markdown, r.RST, mb(r.CorpusBytes))
	})
	line("kb build: parse, lint, index, render, publish"+med, func(r Row) string { return timing(r.Build) })
	for i, st := range stageNames(rows) {
		label := "  stage: " + st
		if i == 0 {
			label = "kb build by stage (`kb build --stats`): " + st
		}
		line(label, func(r Row) string {
			for _, x := range r.Stages {
				if x.Name == st && x.CPU > 0 {
					return fmt.Sprintf("%s (cpu %s)", dur(x.Took), dur(x.CPU))
				}
				if x.Name == st {
					return dur(x.Took)
				}
			}
			return "—"
		})
	}
	line("kb lint alone"+med, func(r Row) string { return timing(r.Lint) })
	line("kb build peak memory", func(r Row) string { return mb(r.Build.PeakRSS) })
	line("kb build per 1,000 incidents", func(r Row) string {
		return dur(time.Duration(float64(r.Build.Median()) * 1000 / float64(r.N)))
	})
	if len(rows) > 1 {
		line("growth from the previous size: time / memory, per incident", func(r Row) string {
			i := slices.IndexFunc(rows, func(x Row) bool { return x.N == r.N })
			if i == 0 {
				return "—"
			}
			p := rows[i-1]
			per := func(a, b float64) float64 { return a / float64(r.N) / (b / float64(p.N)) }
			return fmt.Sprintf("%.2f× / %.2f×", per(float64(r.Build.Median()), float64(p.Build.Median())), per(float64(r.Build.PeakRSS), float64(p.Build.PeakRSS)))
		})
	}
	line("Hugo, Markdown part only, no search"+med, func(r Row) string {
		if len(r.Hugo.Runs) == 0 {
			return "—"
		}
		return fmt.Sprintf("%s (%d pages)", timing(r.Hugo), r.HugoPages)
	})
	line("Hugo peak memory", func(r Row) string { return mb(r.Hugo.PeakRSS) })
	line("**kb build ÷ Hugo**", func(r Row) string { return ratio(r.Build.Median(), r.Hugo.Median()) })
	line("Pagefind indexing kb's site"+med, func(r Row) string {
		if r.PagefindFailed != "" {
			return "failed: " + strings.ReplaceAll(r.PagefindFailed, "|", "\\|")
		}
		return timing(r.Pagefind)
	})
	line("site output", func(r Row) string { return mb(r.SiteBytes) })
	line("kb search index, raw / gzip", func(r Row) string { return mb(r.IndexRaw) + " / " + mb(r.IndexGzip) })
	line("kb search module (WASM), raw / gzip", func(r Row) string { return mb(r.WasmRaw) + " / " + mb(r.WasmGzip) })
	line("Pagefind files", func(r Row) string { return mb(r.PagefindBytes) })
	line("first result, cold: kb / Pagefind", func(r Row) string {
		a, p := medianD(r.KBSearch.FirstResult), medianD(r.PFFind.FirstResult)
		return fmt.Sprintf("%s / %s (**%s**)", dur(a), dur(p), ratio(a, p))
	})
	line("first result, cold, 10 Mbit/s + 40 ms: kb / Pagefind", func(r Row) string {
		a, p := medianD(r.KBSearch.SlowFirst), medianD(r.PFFind.SlowFirst)
		return fmt.Sprintf("%s / %s (**%s**)", dur(a), dur(p), ratio(a, p))
	})
	line("bytes before the first result, 10 Mbit/s + 40 ms: kb / Pagefind", func(r Row) string {
		return mb(medianN(r.KBSearch.SlowBytes)) + " / " + mb(medianN(r.PFFind.SlowBytes))
	})
	line("kb: bleve's answer, cold, 10 Mbit/s + 40 ms", func(r Row) string { return dur(medianD(r.KBSearch.SlowBleve)) })
	line("kb: bleve's answer, cold (newest shards)", func(r Row) string { return dur(medianD(r.KBSearch.Bleve)) })
	line("kb: bleve's answer over every shard, cold", func(r Row) string { return dur(medianD(r.KBSearch.Complete)) })
	line("warm query typed into the box, median: kb / Pagefind", func(r Row) string {
		a, p := medianD(r.KBSearch.Warm), medianD(r.PFFind.Warm)
		return fmt.Sprintf("%s / %s (%s)", dur(a), dur(p), ratio(a, p))
	})
	line("bytes before the first result: kb / Pagefind", func(r Row) string {
		return mb(medianN(r.KBSearch.BytesFirst)) + " / " + mb(medianN(r.PFFind.BytesFirst))
	})
	line("search assets fetched (kb: all; Pagefind: by the runs)", func(r Row) string {
		return mb(r.KBSearch.AssetBytes) + " / " + mb(r.PFFind.AssetBytes)
	})
	io.WriteString(w, b.String())
}

// PrintShapes writes the table of single large files.
func PrintShapes(w io.Writer, shapes []Shape, runs int) {
	if len(shapes) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| one file of %s | blocks | kb build (median of %d) | peak memory |\n|---|---:|---:|---:|\n", mb(ShapeBytes), runs)
	for _, s := range shapes {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", s.Name, thousands(int64(s.Blocks)), timing(s.Build), mb(s.Build.PeakRSS))
	}
	io.WriteString(w, b.String())
}

// stageNames lists the stages in the order the first row has them.
func stageNames(rows []Row) []string {
	var names []string
	for _, r := range rows {
		for _, s := range r.Stages {
			if !slices.Contains(names, s.Name) {
				names = append(names, s.Name)
			}
		}
	}
	return names
}

func timing(t Timing) string {
	if len(t.Runs) == 0 {
		return "—"
	}
	return fmt.Sprintf("%s (%s–%s)", dur(t.Median()), dur(t.Min()), dur(t.Max()))
}

func dur(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d >= 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

func mb(n int64) string {
	switch {
	case n <= 0:
		return "—"
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
