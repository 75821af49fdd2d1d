package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/spool"
	"github.com/kb-postmortems/kb/internal/when"
)

// What kb import does with a file of the archive.
const (
	// ImportPostmortem is a postmortem: renamed after its date and title,
	// with what kb inferred written into it as metadata.
	ImportPostmortem = "postmortem"
	// ImportLog and ImportPage are copied as they are.
	ImportLog  = "log"
	ImportPage = "page"
	// ImportCopied is an image or another file kb does not read, or a
	// file it could not read (ReadErr), copied as it is.
	ImportCopied = "copied"
	// ImportNotRead is a file a build would name in a warning and not
	// read: it is not copied.
	ImportNotRead = "not read"
)

// ImportReport is what kb import did, or with a dry run would do. cmd/kb
// prints it.
type ImportReport struct {
	// Source and Dest are the archive and the folder it is copied into,
	// as given.
	Source string `json:"source"`
	Dest   string `json:"dest"`
	DryRun bool   `json:"dry_run"`
	// Files are the archive's files, in path order.
	Files []ImportFile `json:"files"`
	// Undated are the postmortems and log entries that have no date.
	Undated []ImportUndated `json:"undated"`
	// Warnings are what a build would say about the archive's files.
	Warnings []markup.Warning `json:"warnings"`
	// Errors are problems with the archive's folders (one that cannot be
	// read, a symbolic link that leaves it): what they hold is not
	// imported.
	Errors []error `json:"-"`
}

// ImportFile is one file of the archive.
type ImportFile struct {
	// Source is the file's path in the archive, New its path in the
	// destination ("" when it is not copied); both slash-separated.
	Source string `json:"source"`
	New    string `json:"new,omitempty"`
	Kind   string `json:"kind"`
	// Title, Date, DateFrom, Severity and Systems are what kb read from a
	// postmortem; Date is written as it is in the metadata ("2019-03-04",
	// "2019-03-04 14:05 -07:00", "2019-03", "2019").
	Title    string   `json:"title,omitempty"`
	Date     string   `json:"date,omitempty"`
	DateFrom string   `json:"date_from,omitempty"`
	Severity string   `json:"severity,omitempty"`
	Systems  []string `json:"systems,omitempty"`
	// Entries is how many incidents a log holds.
	Entries int `json:"entries,omitempty"`
	// Added are the metadata keys written into a postmortem.
	Added []string `json:"added,omitempty"`
	// ReadErr is why a file kb reads could not be read: a build would
	// stop on it. The file is copied as it is, to be fixed where it lands.
	ReadErr error `json:"-"`
	// Err is why the file was not written: it exists (errors.Is
	// fs.ErrExist), or the disk refused.
	Err error `json:"-"`

	abs  string // where the file is read from
	data []byte // what is written; nil to copy abs as it is
}

// ImportUndated is a postmortem, or an entry of a log (Line > 0), that
// has no date.
type ImportUndated struct {
	File  string `json:"file"` // in the archive
	Line  int    `json:"line,omitempty"`
	Title string `json:"title"`
}

// Count is how many files of a kind are (or would be) imported: written,
// or with a dry run to be written, without error.
func (r *ImportReport) Count(kind string) int {
	n := 0
	for _, f := range r.Files {
		if f.Kind == kind && f.New != "" && f.Err == nil {
			n++
		}
	}
	return n
}

// Failed are the files that were not written.
func (r *ImportReport) Failed() []ImportFile {
	var out []ImportFile
	for _, f := range r.Files {
		if f.Err != nil {
			out = append(out, f)
		}
	}
	return out
}

// Unreadable are the files copied as they are because they could not be
// read.
func (r *ImportReport) Unreadable() []ImportFile {
	var out []ImportFile
	for _, f := range r.Files {
		if f.ReadErr != nil {
			out = append(out, f)
		}
	}
	return out
}

// ErrImportNested is an archive and a destination of which one holds the
// other: importing would read what it writes.
var ErrImportNested = errors.New("one folder is inside the other")

