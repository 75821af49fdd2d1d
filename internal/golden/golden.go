// Package golden compares test output with files under testdata/ and
// rewrites them when a test runs with -update. It is used only by tests.
//
// Case files are txtar archives: each case is an input section (for example
// "-- lists.md --") followed by one section per kind of expected output
// ("-- lists.model --", "-- lists.html --"). Adding a case means adding text
// to an archive, not Go code.
package golden

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// File compares got with the file at path, or rewrites the file when update
// is set.
func File(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (run with -update to accept):\n%s", path, Diff(string(want), string(got)))
	}
}

// Cases runs fn on every input section of the txtar archive at path whose
// name ends in one of inputExts, and compares each output fn returns (keyed
// by extension, such as ".model") with the section named after the input.
// Inputs run as subtests named after the section.
func Cases(t *testing.T, path string, update bool, inputExts []string, fn func(t *testing.T, name string, input []byte) map[string][]byte) {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	isInput := func(name string) bool {
		for _, e := range inputExts {
			if strings.HasSuffix(name, e) {
				return true
			}
		}
		return false
	}
	index := map[string]int{}
	for i, f := range ar.Files {
		index[f.Name] = i
	}
	var out []txtar.File
	changed := false
	for _, f := range ar.Files {
		if !isInput(f.Name) {
			continue
		}
		out = append(out, f)
		base := strings.TrimSuffix(f.Name, filepath.Ext(f.Name))
		var got map[string][]byte
		t.Run(base, func(t *testing.T) {
			got = fn(t, f.Name, f.Data)
		})
		exts := make([]string, 0, len(got))
		for e := range got {
			exts = append(exts, e)
		}
		sort.Strings(exts)
		for _, e := range exts {
			name := base + e
			data := got[e]
			if len(data) > 0 && data[len(data)-1] != '\n' {
				data = append(data, '\n')
			}
			i, ok := index[name]
			if update {
				if !ok || !bytes.Equal(ar.Files[i].Data, data) {
					changed = true
				}
				out = append(out, txtar.File{Name: name, Data: data})
				continue
			}
			if !ok {
				t.Errorf("%s: no section %q (run with -update to add it)", path, name)
				continue
			}
			if want := ar.Files[i].Data; !bytes.Equal(want, data) {
				t.Errorf("%s: %s differs (run with -update to accept):\n%s", path, name, Diff(string(want), string(data)))
			}
		}
	}
	if update && (changed || len(out) != len(ar.Files)) {
		ar.Files = out
		if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Diff returns a line diff of want and got: lines only in want start with
// "-", lines only in got with "+". It is a plain longest-common-subsequence
// diff, fine for the short files tests compare.
func Diff(want, got string) string {
	a := strings.Split(want, "\n")
	b := strings.Split(got, "\n")
	if len(a)*len(b) > 4_000_000 {
		return fmt.Sprintf("(too long to diff: %d lines want, %d lines got)", len(a), len(b))
	}
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out.WriteString("  " + a[i] + "\n")
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			out.WriteString("+ " + b[j] + "\n")
			j++
		default:
			out.WriteString("- " + a[i] + "\n")
			i++
		}
	}
	return out.String()
}

// Seeds adds the sections ending in suffix of every archive matching glob
// to a fuzz target's corpus: the cases the table tests hold are the
// fuzzer's first inputs.
func Seeds(f *testing.F, glob, suffix string) {
	f.Helper()
	files, err := filepath.Glob(glob)
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range ar.Files {
			if strings.HasSuffix(file.Name, suffix) {
				f.Add(file.Data)
			}
		}
	}
}
