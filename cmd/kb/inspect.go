package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/site"
)

const inspectUsage = `Usage:
	kb inspect [flags] FILE

Prints what kb read from one file (Markdown, reStructuredText or plain
text): what kind of file it is (an incident, a log of incidents or a
page), metadata with the line of each key (those written in the body
marked so), the title, the date and where it came from with every date
found, every section (as written, its canonical key, level, line, and
whether it is empty), a log's entries, and warnings. Use it to see why a
section is reported missing or which date was taken.

Flags:
	--format text|json   output format (default text); json adds the
	                     rendered body HTML and its plain text
	--source DIR         the site's folder, for site.toml (default ".")

Exit status is 1 when the file has errors that would stop a build.

Examples:
	kb inspect content/2024-01-11-postgres-max-connections.md
	kb inspect --format json content/2021-01-30-nodebalancer.rst | jq .sections
`

func runInspect(ctx context.Context, e *env, args []string) error {
	fs := newFlags("inspect")
	format := fs.String("format", "text", "")
	source := fs.String("source", ".", "")
	if err := e.parseFlags(fs, inspectUsage, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		io.WriteString(e.stderr, inspectUsage)
		return &usageError{msg: "kb inspect takes one file", hint: "kb inspect content/2024-01-11-example.md"}
	}
	if *format != "text" && *format != "json" {
		return &usageError{msg: fmt.Sprintf("unknown format %q", *format), hint: "use --format text or --format json"}
	}
	cfg, err := loadConfig(*source)
	if err != nil {
		return err
	}
	ins, err := site.Inspect(cfg, fs.Arg(0))
	if err != nil {
		return err
	}
	if *format == "json" {
		if err := writeJSON(e.stdout, ins); err != nil {
			return err
		}
	} else {
		printInspection(e.stdout, ins)
	}
	if len(ins.Errors) > 0 {
		return errFindings
	}
	return nil
}

func printInspection(w io.Writer, ins *site.Inspection) {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "file\t%s\t(%s)\n", term(ins.File), term(ins.Format))
	if ins.Kind != "" && ins.Kind != "incident" {
		fmt.Fprintf(tw, "kind\t%s\t(%s)\n", term(ins.Kind), term(ins.Why))
	}
	if ins.ID != "" {
		fmt.Fprintf(tw, "id\t%s\n", term(ins.ID))
		fmt.Fprintf(tw, "title\t%s\t(%s)\n", term(ins.Title), where(ins.TitlePos))
		if ins.Kind == "incident" {
			fmt.Fprintf(tw, "date\t%s\n", showDate(ins.InspectDate))
		}
		for _, kv := range [][2]string{{"severity", ins.Severity}, {"status", ins.Status}, {"systems", strings.Join(ins.Systems, ", ")}, {"causes", strings.Join(ins.Causes, ", ")}, {"authors", strings.Join(ins.Authors, ", ")}} {
			if kv[1] != "" {
				fmt.Fprintf(tw, "%s\t%s\n", kv[0], term(kv[1]))
			}
		}
	}
	tw.Flush()
	if len(ins.Metadata) > 0 {
		b.WriteString("\nmetadata\n")
		tw = tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, f := range ins.Metadata {
			if f.From != "" {
				fmt.Fprintf(tw, "  %d:%d\t%s\t%s\t(%s)\n", f.Line, f.Col, term(f.Key), term(markup.FormatValue(f.Value)), term(f.From))
				continue
			}
			fmt.Fprintf(tw, "  %d:%d\t%s\t%s\n", f.Line, f.Col, term(f.Key), term(markup.FormatValue(f.Value)))
		}
		tw.Flush()
	}
	b.WriteString("\nsections\n")
	if len(ins.Sections) == 0 {
		b.WriteString("  none\n")
	}
	tw = tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	var walk func([]site.InspectSection)
	walk = func(ss []site.InspectSection) {
		for _, s := range ss {
			key := term(s.Key)
			if !s.Canonical {
				key = "(" + key + ")"
			}
			state := ""
			if s.Empty {
				state = "empty"
			}
			fmt.Fprintf(tw, "  %d\t%s%s\t%s\t%s\n", s.Line, strings.Repeat("  ", s.Level-1), term(s.Title), key, state)
			walk(s.Sections)
		}
	}
	walk(ins.Sections)
	tw.Flush()
	if len(ins.Entries) > 0 {
		fmt.Fprintf(&b, "\nentries\n")
		tw = tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, en := range ins.Entries {
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\n", en.TitlePos.Line, term(en.ID), term(en.Title), showDate(en.InspectDate))
		}
		tw.Flush()
	}
	if len(ins.Dates) > 0 {
		b.WriteString("\ndates found\n")
		tw = tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, d := range ins.Dates {
			line := "-"
			if d.Pos.Line > 0 {
				line = fmt.Sprint(d.Pos.Line)
			}
			if d.Ambiguous {
				fmt.Fprintf(tw, "  %s\t%s\t%s\tambiguous\n", line, term(d.From), term(d.Date))
				continue
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", line, term(d.From), term(d.Date))
		}
		tw.Flush()
	}
	if len(ins.Warnings) > 0 {
		b.WriteString("\nwarnings\n")
		for _, wn := range ins.Warnings {
			fmt.Fprintf(&b, "  %s: %s\n", term(wn.Pos.String()), term(wn.Message))
		}
	}
	if len(ins.Errors) > 0 {
		b.WriteString("\nerrors\n")
		for _, er := range ins.Errors {
			fmt.Fprintf(&b, "  %s: %s\n", term(er.Pos.String()), term(er.Message))
			if er.Hint != "" {
				fmt.Fprintf(&b, "    hint: %s\n", term(er.Hint))
			}
		}
	}
	io.WriteString(w, b.String())
}

func where(p markup.Pos) string {
	if p.Line > 0 {
		return fmt.Sprintf("line %d", p.Line)
	}
	return "from the path"
}

// showDate is a date with where it came from, or "none".
func showDate(d site.InspectDate) string {
	if d.Date == "" {
		return "none"
	}
	s := term(d.Date)
	if d.End != "" {
		s += " to " + term(d.End)
	}
	return s + "\t(from " + term(d.DateFrom) + ")"
}
