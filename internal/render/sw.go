package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"text/template"
)

// ServiceWorker renders sw.js from layouts/sw.js. Its version is a hash of
// every other file of the site, given as sums (path → SHA-256), so a build
// that changes anything installs a new worker with a new cache, and an
// identical build changes nothing. It takes sums, not the files, because
// the files are on their way to the disk by the time it runs.
// The worker precaches what every visit needs (stylesheets, scripts, the
// home and search pages); the search files in its list are fetched only
// once a page's search has started, or at install when the previous
// build's cache held them (layouts/sw.js); pages and index shards are
// cached as they are fetched.
func ServiceWorker(layouts fs.FS, sums map[string][sha256.Size]byte) ([]byte, error) {
	src, err := fs.ReadFile(layouts, "sw.js")
	if err != nil {
		return nil, fmt.Errorf("layouts/sw.js: %w", err)
	}
	t, err := template.New("sw.js").Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("layouts/sw.js: %w", err)
	}
	names := make([]string, 0, len(sums))
	for p := range sums {
		if p != "sw.js" {
			names = append(names, p)
		}
	}
	sort.Strings(names)
	h := sha256.New()
	var precache []string
	for _, p := range names {
		fmt.Fprintf(h, "%s %x\n", p, sums[p])
		if precached(p) {
			precache = append(precache, strings.TrimSuffix(p, "index.html"))
		}
	}
	list, err := json.Marshal(precache)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = t.Execute(&b, struct {
		Version      string
		Precache     []string
		PrecacheJSON string
	}{hex.EncodeToString(h.Sum(nil))[:16], precache, string(list)})
	if err != nil {
		return nil, fmt.Errorf("layouts/sw.js: %w", err)
	}
	return b.Bytes(), nil
}

// precached reports whether every visitor needs p, offline included.
func precached(p string) bool {
	switch {
	case p == "index.html", p == "404.html", p == "search/index.html":
		return true
	case strings.HasPrefix(p, "assets/") && (strings.HasSuffix(p, ".css") || strings.HasSuffix(p, ".js")):
		return true
	case p == "search/worker.js", p == "search/wasm_exec.js", p == "search/index/manifest.json":
		return true
	}
	// The module and the index are big, and the search worker fetches
	// them when the reader first searches (or, with prefetch = "idle",
	// when the browser is idle) and keeps them in a cache of its own,
	// which this worker answers from: fetching them here too would
	// download them twice.
	return false
}
