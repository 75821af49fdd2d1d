// Package bench measures kb on generated corpora and sets it beside what
// users would pick instead: Hugo building the Markdown part of the same
// corpus, and Pagefind indexing kb's own output and answering in the same
// browser. It produces one table; cmd/kbbench prints it and make bench
// runs it. It is a tool for the developers of kb, not part of kb.
package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/kb-postmortems/kb/internal/corpus"
)

// Config says what to measure and with which programs. Empty program
// paths skip their columns.
type Config struct {
	Sizes    []int
	Runs     int
	Seed     uint64
	Work     string // scratch folder for corpora, sites and profiles
	KB       string // the kb binary
	Hugo     string
	Pagefind string
	Chromium string
	// Shapes also builds one 8 MB file of each shape alone.
	Shapes bool
	Log    io.Writer // progress; nil for none
}

// Row is every figure for one corpus size.
type Row struct {
	N             int
	Markdown, RST int
	CorpusBytes   int64
	Build, Lint   Timing
	Stages        []StageTime // kb build --stats, median of each stage
	SiteBytes     int64
	IndexRaw      int64
	IndexGzip     int64
	WasmRaw       int64
	WasmGzip      int64
	Hugo          Timing
	HugoPages     int
	Pagefind      Timing
	// PagefindFailed says why Pagefind gave no index (at 100,000
	// incidents it ran out of 24 GB); its rows are then left empty.
	PagefindFailed   string
	PagefindBytes    int64
	KBSearch, PFFind SearchTimes
}

// Run generates each corpus and measures it, then the single files.
func Run(ctx context.Context, cfg Config) ([]Row, []Shape, error) {
	if cfg.Runs < 1 {
		cfg.Runs = 3
	}
	// Hugo resolves its destination against its source, so every path
	// handed to the programs measured is absolute.
	work, err := filepath.Abs(cfg.Work)
	if err != nil {
		return nil, nil, fmt.Errorf("bench: %w", err)
	}
	cfg.Work = work
	rows, err := runCorpora(ctx, cfg)
	if err != nil || !cfg.Shapes {
		return rows, nil, err
	}
	shapes, err := measureShapes(ctx, cfg)
	return rows, shapes, err
}

