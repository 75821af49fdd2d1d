package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/site"
	"github.com/kb-postmortems/kb/internal/timeline"
)

// initInto runs kb init DIR with the clock at now and returns the files
// of the folder it made, by slash path.
func initInto(t *testing.T, now time.Time) (string, map[string][]byte) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "kb")
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, now: func() time.Time { return now }}
	if code := e.run(context.Background(), []string{"init", dir}); code != 0 {
		t.Fatalf("kb init: exit %d\n%s", code, errb.String())
	}
	got := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir, got
}

// TestInitDeterministic: the same binary writes the same bytes whatever
// the day, and exactly the files kept in the repository's init/ folder.
func TestInitDeterministic(t *testing.T) {
	_, a := initInto(t, time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
	_, b := initInto(t, time.Date(2031, 7, 8, 23, 59, 0, 0, time.FixedZone("X", 5*3600)))
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two runs of kb init wrote different files")
	}
	var names []string
	for n := range a {
		names = append(names, n)
	}
	slices.Sort(names)
	want := []string{
		".github/workflows/lint.yml",
		".github/workflows/pages.yml",
		".gitignore",
		"README.md",
		"content/2024-02-06-example.rst",
		"content/2024-03-12-example.md",
		"site.toml",
	}
	if !slices.Equal(names, want) {
		t.Errorf("kb init wrote\n%s\nwant\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	files, err := initFiles(kb.Init(), moduleVersion())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !bytes.Equal(a[f.name], f.data) {
			t.Errorf("%s differs from the embedded file", f.name)
		}
	}
}

// TestInitVersion: the workflows install the kb that wrote them when it
// has a version, and the latest one otherwise.
func TestInitVersion(t *testing.T) {
	for _, tt := range []struct{ version, want string }{
		{"v1.4.0", "KB_VERSION: v1.4.0"},
		{"", "KB_VERSION: latest"},
	} {
		files, err := initFiles(kb.Init(), tt.version)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range files {
			if !strings.HasSuffix(f.name, ".yml") {
				continue
			}
			n++
			if got := strings.Count(string(f.data), tt.want); got != 1 {
				t.Errorf("version %q: %s holds %q %d times, want once", tt.version, f.name, tt.want, got)
			}
		}
		if n != 2 {
			t.Errorf("%d workflows, want 2", n)
		}
	}
}

// settingLine is a commented-out setting of the generated site.toml, as
// opposed to a line of explanation.
var settingLine = regexp.MustCompile(`^# (\[|[a-z_-]+ = )`)

// TestInitConfig: the generated site.toml loads as the defaults, and
// uncommenting every setting still loads and changes none of the defaults
// it claims to show.
func TestInitConfig(t *testing.T) {
	dir, files := initInto(t, time.Now())
	cfg, err := site.LoadConfig(dir)
	if err != nil {
		t.Fatalf("site.toml does not load: %v", err)
	}
	def := site.Default(dir)
	if !reflect.DeepEqual(shownDefaults(cfg), shownDefaults(def)) {
		t.Errorf("site.toml as written is not the defaults:\n got %+v\nwant %+v", shownDefaults(cfg), shownDefaults(def))
	}

	var b strings.Builder
	n := 0
	for _, line := range strings.SplitAfter(string(files["site.toml"]), "\n") {
		if settingLine.MatchString(line) {
			line = strings.TrimPrefix(line, "# ")
			n++
		}
		b.WriteString(line)
	}
	if n < 15 {
		t.Fatalf("only %d commented settings in site.toml", n)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.toml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	all, err := site.LoadConfig(dir)
	if err != nil {
		t.Fatalf("site.toml with every setting uncommented does not load: %v\n%s", err, b.String())
	}
	if !reflect.DeepEqual(shownDefaults(all), shownDefaults(def)) {
		t.Errorf("an uncommented setting is not its default:\n got %+v\nwant %+v", shownDefaults(all), shownDefaults(def))
	}
	// The examples of vocabularies are examples, not defaults; they must
	// at least cover the sample postmortems, so uncommenting them keeps
	// lint clean.
	for _, s := range []string{"reporting", "feature-flags"} {
		if _, ok := all.Lint.Systems[s]; !ok {
			t.Errorf("the [systems] example lacks %q, which a sample postmortem names", s)
		}
	}
	for _, c := range []string{"disk-full", "config-change"} {
		if _, ok := all.Lint.Causes[c]; !ok {
			t.Errorf("the [causes] example lacks %q, which a sample postmortem names", c)
		}
	}
}

// defaults are the settings site.toml shows at their default values.
type defaults struct {
	Title, Description, Language, BaseURL  string
	ContentDir, OutputDir, StaticDir, Zone string
	Exclude                                int
	Recurrence                             time.Duration
	Required, Recommended, Disabled        []string
	Banner, Prefetch, Branch               string
}

func shownDefaults(c site.Config) defaults {
	r := c.RecurrenceWindow
	if r == 0 {
		r = timeline.DefaultRecurrenceWindow
	}
	return defaults{
		Title: c.Title, Description: c.Description, Language: c.Language, BaseURL: c.BaseURL,
		ContentDir: c.ContentDir, OutputDir: c.OutputDir, StaticDir: c.StaticDir, Zone: c.Location.String(),
		Exclude: len(c.Exclude), Recurrence: r,
		Required: c.Lint.Required, Recommended: c.Lint.Recommended, Disabled: slices.Clip(append([]string{}, c.Lint.Disabled...)),
		Banner: c.LintBanner, Prefetch: c.SearchPrefetch, Branch: c.Repo.Branch,
	}
}

// TestInitRefuses: a folder holding any of the files gets none of them,
// and the exit code is that of misuse.
func TestInitRefuses(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "site.toml"), []byte("title = \"Ours\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, now: time.Now}
	if code := e.run(context.Background(), []string{"init", dir}); code != 2 {
		t.Errorf("exit %d, want 2\n%s", code, errb.String())
	}
	if out.Len() != 0 {
		t.Errorf("stdout: %q", out.String())
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 {
		t.Errorf("kb init wrote into a folder it refused: %v", ents)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "site.toml")); string(b) != "title = \"Ours\"\n" {
		t.Errorf("site.toml was changed: %q", b)
	}
}
