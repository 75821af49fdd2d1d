package search

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// wasmBudget is the most bytes the shipped search module may take
// gzip'd: what every visitor of the search page downloads before the
// first full search, and what the browser decompresses and compiles.
const wasmBudget = 2_000_000

// The shipped module stays within its budget.
func TestWasmSize(t *testing.T) {
	path := filepath.Join("..", "..", "assets", "search", "kbsearch.wasm.gz")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d bytes, budget %d", path, fi.Size(), wasmBudget)
	if fi.Size() > wasmBudget {
		t.Errorf("%s is %d bytes, over its budget of %d by %d. Find what the module gained "+
			"(build cmd/kbsearch for js/wasm without -ldflags='-s -w' and sum the code of each package "+
			"from the wasm name section; TestWasmImports lists what must stay out), remove it, then run make wasm. "+
			"Raise wasmBudget only for a feature worth the download.",
			path, fi.Size(), wasmBudget, fi.Size()-wasmBudget)
	}
}

// The browser build leaves out the packages that would triple the
// module's size; a change that brings one back fails here, with the
// package that imports it, before the module is even built.
func TestWasmImports(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not found")
	}
	cmd := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}}: {{join .Imports \" \"}}", "../../cmd/kbsearch")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	banned := map[string]string{
		"github.com/blevesearch/bleve/v2":                  "bleve's root package: a metrics endpoint over net/http, every index type, protobuf",
		"github.com/blevesearch/bleve/v2/index/scorch":     "scorch: indexing, persisting and merging, and zap's writer and merger (reader.go reads segments instead)",
		"github.com/blevesearch/bleve/v2/search/query":     "bleve's query package: its JSON and query-string parsers keep every searcher (use internal/query)",
		"github.com/blevesearch/bleve/v2/index/upsidedown": "the upsidedown index and protobuf",
	}
	for _, line := range strings.Split(string(out), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		for _, imp := range strings.Fields(imports) {
			if why, ok := banned[imp]; ok {
				t.Errorf("%s imports %s in the browser build: %s", pkg, imp, why)
			}
		}
	}
}

// The stub modules of the browser build (wasm.sh) require what go.mod
// requires, so that replacing a module with its stub changes no other
// version.
func TestWasmStubs(t *testing.T) {
	gomod, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	mods, err := filepath.Glob(filepath.Join("internal", "*", "go.mod"))
	if err != nil || len(mods) < 2 {
		t.Fatalf("stub modules: %v %v", mods, err)
	}
	for _, mod := range mods {
		b, err := os.ReadFile(mod)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(strings.TrimPrefix(line, "require "))
			if len(f) == 2 && strings.Contains(f[0], "/") && !strings.Contains(string(gomod), f[0]+" "+f[1]) {
				t.Errorf("%s requires %s %s, go.mod does not", mod, f[0], f[1])
			}
		}
	}
}