// Import copies the archive in source into dest, reading it exactly as a
// build reads a content folder with cfg (its zone, vocabularies, aliases,
// and its exclude, logs and pages globs): each postmortem is renamed
// after its date and title (YYYY-MM-DD-slug.md, YYYY-MM-slug, YYYY-slug
// or slug) in the folder it had, and what was inferred and not declared
// (title, date, severity, systems, authors) is written into it as
// metadata. Logs, pages, images and other files kb does not read are
// copied as they are. source is never modified and no file is
// overwritten: a file that exists is an error for that file, in the
// report, and the others go on. With dryRun nothing is written.
//
// The error is for a call that cannot start: source is not a folder, one
// folder is inside the other, the site's configuration is wrong.
func Import(ctx context.Context, cfg Config, source, dest string, dryRun bool) (*ImportReport, error) {
	absSrc, err := filepath.Abs(source)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(absSrc)
	if err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", source)
	}
	absDest, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	if nested(absSrc, absDest) {
		return nil, fmt.Errorf("%s and %s: %w", filepath.ToSlash(filepath.Clean(source)), filepath.ToSlash(filepath.Clean(dest)), ErrImportNested)
	}
	rep := &ImportReport{Source: filepath.ToSlash(source), Dest: filepath.ToSlash(dest), DryRun: dryRun}
	label := filepath.ToSlash(filepath.Clean(source))

	// The archive is read as the content folder of this site.
	acfg := cfg
	acfg.ContentDir = absSrc
	readers := acfg.Readers()
	icfg, err := acfg.incidentConfig(readers)
	if err != nil {
		return nil, err
	}
	exclude, err := compileGlobs(acfg.Exclude)
	if err != nil {
		return nil, err
	}
	srcs, skipped, errs := findSources(acfg, readers)
	// Messages name files as the archive was given, never by an
	// absolute path.
	relabel := func(p string) string {
		abs := filepath.FromSlash(p)
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(acfg.Root, abs)
		}
		if a, err := filepath.Abs(abs); err == nil {
			if r, err := filepath.Rel(absSrc, a); err == nil && !strings.HasPrefix(r, "..") {
				return path.Join(label, filepath.ToSlash(r))
			}
		}
		return p
	}
	for i := range srcs {
		srcs[i].name = path.Join(label, srcs[i].rel)
	}
	notReadAt := map[string]int{} // archive path → index in rep.Files
	for i := range skipped {
		skipped[i].Pos.File = relabel(skipped[i].Pos.File)
	}
	rep.Warnings = append(rep.Warnings, skipped...)
	for _, e := range errs {
		var me *markup.Error
		if errors.As(e, &me) {
			me.Pos.File = relabel(me.Pos.File)
		}
		rep.Errors = append(rep.Errors, e)
	}

	results := readAll(ctx, srcs, acfg, readers, icfg, spool.Memory(), nil)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	handled := map[string]bool{} // archive paths already in rep.Files
	var assets []string          // archive paths of the images files show
	var posts []int              // indexes in rep.Files of the postmortems
	docs := map[int]*incident.Incident{}
	for i, r := range results {
		src := srcs[i]
		rep.Warnings = append(rep.Warnings, r.warn...)
		f := ImportFile{Source: src.rel, abs: src.abs}
		handled[src.rel] = true
		switch {
		case r.err != nil:
			f.Kind, f.ReadErr = ImportCopied, r.err
		case r.file == nil:
			f.Kind = ImportNotRead
		case r.file.Kind == incident.KindIncident && len(r.file.Incidents) == 1:
			inc := r.file.Incidents[0]
			f.Kind = ImportPostmortem
			f.Title, f.Severity, f.Systems = inc.Title, inc.Severity, inc.Systems
			f.Date, f.DateFrom = metaDate(inc.Date), inc.DateFrom
			if inc.Date.IsZero() {
				rep.Undated = append(rep.Undated, ImportUndated{File: src.rel, Title: inc.Title})
			}
			docs[len(rep.Files)] = inc
			posts = append(posts, len(rep.Files))
			assets = appendAssets(assets, src.rel, inc.Doc.Assets)
		case r.file.Kind == incident.KindLog:
			f.Kind, f.Entries = ImportLog, len(r.file.Incidents)
			for _, inc := range r.file.Incidents {
				if inc.Date.IsZero() {
					rep.Undated = append(rep.Undated, ImportUndated{File: src.rel, Line: inc.Pos.Line, Title: inc.Title})
				}
			}
			if r.file.Page != nil {
				f.Title = r.file.Page.Title
				assets = appendAssets(assets, src.rel, r.file.Page.Doc.Assets)
			}
			for _, inc := range r.file.Incidents {
				assets = appendAssets(assets, src.rel, inc.Doc.Assets)
			}
		default:
			f.Kind = ImportPage
			if r.file.Page != nil {
				f.Title = r.file.Page.Title
				assets = appendAssets(assets, src.rel, r.file.Page.Doc.Assets)
			}
		}
		if f.Kind == ImportNotRead {
			notReadAt[src.rel] = len(rep.Files)
		}
		rep.Files = append(rep.Files, f)
	}
	for _, w := range skipped {
		if r, ok := archiveRel(absSrc, label, w.Pos.File); ok && !handled[r] {
			handled[r] = true
			notReadAt[r] = len(rep.Files)
			rep.Files = append(rep.Files, ImportFile{Source: r, Kind: ImportNotRead, abs: filepath.Join(absSrc, filepath.FromSlash(r))})
		}
	}

	// Images and other files a build passes over without a word are
	// copied, and so is every local file a postmortem shows.
	others, err := otherFiles(acfg, absSrc, exclude, handled)
	if err != nil {
		rep.Errors = append(rep.Errors, err)
	}
	for _, r := range others {
		handled[r] = true
		rep.Files = append(rep.Files, ImportFile{Source: r, Kind: ImportCopied, abs: filepath.Join(absSrc, filepath.FromSlash(r))})
	}
	for _, r := range assets {
		if i, ok := notReadAt[r]; ok {
			rep.Files[i].Kind = ImportCopied
			continue
		}
		if handled[r] {
			continue
		}
		abs := filepath.Join(absSrc, filepath.FromSlash(r))
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			continue // a build says the image is missing
		}
		realRoot, _ := filepath.EvalSymlinks(absSrc)
		if st, err := os.Stat(real); err != nil || !st.Mode().IsRegular() || !within(realRoot, real) {
			continue
		}
		handled[r] = true
		rep.Files = append(rep.Files, ImportFile{Source: r, Kind: ImportCopied, abs: abs})
	}

	// Names: files that keep theirs first, then the postmortems, in path
	// order; a second postmortem with the same name gets "-2".
	taken := map[string]bool{}
	for i := range rep.Files {
		f := &rep.Files[i]
		if f.Kind != ImportNotRead && f.Kind != ImportPostmortem {
			f.New = f.Source
			taken[strings.ToLower(f.New)] = true
		}
	}
	for _, i := range posts {
		f := &rep.Files[i]
		inc := docs[i]
		b, err := os.ReadFile(f.abs)
		if err != nil {
			f.Kind, f.ReadErr = ImportCopied, &markup.Error{Pos: markup.Pos{File: path.Join(label, f.Source)}, Err: fmt.Errorf("cannot read: %w", unwrapPath(err))}
			f.New = f.Source
			taken[strings.ToLower(f.New)] = true
			continue
		}
		format := importFormat(f.Source, inc.Format)
		f.New = uniqueName(importName(f.Source, inc, format), taken)
		taken[strings.ToLower(f.New)] = true
		fields := inferred(inc, cfg.Keys)
		for _, fl := range fields {
			f.Added = append(f.Added, fl.key)
		}
		f.data, err = withMetadata(b, format, inc.Doc, fields)
		if err != nil {
			f.Kind, f.ReadErr, f.data = ImportCopied, &markup.Error{Pos: markup.Pos{File: path.Join(label, f.Source)}, Err: err}, nil
			f.Added = nil
		}
	}
	// Each postmortem must read back as it was read, with what was
	// written: else it is renamed but keeps its bytes.
	if err := verifyImport(acfg, readers, icfg, label, rep, posts, docs); err != nil {
		return nil, err
	}
	sort.SliceStable(rep.Files, func(i, j int) bool { return rep.Files[i].Source < rep.Files[j].Source })
	sort.SliceStable(rep.Undated, func(i, j int) bool {
		a, b := rep.Undated[i], rep.Undated[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	sortWarnings(rep.Warnings)

	for i := range rep.Files {
		f := &rep.Files[i]
		if f.New == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		out := filepath.Join(absDest, filepath.FromSlash(f.New))
		shown := path.Join(filepath.ToSlash(filepath.Clean(dest)), f.New)
		if dryRun {
			if _, err := os.Lstat(out); err == nil {
				f.Err = fmt.Errorf("%s: %w", shown, fs.ErrExist)
			}
			continue
		}
		if err := writeNew(out, f.abs, f.data); err != nil {
			f.Err = fmt.Errorf("%s: %w", shown, err)
		}
	}
	return rep, nil
}

// verifyImport reads every postmortem that gets metadata as a build
// would read it at its new name, from a scratch copy: a rule of reading
// (the format sniffed from its first bytes, say) may read the file
// differently with metadata written into it. Such a file keeps its bytes,
// with a warning. The scratch copy is made in cfg.TempDir, so a dry run
// writes nothing to the site.
func verifyImport(cfg Config, readers markup.Registry, icfg incident.Config, label string, rep *ImportReport, posts []int, docs map[int]*incident.Incident) error {
	byNew := map[string]int{}
	for _, i := range posts {
		if f := rep.Files[i]; f.data != nil && len(f.Added) > 0 {
			byNew[f.New] = i
		}
	}
	if len(byNew) == 0 {
		return nil
	}
	tmp, err := os.MkdirTemp(cfg.TempDir, "kb-import-*")
	if err != nil {
		return fmt.Errorf("scratch folder to check the imported files: %w", err)
	}
	defer os.RemoveAll(tmp)
	for p, i := range byNew {
		out := filepath.Join(tmp, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return fmt.Errorf("scratch folder to check the imported files: %w", unwrapPath(err))
		}
		if err := os.WriteFile(out, rep.Files[i].data, 0o644); err != nil {
			return fmt.Errorf("scratch folder to check the imported files: %w", unwrapPath(err))
		}
	}
	vcfg := cfg
	vcfg.ContentDir = tmp
	srcs, _, _ := findSources(vcfg, readers)
	seen := map[string]bool{}
	for _, src := range srcs {
		i, ok := byNew[src.rel]
		if !ok {
			continue
		}
		seen[src.rel] = true
		f := &rep.Files[i]
		src.name = path.Join(label, f.Source)
		got, _, err := readOne(src, vcfg, readers, icfg)
		if why := differs(docs[i], got, err); why != "" {
			f.data, f.Added = nil, nil
			rep.Warnings = append(rep.Warnings, markup.Warning{Pos: markup.Pos{File: path.Join(label, f.Source)},
				Message: "metadata not written: " + why + "; the file is copied as it is, under its new name",
				Hint:    "add the metadata by hand after the import"})
		}
	}
	for p, i := range byNew {
		if !seen[p] {
			f := &rep.Files[i]
			f.data, f.Added = nil, nil
			rep.Warnings = append(rep.Warnings, markup.Warning{Pos: markup.Pos{File: path.Join(label, f.Source)},
				Message: "metadata not written: with it the file would not be read; the file is copied as it is, under its new name",
				Hint:    "add the metadata by hand after the import"})
		}
	}
	return nil
}

// differs says how the imported file reads otherwise than the original,
// "" when it reads the same: format, title, date, severity, systems.
func differs(want *incident.Incident, got *incident.File, err error) string {
	switch {
	case err != nil:
		return fmt.Sprintf("with it the file would not read (%v)", err)
	case got == nil || got.Kind != incident.KindIncident || len(got.Incidents) != 1:
		return "with it the file would not read as a postmortem"
	}
	inc := got.Incidents[0]
	switch {
	case inc.Format != want.Format:
		return fmt.Sprintf("with it the file would read as %s, not %s", formatName(inc.Format), formatName(want.Format))
	case inc.Title != want.Title:
		return fmt.Sprintf("with it the title would read as %q", inc.Title)
	case inc.Date.Precision != want.Date.Precision || !inc.Date.Time.Equal(want.Date.Time):
		return fmt.Sprintf("with it the date would read as %q", metaDate(inc.Date))
	case inc.Severity != want.Severity:
		return fmt.Sprintf("with it the severity would read as %q", inc.Severity)
	case strings.Join(inc.Systems, "\x00") != strings.Join(want.Systems, "\x00"):
		return "with it the systems would read otherwise"
	}
	return ""
}

func formatName(f string) string {
	switch f {
	case "markdown":
		return "Markdown"
	case "rst":
		return "reStructuredText"
	case "text":
		return "plain text"
	}
	return f
}

// nested reports whether one of two folders is inside the other (or they
// are the same), also through symbolic links.
func nested(a, b string) bool {
	if within(a, b) || within(b, a) {
		return true
	}
	ra, err1 := filepath.EvalSymlinks(a)
	rb := b
	for p := b; ; p = filepath.Dir(p) {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			rel, _ := filepath.Rel(p, b)
			rb = filepath.Join(r, rel)
			break
		}
		if filepath.Dir(p) == p {
			break
		}
	}
	return err1 == nil && (within(ra, rb) || within(rb, ra))
}

// archiveRel is the archive path of a file a message names.
func archiveRel(absSrc, label, name string) (string, bool) {
	if r, ok := strings.CutPrefix(name, label+"/"); ok && label != "." {
		return r, true
	}
	if label == "." && !strings.HasPrefix(name, "../") && !filepath.IsAbs(filepath.FromSlash(name)) {
		return name, true
	}
	if filepath.IsAbs(filepath.FromSlash(name)) {
		if r, err := filepath.Rel(absSrc, filepath.FromSlash(name)); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r), true
		}
	}
	return "", false
}

