package site

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A build with an absolute base URL publishes sitemap.xml listing every
// incident's page by its full address; a build without one publishes
// none, and says why to the logger.
func TestBuildSitemap(t *testing.T) {
	cfg := fixture(t, "basic")
	cfg.BaseURL = "https://kb.example.com/kb/"
	s, err := Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.Render(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sm := string(files["sitemap.xml"])
	if sm == "" {
		t.Fatal("no sitemap.xml")
	}
	if len(s.Incidents) == 0 {
		t.Fatal("no incidents in the fixture")
	}
	for _, inc := range s.Incidents {
		if u := "<loc>https://kb.example.com/kb/incidents/" + inc.ID + "/</loc>"; strings.Count(sm, u) != 1 {
			t.Errorf("%s not listed once in\n%s", u, sm)
		}
	}
	for _, u := range []string{"<loc>https://kb.example.com/kb/</loc>", "<loc>https://kb.example.com/kb/timeline/</loc>", "<loc>https://kb.example.com/kb/systems/</loc>"} {
		if !strings.Contains(sm, u) {
			t.Errorf("%s not listed", u)
		}
	}
	pages := 0
	for p := range files {
		if strings.HasSuffix(p, "index.html") && !strings.HasPrefix(p, "assets/") {
			pages++
		}
	}
	if n := strings.Count(sm, "<loc>"); n != pages {
		t.Errorf("%d addresses for %d pages", n, pages)
	}
	if strings.Contains(sm, "404") || strings.Contains(sm, "<lastmod>") {
		t.Errorf("404 page or lastmod listed:\n%s", sm)
	}

	for _, base := range []string{"/", "/kb/"} {
		cfg := fixture(t, "basic")
		cfg.BaseURL = base
		var log strings.Builder
		cfg.Logger = slog.New(slog.NewTextHandler(&log, nil))
		if _, err := Build(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(cfg.OutputPath(), "index.html")); err != nil {
			t.Fatalf("base %q: the site was not built: %v", base, err)
		}
		if _, err := os.Stat(filepath.Join(cfg.OutputPath(), "sitemap.xml")); !os.IsNotExist(err) {
			t.Errorf("base %q: sitemap.xml published (%v)", base, err)
		}
		if !strings.Contains(log.String(), "no sitemap.xml") {
			t.Errorf("base %q: nothing logged: %q", base, log.String())
		}
	}
}
