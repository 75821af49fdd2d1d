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
	"strings"
	"text/tabwriter"

	"github.com/kb-postmortems/kb/internal/site"
)

const importUsage = `Usage:
	kb import [flags] SOURCE

Copies an archive of postmortems (numbered names, year/month folders, no
front matter) into the content folder, read exactly as a build reads
it with the site's site.toml. Each postmortem is renamed YYYY-MM-DD-slug.md
(YYYY-MM-slug or YYYY-slug for a month or a year, slug when undated; .rst
and .txt keep their format) in the folder it had, and what kb inferred
(title, date, severity, systems, authors) and the file does not say is
written into it: YAML front matter, or an RST field list. Logs, pages,
images and other files are copied as they are. A table shows what was
inferred and from where, then the files that could not be dated.

SOURCE is never changed and no file is overwritten: a file that exists is
an error for that file, the others go on, and the exit status is 1. Links
between postmortems are not rewritten; kb lint lists the ones the renaming
broke.

Flags:
	--dest DIR      where to copy the archive (default: the content
	                folder/<name of SOURCE>); relative to where kb runs
	--dry-run       print the table and write nothing
	--source DIR    the site's folder, holding site.toml (default ".")
	--verbose       print every warning with its hint

Examples:
	kb import --dry-run ~/old-postmortems
	kb import ~/old-postmortems
	kb import --dest content/archive ../wiki-export
`

func runImport(ctx context.Context, e *env, args []string) error {
	flags := newFlags("import")
	dest := flags.String("dest", "", "")
	dryRun := flags.Bool("dry-run", false, "")
	source := flags.String("source", ".", "")
	verbose := flags.Bool("verbose", false, "")
	if err := e.parseFlags(flags, importUsage, args); err != nil {
		return err
	}
	// Flags may follow the archive too: kb import old --dry-run.
	var archive string
	if flags.NArg() > 0 {
		archive = flags.Arg(0)
		if err := e.parseFlags(flags, importUsage, flags.Args()[1:]); err != nil {
			return err
		}
	}
	if archive == "" {
		io.WriteString(e.stderr, importUsage)
		return &usageError{msg: "kb import needs the folder to import", hint: "kb import --dry-run ../old-postmortems"}
	}
	if flags.NArg() > 0 {
		io.WriteString(e.stderr, importUsage)
		return &usageError{msg: fmt.Sprintf("unexpected argument %q", flags.Arg(0)), hint: "import one folder at a time"}
	}
	st, err := os.Stat(archive)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &usageError{msg: fmt.Sprintf("%s: no such folder", archive), hint: "give the folder that holds the postmortems"}
	case err != nil:
		return &usageError{msg: fmt.Sprintf("%s: %v", archive, unwrapPathErr(err)), hint: "give the folder that holds the postmortems"}
	case !st.IsDir():
		return &usageError{msg: fmt.Sprintf("%s is not a folder", archive), hint: "give the folder that holds the postmortems; to add one file, copy it into the content folder"}
	}
	cfg, err := loadConfig(*source)
	if err != nil {
		return err
	}
	out := *dest
	if out == "" {
		out = filepath.Join(cfg.ContentPath(), baseName(archive))
	}
	rep, err := site.Import(ctx, cfg, archive, out, *dryRun)
	if errors.Is(err, site.ErrImportNested) {
		return &usageError{msg: err.Error(), hint: "import into a folder outside the archive with --dest, or move the archive out of the site's content folder"}
	}
	if rep == nil {
		return err
	}
	if err != nil {
		// Interrupted: say what was written so far.
		printImport(e.stdout, rep, slash(out))
		return err
	}
	limit := 20
	if *verbose {
		limit = 0
	}
	e.printWarnings(rep.Warnings, limit)
	printImport(e.stdout, rep, slash(out))
	failed := false
	for _, err := range rep.Errors {
		e.printError(err)
		failed = true
	}
	for _, f := range rep.Unreadable() {
		e.printError(f.ReadErr)
		failed = true
	}
	if len(rep.Unreadable()) > 0 {
		verb := "were"
		if rep.DryRun {
			verb = "would be"
		}
		hint(e.stderr, fmt.Sprintf("the files kb could not read %s copied as they are; fix them in %s", verb, slash(out)))
	}
	exists := 0
	for _, f := range rep.Failed() {
		failed = true
		if errors.Is(f.Err, fs.ErrExist) {
			exists++
			fmt.Fprintf(e.stderr, "kb: error: %s already exists\n", term(path.Join(slash(out), f.New)))
			continue
		}
		fmt.Fprintf(e.stderr, "kb: error: %s\n", term(f.Err.Error()))
	}
	if exists > 0 {
		hint(e.stderr, "kb import never overwrites a file; import into another folder with --dest, or remove what an earlier import wrote")
	}
	if failed {
		return errFindings
	}
	return nil
}