// appendAssets adds the archive paths of the local files a document in
// file rel shows; those outside the archive are left to the build's
// warning.
func appendAssets(out []string, rel string, as []markup.Asset) []string {
	for _, a := range as {
		p := path.Join(path.Dir(rel), a.Path)
		if p == ".." || strings.HasPrefix(p, "../") || p == "." {
			continue
		}
		out = append(out, p)
	}
	return out
}

// otherFiles lists, in path order, the files under the archive that a
// build passes over without a word: images and other binary files.
// Hidden files and folders, excluded files and the site's own folders are
// left out, as findSources leaves them out.
func otherFiles(cfg Config, root string, exclude []*regexp.Regexp, handled map[string]bool) ([]string, error) {
	skip := map[string]bool{}
	for _, p := range []string{cfg.OutputPath(), cfg.LayoutsPath(), cfg.AssetsPath(), cfg.StaticPath()} {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			skip[r] = true
		}
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, err
	}
	var out []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // findSources reported it
		}
		if p == root {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if r, err := filepath.EvalSymlinks(p); err == nil && skip[r] {
				return filepath.SkipDir
			}
			return nil
		}
		if handled[rel] || matchAny(exclude, rel) {
			return nil
		}
		// A link is followed only when it stays inside the archive, as
		// findSources follows them: a link to a key elsewhere on the
		// machine must not be copied into a site.
		real, err := filepath.EvalSymlinks(p)
		if err != nil || !within(realRoot, real) {
			return nil
		}
		st, err := os.Stat(real)
		if err != nil || !st.Mode().IsRegular() {
			return nil
		}
		if why, _ := notRead(d.Name()); why == "" {
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// importFormat is the extension a postmortem is written with: .md for
// Markdown (.markdown too), .rst, or .txt for plain text. A file without
// an extension, or a .txt file, gets the one of the format the build read
// it as (Markdown is often saved as .txt).
func importFormat(rel, format string) string {
	switch strings.ToLower(path.Ext(rel)) {
	case ".md", ".markdown":
		return ".md"
	case ".rst":
		return ".rst"
	}
	switch format {
	case "markdown":
		return ".md"
	case "rst":
		return ".rst"
	}
	return ".txt"
}

// maxSlug is the longest slug a new name has.
const maxSlug = 60

// importName is a postmortem's path in the destination: in the folder it
// had, named YYYY-MM-DD-slug, YYYY-MM-slug, YYYY-slug or slug after its
// date and title. A page bundle (folder/index.md) keeps its name.
func importName(rel string, inc *incident.Incident, ext string) string {
	dir, file := path.Split(rel)
	if strings.EqualFold(strings.TrimSuffix(file, path.Ext(file)), "index") && dir != "" {
		return rel
	}
	slug := cutSlug(markup.Slug(inc.Title), maxSlug)
	if slug == "" {
		slug = cutSlug(markup.Slug(strings.TrimSuffix(file, path.Ext(file))), maxSlug)
	}
	if slug == "" {
		slug = "postmortem"
	}
	var prefix string
	switch t := inc.Date.Time; inc.Date.Precision {
	case when.Year:
		prefix = t.Format("2006") + "-"
	case when.Month:
		prefix = t.Format("2006-01") + "-"
	case when.Day, when.Minute:
		prefix = t.Format("2006-01-02") + "-"
	}
	return path.Join(dir, prefix+slug+ext)
}

// cutSlug cuts a slug to at most n bytes, at a hyphen when it has one.
func cutSlug(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if i := strings.LastIndexByte(s[:n+1], '-'); i > 0 {
		return s[:i]
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// uniqueName adds "-2", "-3"… before the extension of a name already
// taken (compared without case, as some file systems do).
func uniqueName(p string, taken map[string]bool) string {
	if !taken[strings.ToLower(p)] {
		return p
	}
	ext := path.Ext(p)
	base := strings.TrimSuffix(p, ext)
	for i := 2; ; i++ {
		q := fmt.Sprintf("%s-%d%s", base, i, ext)
		if !taken[strings.ToLower(q)] {
			return q
		}
	}
}

// metaDate writes a date as precisely as it is known, in a form the
// metadata readers take back: "2019", "2019-03", "2019-03-04", or
// "2019-03-04 14:05 -07:00" with the offset of its zone.
func metaDate(d when.Date) string {
	t := d.Time
	if d.Precision != when.Minute {
		return d.ISO()
	}
	if t.Second() != 0 {
		return t.Format("2006-01-02 15:04:05 -07:00")
	}
	return t.Format("2006-01-02 15:04 -07:00")
}

// metaField is one key written into a postmortem: a text or a list.
type metaField struct {
	key  string
	text string
	list []string
	date bool // text is a date, written unquoted
}

// inferred are the keys kb read for inc that its metadata does not
// declare (under any name the build reads it by), in a fixed order.
func inferred(inc *incident.Incident, keys map[string]string) []metaField {
	declared := map[string]bool{}
	for _, f := range inc.Doc.Meta {
		k := strings.ToLower(f.Key)
		for from, to := range keys {
			if strings.EqualFold(from, k) {
				k = strings.ToLower(to)
			}
		}
		switch k {
		case "sev":
			k = "severity"
		case "system":
			k = "systems"
		case "author":
			k = "authors"
		}
		declared[k] = true
	}
	var out []metaField
	if !declared["title"] && inc.Title != "" {
		out = append(out, metaField{key: "title", text: inc.Title})
	}
	if !declared["date"] && !inc.Date.IsZero() {
		out = append(out, metaField{key: "date", text: metaDate(inc.Date), date: true})
	}
	if !declared["severity"] && inc.Severity != "" {
		out = append(out, metaField{key: "severity", text: inc.Severity})
	}
	if !declared["systems"] && len(inc.Systems) > 0 {
		out = append(out, metaField{key: "systems", list: inc.Systems})
	}
	if !declared["authors"] && len(inc.Authors) > 0 {
		out = append(out, metaField{key: "authors", list: inc.Authors})
	}
	return out
}

// withMetadata returns src with fields written into its metadata; the
// rest of the bytes are kept as they were. Markdown and plain text get
// YAML front matter (keys added after the opening "---" of existing
// front matter, or TOML lines after an opening "+++"); reStructuredText
// gets a field list after the document's title, merged into the one
// there.
func withMetadata(src []byte, ext string, doc *markup.Doc, fields []metaField) ([]byte, error) {
	if len(fields) == 0 {
		return src, nil
	}
	bom := []byte("\xef\xbb\xbf")
	hadBOM := bytes.HasPrefix(src, bom)
	body := bytes.TrimPrefix(src, bom)
	ls := splitLines(body)
	eol := "\n"
	if len(ls) > 0 && strings.HasSuffix(ls[0].text(body, true), "\r\n") {
		eol = "\r\n"
	}
	var at int
	var ins string
	if ext == ".rst" {
		at, ins = rstInsert(body, ls, doc, fields, eol)
	} else {
		first := ""
		if len(ls) > 0 {
			first = strings.TrimRight(ls[0].text(body, false), " \t")
		}
		switch first {
		case "---":
			block, err := yamlFields(fields, eol)
			if err != nil {
				return nil, err
			}
			at, ins = ls[0].end, block
		case "+++":
			at, ins = ls[0].end, tomlFields(fields, eol)
		default:
			block, err := yamlFields(fields, eol)
			if err != nil {
				return nil, err
			}
			at, ins = 0, "---"+eol+block+"---"+eol
		}
	}
	var out bytes.Buffer
	if hadBOM {
		out.Write(bom)
	}
	out.Write(body[:at])
	out.WriteString(ins)
	out.Write(body[at:])
	return out.Bytes(), nil
}

// line is one line of a source: from start to end, its line break
// included (end - brk bytes long).
type line struct{ start, end, brk int }

func (l line) text(src []byte, withBreak bool) string {
	if withBreak {
		return string(src[l.start:l.end])
	}
	return string(src[l.start : l.end-l.brk])
}

// splitLines splits src at "\r\n", "\r" and "\n", as the readers count
// lines (markup.Prepare makes each of them one line end).
func splitLines(src []byte) []line {
	var out []line
	start := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			out = append(out, line{start, i + 1, 1})
			start = i + 1
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				out = append(out, line{start, i + 2, 2})
				i++
			} else {
				out = append(out, line{start, i + 1, 1})
			}
			start = i + 1
		}
	}
	if start < len(src) {
		out = append(out, line{start, len(src), 0})
	}
	return out
}

