// Command kbcorpus writes a synthetic postmortem knowledge base: a
// site.toml and a content folder of Markdown and reStructuredText files,
// the same bytes for the same seed and count. Benchmarks and tests build it
// with kb (and the Markdown part with Hugo).
//
// Usage:
//
//	kbcorpus -out DIR [-n 1000] [-seed 1] [-force]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/kb-postmortems/kb/internal/corpus"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `usage: kbcorpus -out DIR [-n N] [-seed S] [-force]

Writes DIR/site.toml and N postmortems under DIR/content/, about 70%
Markdown and 30% reStructuredText, 2-8 KB each. The same N and seed give
the same bytes on every machine.

Flags:
`

// run returns the exit code: 0 on success, 1 when writing failed, 2 on
// misuse.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kbcorpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 1000, "number of postmortems")
	seed := fs.Uint64("seed", 1, "seed; the same seed and -n give the same corpus")
	out := fs.String("out", "", "folder to write into (required)")
	force := fs.Bool("force", false, "write into a folder that is not empty")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return 0
		}
		return 2
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "kbcorpus: error: unexpected argument %q\n", fs.Arg(0))
		return 2
	case *out == "":
		fmt.Fprintln(stderr, "kbcorpus: error: -out is required")
		fmt.Fprintln(stderr, "kbcorpus: hint: kbcorpus -n 1000 -out /tmp/corpus")
		return 2
	case *n < 0:
		fmt.Fprintf(stderr, "kbcorpus: error: -n must not be negative, got %d\n", *n)
		return 2
	}
	empty, err := isEmpty(*out)
	if err != nil {
		fmt.Fprintf(stderr, "kbcorpus: error: %v\n", err)
		return 1
	}
	if !empty && !*force {
		fmt.Fprintf(stderr, "kbcorpus: error: %s is not empty\n", *out)
		fmt.Fprintln(stderr, "kbcorpus: hint: choose an empty folder, or add -force to write into it anyway")
		return 2
	}
	st, err := corpus.Write(*out, corpus.Options{N: *n, Seed: *seed})
	if err != nil {
		fmt.Fprintf(stderr, "kbcorpus: error: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %d postmortems (%d Markdown, %d RST, %.1f MB) to %s\n",
		st.Postmortems, st.Markdown, st.RST, float64(st.Bytes)/1e6, *out)
	return 0
}

// isEmpty reports whether dir is missing or holds nothing: a corpus is
// not mixed into other files by accident.
func isEmpty(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return len(entries) == 0, nil
}
