package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func leftovers(t *testing.T, parent string) []string {
	t.Helper()
	ents, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".kb-") {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

func TestPublishReplacesWholeSite(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "site")
	if err := Publish(dest, map[string][]byte{"index.html": []byte("one"), "incidents/a/index.html": []byte("a")}); err != nil {
		t.Fatal(err)
	}
	if err := Publish(dest, map[string][]byte{"index.html": []byte("two"), "incidents/b/index.html": []byte("b")}); err != nil {
		t.Fatal(err)
	}
	got := tree(t, dest)
	want := map[string]string{"index.html": "two", "incidents/b/index.html": "b", Marker: got[Marker]}
	if len(got) != len(want) || got["index.html"] != "two" || got["incidents/b/index.html"] != "b" {
		t.Errorf("site = %v, want %v (files of removed pages must disappear)", got, want)
	}
	if l := leftovers(t, parent); len(l) > 0 {
		t.Errorf("left behind: %v", l)
	}
}

func TestFailedPublishLeavesSiteAndNoStage(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "site")
	if err := Publish(dest, map[string][]byte{"index.html": []byte("good")}); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dest)
	for _, bad := range []string{"../escape.html", "/abs.html", "a/../../b", "", "a\\b"} {
		err := Publish(dest, map[string][]byte{"index.html": []byte("new"), bad: []byte("x")})
		if err == nil {
			t.Errorf("path %q accepted", bad)
		}
	}
	after := tree(t, dest)
	if len(after) != len(before) || after["index.html"] != "good" {
		t.Errorf("site changed by failed publish: %v", after)
	}
	if l := leftovers(t, parent); len(l) > 0 {
		t.Errorf("failed publish left %v", l)
	}
	if _, err := os.Stat(filepath.Join(parent, "escape.html")); err == nil {
		t.Error("a path escaped the site")
	}
}

func TestRefusesForeignFolder(t *testing.T) {
	dest := t.TempDir()
	if err := os.WriteFile(filepath.Join(dest, "thesis.tex"), []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Publish(dest, map[string][]byte{"index.html": []byte("x")})
	if err == nil || !strings.Contains(err.Error(), "did not write") {
		t.Fatalf("err = %v, want a refusal", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "thesis.tex")); string(b) != "precious" {
		t.Error("foreign file touched")
	}
}

func TestPublishIntoEmptyFolderAndFile(t *testing.T) {
	dest := t.TempDir() // exists, empty: fine
	if err := Publish(dest, map[string][]byte{"index.html": []byte("x")}); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o644)
	if err := Publish(f, map[string][]byte{"index.html": []byte("x")}); err == nil {
		t.Error("publishing over a file succeeded")
	}
}

func TestUnwritableParent(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("root ignores permissions")
	}
	parent := t.TempDir()
	dest := filepath.Join(parent, "site")
	if err := Publish(dest, map[string][]byte{"index.html": []byte("good")}); err != nil {
		t.Fatal(err)
	}
	os.Chmod(parent, 0o555)
	defer os.Chmod(parent, 0o755)
	if err := Publish(dest, map[string][]byte{"index.html": []byte("new")}); err == nil {
		t.Fatal("publish into a read-only parent succeeded")
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "good" {
		t.Error("site changed")
	}
}

func TestRefusesFilesKbDidNotWrite(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "site")
	if err := Publish(dest, map[string][]byte{"index.html": []byte("one")}); err != nil {
		t.Fatal(err)
	}
	// A gh-pages checkout: a .git folder and a CNAME added by hand.
	os.MkdirAll(filepath.Join(dest, ".git"), 0o755)
	os.WriteFile(filepath.Join(dest, ".git", "HEAD"), []byte("ref: refs/heads/gh-pages\n"), 0o644)
	os.WriteFile(filepath.Join(dest, "CNAME"), []byte("kb.example.org\n"), 0o644)
	err := Publish(dest, map[string][]byte{"index.html": []byte("two")})
	if err == nil || !strings.Contains(err.Error(), ".git/HEAD") || !strings.Contains(err.Error(), "CNAME") {
		t.Fatalf("err = %v, want a refusal naming .git/HEAD and CNAME", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "CNAME")); string(b) != "kb.example.org\n" {
		t.Error("CNAME lost")
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "one" {
		t.Error("site changed")
	}
}

func TestSweepsWhatKilledBuildsLeft(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "site")
	mk := func(name string) string {
		p := filepath.Join(parent, name)
		os.MkdirAll(filepath.Join(p, "incidents"), 0o755)
		return p
	}
	deadStage := mk(".kb-stage-site-999999999-123") // no such process
	liveStage := mk(fmt.Sprintf(".kb-stage-site-%d-456", os.Getppid()))
	oldSite := mk(".kb-old-site-789")
	otherOld := mk(".kb-old-site-old-789") // another output folder's
	rescue := mk(".kb-rescue-site-1")
	if err := Publish(dest, map[string][]byte{"index.html": []byte("x")}); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{deadStage: false, liveStage: true, oldSite: false, otherOld: true, rescue: true} {
		_, err := os.Stat(p)
		if (err == nil) != want {
			t.Errorf("%s exists = %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}
