package timeline_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/markup/rst"
	"github.com/kb-postmortems/kb/internal/timeline"
	"github.com/kb-postmortems/kb/internal/when"
)

// The shared corpus of real postmortems, and the log of incidents the
// project started from; both live beside the repository, not in it.
const (
	corpusDir = "../../../shared/corpus"
	seedLog   = "../../../shared/seeds/000_e46ae0235c4006d2.txt"
)

// TestCorpusTimelines reads every real timeline and checks that the lines
// that carry a time become events. What counts as such a line is decided
// here, apart from the reader: a list item, a line of a paragraph or line
// block, a heading, a definition term, or a table row's time cell (the
// column whose header says time or date, else the first) whose text starts
// with something when.TimeOfDay or when.Find reads.
func TestCorpusTimelines(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("no corpus at %s: %v", corpusDir, err)
	}
	var files []string
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ext := filepath.Ext(p); !d.IsDir() && (ext == ".md" || ext == ".rst") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(seedLog); err == nil {
		files = append(files, seedLog)
	}
	total, placed, sections := 0, 0, 0
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var r markup.Reader = markup.NewMarkdown(markup.Limits{})
		if filepath.Ext(p) == ".rst" {
			r = rst.New(markup.Limits{})
		}
		name := strings.TrimPrefix(filepath.ToSlash(p), "../../../shared/")
		d, err := r.Read(name, src)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		f, _ := incident.ExtractFile(d, filepath.Base(p), incident.Config{Location: time.UTC})
		if f == nil {
			continue
		}
		for _, inc := range f.Incidents {
			tl := timelineOf(inc)
			if tl == nil {
				continue
			}
			sections++
			evs, ws := timeline.Events(inc, timeline.Options{Location: time.UTC})
			for _, w := range ws {
				t.Logf("warning %s: %s", w.Pos, w.Message)
			}
			hit := map[int]bool{}
			for _, e := range evs {
				if !e.At.IsZero() || e.Clock != "" {
					hit[e.Pos.Line] = true
				}
			}
			for _, l := range timedLines(tl) {
				total++
				if hit[l.line] {
					placed++
					continue
				}
				t.Logf("missed %s:%d: %s", name, l.line, l.text)
			}
		}
	}
	if total == 0 {
		t.Fatalf("no timed lines in %d timeline sections", sections)
	}
	pct := 100 * float64(placed) / float64(total)
	t.Logf("%d of %d timed lines in %d timeline sections became events (%.1f%%)", placed, total, sections, pct)
	if pct < 90 {
		t.Errorf("only %.1f%% of timed lines became events; want at least 90%%", pct)
	}
}

func timelineOf(inc *incident.Incident) *markup.Section {
	var tl *markup.Section
	incident.Walk(inc.Sections, func(s *incident.Section) {
		if tl == nil && s.Canonical && s.Key == incident.Timeline {
			tl = s.Source
		}
	})
	return tl
}

type timedLine struct {
	text string
	line int
}

// timedLines lists the lines of a timeline section that start with a time
// or a date.
func timedLines(s *markup.Section) []timedLine {
	var out []timedLine
	add := func(text string, line int) {
		if startsTimed(text) {
			out = append(out, timedLine{text, line})
		}
	}
	var sec func(s *markup.Section, top bool)
	sec = func(s *markup.Section, top bool) {
		if !top {
			add(s.Title, s.Pos.Line)
		}
		counted := map[*markup.Node]bool{}
		markup.Walk(s.Body, func(n *markup.Node, entering bool) markup.WalkStatus {
			if !entering {
				return markup.WalkContinue
			}
			switch n.Kind {
			case markup.ListItem:
				// An item is one line: its first paragraph's first line.
				// What is nested in it is read in turn.
				if len(n.Children) > 0 && n.Children[0].Kind == markup.Paragraph {
					p := n.Children[0]
					counted[p] = true
					add(strings.SplitN(markup.PlainText([]*markup.Node{p}), "\n", 2)[0], p.Line)
				}
			case markup.Paragraph, markup.Line:
				if counted[n] {
					return markup.WalkSkipChildren
				}
				for i, l := range strings.Split(markup.PlainText([]*markup.Node{n}), "\n") {
					add(l, n.Line+i)
				}
				return markup.WalkSkipChildren
			case markup.Heading:
				add(markup.InlineText(n), n.Line)
				return markup.WalkSkipChildren
			case markup.DefinitionTerm:
				add(markup.InlineText(n), n.Line)
				return markup.WalkSkipChildren
			case markup.Table:
				tableLines(n, add)
				return markup.WalkSkipChildren
			case markup.CodeBlock, markup.HTMLBlock, markup.Comment:
				return markup.WalkSkipChildren
			}
			return markup.WalkContinue
		})
		for _, c := range s.Sections {
			sec(c, false)
		}
	}
	sec(s, true)
	return out
}

func tableLines(t *markup.Node, add func(string, int)) {
	col := 0
	for i, row := range t.Children {
		var cells []string
		for _, c := range row.Children {
			cells = append(cells, strings.Join(strings.Fields(markup.PlainText(c.Children)), " "))
		}
		if i == 0 && row.Header {
			for j, h := range cells {
				l := strings.ToLower(h)
				if strings.Contains(l, "time") || strings.Contains(l, "date") || strings.Contains(l, "when") {
					col = j
					break
				}
			}
			continue
		}
		if col < len(cells) {
			add(cells[col], row.Line)
		}
	}
}

// startsTimed reports whether text, past its list marker, "~" or "(",
// starts with a time of day or a date.
func startsTimed(text string) bool {
	s := strings.TrimLeft(text, " \t-*•~(")
	if s == "" {
		return false
	}
	if _, _, _, _, _, _, ok := when.TimeOfDay(s); ok {
		return true
	}
	ms := when.Find(s, when.Options{})
	return len(ms) > 0 && ms[0].Pos == 0
}
