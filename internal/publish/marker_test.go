package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

// A name with a line break once split into two entries of the marker, so
// a file "foo\nCNAME" made kb take a CNAME added by hand for its own and
// delete it with the next build.
func TestNewlineNameCannotAdoptAFile(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "site")
	if err := Publish(dest, map[string][]byte{"index.html": []byte("one")}); err != nil {
		t.Fatal(err)
	}
	err := Publish(dest, map[string][]byte{"index.html": []byte("two"), "foo\nCNAME": []byte("x")})
	if err == nil {
		t.Error("a name with a line break was published")
	}
	var pe *Error
	if !errors.As(err, &pe) || pe.Hint == "" {
		t.Errorf("%v has no hint", err)
	}
	if strings.ContainsAny(err.Error(), "\n\x1b") || !strings.Contains(err.Error(), `foo\nCNAME`) {
		t.Errorf("the name is not shown escaped: %q", err.Error())
	}
	if err := os.WriteFile(filepath.Join(dest, "CNAME"), []byte("example.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = Publish(dest, map[string][]byte{"index.html": []byte("three")})
	if err == nil || !strings.Contains(err.Error(), "CNAME") {
		t.Errorf("a CNAME added by hand did not stop the build: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dest, "CNAME")); err != nil {
		t.Errorf("the CNAME added by hand is gone: %v", err)
	}
}

// Every name a site may have comes back from the marker as it went in,
// and a name no site may have is never trusted, even if a marker lists it.
func TestMarkerRoundTrip(t *testing.T) {
	names := []string{"a b.html", `q"uote.html`, "back/slash", "ü/ß.html", "<x>&y.html", "index.html", "CNAME"}
	sort.Strings(names)
	var ok []string
	for _, n := range names {
		if nameProblem(n) == "" {
			ok = append(ok, n)
		}
	}
	got, listed, err := writtenFiles(encodeMarker(ok))
	if err != nil || !listed {
		t.Fatalf("writtenFiles = %v, %v", listed, err)
	}
	want := map[string]bool{}
	for _, n := range ok {
		want[n] = true
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %v, want %v", got, want)
	}
	forged := []byte(`{"format":2,"files":["foo\nCNAME","../up","ok.html","x\u001b[2J"]}`)
	got, _, err = writtenFiles(forged)
	if err != nil || !reflect.DeepEqual(got, map[string]bool{"ok.html": true}) {
		t.Errorf("forged marker read as %v, %v", got, err)
	}
	for _, bad := range []string{`{"format":3,"files":[]}`, `{"format":2,"files":[`} {
		if _, _, err := writtenFiles([]byte(bad)); err == nil {
			t.Errorf("marker %q was read", bad)
		}
	}
}

// A site published by a kb that wrote one name a line is replaced cleanly,
// and its marker becomes the JSON one.
func TestOldMarkerUpgrades(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "site")
	old := map[string]string{
		"index.html":             "old",
		"incidents/a/index.html": "a",
		Marker:                   markerHeader + "incidents/a/index.html\nindex.html\n../outside\n\n",
	}
	for p, s := range old {
		p = filepath.Join(dest, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := Publish(dest, map[string][]byte{"index.html": []byte("new")}); err != nil {
		t.Fatalf("a site of the old format did not build: %v", err)
	}
	got := tree(t, dest)
	if got["index.html"] != "new" || len(got) != 2 {
		t.Errorf("published %v", got)
	}
	if !strings.HasPrefix(got[Marker], `{"format": 2,`) {
		t.Errorf("marker is not JSON: %q", got[Marker])
	}
	// An old marker names what kb wrote, and no more.
	os.WriteFile(filepath.Join(dest, Marker), []byte(markerHeader+"index.html\n"), 0o644)
	os.WriteFile(filepath.Join(dest, "notes.txt"), []byte("mine"), 0o644)
	if err := Publish(dest, map[string][]byte{"index.html": []byte("x")}); err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("a file the old marker does not list was not protected: %v", err)
	}
}

// A site that an older kb published with a file "foo\nCNAME" has a marker
// that lists "foo" and "CNAME": a CNAME added by hand since is not kb's.
func TestOldMarkerSplitName(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "site")
	for p, s := range map[string]string{
		"index.html": "old",
		"foo\nCNAME": "x",
		"CNAME":      "example.com\n",
		Marker:       markerHeader + "foo\nCNAME\nindex.html\n",
	} {
		p = filepath.Join(dest, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err := Publish(dest, map[string][]byte{"index.html": []byte("new")})
	if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), `foo\nCNAME`, ""), "CNAME") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Publish = %v, want the CNAME named as not kb's, names escaped", err)
	}
	if b, err := os.ReadFile(filepath.Join(dest, "CNAME")); err != nil || string(b) != "example.com\n" {
		t.Errorf("the CNAME added by hand is gone or changed: %q, %v", b, err)
	}
}

