package corpus

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
)

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func generate(opts Options) map[string]File {
	out := map[string]File{}
	for f := range Generate(opts) {
		out[f.Path] = f
	}
	return out
}

// TestSameSeedSameBytes writes the same corpus twice, the second time on
// one CPU, and compares every file; Generate must yield the same bytes as
// Write puts on disk.
func TestSameSeedSameBytes(t *testing.T) {
	opts := Options{N: 150, Seed: 42}
	a, b := t.TempDir(), t.TempDir()
	if _, err := Write(a, opts); err != nil {
		t.Fatal(err)
	}
	prev := runtime.GOMAXPROCS(1)
	_, err := Write(b, opts)
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	ta, tb := readTree(t, a), readTree(t, b)
	if len(ta) < opts.N+1 {
		t.Fatalf("wrote %d files for %d postmortems", len(ta), opts.N)
	}
	if len(ta) != len(tb) {
		t.Fatalf("first run wrote %d files, second %d", len(ta), len(tb))
	}
	for p, data := range ta {
		if !bytes.Equal(data, tb[p]) {
			t.Errorf("%s differs between two runs with the same seed", p)
		}
	}
	gen := generate(opts)
	if len(gen) != len(ta) {
		t.Errorf("Generate yields %d files, Write wrote %d", len(gen), len(ta))
	}
	for p, f := range gen {
		if !bytes.Equal(f.Data, ta[p]) {
			t.Errorf("%s: Generate and Write disagree", p)
		}
	}
}

func TestDifferentSeedDifferentCorpus(t *testing.T) {
	a := generate(Options{N: 100, Seed: 1})
	b := generate(Options{N: 100, Seed: 2})
	same := 0
	for p, f := range a {
		if g, ok := b[p]; ok && bytes.Equal(f.Data, g.Data) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d of %d files are identical for seeds 1 and 2", same, len(a))
	}
}

// corpusFacts is what the distribution tests measure, read back the way
// kb reads it (Markdown) or from the field list (RST).
type corpusFacts struct {
	md, rst, yaml, toml, bare int
	sizes                     []int
	systems                   map[string]int
	dates                     []time.Time
	// names maps a canonical key to the headings (normalised) that
	// stood for it.
	names          map[string]map[string]bool
	blankSections  int // files with a section holding only a prompt or a placeholder
	links, bundles int
	yearFolders    int
	files          map[string]File
}

