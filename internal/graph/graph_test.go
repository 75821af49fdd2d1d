package graph

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
)

func incidents(t *testing.T, files map[string]string) []*incident.Incident {
	t.Helper()
	md := markup.NewMarkdown(markup.Limits{})
	var out []*incident.Incident
	for name, src := range files {
		d, err := md.Read("content/"+name, []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		inc, err := incident.Extract(d, name, incident.Config{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, inc)
	}
	return out
}

func names(ts []*Term) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Name)
	}
	return strings.Join(s, ",")
}

func TestBuild(t *testing.T) {
	files := map[string]string{
		"2024-01-01-a.md": "---\nsystems: [PostgreSQL, pgbouncer]\ncauses: [capacity]\n---\nThe pg pool ran dry; Kafka was fine.\n",
		"2023-01-01-b.md": "---\nsystems: [postgres]\ncauses: [capacity]\n---\nSee [a](2024-01-01-a.md).\n",
		"2022-01-01-c.md": "---\nsystems: [dns]\n---\nNothing about databases. api-gateway timeouts.\n",
		"2021-01-01-d.md": "---\nsystems: [kafka]\n---\nUnrelated.\n",
	}
	cfg := Config{
		Systems: Vocabulary{"postgres": {"postgresql", "pg"}, "pgbouncer": nil, "dns": nil, "kafka": nil, "api-gateway": {"gateway"}},
		Causes:  Vocabulary{"capacity": nil},
	}
	incs := incidents(t, files)
	g := Build(incs, cfg)
	byID := map[string]*incident.Incident{}
	for _, inc := range incs {
		byID[inc.ID] = inc
	}
	a := g.Of(byID["2024-01-01-a"])
	if got := names(a.Systems); got != "postgres,pgbouncer,kafka" {
		t.Errorf("a's systems = %s (aliases map to the name; mentions follow declarations)", got)
	}
	if !a.Declared(a.Systems[0]) || a.Declared(a.Systems[2]) {
		t.Errorf("declared flags wrong")
	}
	if len(a.LinkedFrom) != 1 || a.LinkedFrom[0].ID != "2023-01-01-b" {
		t.Errorf("a is linked from %v", a.LinkedFrom)
	}
	if len(a.Related) == 0 || a.Related[0].Incident.ID != "2023-01-01-b" {
		t.Fatalf("a's related: %+v", a.Related)
	}
	if r := a.Related[0]; r.Score != 3+3+4 || strings.Join(r.Shared, ",") != "capacity,linked,postgres" {
		t.Errorf("a–b relation = %d %v, want 10 (postgres, capacity, link)", r.Score, r.Shared)
	}
	c := g.Of(byID["2022-01-01-c"])
	if got := names(c.Systems); got != "dns,api-gateway" {
		t.Errorf("c's systems = %s", got)
	}
	d := g.Of(byID["2021-01-01-d"])
	if len(d.Related) != 1 || d.Related[0].Incident.ID != "2024-01-01-a" || d.Related[0].Score != 1 {
		t.Errorf("d relates to a only through a's mention of kafka (1): %+v", d.Related)
	}
	var sys []string
	for _, s := range g.Systems {
		sys = append(sys, fmt.Sprintf("%s:%d/%d", s.Slug, s.Declared, len(s.Incidents)))
	}
	if got := strings.Join(sys, " "); got != "api-gateway:0/1 dns:1/1 kafka:1/2 pgbouncer:1/1 postgres:2/2" {
		t.Errorf("systems = %s", got)
	}
	if g.Systems[4].Incidents[0].ID != "2024-01-01-a" {
		t.Errorf("term incidents are not newest first")
	}
}

func TestDeterministic(t *testing.T) {
	files := map[string]string{}
	for i := range 40 {
		files[fmt.Sprintf("2020-01-%02d-x%d.md", i%28+1, i)] = fmt.Sprintf("---\nsystems: [s%d, s%d]\ncauses: [c%d]\n---\ntext\n", i%5, i%7, i%3)
	}
	incs := incidents(t, files)
	want := dump(Build(incs, Config{}), incs)
	for range 5 {
		// Reverse the input: the result must not change.
		for i, j := 0, len(incs)-1; i < j; i, j = i+1, j-1 {
			incs[i], incs[j] = incs[j], incs[i]
		}
		if got := dump(Build(incs, Config{}), incs); got != want {
			t.Fatalf("graph depends on input order")
		}
	}
}

func dump(g *Graph, incs []*incident.Incident) string {
	var b strings.Builder
	for _, inc := range incs {
		if inc.ID > "" {
			l := g.Of(inc)
			fmt.Fprintf(&b, "%s:", inc.ID)
			for _, r := range l.Related {
				fmt.Fprintf(&b, " %s=%d", r.Incident.ID, r.Score)
			}
			b.WriteString("\n")
		}
	}
	lines := strings.Split(b.String(), "\n")
	for i := range lines {
		for j := i + 1; j < len(lines); j++ {
			if lines[j] < lines[i] {
				lines[i], lines[j] = lines[j], lines[i]
			}
		}
	}
	return strings.Join(lines, "\n")
}

