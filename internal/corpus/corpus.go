// Package corpus generates synthetic postmortem knowledge bases: a
// site.toml and a content folder of Markdown and reStructuredText files
// written the ways real teams write them. Benchmarks and tests use it to
// get a corpus of any size without shipping one. It does not read or build
// postmortems; that is the rest of kb.
//
// The output depends only on [Options]: the same seed and count give the
// same bytes on every platform, whatever GOMAXPROCS is. Every random choice
// comes from PCG streams of math/rand/v2 seeded from Options.Seed, one
// stream per file, and nothing iterates over a map.
//
// # What a corpus looks like
//
// About 70% of the files are Markdown, split between YAML front matter,
// TOML front matter and none (title from the first heading, date from the
// YYYY-MM-DD- prefix of the file name); the rest are reStructuredText with
// a field list for metadata, adorned titles and emoji in section titles.
// Files are 2–8 KB. Most sit in content/, some in year folders, a few are
// page bundles (a folder holding index.md and an image).
//
// Sections go by the many names templates give them (Root cause, Five
// whys, Contributing factors…); some are missing, some hold only the
// template's prompt or a TODO. Timelines come as tables, bullet lists,
// headings per time or chat logs. Systems and causes follow Zipf's law, so
// a few come up again and again; the text is assembled from templates about
// each cause ("postgres connections exhausted", "certificate has expired",
// "no space left on device"), so searching the corpus finds what it should.
package corpus

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// Options say what to generate.
type Options struct {
	// N is the number of postmortems.
	N int
	// Seed selects the corpus; the same seed and N give the same bytes.
	Seed uint64
	// Title is the site's title in site.toml; empty means a title that
	// names the seed.
	Title string
	// TimeZone goes into site.toml and is the zone of the dates written
	// without one; empty means Europe/Berlin.
	TimeZone string
}

// File is one generated file.
type File struct {
	// Path is relative to the corpus folder, slash-separated:
	// "site.toml", "content/2019/2019-03-02-dns-timeouts.md".
	Path string
	Data []byte
	// Format is "markdown", "rst", or "" for files that are not
	// postmortems (site.toml, images).
	Format string
}

// Stats count what [Write] wrote.
type Stats struct {
	Postmortems int
	Markdown    int
	RST         int
	Files       int
	Bytes       int64
}

// Generate yields the files of a corpus: site.toml first, then each
// postmortem (and the images of page bundles) in a fixed order.
func Generate(opts Options) iter.Seq[File] {
	return func(yield func(File) bool) {
		p := plan(opts)
		if !yield(File{Path: "site.toml", Data: siteTOML(opts)}) {
			return
		}
		for i := range p.incs {
			for _, f := range p.render(i) {
				if !yield(f) {
					return
				}
			}
		}
	}
}

// Write generates the corpus into dir, creating it if needed. Existing
// files of the same names are replaced; nothing else in dir is touched.
// Postmortems are generated and written by one worker per CPU; each file's
// bytes depend only on the options, never on which worker made it.
func Write(dir string, opts Options) (Stats, error) {
	var st Stats
	if opts.N < 0 {
		return st, errors.New("corpus: N must not be negative")
	}
	p := plan(opts)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return st, fmt.Errorf("corpus: %w", err)
	}
	site := File{Path: "site.toml", Data: siteTOML(opts)}
	if err := writeFile(dir, site); err != nil {
		return st, err
	}
	st.add(site)

	// One task per postmortem, at most one per CPU at a time; the first
	// error cancels the tasks not yet begun.
	var mu sync.Mutex
	g, ctx := errgroup.WithContext(context.Background())
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range p.incs {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if ctx.Err() != nil {
				return nil
			}
			var local Stats
			for _, f := range p.render(i) {
				if err := writeFile(dir, f); err != nil {
					return err
				}
				local.add(f)
			}
			mu.Lock()
			st.Postmortems += local.Postmortems
			st.Markdown += local.Markdown
			st.RST += local.RST
			st.Files += local.Files
			st.Bytes += local.Bytes
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return st, err
	}
	return st, nil
}

func (st *Stats) add(f File) {
	st.Files++
	st.Bytes += int64(len(f.Data))
	switch f.Format {
	case "markdown":
		st.Markdown++
		st.Postmortems++
	case "rst":
		st.RST++
		st.Postmortems++
	}
}

func writeFile(dir string, f File) error {
	name := filepath.Join(dir, filepath.FromSlash(f.Path))
	err := os.WriteFile(name, f.Data, 0o644)
	if errors.Is(err, fs.ErrNotExist) {
		if err = os.MkdirAll(filepath.Dir(name), 0o755); err == nil {
			err = os.WriteFile(name, f.Data, 0o644)
		}
	}
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	return nil
}

func (o Options) timeZone() string {
	if o.TimeZone == "" {
		return "Europe/Berlin"
	}
	return o.TimeZone
}

