package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/kb-postmortems/kb/internal/site"
)

const serveUsage = `Usage:
	kb serve [flags]

Builds the site into a temporary folder and serves it on this machine,
under its base path (base_url in site.toml), as a reader would see it.
The output folder of kb build is never touched. Every change to the
content, layouts, assets and static folders and to site.toml rebuilds the
site, and open pages reload themselves. When a rebuild fails, the last
good site stays served and open pages show the errors over it until the
next good build. The temporary folder is removed on Ctrl-C. Each change
rebuilds the whole site, as kb build does: seconds for a thousand
postmortems, longer for ten thousand.

Pages are served with a small script added (/__kb/reload.js) that waits
for rebuilds; the files of the site are not changed by it. The service
worker is left out, so that nothing is cached between edits.

Flags:
	--source DIR     the site's folder, holding site.toml (default ".")
	--port N         the port to serve on, on 127.0.0.1 only (default 1313;
	                 0 picks a free one)
	--open           open the site in the default browser
	--drafts         also show postmortems whose metadata marks them as
	                 drafts

Examples:
	kb serve
	kb serve --port 8080 --open
`

// reloadJS waits for rebuilds in a served page; see serve's usage.
//
//go:embed serve_reload.js
var reloadJS []byte

// A sequence of events closer together than serveDebounce is one edit: an
// editor's save is often a write, a rename and a chmod.
const serveDebounce = 100 * time.Millisecond

// noWorker replaces the site's service worker while serving: it takes the
// place of one a browser kept from an earlier visit, and removes itself,
// so no cached page hides an edit.
const noWorker = `'use strict';
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.registration.unregister()));
`

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags("serve")
	source := fs.String("source", ".", "")
	port := fs.Int("port", 1313, "")
	open := fs.Bool("open", false, "")
	drafts := fs.Bool("drafts", false, "")
	if err := e.parseFlags(fs, serveUsage, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		io.WriteString(e.stderr, serveUsage)
		return &usageError{msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0)), hint: "use --source to serve a site in another folder"}
	}
	if *port < 0 || *port > 65535 {
		return &usageError{msg: fmt.Sprintf("--port %d is not a port", *port), hint: "give a number from 1 to 65535, or 0 for any free port"}
	}
	// A broken site.toml at the start is a mistake to fix before serving;
	// once serving, it is shown like any failed build.
	cfg, err := loadConfig(*source)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "kb-serve-")
	if err != nil {
		return fmt.Errorf("make a folder to build into: %w", err)
	}
	defer os.RemoveAll(tmp)

	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return &usageError{msg: fmt.Sprintf("port %d is in use", *port), hint: "stop what serves there, or choose another port with --port N (--port 0 picks a free one)"}
		}
		return fmt.Errorf("listen on port %d: %w", *port, err)
	}
	defer ln.Close()

	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch the site for changes: %w", err)
	}
	defer w.Close()

	s := &devServer{
		e:      e,
		source: *source,
		drafts: *drafts,
		out:    filepath.Join(tmp, "site"),
		base:   basePath(cfg.BaseURL),
		subs:   map[chan struct{}]bool{},
	}
	s.watch(w, cfg)
	s.rebuild(ctx)
	if ctx.Err() != nil {
		return nil
	}

	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		// Requests, the event streams among them, end with the command.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	addr := "http://" + ln.Addr().String() + s.base
	fmt.Fprintf(e.stdout, "serving %s (Ctrl-C to stop)\n", addr)
	if *open {
		if err := openBrowser(addr); err != nil {
			fmt.Fprintf(e.stderr, "kb: warning: could not open a browser: %v\n", err)
		}
	}

	err = s.loop(ctx, w)
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(shut)
	if err != nil {
		return err
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// basePath is the path part of a base URL: a site whose pages will live
// at https://example.github.io/kb/ is served at /kb/ here.
func basePath(base string) string {
	p := base
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		p = u.Path
	}
	p = "/" + strings.Trim(p, "/") + "/"
	if p == "//" {
		return "/"
	}
	return p
}

// devServer builds the site on every change and serves the last good
// build.
type devServer struct {
	e      *env
	source string
	drafts bool
	out    string // the folder builds are published to
	base   string // the URL path the site is served under

	mu    sync.Mutex
	state buildState
	good  bool // out holds a site
	subs  map[chan struct{}]bool
}

// buildState is what open pages are told: the build they should show, and
// the errors of the last build if it failed.
type buildState struct {
	// Build counts good builds: a page of an older one reloads.
	Build  int       `json:"build"`
	OK     bool      `json:"ok"`
	Errors []problem `json:"errors,omitempty"`
}

// rebuild builds the site afresh into the output folder. Reading
// site.toml again each time lets its edits show too, except base_url,
// which the server's URL was made from.
func (s *devServer) rebuild(ctx context.Context) {
	start := s.e.now()
	cfg, err := loadConfig(s.source)
	var res *site.Result
	if err == nil {
		cfg.BaseURL = s.base
		cfg.OutputDir = s.out
		cfg.Drafts = s.drafts
		res, err = site.Build(ctx, cfg)
	}
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		s.e.printError(err)
		s.mu.Lock()
		good := s.good
		s.mu.Unlock()
		if good {
			fmt.Fprintln(s.e.stderr, "kb: the last good build is still served")
		}
		s.publish(func(st *buildState) {
			st.OK = false
			st.Errors = problems(err)
		})
		return
	}
	n := len(res.Site.Incidents)
	noun := "incidents"
	if n == 1 {
		noun = "incident"
	}
	fmt.Fprintf(s.e.stdout, "built %d %s in %s\n", n, noun, roundDuration(s.e.now().Sub(start)))
	s.publish(func(st *buildState) {
		st.Build++
		st.OK = true
		st.Errors = nil
	})
}

