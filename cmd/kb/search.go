package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"

	"github.com/kb-postmortems/kb/internal/search"
	"github.com/kb-postmortems/kb/internal/site"
)

const searchUsage = `Usage:
	kb search [flags] QUERY

Searches the postmortems with the same index and query code as the site's
search page: the published index when there is one (site/search/index/),
else an index built from the content in memory.

Query: words in any order; "a phrase"; -word to exclude; filters
system:NAME cause:NAME severity:SEV1 status:NAME year:2023. Typos are
forgiven (postgress finds postgres) when no incident has the word as
typed; the last word also matches as a prefix. When no incident has
every word, those with the most of them are shown, and the words no
incident has are named. A query is cut to its first 32 words and 512
bytes.

Flags:
	--json           print the result as JSON, exactly as the browser gets it
	--limit N        show at most N incidents (default 10)
	--source DIR     the site's folder, holding site.toml (default ".")
	--content        search the content even when a published index exists

Examples:
	kb search postgres connections exhausted
	kb search --json 'system:vault "sealed"'
`

func runSearch(ctx context.Context, e *env, args []string) error {
	fs := newFlags("search")
	asJSON := fs.Bool("json", false, "")
	limit := fs.Int("limit", 10, "")
	source := fs.String("source", ".", "")
	fromContent := fs.Bool("content", false, "")
	if err := e.parseFlags(fs, searchUsage, args); err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if query == "" {
		io.WriteString(e.stderr, searchUsage)
		return &usageError{msg: "kb search needs a query", hint: "kb search postgres connections"}
	}
	if *limit < 1 {
		return &usageError{msg: "--limit must be at least 1"}
	}
	cfg, err := loadConfig(*source)
	if err != nil {
		return err
	}
	ix, err := openIndex(ctx, cfg, *fromContent, e.stderr)
	if err != nil {
		return err
	}
	defer ix.Close()
	res, err := ix.Search(ctx, search.Request{Query: query, Size: *limit, Highlight: true, Facets: *asJSON})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, res)
	}
	printHits(e.stdout, res, e.useColor(e.stdout))
	if res.Total == 0 {
		return errFindings
	}
	return nil
}

// openIndex opens the index kb search reads, and says on stderr when a
// published one was passed over.
func openIndex(ctx context.Context, cfg site.Config, fromContent bool, stderr io.Writer) (*search.Index, error) {
	ix, note, err := site.OpenIndex(ctx, cfg, fromContent)
	if note != "" {
		fmt.Fprintf(stderr, "kb: note: %s\n", term(note))
	}
	return ix, err
}

var (
	markRE  = regexp.MustCompile(`</?mark>`)
	spaceRE = regexp.MustCompile(`[\t\n\r\f\v]+`)
)

// printHits shows results for a terminal: matches in bold when colour is
// welcome, else between ** **.
func printHits(w io.Writer, res *search.Result, color bool) {
	var b strings.Builder
	open, close := "**", "**"
	if color {
		open, close = "\x1b[1m", "\x1b[0m"
	}
	// Marks become bold only after the text is made safe for a terminal.
	plain := func(s string) string {
		parts := markRE.Split(s, -1)
		marks := markRE.FindAllString(s, -1)
		var out strings.Builder
		for i, p := range parts {
			// Line breaks in the body are spaces in a one-line excerpt.
			out.WriteString(term(spaceRE.ReplaceAllString(html.UnescapeString(p), " ")))
			if i < len(marks) {
				if marks[i] == "<mark>" {
					out.WriteString(open)
				} else {
					out.WriteString(close)
				}
			}
		}
		return out.String()
	}
	if res.Relaxed {
		b.WriteString("No incident has every word; these have the most of them.\n")
	}
	if len(res.Missing) > 0 {
		quoted := make([]string, len(res.Missing))
		for i, m := range res.Missing {
			quoted[i] = open + term(m) + close
		}
		fmt.Fprintf(&b, "No incident mentions %s.\n", strings.Join(quoted, ", "))
	}
	if res.Relaxed || len(res.Missing) > 0 {
		b.WriteString("\n")
	}
	for _, h := range res.Hits {
		meta := []string{}
		for _, s := range []string{h.Severity, strings.Join(h.Systems, ", ")} {
			if s != "" {
				meta = append(meta, s)
			}
		}
		// The date and the id tell apart incidents of the same title.
		date := h.Date
		if date == "" {
			date = "undated"
		}
		fmt.Fprintf(&b, "%s  %s  [%s]\n", term(date), term(h.Title), term(h.ID))
		fmt.Fprintf(&b, "    %s", term(h.Path))
		if h.Section != nil && h.Section.Title != "" {
			fmt.Fprintf(&b, "  (in %s)", term(h.Section.Title))
		}
		if len(meta) > 0 {
			fmt.Fprintf(&b, "  %s", term(strings.Join(meta, " · ")))
		}
		b.WriteString("\n")
		for _, f := range h.Fragments {
			fmt.Fprintf(&b, "    %s\n", strings.Join(strings.Fields(plain(f)), " "))
		}
	}
	switch {
	case res.Total == 0:
		b.WriteString("no incidents match\n")
	case res.Total > len(res.Hits):
		fmt.Fprintf(&b, "%d of %d incidents; --limit shows more\n", len(res.Hits), res.Total)
	default:
		fmt.Fprintf(&b, "%d incident%s\n", res.Total, map[bool]string{true: "", false: "s"}[res.Total == 1])
	}
	io.WriteString(w, b.String())
}
