package timeline

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
)

// actionsCorpus is the shared corpus of real postmortems, beside the
// repository.
const actionsCorpus = "../../../shared/corpus"

// TestActionsCorpus reads the action items of every real postmortem in
// the shared corpus: a postmortem whose action-items section says
// something yields at least one action, and no action is without text.
func TestActionsCorpus(t *testing.T) {
	if _, err := os.Stat(actionsCorpus); err != nil {
		t.Skipf("no corpus at %s: %v", actionsCorpus, err)
	}
	var files []string
	for _, dir := range []string{"md", "rst"} {
		root := filepath.Join(actionsCorpus, dir)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".rst")) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	if len(files) == 0 {
		t.Skipf("no postmortems under %s", actionsCorpus)
	}
	cfg, err := incident.Config{Location: time.UTC}.Compile()
	if err != nil {
		t.Fatal(err)
	}
	md, rs := markup.NewMarkdown(markup.Limits{}), rst.New(markup.Limits{})
	sections, total := 0, map[string]int{}
	for _, p := range files {
		rel, _ := filepath.Rel(actionsCorpus, p)
		rel = filepath.ToSlash(rel)
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var rd markup.Reader = md
		if strings.HasSuffix(p, ".rst") {
			rd = rs
		}
		d, err := rd.Read(rel, src)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		f, err := incident.ExtractFile(d, rel, cfg)
		if err != nil {
			t.Logf("%s: %v", rel, err) // metadata problems are lint's
		}
		if f == nil {
			continue
		}
		for _, inc := range f.Incidents {
			var sec *incident.Section
			incident.Walk(inc.Sections, func(s *incident.Section) {
				if sec == nil && s.Key == incident.ActionItems {
					sec = s
				}
			})
			actions := Actions(inc)
			if sec == nil {
				if len(actions) > 0 {
					t.Errorf("%s: %d actions without an action-items section", rel, len(actions))
				}
				continue
			}
			by := map[string]int{}
			for _, a := range actions {
				by[a.State]++
				total[a.State]++
				if strings.TrimSpace(a.Text) == "" {
					t.Errorf("%s:%d: action with empty text: %+v", rel, a.Pos.Line, a)
				}
				if a.Pos.Line == 0 {
					t.Errorf("%s: action %q has no line", rel, a.Text)
				}
			}
			if sec.Empty {
				t.Logf("%s: %q is empty: %d actions", rel, sec.Title, len(actions))
				continue
			}
			sections++
			if len(actions) == 0 {
				t.Errorf("%s: section %q yields no action", rel, sec.Title)
			}
			t.Logf("%s: %d actions: %d open, %d done, %d unknown", rel, len(actions), by[Open], by[Done], by[Unknown])
		}
	}
	t.Logf("%d postmortems with action items: %d open, %d done, %d unknown", sections, total[Open], total[Done], total[Unknown])
}