// yamlFields writes fields as YAML mapping lines. yaml.v3 quotes what
// needs quoting: a title "2019-03-04" or "yes" stays text.
func yamlFields(fields []metaField, eol string) (string, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, f := range fields {
		k := &yaml.Node{Kind: yaml.ScalarNode, Value: f.key}
		var v *yaml.Node
		switch {
		case f.list != nil:
			v = &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, s := range f.list {
				v.Content = append(v.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: oneLine(s)})
			}
		case f.date:
			// Untagged, so it is written plain and read back as a
			// date (or a year).
			v = &yaml.Node{Kind: yaml.ScalarNode, Value: f.text}
		default:
			v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: oneLine(f.text)}
		}
		m.Content = append(m.Content, k, v)
	}
	b, err := yaml.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("write front matter: %w", err)
	}
	s := string(b)
	if eol != "\n" {
		s = strings.ReplaceAll(s, "\n", eol)
	}
	return s, nil
}

// tomlFields writes fields as TOML lines.
func tomlFields(fields []metaField, eol string) string {
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(f.key + " = ")
		if f.list != nil {
			b.WriteByte('[')
			for i, s := range f.list {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(tomlString(s))
			}
			b.WriteByte(']')
		} else {
			b.WriteString(tomlString(f.text))
		}
		b.WriteString(eol)
	}
	return b.String()
}

