package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ShapeBytes is the size of each single-file shape: just under the
// default max_file_size of 8 MiB, so that all of it is read.
const ShapeBytes = 8_000_000

// Shape is one file built alone: the largest a site reads by default,
// all of one construct, where a reader or renderer that is quadratic in
// something shows.
type Shape struct {
	Name   string // file name in the site's content folder
	Blocks int    // how many of its construct the file holds
	Build  Timing
}

// shapes returns each shape's file name and one numbered repetition of
// its construct.
func shapes() []struct {
	name string
	unit func(i int) string
} {
	return []struct {
		name string
		unit func(i int) string
	}{
		{"headings.md", func(i int) string { return fmt.Sprintf("## Heading %d\n\n", i) }},
		{"list-items.md", func(i int) string { return fmt.Sprintf("- item %d\n", i) }},
		{"nested-lists.md", func(i int) string { return strings.Repeat("  ", i%8) + fmt.Sprintf("- item %d\n", i) }},
		{"emphasis.md", func(i int) string { return fmt.Sprintf("*a%d* **b** _c_ `d` ", i) }},
		{"sections.rst", func(i int) string { return fmt.Sprintf("Section %d\n==============\n\n", i) }},
		{"bullets.rst", func(i int) string { return fmt.Sprintf("* item %d\n", i) }},
		{"emphasis.rst", func(i int) string { return fmt.Sprintf("*a%d* **b** ``c`` ", i) }},
	}
}

// writeShape writes a site of one file of about ShapeBytes, made of unit
// repeated, and returns how many units it holds.
func writeShape(dir, name string, unit func(int) string) (int, error) {
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(dir, "site.toml"), []byte("title = \"one large file\"\n"), 0o644); err != nil {
		return 0, err
	}
	var b strings.Builder
	b.Grow(ShapeBytes)
	b.WriteString("Large file\n")
	if strings.HasSuffix(name, ".rst") {
		b.WriteString("==========\n\n")
	} else {
		b.WriteString("\n")
	}
	n := 0
	for {
		u := unit(n)
		if b.Len()+len(u) > ShapeBytes {
			break
		}
		b.WriteString(u)
		n++
	}
	return n, os.WriteFile(filepath.Join(dir, "content", name), []byte(b.String()), 0o644)
}

// measureShapes builds each single-file site runs times.
func measureShapes(ctx context.Context, cfg Config) ([]Shape, error) {
	var out []Shape
	for _, s := range shapes() {
		dir := filepath.Join(cfg.Work, "shape-"+strings.ReplaceAll(s.name, ".", "-"))
		os.RemoveAll(dir)
		n, err := writeShape(dir, s.name, s.unit)
		if err != nil {
			return nil, err
		}
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "kb build of one 8 MB file, %s ×%d\n", s.name, cfg.Runs)
		}
		t, err := measure(ctx, cfg.Runs, "", []int{0}, cfg.KB, "build", "--source", dir, "--dest", filepath.Join(dir, "site"))
		if err != nil {
			return nil, err
		}
		out = append(out, Shape{Name: s.name, Blocks: n, Build: t})
	}
	return out, nil
}