// publish changes the state and tells every open page. A good build is
// counted after its files are swapped in, so a page served in between
// carries the older count and reloads once more, never once too few.
func (s *devServer) publish(change func(*buildState)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change(&s.state)
	if s.state.OK {
		s.good = true
	}
	for c := range s.subs {
		select {
		case c <- struct{}{}:
		default: // it has a change to read already
		}
	}
}

func (s *devServer) current() (buildState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state, s.good
}

// watch adds every folder the site is made from to w. fsnotify watches one
// folder, not a tree, so each folder below is added too; a folder made
// later is added when its creation is seen. Adding a folder twice is
// harmless, so this runs after every change.
func (s *devServer) watch(w *fsnotify.Watcher, cfg site.Config) {
	// The site's own folder holds site.toml and the watched folders, which
	// may be made after kb serve starts.
	w.Add(cfg.Root)
	for _, dir := range watchedTrees(cfg) {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if err := w.Add(p); err != nil {
				fmt.Fprintf(s.e.stderr, "kb: warning: changes in %s will not show: %v\n", p, err)
			}
			return nil
		})
	}
}

func watchedTrees(cfg site.Config) []string {
	return []string{cfg.ContentPath(), cfg.LayoutsPath(), cfg.AssetsPath(), cfg.StaticPath()}
}

// relevant reports whether a change to name, a path seen by the watcher,
// can change the site: anything in the watched folders but an editor's
// scratch files, and, in the site's own folder, site.toml and the watched
// folders themselves.
func relevant(cfg site.Config, name string) bool {
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasPrefix(base, "#") {
		return false
	}
	clean := filepath.Clean(name)
	if clean == filepath.Clean(filepath.Join(cfg.Root, site.ConfigFile)) {
		return true
	}
	for _, dir := range watchedTrees(cfg) {
		d := filepath.Clean(dir)
		if clean == d || strings.HasPrefix(clean, d+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// loop rebuilds after each change, until ctx ends.
func (s *devServer) loop(ctx context.Context, w *fsnotify.Watcher) error {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	cfg, err := loadConfig(s.source)
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return errors.New("watching for changes stopped")
			}
			if ev.Op == fsnotify.Chmod || (err == nil && !relevant(cfg, ev.Name)) {
				continue
			}
			timer.Reset(serveDebounce)
		case werr, ok := <-w.Errors:
			if !ok {
				return errors.New("watching for changes stopped")
			}
			// A lost event (the kernel's queue overflowed) is no reason
			// to stop: the next build reads everything anyway.
			fmt.Fprintf(s.e.stderr, "kb: warning: watching for changes: %v\n", werr)
			timer.Reset(serveDebounce)
		case <-timer.C:
			// site.toml may have moved the folders.
			var c site.Config
			if c, err = loadConfig(s.source); err == nil {
				cfg = c
			}
			if err == nil {
				s.watch(w, cfg)
			}
			s.rebuild(ctx)
		}
	}
}

func (s *devServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch r.URL.Path {
	case "/__kb/reload.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(reloadJS)
		return
	case "/__kb/events":
		s.events(w, r)
		return
	case "/__kb/status":
		st, _ := s.current()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(st)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !strings.HasPrefix(r.URL.Path, s.base) {
		if r.URL.Path == "/" || r.URL.Path+"/" == s.base {
			http.Redirect(w, r, s.base, http.StatusFound)
			return
		}
		http.Error(w, "not found: the site is served under "+s.base, http.StatusNotFound)
		return
	}
	st, good := s.current()
	if !good {
		s.serveNoSite(w, st)
		return
	}
	rel := path.Clean("/" + strings.TrimPrefix(r.URL.Path, s.base))
	if rel == "/sw.js" {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		io.WriteString(w, noWorker)
		return
	}
	full := filepath.Join(s.out, filepath.FromSlash(rel))
	fi, err := os.Stat(full)
	if err == nil && fi.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		full = filepath.Join(full, "index.html")
		_, err = os.Stat(full)
	}
	if err != nil {
		s.serveHTML(w, filepath.Join(s.out, "404.html"), st.Build, http.StatusNotFound)
		return
	}
	if strings.HasSuffix(full, ".html") {
		s.serveHTML(w, full, st.Build, http.StatusOK)
		return
	}
	http.ServeFile(w, r, full)
}

// serveHTML serves a page with the reload script added before </head>.
func (s *devServer) serveHTML(w http.ResponseWriter, file string, build, code int) {
	b, err := os.ReadFile(file)
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(injectReload(b, build))
}

func injectReload(page []byte, build int) []byte {
	tag := fmt.Sprintf(`<script src="/__kb/reload.js" data-build="%d" defer></script>`, build)
	i := bytes.Index(page, []byte("</head>"))
	if i < 0 {
		return append(page, tag...)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}

// serveNoSite answers while no build has succeeded: a page that shows the
// errors and loads the first good build.
func (s *devServer) serveNoSite(w http.ResponseWriter, st buildState) {
	page := []byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>kb serve: the site did not build</title></head>` +
		`<body><h1>The site did not build</h1><p>Fix the errors shown; this page reloads when the site builds.</p></body></html>`)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	w.Write(injectReload(page, st.Build))
}

// events streams the build state to a page as server-sent events: once
// at once, then after every build.
func (s *devServer) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan struct{}, 1)
	s.mu.Lock()
	s.subs[c] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.subs, c)
		s.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	c <- struct{}{}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-c:
			st, _ := s.current()
			b, _ := json.Marshal(st)
			if _, err := fmt.Fprintf(w, "data: %s\n\n", b); err != nil {
				return
			}
			fl.Flush()
		}
	}
}

// openBrowser opens url in the user's browser without waiting for it.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}
