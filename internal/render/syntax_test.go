package render

import (
	"flag"
	"testing"

	"github.com/kb-postmortems/kb/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestSyntaxCSS keeps the shipped highlighting stylesheets in step with the
// chroma version: an upgrade that renames token classes fails here.
func TestSyntaxCSS(t *testing.T) {
	for file, style := range map[string]string{"syntax-light.css": "github", "syntax-dark.css": "github-dark"} {
		css, err := SyntaxCSS(style)
		if err != nil {
			t.Fatal(err)
		}
		golden.File(t, "../../assets/"+file, css, *update)
	}
}
