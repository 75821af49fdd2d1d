package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
)

// openFixture builds the fixture corpus and opens it.
func openFixture(t *testing.T) *Index {
	t.Helper()
	return openBuilt(t, fixture(), Options{TempDir: t.TempDir()})
}

// openBuilt builds an index of docs and opens it.
func openBuilt(t *testing.T, docs []Document, opts Options) *Index {
	t.Helper()
	dir := t.TempDir()
	if _, err := Build(dir, docs, opts); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func search(t *testing.T, ix *Index, req Request) *Result {
	t.Helper()
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("Search(%q): %v", req.Query, err)
	}
	return res
}

func ids(res *Result) []string {
	out := []string{}
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestSearchMatches(t *testing.T) {
	ix := openFixture(t)
	tests := []struct {
		name, query string
		filters     map[string][]string
		want        []string // in this order
	}{
		{"word", "vacuum ", nil, []string{"2024-11-02-postgres-disk"}},
		{"stemmed", "certificates ", nil, []string{"2023-09-18-vault-cert"}},
		{"all words must match", "postgres checkout ", nil, []string{"2023-04-05-db-failover"}},
		{"title boosted", "failover ", nil, []string{"2023-04-05-db-failover"}},
		{"title before body", "postgres ", nil, []string{"2024-11-02-postgres-disk", "2023-04-05-db-failover"}},
		{"phrase", `"connection pool"`, nil, []string{"2023-04-05-db-failover"}},
		{"phrase needs adjacency", `"pool connection"`, nil, []string{}},
		{"phrase across sections does not match", `"sessions alert"`, nil, []string{}},
		{"prefix while typing", "vacu", nil, []string{"2024-11-02-postgres-disk"}},
		{"prefix through the lexicon", "decommissio", nil, []string{"undated-legacy-outage"}},
		{"no prefix after a space", "vacu ", nil, []string{}},
		{"two letters alone begin systems and causes", "va", nil, []string{"2023-09-18-vault-cert"}},
		{"two letters being typed do not filter", "vacuum x", nil, []string{"2024-11-02-postgres-disk"}},
		{"typo", "postgress ", nil, []string{"2024-11-02-postgres-disk", "2023-04-05-db-failover"}},
		{"typo in a long word", "certifcate ", nil, []string{"2023-09-18-vault-cert"}},
		{"short words need no typo", "dms ", nil, []string{}},
		{"exclusion", "postgres -checkout ", nil, []string{"2024-11-02-postgres-disk"}},
		{"excluded phrase", `pool -"connection pool"`, nil, []string{}},
		{"excluded phrase that is absent", `pool -"pool connection"`, nil, []string{"2023-04-05-db-failover"}},
		{"a word matches a system", "auth ", nil, []string{"2023-09-18-vault-cert"}},
		{"a typo in a system", "authh ", nil, []string{"2023-09-18-vault-cert"}},
		{"a system being typed", "web-fro", nil, []string{"2025-02-14-markup"}},
		{"a word matches a cause", "config-change ", nil, []string{"2023-04-05-db-failover", "2024-06-30-dns"}},
		{"system filter", "system:vault", nil, []string{"2023-09-18-vault-cert"}},
		{"filter values are case-insensitive", "system:POSTGRES", nil, []string{"2024-11-02-postgres-disk", "2023-04-05-db-failover"}},
		{"filters of one field are alternatives", "system:kafka system:dns", nil, []string{"2024-06-30-dns", "2024-01-22-kafka-lag"}},
		{"filters of two fields are both required", "cause:config-change year:2024", nil, []string{"2024-06-30-dns"}},
		{"severity", "severity:sev1", nil, []string{"2023-04-05-db-failover"}},
		{"status", "status:open", nil, []string{"2025-02-14-markup"}},
		{"excluded filter", "-cause:capacity year:2024", nil, []string{"2024-06-30-dns"}},
		{"request filters", "root", map[string][]string{"Cause": {"capacity"}, "year": {"2024"}}, []string{"2024-01-22-kafka-lag", "2024-11-02-postgres-disk"}},
		{"only exclusions", "-postgres -vault -kafka -dns -script", nil, []string{"undated-legacy-outage"}},
		{"stop words alone match nothing", "the of ", nil, []string{}},
		{"stop words are ignored", "the vacuum ", nil, []string{"2024-11-02-postgres-disk"}},
		{"hyphenated word is a phrase", "web-frontend ", nil, []string{"2025-02-14-markup"}},
		{"empty query: everything, newest first, undated last", "", nil, []string{
			"2025-02-14-markup", "2024-11-02-postgres-disk", "2024-06-30-dns", "2024-01-22-kafka-lag",
			"2023-09-18-vault-cert", "2023-04-05-db-failover", "undated-legacy-outage"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := search(t, ix, Request{Query: tt.query, Filters: tt.filters})
			got := ids(res)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%q: got %v, want %v", tt.query, got, tt.want)
			}
			if res.Total != len(tt.want) {
				t.Errorf("%q: total %d, want %d", tt.query, res.Total, len(tt.want))
			}
		})
	}
}