func siteTOML(o Options) []byte {
	title := o.Title
	if title == "" {
		title = fmt.Sprintf("Synthetic postmortems (seed %d)", o.Seed)
	}
	var b strings.Builder
	b.WriteString("# Generated by kbcorpus: a synthetic knowledge base for benchmarks and tests.\n")
	fmt.Fprintf(&b, "title = %s\n", tomlString(title))
	fmt.Fprintf(&b, "description = %s\n", tomlString(fmt.Sprintf("%d invented postmortems; every name, number and event in them is made up.", o.N)))
	fmt.Fprintf(&b, "timezone = %s\n", tomlString(o.timeZone()))
	return []byte(b.String())
}

// Source formats of a postmortem.
const (
	fmtYAML = iota // Markdown with YAML front matter
	fmtTOML        // Markdown with TOML front matter
	fmtBare        // Markdown without front matter
	fmtRST         // reStructuredText with a field list
)

// formatShare is the share of each format, in percent.
var formatShare = []float64{fmtYAML: 45, fmtTOML: 15, fmtBare: 10, fmtRST: 30}

// How a date is written in the metadata.
const (
	dfDate   = iota // 2019-03-02
	dfZoned         // 2019-03-02T14:05:00+01:00
	dfLocal         // 2019-03-02T14:05:00 (Markdown), 2019-03-02 14:05 (RST)
	dfString        // the zoned form as a quoted string
)

// planned is what is decided about every postmortem before any is written:
// enough for other postmortems to link to it.
type planned struct {
	index    int
	format   int
	path     string    // relative to content/, slash-separated
	local    time.Time // the wall-clock start as written (its zone is meaningless)
	offset   int       // minutes east of UTC, for zoned dates
	dateForm int
	sys      []int
	causes   []int
	severity string
	status   string
	authors  []string
	title    string
	slug     string
	bundle   bool
	minutes  int // how long it lasted
	hosts    []string
	httpCode string
	limit    int // the connection limit that ran out
}

type corpusPlan struct {
	opts   Options
	incs   []*planned
	people []string
	codes  []string
	// terms are invented words of the fictional company's own jargon:
	// job, table and dashboard names. A few are common, most are rare.
	terms     []string
	companies []string
	// byCause lists incidents by their main cause, in index order.
	byCause [][]int
}

var (
	systemZipf = newZipf(len(systems))
	causeZipf  = newZipf(len(causes))
)

func plan(opts Options) *corpusPlan {
	r := newRNG(opts.Seed, 0)
	p := &corpusPlan{opts: opts, byCause: make([][]int, len(causes))}
	p.people = people(r, 90)
	p.codes = codenames(r, 48)
	p.terms = inventWords(r, 1500)
	for range 40 {
		p.companies = append(p.companies, capitalize(pick(r, p.terms))+" "+pick(r, companySuffixes))
	}
	authorZipf := newZipf(len(p.people))
	taken := map[string]bool{}
	for i := 0; i < max(opts.N, 0); i++ {
		pr := newRNG(opts.Seed, uint64(2*i+1))
		inc := &planned{index: i}
		inc.format = pr.weighted(formatShare)
		inc.local, inc.offset = incidentTime(pr)
		inc.dateForm = pr.intn(4)
		inc.minutes = pr.between(8, 420)

		inc.causes = drawDistinct(pr, causeZipf, 1+pr.weighted([]float64{55, 32, 13}), nil)
		c := &causes[inc.causes[0]]
		var first []int
		if pr.chance(0.65) {
			// Affinity: a connection-exhaustion incident is usually about
			// a database. The first systems of the list are the likelier.
			first = []int{systemIndex(c.affinity[systemZipf.draw(pr)%len(c.affinity)])}
			if pr.chance(0.5) {
				first[0] = systemIndex(c.affinity[0])
			}
		}
		inc.sys = drawDistinct(pr, systemZipf, 1+pr.weighted([]float64{25, 35, 25, 15}), first)
		inc.severity = []string{"SEV1", "SEV2", "SEV3", "SEV4"}[pr.weighted([]float64{10, 25, 40, 25})]
		inc.status = []string{"resolved", "closed", "monitoring", "mitigated", "draft", "in review"}[pr.weighted([]float64{55, 15, 8, 8, 9, 5})]
		na := 1 + pr.weighted([]float64{60, 30, 10})
		for len(inc.authors) < na {
			a := p.people[authorZipf.draw(pr)]
			if !slices.Contains(inc.authors, a) {
				inc.authors = append(inc.authors, a)
			}
		}
		w := p.writer(inc, pr)
		inc.title = w.fill(pick(pr, c.titles))
		if inc.severity == "SEV1" && pr.chance(0.15) {
			inc.title = "SEV1: " + inc.title
		}
		inc.slug = slugify(inc.title, pr.between(3, 6))
		stem := inc.local.Format("2006-01-02") + "-" + inc.slug
		for n := 2; taken[stem]; n++ {
			stem = fmt.Sprintf("%s-%s-%d", inc.local.Format("2006-01-02"), inc.slug, n)
		}
		taken[stem] = true
		dir := ""
		if pr.chance(0.3) {
			dir = inc.local.Format("2006") + "/"
		}
		switch {
		case inc.format == fmtRST:
			inc.path = dir + stem + ".rst"
		case pr.chance(0.06):
			inc.bundle = true
			inc.path = dir + stem + "/index.md"
		default:
			inc.path = dir + stem + ".md"
		}
		p.incs = append(p.incs, inc)
		p.byCause[inc.causes[0]] = append(p.byCause[inc.causes[0]], i)
	}
	return p
}

