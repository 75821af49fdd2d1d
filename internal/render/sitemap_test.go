package render

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"testing"
)

// sitemapDoc is a sitemap or a sitemap index, as a reader parses it.
type sitemapDoc struct {
	XMLName xml.Name
	URLs    []string `xml:"url>loc"`
	Maps    []string `xml:"sitemap>loc"`
}

func parseSitemap(t *testing.T, b []byte) sitemapDoc {
	t.Helper()
	var d sitemapDoc
	if err := xml.Unmarshal(b, &d); err != nil {
		t.Fatalf("sitemap does not parse: %v\n%s", err, b)
	}
	if d.XMLName.Space != sitemapNS {
		t.Fatalf("namespace %q", d.XMLName.Space)
	}
	return d
}

func TestSitemap(t *testing.T) {
	files := []string{
		"index.html", "404.html", "feed.xml", "sw.js",
		"incidents/2024-01-02-db/index.html", "incidents/2023-05-01-a b&c/index.html",
		"systems/index.html", "systems/api/index.html",
		"search/index.html", "search/worker.js", "search/index/manifest.json", "search/index/index.html",
		"assets/kb.css", "assets/docs/index.html", "files/x/index.html.png",
	}
	var w mapWriter
	ok, err := Sitemap(&w, Site{BaseURL: "https://kb.example.com/kb/"}, files)
	if err != nil || !ok {
		t.Fatalf("Sitemap = %v, %v", ok, err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://kb.example.com/kb/</loc></url>
  <url><loc>https://kb.example.com/kb/incidents/2023-05-01-a%20b&amp;c/</loc></url>
  <url><loc>https://kb.example.com/kb/incidents/2024-01-02-db/</loc></url>
  <url><loc>https://kb.example.com/kb/search/</loc></url>
  <url><loc>https://kb.example.com/kb/systems/</loc></url>
  <url><loc>https://kb.example.com/kb/systems/api/</loc></url>
</urlset>
`
	if got := string(w.files["sitemap.xml"]); got != want {
		t.Errorf("sitemap.xml:\n%s\nwant:\n%s", got, want)
	}
	if len(w.files) != 1 {
		t.Errorf("files written: %d", len(w.files))
	}
	parseSitemap(t, w.files["sitemap.xml"])
}

// The protocol takes absolute URLs only: with a base URL that is a path,
// there is no sitemap.
func TestSitemapRelativeBase(t *testing.T) {
	for _, base := range []string{"/", "/kb/", "", "kb.example.com/", "ftp://kb.example.com/"} {
		var w mapWriter
		ok, err := Sitemap(&w, Site{BaseURL: base}, []string{"index.html"})
		if err != nil || ok || len(w.files) != 0 {
			t.Errorf("base %q: Sitemap = %v, %v, wrote %d files", base, ok, err, len(w.files))
		}
	}
}

// Every page Render makes is listed, once, and nothing else.
func TestSitemapOfRenderedSite(t *testing.T) {
	in := renderInput(t, 30)
	in.Site.BaseURL = "https://kb.example.com/"
	var w mapWriter
	if err := Render(context.Background(), in, &w); err != nil {
		t.Fatal(err)
	}
	var files []string
	for p := range w.files {
		files = append(files, p)
	}
	var sw mapWriter
	if _, err := Sitemap(&sw, in.Site, files); err != nil {
		t.Fatal(err)
	}
	d := parseSitemap(t, sw.files["sitemap.xml"])
	listed := map[string]int{}
	for _, u := range d.URLs {
		listed[u]++
	}
	for _, inc := range in.Incidents {
		if u := "https://kb.example.com/incidents/" + inc.ID + "/"; listed[u] != 1 {
			t.Errorf("%s listed %d times", u, listed[u])
		}
	}
	for _, u := range []string{"https://kb.example.com/", "https://kb.example.com/review/", "https://kb.example.com/search/"} {
		if listed[u] != 1 {
			t.Errorf("%s listed %d times", u, listed[u])
		}
	}
	pages := 0
	for p := range w.files {
		if strings.HasSuffix(p, ".html") {
			pages++
		}
	}
	if len(d.URLs) != pages-1 { // all but 404.html
		t.Errorf("%d URLs for %d pages", len(d.URLs), pages)
	}
	for _, u := range d.URLs {
		if strings.Contains(u, "404") || strings.Contains(u, "assets/") || !strings.HasSuffix(u, "/") {
			t.Errorf("listed: %s", u)
		}
	}
	if !sort.StringsAreSorted(d.URLs) {
		t.Error("URLs are not in order")
	}
}

// A site past the protocol's limits gets an index of sitemaps, each
// within them.
func TestSitemapIndex(t *testing.T) {
	const base = "https://kb.example.com/"
	var pages []string
	for i := range 7 {
		pages = append(pages, fmt.Sprintf("incidents/%02d/index.html", i))
	}
	for _, c := range []struct {
		name             string
		maxURLs, maxSize int
		parts            []int
	}{
		{"by count", 3, 1 << 20, []int{3, 3, 1}},
		{"by size", 100, len(sitemapHead) + len(sitemapFoot) + 2*len(urlEntry(pageLoc(base, pages[0]))), []int{2, 2, 2, 1}},
		{"within both", 7, 1 << 20, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var w mapWriter
			if err := writeSitemaps(&w, base, pages, c.maxURLs, c.maxSize); err != nil {
				t.Fatal(err)
			}
			top := parseSitemap(t, w.files["sitemap.xml"])
			if c.parts == nil {
				if top.XMLName.Local != "urlset" || len(top.URLs) != len(pages) || len(w.files) != 1 {
					t.Fatalf("one sitemap expected: %s, %d URLs, %d files", top.XMLName.Local, len(top.URLs), len(w.files))
				}
				return
			}
			if top.XMLName.Local != "sitemapindex" || len(top.Maps) != len(c.parts) || len(w.files) != len(c.parts)+1 {
				t.Fatalf("index: %s with %v, %d files", top.XMLName.Local, top.Maps, len(w.files))
			}
			var all []string
			for i, loc := range top.Maps {
				name := strings.TrimPrefix(loc, base)
				if name != fmt.Sprintf("sitemap-%d.xml", i+1) {
					t.Errorf("part %d is %s", i, loc)
				}
				b := w.files[name]
				if len(b) > c.maxSize {
					t.Errorf("%s is %d bytes, over %d", name, len(b), c.maxSize)
				}
				d := parseSitemap(t, b)
				if len(d.URLs) != c.parts[i] {
					t.Errorf("%s has %d URLs, want %d", name, len(d.URLs), c.parts[i])
				}
				all = append(all, d.URLs...)
			}
			if len(all) != len(pages) || !sort.StringsAreSorted(all) {
				t.Errorf("parts hold %v", all)
			}
		})
	}
}

// streamer is a Streamer that records which files were streamed.
type streamer struct {
	mapWriter
	mu       sync.Mutex
	streamed []string
}

func (s *streamer) Create(p string) (io.WriteCloser, error) {
	s.mu.Lock()
	s.streamed = append(s.streamed, p)
	s.mu.Unlock()
	return &streamFile{s: s, p: p}, nil
}

type streamFile struct {
	bytes.Buffer
	s *streamer
	p string
}

func (f *streamFile) Close() error { return f.s.mapWriter.WriteFile(f.p, f.Bytes()) }

// A sitemap goes to a Streamer as it is written, not whole.
func TestSitemapStreamed(t *testing.T) {
	var s streamer
	if _, err := Sitemap(&s, Site{BaseURL: "http://kb.example.com"}, []string{"index.html", "a/index.html"}); err != nil {
		t.Fatal(err)
	}
	if len(s.streamed) != 1 || s.streamed[0] != "sitemap.xml" {
		t.Errorf("streamed %v", s.streamed)
	}
	d := parseSitemap(t, s.files["sitemap.xml"])
	if want := []string{"http://kb.example.com/", "http://kb.example.com/a/"}; fmt.Sprint(d.URLs) != fmt.Sprint(want) {
		t.Errorf("URLs %v, want %v", d.URLs, want)
	}
}
