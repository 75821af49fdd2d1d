package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a buffer that kb serve writes to while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// servedSite is a kb serve running on a free port over a site folder.
type servedSite struct {
	t       *testing.T
	dir     string
	url     string // the site's address, under its base path
	root    string // the server's root, where /__kb/ lives
	stdout  *lockedBuffer
	stderr  *lockedBuffer
	stop    context.CancelFunc
	code    chan int
	tempDir string
}

// startServe writes files into a new site folder and runs kb serve on it
// until the test ends.
func startServe(t *testing.T, files map[string]string) *servedSite {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The build folder is made in TMPDIR: a folder of the test's own
	// shows whether it is removed at the end.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx, cancel := context.WithCancel(context.Background())
	s := &servedSite{t: t, dir: dir, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, stop: cancel, code: make(chan int, 1), tempDir: tmp}
	go func() { s.code <- run(ctx, []string{"serve", "--source", dir, "--port", "0"}, s.stdout, s.stderr) }()
	t.Cleanup(func() { s.shutdown() })
	addrRE := regexp.MustCompile(`serving (http://\S+)`)
	s.poll("the address to be printed", func() bool {
		m := addrRE.FindStringSubmatch(s.stdout.String())
		if m == nil {
			return false
		}
		s.url = m[1]
		s.root = s.url[:strings.Index(s.url[len("http://"):], "/")+len("http://")+1]
		return true
	})
	return s
}

// shutdown stops kb serve as Ctrl-C does and checks it ends well.
func (s *servedSite) shutdown() {
	if s.stop == nil {
		return
	}
	s.stop()
	s.stop = nil
	select {
	case code := <-s.code:
		if code != 0 {
			s.t.Errorf("kb serve: exit %d after cancel\nstdout:\n%s\nstderr:\n%s", code, s.stdout, s.stderr)
		}
	case <-time.After(time.Minute):
		s.t.Fatalf("kb serve did not stop\nstdout:\n%s\nstderr:\n%s", s.stdout, s.stderr)
	}
	ents, _ := os.ReadDir(s.tempDir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "kb-serve-") {
			s.t.Errorf("left behind in the temporary folder: %s", e.Name())
		}
	}
}

