// Command kb builds a postmortem knowledge base from a folder of Markdown
// and reStructuredText files.
//
// Output policy: results a command was asked for go to stdout (the build
// summary, lint findings, search results); errors, warnings and hints go to
// stderr as "kb: error: …", "kb: warning: …", "kb: hint: …". Exit codes: 0
// ok, 1 the content has problems, 2 misuse or an I/O error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	// Ctrl-C, and the SIGTERM of a cancelled CI job or a timeout, stop a
	// build cleanly: the stage is removed and the previous site stays.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what commands may know of the process: its streams, environment
// and clock. Tests replace it; nothing below cmd/kb reads these directly.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"init", "create a new knowledge base in a folder", runInit},
		{"build", "build the site into the output folder", runBuild},
		{"lint", "check that every postmortem has what the site requires", runLint},
		{"new", "start a postmortem from the site's template", runNew},
		{"search", "search the postmortems from the terminal", runSearch},
		{"serve", "serve the site here, rebuilding it on every change", runServe},
		{"inspect", "show what kb reads from one file", runInspect},
		{"import", "copy an archive of postmortems into the content folder", runImport},
		{"version", "print the version of kb", runVersion},
		{"help", "show help for a command", nil},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, getenv: os.Getenv, now: time.Now}
	return e.run(ctx, args)
}

func (e *env) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		mainUsage(e.stderr)
		return 2
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 {
			return e.run(ctx, []string{rest[0], "--help"})
		}
		mainUsage(e.stdout)
		return 0
	case "--version", "-version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return e.exit(c.run(ctx, e, rest))
		}
	}
	e.printError(&usageError{msg: fmt.Sprintf("unknown command %q", name), hint: "run kb help to list the commands"})
	return 2
}

func mainUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString(`kb builds a knowledge base from a folder of postmortems.

Usage:
	kb <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(&b, "\t%-8s %s\n", c.name, c.summary)
	}
	b.WriteString(`
Run "kb <command> --help" for a command's flags.
`)
	io.WriteString(w, b.String())
}

// usageError is a mistake in how kb was called: exit 2.
type usageError struct {
	msg, hint string
}

func (e *usageError) Error() string { return e.msg }

// errFindings means a command reported problems already and exits 1.
var errFindings = errors.New("findings reported")

// errHelp means help was asked for and printed: exit 0.
var errHelp = errors.New("help printed")
