package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/kb-postmortems/kb"
)

const initUsage = `Usage:
	kb init [DIR]

Creates a knowledge base in DIR (default "."), making the folder if need
be: site.toml with every setting commented out at its default, an example
postmortem in Markdown and one in reStructuredText, GitHub workflows that
lint pull requests and publish the site to GitHub Pages, and a README for
the team. If any of those files exists already, kb init writes nothing.

Examples:
	kb init postmortems
	kb init
`

// initVersionLine is the line of the workflows that names the kb they
// install; kb init pins it to its own version when it has one.
const initVersionLine = "KB_VERSION: latest"

func runInit(ctx context.Context, e *env, args []string) error {
	flags := newFlags("init")
	if err := e.parseFlags(flags, initUsage, args); err != nil {
		return err
	}
	if flags.NArg() > 1 {
		io.WriteString(e.stderr, initUsage)
		return &usageError{msg: "kb init takes one folder", hint: "kb init postmortems"}
	}
	dir := "."
	if flags.NArg() == 1 {
		dir = flags.Arg(0)
	}
	files, err := initFiles(kb.Init(), moduleVersion())
	if err != nil {
		return err
	}
	if err := checkInit(dir, files); err != nil {
		return err
	}
	if err := writeInit(dir, files); err != nil {
		return fmt.Errorf("kb init wrote nothing: %w", err)
	}
	printInit(e.stdout, dir, files)
	return nil
}

// initFile is one file kb init writes: its slash-separated path in the new
// site, and its contents.
type initFile struct {
	name string
	data []byte
}

// initFiles reads the files of a new site from fsys, in lexical order. A
// kb installed at a version (go install …@v1.2.0) pins the workflows to
// it, so CI checks with the kb the team has; a build without one leaves
// "latest". Either way the same binary writes the same bytes.
func initFiles(fsys fs.FS, version string) ([]initFile, error) {
	var out []initFile
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if strings.HasSuffix(name, ".yml") && version != "" {
			b = []byte(strings.ReplaceAll(string(b), initVersionLine, "KB_VERSION: "+version))
		}
		out = append(out, initFile{name: name, data: b})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the files of a new site: %w", err)
	}
	return out, nil
}

// moduleVersion is kb's module version when it was installed at one, else
// "" (a build from a checkout).
func moduleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" || bi.Main.Version == "(devel)" {
		return ""
	}
	return bi.Main.Version
}

// checkInit refuses, before anything is written, a folder that holds any
// of the files (or something that is not a folder where one is needed):
// a knowledge base half overwritten is worse than none.
func checkInit(dir string, files []initFile) error {
	var errs []error
	checked := map[string]bool{}
	blocked := map[string]bool{} // parents that exist as files
	for _, f := range files {
		inBlocked := false
		for p := path.Dir(f.name); p != "."; p = path.Dir(p) {
			if !checked[p] {
				checked[p] = true
				st, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p)))
				if err == nil && !st.IsDir() {
					blocked[p] = true
					errs = append(errs, fmt.Errorf("%s exists and is not a folder", shown(dir, p)))
				}
			}
			inBlocked = inBlocked || blocked[p]
		}
		if inBlocked {
			continue
		}
		_, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f.name)))
		switch {
		case err == nil:
			errs = append(errs, fmt.Errorf("%s already exists", shown(dir, f.name)))
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("check %s: %w", shown(dir, f.name), err)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	where := ""
	if dir != "." {
		where = " in " + dir
	}
	errs = append(errs, &usageError{
		msg:  fmt.Sprintf("kb init wrote nothing rather than overwrite %s%s", plural(len(errs), "file"), where),
		hint: "run kb init in a new folder (kb init postmortems), or move those files away first",
	})
	return errors.Join(errs...)
}

// writeInit writes the files, each created only if absent. If one cannot
// be written, those written before it are removed, with the folders made
// for them.
func writeInit(dir string, files []initFile) (err error) {
	var made []string // files and folders created, in order
	defer func() {
		if err != nil {
			for i := len(made) - 1; i >= 0; i-- {
				os.Remove(made[i])
			}
		}
	}()
	mkdir := func(p string) error {
		var missing []string
		for q := p; ; q = filepath.Dir(q) {
			if _, err := os.Lstat(q); err == nil {
				break
			}
			missing = append(missing, q)
			if filepath.Dir(q) == q {
				break
			}
		}
		for i := len(missing) - 1; i >= 0; i-- {
			if err := os.Mkdir(missing[i], 0o755); err != nil {
				return err
			}
			made = append(made, missing[i])
		}
		return nil
	}
	for _, f := range files {
		full := filepath.Join(dir, filepath.FromSlash(f.name))
		if err := mkdir(filepath.Dir(full)); err != nil {
			return err
		}
		w, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		made = append(made, full)
		_, err = w.Write(f.data)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// shown is how a file of the new site is named to the user: relative to
// where kb runs.
func shown(dir, name string) string {
	return filepath.ToSlash(filepath.Join(dir, filepath.FromSlash(name)))
}

func printInit(w io.Writer, dir string, files []initFile) {
	var b strings.Builder
	for _, f := range files {
		fmt.Fprintf(&b, "wrote %s\n", shown(dir, f.name))
	}
	b.WriteString("\nNext steps:\n")
	if dir != "." {
		fmt.Fprintf(&b, "\tcd %s\n", dir)
	}
	b.WriteString(`	kb lint                  check the example postmortems
	kb serve                 see the site as it will be published
	kb new "What broke"      start your first postmortem, then delete the examples
	Push to GitHub and set Settings > Pages > Source to GitHub Actions:
	every pull request is linted, every push to main is published.
`)
	io.WriteString(w, b.String())
}
