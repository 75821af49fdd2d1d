package site

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/golden"
	"github.com/kb-postmortems/kb/internal/linkcheck"
	"github.com/kb-postmortems/kb/internal/markup"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixture copies testdata/sites/name into a temporary folder and returns
// its configuration, writing into out/ there.
func fixture(t *testing.T, name string) Config {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, filepath.Join("testdata", "sites", name), dir)
	cfg, err := LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.OutputDir = "out"
	cfg.Layouts = kb.Layouts()
	cfg.Assets = kb.Assets()
	return cfg
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
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
			out[filepath.ToSlash(rel)] = b
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(t *testing.T, a, b map[string][]byte) {
	t.Helper()
	for k, v := range a {
		w, ok := b[k]
		if !ok {
			t.Errorf("%s missing in the second tree", k)
		} else if !bytes.Equal(v, w) {
			t.Errorf("%s differs:\n%s", k, golden.Diff(string(v), string(w)))
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			t.Errorf("%s only in the second tree", k)
		}
	}
}

// TestGolden compares every page of the basic fixture with the files under
// testdata/golden/basic; files.txt there lists every output path.
func TestGolden(t *testing.T) {
	cfg := fixture(t, "basic")
	s, err := Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.Render(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	golden.File(t, "testdata/golden/basic/files.txt", []byte(strings.Join(paths, "\n")+"\n"), *update)
	for _, p := range paths {
		if strings.HasSuffix(p, ".html") {
			golden.File(t, filepath.Join("testdata/golden/basic", filepath.FromSlash(p)), files[p], *update)
		}
	}
	var warn []string
	for _, w := range s.Warnings {
		warn = append(warn, w.Pos.String()+": "+w.Message)
	}
	golden.File(t, "testdata/golden/basic/warnings.txt", []byte(strings.Join(warn, "\n")+"\n"), *update)
}

func TestBuildIsDeterministic(t *testing.T) {
	cfg := fixture(t, "basic")
	var trees []map[string][]byte
	for i, workers := range []int{1, 4} {
		cfg.Workers = workers
		cfg.OutputDir = "out" + string(rune('a'+i))
		if _, err := Build(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}
		trees = append(trees, snapshot(t, cfg.OutputPath()))
	}
	sameTree(t, trees[0], trees[1])
}

func TestNoBrokenLinks(t *testing.T) {
	for _, base := range []string{"/", "/kb/", "https://example.github.io/kb/"} {
		cfg := fixture(t, "basic")
		cfg.BaseURL = base
		if _, err := Build(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}
		path := base
		if i := strings.Index(base, "://"); i >= 0 {
			path = base[strings.IndexByte(base[i+3:], '/')+i+3:]
		}
		probs, err := linkcheck.Check(os.DirFS(cfg.OutputPath()), path)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range probs {
			if strings.HasSuffix(p.Link, "gone.md") {
				continue // the fixture's deliberately broken link, left as written
			}
			t.Errorf("base %s: %s", base, p)
		}
	}
}

// TestBadInputKeepsSite builds a good tree, breaks it, and checks that the
// second build fails with positions for every problem and leaves the first
// site byte for byte.
func TestBadInputKeepsSite(t *testing.T) {
	cfg := fixture(t, "basic")
	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, cfg.OutputPath())
	content := cfg.ContentPath()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(content, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("2024-05-05-unterminated.md", "---\ntitle: x\n\n## Impact\n")
	write("2024-05-06-latin1.md", "# Caf\xe9 outage\n")
	write("2024-05-07-bad-type.md", "+++\ntitle = \"T\"\nsystems = 3.5\n+++\n")
	write("2024-05-08-bad-yaml.md", "---\ntitle: a: b\n---\n")
	if err := os.Symlink("loop-b.md", filepath.Join(content, "loop-a.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop-a.md", filepath.Join(content, "loop-b.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/hostname", filepath.Join(content, "outside.md")); err != nil {
		t.Fatal(err)
	}

	_, err := Build(context.Background(), cfg)
	var ce *ContentError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want *ContentError", err)
	}
	want := []string{
		"content/2024-05-05-unterminated.md:1:1: YAML front matter opened here is never closed",
		"content/2024-05-06-latin1.md:1:6: invalid UTF-8",
		"content/2024-05-07-bad-type.md:3:1: systems must be a list of names",
		"content/2024-05-08-bad-yaml.md:2",
		"content/loop-a.md: cannot follow symbolic link",
		"content/loop-b.md: cannot follow symbolic link",
		"content/outside.md: a symbolic link to outside content/ (/etc/hostname)",
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error does not mention %q:\n%s", w, msg)
		}
	}
	var pos []string
	for _, e := range flattenErrs(err) {
		var me *markup.Error
		if !errors.As(e, &me) {
			t.Errorf("%v carries no position", e)
			continue
		}
		if me.Hint == "" && !strings.Contains(me.Err.Error(), "symbolic") {
			t.Errorf("%v has no hint", e)
		}
		pos = append(pos, me.Pos.File)
	}
	if len(pos) != len(want) {
		t.Errorf("%d errors, want %d: %v", len(pos), len(want), pos)
	}
	sameTree(t, before, snapshot(t, cfg.OutputPath()))
	ents, _ := os.ReadDir(filepath.Dir(cfg.OutputPath()))
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".kb-") {
			t.Errorf("failed build left %s", e.Name())
		}
	}
}

