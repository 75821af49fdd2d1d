package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/golden"
)

// archiveDir is a small site with one file per way real archives write
// their postmortems: dates in every place and form, metadata in the body,
// logs, plain text, blog exports and pages that are not incidents.
const archiveDir = "testdata/archive"

// TestArchiveInspect runs kb inspect --format json on every file of the
// archive fixture and compares what it read (kind, id, title, date and
// where it came from, metadata, sections, entries, warnings) with
// testdata/archive/golden/<file>.json; -update rewrites them. The
// rendered HTML and text are left out: other tests cover them, and they
// would bury the facts under review.
func TestArchiveInspect(t *testing.T) {
	content := filepath.Join(archiveDir, "content")
	var files []string
	err := filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".png") {
			return err
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 40 {
		t.Fatalf("only %d fixture files", len(files))
	}
	for _, f := range files {
		rel, _ := filepath.Rel(content, f)
		rel = filepath.ToSlash(rel)
		t.Run(rel, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"inspect", "--format", "json", "--source", archiveDir, f}, &stdout, &stderr)
			if code > 1 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			var v map[string]any
			if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
				t.Fatalf("%v: %s", err, stdout.String())
			}
			delete(v, "html")
			delete(v, "text")
			got, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.File(t, path.Join(archiveDir, "golden", rel+".json"), append(got, '\n'), *update)
		})
	}
}

// TestArchiveBuild builds the archive fixture: every postmortem is dated
// unless it says nothing, logs give one page per entry, pages are pages,
// drafts and excluded files stay out, and every internal link resolves.
func TestArchiveBuild(t *testing.T) {
	dest := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "--source", archiveDir, "--dest", dest}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, p := range []string{
		"incidents/logs/ops-log/index.html",
		"incidents/logs/ops-log/search-results-empty/index.html",
		"incidents/logs/history/index.html",
		"pages/pages/index.html",
		"pages/pages/about/index.html",
		"pages/pages/template/index.html",
		"incidents/exports/hugo-bundle/index.html",
		"incidents/text/plain-post/index.html",
		"files/media/graph.png",
	} {
		if _, err := os.Stat(filepath.Join(dest, p)); err != nil {
			t.Errorf("missing %s", p)
		}
	}
	for _, p := range []string{"incidents/exports/draft/index.html", "incidents/pages/meeting-notes/2023-01-01/index.html", "pages/pages/meeting-notes/2023-01-01/index.html"} {
		if _, err := os.Stat(filepath.Join(dest, p)); err == nil {
			t.Errorf("%s was published", p)
		}
	}
	home, err := os.ReadFile(filepath.Join(dest, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(home), `<span class="none">undated</span>`); n > 3 {
		t.Errorf("%d undated incidents on the home page, want at most the three that say nothing", n)
	}
	if !strings.Contains(stderr.String(), "outside the content folder") {
		t.Errorf("no warning for the image outside the content folder:\n%s", stderr.String())
	}
}
