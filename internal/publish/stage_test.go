package publish

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestStageConcurrentWrites(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "site")
	st, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Abort()
	want := map[string]string{}
	for g := range 8 {
		for i := range 40 {
			// Writers share folders, and make them in any order.
			want[fmt.Sprintf("incidents/%02d/x%d/index.html", i%5, g*40+i)] = fmt.Sprintf("page %d %d", g, i)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(want))
	jobs := make(chan string)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				if err := st.WriteFile(p, []byte(want[p])); err != nil {
					errs <- err
				}
			}
		}()
	}
	for p := range want {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	sums := st.Sums()
	if len(sums) != len(want) {
		t.Errorf("%d sums, want %d", len(sums), len(want))
	}
	for p, s := range want {
		if sums[p] != sha256.Sum256([]byte(s)) {
			t.Errorf("sum of %s is wrong", p)
		}
	}
	if _, err := os.Stat(dest); err == nil {
		t.Fatal("the destination exists before Commit")
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	got := tree(t, dest)
	mark := got[Marker]
	delete(got, Marker)
	if len(got) != len(want) {
		t.Errorf("%d files published, want %d", len(got), len(want))
	}
	for p, s := range want {
		if got[p] != s {
			t.Errorf("%s = %q, want %q", p, got[p], s)
		}
	}
	listed, ok, err := writtenFiles([]byte(mark))
	if err != nil || !ok || len(listed) != len(want) {
		t.Errorf("the marker lists %d files, want %d", len(listed), len(want))
	}
	if l := leftovers(t, parent); len(l) > 0 {
		t.Errorf("left behind: %v", l)
	}
	if err := st.WriteFile("late.html", nil); err == nil {
		t.Error("a write after Commit succeeded")
	}
	st.Abort() // after Commit: nothing
	if _, err := os.Stat(filepath.Join(dest, "late.html")); err == nil {
		t.Error("late write reached the site")
	}
	if len(tree(t, dest)) != len(want)+1 {
		t.Error("Abort after Commit changed the site")
	}
}

func TestStageRefusesClashes(t *testing.T) {
	st, err := Begin(filepath.Join(t.TempDir(), "site"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Abort()
	for _, p := range []string{"a/b/index.html", "top.html"} {
		if err := st.WriteFile(p, []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ path, msg string }{
		{"a/b/index.html", "written twice"},
		{"top.html", "written twice"},
		{"a/b", "is a folder"},
		{"a", "is a folder"},
		{"top.html/x.css", `inside "top.html"`},
		{"a/b/index.html/deeper/x", `inside "a/b/index.html"`},
		{Marker, "reserves"},
		{"../escape.html", "not a relative path"},
		{"/abs.html", "not a relative path"},
		{"a\\b", "not a relative path"},
		{"", "not a relative path"},
	} {
		err := st.WriteFile(tc.path, []byte("second"))
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("WriteFile(%q) = %v, want an error saying %q", tc.path, err, tc.msg)
		}
		if tc.path != "" && !strings.Contains(tc.path, "..") && !strings.HasPrefix(tc.path, "/") && !strings.Contains(tc.path, "\\") && !st.Has(tc.path) {
			t.Errorf("Has(%q) = false for a name that is taken", tc.path)
		}
	}
	for _, p := range []string{"a/c.html", "a/b/other.html", "b", "top"} {
		if st.Has(p) {
			t.Errorf("Has(%q) = true for a free name", p)
		}
	}
	// A refused name is the caller's mistake, not a broken stage: the
	// site written so far still publishes, unchanged by the refusals.
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	got := tree(t, st.dest)
	if got["a/b/index.html"] != "a/b/index.html" || got["top.html"] != "top.html" || len(got) != 3 {
		t.Errorf("site = %v", got)
	}
}

func TestStageAbortKeepsPreviousSite(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "site")
	if err := Publish(dest, map[string][]byte{"index.html": []byte("old"), "incidents/a/index.html": []byte("a")}); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dest)
	st, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"index.html", "incidents/b/index.html", "new/deep/file.txt"} {
		if err := st.WriteFile(p, []byte("new")); err != nil {
			t.Fatal(err)
		}
	}
	if l := leftovers(t, parent); len(l) != 1 || !strings.HasPrefix(l[0], ".kb-stage-site-") {
		t.Errorf("while writing, beside the site: %v, want one stage", l)
	}
	st.Abort()
	st.Abort() // twice is fine
	after := tree(t, dest)
	if len(after) != len(before) {
		t.Errorf("site has %d files after Abort, want %d", len(after), len(before))
	}
	for p, b := range before {
		if after[p] != b {
			t.Errorf("%s changed by an aborted stage", p)
		}
	}
	if l := leftovers(t, parent); len(l) > 0 {
		t.Errorf("Abort left %v", l)
	}
	if err := st.WriteFile("x.html", nil); err == nil {
		t.Error("a write after Abort succeeded")
	}
	if err := st.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
	if l := leftovers(t, parent); len(l) > 0 {
		t.Errorf("writes after Abort left %v", l)
	}
}

