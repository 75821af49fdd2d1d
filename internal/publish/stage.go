package publish

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Stage is a site being published. Files are written into a folder beside
// the destination as they come, so the caller can let go of each one's
// bytes at once; the destination stays as it was until [Stage.Commit].
// Every Stage ends in Commit or [Stage.Abort]; calling Abort after Commit
// does nothing, so it can be deferred.
type Stage struct {
	dest string
	dir  string // the stage folder
	// deferSync says that files get no fsync of their own as they are
	// written: Commit makes them durable, with one syncfs for a big site
	// or an fsync each for a small one.
	deferSync bool

	// life is held for reading by every write and for writing by Commit
	// and Abort, so the stage is never swapped or removed under a write,
	// and a late write never recreates a removed stage folder.
	life   sync.RWMutex
	closed bool // written under life.Lock, read under life.RLock

	mu     sync.Mutex
	names  names
	sums   map[string][sha256.Size]byte // files written in full
	made   map[string]bool              // folders that exist in the stage
	failed error                        // the first write that failed
	open   int                          // files created and not closed

	// inject, when set by a test, is asked before each file (the marker
	// too) is written, and an error it returns is the write's.
	inject func(p string) error
}

var errClosed = errors.New("publish: the stage is already committed or aborted")

// Begin starts publishing a site to the folder dest. It refuses a
// destination kb did not write, as [Publish] does, and removes what killed
// builds left beside it.
func Begin(dest string) (*Stage, error) {
	dest = filepath.Clean(dest)
	st, err := begin(dest)
	return st, explain(err, dest)
}

func begin(dest string) (*Stage, error) {
	if err := checkDest(dest); err != nil {
		return nil, err
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", parent, err)
	}
	sweep(parent, filepath.Base(dest))
	// The stage's name carries this process's id, so a later build can
	// tell a stage left by a killed build from one still being written.
	dir, err := os.MkdirTemp(parent, ".kb-stage-"+filepath.Base(dest)+"-"+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, fmt.Errorf("create stage folder: %w", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("create stage folder: %w", err)
	}
	return &Stage{
		dest: dest, dir: dir, deferSync: syncsWholeFS(),
		sums: map[string][sha256.Size]byte{},
		made: map[string]bool{".": true},
	}, nil
}

// WriteFile writes one file of the site; path is relative to the site's
// root and slash-separated. A path written before, a file where another
// file needs a folder, and a folder where a file was written are refused.
// It is safe to call from several goroutines at once.
func (s *Stage) WriteFile(p string, data []byte) error {
	if err := checkName(p); err != nil {
		return err
	}
	s.life.RLock()
	defer s.life.RUnlock()
	if s.closed {
		return errClosed
	}
	s.mu.Lock()
	if err := s.names.add(p); err != nil {
		s.mu.Unlock()
		return err
	}
	dir := path.Dir(p)
	made := s.made[dir]
	s.mu.Unlock()
	if !made {
		// Two writers may both make a folder; MkdirAll lets them.
		if err := os.MkdirAll(s.path(dir), 0o755); err != nil {
			return s.fail(p, err)
		}
		s.mu.Lock()
		for d := dir; !s.made[d]; d = path.Dir(d) {
			s.made[d] = true
		}
		s.mu.Unlock()
	}
	sum := sha256.Sum256(data)
	if err := s.write(p, data, !s.deferSync); err != nil {
		return s.fail(p, err)
	}
	s.mu.Lock()
	s.sums[p] = sum
	s.mu.Unlock()
	return nil
}

// Create opens a file of the site to be written as it is made, with the
// checks of WriteFile: a page that lists 100,000 incidents, or the export
// of all of them, is tens of megabytes that need never be in memory at
// once. The file is part of the site once Close returns nil; a stage with
// a file created and not closed cannot be committed.
func (s *Stage) Create(p string) (io.WriteCloser, error) {
	if err := checkName(p); err != nil {
		return nil, err
	}
	s.life.RLock()
	defer s.life.RUnlock()
	if s.closed {
		return nil, errClosed
	}
	s.mu.Lock()
	if err := s.names.add(p); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	s.mu.Unlock()
	if err := os.MkdirAll(s.path(path.Dir(p)), 0o755); err != nil {
		return nil, s.fail(p, err)
	}
	if s.inject != nil {
		if err := s.inject(p); err != nil {
			return nil, s.fail(p, err)
		}
	}
	f, err := os.OpenFile(s.path(p), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, s.fail(p, err)
	}
	s.mu.Lock()
	s.open++
	s.mu.Unlock()
	sf := &stageFile{s: s, p: p, f: f, h: sha256.New()}
	sf.w = bufio.NewWriterSize(io.MultiWriter(f, sf.h), 64<<10)
	return sf, nil
}

// stageFile is a file of a stage being written; see [Stage.Create].
type stageFile struct {
	s   *Stage
	p   string
	f   *os.File
	h   hash.Hash
	w   *bufio.Writer
	err error
}

func (sf *stageFile) Write(b []byte) (int, error) {
	if sf.err != nil {
		return 0, sf.err
	}
	n, err := sf.w.Write(b)
	if err != nil {
		sf.err = sf.s.fail(sf.p, err)
	}
	return n, sf.err
}

func (sf *stageFile) Close() error {
	if sf.f == nil {
		return sf.err
	}
	err := sf.err
	if err == nil {
		if err = sf.w.Flush(); err == nil && !sf.s.deferSync {
			err = sf.f.Sync()
		}
	}
	if cerr := sf.f.Close(); err == nil {
		err = cerr
	}
	sf.f = nil
	s := sf.s
	s.mu.Lock()
	s.open--
	s.mu.Unlock()
	if err != nil {
		if sf.err == nil {
			sf.err = s.fail(sf.p, err)
		}
		return sf.err
	}
	var sum [sha256.Size]byte
	sf.h.Sum(sum[:0])
	s.mu.Lock()
	s.sums[sf.p] = sum
	s.mu.Unlock()
	return nil
}

// Has reports whether p is taken: a file of that name was written, p is a
// folder of written files, or one of p's folders is a file. A caller with
// a file that may give way (an image, a file of static/) asks first. A
// file in a folder named like the marker is not taken but refused, by
// WriteFile, with a message: a whole folder of the owner's files must not
// vanish without a word.
func (s *Stage) Has(p string) bool {
	if p == Marker {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.names.clash(p) != nil
}

// Sums returns the SHA-256 of every file written, by path: what a caller
// needs to know of the whole site once the bytes are gone. A file still
// being written is not in it.
func (s *Stage) Sums() map[string][sha256.Size]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][sha256.Size]byte, len(s.sums))
	for p, sum := range s.sums {
		out[p] = sum
	}
	return out
}