// A short word being typed adds to the score of the hits it matches
// without dropping the others.
func TestShortPrefixRanks(t *testing.T) {
	ix := openFixture(t)
	score := func(q string) map[string]float64 {
		m := map[string]float64{}
		for _, h := range search(t, ix, Request{Query: q}).Hits {
			m[h.ID] = h.Score
		}
		return m
	}
	before, after := score("postgres "), score("postgres co")
	if len(before) != len(after) {
		t.Fatalf("hits %v, then %v", before, after)
	}
	// "co" begins the cause config-change of the failover only. (The
	// scores of a query are normalized over all its clauses, so compare
	// ratios.)
	f, d := "2023-04-05-db-failover", "2024-11-02-postgres-disk"
	if after[f]/after[d] <= before[f]/before[d] {
		t.Errorf("failover/disk score ratio %v, then %v", before[f]/before[d], after[f]/after[d])
	}
}

func TestSearchHits(t *testing.T) {
	ix := openFixture(t)
	res := search(t, ix, Request{Query: `"connection pool"`, Highlight: true})
	if len(res.Hits) != 1 {
		t.Fatalf("got %d hits", len(res.Hits))
	}
	h := res.Hits[0]
	want := Hit{
		ID:        "2023-04-05-db-failover",
		Path:      "incidents/2023-04-05-db-failover/#root-cause",
		Title:     "Primary database failover stalls checkout",
		TitleHTML: "Primary database failover stalls checkout",
		Date:      "2023-04-05",
		Severity:  "SEV1",
		Status:    "Resolved",
		Systems:   []string{"Postgres", "checkout"},
		Causes:    []string{"config-change"},
		Section:   &SectionRef{Key: "root-cause", Title: "Root cause", Anchor: "root-cause"},
		Fragments: []string{"A configuration change lowered the <mark>connection pool</mark> limit on the replicas. " +
			"When the primary failed, the promoted replica exhausted its <mark>connection pool</mark> and refused new sessions."},
		Score: h.Score,
	}
	if !equalJSON(h, want) {
		t.Errorf("hit:\n got %s\nwant %s", toJSON(h), toJSON(want))
	}
	if h.Score <= 0 {
		t.Errorf("score %v, want > 0", h.Score)
	}
}

func TestSearchSections(t *testing.T) {
	ix := openFixture(t)
	tests := []struct {
		query, id, section, path string
		mark                     bool // a fragment highlights a match
	}{
		// The word is only in the root cause of the DNS incident.
		{"reviewers ", "2024-06-30-dns", "root-cause", "incidents/2024-06-30-dns/#root-cause", true},
		// The section with more of the words wins.
		{"load balancer hosts ", "2024-06-30-dns", "lessons", "incidents/2024-06-30-dns/#lessons-learned", true},
		// A heading match names its section; the fragment is the
		// start of the section.
		{`"lessons learned" `, "2024-06-30-dns", "lessons", "incidents/2024-06-30-dns/#lessons-learned", false},
		// Only the summary matches: no section, the summary as fragment.
		{"retired ", "2024-06-30-dns", "", "incidents/2024-06-30-dns/", true},
		// A section without a key still links to its anchor.
		{"decommissioned ", "undated-legacy-outage", "", "incidents/undated-legacy-outage/#notes", true},
	}
	for _, tt := range tests {
		res := search(t, ix, Request{Query: tt.query, Highlight: true})
		if len(res.Hits) == 0 || res.Hits[0].ID != tt.id {
			t.Errorf("%q: got %v, want %s first", tt.query, ids(res), tt.id)
			continue
		}
		h := res.Hits[0]
		key := ""
		if h.Section != nil {
			key = h.Section.Key
		}
		if key != tt.section || h.Path != tt.path {
			t.Errorf("%q: section %q path %q, want %q %q", tt.query, key, h.Path, tt.section, tt.path)
		}
		if len(h.Fragments) == 0 || strings.Contains(strings.Join(h.Fragments, " "), "<mark>") != tt.mark {
			t.Errorf("%q: fragments %q, want <mark> %v", tt.query, h.Fragments, tt.mark)
		}
	}
	// Without Highlight there are no sections or fragments.
	res := search(t, ix, Request{Query: "reviewers "})
	if h := res.Hits[0]; h.Section != nil || h.Fragments != nil || h.TitleHTML != "" || h.Path != "incidents/2024-06-30-dns/" {
		t.Errorf("without highlight: %s", toJSON(h))
	}
}