// incidentTime draws a start between 2015 and 2024, more of them in later
// years as the fictional company grows, and the zone offset it is written
// with.
func incidentTime(r *rng) (time.Time, int) {
	year := 2015 + r.weighted([]float64{4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
	start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	days := time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24
	hour := r.weighted([]float64{2, 2, 2, 2, 2, 3, 4, 6, 8, 10, 10, 9, 8, 9, 10, 10, 9, 8, 6, 5, 4, 3, 3, 2})
	t := start.AddDate(0, 0, r.intn(int(days))).Add(time.Duration(hour)*time.Hour + time.Duration(r.intn(60))*time.Minute)
	offsets := []int{0, 0, 0, 60, 120, -300, -240, -480, 330, 540, 600}
	return t, pick(r, offsets)
}

// drawDistinct draws n distinct ranks from z, after the ones in first.
func drawDistinct(r *rng, z zipf, n int, first []int) []int {
	out := append([]int(nil), first...)
	for tries := 0; len(out) < n && tries < 100; tries++ {
		k := z.draw(r)
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// people invents n distinct names.
func people(r *rng, n int) []string {
	var out []string
	for len(out) < n {
		name := pick(r, firstNames) + " " + pick(r, lastNames)
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

var syllables = []string{
	"ar", "bel", "cor", "dun", "el", "fen", "gal", "hal", "is", "jor", "kel", "lum", "mar", "nor",
	"or", "pel", "quin", "ros", "sel", "tor", "ul", "ven", "wyn", "yar", "zan", "bri", "cal", "dra",
	"fal", "gri", "kor", "lin", "mor", "nix", "pax", "rin", "sol", "tam", "vel", "ox",
}

// codenames invents the internal project names a company accumulates.
func codenames(r *rng, n int) []string {
	var out []string
	for len(out) < n {
		k := 2 + r.intn(2)
		var b strings.Builder
		for range k {
			b.WriteString(pick(r, syllables))
		}
		name := capitalize(b.String())
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// inventWords makes n distinct pronounceable words, the jargon every
// company grows: names of jobs, tables, dashboards and tools.
func inventWords(r *rng, n int) []string {
	seen := map[string]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		var b strings.Builder
		for range 2 + r.intn(2) {
			b.WriteString(pick(r, syllables))
		}
		w := b.String()
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// slugify makes a file-name slug of at most n words of a title.
func slugify(title string, n int) string {
	var words []string
	for _, f := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	}) {
		switch f {
		case "the", "a", "an", "of", "on", "in", "to", "by", "and", "with", "after", "for", "sev1":
			continue
		}
		words = append(words, f)
		if len(words) == n {
			break
		}
	}
	if len(words) == 0 {
		return "incident"
	}
	return strings.Join(words, "-")
}

// relPath is the slash path from the folder of file from to file to,
// both relative to the content folder.
func relPath(from, to string) string {
	fd := strings.Split(path.Dir(from), "/")
	td := strings.Split(to, "/")
	if fd[0] == "." {
		fd = nil
	}
	i := 0
	for i < len(fd) && i < len(td)-1 && fd[i] == td[i] {
		i++
	}
	parts := make([]string, 0, len(fd)-i+len(td)-i)
	for range fd[i:] {
		parts = append(parts, "..")
	}
	parts = append(parts, td[i:]...)
	return strings.Join(parts, "/")
}

// render writes postmortem i and the files beside it.
func (p *corpusPlan) render(i int) []File {
	inc := p.incs[i]
	r := newRNG(p.opts.Seed, uint64(2*i+2))
	d := p.build(inc, r)
	var data []byte
	format := "markdown"
	if inc.format == fmtRST {
		format = "rst"
		data = fitSize(d, r, renderRST, rstBlockSize)
	} else {
		data = fitSize(d, r, renderMarkdown, mdBlockSize)
	}
	out := []File{{Path: "content/" + inc.path, Data: data, Format: format}}
	if inc.bundle {
		for _, b := range d.images() {
			out = append(out, File{Path: "content/" + path.Dir(inc.path) + "/" + b.lang, Data: chartSVG(r, b.text)})
		}
	}
	return out
}
