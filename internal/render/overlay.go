package render

import (
	"errors"
	"io/fs"
	"sort"
)

// Overlay returns a file system that serves each file from top when top has
// it and from base otherwise: a site's own layouts/ over the embedded
// defaults. A nil top serves base alone.
func Overlay(top, base fs.FS) fs.FS {
	if top == nil {
		return base
	}
	return overlay{top: top, base: base}
}

type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.top.Open(name)
	if err == nil {
		st, serr := f.Stat()
		if serr == nil && !st.IsDir() {
			return f, nil
		}
		f.Close()
	} else if !errors.Is(err, fs.ErrNotExist) {
		// A file of the site's that cannot be read (a link that leads
		// out of the folder, a file without permission) is an error to
		// show, not a reason to quietly serve the default instead.
		return nil, err
	}
	return o.base.Open(name)
}

// ReadDir merges both directories; a name in top hides the same name in
// base.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	a, errA := fs.ReadDir(o.top, name)
	b, errB := fs.ReadDir(o.base, name)
	if errA != nil && !errors.Is(errA, fs.ErrNotExist) {
		return nil, errA
	}
	if errA != nil && errB != nil {
		return nil, errB
	}
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, e := range a {
		seen[e.Name()] = true
		out = append(out, e)
	}
	for _, e := range b {
		if !seen[e.Name()] {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}
