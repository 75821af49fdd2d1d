package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func runCmd(args ...string) (int, string, string) {
	var out, errw bytes.Buffer
	code := run(args, &out, &errw)
	return code, out.String(), errw.String()
}

func TestWritesAndSummarises(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "corpus")
	code, out, errs := runCmd("-n", "40", "-seed", "3", "-out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	m := regexp.MustCompile(`^wrote 40 postmortems \((\d+) Markdown, (\d+) RST, \d+\.\d MB\) to (.+)\n$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("unexpected summary %q", out)
	}
	if m[3] != dir {
		t.Errorf("summary names %q, want %q", m[3], dir)
	}
	var md, rst int
	err := filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		switch filepath.Ext(p) {
		case ".md":
			md++
		case ".rst":
			rst++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := m[1] + " " + m[2]; got != strconv.Itoa(md)+" "+strconv.Itoa(rst) {
		t.Errorf("summary says %s Markdown and RST, the folder holds %d and %d", got, md, rst)
	}
	if _, err := os.Stat(filepath.Join(dir, "site.toml")); err != nil {
		t.Error(err)
	}
}

func TestRefusesNonEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd("-n", "5", "-out", dir)
	if code != 2 || out != "" || !strings.Contains(errs, "is not empty") || !strings.Contains(errs, "-force") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("wrote into the folder it refused: %d entries", len(entries))
	}
	if code, _, errs := runCmd("-n", "5", "-out", dir, "-force"); code != 0 {
		t.Fatalf("-force: exit %d: %s", code, errs)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "notes.txt")); err != nil || string(b) != "mine" {
		t.Errorf("-force touched a file it did not generate: %q, %v", b, err)
	}
}

func TestMisuse(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-n", "-3", "-out", "x"},
		{"-out", "x", "extra"},
		{"-bogus"},
	} {
		code, out, errs := runCmd(args...)
		if code != 2 || out != "" || errs == "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	code, out, _ := runCmd("-h")
	if code != 0 || !strings.Contains(out, "usage: kbcorpus") {
		t.Errorf("-h: exit %d, stdout %q", code, out)
	}
}
