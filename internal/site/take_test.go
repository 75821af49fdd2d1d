package site

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/incident"
)

// Load keeps no document's tree: each file's body is rendered and its
// timeline read while its tree is in memory, and the tree dropped, so a
// build holds text, not the trees of every postmortem.
func TestLoadDropsTrees(t *testing.T) {
	s, err := Load(context.Background(), example(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Incidents) == 0 || len(s.Pages) == 0 {
		t.Fatalf("fixture has %d incidents and %d pages, want some of each", len(s.Incidents), len(s.Pages))
	}
	events, sections := 0, 0
	for _, inc := range s.Incidents {
		if inc.Doc.Body != nil || inc.Doc.Sections != nil {
			t.Errorf("%s: tree kept", inc.ID)
		}
		incident.Walk(inc.Sections, func(sec *incident.Section) {
			if sec.Source != nil {
				t.Errorf("%s: section %q keeps its nodes", inc.ID, sec.Title)
			}
		})
		if len(inc.Body.HTML.Bytes) != 0 {
			t.Errorf("%s: body HTML kept in memory, not in the spool", inc.ID)
		}
		own, err := s.own(inc)
		if err != nil || !bytes.HasPrefix(bytes.TrimSpace(own.Body.Bytes), []byte("<")) {
			t.Errorf("%s: body HTML from the spool is %d bytes, not HTML, %v", inc.ID, len(own.Body.Bytes), err)
		}
		if d := s.timelines[inc].Details; d != nil && d.Events != nil {
			t.Errorf("%s: %d events kept in memory, not in the spool", inc.ID, len(d.Events))
		}
		if s.kept[inc].events.Len() > 0 {
			events++
			if len(own.Events) == 0 {
				t.Errorf("%s: events spooled but none read back", inc.ID)
			}
		}
		if inc.Body.Text != "" || inc.Body.Intro != "" {
			t.Errorf("%s: text kept after its mentions were found and its sections spooled", inc.ID)
		}
		// Lint compared its sections and dates as the file was read;
		// only its page needs the sections, from the spool.
		if len(inc.Sections) > 0 || len(inc.Dates) > 0 {
			t.Errorf("%s: %d sections and %d dates kept in memory after lint", inc.ID, len(inc.Sections), len(inc.Dates))
		}
		if s.kept[inc].sections.Len() > 0 {
			sections++
			if len(own.Sections) == 0 {
				t.Errorf("%s: sections spooled but none read back", inc.ID)
			}
		}
		incident.Walk(inc.Sections, func(sec *incident.Section) {
			if sec.Text != "" {
				t.Errorf("%s: section %q keeps its text", inc.ID, sec.Title)
			}
		})
		if _, ok := s.timelines[inc]; !ok {
			t.Errorf("%s: timeline not read with its file", inc.ID)
		}
	}
	if events == 0 || sections == 0 {
		t.Errorf("of the example's incidents, %d have events and %d sections in the spool; want some of each", events, sections)
	}
	for _, p := range s.Pages {
		if p.Doc.Body != nil {
			t.Errorf("page %s: tree kept", p.Path)
		}
	}
}

// Read for lint alone, a site makes no HTML and no timelines, finds the
// same problems, and refuses to be rendered rather than render empty
// pages.
func TestLintOnly(t *testing.T) {
	cfg := example(t)
	full, err := Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.LintOnly = true
	lean, err := Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, inc := range lean.Incidents {
		if inc.Body.HTML.Bytes != nil {
			t.Errorf("%s: body HTML made for lint", inc.ID)
		}
	}
	if len(lean.timelines) != 0 {
		t.Errorf("%d timelines read for lint", len(lean.timelines))
	}
	if len(full.AllDiagnostics(nil)) == 0 {
		t.Fatal("the example site has no findings to compare")
	}
	if !reflect.DeepEqual(full.AllDiagnostics(nil), lean.AllDiagnostics(nil)) {
		t.Errorf("lint finds other problems when the site is read for lint alone")
	}
	if _, err := lean.Render(context.Background()); err == nil {
		t.Errorf("a site read for lint alone was rendered")
	}
}

// example is the knowledge base this repository carries, read in place;
// nothing is written.
func example(t *testing.T) Config {
	t.Helper()
	cfg, err := LoadConfig(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Layouts, cfg.Assets = kb.Layouts(), kb.Assets()
	return cfg
}

// An image is held as the name of its file, not its bytes, and checked
// again when published: one changed into HTML after it was found is
// refused, naming where the postmortem shows it.
func TestImageCheckedWhenPublished(t *testing.T) {
	cfg := fixture(t, "basic")
	img := filepath.Join(cfg.ContentPath(), "ok.png")
	md := filepath.Join(cfg.ContentPath(), "2024-01-03-img.md")
	if err := os.WriteFile(md, []byte("# Images\n\n![a](ok.png)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(img, []byte("\x89PNG\r\n\x1a\nfine"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.Render(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if string(files["incidents/2024-01-03-img/ok.png"]) != "\x89PNG\r\n\x1a\nfine" {
		t.Fatalf("the image was not published as it is")
	}
	if err := os.WriteFile(img, []byte("<script>alert(1)</script>"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = s.Render(context.Background())
	var ce *ContentError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "2024-01-03-img.md:3") || !strings.Contains(err.Error(), "ok.png") {
		t.Fatalf("err = %v, want a content error naming the image and where it is shown", err)
	}
}
