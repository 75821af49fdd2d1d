package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/kb-postmortems/kb/internal/search"
)

// TestSearchJSONMatchesIndex holds kb search --json to the search package
// over the index a build publishes: same request, same answer, whether kb
// search reads the published index or builds one from the content. The
// search package's parity test holds that package to the WebAssembly
// module run under Node and Chromium, so a query answers the same in the
// terminal and in the browser.
func TestSearchJSONMatchesIndex(t *testing.T) {
	// A site folder of its own, reading the example content, so that kb
	// search finds this build's published index under --source.
	dir := t.TempDir()
	content, err := filepath.Abs("../../content")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "site.toml"), []byte("content_dir = "+strconv.Quote(content)+"\n"), 0o644)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"build", "--source", dir}, &out, &errb); code != 0 {
		t.Fatalf("build: %d %s", code, errb.String())
	}
	ix, err := search.Open(os.DirFS(filepath.Join(dir, "site", "search", "index")))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, q := range []string{
		"postgres connections exhausted", "postgress", `"pool exhausted"`, "certif", "system:vault",
		"cause:config-change -dns", "year:2022 severity:SEV2", "ORM leaked", "no-such-word-anywhere",
	} {
		for _, limit := range []int{3, 10} {
			res, err := ix.Search(context.Background(), search.Request{Query: q, Size: limit, Highlight: true, Facets: true})
			if err != nil {
				t.Fatal(err)
			}
			want := withoutTook(t, mustJSON(t, res))
			for _, from := range []string{"--content=false", "--content"} {
				out.Reset()
				errb.Reset()
				run(context.Background(), []string{"search", "--json", from, "--source", dir, "--limit", strconv.Itoa(limit), q}, &out, &errb)
				if got := withoutTook(t, out.Bytes()); !bytes.Equal(got, want) {
					t.Errorf("%q (limit %d, %s): kb search --json and the index differ:\n got %s\nwant %s\n%s", q, limit, from, got, want, errb.String())
				}
			}
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withoutTook drops the one field that differs between runs: the time.
func withoutTook(t *testing.T, b []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	delete(m, "took_ms")
	return mustJSON(t, m)
}
