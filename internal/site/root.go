package site

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/kb-postmortems/kb/internal/markup"
)

// siteDir is one of the site's own folders (assets, layouts, static),
// read through an [os.Root]: a symbolic link that leaves the folder cannot
// be followed, however it is written and whenever it is made, so nothing
// outside the site is published. A build on a CI machine must not put
// /proc/self/environ or /etc/passwd on the public site because someone
// committed a link to it.
type siteDir struct {
	root *os.Root
	// name is the folder as messages show it, relative to the site
	// ("assets"): never an absolute path of the machine that builds.
	name string
}

// openSiteDir opens a folder of the site; nil, nil when there is none,
// which is not an error: each folder is optional.
func openSiteDir(cfg Config, dir string) (*siteDir, error) {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return nil, nil
	}
	name := shownDir(cfg, dir)
	if name != filepath.ToSlash(dir) {
		// Inside the site: opened from the site's folder, so that the
		// folder itself cannot be a link out of it (assets -> /etc). A
		// folder elsewhere is one site.toml names on purpose.
		top, err := os.OpenRoot(cfg.Root)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, unwrapPath(err))
		}
		defer top.Close()
		r, err := top.OpenRoot(filepath.FromSlash(name))
		if err != nil {
			if target, lerr := os.Readlink(dir); lerr == nil {
				return nil, &markup.Error{Pos: markup.Pos{File: name},
					Err:  fmt.Errorf("a symbolic link to outside the site (%s); kb publishes nothing from outside the site", target),
					Hint: fmt.Sprintf("make %s a folder of the site, or name the folder it links to in site.toml, so that the choice is written down", name)}
			}
			return nil, fmt.Errorf("%s: %w", name, unwrapPath(err))
		}
		return &siteDir{root: r, name: name}, nil
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, unwrapPath(err))
	}
	return &siteDir{root: r, name: name}, nil
}

// shownDir names a folder of the site relative to the site, as messages
// show it.
func shownDir(cfg Config, dir string) string {
	if r, err := filepath.Rel(cfg.Root, dir); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) && !filepath.IsAbs(r) {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(dir)
}

// FS is the folder as a file system confined to it; nil for no folder, so
// that [render.Overlay] serves the defaults alone.
func (d *siteDir) FS() fs.FS {
	if d == nil {
		return nil
	}
	return d.root.FS()
}

func (d *siteDir) Close() error {
	if d == nil {
		return nil
	}
	return d.root.Close()
}

// checkLinks refuses every symbolic link in the folder that leads out of
// it, in a circle or nowhere, each named in its own error: the site's own
// folders are its configuration, and such a link there is a mistake or an
// attack, never something to publish. Links that stay inside are
// followed by the reads, as before.
func (d *siteDir) checkLinks() []error {
	if d == nil {
		return nil
	}
	var errs []error
	err := fs.WalkDir(d.root.FS(), ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, &markup.Error{Pos: markup.Pos{File: d.shown(p)}, Err: fmt.Errorf("cannot read folder: %w", unwrapPath(err)), Hint: "check the folder's permissions"})
			return fs.SkipDir
		}
		if e.Type()&fs.ModeSymlink != 0 {
			if err := d.linkError(p); err != nil {
				errs = append(errs, err)
			}
		}
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	return errs
}

// linkError says what is wrong with the symbolic link at rel (slash
// separated, relative to the folder): nil when rel is no link, or a link
// that stays inside the folder.
func (d *siteDir) linkError(rel string) error {
	if d == nil {
		return nil
	}
	name := filepath.FromSlash(rel)
	lst, err := d.root.Lstat(name)
	if err != nil || lst.Mode()&fs.ModeSymlink == 0 {
		return nil
	}
	_, err = d.root.Stat(name)
	if err == nil {
		return nil
	}
	target, _ := d.root.Readlink(name)
	pos := markup.Pos{File: d.shown(rel)}
	switch {
	case errors.Is(err, syscall.ELOOP):
		return &markup.Error{Pos: pos, Err: fmt.Errorf("cannot follow symbolic link: %w", unwrapPath(err)),
			Hint: "fix or remove the link (a link that points to itself or in a circle can never be read)"}
	case errors.Is(err, fs.ErrNotExist):
		return &markup.Error{Pos: pos, Err: fmt.Errorf("a symbolic link to nothing (%s)", target),
			Hint: "fix or remove the link"}
	}
	return &markup.Error{Pos: pos, Err: fmt.Errorf("a symbolic link to outside %s/ (%s); kb publishes nothing from outside the site", d.name, target),
		Hint: fmt.Sprintf("copy the file into %s/ or remove the link", d.name)}
}

func (d *siteDir) shown(rel string) string {
	if rel == "." {
		return d.name
	}
	return d.name + "/" + rel
}

// userFolders opens the site's layouts and assets, and refuses the build
// when a link in them, or in the static folder, leads out: before a page
// is made, so the published site is left as it was.
func userFolders(cfg Config) (layouts, assets, static *siteDir, err error) {
	closeAll := func() {
		layouts.Close()
		assets.Close()
		static.Close()
	}
	var errs []error
	for _, f := range []struct {
		dir string
		to  **siteDir
	}{{cfg.LayoutsPath(), &layouts}, {cfg.AssetsPath(), &assets}, {cfg.StaticPath(), &static}} {
		d, err := openSiteDir(cfg, f.dir)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		*f.to = d
		errs = append(errs, d.checkLinks()...)
	}
	if len(errs) > 0 {
		closeAll()
		return nil, nil, nil, &ContentError{Errs: errs}
	}
	return layouts, assets, static, nil
}