func TestSearchEscapes(t *testing.T) {
	ix := openFixture(t)
	res := search(t, ix, Request{Query: "script onerror ", Highlight: true})
	if len(res.Hits) != 1 {
		t.Fatalf("got %v", ids(res))
	}
	h := res.Hits[0]
	if got, want := h.TitleHTML, "Release notes page renders &lt;<mark>script</mark>&gt; tags"; got != want {
		t.Errorf("title_html %q, want %q", got, want)
	}
	if h.Title != "Release notes page renders <script> tags" {
		t.Errorf("title %q: want it unescaped", h.Title)
	}
	frag := strings.Join(h.Fragments, "\n")
	if want := `&lt;img src=x <mark>onerror</mark>=alert(1)&gt; and &#34;quotes&#34; &amp; ampersands.`; !strings.Contains(frag, want) {
		t.Errorf("fragments %q lack %q", frag, want)
	}
	// Nothing but <mark> survives as a tag.
	for _, s := range append(h.Fragments, h.TitleHTML) {
		if tags := regexp.MustCompile(`<[^>]*>`).FindAllString(s, -1); slices.ContainsFunc(tags, func(t string) bool {
			return t != "<mark>" && t != "</mark>"
		}) {
			t.Errorf("unescaped tag in %q", s)
		}
	}
	// The summary, fragment of last resort, is escaped too.
	res = search(t, ix, Request{Query: "changelog ", Highlight: true})
	if got := strings.Join(res.Hits[0].Fragments, ""); strings.Contains(got, "<script") || strings.Contains(got, "<img") {
		t.Errorf("fragment %q", got)
	}
}

