package main

import (
	"bytes"
	"context"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// maxPageBytes is the most one HTML page of the example site may weigh,
// uncompressed: a page that reads well on a slow phone link arrives in a
// few round trips, and a list that outgrows this should page or summarise
// rather than grow without end.
const maxPageBytes = 50 * 1024

// TestPageWeight builds the example knowledge base as make site does and
// fails naming every HTML page over maxPageBytes, the largest first.
func TestPageWeight(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "--source", "../..", "--dest", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("kb build: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	type page struct {
		path string
		size int64
	}
	var pages, over []page
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		p := page{filepath.ToSlash(rel), info.Size()}
		pages = append(pages, p)
		if p.size > maxPageBytes {
			over = append(over, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The walk saw the pages of every kind, not an empty or partial site.
	for _, want := range []string{"index.html", "404.html", "timeline/index.html", "actions/index.html", "review/index.html", "search/index.html"} {
		found := false
		for _, p := range pages {
			found = found || p.path == want
		}
		if !found {
			t.Errorf("no %s in the built site", want)
		}
	}
	sort.Slice(over, func(i, j int) bool { return over[i].size > over[j].size })
	for _, p := range over {
		t.Errorf("%s is %d bytes, over the %d of a page", p.path, p.size, maxPageBytes)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].size > pages[j].size })
	for _, p := range pages[:min(3, len(pages))] {
		t.Logf("%s: %d bytes", p.path, p.size)
	}
}
