package site

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/publish"
)

// An output folder in the content folder, at any depth, is read back as
// sources by the next build; one that holds the sources is deleted with
// them by the swap. Both are refused with a hint, whether site.toml or
// --dest names them.
func TestOutputFolderPlacement(t *testing.T) {
	root := t.TempDir()
	for _, tc := range []struct {
		content, out string
		refused      bool
	}{
		{"content", "site", false},
		{"content", "public/kb", false},
		{"content", "../elsewhere", false},
		{"content", "content-site", false},
		{"content", "content", true},
		{"content", "content/sub", true},
		{"content", "content/a/b/c", true},
		{"content", "content/./sub/..", true},
		{"content", ".", true},
		{"content", "..", true},
		{"docs/content", "docs", true},
		{"docs/content", "docs/content/site", true},
		{"docs/content", "docs/site", false},
		{"content", filepath.Join(root, "content", "abs"), true},
	} {
		cfg := Default(root)
		cfg.ContentDir, cfg.OutputDir = tc.content, tc.out
		err := checkFolders(cfg)
		if (err != nil) != tc.refused {
			t.Errorf("content %s, output %s: %v, want refused %v", tc.content, tc.out, err, tc.refused)
			continue
		}
		var pe *publish.Error
		if err != nil && (!errors.As(err, &pe) || pe.Hint == "") {
			t.Errorf("content %s, output %s: %v has no hint", tc.content, tc.out, err)
		}
	}
}

// Build refuses an output folder inside the content folder before it
// writes anything.
func TestBuildRefusesOutputInContent(t *testing.T) {
	cfg := fixture(t, "basic")
	cfg.OutputDir = filepath.Join(cfg.ContentDir, "site")
	_, err := Build(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "inside the content folder") {
		t.Fatalf("Build = %v, want the output folder refused", err)
	}
	if _, err := os.Stat(cfg.OutputPath()); err == nil {
		t.Error("the output folder was written")
	}
}
