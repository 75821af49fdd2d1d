// Package publish writes a finished site to its folder so that readers only
// ever see a whole site: the previous one or the new one, never a mixture
// and never nothing after a failure. It knows about files, not incidents.
//
// The site is written into a stage folder beside the destination (same file
// system), every file and folder is fsynced, and then the stage and the
// destination are exchanged. On Linux the exchange is one renameat2 call
// with RENAME_EXCHANGE; elsewhere it is two renames, with a moment between
// them in which the destination does not exist. Any error before the swap
// removes the stage and leaves the destination as it was.
package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Marker is a file written at the root of every published site. Publish
// refuses to replace a non-empty folder without it: pointing --dest at the
// wrong folder must not delete somebody's files.
const Marker = ".kb-site"

// Publish replaces the folder dest with exactly files (output path →
// contents). Paths must be relative, slash-separated and stay inside dest.
func Publish(dest string, files map[string][]byte) (err error) {
	dest = filepath.Clean(dest)
	if err := checkDest(dest); err != nil {
		return err
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", parent, err)
	}
	sweep(parent, filepath.Base(dest))
	// The stage's name carries this process's id, so a later build can
	// tell a stage left by a killed build from one still being written.
	stage, err := os.MkdirTemp(parent, ".kb-stage-"+filepath.Base(dest)+"-"+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return fmt.Errorf("create stage folder: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(stage)
		}
	}()
	if err := os.Chmod(stage, 0o755); err != nil {
		return err
	}
	if err := writeAll(stage, files); err != nil {
		return err
	}
	return swap(stage, dest)
}

// checkDest refuses destinations kb did not make.
func checkDest(dest string) error {
	st, err := os.Lstat(dest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("output %s exists and is not a folder; remove it or choose another with --dest", dest)
	}
	ents, err := os.ReadDir(dest)
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if len(ents) == 0 {
		return nil
	}
	mark, err := os.ReadFile(filepath.Join(dest, Marker))
	if err != nil {
		return fmt.Errorf("output folder %s holds files kb did not write (no %s); empty it or choose another with --dest", dest, Marker)
	}
	// The marker lists what kb wrote: anything else (a .git folder of a
	// gh-pages checkout, a CNAME added by hand) would be deleted by the
	// swap, so it stops the build instead.
	written, listed := writtenFiles(mark)
	if !listed {
		return nil // a marker from before kb listed its files
	}
	var foreign []string
	err = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() || rel == Marker || written[rel] {
			return nil
		}
		foreign = append(foreign, rel)
		if len(foreign) >= 5 {
			return filepath.SkipAll
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if len(foreign) > 0 {
		return fmt.Errorf("output folder %s holds files kb did not write (%s); kb replaces the whole folder, so move them out (files to publish as they are belong in static/) or choose another --dest",
			dest, strings.Join(foreign, ", "))
	}
	return nil
}

// markerHeader starts the marker file; the files kb wrote follow it, one
// per line.
const markerHeader = "# This folder was written by kb build and is replaced whole by the next build.\n# Files kb wrote:\n"

func writtenFiles(mark []byte) (map[string]bool, bool) {
	s := string(mark)
	if !strings.HasPrefix(s, markerHeader) {
		return nil, false
	}
	out := map[string]bool{}
	for _, l := range strings.Split(strings.TrimPrefix(s, markerHeader), "\n") {
		if l != "" {
			out[l] = true
		}
	}
	return out, true
}

// sweep removes what killed or crashed earlier builds left beside dest:
// old sites whose removal was cut short, and stages whose build is no
// longer running. Only folders named exactly for this destination are
// touched (".kb-old-site-123", not ".kb-old-site-old-123").
func sweep(parent, base string) {
	ents, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range ents {
		n := e.Name()
		if !e.IsDir() {
			continue
		}
		if rest, ok := strings.CutPrefix(n, ".kb-old-"+base+"-"); ok && digits(rest) {
			os.RemoveAll(filepath.Join(parent, n))
			continue
		}
		if rest, ok := strings.CutPrefix(n, ".kb-stage-"+base+"-"); ok {
			pid, random, found := strings.Cut(rest, "-")
			if !found || !digits(pid) || !digits(random) {
				continue
			}
			if id, err := strconv.Atoi(pid); err == nil && id != os.Getpid() && !alive(id) {
				os.RemoveAll(filepath.Join(parent, n))
			}
		}
	}
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func writeAll(root string, files map[string][]byte) error {
	names := make([]string, 0, len(files)+1)
	for p := range files {
		if !ValidPath(p) {
			return fmt.Errorf("output path %q is not a relative path inside the site", p)
		}
		names = append(names, p)
	}
	sort.Strings(names)
	dirs := map[string]bool{".": true}
	for _, p := range names {
		for d := path.Dir(p); !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	dirList := make([]string, 0, len(dirs))
	for d := range dirs {
		dirList = append(dirList, d)
	}
	sort.Strings(dirList)
	for _, d := range dirList {
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
	}
	// Files are written by a few goroutines: a site has thousands of
	// small files, and the cost is in system calls, not bytes.
	// Many files are made durable by one syncfs; a few by their own
	// fsyncs, which cost less than flushing whatever else the file system
	// holds.
	whole := syncsWholeFS() && len(names) > 256
	jobs := make(chan string)
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				if err := writeFile(filepath.Join(root, filepath.FromSlash(p)), files[p], !whole); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for _, p := range names {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	if err := writeFile(filepath.Join(root, Marker), []byte(markerHeader+strings.Join(names, "\n")+"\n"), !whole); err != nil {
		return err
	}
	if whole {
		// One call makes every file and folder of the stage durable.
		return syncFS(root)
	}
	// Deepest folders first, so every entry is durable before its parent.
	sort.Sort(sort.Reverse(sort.StringSlice(dirList)))
	for _, d := range dirList {
		if err := syncDir(filepath.Join(root, filepath.FromSlash(d))); err != nil {
			return err
		}
	}
	return nil
}

// ValidPath reports whether p is a clean relative path that stays inside
// the site.
func ValidPath(p string) bool {
	return p != "" && fs.ValidPath(p) && p != "." && !strings.Contains(p, "\\")
}

func writeFile(name string, b []byte, sync bool) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if sync {
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

func syncDir(name string) error {
	d, err := os.Open(name)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("sync %s: %w", name, err)
	}
	return nil
}

// swap makes stage the new dest and removes the old site.
func swap(stage, dest string) error {
	parent := filepath.Dir(dest)
	if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(stage, dest); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		return syncDir(parent)
	}
	if err := exchange(stage, dest); err == nil {
		// stage now holds the old site.
		if err := syncDir(parent); err != nil {
			return err
		}
		return os.RemoveAll(stage)
	}
	old, err := os.MkdirTemp(parent, ".kb-old-"+filepath.Base(dest)+"-")
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := os.Remove(old); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := os.Rename(dest, old); err != nil {
		return fmt.Errorf("publish: move old site aside: %w", err)
	}
	if err := os.Rename(stage, dest); err != nil {
		// Put the old site back; the stage is removed by the caller.
		if rerr := os.Rename(old, dest); rerr != nil {
			// Keep it where no later build sweeps.
			rescue := strings.Replace(old, ".kb-old-", ".kb-rescue-", 1)
			if os.Rename(old, rescue) == nil {
				old = rescue
			}
			return fmt.Errorf("publish: %w (and restoring the old site failed: %v; it is in %s)", err, rerr, old)
		}
		return fmt.Errorf("publish: %w", err)
	}
	if err := syncDir(parent); err != nil {
		return err
	}
	return os.RemoveAll(old)
}
