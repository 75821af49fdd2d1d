// Package publish writes a site to its folder so that readers only ever see
// a whole site: the previous one or the new one, never a mixture and never
// nothing after a failure. It knows about files, not incidents.
//
// A build hands files to a [Stage] as it makes them, rather than a whole
// site at the end, so that no stage of kb has to hold every page in memory:
// each file is written into a stage folder beside the destination (same
// file system) and its bytes can be dropped at once. The stage remembers
// only names and SHA-256 sums, which is what the checks that span the
// whole site (a name written twice, a file where a folder is, the service
// worker's version) need. [Stage.Commit] makes everything durable and then
// exchanges the stage and the destination: on Linux in one renameat2 call
// with RENAME_EXCHANGE; elsewhere with two renames, with a moment between
// them in which the destination does not exist. [Stage.Abort], and any
// error before the swap, removes the stage and leaves the destination as it
// was.
package publish

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"
)

// Publish replaces the folder dest with exactly files (output path →
// contents). Paths must be relative, slash-separated and stay inside dest.
// It suits sites small enough to hold in memory; a build streams its files
// into a [Stage] instead.
func Publish(dest string, files map[string][]byte) (err error) {
	names := make([]string, 0, len(files))
	for p := range files {
		if err := checkName(p); err != nil {
			return err
		}
		names = append(names, p)
	}
	sort.Strings(names)
	st, err := Begin(dest)
	if err != nil {
		return err
	}
	defer st.Abort()
	// A site has thousands of small files, and the cost is in system
	// calls, not bytes: a few goroutines keep the disk busy.
	var g errgroup.Group
	g.SetLimit(4)
	for _, p := range names {
		g.Go(func() error { return st.WriteFile(p, files[p]) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return st.Commit()
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
		return &Error{Err: fmt.Errorf("output %s exists and is not a folder", dest), Hint: "remove it or choose another output folder with --dest"}
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
		return &Error{Err: fmt.Errorf("output folder %s holds files kb did not write (no %s)", dest, Marker), Hint: "empty it or choose another output folder with --dest"}
	}
	// The marker lists what kb wrote: anything else (a .git folder of a
	// gh-pages checkout, a CNAME added by hand) would be deleted by the
	// swap, so it stops the build instead.
	written, listed, err := writtenFiles(mark)
	if err != nil {
		return &Error{Err: fmt.Errorf("output folder %s: %w", dest, err), Hint: "if kb wrote this folder, delete it and build again; otherwise choose another output folder with --dest"}
	}
	if !listed {
		return nil // a marker from before kb listed its files
	}
	if bytes.HasPrefix(mark, []byte(markerHeader)) {
		if err := distrustSplit(dest, written); err != nil {
			return fmt.Errorf("output folder: %w", err)
		}
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
		foreign = append(foreign, Escape(rel))
		if len(foreign) >= 5 {
			return filepath.SkipAll
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if len(foreign) > 0 {
		return &Error{Err: fmt.Errorf("output folder %s holds files kb did not write (%s)", dest, strings.Join(foreign, ", ")),
			Hint: "kb replaces the whole folder, so move them out (files to publish as they are belong in static/) or choose another output folder with --dest"}
	}
	return nil
}

// distrustSplit drops from written, read from a marker of format 1, the
// pieces of every name in dest with a line break: that marker listed such
// a name as two entries, and "foo\nCNAME" must not make a CNAME added by
// hand kb's. Those files are then the owner's, and stop the build.
func distrustSplit(dest string, written map[string]bool) error {
	return filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		rel = filepath.ToSlash(rel)
		if !strings.Contains(rel, "\n") {
			return nil
		}
		delete(written, rel)
		for _, piece := range strings.Split(rel, "\n") {
			delete(written, piece)
		}
		return nil
	})
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
		return removeTree(stage)
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
	return removeTree(old)
}

// removeTree removes dir and everything in it, many folders at a time.
// Removing is mostly waiting on the disk, the more so where the file
// system discards freed blocks as it goes (ext4 mounted with discard, as
// on many cloud machines): there, the old site of 10,000 incidents took
// 6.8 s to remove one file after another and 3.4 s four folders at a time.
// Links are removed, never followed.
func removeTree(dir string) error {
	var g errgroup.Group
	g.SetLimit(8)
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		if !e.IsDir() {
			g.Go(func() error { return os.Remove(p) })
			continue
		}
		subs, _ := os.ReadDir(p)
		for _, sub := range subs {
			g.Go(func() error { return os.RemoveAll(filepath.Join(p, sub.Name())) })
		}
	}
	// What a file or folder could not be removed for, RemoveAll says
	// again below, once.
	_ = g.Wait()
	return os.RemoveAll(dir)
}
