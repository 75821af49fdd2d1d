// Command kbbench measures kb on generated corpora beside Hugo and
// Pagefind and prints one Markdown table. make bench runs it; see the
// README's Performance section.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/kb-postmortems/kb/internal/bench"
)

func main() {
	sizes := flag.String("sizes", "1000,10000", "corpus sizes, comma-separated")
	large := flag.Bool("large", false, "add a corpus of 100,000 incidents (about 15 minutes more)")
	singles := flag.Bool("shapes", true, "also build single 8 MB files of one construct each")
	runs := flag.Int("runs", 3, "runs of each timing; the median is reported")
	seed := flag.Uint64("seed", 1, "corpus seed")
	work := flag.String("work", "bin/bench", "scratch folder")
	kb := flag.String("kb", "bin/kb", "the kb binary")
	hugo := flag.String("hugo", lookPath("hugo"), "the hugo binary (empty: skip)")
	pagefind := flag.String("pagefind", lookPath("pagefind"), "the pagefind binary (empty: skip)")
	chromium := flag.String("chromium", lookPath("chromium", "chromium-browser", "google-chrome"), "Chromium (empty: skip browser timings)")
	flag.Parse()

	cfg := bench.Config{Runs: *runs, Seed: *seed, Work: *work, KB: *kb, Hugo: *hugo, Pagefind: *pagefind, Chromium: *chromium, Shapes: *singles, Log: os.Stderr}
	list := *sizes
	if *large {
		list += ",100000"
	}
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "kbbench: bad size %q\n", s)
			os.Exit(2)
		}
		cfg.Sizes = append(cfg.Sizes, n)
	}
	if err := os.MkdirAll(cfg.Work, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "kbbench:", err)
		os.Exit(2)
	}
	for name, p := range map[string]string{"hugo": cfg.Hugo, "pagefind": cfg.Pagefind, "chromium": cfg.Chromium} {
		if p == "" {
			fmt.Fprintf(os.Stderr, "kbbench: %s not found; its figures are left out\n", name)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	rows, shapes, err := bench.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kbbench:", err)
		os.Exit(1)
	}
	fmt.Printf("Machine: %s\n", bench.Machine())
	fmt.Printf("Programs: %s\n\n", bench.Versions(cfg))
	bench.Print(os.Stdout, rows, cfg.Runs)
	if len(shapes) > 0 {
		fmt.Println()
		bench.PrintShapes(os.Stdout, shapes, cfg.Runs)
	}
	fmt.Printf("\nMeasured in %s with `make bench`.\n", time.Since(start).Round(time.Second))
}

func lookPath(names ...string) string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}
