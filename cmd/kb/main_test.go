package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/linkcheck"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain makes this test binary double as kb, so scripts run the real
// command line end to end, as a separate process.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"kb": func() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

var update = flag.Bool("update", false, "rewrite golden sections of the scripts")

// TestScript runs testdata/script/*.txtar. With -update, cmp against a
// section of the script rewrites that section.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(e *testscript.Env) error {
			e.Setenv("HOME", e.WorkDir)
			e.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// checklinks DIR BASE: every internal href and src in the
			// site at DIR, served under BASE, resolves.
			"checklinks": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: checklinks DIR BASE")
				}
				probs, err := linkcheck.Check(os.DirFS(ts.MkAbs(args[0])), args[1])
				ts.Check(err)
				for _, p := range probs {
					ts.Logf("broken: %s", p)
				}
				if (len(probs) > 0) != neg {
					ts.Fatalf("%d broken links", len(probs))
				}
			},
			// nostage DIR: no stage or old-site folder is left in DIR.
			"nostage": func(ts *testscript.TestScript, neg bool, args []string) {
				ents, err := os.ReadDir(ts.MkAbs(args[0]))
				ts.Check(err)
				for _, e := range ents {
					if strings.HasPrefix(e.Name(), ".kb-stage-") || strings.HasPrefix(e.Name(), ".kb-old-") {
						ts.Fatalf("left behind: %s", e.Name())
					}
				}
			},
		},
	})
}

// TestExitCodes pins the exit code of each kind of outcome.
func TestExitCodes(t *testing.T) {
	good := map[string]string{
		"content/2024-01-01-a.md": "---\ntitle: A\n---\n## Impact\n\nx\n",
	}
	tests := []struct {
		name  string
		files map[string]string
		args  []string
		code  int
	}{
		{"ok", good, []string{"build"}, 0},
		{"help", nil, []string{"help"}, 0},
		{"build help", nil, []string{"build", "--help"}, 0},
		{"version", nil, []string{"version"}, 0},
		{"no command", nil, nil, 2},
		{"unknown command", nil, []string{"frobnicate"}, 2},
		{"unknown flag", good, []string{"build", "--frob"}, 2},
		{"stray argument", good, []string{"build", "extra"}, 2},
		{"bad front matter", map[string]string{"content/x.md": "---\ntitle: [\n---\n"}, []string{"build"}, 1},
		{"bad config", map[string]string{"site.toml": "titel = 1\n", "content/x.md": "x"}, []string{"build"}, 2},
		{"no content folder", map[string]string{"site.toml": ""}, []string{"build"}, 2},
		{"dest is a file", map[string]string{"content/x.md": "x", "out": "file"}, []string{"build", "--dest", "out"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tt.files {
				p := filepath.Join(dir, name)
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte(data), 0o644)
			}
			wd, _ := os.Getwd()
			os.Chdir(dir)
			defer os.Chdir(wd)
			var out, errb bytes.Buffer
			if code := run(context.Background(), tt.args, &out, &errb); code != tt.code {
				t.Errorf("kb %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(tt.args, " "), code, tt.code, out.String(), errb.String())
			}
			if tt.code == 2 && errb.Len() == 0 {
				t.Errorf("exit 2 with nothing on stderr")
			}
		})
	}
}

func ExampleusageError() {
	e := &usageError{msg: "unknown command \"x\"", hint: "run kb help"}
	fmt.Println(e)
	// Output: unknown command "x"
}