// A file that could not be written makes the stage unpublishable: Commit
// refuses, removes the stage and leaves the previous site.
func TestStageFailedWriteIsNeverPublished(t *testing.T) {
	parent, dest, st := stageOverOldSite(t)
	if err := st.WriteFile("a/one.html", []byte("1")); err != nil {
		t.Fatal(err)
	}
	// Something outside kb puts a file where the folder a/ was.
	if err := os.RemoveAll(filepath.Join(st.dir, "a")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(st.dir, "a"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := st.WriteFile("a/two.html", []byte("2"))
	if err == nil {
		t.Fatal("a write into a file succeeded")
	}
	if !strings.Contains(err.Error(), "a/two.html") || strings.Contains(err.Error(), ".kb-stage") {
		t.Errorf("error %q should name the file in the site, not in the stage", err)
	}
	if err := st.Commit(); err == nil || !strings.Contains(err.Error(), "not written") {
		t.Fatalf("Commit = %v, want a refusal", err)
	}
	if got := tree(t, dest); len(got) != 2 || got["index.html"] != "old" {
		t.Errorf("site changed: %v", got)
	}
	if l := leftovers(t, parent); len(l) > 0 {
		t.Errorf("failed stage left %v", l)
	}
}

// Files put into the destination while a site is being built stop the
// swap, as they would have stopped Begin.
func TestStageRechecksDestinationOnCommit(t *testing.T) {
	parent, dest, st := stageOverOldSite(t)
	if err := st.WriteFile("index.html", []byte("new")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, "CNAME"), []byte("kb.example.org\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(); err == nil || !strings.Contains(err.Error(), "CNAME") {
		t.Fatalf("Commit = %v, want a refusal naming CNAME", err)
	}
	if got := tree(t, dest); got["CNAME"] != "kb.example.org\n" || got["index.html"] != "old" {
		t.Errorf("site changed: %v", got)
	}
	if l := leftovers(t, parent); len(l) > 0 {
		t.Errorf("refused stage left %v", l)
	}
}

// A big site is made durable by one syncfs, a small one by an fsync per
// file: both must publish every file.
func TestStageCommitSmallAndBig(t *testing.T) {
	for _, n := range []int{1, 300} {
		parent := t.TempDir()
		dest := filepath.Join(parent, "site")
		st, err := Begin(dest)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if err := st.WriteFile(fmt.Sprintf("p/%03d/index.html", i), []byte{byte(i)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.Commit(); err != nil {
			t.Fatal(err)
		}
		if got := len(tree(t, dest)); got != n+1 {
			t.Errorf("%d files: %d published, want %d", n, got, n+1)
		}
		if l := leftovers(t, parent); len(l) > 0 {
			t.Errorf("%d files: left %v", n, l)
		}
	}
}

func TestBeginRefusesWhatPublishRefuses(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "file")
	os.WriteFile(file, []byte("mine"), 0o644)
	if _, err := Begin(file); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("Begin over a file = %v", err)
	}
	foreign := filepath.Join(parent, "foreign")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "thesis.tex"), []byte("precious"), 0o644)
	if _, err := Begin(foreign); err == nil || !strings.Contains(err.Error(), "did not write") {
		t.Errorf("Begin over a foreign folder = %v", err)
	}
	if l := leftovers(t, parent); len(l) > 0 {
		t.Errorf("refused Begin left %v", l)
	}
}

