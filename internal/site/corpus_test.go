package site

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/lint"
	"github.com/kb-postmortems/kb/internal/markup"
)

// corpusDir is the shared folder of real, public postmortems beside the
// project. Tests read it in place and skip when it is absent.
func corpusDir(t *testing.T, sub string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus", sub))
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("no corpus at %s", dir)
	}
	return dir
}

// indicators are words that, in a heading, make a reader say "this is
// that section". A section lint reports missing must not have a heading
// holding one of them: that would be a section present under a name the
// aliases do not know.
func indicators() map[string][]string {
	return map[string][]string{
		incident.Summary:        {"summary", "overview", "tl dr", "tldr", "synopsis"},
		incident.Impact:         {"impact", "affected"},
		incident.Timeline:       {"timeline", "chronology", "sequence of events", "leadup", "lead up"},
		incident.Detection:      {"detection", "detected", "discovery"},
		incident.RootCause:      {"root cause", "root causes", "causes", "five whys", "5 whys"},
		incident.Resolution:     {"resolution", "resolved", "recovery", "mitigation", "fix"},
		incident.LessonsLearned: {"lesson", "lessons", "learned", "learnt", "went well", "went wrong", "went poorly", "lucky", "go well"},
		incident.ActionItems:    {"action", "actions", "follow up", "followup", "follow ups", "next steps", "corrective"},
	}
}

// TestLintOverCorpus lints the real postmortems with the default rules:
// nothing crashes, and no section is reported missing that the postmortem
// has under another name. It logs, per file, the canonical sections kb
// recognised, and the findings by rule.
func TestLintOverCorpus(t *testing.T) {
	for _, sub := range []string{"md", "rst"} {
		t.Run(sub, func(t *testing.T) {
			dir := corpusDir(t, sub)
			cfg := Default(t.TempDir())
			cfg.ContentDir = dir
			cfg.Layouts, cfg.Assets = kb.Layouts(), kb.Assets()
			s, err := Load(context.Background(), cfg)
			var ce *ContentError
			if err != nil && !errors.As(err, &ce) {
				t.Fatal(err)
			}
			for _, d := range Diagnostics(err) {
				t.Errorf("cannot read: %s: %s", d.Pos, d.Message)
			}
			if len(s.Incidents) == 0 {
				t.Skip("no postmortems read (is this format supported yet?)")
			}
			byFile := map[string][]lint.Diagnostic{}
			rules := map[string]int{}
			for _, d := range s.Diagnostics {
				byFile[d.Pos.File] = append(byFile[d.Pos.File], d)
				rules[d.Rule+" "+string(d.Severity)]++
			}
			words := indicators()
			for _, inc := range s.Incidents {
				var found []string
				seen := map[string]bool{}
				var headings []string
				incident.Walk(inc.Sections, func(sec *incident.Section) {
					headings = append(headings, " "+sec.Normal+" ")
					if sec.Canonical && !seen[sec.Key] {
						seen[sec.Key] = true
						found = append(found, sec.Key)
					}
				})
				t.Logf("%-90s %s", inc.Path, strings.Join(found, " "))
				for _, d := range byFile[inc.Doc.Path] {
					if d.Rule != "section-missing" {
						continue
					}
					key := keyOf(cfg, d.Subject)
					for _, h := range headings {
						for _, w := range words[key] {
							if strings.Contains(h, " "+w+" ") {
								t.Errorf("%s: %s reported missing, but heading %q looks like it", inc.Path, key, strings.TrimSpace(h))
							}
						}
					}
				}
			}
			var keys []string
			for k := range rules {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				t.Logf("%5d %s", rules[k], k)
			}
			t.Logf("%d postmortems, %d findings, %d reader warnings", len(s.Incidents), len(s.Diagnostics), len(s.Warnings))
		})
	}
}

// keyOf finds the canonical key whose display name is name.
func keyOf(cfg Config, name string) string {
	for k, a := range cfg.Aliases {
		if len(a) > 0 && a[0] == name {
			return k
		}
	}
	return markup.Slug(name)
}