var (
	rstFieldRE   = regexp.MustCompile(`(?m)^:(date|systems):[ \t]*(.*)$`)
	rstTitleRE   = regexp.MustCompile(`(?m)^(\S.*)\n-{3,}\n`)
	mdLinkRE     = regexp.MustCompile(`\]\(([^)\s]+\.(?:md|rst))\)`)
	rstLinkRE    = regexp.MustCompile("<([^>\\s]+\\.(?:md|rst))>`__")
	datePrefix   = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})-`)
	yearFolderRE = regexp.MustCompile(`^\d{4}/`)
	markdownRdr  = markup.NewMarkdown(markup.Limits{})
)

func measure(t *testing.T, opts Options) *corpusFacts {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		loc = time.UTC // the zone only shifts local times by hours
	}
	cfg := incident.Config{Location: loc, Matcher: incident.NewMatcher(incident.DefaultAliases())}
	c := &corpusFacts{systems: map[string]int{}, names: map[string]map[string]bool{}, files: map[string]File{}}
	name := func(key, title string) {
		if c.names[key] == nil {
			c.names[key] = map[string]bool{}
		}
		c.names[key][markup.NormalizeHeading(title)] = true
	}
	for f := range Generate(opts) {
		c.files[f.Path] = f
		rel := strings.TrimPrefix(f.Path, "content/")
		if f.Format != "" {
			c.sizes = append(c.sizes, len(f.Data))
			if yearFolderRE.MatchString(rel) {
				c.yearFolders++
			}
			if path.Base(rel) == "index.md" {
				c.bundles++
			}
		}
		switch f.Format {
		case "markdown":
			c.md++
			switch {
			case bytes.HasPrefix(f.Data, []byte("---\n")):
				c.yaml++
			case bytes.HasPrefix(f.Data, []byte("+++\n")):
				c.toml++
			default:
				c.bare++
			}
			d, err := markdownRdr.Read(rel, f.Data)
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			inc, err := incident.Extract(d, rel, cfg)
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			for _, s := range inc.Systems {
				c.systems[s]++
			}
			if !inc.Date.IsZero() {
				c.dates = append(c.dates, inc.Date.Time)
			} else {
				t.Errorf("%s: kb found no date", f.Path)
			}
			blank := false
			incident.Walk(inc.Sections, func(s *incident.Section) {
				if s.Canonical {
					name(s.Key, s.Title)
				}
				blank = blank || s.Empty
			})
			if blank {
				c.blankSections++
			}
			c.links += len(mdLinkRE.FindAll(f.Data, -1))
		case "rst":
			c.rst++
			var date string
			for _, m := range rstFieldRE.FindAllSubmatch(f.Data, -1) {
				switch string(m[1]) {
				case "systems":
					for _, s := range strings.Split(string(m[2]), ",") {
						c.systems[strings.TrimSpace(s)]++
					}
				case "date":
					date = string(m[2])
				}
			}
			if date == "" {
				date = datePrefix.FindStringSubmatch(path.Base(rel))[1]
			}
			v, ok := markup.ParseDate(date)
			switch v := v.(type) {
			case time.Time:
				c.dates = append(c.dates, v)
			case markup.LocalDate:
				c.dates = append(c.dates, v.Time)
			}
			if !ok {
				t.Errorf("%s: date %q does not parse", f.Path, date)
			}
			for _, m := range rstTitleRE.FindAllSubmatch(f.Data, -1) {
				if key, ok := cfg.Matcher.Canonical(markup.NormalizeHeading(string(m[1]))); ok {
					name(key, string(m[1]))
				}
			}
			c.links += len(rstLinkRE.FindAll(f.Data, -1))
		}
	}
	return c
}

// TestDistribution checks the shape of a corpus of 1000 with tolerances:
// nothing here is a number copied from a run.
func TestDistribution(t *testing.T) {
	const n = 1000
	c := measure(t, Options{N: n, Seed: 1})
	if got := c.md + c.rst; got != n {
		t.Fatalf("%d postmortems, want %d", got, n)
	}
	t.Logf("%d Markdown (%d YAML, %d TOML, %d bare), %d RST", c.md, c.yaml, c.toml, c.bare, c.rst)
	if share := float64(c.md) / n; share < 0.65 || share > 0.75 {
		t.Errorf("Markdown share %.2f, want about 0.70", share)
	}
	for kind, k := range map[string]int{"YAML": c.yaml, "TOML": c.toml, "no front matter": c.bare} {
		if float64(k)/float64(c.md) < 0.08 {
			t.Errorf("only %d of %d Markdown files have %s", k, c.md, kind)
		}
	}

	outside := 0
	for _, s := range c.sizes {
		if s < 2<<10 || s > 8<<10 {
			outside++
		}
	}
	if float64(outside)/n > 0.02 {
		t.Errorf("%d of %d files are outside 2-8 KB", outside, n)
	}
	sort.Ints(c.sizes)
	t.Logf("sizes: min %d, 10th %d, median %d, 90th %d, max %d; %d outside 2-8 KB",
		c.sizes[0], c.sizes[n/10], c.sizes[n/2], c.sizes[n*9/10], c.sizes[n-1], outside)
	if lo, hi := c.sizes[n/10], c.sizes[n*9/10]; hi-lo < 2<<10 {
		t.Errorf("sizes are bunched: 10th percentile %d, 90th %d", lo, hi)
	}

	// Zipf: the commonest system far above the median one, and most of
	// the vocabulary in use.
	counts := make([]int, 0, len(c.systems))
	for _, k := range c.systems {
		counts = append(counts, k)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(counts)))
	if len(counts) < len(systems)*3/4 {
		t.Errorf("only %d of %d systems appear", len(counts), len(systems))
	}
	top, median := counts[0], counts[len(counts)/2]
	t.Logf("systems: %d distinct, top %d, median %d", len(counts), top, median)
	if top < 5*median {
		t.Errorf("top system appears %d times, median %d: not skewed enough", top, median)
	}

	from := time.Date(2014, 12, 31, 0, 0, 0, 0, time.UTC)
	to := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	years := map[int]int{}
	for _, d := range c.dates {
		if d.Before(from) || d.After(to) {
			t.Errorf("date %v outside 2015-2024", d)
		}
		years[d.UTC().Year()]++
	}
	if len(c.dates) < n*95/100 {
		t.Errorf("only %d of %d dates read", len(c.dates), n)
	}
	for y := 2015; y <= 2024; y++ {
		if years[y] < n/40 {
			t.Errorf("only %d incidents in %d", years[y], y)
		}
	}

	t.Logf("dates by year: %v", years)
	t.Logf("%d links, %d bundles, %d in year folders, %d Markdown files with a blank section", c.links, c.bundles, c.yearFolders, c.blankSections)
	for _, a := range aliases {
		names := c.names[a.key]
		t.Logf("%s: %d names", a.key, len(names))
		if len(names) < 3 {
			t.Errorf("section %s appears under %d names, want at least 3: %v", a.key, len(names), slices.Sorted(maps.Keys(names)))
		}
	}
	if f := float64(c.blankSections) / float64(c.md); f < 0.05 || f > 0.7 {
		t.Errorf("%.2f of Markdown files have a section left blank, want some but not most", f)
	}
	if c.links < n/20 {
		t.Errorf("only %d links between postmortems", c.links)
	}
	if c.bundles == 0 || c.bundles > n/10 {
		t.Errorf("%d page bundles, want a few", c.bundles)
	}
	if c.yearFolders < n/10 || c.yearFolders > n/2 {
		t.Errorf("%d files in year folders, want some", c.yearFolders)
	}
}

// TestLinksPointAtGeneratedFiles: every relative link to a postmortem
// names a file of the same corpus.
func TestLinksPointAtGeneratedFiles(t *testing.T) {
	files := generate(Options{N: 300, Seed: 3})
	n := 0
	for p, f := range files {
		var targets [][]byte
		for _, m := range mdLinkRE.FindAllSubmatch(f.Data, -1) {
			targets = append(targets, m[1])
		}
		for _, m := range rstLinkRE.FindAllSubmatch(f.Data, -1) {
			targets = append(targets, m[1])
		}
		for _, tg := range targets {
			n++
			to := path.Join(path.Dir(p), string(tg))
			if _, ok := files[to]; !ok {
				t.Errorf("%s links to %s, which was not generated", p, to)
			}
		}
	}
	if n == 0 {
		t.Error("no links between postmortems")
	}
}

// TestAliasesMatchKB keeps the generator's section names in step with
// the aliases kb knows: each must map to the canonical key it stands for.
func TestAliasesMatchKB(t *testing.T) {
	m := incident.NewMatcher(incident.DefaultAliases())
	for _, a := range aliases {
		for _, name := range a.names {
			if key, ok := m.Canonical(markup.NormalizeHeading(name)); !ok || key != a.key {
				t.Errorf("%q: kb reads it as %q (known %v), want %s", name, key, ok, a.key)
			}
		}
	}
	for _, h := range houses {
		for _, sp := range h {
			for _, name := range sp.names {
				key, ok := m.Canonical(markup.NormalizeHeading(name))
				if sp.key == "" && ok {
					t.Errorf("%q is meant as a section kb does not know, but kb reads it as %s", name, key)
				}
				if sp.key != "" && key != sp.key {
					t.Errorf("%q: kb reads it as %q, want %s", name, key, sp.key)
				}
			}
		}
	}
}

func TestEmptyAndNegative(t *testing.T) {
	files := generate(Options{N: 0, Seed: 1})
	if len(files) != 1 || files["site.toml"].Data == nil {
		t.Errorf("N=0 should give site.toml alone, got %d files", len(files))
	}
	if _, err := Write(t.TempDir(), Options{N: -1}); err == nil {
		t.Error("Write accepted a negative N")
	}
}
