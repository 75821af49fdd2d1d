package render

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Sitemap limits of the protocol (sitemaps.org): a file lists at most
// 50,000 URLs in at most 50 MB, and a URL is shorter than 2,048
// characters.
const (
	sitemapMaxURLs  = 50000
	sitemapMaxBytes = 50 << 20
	sitemapMaxURL   = 2047
)

const (
	sitemapNS   = "http://www.sitemaps.org/schemas/sitemap/0.9"
	sitemapHead = xml.Header + `<urlset xmlns="` + sitemapNS + `">` + "\n"
	sitemapFoot = "</urlset>\n"
	indexHead   = xml.Header + `<sitemapindex xmlns="` + sitemapNS + `">` + "\n"
	indexFoot   = "</sitemapindex>\n"
)

// Sitemap writes sitemap.xml: the address of every page of the site, for
// search engines. files are the paths of the files written so far (the
// keys of a stage's sums); the pages among them are the index.html files
// outside assets/ and search/, with search/index.html (404.html is not a
// page anyone should be sent to). They are listed in the order of their
// folders, so the same site gives the same bytes, and without
// <lastmod>: an incident's date is when it happened, not when its page
// changed, and nothing else in a build says that.
//
// The protocol wants absolute URLs: when the base URL is not an http or
// https URL, Sitemap writes nothing and returns false. A site of more
// than 50,000 pages gets sitemap.xml as an index of sitemap-1.xml,
// sitemap-2.xml, …, each within the protocol's limits. Every file is
// streamed when w is a [Streamer].
func Sitemap(w Writer, site Site, files []string) (bool, error) {
	base, ok := absoluteBase(site.BaseURL)
	if !ok {
		return false, nil
	}
	var pages []string
	for _, p := range files {
		if isSitemapPage(p) {
			pages = append(pages, p)
		}
	}
	// In the order of the pages' folders: the home page first, a
	// folder before the pages in it.
	sort.Slice(pages, func(i, j int) bool {
		return strings.TrimSuffix(pages[i], "index.html") < strings.TrimSuffix(pages[j], "index.html")
	})
	return true, writeSitemaps(w, base, pages, sitemapMaxURLs, sitemapMaxBytes)
}

// isSitemapPage reports whether the site file p is a page to list.
func isSitemapPage(p string) bool {
	if p != "index.html" && !strings.HasSuffix(p, "/index.html") {
		return false
	}
	if p == "search/index.html" {
		return true
	}
	return !strings.HasPrefix(p, "assets/") && !strings.HasPrefix(p, "search/")
}

// pageLoc is the absolute address of the page at site path p: its folder,
// each segment escaped.
func pageLoc(base, p string) string {
	dir := strings.TrimSuffix(p, "index.html")
	if dir == "" {
		return base
	}
	segs := strings.Split(strings.TrimSuffix(dir, "/"), "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return base + strings.Join(segs, "/") + "/"
}

// urlEntry is one <url> element of a sitemap.
func urlEntry(loc string) string {
	var b strings.Builder
	b.WriteString("  <url><loc>")
	xml.EscapeText(&b, []byte(loc))
	b.WriteString("</loc></url>\n")
	return b.String()
}

// writeSitemaps writes the sitemaps of pages (site paths, in order), with at
// most maxURLs addresses and maxBytes bytes in a file. Pages are read
// twice, once to find where each file ends and once to write it, so no
// file is held whole.
func writeSitemaps(w Writer, base string, pages []string, maxURLs, maxBytes int) error {
	// ends[i] is where the i-th file's pages end.
	var ends []int
	n, size := 0, len(sitemapHead)+len(sitemapFoot)
	for i, p := range pages {
		loc := pageLoc(base, p)
		if len(loc) > sitemapMaxURL {
			continue
		}
		e := len(urlEntry(loc))
		if n > 0 && (n == maxURLs || size+e > maxBytes) {
			ends = append(ends, i)
			n, size = 0, len(sitemapHead)+len(sitemapFoot)
		}
		n++
		size += e
	}
	ends = append(ends, len(pages))
	if len(ends) == 1 {
		return writeSitemapFile(w, "sitemap.xml", base, pages)
	}
	start := 0
	for i, end := range ends {
		if err := writeSitemapFile(w, sitemapPart(i), base, pages[start:end]); err != nil {
			return err
		}
		start = end
	}
	return writeXMLFile(w, "sitemap.xml", func(bw *bufio.Writer) error {
		bw.WriteString(indexHead)
		for i := range ends {
			bw.WriteString("  <sitemap><loc>")
			xml.EscapeText(bw, []byte(base+sitemapPart(i)))
			bw.WriteString("</loc></sitemap>\n")
		}
		_, err := bw.WriteString(indexFoot)
		return err
	})
}

// sitemapPart is the name of the i-th (from 0) sitemap of an index.
func sitemapPart(i int) string { return "sitemap-" + strconv.Itoa(i+1) + ".xml" }

// writeSitemapFile writes one <urlset> of pages.
func writeSitemapFile(w Writer, name, base string, pages []string) error {
	return writeXMLFile(w, name, func(bw *bufio.Writer) error {
		bw.WriteString(sitemapHead)
		for _, p := range pages {
			if loc := pageLoc(base, p); len(loc) <= sitemapMaxURL {
				bw.WriteString(urlEntry(loc))
			}
		}
		_, err := bw.WriteString(sitemapFoot)
		return err
	})
}

// writeXMLFile opens name on w and writes it through a buffer with fill;
// a bufio.Writer keeps the first error, which Flush returns.
func writeXMLFile(w Writer, name string, fill func(*bufio.Writer) error) error {
	f, err := create(w, name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	err = fill(bw)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
