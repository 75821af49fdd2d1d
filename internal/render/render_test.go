package render

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/kb-postmortems/kb"
	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/timeline"
)

// renderInput is a site of n small incidents with the default layouts and
// assets.
func renderInput(t *testing.T, n int) Input {
	t.Helper()
	return renderInputOf(t, n, "## Impact\n\nSlow.\n")
}

// renderInputOf is renderInput with each postmortem's text after its
// title.
func renderInputOf(t *testing.T, n int, text string) Input {
	t.Helper()
	md := markup.NewMarkdown(markup.Limits{})
	html := markup.NewHTMLRenderer()
	var incs []*incident.Incident
	for i := range n {
		rel := fmt.Sprintf("2024-01-%02d-outage-%d.md", i%28+1, i)
		d, err := md.Read("content/"+rel, []byte(fmt.Sprintf("# Outage %d\n\n%s", i, text)))
		if err != nil {
			t.Fatal(err)
		}
		inc, err := incident.Extract(d, rel, incident.Config{})
		if err != nil {
			t.Fatal(err)
		}
		inc.Render(html)
		incs = append(incs, inc)
	}
	return Input{Site: Site{Title: "T", BaseURL: "/"}, Incidents: incs, Layouts: kb.Layouts(), Assets: kb.Assets()}
}

// recorder counts what Render hands it and may fail or cancel on a call.
type recorder struct {
	mu    sync.Mutex
	files map[string]int
	calls atomic.Int64
	// at, when not zero, is the call on which hook runs.
	at   int64
	hook func() error
}

func (r *recorder) WriteFile(p string, b []byte) error {
	n := r.calls.Add(1)
	r.mu.Lock()
	if r.files == nil {
		r.files = map[string]int{}
	}
	r.files[p]++
	r.mu.Unlock()
	if n == r.at {
		return r.hook()
	}
	return nil
}

// Every file goes to the writer once, and every incident has its page.
func TestRenderWritesEachFileOnce(t *testing.T) {
	in := renderInput(t, 30)
	in.Workers = 4
	var r recorder
	if err := Render(context.Background(), in, &r); err != nil {
		t.Fatal(err)
	}
	for p, n := range r.files {
		if n != 1 {
			t.Errorf("%s written %d times", p, n)
		}
	}
	for _, inc := range in.Incidents {
		if r.files["incidents/"+inc.ID+"/index.html"] != 1 {
			t.Errorf("no page for %s", inc.ID)
		}
	}
	for _, p := range []string{"index.html", "404.html", "search/index.html", "incidents.json", "assets/kb.css", "search/worker.js"} {
		if r.files[p] != 1 {
			t.Errorf("%s not written", p)
		}
	}
}

// A writer's error stops the rendering: with one worker, no page is made
// after the one the writer refused.
func TestRenderStopsAtWriteError(t *testing.T) {
	in := renderInput(t, 50)
	in.Workers = 1
	full := errors.New("disk full")
	r := recorder{at: 3, hook: func() error { return full }}
	err := Render(context.Background(), in, &r)
	if !errors.Is(err, full) {
		t.Fatalf("err = %v, want the writer's", err)
	}
	if n := r.calls.Load(); n != 3 {
		t.Errorf("%d files handed on, want 3: rendering went on after the error", n)
	}
}

// Cancelling stops the rendering: each worker finishes at most the page it
// has begun.
func TestRenderStopsWhenCancelled(t *testing.T) {
	in := renderInput(t, 200)
	in.Workers = 4
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := recorder{at: 1, hook: func() error { cancel(); return nil }}
	err := Render(ctx, in, &r)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := r.calls.Load(); n > int64(in.Workers)+1 {
		t.Errorf("%d files handed on after cancelling with %d workers", n, in.Workers)
	}
}

// A layout that fails names the first incident, in the site's order, whose
// page failed.
func TestRenderLayoutError(t *testing.T) {
	in := renderInput(t, 10)
	in.Workers = 1
	in.Layouts = Overlay(fstest.MapFS{"incident.html": {Data: []byte(`{{define "main"}}{{.Incident.NoSuchField}}{{end}}`)}}, kb.Layouts())
	var r recorder
	err := Render(context.Background(), in, &r)
	if err == nil || !strings.Contains(err.Error(), "layouts/incident.html") {
		t.Fatalf("err = %v, want one naming layouts/incident.html", err)
	}
	if r.calls.Load() != 0 {
		t.Errorf("%d files handed on before the failing page", r.calls.Load())
	}
}

// With Release, what only an incident's page shows (its body's HTML, its
// sections, its events) is gone once the page is made, and the pages are
// the same bytes as without.
func TestRenderRelease(t *testing.T) {
	var kept, released mapWriter
	text := "## Impact\n\nSlow.\n\n## Timeline\n\n- 10:05 alerts fired\n- 10:40 resolved\n"
	all := renderInputOf(t, 12, text)
	all.Timeline, _ = timeline.Build(all.Incidents, timeline.Config{})
	if err := Render(context.Background(), all, &kept); err != nil {
		t.Fatal(err)
	}
	in := renderInputOf(t, 12, text)
	in.Timeline, _ = timeline.Build(in.Incidents, timeline.Config{})
	in.Release = true
	sections, events := 0, 0
	for _, inc := range in.Incidents {
		sections += len(inc.Sections)
		if d := in.Timeline.ByID[inc.ID]; d != nil {
			events += len(d.Events)
		}
	}
	if sections == 0 || events == 0 {
		t.Fatalf("fixture has %d sections and %d events, want some of each", sections, events)
	}
	if err := Render(context.Background(), in, &released); err != nil {
		t.Fatal(err)
	}
	for _, inc := range in.Incidents {
		if inc.Body.HTML.Bytes != nil || inc.Sections != nil {
			t.Errorf("%s: body HTML or sections kept", inc.ID)
		}
		if d := in.Timeline.ByID[inc.ID]; d != nil && d.Events != nil {
			t.Errorf("%s: events kept", inc.ID)
		}
	}
	if len(kept.files) != len(released.files) {
		t.Fatalf("%d files with the HTML kept, %d released", len(kept.files), len(released.files))
	}
	for p, b := range kept.files {
		if string(released.files[p]) != string(b) {
			t.Errorf("%s differs when the HTML is released", p)
		}
	}
}

// mapWriter keeps what Render writes, from any goroutine.
type mapWriter struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *mapWriter) WriteFile(p string, b []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	m.files[p] = b
	return nil
}