func flattenErrs(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flattenErrs(e)...)
		}
		return out
	}
	return []error{err}
}

func TestBrokenTemplateKeepsSite(t *testing.T) {
	cfg := fixture(t, "basic")
	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, cfg.OutputPath())
	os.MkdirAll(cfg.LayoutsPath(), 0o755)
	os.WriteFile(filepath.Join(cfg.LayoutsPath(), "incident.html"), []byte(`{{define "main"}}{{.Incident.NoSuchField}}{{end}}`), 0o644)
	_, err := Build(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "layouts/incident.html") {
		t.Fatalf("err = %v, want one naming layouts/incident.html", err)
	}
	sameTree(t, before, snapshot(t, cfg.OutputPath()))
}

func TestLayoutOverride(t *testing.T) {
	cfg := fixture(t, "basic")
	os.MkdirAll(filepath.Join(cfg.LayoutsPath(), "partials"), 0o755)
	os.WriteFile(filepath.Join(cfg.LayoutsPath(), "partials", "footer.html"), []byte(`<footer>Owned by the SRE guild</footer>`), 0o644)
	os.MkdirAll(cfg.AssetsPath(), 0o755)
	os.WriteFile(filepath.Join(cfg.AssetsPath(), "extra.css"), []byte(`body{}`), 0o644)
	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(cfg.OutputPath(), "index.html"))
	if !bytes.Contains(b, []byte("Owned by the SRE guild")) {
		t.Error("the site's footer.html did not replace the default")
	}
	if _, err := os.Stat(filepath.Join(cfg.OutputPath(), "assets", "extra.css")); err != nil {
		t.Error("the site's own asset was not published")
	}
	if _, err := os.Stat(filepath.Join(cfg.OutputPath(), "assets", "kb.css")); err != nil {
		t.Error("default assets are missing beside the site's own")
	}
}