// Commit makes the site durable and swaps it in for the destination's
// previous content, which is removed. On an error the stage is removed and
// the destination is as it was.
func (s *Stage) Commit() error {
	s.life.Lock()
	defer s.life.Unlock()
	if s.closed {
		return errClosed
	}
	s.closed = true
	err := s.commit()
	if err != nil {
		os.RemoveAll(s.dir)
	}
	return explain(err, s.dest)
}

func (s *Stage) commit() error {
	if s.failed != nil {
		return fmt.Errorf("a file of the site was not written, so nothing was published: %w", s.failed)
	}
	if s.open > 0 {
		return fmt.Errorf("%d files of the site were not finished, so nothing was published", s.open)
	}
	// The destination was checked when the stage began, but the build
	// takes a while and someone may have put files there since.
	if err := checkDest(s.dest); err != nil {
		return err
	}
	names := make([]string, 0, len(s.sums))
	for p := range s.sums {
		names = append(names, p)
	}
	sort.Strings(names)
	// Many files are made durable by one syncfs; a few by their own
	// fsyncs, which cost less than flushing whatever else the file system
	// holds.
	whole := syncsWholeFS() && len(names) > 256
	if err := s.write(Marker, encodeMarker(names), !whole); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // its path is in the stage folder
		}
		return fmt.Errorf("write %s: %w", Marker, err)
	}
	if whole {
		// One call makes every file and folder of the stage durable.
		if err := syncFS(s.dir); err != nil {
			return err
		}
		return swap(s.dir, s.dest)
	}
	if s.deferSync {
		var g errgroup.Group
		g.SetLimit(4)
		for _, p := range names {
			g.Go(func() error { return syncFile(s.path(p)) })
		}
		if err := g.Wait(); err != nil {
			return err
		}
	}
	dirs := make([]string, 0, len(s.names.dirs)+1)
	dirs = append(dirs, ".")
	for d := range s.names.dirs {
		dirs = append(dirs, d)
	}
	// Deepest folders first, so every entry is durable before its parent.
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		if err := syncDir(s.path(d)); err != nil {
			return err
		}
	}
	return swap(s.dir, s.dest)
}