func TestWords(t *testing.T) {
	got := strings.Join(words("The API-Gateway (node.js) ran out; pg_bouncer, PG."), "|")
	if got != "the|api-gateway|node.js|ran|out|pg_bouncer|pg" {
		t.Errorf("words = %s", got)
	}
}

// BenchmarkBuild relates 10,000 incidents over 60 systems and 30 causes
// drawn unevenly, with a vocabulary to recognise in the text.
func BenchmarkBuild(b *testing.B) {
	md := markup.NewMarkdown(markup.Limits{})
	vocab := Vocabulary{}
	for i := range 60 {
		vocab[fmt.Sprintf("system%d", i)] = []string{fmt.Sprintf("alias%d", i)}
	}
	var incs []*incident.Incident
	for i := range 10000 {
		src := fmt.Sprintf("---\nsystems: [system%d, system%d]\ncauses: [cause%d]\n---\nThe alias%d failed while system%d waited. %s\n",
			(i*i)%60%((i%7)+1), i%60, (i*7)%30%((i%5)+1), i%13, i%17, strings.Repeat("More words about the outage and its causes. ", 40))
		d, err := md.Read("content/x.md", []byte(src))
		if err != nil {
			b.Fatal(err)
		}
		inc, err := incident.Extract(d, fmt.Sprintf("%05d.md", i), incident.Config{Location: time.UTC})
		if err != nil {
			b.Fatal(err)
		}
		incs = append(incs, inc)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Build(incs, Config{Systems: vocab})
	}
}

func TestTermPagesNeverCollide(t *testing.T) {
	incs := incidents(t, map[string]string{
		"a.md": "---\nsystems: [C, c-2, Postgres]\n---\n",
		"b.md": "---\nsystems: [c, postgres]\n---\n",
	})
	g := Build(incs, Config{Systems: Vocabulary{"C++": nil, "c": nil}})
	seen := map[string]string{}
	for _, s := range g.Systems {
		if prev, ok := seen[s.Slug]; ok {
			t.Errorf("%q and %q share the page %s", prev, s.Name, s.Slug)
		}
		seen[s.Slug] = s.Name
	}
	pg := 0
	for _, s := range g.Systems {
		if strings.EqualFold(s.Name, "postgres") {
			pg++
			if len(s.Incidents) != 2 {
				t.Errorf("postgres has %d incidents", len(s.Incidents))
			}
		}
	}
	if pg != 1 {
		t.Errorf("Postgres and postgres are %d terms, want 1", pg)
	}
}

// Mentions found beforehand by a Recognizer, with the texts then dropped,
// relate incidents exactly as the texts would.
func TestRecognizedMentions(t *testing.T) {
	files := map[string]string{
		"2024-01-01-a.md": "---\nsystems: [pg]\n---\nThe pg pool ran dry while the API Gateway and kafka waited.\n",
		"2023-01-01-b.md": "---\ncauses: [capacity]\n---\nKafka lag, then the gateway ran out of capacity.\n",
		"2022-01-01-c.md": "Nothing of note.\n",
	}
	cfg := Config{
		Systems: Vocabulary{"postgres": {"postgresql", "pg"}, "kafka": nil, "api-gateway": {"api gateway", "gateway"}},
		Causes:  Vocabulary{"capacity": nil},
	}
	summary := func(incs []*incident.Incident, g *Graph) string {
		var out []string
		for _, inc := range incs {
			l := g.Of(inc)
			var rel []string
			for _, r := range l.Related {
				rel = append(rel, fmt.Sprintf("%s:%d", r.Incident.ID, r.Score))
			}
			out = append(out, inc.ID+" "+names(l.Systems)+" "+names(l.Causes)+" "+strings.Join(rel, ","))
		}
		slices.Sort(out)
		return strings.Join(out, "\n")
	}
	fromText := incidents(t, files)
	want := summary(fromText, Build(fromText, cfg))

	incs := incidents(t, files)
	rec := NewRecognizer(cfg)
	cfg.Mentions = map[*incident.Incident]Mentioned{}
	for _, inc := range incs {
		cfg.Mentions[inc] = rec.Mentions(inc.Body.Text)
		inc.Body.Text = ""
	}
	if got := summary(incs, Build(incs, cfg)); got != want {
		t.Errorf("from mentions:\n%s\nfrom the texts:\n%s", got, want)
	}
	if !strings.Contains(want, "api-gateway") || !strings.Contains(want, "kafka") {
		t.Fatalf("the fixture mentions too little:\n%s", want)
	}
}
