package site

import (
	"os/exec"
	"strings"
	"testing"
)

// allowedImports is the dependency ladder of DESIGN.md: which kb packages
// each kb package may import. Data flows one way; a stage never imports a
// later one, and search imports nothing of kb so its WebAssembly build
// stays small.
var allowedImports = map[string][]string{
	"":                    {},
	"internal/when":       {},
	"internal/markup":     {},
	"internal/markup/rst": {"internal/markup"},
	"internal/incident":   {"internal/markup", "internal/when"},
	"internal/lint":       {"internal/incident", "internal/markup", "internal/when"},
	"internal/graph":      {"internal/incident", "internal/markup", "internal/when"},
	"internal/timeline":   {"internal/incident", "internal/markup", "internal/when"},
	"internal/search":     {},
	"internal/render":     {"internal/incident", "internal/markup", "internal/lint", "internal/graph", "internal/timeline", "internal/when", "internal/spool"},
	"internal/publish":    {},
	"internal/spool":      {},
	"internal/linkcheck":  {},
	"internal/golden":     {},
	"internal/corpus":     {},
	"internal/site":       {"*"},
	"cmd/kb":              {"*"},
	"cmd/kbsearch":        {"internal/search"},
	"cmd/kbcorpus":        {"internal/corpus"},
	"internal/bench":      {"internal/corpus"},
	"cmd/kbbench":         {"internal/bench"},
	"cmd/kbshots":         {},
}

func TestDependencyLadder(t *testing.T) {
	const mod = "github.com/kb-postmortems/kb"
	// The packages by their folders, not mod/...: that pattern walks
	// every folder of the checkout, bin/ with its generated corpora too.
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, mod, mod+"/cmd/...", mod+"/internal/...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], mod), "/")
		allowed, known := allowedImports[pkg]
		if !known {
			if strings.HasPrefix(pkg, "internal/search/") || strings.HasPrefix(pkg, "internal/markup/rst/") {
				continue // helpers inside a stage
			}
			t.Errorf("package %s is not on the ladder; add it to allowedImports and DESIGN.md", pkg)
			continue
		}
		if len(allowed) == 1 && allowed[0] == "*" {
			continue
		}
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, mod) {
				continue
			}
			dep := strings.TrimPrefix(strings.TrimPrefix(imp, mod), "/")
			// A stage may use its own helper packages.
			ok := strings.HasPrefix(dep, pkg+"/")
			for _, a := range allowed {
				if dep == a {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s imports %s, against the direction of the pipeline", pkg, dep)
			}
		}
	}
}

// TestNoTestingInBinary: the shipped command links no testing package.
func TestNoTestingInBinary(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/kb-postmortems/kb/cmd/kb").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if p == "testing" || strings.HasPrefix(p, "testing/") {
			t.Errorf("kb links %s", p)
		}
	}
}
