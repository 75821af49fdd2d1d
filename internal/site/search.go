package site

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kb-postmortems/kb/internal/graph"
	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/search"
	"github.com/kb-postmortems/kb/internal/spool"
	"github.com/kb-postmortems/kb/internal/when"
)

// searchDir is where the index is published; the worker finds it there,
// beside itself (search/worker.js fetches index/).
const searchDir = "search/index/"

// MaxSearchText is the most of one incident's text the search index
// takes. Real postmortems hold tens of kilobytes; a file of megabytes is a
// log or a dump pasted in, whose every word would cost the index more
// than all the postmortems around it, and find nothing a reader asks for.
const MaxSearchText = 1 << 20

// searchDocuments turns incidents into what the search index takes, but
// their sections: the search package knows nothing of incidents, so its
// WebAssembly build stays small. Each incident's sections were taken when
// its file was read (see searchSections) and kept in the spool; load gives
// them back a shard at a time, so the text of the whole site is never in
// memory at once.
func (s *Site) searchDocuments() (docs []search.Document, load func(*search.Document) ([]search.Section, error)) {
	docs = make([]search.Document, len(s.Incidents))
	refs := make(map[string]spool.Ref, len(s.Incidents))
	for i, inc := range s.Incidents {
		docs[i] = search.Document{
			ID: inc.ID, Title: inc.Title, Date: inc.Date.Time, DateText: searchDate(inc.Date),
			Severity: inc.Severity, Status: inc.Status,
			Systems: inc.Systems, Causes: inc.Causes,
			Summary: inc.Summary,
		}
		if s.Graph != nil {
			// The terms as the pages of systems and causes name them, so
			// that a filter finds what a page lists.
			l := s.Graph.Of(inc)
			docs[i].Systems, docs[i].MentionedSystems = termNames(l, l.Systems)
			docs[i].Causes, docs[i].MentionedCauses = termNames(l, l.Causes)
		}
		refs[inc.ID] = s.kept[inc].text
	}
	return docs, func(d *search.Document) ([]search.Section, error) {
		b, err := s.spool.Get(refs[d.ID])
		if err != nil {
			return nil, err
		}
		return decodeSections(b)
	}
}

// termNames splits an incident's terms into those its metadata declares
// and those only its text mentions.
func termNames(l *graph.Links, terms []*graph.Term) (declared, mentioned []string) {
	for _, t := range terms {
		if l.Declared(t) {
			declared = append(declared, t.Name)
		} else {
			mentioned = append(mentioned, t.Name)
		}
	}
	return declared, mentioned
}

// searchSections is what the search index takes of an incident's text:
// its sections, and what comes before the first heading as an untitled
// one. Text past MaxSearchText is left out, with a warning.
func searchSections(inc *incident.Incident) ([]search.Section, []markup.Warning) {
	var out []search.Section
	left, total := MaxSearchText, len(inc.Body.Intro)
	var cut markup.Pos
	take := func(text string, pos markup.Pos) string {
		if len(text) <= left {
			left -= len(text)
			return text
		}
		if cut == (markup.Pos{}) {
			cut = pos
		}
		text = cutWords(text, left)
		left = 0
		return text
	}
	// What comes before the first heading is searched too, as an
	// untitled section at the top of the page.
	if t := take(inc.Body.Intro, inc.Pos); t != "" {
		out = append(out, search.Section{Text: t})
	}
	incident.Walk(inc.Sections, func(s *incident.Section) {
		total += len(s.Title) + len(s.Text)
		if left == 0 {
			if cut == (markup.Pos{}) {
				cut = s.Pos
			}
			return
		}
		key := ""
		if s.Canonical {
			key = s.Key
		}
		left = max(0, left-len(s.Title))
		out = append(out, search.Section{
			Key: key, Title: s.Title, Anchor: s.ID, Text: take(s.Text, s.Pos),
		})
	})
	if cut == (markup.Pos{}) {
		return out, nil
	}
	if cut.File == "" {
		cut = markup.Pos{File: inc.Doc.Path, Line: 1}
	}
	return out, []markup.Warning{{Pos: cut,
		Message: fmt.Sprintf("search takes the first %d MB of a postmortem's text; this one has %.1f MB, and what follows here is not searchable", MaxSearchText>>20, float64(total)/(1<<20)),
		Hint:    "split the file into one postmortem per incident, or move logs and dumps into files it links to"}}
}

// encodeSections writes sections as the spool keeps them.
func encodeSections(ss []search.Section) []byte {
	var w spool.Writer
	n := binary.MaxVarintLen64
	for _, s := range ss {
		n += 4*binary.MaxVarintLen64 + len(s.Key) + len(s.Title) + len(s.Anchor) + len(s.Text)
	}
	w.Grow(n)
	w.Uint(uint64(len(ss)))
	for _, s := range ss {
		w.Str(s.Key)
		w.Str(s.Title)
		w.Str(s.Anchor)
		w.Str(s.Text)
	}
	return w.Bytes()
}

