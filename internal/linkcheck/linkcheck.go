// Package linkcheck finds broken internal links in a built site: every href
// and src in every HTML page must name a file of the site (and an anchor on
// that page, when it has a fragment). Tests use it on fresh builds; it
// reads files, it does not fetch.
package linkcheck

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"

	"golang.org/x/net/html"
)

// Problem is one broken link.
type Problem struct {
	Page, Link, Why string
}

func (p Problem) String() string { return fmt.Sprintf("%s: %s: %s", p.Page, p.Link, p.Why) }

// Check checks the site in fsys, which is served under base (such as "/" or
// "/kb/"). External links (with a scheme or a host) are not followed.
func Check(fsys fs.FS, base string) ([]Problem, error) {
	files := map[string]bool{}
	var pages []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files[p] = true
			if strings.HasSuffix(p, ".html") {
				pages = append(pages, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(pages)
	ids := map[string]map[string]bool{}
	links := map[string][]string{}
	for _, p := range pages {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		ids[p], links[p], err = scan(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	base = "/" + strings.Trim(base, "/")
	if base != "/" {
		base += "/"
	}
	var probs []Problem
	for _, p := range pages {
		for _, l := range links[p] {
			u, err := url.Parse(l)
			if err != nil {
				probs = append(probs, Problem{p, l, "not a URL"})
				continue
			}
			if u.Scheme != "" || u.Host != "" {
				continue
			}
			target := p
			if u.Path != "" {
				var abs string
				if strings.HasPrefix(u.Path, "/") {
					if !strings.HasPrefix(u.Path, base) {
						probs = append(probs, Problem{p, l, "outside the base path " + base})
						continue
					}
					abs = strings.TrimPrefix(u.Path, base)
				} else {
					abs = path.Join(path.Dir(p), u.Path)
					if strings.HasPrefix(abs, "../") || abs == ".." {
						probs = append(probs, Problem{p, l, "leaves the site"})
						continue
					}
				}
				abs = strings.TrimPrefix(path.Clean("/"+abs), "/")
				switch {
				case files[abs]:
					target = abs
				case files[path.Join(abs, "index.html")]:
					target = path.Join(abs, "index.html")
				case abs == "" && files["index.html"]:
					target = "index.html"
				default:
					probs = append(probs, Problem{p, l, "no such file"})
					continue
				}
				if strings.HasSuffix(u.Path, "/") && !strings.HasSuffix(target, "index.html") {
					probs = append(probs, Problem{p, l, "not a folder"})
					continue
				}
			}
			if u.Fragment != "" && strings.HasSuffix(target, ".html") && !ids[target][u.Fragment] {
				probs = append(probs, Problem{p, l, "no element with id " + u.Fragment})
			}
		}
	}
	return probs, nil
}

// scan collects the ids and the link targets of a page.
func scan(b []byte) (map[string]bool, []string, error) {
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return nil, nil, err
	}
	ids := map[string]bool{}
	var links []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch a.Key {
				case "id", "name":
					ids[a.Val] = true
				case "href", "src":
					links = append(links, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return ids, links, nil
}
