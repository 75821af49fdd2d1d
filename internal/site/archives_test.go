package site

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/incident"
)

// sharedDir is a folder of ../shared beside the project, or a skip.
func sharedDir(t *testing.T, sub string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", sub))
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("no %s at %s", sub, dir)
	}
	return dir
}

// TestRealArchives reads real archives as they are kept (../shared/seeds
// and ../shared/corpus, in place): every postmortem yields an incident
// with a title, every date names its source, pages are not incidents, and
// the Open Library log yields one incident per dated entry. It logs the
// share dated, by source, and names the undated files.
func TestRealArchives(t *testing.T) {
	type archive struct {
		name, dir string
		cfg       func(*Config)
		// minDated is the share of incidents that must be dated.
		minDated float64
	}
	archives := []archive{
		{name: "seeds", dir: "seeds", minDated: 0.8, cfg: func(c *Config) {
			c.Logs = []string{"000_*"}
			// 002 is a web page of a diff; extracted/ holds its files.
			c.Exclude = []string{"002_*", "README.md"}
		}},
		{name: "corpus-md", dir: "corpus/md", minDated: 0.95},
		{name: "corpus-rst", dir: "corpus/rst", minDated: 1},
		{name: "corpus-rst-extra", dir: "corpus/rst-extra", minDated: 1, cfg: func(c *Config) {
			// Runbooks and meeting notes are not postmortems: a team
			// keeping them beside its postmortems excludes them.
			c.Exclude = []string{"**/meeting_notes/**", "**/onboarding/**", "**/runbooks/**", "**/queries/**", "**/tooling/**", "**/general/**", "python-discord__infra/docs/index.rst"}
		}},
	}
	for _, a := range archives {
		t.Run(a.name, func(t *testing.T) {
			dir := sharedDir(t, a.dir)
			cfg := Default(t.TempDir())
			cfg.ContentDir = dir
			cfg.Layouts, cfg.Assets = kb.Layouts(), kb.Assets()
			if a.cfg != nil {
				a.cfg(&cfg)
			}
			s, err := Load(context.Background(), cfg)
			var ce *ContentError
			if err != nil && !errors.As(err, &ce) {
				t.Fatal(err)
			}
			for _, d := range Diagnostics(err) {
				t.Errorf("cannot read: %s: %s", d.Pos, d.Message)
			}
			for _, w := range s.Warnings {
				if strings.HasPrefix(w.Message, "not read:") {
					t.Errorf("%s: %s", w.Pos, w.Message)
				}
			}
			bySource := map[string]int{}
			var undated []string
			for _, inc := range s.Incidents {
				if strings.TrimSpace(inc.Title) == "" {
					t.Errorf("%s: no title", inc.Path)
				}
				if inc.Date.IsZero() {
					where := inc.Path
					if inc.Pos.Line > 0 {
						where += ":" + strconv.Itoa(inc.Pos.Line)
					}
					undated = append(undated, where)
					continue
				}
				t.Logf("%-22s %-14s %-60.60s %s", inc.Date, inc.DateFrom, inc.Path, inc.Title)
				from := strings.SplitN(inc.DateFrom, "+", 2)[0]
				if _, ok := map[string]bool{incident.FromMetadata: true, incident.FromPreamble: true, incident.FromTitle: true,
					incident.FromPath: true, incident.FromText: true, incident.FromTimeline: true}[from]; !ok {
					t.Errorf("%s: date %s from %q, not a named source", inc.Path, inc.Date, inc.DateFrom)
				}
				bySource[inc.DateFrom]++
			}
			n := len(s.Incidents)
			if n == 0 {
				t.Fatal("no incidents")
			}
			dated := n - len(undated)
			var sources []string
			for k := range bySource {
				sources = append(sources, k)
			}
			sort.Strings(sources)
			var parts []string
			for _, k := range sources {
				parts = append(parts, k+" "+strconv.Itoa(bySource[k]))
			}
			t.Logf("%d incidents, %d dated (%.0f%%): %s", n, dated, 100*float64(dated)/float64(n), strings.Join(parts, ", "))
			for _, u := range undated {
				t.Logf("undated: %s", u)
			}
			var pages []string
			for _, p := range s.Pages {
				pages = append(pages, p.Path+" ("+p.Why+")")
			}
			t.Logf("pages: %s", strings.Join(pages, "; "))
			if float64(dated) < a.minDated*float64(n) {
				t.Errorf("only %d of %d incidents dated, want at least %.0f%%", dated, n, 100*a.minDated)
			}
			if a.name == "seeds" {
				checkOpenLibraryLog(t, s)
			}
		})
	}
}

// checkOpenLibraryLog: seed 000 holds three incidents as sections and ten
// as dated headings in list items (counted by hand), and two sections
// (a how-to and a history note) that are not incidents.
func checkOpenLibraryLog(t *testing.T, s *Site) {
	var log *incident.Page
	for _, p := range s.Pages {
		if strings.HasPrefix(p.Path, "000_") {
			log = p
		}
	}
	if log == nil || log.Kind != incident.KindLog {
		t.Fatalf("seed 000 is not a log: %+v", log)
	}
	if len(log.Entries) != 13 {
		var got []string
		for _, e := range log.Entries {
			got = append(got, e.Date.String()+" "+e.Title)
		}
		t.Fatalf("seed 000: %d entries, want 13:\n%s", len(log.Entries), strings.Join(got, "\n"))
	}
	for _, e := range log.Entries {
		if e.Date.IsZero() {
			t.Errorf("seed 000: entry %q at %s is undated", e.Title, e.Pos)
		}
		t.Logf("entry %-12s %-24s %s", e.DateFrom, e.Date, e.Title)
	}
	if len(log.Doc.Sections) != 2 {
		var got []string
		for _, sec := range log.Doc.Sections {
			got = append(got, sec.Title)
		}
		t.Errorf("seed 000: the log's page keeps sections %q, want the how-to and the history note", got)
	}
}
