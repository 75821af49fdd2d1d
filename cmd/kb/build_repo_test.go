package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBuildEditLinksFromActions: kb build in GitHub Actions links each
// incident to its file in the repository being built, from the run's
// environment, when site.toml names no repository; the same build
// elsewhere has no such links, and the same environment gives the same
// bytes.
func TestBuildEditLinksFromActions(t *testing.T) {
	ws := t.TempDir()
	src := filepath.Join(ws, "docs", "kb")
	if err := os.MkdirAll(filepath.Join(src, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "content", "2024-03-11-dns outage.md"), []byte("# DNS\n\n## Impact\n\nSlow.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	actions := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/kb",
		"GITHUB_REF": "refs/heads/main", "GITHUB_REF_NAME": "main", "GITHUB_WORKSPACE": ws,
	}
	build := func(vars map[string]string) string {
		t.Helper()
		dest := t.TempDir()
		var stdout, stderr bytes.Buffer
		e := &env{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return vars[k] }, now: func() time.Time { return time.Unix(0, 0) }}
		if code := e.run(context.Background(), []string{"build", "--source", src, "--dest", dest}); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		b, err := os.ReadFile(filepath.Join(dest, "incidents", "2024-03-11-dns-outage", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	page := build(actions)
	for _, want := range []string{
		`href="https://github.com/acme/kb/edit/main/docs/kb/content/2024-03-11-dns%20outage.md"`,
		`href="https://github.com/acme/kb/blob/main/docs/kb/content/2024-03-11-dns%20outage.md"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("in Actions, the page lacks %s", want)
		}
	}
	if again := build(actions); again != page {
		t.Errorf("the same input and environment gave two pages")
	}
	if page := build(nil); strings.Contains(page, "Edit this postmortem") {
		t.Errorf("outside Actions, the page has an edit link")
	}
}