func TestMemoryRefusesWhatStageRefuses(t *testing.T) {
	var m Memory
	if err := m.WriteFile("a/index.html", []byte("x")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"a/index.html", "a", "a/index.html/b", Marker, "../x"} {
		if err := m.WriteFile(p, nil); err == nil {
			t.Errorf("Memory took %q", p)
		}
	}
	if !m.Has("a") || !m.Has("a/index.html") || m.Has("b") || !m.Has(Marker) {
		t.Error("Has is wrong")
	}
	if s := m.Sums(); len(s) != 1 || s["a/index.html"] != sha256.Sum256([]byte("x")) {
		t.Errorf("Sums = %v", s)
	}
	if f := m.Files(); len(f) != 1 || string(f["a/index.html"]) != "x" {
		t.Errorf("Files = %v", f)
	}
}

// stageOverOldSite publishes a site whose index.html says "old" and
// begins a stage to replace it.
func stageOverOldSite(t *testing.T) (parent, dest string, st *Stage) {
	t.Helper()
	parent = t.TempDir()
	dest = filepath.Join(parent, "site")
	if err := Publish(dest, map[string][]byte{"index.html": []byte("old")}); err != nil {
		t.Fatal(err)
	}
	st, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	return parent, dest, st
}

// A file written through Create is published with its sum, as WriteFile's
// would be; its name is checked as WriteFile checks it; and a stage with
// a file left open is never committed.
func TestStageCreate(t *testing.T) {
	_, dest, st := stageOverOldSite(t)
	f, err := st.Create("index.html")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		// More than the write buffer, in pieces.
		if _, err := f.Write([]byte(strings.Repeat(fmt.Sprint(i), 50<<10))); err != nil {
			t.Fatal(err)
		}
	}
	want := strings.Repeat("0", 50<<10) + strings.Repeat("1", 50<<10) + strings.Repeat("2", 50<<10)
	if _, ok := st.Sums()["index.html"]; ok {
		t.Error("a file still being written has a sum")
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if st.Sums()["index.html"] != sha256.Sum256([]byte(want)) {
		t.Error("sum of the created file is wrong")
	}
	for _, p := range []string{"index.html", "index.html/x", Marker, "../x", "/abs"} {
		if _, err := st.Create(p); err == nil {
			t.Errorf("Create took %q", p)
		}
	}
	open, err := st.Create("a/b/left-open.html")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(); err == nil || !strings.Contains(err.Error(), "not finished") {
		t.Errorf("commit with a file left open: %v", err)
	}
	open.Close()
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "old" {
		t.Errorf("previous site replaced by a stage with a file left open: %q", b)
	}

	st, err = Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	f, err = st.Create("index.html")
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte(want))
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != want {
		t.Errorf("published file is %d bytes, want %d", len(b), len(want))
	}
}

func TestMemoryCreate(t *testing.T) {
	var m Memory
	f, err := m.Create("feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("<feed/>"))
	if _, err := m.Create("feed.xml"); err == nil {
		t.Error("Memory created a file twice")
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got := string(m.Files()["feed.xml"]); got != "<feed/>" {
		t.Errorf("feed.xml = %q", got)
	}
}

// A streamed file that cannot be written fails the stage: the commit
// publishes nothing and the previous site stays.
func TestStageCreateWriteFails(t *testing.T) {
	_, dest, st := stageOverOldSite(t)
	f, err := st.Create("big.html")
	if err != nil {
		t.Fatal(err)
	}
	f.(*stageFile).f.Close() // the disk goes away under the writer
	_, werr := f.Write(make([]byte, 256<<10))
	cerr := f.Close()
	if werr == nil && cerr == nil {
		t.Fatal("a write to a closed file was taken")
	}
	if err := st.Commit(); err == nil || !strings.Contains(err.Error(), "big.html") {
		t.Errorf("commit after a failed streamed write: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "old" {
		t.Errorf("previous site replaced after a failed write: %q", b)
	}
}