// .kb-site at the root, or a folder of that name, is kb's.
func TestReservedName(t *testing.T) {
	var m Memory
	for _, p := range []string{Marker, Marker + "/a.txt", Marker + "/b/c.txt"} {
		err := m.WriteFile(p, nil)
		var pe *Error
		if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), "reserves") || pe.Hint == "" {
			t.Errorf("WriteFile(%q) = %v, want a reserved name with a hint", p, err)
		}
		if m.Has(p) != (p == Marker) {
			t.Errorf("Has(%q) = %v: only the marker itself gives way", p, m.Has(p))
		}
	}
	if err := m.WriteFile("sub/"+Marker, nil); err != nil {
		t.Errorf("a marker's name below the root is free: %v", err)
	}
}

func TestNameProblems(t *testing.T) {
	for _, p := range []string{"a\nb", "a\rb", "tab\there", "esc\x1b[31m", "del\x7f", "c1\u0085", "ls\u2028", "rlo\u202egnp.exe", "bad\xff.html"} {
		err := checkName(p)
		if err == nil {
			t.Errorf("%q was accepted", p)
			continue
		}
		if strings.ContainsAny(err.Error(), "\n\r\t\x1b\x7f\u0085\u2028\u202e") || !utf8.ValidString(err.Error()) {
			t.Errorf("%q is printed raw: %q", p, err.Error())
		}
	}
	if got := Escape("foo\nbar\x1b"); got != `foo\nbar\x1b` {
		t.Errorf("Escape = %q", got)
	}
	if got := Escape("plain ü.html"); got != "plain ü.html" {
		t.Errorf("Escape = %q", got)
	}
}

// Errors a user can act on carry a hint that says what to do, whether
// they come while a file is written or while the stage is committed.
func TestPublishErrorHints(t *testing.T) {
	cases := []struct {
		err  error
		hint string
	}{
		{syscall.ENOSPC, "full"},
		{syscall.EDQUOT, "full"},
		{syscall.EROFS, "read-only"},
		{syscall.EACCES, "permissions"},
		{syscall.EPERM, "permissions"},
	}
	for _, tc := range cases {
		for _, at := range []string{"page.html", Marker} {
			t.Run(fmt.Sprintf("%v/%s", tc.err, at), func(t *testing.T) {
				dest := filepath.Join(t.TempDir(), "site")
				st, err := Begin(dest)
				if err != nil {
					t.Fatal(err)
				}
				defer st.Abort()
				st.inject = func(p string) error {
					if p == at {
						return &fs.PathError{Op: "write", Path: "/stage/" + p, Err: tc.err}
					}
					return nil
				}
				err = st.WriteFile("page.html", []byte("x"))
				if err == nil {
					err = st.Commit()
				} else if cerr := st.Commit(); cerr == nil {
					t.Error("a stage with a failed write was committed")
				}
				var pe *Error
				if !errors.As(err, &pe) || !strings.Contains(pe.Hint, tc.hint) {
					t.Fatalf("error %v, want a hint saying %q", err, tc.hint)
				}
				if !errors.Is(err, tc.err) {
					t.Errorf("%v does not wrap %v", err, tc.err)
				}
				if strings.Contains(err.Error(), "/stage/") {
					t.Errorf("the stage folder shows: %v", err)
				}
				if _, err := os.Stat(dest); err == nil {
					t.Error("something was published")
				}
			})
		}
	}
}

// A publish that fails while another build writes to the same folder says
// so.
func TestConcurrentBuildHint(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "site")
	other := os.Getppid() // a process that is running and is not this one
	if err := os.Mkdir(filepath.Join(parent, fmt.Sprintf(".kb-stage-site-%d-42", other)), 0o755); err != nil {
		t.Fatal(err)
	}
	st, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Abort()
	st.inject = func(p string) error {
		if p == Marker {
			return &fs.PathError{Op: "open", Path: p, Err: syscall.ENOENT}
		}
		return nil
	}
	err = st.Commit()
	var pe *Error
	if !errors.As(err, &pe) || !strings.Contains(pe.Hint, fmt.Sprintf("another kb build (process %d)", other)) {
		t.Fatalf("error %v, want a hint naming the other build", err)
	}
}