// Abort removes the stage; the destination is left as it was. It waits for
// writes under way, and does nothing after Commit or a first Abort.
func (s *Stage) Abort() {
	s.life.Lock()
	defer s.life.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	os.RemoveAll(s.dir)
}

// write writes the file p of the stage.
func (s *Stage) write(p string, data []byte, sync bool) error {
	if s.inject != nil {
		if err := s.inject(p); err != nil {
			return err
		}
	}
	return writeFile(s.path(p), data, sync)
}

func (s *Stage) path(p string) string {
	return filepath.Join(s.dir, filepath.FromSlash(p))
}

// fail records that writing p failed: the stage can then only be
// aborted, as a site missing a file must not be published.
func (s *Stage) fail(p string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // its path is in the stage folder, which the user never sees
	}
	err = explain(fmt.Errorf("write %s: %w", Escape(p), err), s.dest)
	s.mu.Lock()
	if s.failed == nil {
		s.failed = err
	}
	s.mu.Unlock()
	return err
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// checkName refuses a path that is not a file of the site, or that the
// site cannot have: see nameProblem.
func checkName(p string) error {
	if why := nameProblem(p); why != "" {
		return nameError(p, why)
	}
	return nil
}

// names are the paths of a site's files and the folders they need. A path
// names a file or a folder, never both, and a file once: on a disk the
// second would fail or replace the first, depending on the order.
type names struct {
	files map[string]struct{}
	dirs  map[string]struct{} // every folder some file is in, "." aside
}

// clash says why p cannot be added, or nil.
func (n *names) clash(p string) error {
	if _, ok := n.files[p]; ok {
		return fmt.Errorf("output path %q is written twice: two files of the site have one name", p)
	}
	if _, ok := n.dirs[p]; ok {
		return fmt.Errorf("output path %q is a folder of other files of the site, so it cannot be a file", p)
	}
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if _, ok := n.files[d]; ok {
			return fmt.Errorf("output path %q is inside %q, which is a file of the site, not a folder", p, d)
		}
	}
	return nil
}

// add takes p, or says why it cannot.
func (n *names) add(p string) error {
	if err := n.clash(p); err != nil {
		return err
	}
	if n.files == nil {
		n.files, n.dirs = map[string]struct{}{}, map[string]struct{}{}
	}
	n.files[p] = struct{}{}
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if _, ok := n.dirs[d]; ok {
			break
		}
		n.dirs[d] = struct{}{}
	}
	return nil
}

// Memory is a site held in memory, for tests and tools that look at the
// files instead of publishing them. It refuses what a [Stage] refuses, so
// what builds in memory also publishes. It is safe for concurrent use; the
// zero value is empty and ready.
type Memory struct {
	mu    sync.Mutex
	names names
	files map[string][]byte
}

// WriteFile keeps a file, with the checks of [Stage.WriteFile].
func (m *Memory) WriteFile(p string, data []byte) error {
	if err := checkName(p); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.names.add(p); err != nil {
		return err
	}
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	m.files[p] = data
	return nil
}

// Create gives a file that is kept when it is closed, with the checks of
// [Stage.Create].
func (m *Memory) Create(p string) (io.WriteCloser, error) {
	if err := checkName(p); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.names.add(p); err != nil {
		return nil, err
	}
	return &memoryFile{m: m, p: p}, nil
}

type memoryFile struct {
	m *Memory
	p string
	bytes.Buffer
}

func (f *memoryFile) Close() error {
	f.m.mu.Lock()
	defer f.m.mu.Unlock()
	if f.m.files == nil {
		f.m.files = map[string][]byte{}
	}
	f.m.files[f.p] = f.Bytes()
	return nil
}

// Has reports whether p is taken, as [Stage.Has] does.
func (m *Memory) Has(p string) bool {
	if p == Marker {
		return true
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.names.clash(p) != nil
}

// Sums returns the SHA-256 of every file, by path.
func (m *Memory) Sums() map[string][sha256.Size]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string][sha256.Size]byte, len(m.files))
	for p, b := range m.files {
		out[p] = sha256.Sum256(b)
	}
	return out
}

// Files returns the files kept, by path. The map is the Memory's own.
func (m *Memory) Files() map[string][]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.files
}
