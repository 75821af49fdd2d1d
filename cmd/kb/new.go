package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kb-postmortems/kb/internal/site"
)

const newUsage = `Usage:
	kb new [flags] TITLE

Writes content/YYYY-MM-DD-title.md (or .rst) from the site's template
(layouts/new.md or layouts/new.rst, else the built-in one), with every
required and recommended section and the question each should answer.
kb lint reports those sections as empty until someone fills them in. An
existing file is never overwritten.

Flags:
	--format md|rst   the file format (default md)
	--date DATE       the incident's date, YYYY-MM-DD (default today)
	--source DIR      the site's folder, holding site.toml (default ".")

Examples:
	kb new "Postgres ran out of connections"
	kb new --format rst --date 2024-01-11 "Queue backlog"
`

func runNew(ctx context.Context, e *env, args []string) error {
	fs := newFlags("new")
	format := fs.String("format", "md", "")
	date := fs.String("date", "", "")
	source := fs.String("source", ".", "")
	if err := e.parseFlags(fs, newUsage, args); err != nil {
		return err
	}
	title := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if title == "" {
		io.WriteString(e.stderr, newUsage)
		return &usageError{msg: "kb new needs a title", hint: `kb new "Postgres ran out of connections"`}
	}
	if *format != "md" && *format != "rst" {
		return &usageError{msg: fmt.Sprintf("unknown format %q", *format), hint: "use --format md or --format rst"}
	}
	cfg, err := loadConfig(*source)
	if err != nil {
		return err
	}
	if *date == "" {
		*date = e.now().In(cfg.Location).Format("2006-01-02")
	} else if _, err := time.Parse("2006-01-02", *date); err != nil {
		return &usageError{msg: fmt.Sprintf("--date %q is not a date", *date), hint: "write it as YYYY-MM-DD"}
	}
	path, data, err := site.NewPostmortem(cfg, title, *format, *date)
	if err != nil {
		return err
	}
	if err := site.WriteNew(*source, path, data); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", term(path))
	return nil
}
