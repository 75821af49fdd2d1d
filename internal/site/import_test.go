package site

import (
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/when"
)

// importSite makes a site folder with an archive beside it, holding
// files, and returns the site's configuration and the archive's path.
func importSite(t *testing.T, toml string, files map[string]string) (Config, string) {
	t.Helper()
	dir := t.TempDir()
	root := filepath.Join(dir, "site")
	archive := filepath.Join(dir, "old")
	for _, d := range []string{filepath.Join(root, "content"), archive} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if toml != "" {
		if err := os.WriteFile(filepath.Join(root, ConfigFile), []byte(toml), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range files {
		p := filepath.Join(archive, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := LoadConfig(root)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Layouts, cfg.Assets = kb.Layouts(), kb.Assets()
	cfg.TempDir = t.TempDir()
	return cfg, archive
}

// hashTree maps every file under dir to a hash of its contents.
func hashTree(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = sha256.Sum256(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameHashes(t *testing.T, what string, before, after map[string][32]byte) {
	t.Helper()
	if len(before) != len(after) {
		t.Errorf("%s: %d files before, %d after", what, len(before), len(after))
	}
	for p, h := range before {
		if after[p] != h {
			t.Errorf("%s: %s changed", what, p)
		}
	}
}

func fileOf(rep *ImportReport, source string) (ImportFile, bool) {
	for _, f := range rep.Files {
		if f.Source == source {
			return f, true
		}
	}
	return ImportFile{}, false
}

func TestImportName(t *testing.T) {
	loc := time.FixedZone("", -7*3600)
	at := time.Date(2019, 3, 4, 14, 5, 0, 0, loc)
	long := strings.Repeat("word ", 20) // 100 characters of slug
	tests := []struct {
		name  string
		rel   string
		title string
		date  when.Date
		ext   string
		want  string
	}{
		{"minute", "0042.md", "Database outage", when.Date{Time: at, Precision: when.Minute}, ".md", "2019-03-04-database-outage.md"},
		{"day", "x/0042.md", "Database outage", when.Date{Time: at, Precision: when.Day}, ".md", "x/2019-03-04-database-outage.md"},
		{"month", "2019/03/cache", "Cache stampede", when.Date{Time: at, Precision: when.Month}, ".md", "2019/03/2019-03-cache-stampede.md"},
		{"year", "a/b.txt", "Queue: backlog", when.Date{Time: at, Precision: when.Year}, ".txt", "a/2019-queue-backlog.txt"},
		{"undated", "notes.rst", "What's next?", when.Date{}, ".rst", "whats-next.rst"},
		{"no slug from the title", "db-fail.md", "!!!", when.Date{}, ".md", "db-fail.md"},
		{"long title cut at a hyphen", "l.md", long, when.Date{}, ".md", strings.TrimSuffix(strings.Repeat("word-", 12), "-") + ".md"},
		{"page bundle keeps its name", "2019/dns/index.md", "DNS", when.Date{Time: at, Precision: when.Day}, ".md", "2019/dns/index.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := &incident.Incident{Title: tt.title, Date: tt.date}
			if got := importName(tt.rel, inc, tt.ext); got != tt.want {
				t.Errorf("importName(%q) = %q, want %q", tt.rel, got, tt.want)
			}
		})
	}
}

func TestCutSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"short", "short"},
		{strings.Repeat("a", 58) + "-b", strings.Repeat("a", 58) + "-b"},
		{strings.Repeat("a", 59) + "-b", strings.Repeat("a", 59)},
		{strings.Repeat("a", 60) + "-b", strings.Repeat("a", 60)},
		{"abc-" + strings.Repeat("d", 70), "abc"},
		{strings.Repeat("é", 40), strings.Repeat("é", 30)}, // no hyphen: cut between characters
	}
	for _, tt := range tests {
		if got := cutSlug(tt.in, 60); got != tt.want {
			t.Errorf("cutSlug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMetaDate(t *testing.T) {
	loc := time.FixedZone("", -7*3600)
	at := time.Date(2019, 3, 4, 14, 5, 0, 0, loc)
	tests := []struct {
		d    when.Date
		want string
	}{
		{when.Date{Time: at, Precision: when.Year}, "2019"},
		{when.Date{Time: at, Precision: when.Month}, "2019-03"},
		{when.Date{Time: at, Precision: when.Day}, "2019-03-04"},
		{when.Date{Time: at, Precision: when.Minute}, "2019-03-04 14:05 -07:00"},
		{when.Date{Time: at.Add(9 * time.Second), Precision: when.Minute}, "2019-03-04 14:05:09 -07:00"},
		{when.Date{}, ""},
	}
	for _, tt := range tests {
		if got := metaDate(tt.d); got != tt.want {
			t.Errorf("metaDate(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// TestWithMetadata checks where the metadata goes in each kind of file,
// and that the result reads back with it.
func TestWithMetadata(t *testing.T) {
	fields := []metaField{
		{key: "title", text: "Outage: db"},
		{key: "date", text: "2019-03-04 14:05 -07:00", date: true},
		{key: "systems", list: []string{"api", "db, primary"}},
	}
	tests := []struct {
		name, file, src, want string
	}{
		{
			name: "markdown without front matter",
			file: "a.md",
			src:  "# Outage: db\n\nText.\n",
			want: "---\ntitle: 'Outage: db'\ndate: 2019-03-04 14:05 -07:00\nsystems: [api, 'db, primary']\n---\n# Outage: db\n\nText.\n",
		},
		{
			name: "YAML front matter",
			file: "a.md",
			src:  "---\nseverity: SEV2\n---\nText.\n",
			want: "---\ntitle: 'Outage: db'\ndate: 2019-03-04 14:05 -07:00\nsystems: [api, 'db, primary']\nseverity: SEV2\n---\nText.\n",
		},
		{
			name: "TOML front matter",
			file: "a.md",
			src:  "+++\nseverity = \"SEV2\"\n[extra]\nx = 1\n+++\nText.\n",
			want: "+++\ntitle = \"Outage: db\"\ndate = \"2019-03-04 14:05 -07:00\"\nsystems = [\"api\", \"db, primary\"]\nseverity = \"SEV2\"\n[extra]\nx = 1\n+++\nText.\n",
		},
		{
			name: "CRLF and a byte-order mark",
			file: "a.md",
			src:  "\ufeff# Outage: db\r\n\r\nText.\r\n",
			want: "\ufeff---\r\ntitle: 'Outage: db'\r\ndate: 2019-03-04 14:05 -07:00\r\nsystems: [api, 'db, primary']\r\n---\r\n# Outage: db\r\n\r\nText.\r\n",
		},
		{
			name: "RST with a title",
			file: "a.rst",
			src:  "Outage: db\n==========\n\nText.\n",
			want: "Outage: db\n==========\n\n:title: Outage: db\n:date: 2019-03-04 14:05 -07:00\n:systems: api, db, primary\n\nText.\n",
		},
		{
			name: "RST with an overlined title and text right under it",
			file: "a.rst",
			src:  "==========\nOutage: db\n==========\nText.\n",
			want: "==========\nOutage: db\n==========\n\n:title: Outage: db\n:date: 2019-03-04 14:05 -07:00\n:systems: api, db, primary\n\nText.\n",
		},
		{
			name: "RST with a title and a field list",
			file: "a.rst",
			src:  "Outage: db\n==========\n\n:severity: SEV2\n\nText.\n",
			want: "Outage: db\n==========\n\n:title: Outage: db\n:date: 2019-03-04 14:05 -07:00\n:systems: api, db, primary\n:severity: SEV2\n\nText.\n",
		},
		{
			name: "RST without a title",
			file: "a.rst",
			src:  "Text.\n\nImpact\n------\n\nSome.\n\nCause\n-----\n\nOther.\n",
			want: ":title: Outage: db\n:date: 2019-03-04 14:05 -07:00\n:systems: api, db, primary\n\nText.\n\nImpact\n------\n\nSome.\n\nCause\n-----\n\nOther.\n",
		},
	}
	readers := Default(".").Readers()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, _ := readers.For(tt.file)
			doc, err := rd.Read(tt.file, []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			ext := filepath.Ext(tt.file)
			got, err := withMetadata([]byte(tt.src), ext, doc, fields)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Fatalf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			back, err := rd.Read(tt.file, got)
			if err != nil {
				t.Fatalf("the result does not read: %v", err)
			}
			for _, k := range []string{"title", "date", "systems"} {
				if _, ok := back.Lookup(k); !ok {
					t.Errorf("%s is not read as metadata; metadata: %v", k, back.Meta)
				}
			}
			if back.Title != doc.Title {
				t.Errorf("document title %q, was %q", back.Title, doc.Title)
			}
		})
	}
}

func TestYAMLQuoting(t *testing.T) {
	for _, title := range []string{"2019-03-04", "yes", "null", "a: b", "#1 outage", "- list", "\"quoted\"", "[x]", "tab\there", strings.Repeat("long title ", 20)} {
		block, err := yamlFields([]metaField{{key: "title", text: title}, {key: "systems", list: []string{title}}}, "\n")
		if err != nil {
			t.Fatal(err)
		}
		src := "---\n" + block + "---\nText.\n"
		fm, err := markup.SplitFrontMatter("a.md", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v\n%s", title, err, src)
		}
		want := oneLine(title)
		if len(fm.Fields) != 2 || fm.Fields[0].Value != want {
			t.Errorf("%q reads back as %#v\n%s", title, fm.Fields, src)
			continue
		}
		if l, ok := fm.Fields[1].Value.([]any); !ok || len(l) != 1 || l[0] != want {
			t.Errorf("[%q] reads back as %#v\n%s", title, fm.Fields[1].Value, src)
		}
	}
}

func TestImport(t *testing.T) {
	cfg, archive := importSite(t, "timezone = \"America/Denver\"\n[severities]\nSEV1 = [\"critical\"]\n", map[string]string{
		// A numbered name, the date and severity in the body.
		"0042-db-outage.md": "# Database outage\n\n**Date:** 2019-03-04 14:05\n**Severity:** Critical\n\n## Impact\n\nWrites failed.\n\n![graph](img/graph.png)\n",
		"img/graph.png":     "\x89PNG\r\n\x1a\n",
		// A year/month folder, no front matter.
		"2019/03/cache.md": "# Cache stampede\n\n## Impact\n\nSlow.\n",
		// Declared metadata is not written again.
		"2018-05-06-disk.md": "---\ntitle: Disk full\n---\n\n## Impact\n\nLost logs.\n",
		// TOML front matter.
		"2017/queue.md": "+++\nseverity = \"SEV1\"\n+++\n# Queue backlog\n\n## Impact\n\nLate.\n",
		// RST with a title; undated.
		"dns.rst": "DNS failure\n===========\n\nImpact\n------\n\nNothing resolved.\n\nCause\n-----\n\nA bad zone.\n",
		// A page bundle.
		"2016/lb/index.md": "# Load balancer\n\n## Impact\n\nDrops.\n",
		// Two files with the same new name.
		"2020/a/x.md":        "# Same\n\nDate: 2020-01-02\n",
		"2020/a/y.md":        "# Same\n\nDate: 2020-01-02\n",
		"log.md":             "---\nkind: log\n---\n# History\n\n## 2015-01-02 Power cut\n\nDark.\n\n## Undated thing\n\nSomething.\n",
		"report.docx":        "not a postmortem",
		".git/config":        "hidden",
		"2020/a/diagram.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
	})
	dest := filepath.Join(cfg.ContentPath(), "old")
	before := hashTree(t, archive)
	rep, err := Import(context.Background(), cfg, archive, dest, false)
	if err != nil {
		t.Fatal(err)
	}
	sameHashes(t, "archive", before, hashTree(t, archive))

	wantNew := map[string]string{
		"0042-db-outage.md":  "2019-03-04-database-outage.md",
		"2019/03/cache.md":   "2019/03/2019-03-cache-stampede.md",
		"2018-05-06-disk.md": "2018-05-06-disk-full.md",
		"2017/queue.md":      "2017/2017-queue-backlog.md",
		"dns.rst":            "dns-failure.rst",
		"2016/lb/index.md":   "2016/lb/index.md",
		"2020/a/x.md":        "2020/a/2020-01-02-same.md",
		"2020/a/y.md":        "2020/a/2020-01-02-same-2.md",
		"log.md":             "log.md",
		"img/graph.png":      "img/graph.png",
		"2020/a/diagram.svg": "2020/a/diagram.svg",
		"report.docx":        "",
	}
	for src, want := range wantNew {
		f, ok := fileOf(rep, src)
		if !ok {
			t.Errorf("%s is not in the report", src)
			continue
		}
		if f.New != want {
			t.Errorf("%s: new name %q, want %q", src, f.New, want)
		}
		if f.Err != nil || f.ReadErr != nil {
			t.Errorf("%s: %v %v", src, f.Err, f.ReadErr)
		}
	}
	if _, ok := fileOf(rep, ".git/config"); ok {
		t.Errorf("a hidden file is in the report")
	}
	if len(rep.Files) != len(wantNew) {
		t.Errorf("%d files in the report, want %d", len(rep.Files), len(wantNew))
	}

	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(p)))
		if err != nil {
			t.Error(err)
		}
		return string(b)
	}
	if got, want := read("2019-03-04-database-outage.md"), "---\ntitle: Database outage\ndate: 2019-03-04 14:05 -07:00\nseverity: SEV1\n---\n# Database outage\n"; !strings.HasPrefix(got, want) {
		t.Errorf("database outage:\n%s\nwant it to start with:\n%s", got, want)
	}
	if got, want := read("2018-05-06-disk-full.md"), "---\ndate: 2018-05-06\ntitle: Disk full\n---\n"; !strings.HasPrefix(got, want) {
		t.Errorf("disk full:\n%s\nwant it to start with:\n%s", got, want)
	}
	if got, want := read("2017/2017-queue-backlog.md"), "+++\ntitle = \"Queue backlog\"\ndate = \"2017\"\nseverity = \"SEV1\"\n+++\n"; !strings.HasPrefix(got, want) {
		t.Errorf("queue backlog:\n%s\nwant it to start with:\n%s", got, want)
	}
	if got, want := read("dns-failure.rst"), "DNS failure\n===========\n\n:title: DNS failure\n\nImpact\n"; !strings.HasPrefix(got, want) {
		t.Errorf("dns failure:\n%s\nwant it to start with:\n%s", got, want)
	}
	if got := read("2016/lb/index.md"); !strings.HasPrefix(got, "---\ntitle: Load balancer\ndate: 2016\n---\n") {
		t.Errorf("bundle:\n%s", got)
	}
	for _, p := range []string{"log.md", "img/graph.png", "2020/a/diagram.svg"} {
		b, _ := os.ReadFile(filepath.Join(archive, filepath.FromSlash(p)))
		if read(p) != string(b) {
			t.Errorf("%s was not copied as it was", p)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "report.docx")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file kb does not read was copied: %v", err)
	}

	var undated []string
	for _, u := range rep.Undated {
		undated = append(undated, u.File)
	}
	if got, want := strings.Join(undated, " "), "dns.rst log.md"; got != want {
		t.Errorf("undated: %s, want %s", got, want)
	}

	// The imported site reads with the dates from the metadata, as the
	// report said.
	s, err := Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]*incident.Incident{}
	for _, inc := range s.Incidents {
		byPath[inc.Path] = inc
	}
	for src, newPath := range map[string]string{"0042-db-outage.md": "old/2019-03-04-database-outage.md", "2019/03/cache.md": "old/2019/03/2019-03-cache-stampede.md", "2017/queue.md": "old/2017/2017-queue-backlog.md"} {
		inc := byPath[newPath]
		f, _ := fileOf(rep, src)
		if inc == nil {
			t.Errorf("%s is not read", newPath)
			continue
		}
		if inc.DateFrom != incident.FromMetadata || metaDate(inc.Date) != f.Date {
			t.Errorf("%s: date %s from %s, want %s from metadata", newPath, metaDate(inc.Date), inc.DateFrom, f.Date)
		}
	}
}

func TestImportNeverOverwrites(t *testing.T) {
	cfg, archive := importSite(t, "", map[string]string{
		"1.md":    "# One\n\nDate: 2021-01-01\n",
		"2.md":    "# Two\n\nDate: 2021-01-02\n",
		"pic.png": "\x89PNG\r\n\x1a\n",
	})
	dest := filepath.Join(cfg.ContentPath(), "old")
	// A file of the same name is already there.
	if err := os.MkdirAll(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(dest, "2021-01-01-one.md")
	if err := os.WriteFile(mine, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Import(context.Background(), cfg, archive, dest, false)
	if err != nil {
		t.Fatal(err)
	}
	failed := rep.Failed()
	if len(failed) != 1 || failed[0].Source != "1.md" || !errors.Is(failed[0].Err, fs.ErrExist) {
		t.Fatalf("failed: %+v", failed)
	}
	if b, _ := os.ReadFile(mine); string(b) != "mine\n" {
		t.Errorf("an existing file was overwritten: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dest, "2021-01-02-two.md")); err != nil {
		t.Errorf("the other files did not go on: %v", err)
	}

	// A second import writes nothing and changes nothing.
	before := hashTree(t, dest)
	rep, err = Import(context.Background(), cfg, archive, dest, false)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rep.Failed()); n != 3 {
		t.Errorf("%d files failed the second time, want 3", n)
	}
	if n := rep.Count(ImportPostmortem) + rep.Count(ImportCopied); n != 0 {
		t.Errorf("the second import counts %d files imported", n)
	}
	sameHashes(t, "destination", before, hashTree(t, dest))
}

func TestImportDryRunWritesNothing(t *testing.T) {
	cfg, archive := importSite(t, "", map[string]string{
		"a/1.md":  "# One\n\nDate: 2021-01-01\n",
		"a/p.png": "\x89PNG\r\n\x1a\n",
	})
	dest := filepath.Join(cfg.ContentPath(), "old")
	beforeSite := hashTree(t, filepath.Dir(cfg.ContentPath()))
	before := hashTree(t, archive)
	rep, err := Import(context.Background(), cfg, archive, dest, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dest); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a dry run made %s: %v", dest, err)
	}
	sameHashes(t, "site", beforeSite, hashTree(t, filepath.Dir(cfg.ContentPath())))
	sameHashes(t, "archive", before, hashTree(t, archive))
	if ents, _ := os.ReadDir(cfg.TempDir); len(ents) != 0 {
		t.Errorf("scratch files left behind: %v", ents)
	}
	f, _ := fileOf(rep, "a/1.md")
	if f.New != "a/2021-01-01-one.md" || f.Date != "2021-01-01" || strings.Join(f.Added, ",") != "title,date" {
		t.Errorf("dry run report: %+v", f)
	}
	if rep.Count(ImportPostmortem) != 1 || rep.Count(ImportCopied) != 1 {
		t.Errorf("counts: %d postmortems, %d copied", rep.Count(ImportPostmortem), rep.Count(ImportCopied))
	}
}

func TestImportRefusesNesting(t *testing.T) {
	cfg, archive := importSite(t, "", map[string]string{"1.md": "# One\n"})
	for _, dest := range []string{archive, filepath.Join(archive, "sub"), filepath.Dir(archive)} {
		if _, err := Import(context.Background(), cfg, archive, dest, true); !errors.Is(err, ErrImportNested) {
			t.Errorf("dest %s: err = %v, want ErrImportNested", dest, err)
		}
	}
	if _, err := Import(context.Background(), cfg, filepath.Join(archive, "1.md"), filepath.Join(cfg.ContentPath(), "x"), true); err == nil {
		t.Errorf("a file as the archive: no error")
	}
}

func TestImportUnreadableIsCopiedAsIs(t *testing.T) {
	cfg, archive := importSite(t, "", map[string]string{
		"bad.md": "---\ndate: someday\n---\n# Bad\n",
	})
	dest := filepath.Join(cfg.ContentPath(), "old")
	rep, err := Import(context.Background(), cfg, archive, dest, false)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := fileOf(rep, "bad.md")
	if f.ReadErr == nil || f.New != "bad.md" || f.Kind != ImportCopied {
		t.Fatalf("bad.md: %+v", f)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "bad.md")); string(b) != "---\ndate: someday\n---\n# Bad\n" {
		t.Errorf("bad.md was changed: %q", b)
	}
	var me *markup.Error
	if !errors.As(f.ReadErr, &me) || me.Pos.File != filepath.ToSlash(archive)+"/bad.md" {
		t.Errorf("read error names %v", f.ReadErr)
	}
}

func TestImportFormat(t *testing.T) {
	tests := []struct{ rel, format, want string }{
		{"a.md", "markdown", ".md"},
		{"a.markdown", "markdown", ".md"},
		{"a.MD", "text", ".md"}, // read as plain text after a timeout: still Markdown
		{"a.rst", "rst", ".rst"},
		{"a.txt", "text", ".txt"},
		{"a.txt", "markdown", ".md"}, // Markdown saved as .txt
		{"a", "markdown", ".md"},
		{"a", "rst", ".rst"},
		{"a", "text", ".txt"},
	}
	for _, tt := range tests {
		if got := importFormat(tt.rel, tt.format); got != tt.want {
			t.Errorf("importFormat(%q, %q) = %q, want %q", tt.rel, tt.format, got, tt.want)
		}
	}
}

// TestImportLinkOutside: a symbolic link in the archive that leads out
// of it is not followed, so nothing from elsewhere on the machine is
// copied into the site.
func TestImportLinkOutside(t *testing.T) {
	cfg, archive := importSite(t, "", map[string]string{"1.md": "# One\n\nDate: 2021-01-01\n"})
	secret := filepath.Join(t.TempDir(), "secret.png")
	if err := os.WriteFile(secret, []byte("\x89PNG\r\n\x1a\nnot yours"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(archive, "diagram.png")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	dest := filepath.Join(cfg.ContentPath(), "old")
	if _, err := Import(context.Background(), cfg, archive, dest, false); err != nil {
		t.Logf("import: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dest, "diagram.png")); err == nil {
		t.Errorf("the link's target outside the archive was copied into the site")
	}
}
