package markup

import (
	"bytes"
	"flag"
	"path/filepath"
	"testing"

	"github.com/kb-postmortems/kb/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestMarkdownCases reads every case in testdata/markdown/*.txtar and
// compares the model dump and the rendered HTML with the expected sections.
func TestMarkdownCases(t *testing.T) {
	files, err := filepath.Glob("testdata/markdown/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	md := NewMarkdown(Limits{})
	r := NewHTMLRenderer()
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			golden.Cases(t, f, *update, []string{".md"}, func(t *testing.T, name string, in []byte) map[string][]byte {
				d, err := md.Read(name, in)
				if err != nil {
					return map[string][]byte{".err": []byte(err.Error())}
				}
				var model bytes.Buffer
				if err := Dump(&model, d); err != nil {
					t.Fatal(err)
				}
				return map[string][]byte{".model": model.Bytes(), ".html": r.Render(d, HTMLOptions{})}
			})
		})
	}
}