// poll waits until ok, for longer than a busy machine needs.
func (s *servedSite) poll(what string, ok func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !ok() {
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s\nstdout:\n%s\nstderr:\n%s", what, s.stdout, s.stderr)
		}
		select {
		case code := <-s.code:
			s.t.Fatalf("kb serve exited %d while waiting for %s\nstdout:\n%s\nstderr:\n%s", code, what, s.stdout, s.stderr)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *servedSite) get(url string) (int, string) {
	s.t.Helper()
	res, err := http.Get(url)
	if err != nil {
		s.t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatalf("GET %s: %v", url, err)
	}
	return res.StatusCode, string(b)
}

func (s *servedSite) write(name, data string) {
	s.t.Helper()
	if err := os.WriteFile(filepath.Join(s.dir, name), []byte(data), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

func (s *servedSite) status() buildState {
	s.t.Helper()
	_, body := s.get(s.root + "__kb/status")
	var st buildState
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		s.t.Fatalf("status %q: %v", body, err)
	}
	return st
}

var serveSite = map[string]string{
	"site.toml":                   "title = \"Served\"\nbase_url = \"https://example.github.io/kb/\"\n",
	"content/2024-01-01-a.md":     "---\ntitle: Queue backlog\n---\n## Impact\n\nThe first wording of the impact.\n",
	"content/nested/2024-02-b.md": "---\ntitle: Cache stampede\n---\n## Impact\n\nNested from the start.\n",
}

func TestServeRebuildsOnEdit(t *testing.T) {
	s := startServe(t, serveSite)
	if !strings.HasSuffix(s.url, "/kb/") {
		t.Fatalf("served at %s, want the base path /kb/", s.url)
	}
	res, err := http.Get(s.root)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path != "/kb/" {
		t.Errorf("/ led to %s, want /kb/", res.Request.URL.Path)
	}
	page := s.url + "incidents/2024-01-01-a/"
	code, body := s.get(page)
	if code != 200 || !strings.Contains(body, "The first wording") {
		t.Fatalf("GET %s: %d\n%s", page, code, body)
	}
	if !strings.Contains(body, `<script src="/__kb/reload.js"`) {
		t.Errorf("the page has no reload script")
	}
	if code, js := s.get(s.root + "__kb/reload.js"); code != 200 || !strings.Contains(js, "EventSource") {
		t.Errorf("reload.js: %d %q", code, js)
	}
	before := s.status().Build

	s.write("content/2024-01-01-a.md", "---\ntitle: Queue backlog\n---\n## Impact\n\nThe second wording of the impact.\n")
	s.poll("the edit to be served", func() bool {
		_, body := s.get(page)
		return strings.Contains(body, "The second wording")
	})
	// The new files are swapped in a moment before the build is
	// counted, so the count may lag the page.
	s.poll("the edit's build to be counted", func() bool {
		st := s.status()
		return st.OK && st.Build > before
	})

	// A folder made while serving is watched too.
	if err := os.MkdirAll(filepath.Join(s.dir, "content", "later"), 0o755); err != nil {
		t.Fatal(err)
	}
	s.poll("the new folder to be watched", func() bool {
		// Its creation is a change too; wait until it was built.
		return s.status().Build > before+1
	})
	s.write("content/later/2024-03-c.md", "---\ntitle: Late arrival\n---\n## Impact\n\nWritten in a new folder.\n")
	s.poll("the file in the new folder to be served", func() bool {
		_, body := s.get(s.url + "incidents/later/2024-03-c/")
		return strings.Contains(body, "Written in a new folder")
	})

	// The build folder is not the site's output folder.
	if _, err := os.Stat(filepath.Join(s.dir, "site")); !os.IsNotExist(err) {
		t.Errorf("kb serve wrote the output folder: %v", err)
	}
}

func TestServeKeepsLastGoodBuild(t *testing.T) {
	s := startServe(t, serveSite)
	page := s.url + "incidents/2024-01-01-a/"
	s.write("content/broken.md", "---\ntitle: [\n---\n## Impact\n\n<script>x</script>\n")
	var st buildState
	s.poll("the failed build to be reported", func() bool {
		st = s.status()
		return !st.OK
	})
	found := false
	for _, e := range st.Errors {
		if strings.HasPrefix(e.Pos, "content/broken.md:") && e.Message != "" && e.Hint != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("errors %+v name no content/broken.md:LINE with a hint", st.Errors)
	}
	if code, body := s.get(page); code != 200 || !strings.Contains(body, "The first wording") {
		t.Errorf("the last good page is not served: %d\n%s", code, body)
	}
	if !strings.Contains(s.stderr.String(), "content/broken.md:") {
		t.Errorf("stderr does not name the broken file:\n%s", s.stderr)
	}

	// The event stream says so too, at once.
	res, err := http.Get(s.root + "__kb/events")
	if err != nil {
		t.Fatal(err)
	}
	line := make([]byte, 4096)
	n, _ := res.Body.Read(line)
	res.Body.Close()
	if ev := string(line[:n]); !strings.HasPrefix(ev, "data: ") || !strings.Contains(ev, `"ok":false`) || !strings.Contains(ev, "content/broken.md:") {
		t.Errorf("first event %q does not report the failed build", ev)
	}

	if err := os.Remove(filepath.Join(s.dir, "content", "broken.md")); err != nil {
		t.Fatal(err)
	}
	s.poll("a good build after the fix", func() bool {
		st := s.status()
		return st.OK && len(st.Errors) == 0
	})
}

func TestServeUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"serve", "--help"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "--port") {
		t.Errorf("kb serve --help: exit %d\n%s", code, out.String())
	}
	if code := run(context.Background(), []string{"serve", "--port", "70000"}, &out, &errb); code != 2 {
		t.Errorf("kb serve --port 70000: exit %d, want 2", code)
	}
}

// TestServePortInUse: a taken port is an error with a way out, and
// nothing is left behind.
func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content"), 0o755)
	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte("---\ntitle: A\n---\n"), 0o644)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"serve", "--source", dir, "--port", port}, &out, &errb); code != 2 {
		t.Errorf("kb serve on a taken port: exit %d, want 2\n%s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(errb.String(), "port "+port+" is in use") || !strings.Contains(errb.String(), "kb: hint: ") {
		t.Errorf("stderr does not say the port is taken, with a hint:\n%s", errb.String())
	}
	if ents, _ := os.ReadDir(tmp); len(ents) > 0 {
		t.Errorf("left behind: %s", ents[0].Name())
	}
}

func TestBasePath(t *testing.T) {
	for in, want := range map[string]string{
		"/": "/", "": "/", "/kb/": "/kb/", "/kb": "/kb/",
		"https://example.github.io/kb/": "/kb/", "https://example.com/": "/", "https://example.com": "/",
	} {
		if got := basePath(in); got != want {
			t.Errorf("basePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestInjectReload(t *testing.T) {
	got := string(injectReload([]byte("<html><head><title>x</title></head><body></body></html>"), 7))
	want := `<html><head><title>x</title><script src="/__kb/reload.js" data-build="7" defer></script></head><body></body></html>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
