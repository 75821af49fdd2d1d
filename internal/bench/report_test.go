package bench

import (
	"os"
	"path/filepath"
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
		KBSearch: SearchTimes{FirstResult: []time.Duration{100 * time.Millisecond}, SlowFirst: []time.Duration{600 * time.Millisecond, 500 * time.Millisecond, 700 * time.Millisecond}, SlowBytes: []int64{300 << 10}},
		PFFind:   SearchTimes{FirstResult: []time.Duration{200 * time.Millisecond}, SlowFirst: []time.Duration{time.Second}, SlowBytes: []int64{600 << 10}},
	}, {
		N: 100000, Build: Timing{Runs: []time.Duration{time.Minute}}, PagefindFailed: "pagefind [--site x]: exit 1 | killed",
	}}
	var b strings.Builder
	Print(&b, rows, 3)
	out := b.String()
	for _, want := range []string{
		"| | 1,000 incidents | 100,000 incidents |",
		"failed: pagefind [--site x]: exit 1 \\| killed |",
		"| kb build: parse, lint, index, render, publish (median of 3) | 3.00 s (2.00 s–4.00 s) |",
		"| **kb build ÷ Hugo** | 0.75× |",
		"| Pagefind indexing kb's site (median of 3) | — | failed",
		"| first result, cold: kb / Pagefind | 100 ms / 200 ms (**0.50×**) |",
		"| first result, cold, 10 Mbit/s + 40 ms: kb / Pagefind | 600 ms / 1.00 s (**0.60×**) |",
		"| bytes before the first result, 10 Mbit/s + 40 ms: kb / Pagefind | 300 KB / 600 KB |",
		"| kb build peak memory | 200.0 MB |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestParseStages(t *testing.T) {
	out := []byte(`kb: warning: content/a.md:3:1: something
stage            took       heap
read            6.83s     658 MB
lint            286ms     690 MB
render         1m4.5s    1224 MB
index          46.78s          -
memory from the system: 3130 MB; allocated in all: 9468 MB in 29 GC cycles
built 10000 incidents into site/ in 1m18.17s
stage            took        cpu       heap
read            5.63s     10.84s     712 MB
publish         3.64s          -     375 MB
`)
	got := parseStages(out)
	want := []StageTime{{"read", 6830 * time.Millisecond, 0}, {"lint", 286 * time.Millisecond, 0}, {"render", 64500 * time.Millisecond, 0}, {"index", 46780 * time.Millisecond, 0},
		{"read", 5630 * time.Millisecond, 10840 * time.Millisecond}, {"publish", 3640 * time.Millisecond, 0}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("stage %d: got %v, want %v", i, got[i], want[i])
		}
	}
	med := medianStages([][]StageTime{
		{{"read", 3 * time.Second, 6 * time.Second}, {"index", time.Second, 0}},
		{{"read", 1 * time.Second, 2 * time.Second}, {"index", 5 * time.Second, 0}},
		{{"read", 2 * time.Second, 4 * time.Second}, {"index", 2 * time.Second, 0}},
	})
	if med[0] != (StageTime{"read", 2 * time.Second, 4 * time.Second}) || med[1] != (StageTime{"index", 2 * time.Second, 0}) {
		t.Errorf("medians: %v", med)
	}
}

func TestPrintGrowthAndShapes(t *testing.T) {
	rows := []Row{
		{N: 1000, Build: Timing{Runs: []time.Duration{2 * time.Second}, PeakRSS: 100 << 20}, Stages: []StageTime{{"read", time.Second, 0}}},
		{N: 10000, Build: Timing{Runs: []time.Duration{30 * time.Second}, PeakRSS: 500 << 20}, Stages: []StageTime{{"read", 9 * time.Second, 15 * time.Second}, {"index", 4 * time.Second, 0}}},
	}
	var b strings.Builder
	Print(&b, rows, 1)
	PrintShapes(&b, []Shape{{Name: "headings.md", Blocks: 600000, Build: Timing{Runs: []time.Duration{3 * time.Second}, PeakRSS: 300 << 20}}}, 1)
	out := b.String()
	for _, want := range []string{
		"| growth from the previous size: time / memory, per incident | — | 1.50× / 0.50× |",
		"| kb build by stage (`kb build --stats`): read | 1.00 s | 9.00 s (cpu 15.0 s) |",
		"|   stage: index | — | 4.00 s |",
		"| headings.md | 600,000 | 3.00 s (3.00 s–3.00 s) | 300.0 MB |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestWriteShape(t *testing.T) {
	for _, s := range shapes() {
		dir := t.TempDir()
		n, err := writeShape(dir, s.name, s.unit)
		if err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(filepath.Join(dir, "content", s.name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > ShapeBytes || st.Size() < ShapeBytes-100 || n < 100_000 {
			t.Errorf("%s: %d bytes, %d blocks", s.name, st.Size(), n)
		}
	}
}
