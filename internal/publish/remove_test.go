package publish

import (
	"os"
	"path/filepath"
	"testing"
)

// removeTree removes every file and folder at any depth, and removes
// links without following them.
func TestRemoveTree(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(root, "outside")
	dir := filepath.Join(root, "old")
	for _, p := range []string{"outside/keep.txt", "old/index.html", "old/incidents/a/index.html", "old/incidents/b/c/d/index.html", "old/search/index/x.gz"} {
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range []string{"old/link", "old/incidents/link"} {
		if err := os.Symlink(outside, filepath.Join(root, filepath.FromSlash(l))); err != nil {
			t.Fatal(err)
		}
	}
	if err := removeTree(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(dir); !os.IsNotExist(err) {
		t.Errorf("%s still there: %v", dir, err)
	}
	if _, err := os.Stat(filepath.Join(outside, "keep.txt")); err != nil {
		t.Errorf("a link was followed: %v", err)
	}
}
