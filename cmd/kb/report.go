package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/site"
)

// exit maps a command's error to an exit code, printing it once.
func (e *env) exit(err error) int {
	if err == nil || errors.Is(err, errHelp) {
		return 0
	}
	if errors.Is(err, errFindings) {
		return 1
	}
	e.printError(err)
	var ce *site.ContentError
	if errors.As(err, &ce) {
		return 1
	}
	return 2
}

// printError writes every error in err, each with its position and hint.
func (e *env) printError(err error) {
	for _, one := range flatten(err) {
		var me *markup.Error
		var ue *usageError
		var cfe *site.ConfigError
		switch {
		case errors.As(one, &me):
			fmt.Fprintf(e.stderr, "kb: error: %s: %v\n", me.Pos, me.Err)
			hint(e.stderr, me.Hint)
		case errors.As(one, &ue):
			fmt.Fprintf(e.stderr, "kb: error: %s\n", ue.msg)
			hint(e.stderr, ue.hint)
		case errors.As(one, &cfe):
			fmt.Fprintf(e.stderr, "kb: error: %v\n", cfe)
			hint(e.stderr, cfe.Hint)
		default:
			fmt.Fprintf(e.stderr, "kb: error: %v\n", one)
		}
	}
}

func hint(w io.Writer, h string) {
	if h != "" {
		fmt.Fprintf(w, "kb: hint: %s\n", h)
	}
}

// flatten lists the leaves of a tree of joined errors, so each problem is
// printed on its own line with its own hint.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	var me *markup.Error
	if errors.As(err, &me) && me == err {
		return []error{err}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// printWarnings writes warnings to stderr, at most limit of them (0 for
// all), and says how many it left out.
func (e *env) printWarnings(ws []markup.Warning, limit int) {
	for i, w := range ws {
		if limit > 0 && i == limit {
			fmt.Fprintf(e.stderr, "kb: %d more warnings not shown; run with --verbose to see them all\n", len(ws)-limit)
			return
		}
		fmt.Fprintf(e.stderr, "kb: warning: %s: %s\n", w.Pos, w.Message)
		if limit == 0 {
			hint(e.stderr, w.Hint)
		}
	}
}