// decodeSections reads what encodeSections wrote. The strings share one
// copy of b.
func decodeSections(b []byte) ([]search.Section, error) {
	if len(b) == 0 {
		return nil, nil
	}
	r := spool.NewReader(b)
	out := make([]search.Section, r.Len())
	for i := range out {
		out[i] = search.Section{Key: r.Str(), Title: r.Str(), Anchor: r.Str(), Text: r.Str()}
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("searchable sections: %w", err)
	}
	return out, nil
}

// cutWords returns s cut to at most n bytes, at the end of a word when
// there is one in the last part, and never inside a character.
func cutWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	s = s[:n]
	if i := strings.LastIndexAny(s, " \t\n"); i >= 0 && i >= len(s)-64 {
		s = s[:i]
	}
	return s
}

// searchDate is a date as search results show it: as precisely as it is
// known, in a form whose string order is time order ("2023", "2023-10",
// "2023-10-05").
func searchDate(d when.Date) string {
	if d.Precision < when.Day {
		return d.ISO()
	}
	return ""
}

// SearchFiles builds the search index of a loaded site in memory, keyed by
// file name (manifest.json, …), for kb search when nothing is published.
func SearchFiles(s *Site) (map[string][]byte, error) {
	docs, load := s.searchDocuments()
	files, _, err := search.BuildFiles(docs, search.Options{TempDir: s.Config.TempDir, Workers: s.Config.Workers, Sections: load})
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	return files, nil
}

// OpenIndex opens the published index, or builds one from the content in
// memory when there is none, when fromContent asks for it, or when the
// published one was built by another version of kb (left from before an
// upgrade: the content is the truth, and the search must answer). note
// says, for the user, when the published index was passed over.
func OpenIndex(ctx context.Context, cfg Config, fromContent bool) (ix *search.Index, note string, err error) {
	dir := filepath.Join(cfg.OutputPath(), "search", "index")
	if !fromContent {
		if _, err := os.Stat(filepath.Join(dir, search.ManifestName)); err == nil {
			// Through an os.Root, as every read of the site's folders:
			// a link in the published index reads nothing outside it.
			// The index reads its shards as it is asked; the garbage
			// collector closes the folder after.
			r, err := os.OpenRoot(dir)
			if err != nil {
				return nil, "", err
			}
			ix, err := search.Open(r.FS())
			if !errors.Is(err, search.ErrOtherVersion) {
				return ix, "", err
			}
			note = fmt.Sprintf("%s was built by another version of kb; searching the content instead (kb build updates it)", dir)
		}
	}
	cfg.LintOnly = true // a search needs no pages
	s, err := Load(ctx, cfg)
	var ce *ContentError
	if err != nil && !errors.As(err, &ce) {
		return nil, note, err
	}
	files, err := SearchFiles(s)
	if err != nil {
		return nil, note, err
	}
	ix, err = search.Open(memFS(files))
	return ix, note, err
}

// memFS is files held in memory, by name, as an fs.FS: an index built for
// one search is opened without touching the disk.
type memFS map[string][]byte

func (m memFS) ReadFile(name string) ([]byte, error) {
	b, ok := m[name]
	if !ok || !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	// The caller may change what it is given (fs.ReadFileFS): a copy.
	return append([]byte(nil), b...), nil
}

// Open opens a file, or "." (the files are flat: an index's files sit
// side by side).
func (m memFS) Open(name string) (fs.File, error) {
	if name == "." {
		names := make([]string, 0, len(m))
		for n := range m {
			names = append(names, n)
		}
		sort.Strings(names)
		d := &memDir{}
		for _, n := range names {
			d.ents = append(d.ents, fs.FileInfoToDirEntry(memInfo{&memFile{name: n, size: int64(len(m[n]))}}))
		}
		return d, nil
	}
	b, ok := m[name]
	if !ok || !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memFile{Reader: bytes.NewReader(b), name: name, size: int64(len(b))}, nil
}

// memDir is the root of a memFS.
type memDir struct {
	ents []fs.DirEntry
	at   int
}

func (d *memDir) Stat() (fs.FileInfo, error) { return dirInfo{}, nil }
func (d *memDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: ".", Err: fs.ErrInvalid}
}
func (d *memDir) Close() error { return nil }
func (d *memDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.ents[d.at:]
	if n > 0 && len(rest) == 0 {
		return nil, io.EOF
	}
	if n > 0 && n < len(rest) {
		rest = rest[:n]
	}
	d.at += len(rest)
	return rest, nil
}

type dirInfo struct{}

func (dirInfo) Name() string       { return "." }
func (dirInfo) Size() int64        { return 0 }
func (dirInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (dirInfo) ModTime() time.Time { return time.Time{} }
func (dirInfo) IsDir() bool        { return true }
func (dirInfo) Sys() any           { return nil }

type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{f}, nil }
func (f *memFile) Close() error               { return nil }

type memInfo struct{ f *memFile }

func (i memInfo) Name() string       { return path.Base(i.f.name) }
func (i memInfo) Size() int64        { return i.f.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }
