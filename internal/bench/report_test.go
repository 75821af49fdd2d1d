package bench

import (
	"strings"
	"testing"
	"time"
)

func TestTimingMedian(t *testing.T) {
	tm := Timing{Runs: []time.Duration{3 * time.Second, 1 * time.Second, 2 * time.Second}}
	if tm.Median() != 2*time.Second || tm.Min() != time.Second || tm.Max() != 3*time.Second {
		t.Errorf("median %v min %v max %v", tm.Median(), tm.Min(), tm.Max())
	}
	if (Timing{}).Median() != 0 {
		t.Error("median of no runs")
	}
}

func TestPrint(t *testing.T) {
	rows := []Row{{
		N: 1000, Markdown: 700, RST: 300, CorpusBytes: 5 << 20,
		Build:    Timing{Runs: []time.Duration{2 * time.Second, 3 * time.Second, 4 * time.Second}, PeakRSS: 200 << 20},
		Hugo:     Timing{Runs: []time.Duration{4 * time.Second, 4 * time.Second, 4 * time.Second}},
		KBSearch: SearchTimes{FirstResult: []time.Duration{100 * time.Millisecond}},
		PFFind:   SearchTimes{FirstResult: []time.Duration{200 * time.Millisecond}},
	}}
	var b strings.Builder
	Print(&b, rows, 3)
	out := b.String()
	for _, want := range []string{
		"| | 1,000 incidents |",
		"| kb build: parse, lint, index, render, publish (median of 3) | 3.00 s (2.00 s–4.00 s) |",
		"| **kb build ÷ Hugo** | 0.75× |",
		"| first result, cold: kb / Pagefind | 100 ms / 200 ms (**0.50×**) |",
		"| kb build peak memory | 200.0 MB |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