func runCorpora(ctx context.Context, cfg Config) ([]Row, error) {
	logf := func(format string, args ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, format+"\n", args...)
		}
	}
	var rows []Row
	for _, n := range cfg.Sizes {
		r := Row{N: n}
		dir := filepath.Join(cfg.Work, fmt.Sprintf("corpus-%d", n))
		os.RemoveAll(dir)
		logf("generating %d postmortems", n)
		st, err := corpus.Write(dir, corpus.Options{N: n, Seed: cfg.Seed})
		if err != nil {
			return nil, err
		}
		r.Markdown, r.RST, r.CorpusBytes = st.Markdown, st.RST, st.Bytes
		site := filepath.Join(cfg.Work, fmt.Sprintf("site-%d", n))
		os.RemoveAll(site)

		logf("kb build ×%d", cfg.Runs)
		if r.Build, err = measure(ctx, cfg.Runs, "", []int{0}, cfg.KB, "build", "--stats", "--source", dir, "--dest", site); err != nil {
			return nil, err
		}
		var stages [][]StageTime
		for _, out := range r.Build.Outputs {
			stages = append(stages, parseStages(out))
		}
		r.Stages = medianStages(stages)
		r.Build.Outputs = nil
		logf("kb lint ×%d", cfg.Runs)
		if r.Lint, err = measure(ctx, cfg.Runs, "", []int{0, 1}, cfg.KB, "lint", "--source", dir, "--format", "json"); err != nil {
			return nil, err
		}
		if r.SiteBytes, err = dirSize(site, nil); err != nil {
			return nil, err
		}
		if r.IndexRaw, r.IndexGzip, err = sizes(filepath.Join(site, "search", "index")); err != nil {
			return nil, err
		}
		if r.WasmRaw, r.WasmGzip, err = sizes(filepath.Join(site, "search", "kbsearch.wasm.gz")); err != nil {
			return nil, err
		}

		if cfg.Hugo != "" {
			hsite := filepath.Join(cfg.Work, fmt.Sprintf("hugo-%d", n))
			os.RemoveAll(hsite)
			if r.HugoPages, err = hugoSite(dir, hsite); err != nil {
				return nil, err
			}
			logf("hugo ×%d (%d Markdown pages)", cfg.Runs, r.HugoPages)
			if r.Hugo, err = measure(ctx, cfg.Runs, hsite, []int{0}, cfg.Hugo, "--quiet", "--source", hsite, "--destination", filepath.Join(hsite, "public")); err != nil {
				return nil, err
			}
		}
		if cfg.Pagefind != "" {
			logf("pagefind ×%d", cfg.Runs)
			if r.Pagefind, err = measure(ctx, cfg.Runs, "", []int{0}, cfg.Pagefind, "--site", site, "--quiet"); err != nil {
				// A comparison that fails is a finding, not a reason
				// to lose the run's other numbers.
				r.PagefindFailed = firstLine(err.Error())
				logf("pagefind failed: %s", r.PagefindFailed)
				rows = append(rows, r)
				continue
			}
			if r.PagefindBytes, err = dirSize(filepath.Join(site, "pagefind"), nil); err != nil {
				return nil, err
			}
			if cfg.Chromium != "" {
				logf("search in Chromium ×%d", cfg.Runs)
				if r.KBSearch, r.PFFind, err = measureSearch(ctx, cfg, site, coldWord, warmWords()); err != nil {
					return nil, err
				}
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// coldWord is the query of the cold visits: a word of the generated
// corpus that only the text of incidents holds, in about one in seven
// of them, never a title, heading, system or cause, so that no list of
// titles can answer it and the first result is a full-text one.
const coldWord = "holiday"

// warmWords are typed one after another into a loaded search box.
func warmWords() []string {
	return []string{"certificate", "disk", "kafka", "latency", "timeout", "rollback", "dns", "memory",
		"replica", "quota", "cache", "deploy", "queue", "vault", "connections"}
}

// hugoSite lays out the Markdown part of a corpus as a Hugo site with
// layouts that render every page (title, date and content, highlighted
// code), and a home page listing them all, as kb's does. RSS, sitemaps and
// taxonomies are off: kb makes none of them.
func hugoSite(corpusDir, dir string) (int, error) {
	n, err := copyMarkdown(filepath.Join(corpusDir, "content"), filepath.Join(dir, "content"))
	if err != nil {
		return 0, err
	}
	files := map[string]string{
		"config.toml": `baseURL = "/"
title = "bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[frontmatter]
date = [":default", ":filename"]
[markup.highlight]
noClasses = false
[markup.goldmark.renderer]
unsafe = true
`,
		"layouts/_default/baseof.html": `<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main>{{ block "main" . }}{{ end }}</main></body></html>`,
		"layouts/_default/single.html": `{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}</p><nav>{{ .TableOfContents }}</nav>{{ .Content }}{{ end }}`,
		"layouts/_default/list.html":   `{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}`,
		"layouts/index.html":           `{{ define "main" }}<ul>{{ range .Site.RegularPages.ByDate.Reverse }}<li>{{ .Date.Format "2006-01-02" }} <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}`,
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return 0, err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// Machine describes where the figures were taken.
func Machine() string {
	cpu := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				cpu = strings.TrimSpace(l[strings.IndexByte(l, ':')+1:])
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kbytes int64
		fmt.Sscanf(strings.TrimPrefix(strings.SplitN(string(b), "\n", 2)[0], "MemTotal:"), "%d", &kbytes)
		mem = fmt.Sprintf(", %.0f GB", float64(kbytes)/(1<<20))
	}
	return fmt.Sprintf("%d CPUs%s%s, %s %s/%s", runtime.NumCPU(), func() string {
		if cpu != "" {
			return " (" + cpu + ")"
		}
		return ""
	}(), mem, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// Versions names the programs compared.
func Versions(cfg Config) string {
	v := func(name string, args ...string) string {
		if name == "" {
			return "absent"
		}
		out, err := exec.Command(name, args...).Output() // stdout: launchers chatter on stderr
		if err != nil {
			return "?"
		}
		return strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	}
	return fmt.Sprintf("%s; %s; %s; %s", v(cfg.KB, "version"), v(cfg.Hugo, "version"), v(cfg.Pagefind, "--version"), v(cfg.Chromium, "--version"))
}

// ratio formats a/b.
func ratio(a, b time.Duration) string {
	if b <= 0 || a <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", float64(a)/float64(b))
}

// firstLine is the first line of s, cut to 160 bytes.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