// tomlString is s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range oneLine(s) {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// oneLine puts a value on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("\r", " ", "\n", " ").Replace(s)), " ")
}

// rstInsert is where a field list goes in a reStructuredText document,
// and what to insert: into the field list that holds the document's
// metadata; else after the title's underline (and the subtitle's, when
// there is one); else at the very top.
func rstInsert(src []byte, ls []line, doc *markup.Doc, fields []metaField, eol string) (int, string) {
	var b strings.Builder
	list := func(indent string) string {
		b.Reset()
		for _, f := range fields {
			v := f.text
			if f.list != nil {
				parts := make([]string, len(f.list))
				for i, s := range f.list {
					parts[i] = rstFieldEscape(oneLine(s))
				}
				v = strings.Join(parts, ", ")
			} else if !f.date {
				v = rstFieldEscape(oneLine(v))
			}
			b.WriteString(indent + ":" + f.key + ": " + v + eol)
		}
		return b.String()
	}
	lineAt := func(n int) (line, bool) { // 1-based
		if n < 1 || n > len(ls) {
			return line{}, false
		}
		return ls[n-1], true
	}
	// A field list already there (its first field says where): add to it.
	if len(doc.Meta) > 0 {
		if l, ok := lineAt(doc.Meta[0].Pos.Line); ok {
			t := l.text(src, false)
			if trimmed := strings.TrimLeft(t, " \t"); strings.HasPrefix(trimmed, ":") {
				return l.start, list(t[:len(t)-len(trimmed)])
			}
		}
	}
	if doc.TitlePos.Line > 0 {
		under := underline(src, ls, doc.TitlePos.Line)
		if len(doc.Body) > 0 && doc.Body[0].Kind == markup.Paragraph && len(doc.Body[0].Children) > 0 &&
			doc.Body[0].Children[0].Kind == markup.Span && doc.Body[0].Children[0].Class == "subtitle" {
			if u := underline(src, ls, doc.Body[0].Line); u > 0 {
				under = u
			}
		}
		if l, ok := lineAt(under); ok {
			pre := eol
			if l.brk == 0 {
				pre = eol + eol
			}
			post := ""
			if nl, ok := lineAt(under + 1); ok && strings.TrimSpace(nl.text(src, false)) != "" {
				post = eol
			}
			return l.end, pre + list("") + post
		}
	}
	return 0, list("") + eol
}