func TestOversizedFileIsTruncatedWithWarning(t *testing.T) {
	cfg := fixture(t, "basic")
	cfg.MaxFileSize = 4 << 10
	big := "# Huge\n\n" + strings.Repeat("All work and no play.\n", 1000)
	os.WriteFile(filepath.Join(cfg.ContentPath(), "2020-01-01-huge.md"), []byte(big), 0o644)
	res, err := Build(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range res.Site.Warnings {
		if strings.Contains(w.Message, "larger than max_file_size") && w.Pos.File == "content/2020-01-01-huge.md" && w.Pos.Line > 100 {
			found = true
		}
	}
	if !found {
		t.Errorf("no truncation warning with a line: %v", res.Site.Warnings)
	}
}

func TestOutputMustNotHoldSources(t *testing.T) {
	cfg := fixture(t, "basic")
	cfg.OutputDir = "."
	if _, err := Build(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "would contain the sources") {
		t.Fatalf("err = %v", err)
	}
}

type slowReader struct{ delay time.Duration }

func (r slowReader) Read(name string, src []byte) (*markup.Doc, error) {
	time.Sleep(r.delay)
	return &markup.Doc{Path: name}, nil
}

type panicReader struct{}

func (panicReader) Read(string, []byte) (*markup.Doc, error) { panic("boom") }

func TestReadGuarded(t *testing.T) {
	d, err := readGuarded(slowReader{time.Minute}, "content/x.md", []byte("[[[ text"), 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Message, "plain text") || markup.PlainText(d.Body) != "[[[ text" {
		t.Errorf("slow reader: %+v", d)
	}
	d, err = readGuarded(panicReader{}, "content/x.md", []byte("text"), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Message, "boom") || markup.PlainText(d.Body) != "text" {
		t.Errorf("panicking reader: %+v", d)
	}
}

// TestUnsafeImagesAreNotPublished: a postmortem can name any file as an
// image; only real images (and SVG that cannot run script) are copied.
func TestUnsafeImagesAreNotPublished(t *testing.T) {
	cfg := fixture(t, "basic")
	content := cfg.ContentPath()
	write := func(name, data string) {
		p := filepath.Join(content, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("2024-01-03-img.md", "# Images\n\n![a](payload.html) ![b](evil.svg) ![c](.hidden/secret.png) ![d](fake.png) ![e](ok.png) ![f](b)\n")
	write("payload.html", "<script>alert(document.domain)</script>")
	write("evil.svg", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	write(".hidden/secret.png", "\x89PNG\r\n\x1a\nsecret")
	write("fake.png", "<html><script>alert(1)</script>")
	write("ok.png", "\x89PNG\r\n\x1a\nfine")
	write("b", "\x89PNG") // named like a folder of pages below
	write("2024-01-03-img/b.md", "# Below\n")
	res, err := Build(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := cfg.OutputPath()
	for _, gone := range []string{"payload.html", "evil.svg", ".hidden/secret.png", "fake.png"} {
		if _, err := os.Stat(filepath.Join(out, "incidents", "2024-01-03-img", filepath.FromSlash(gone))); err == nil {
			t.Errorf("%s was published", gone)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "incidents", "2024-01-03-img", "ok.png")); err != nil {
		t.Errorf("a real PNG was not published: %v", err)
	}
	var msgs []string
	for _, w := range res.Site.Warnings {
		if strings.HasPrefix(w.Pos.File, "content/2024-01-03-img.md") {
			msgs = append(msgs, w.Message)
		}
	}
	if len(msgs) < 4 {
		t.Errorf("warnings = %q, want one per refused image", msgs)
	}
}

// A build cancelled while it writes leaves the previous site as it was and
// no stage beside it.
func TestCancelledBuildKeepsSite(t *testing.T) {
	for _, at := range []string{"rendering", "indexing", "publishing"} {
		t.Run(at, func(t *testing.T) {
			cfg := fixture(t, "basic")
			if _, err := Build(context.Background(), cfg); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, cfg.OutputPath())
			os.WriteFile(filepath.Join(cfg.ContentPath(), "2024-06-01-new.md"), []byte("# New\n\nText.\n"), 0o644)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cfg.Progress = func(stage string, _, _ int) {
				if stage == at {
					cancel()
				}
			}
			_, err := Build(ctx, cfg)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			sameTree(t, before, snapshot(t, cfg.OutputPath()))
			ents, _ := os.ReadDir(filepath.Dir(cfg.OutputPath()))
			for _, e := range ents {
				if strings.HasPrefix(e.Name(), ".kb-") {
					t.Errorf("cancelled build left %s", e.Name())
				}
			}
		})
	}
}

// Files of static/ give way to kb's own: a page, the service worker and
// the marker keep their names, and the build still succeeds.
func TestStaticGivesWay(t *testing.T) {
	cfg := fixture(t, "basic")
	static := cfg.StaticPath()
	for name, data := range map[string]string{
		"robots.txt":         "User-agent: *\n",
		"index.html":         "not the home page",
		"sw.js":              "not the worker",
		".kb-site":           "not the marker",
		"search/index.html":  "not the search page",
		"404.html/x.txt":     "under a page",
		"incidents/note.txt": "beside the incidents",
	} {
		p := filepath.Join(static, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Build(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := snapshot(t, cfg.OutputPath())
	for _, p := range []string{"index.html", "sw.js", ".kb-site", "search/index.html"} {
		if strings.HasPrefix(string(out[p]), "not ") {
			t.Errorf("static/%s replaced kb's %s", p, p)
		}
		// Each is said, with the file named.
		said := false
		for _, w := range res.Site.Warnings {
			if w.Pos.File == "static/"+p && strings.Contains(w.Message, "not published") && w.Hint != "" {
				said = true
			}
		}
		if !said {
			t.Errorf("static/%s gave way without a warning", p)
		}
	}
	if _, ok := out["404.html"]; !ok {
		t.Error("static/404.html/x.txt took the place of the 404 page")
	}
	if string(out["robots.txt"]) != "User-agent: *\n" || string(out["incidents/note.txt"]) != "beside the incidents" {
		t.Error("static files that clash with nothing were not published")
	}
}

// What Build publishes is what Render makes in memory, and the marker.
func TestRenderIsWhatBuildPublishes(t *testing.T) {
	cfg := fixture(t, "basic")
	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	published := snapshot(t, cfg.OutputPath())
	delete(published, ".kb-site")
	s, err := Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.Render(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sameTree(t, published, files)
}