func TestSearchFragments(t *testing.T) {
	long := strings.Repeat("filler words without meaning here. ", 30)
	docs := []Document{{
		ID: "x", Title: "Long", Summary: "Short summary.",
		Sections: []Section{{Key: "k", Title: "K", Anchor: "k",
			Text: "First needle here. " + long + "Second needle and café crème here. " + long + "End."}},
	}}
	dir := t.TempDir()
	if _, err := Build(dir, docs, Options{}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	h := search(t, ix, Request{Query: "needle crème ", Highlight: true}).Hits[0]
	want := []string{
		"First <mark>needle</mark> here. filler words without meaning here. filler words without meaning here. filler words without meaning here. filler words without meaning here. filler words without…",
		"…here. filler words without meaning here. Second <mark>needle</mark> and café <mark>crème</mark> here. filler words without meaning here. filler words without meaning here. filler words without meaning…",
	}
	if !slices.Equal(h.Fragments, want) {
		t.Errorf("fragments:\n%q\nwant\n%q", h.Fragments, want)
	}
	// A title-only match shows the summary.
	h = search(t, ix, Request{Query: "long ", Highlight: true}).Hits[0]
	if !slices.Equal(h.Fragments, []string{"Short summary."}) || h.TitleHTML != "<mark>Long</mark>" {
		t.Errorf("got %q %q", h.TitleHTML, h.Fragments)
	}
}

func TestSearchFacets(t *testing.T) {
	ix := openFixture(t)
	res := search(t, ix, Request{Query: "", Facets: true})
	want := map[string][]FacetCount{
		"system": {
			{"postgres", "Postgres", 2}, {"auth", "auth", 1}, {"checkout", "checkout", 1}, {"dns", "DNS", 1},
			{"kafka", "Kafka", 1}, {"notifications", "notifications", 1}, {"scheduler", "scheduler", 1},
			{"vault", "Vault", 1}, {"web-frontend", "web-frontend", 1},
		},
		"cause": {
			{"capacity", "capacity", 2}, {"config-change", "config-change", 2}, {"disk-full", "disk-full", 1},
			{"expired-certificate", "expired-certificate", 1}, {"human-error", "human-error", 1}, {"software-bug", "software-bug", 1},
		},
		"severity": {{"sev2", "SEV2", 3}, {"sev3", "SEV3", 2}, {"sev1", "SEV1", 1}, {"sev4", "SEV4", 1}},
		"status":   {{"resolved", "Resolved", 4}, {"monitoring", "Monitoring", 1}, {"open", "Open", 1}},
		"year":     {{"2025", "2025", 1}, {"2024", "2024", 3}, {"2023", "2023", 2}},
	}
	if !equalJSON(res.Facets, want) {
		t.Errorf("facets:\n got %s\nwant %s", toJSON(res.Facets), toJSON(want))
	}
	// Facets count the hits of the query, not the whole index.
	res = search(t, ix, Request{Query: "root cause year:2024 ", Facets: true})
	if got := res.Facets["year"]; !equalJSON(got, []FacetCount{{"2024", "2024", 3}}) {
		t.Errorf("year facet %v", got)
	}
	if got := res.Facets["cause"]; !equalJSON(got, []FacetCount{
		{"capacity", "capacity", 2}, {"config-change", "config-change", 1}, {"disk-full", "disk-full", 1}, {"human-error", "human-error", 1},
	}) {
		t.Errorf("cause facet %v", got)
	}
	if res := search(t, ix, Request{Query: "vault "}); res.Facets != nil {
		t.Errorf("facets without asking: %v", res.Facets)
	}
}

// The facets of the empty query come from the manifest; they must be
// those bleve counts.
func TestBrowseFacets(t *testing.T) {
	dir := t.TempDir()
	if _, err := Build(dir, append(fixture(), synthetic(300)...), Options{ShardDocs: 100}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	browse := search(t, ix, Request{Facets: true})
	counted := search(t, ix, Request{Query: "-nosuchwordanywhere", Facets: true})
	if browse.Total != counted.Total || !equalJSON(browse.Facets, counted.Facets) {
		t.Errorf("manifest facets:\n%s\nbleve facets:\n%s", toJSON(browse.Facets), toJSON(counted.Facets))
	}
	if !equalJSON(ids(browse), ids(counted)) {
		t.Errorf("hits differ: %v vs %v", ids(browse), ids(counted))
	}
}

func TestSearchPaging(t *testing.T) {
	ix := openFixture(t)
	all := ids(search(t, ix, Request{Query: ""}))
	var paged []string
	for from := 0; from < len(all); from += 2 {
		res := search(t, ix, Request{Query: "", Size: 2, From: from})
		if res.Total != len(all) {
			t.Fatalf("total %d, want %d", res.Total, len(all))
		}
		paged = append(paged, ids(res)...)
	}
	if !slices.Equal(paged, all) {
		t.Errorf("paged %v, want %v", paged, all)
	}
	if _, err := ix.Search(context.Background(), Request{Size: -1}); err == nil {
		t.Error("negative size: no error")
	}
	if _, err := ix.Search(context.Background(), Request{Filters: map[string][]string{"team": {"x"}}}); err == nil {
		t.Error("unknown filter: no error")
	}
	if got := len(search(t, ix, Request{Size: 1000}).Hits); got != len(all) {
		t.Errorf("size above MaxSize: %d hits", got)
	}
}

func TestResultJSON(t *testing.T) {
	ix := openFixture(t)
	res := search(t, ix, Request{Query: "vacuum ", Highlight: true})
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	keys := slices.Sorted(maps.Keys(m))
	if want := []string{"hits", "shards", "took_ms", "total"}; !slices.Equal(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	hit := m["hits"].([]any)[0].(map[string]any)
	keys = slices.Sorted(maps.Keys(hit))
	if want := []string{"causes", "date", "fragments", "id", "path", "score", "section", "severity", "status", "systems", "title", "title_html"}; !slices.Equal(keys, want) {
		t.Errorf("hit keys %v, want %v", keys, want)
	}
}

func TestBuildDeterministic(t *testing.T) {
	docs := append(fixture(), synthetic(300)...)
	// Small builder batches, so that the builder merges segments.
	a := t.TempDir()
	if _, err := Build(a, docs, Options{ShardDocs: 120, batchSize: 40}); err != nil {
		t.Fatal(err)
	}
	// Reversed input, separate scratch space.
	rev := slices.Clone(docs)
	slices.Reverse(rev)
	b := t.TempDir()
	if _, err := Build(b, rev, Options{ShardDocs: 120, TempDir: t.TempDir(), batchSize: 40}); err != nil {
		t.Fatal(err)
	}
	fa, fb := readDir(t, a), readDir(t, b)
	if !slices.Equal(slices.Sorted(maps.Keys(fa)), slices.Sorted(maps.Keys(fb))) {
		t.Fatalf("files differ: %v vs %v", slices.Sorted(maps.Keys(fa)), slices.Sorted(maps.Keys(fb)))
	}
	for name := range fa {
		if string(fa[name]) != string(fb[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
	if len(fa) < 6 {
		t.Errorf("want several shards, got files %v", slices.Sorted(maps.Keys(fa)))
	}
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func TestBuildFiles(t *testing.T) {
	files, man, err := BuildFiles(fixture(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := slices.Sorted(maps.Keys(files))
	if want := []string{"all.shard.gz", "instant.json", "lexicon.zap.gz", "manifest.json", "mapping.json", "quick-0000.gz", "quick-docs-0000.gz", "quick.json"}; !slices.Equal(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
	if man.Docs != 7 || len(man.Shards) != 1 || man.Shards[0].Docs != 7 || man.Zap != 17 || man.Bleve != BleveVersion ||
		man.Lexicon == nil || man.Lexicon.Docs != 1 || man.Lexicon.File.Name != "lexicon.zap.gz" {
		t.Errorf("manifest %s", toJSON(man))
	}
	if man.Labels["system"]["postgres"] != "Postgres" || man.Labels["severity"]["sev1"] != "SEV1" {
		t.Errorf("labels %v", man.Labels)
	}
	var inst instantFile
	if err := json.Unmarshal(files["instant.json"], &inst); err != nil {
		t.Fatal(err)
	}
	first, last := inst.Docs[0], inst.Docs[len(inst.Docs)-1]
	if first.ID != "2025-02-14-markup" || first.Date != "2025-02-14" || last.ID != "undated-legacy-outage" || last.Date != "" {
		t.Errorf("instant order: first %+v last %+v", first, last)
	}
	if !slices.Equal(inst.Docs[1].Systems, []string{"Postgres"}) {
		t.Errorf("instant systems %v", inst.Docs[1].Systems)
	}
	// Open reads the same files from any fs.FS.
	fsys := fstest.MapFS{}
	for name, b := range files {
		fsys[name] = &fstest.MapFile{Data: b}
	}
	ix, err := Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got := search(t, ix, Request{Query: "vacuum "}).Total; got != 1 {
		t.Errorf("total %d", got)
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name string
		docs []Document
	}{
		{"empty id", []Document{{Title: "x"}}},
		{"duplicate id", []Document{{ID: "a"}, {ID: "a"}}},
		{"reserved id", []Document{{ID: ".kb-lexicon"}}},
	}
	for _, tt := range tests {
		if _, _, err := BuildFiles(tt.docs, Options{}); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func TestBuildEmpty(t *testing.T) {
	files, man, err := BuildFiles(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(man.Shards) != 0 || man.Lexicon != nil || len(files) != 3 {
		t.Errorf("manifest %s, files %d", toJSON(man), len(files))
	}
	ix, err := NewIndex(files["manifest.json"], files["mapping.json"])
	if err != nil {
		t.Fatal(err)
	}
	if res, err := ix.Search(context.Background(), Request{Query: "x", Facets: true}); err != nil || res.Total != 0 || len(res.Hits) != 0 {
		t.Errorf("search of an empty index: %v, %v", res, err)
	}
	// Before its first shard loads, an index says so.
	files, _, err = BuildFiles(fixture(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix, err = NewIndex(files["manifest.json"], files["mapping.json"])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Search(context.Background(), Request{}); !errors.Is(err, ErrNoShard) {
		t.Errorf("search before loading: %v, want ErrNoShard", err)
	}
}

func TestPlanShards(t *testing.T) {
	var docs []Document
	add := func(year string, n int) {
		for i := range n {
			d := Document{ID: year + "-" + string(rune('a'+i))}
			if year != "" {
				d.Date = day(year + "-06-01")
			}
			docs = append(docs, d)
		}
	}
	add("2025", 3)
	add("2024", 4)
	add("2023", 1)
	add("2021", 2)
	add("2019", 6)
	add("", 2)
	tests := []struct {
		max, first int
		want       []string
	}{
		{0, -1, []string{"all"}},
		{-1, -1, []string{"all"}},
		{18, 0, []string{"all"}},
		{5, -1, []string{"2025", "2023-2024", "2021", "2019.1", "2019.2", "undated"}},
		{8, -1, []string{"2023-2025", "2019-2021", "undated"}},
		{10, -1, []string{"2021-2025", "2019", "undated"}},
		{5, 2, []string{"newest", "2024-2025", "2021-2023", "2019.1", "2019.2", "undated"}},
		{8, 4, []string{"newest", "2021-2024", "2019", "undated"}},
		{5, 16, []string{"2025", "2023-2024", "2021", "2019.1", "2019.2", "undated"}}, // no more dated docs than that
		{3, -1, []string{"2025", "2024.1", "2024.2", "2021-2023", "2019.1", "2019.2", "undated"}},
		{1, -1, []string{"2025.1", "2025.2", "2025.3", "2024.1", "2024.2", "2024.3", "2024.4", "2023", "2021.1", "2021.2",
			"2019.1", "2019.2", "2019.3", "2019.4", "2019.5", "2019.6", "undated.1", "undated.2"}},
		{3, 2, []string{"newest", "2025", "2024.1", "2024.2", "2021-2023", "2019.1", "2019.2", "undated"}},
	}
	for _, tt := range tests {
		var got []string
		total := 0
		plan := planShards(docs, tt.max, tt.first)
		for _, s := range plan {
			got = append(got, s.name)
			total += len(s.docs)
			if tt.max > 0 && s.name != newestShard && len(s.docs) > tt.max {
				t.Errorf("max %d first %d: shard %s holds %d docs", tt.max, tt.first, s.name, len(s.docs))
			}
		}
		if !slices.Equal(got, tt.want) || total != len(docs) {
			t.Errorf("max %d first %d: %v (%d docs), want %v", tt.max, tt.first, got, total, tt.want)
		}
		if plan[0].name == newestShard {
			var newest []string
			for _, d := range plan[0].docs {
				newest = append(newest, d.ID)
			}
			if want := []string{"2025-a", "2025-b", "2025-c", "2024-a"}[:tt.first]; !slices.Equal(newest, want) {
				t.Errorf("max %d first %d: newest shard %v, want %v", tt.max, tt.first, newest, want)
			}
		}
	}
}

func TestLoadShards(t *testing.T) {
	docs := append(fixture(), synthetic(60)...)
	files, man, err := BuildFiles(docs, Options{ShardDocs: 25})
	if err != nil {
		t.Fatal(err)
	}
	if len(man.Shards) < 3 {
		t.Fatalf("want at least 3 shards, got %d", len(man.Shards))
	}
	ix, err := NewIndex(files["manifest.json"], files["mapping.json"])
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	load := func(s Shard) {
		t.Helper()
		data, err := gunzip(files[s.File.Name], s.ZapBytes+s.TextBytes)
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.Load(s.Name, data); err != nil {
			t.Fatal(err)
		}
	}
	load(man.Shards[0])
	res := search(t, ix, Request{Query: ""})
	if !res.Partial || res.Total != man.Shards[0].Docs || !slices.Equal(res.Shards, []string{man.Shards[0].Name}) {
		t.Errorf("one shard: partial %v total %d shards %v", res.Partial, res.Total, res.Shards)
	}
	// Load the rest out of order; results follow the manifest order.
	for i := len(man.Shards) - 1; i > 0; i-- {
		load(man.Shards[i])
	}
	res = search(t, ix, Request{Query: ""})
	if res.Partial || res.Total != len(docs) || !slices.Equal(res.Shards, ix.Loaded()) || ix.Loaded()[0] != man.Shards[0].Name {
		t.Errorf("all shards: partial %v total %d shards %v", res.Partial, res.Total, res.Shards)
	}
	// Hits from several shards interleave by score.
	res = search(t, ix, Request{Query: "database ", Size: 50})
	shardOf := map[string]bool{}
	for _, h := range res.Hits {
		shardOf[h.Date[:4]] = true
	}
	if len(shardOf) < 3 {
		t.Errorf("hits span only years %v", slices.Sorted(maps.Keys(shardOf)))
	}

	s := man.Shards[0]
	data, _ := gunzip(files[s.File.Name], s.ZapBytes+s.TextBytes)
	if err := ix.Load(s.Name, data); err == nil {
		t.Error("loading a shard twice: no error")
	}
	if err := ix.Load("nope", data); err == nil {
		t.Error("loading an unknown shard: no error")
	}
}

func TestOpenErrors(t *testing.T) {
	files, man, err := BuildFiles(fixture(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := gunzip(files["all.shard.gz"], man.Shards[0].ZapBytes+man.Shards[0].TextBytes)
	if err != nil {
		t.Fatal(err)
	}
	newIndex := func(edit func(*Manifest)) (*Index, error) {
		m := *man
		m.Shards = slices.Clone(man.Shards)
		edit(&m)
		b, _ := json.Marshal(m)
		return NewIndex(b, files["mapping.json"])
	}
	if _, err := newIndex(func(m *Manifest) { m.Format = 99 }); err == nil || !strings.Contains(err.Error(), "rebuild") {
		t.Errorf("other format: %v", err)
	}
	if _, err := newIndex(func(m *Manifest) { m.Zap = 16 }); err == nil {
		t.Error("other zap version: no error")
	}
	// A segment of another zap version is refused before it is read.
	ix, _ := newIndex(func(*Manifest) {})
	bad := slices.Clone(data)
	bad[man.Shards[0].ZapBytes-8+3] = 16
	if err := ix.Load("all", bad); err == nil || !strings.Contains(err.Error(), "zap version 16") {
		t.Errorf("segment of version 16: %v", err)
	}
	if err := ix.Load("all", data[:len(data)-1]); err == nil {
		t.Error("truncated segment: no error")
	}
	// The doc count must agree with the manifest.
	ix, _ = newIndex(func(m *Manifest) { m.Shards[0].Docs = 6 })
	if err := ix.Load("all", data); err == nil {
		t.Error("doc count mismatch: no error")
	}
	if _, err := Open(fstest.MapFS{}); err == nil {
		t.Error("no manifest: no error")
	}
}

func TestVersionsPinned(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Skip(err)
	}
	for _, req := range []string{
		"github.com/blevesearch/bleve/v2 " + BleveVersion,
		"github.com/blevesearch/zapx/v17 " + ZapxVersion,
	} {
		if !strings.Contains(string(mod), req) {
			t.Errorf("go.mod does not require %s: update the constants in build.go with the modules, and rebuild the wasm", req)
		}
	}
}

func equalJSON(a, b any) bool { return toJSON(a) == toJSON(b) }

func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// Searches may run while shards load (kb serve, or a future worker
// with threads); run with -race.
func TestConcurrentLoadAndSearch(t *testing.T) {
	files, man, err := BuildFiles(append(fixture(), synthetic(60)...), Options{ShardDocs: 25})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := NewIndex(files["manifest.json"], files["mapping.json"])
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	load := func(s Shard) {
		data, err := gunzip(files[s.File.Name], s.ZapBytes+s.TextBytes)
		if err == nil {
			err = ix.Load(s.Name, data)
		}
		if err != nil {
			t.Error(err)
		}
	}
	load(*man.Lexicon)
	load(man.Shards[0])
	done := make(chan bool)
	for range 4 {
		go func() {
			defer func() { done <- true }()
			for range 20 {
				if _, err := ix.Search(context.Background(), Request{Query: "database certif", Highlight: true, Facets: true}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for _, s := range man.Shards[1:] {
		load(s)
	}
	for range 4 {
		<-done
	}
	if got := search(t, ix, Request{}); got.Partial || got.Total != man.Docs {
		t.Errorf("after loading: partial %v, total %d of %d", got.Partial, got.Total, man.Docs)
	}
}

// Facets counted from the stored records are those bleve counts from
// the keyword fields' doc values.
func TestFacetsAsBleve(t *testing.T) {
	dir := t.TempDir()
	if _, err := Build(dir, append(fixture(), synthetic(300)...), Options{ShardDocs: 100, FirstShardDocs: 30}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, q := range []string{"database", `"connection pool"`, "certif -postgres", "system:kafka", "root cause year:2020", "postgress"} {
		res := search(t, ix, Request{Query: q, Facets: true})
		pq := parseQuery(q)
		bq := ix.compile(pq).strict
		sreq := bleve.NewSearchRequestOptions(bleveQuery(bq), 0, 0, false)
		for _, f := range filterFields {
			sreq.AddFacet(f, bleve.NewFacetRequest(f, facetSize))
		}
		alias := bleve.NewIndexAlias()
		for _, s := range ix.shards {
			alias.Add(bleveIndex(t, ix.im, s.idx))
		}
		br, err := alias.SearchInContext(context.Background(), sreq)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]map[string]int{}
		for f, r := range br.Facets {
			want[f] = map[string]int{}
			for _, tf := range r.Terms.Terms() {
				want[f][tf.Term] = tf.Count
			}
		}
		if got := ix.facets(want); !equalJSON(got, res.Facets) || int(br.Total) != res.Total {
			t.Errorf("%q: facets\n%s\nbleve\n%s", q, toJSON(res.Facets), toJSON(got))
		}
	}
}

// Searching the shards one by one and merging gives what a bleve index
// alias with global scoring gives: the same total, hits and scores, or
// unscored, the same hits newest first, then by id.
func TestShardsAsAlias(t *testing.T) {
	docs := append(fixture(), synthetic(300)...)
	// Incidents of the same day, at different times.
	for i, at := range []string{"2024-06-30T09:00:00Z", "2024-06-30T23:30:00+02:00", "2024-06-30T00:00:01-05:00"} {
		when, _ := time.Parse(time.RFC3339, at)
		docs = append(docs, Document{ID: fmt.Sprintf("z-same-day-%d", i), Title: "Same day", Date: when, Systems: []string{"DNS"}})
	}
	dir := t.TempDir()
	if _, err := Build(dir, docs, Options{ShardDocs: 100, FirstShardDocs: 30}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	alias := bleve.NewIndexAlias()
	if err := alias.SetIndexMapping(ix.im); err != nil {
		t.Fatal(err)
	}
	for _, s := range ix.shards {
		alias.Add(bleveIndex(t, ix.im, s.idx))
	}
	reqs := append(slices.Clone(parityRequests), Request{Query: "system:dns", Size: 100}, Request{Size: 100, From: 40})
	unscored := 0
	for _, req := range reqs {
		res := search(t, ix, req)
		if len(req.Filters) > 0 {
			continue // filters come from the request
		}
		pl := ix.compile(parseQuery(req.Query))
		q, scored := pl.strict, pl.scored
		size := req.Size
		if size == 0 {
			size = DefaultSize
		}
		sreq := bleve.NewSearchRequestOptions(bleveQuery(q), size, req.From, false)
		ctx := context.Background()
		if scored {
			sreq.SortByCustom(bsearch.SortOrder{&bsearch.SortScore{Desc: true}, &bsearch.SortDocID{}})
			ctx = context.WithValue(ctx, bsearch.SearchTypeKey, bsearch.GlobalScoring)
		} else {
			unscored++
			sreq.SortByCustom(bsearch.SortOrder{
				&bsearch.SortField{Field: fieldDate, Desc: true, Type: bsearch.SortFieldAsDate, Missing: bsearch.SortFieldMissingLast},
				&bsearch.SortDocID{},
			})
			sreq.Score = "none"
		}
		br, err := alias.SearchInContext(ctx, sreq)
		if err != nil {
			t.Fatal(err)
		}
		if int(br.Total) != res.Total || len(br.Hits) != len(res.Hits) {
			t.Errorf("%q: total %d, %d hits; alias %d, %d", req.Query, res.Total, len(res.Hits), br.Total, len(br.Hits))
			continue
		}
		for i, h := range br.Hits {
			if h.ID != res.Hits[i].ID || h.Score != res.Hits[i].Score {
				t.Errorf("%q: hit %d %s %v; alias %s %v", req.Query, i, res.Hits[i].ID, res.Hits[i].Score, h.ID, h.Score)
			}
		}
	}
	if unscored < 4 {
		t.Errorf("only %d unscored requests", unscored)
	}
}