// printImport writes the table of what was (or would be) imported, the
// files that could not be dated and a summary line.
func printImport(w io.Writer, rep *site.ImportReport, dest string) {
	var table, b strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 4, 2, ' ', 0)
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return cell(s)
	}
	fmt.Fprintln(tw, "source\tnew\tdate\tfrom\ttitle\tseverity\tsystems")
	for _, f := range rep.Files {
		newPath := dash(f.New)
		if f.Err != nil {
			if errors.Is(f.Err, fs.ErrExist) {
				newPath += " (exists)"
			} else {
				newPath += " (failed)"
			}
		}
		row := []string{cell(f.Source), newPath, "", "", "", "", ""}
		switch {
		case f.Kind == site.ImportPostmortem:
			row[2], row[3], row[4], row[5], row[6] = dash(f.Date), dash(f.DateFrom), dash(f.Title), dash(f.Severity), dash(strings.Join(f.Systems, ", "))
		case f.Kind == site.ImportLog:
			row[2] = fmt.Sprintf("log: %d entries", f.Entries)
			if f.Entries == 1 {
				row[2] = "log: 1 entry"
			}
		case f.Kind == site.ImportPage:
			row[2] = "page"
		case f.ReadErr != nil:
			row[2] = "copied, not readable"
		case f.Kind == site.ImportCopied:
			row[2] = "copied"
		default:
			row[2] = "not read"
		}
		// Every row has every cell, so the columns line up throughout.
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
	b.WriteString(trimLines(table.String()))
	if len(rep.Undated) > 0 {
		b.WriteString("\ncould not date:\n")
		tw = tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, u := range rep.Undated {
			at := u.File
			if u.Line > 0 {
				at = fmt.Sprintf("%s:%d", u.File, u.Line)
			}
			fmt.Fprintf(tw, "  %s\t%s\n", cell(at), cell(u.Title))
		}
		tw.Flush()
	}
	verb := "imported"
	if rep.DryRun {
		verb = "would import"
	}
	fmt.Fprintf(&b, "\n%s %s, %s, %s, %s into %s", verb,
		plural(rep.Count(site.ImportPostmortem), "postmortem"), plural(rep.Count(site.ImportLog), "log"),
		plural(rep.Count(site.ImportPage), "page"), plural(rep.Count(site.ImportCopied), "other file"), term(dest))
	if n := len(rep.Undated); n > 0 {
		fmt.Fprintf(&b, "; %d could not be dated", n)
	}
	if n := len(rep.Failed()); n > 0 {
		if rep.DryRun {
			fmt.Fprintf(&b, "; %d would fail", n)
		} else {
			fmt.Fprintf(&b, "; %d failed", n)
		}
	}
	b.WriteString("\n")
	io.WriteString(w, b.String())
}

// trimLines drops the padding tabwriter leaves after the last cell of a
// row.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// cell keeps a table cell on its line and in its column.
func cell(s string) string {
	return term(strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s))
}

// baseName is the name of the folder p names, even for "." or "old/".
func baseName(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return filepath.Base(p)
}

func slash(p string) string { return filepath.ToSlash(filepath.Clean(p)) }

// unwrapPathErr drops the *PathError wrapper, whose path the caller names.
func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
