package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/linkcheck"
	"github.com/kb-postmortems/kb/internal/render"
)

// indexSite writes a site of more incidents than the home page lists:
// 2023 has more than two pages of them, 2022 a few, and some are undated.
func indexSite(t *testing.T, in2023, in2022, undated int) Config {
	t.Helper()
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("site.toml", "title = \"Index KB\"\nseverities = [\"SEV1\", \"SEV2\"]\n\n[systems]\nqueue = []\n")
	sevs := []string{"SEV1", "SEV2"}
	for i := range in2023 {
		write(fmt.Sprintf("content/2023/a-%03d.md", i), fmt.Sprintf("---\ntitle: Outage %d of 2023\ndate: 2023-%02d-%02d\nseverity: %s\nsystems: [api]\n---\n\n## Impact\n\nSlow.\n", i, 12-i%12, 1+i%28, sevs[i%2]))
	}
	for i := range in2022 {
		write(fmt.Sprintf("content/2022/b-%03d.md", i), fmt.Sprintf("---\ntitle: Outage %d of 2022\ndate: 2022-%02d-15\nseverity: SEV1\n---\n\n## Impact\n\nThe queue backed up.\n", i, 1+i%12))
	}
	for i := range undated {
		write(fmt.Sprintf("content/undated/c-%03d.md", i), fmt.Sprintf("---\ntitle: Undated outage %d\n---\n\n## Impact\n\nSlow.\n", i))
	}
	cfg, err := LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.OutputDir = "out"
	cfg.Layouts = kb.Layouts()
	cfg.Assets = kb.Assets()
	return cfg
}

var indexRowRE = regexp.MustCompile(`<tr data-sev="([^"]*)" data-year="([^"]*)" data-systems="([^"]*)">\s*<td class="date">.*?</td>\s*<td class="title"><a href="[./]*incidents/([^"]*)/">`)

// indexRows are the incidents a page lists as rows, by id, and their
// years.
func indexRows(page []byte) (ids, years []string) {
	for _, m := range indexRowRE.FindAllStringSubmatch(string(page), -1) {
		ids = append(ids, m[4])
		years = append(years, m[2])
	}
	return ids, years
}

// The home page lists the newest incidents, and the pages of each year,
// two hundred at a time, list every incident once: each is reachable by
// plain links, and no page grows with the site.
func TestIndexPagesReachEveryIncident(t *testing.T) {
	const in2023, in2022, undated = 2*render.DefaultPerPage + 17, 9, 3
	cfg := indexSite(t, in2023, in2022, undated)
	s, err := Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.Render(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	home, _ := indexRows(files["index.html"])
	if len(home) != render.DefaultPerPage {
		t.Errorf("the home page lists %d incidents, want %d", len(home), render.DefaultPerPage)
	}
	for _, want := range []string{`href="years/2023/"`, `href="years/2022/"`, `href="years/undated/"`, `<nav class="older"`} {
		if !strings.Contains(string(files["index.html"]), want) {
			t.Errorf("the home page has no %s", want)
		}
	}
	var pages []string
	for p := range files {
		if strings.HasPrefix(p, "years/") {
			pages = append(pages, p)
		}
	}
	sort.Strings(pages)
	want := map[string]int{
		"years/2023/index.html":        render.DefaultPerPage,
		"years/2023/page/2/index.html": render.DefaultPerPage,
		"years/2023/page/3/index.html": 17,
		"years/2022/index.html":        in2022,
		"years/undated/index.html":     undated,
	}
	if len(pages) != len(want) {
		t.Errorf("year pages %v, want %d", pages, len(want))
	}
	onYearPage := map[string]int{}
	for _, p := range pages {
		ids, years := indexRows(files[p])
		if n, ok := want[p]; !ok || len(ids) != n {
			t.Errorf("%s lists %d incidents, want %d", p, len(ids), n)
		}
		year := strings.Split(p, "/")[1]
		for i, id := range ids {
			onYearPage[id]++
			if years[i] != year {
				t.Errorf("%s lists %s of %s", p, id, years[i])
			}
		}
	}
	reached := map[string]bool{}
	for _, id := range home {
		reached[id] = true
	}
	for _, inc := range s.Incidents {
		if onYearPage[inc.ID] != 1 {
			t.Errorf("%s is on %d year pages, want 1", inc.ID, onYearPage[inc.ID])
		}
		reached[inc.ID] = reached[inc.ID] || onYearPage[inc.ID] > 0
		if !reached[inc.ID] {
			t.Errorf("%s is linked from neither the home page nor a year page", inc.ID)
		}
	}
	if n := len(s.Incidents); n != in2023+in2022+undated {
		t.Fatalf("%d incidents loaded, want %d", n, in2023+in2022+undated)
	}
	// A year page is as bounded as the home page: the largest is not
	// much larger than it.
	largest := 0
	for _, p := range pages {
		largest = max(largest, len(files[p]))
	}
	if h := len(files["index.html"]); largest > h+h/4 {
		t.Errorf("the largest year page is %d bytes, the home page %d", largest, h)
	}
}

// Every link of the home and year pages leads to a page of the site, at
// the root and under a base path.
func TestIndexPagesLinks(t *testing.T) {
	for _, base := range []string{"/", "/kb/"} {
		cfg := indexSite(t, render.DefaultPerPage+5, 4, 2)
		cfg.BaseURL = base
		if _, err := Build(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}
		probs, err := linkcheck.Check(os.DirFS(cfg.OutputPath()), base)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range probs {
			t.Errorf("base %s: %s", base, p)
		}
		for _, p := range []string{"index.html", "years/2023/index.html", "years/2023/page/2/index.html", "years/2022/index.html", "years/undated/index.html"} {
			if _, err := os.Stat(filepath.Join(cfg.OutputPath(), filepath.FromSlash(p))); err != nil {
				t.Errorf("base %s: %v", base, err)
			}
		}
	}
}