// underline is the line number of the adornment under the title on line
// n, 0 when there is none.
func underline(src []byte, ls []line, n int) int {
	if n < 1 || n >= len(ls) {
		return 0
	}
	t := strings.TrimRight(ls[n].text(src, false), " \t")
	if t == "" {
		return 0
	}
	c := t[0]
	if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c > 0x7e || c <= ' ' {
		return 0
	}
	for i := 0; i < len(t); i++ {
		if t[i] != c {
			return 0
		}
	}
	return n + 1
}

// rstFieldEscape keeps inline markup characters literal in a field's
// value, escaping only what would start markup there, so the value
// stays readable.
func rstFieldEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '*', '`', '|':
			b.WriteByte('\\')
		case '_':
			if i+1 == len(s) || !isWordByte(s[i+1]) {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c >= 0x80 || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// writeNew creates the file at out, which must not exist, with data, or
// else with the contents of the file at from. Folders are made as needed.
// A file left half-written by an error is removed.
func writeNew(out, from string, data []byte) (err error) {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return unwrapPath(err)
	}
	var r io.Reader = bytes.NewReader(data)
	if data == nil {
		in, err := os.Open(from)
		if err != nil {
			return fmt.Errorf("cannot read the original: %w", unwrapPath(err))
		}
		defer in.Close()
		r = in
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return unwrapPath(err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = unwrapPath(cerr)
		}
		if err != nil {
			os.Remove(out)
		}
	}()
	if _, err := io.Copy(f, r); err != nil {
		return unwrapPath(err)
	}
	return f.Sync()
}
